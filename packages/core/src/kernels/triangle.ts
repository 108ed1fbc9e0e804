/** The band of a batch of matrices that tril and triu keep. */
import type { NumArray } from './arrays';

/**
 * Zeros, in each of `count` contiguous rows×cols matrices of `o`, the
 * elements outside the band: tril keeps column j of row i where j - i ≤ k,
 * triu where j - i ≥ k.
 */
export function zeroOutsideBand(
  o: NumArray,
  count: number,
  rows: number,
  cols: number,
  k: number,
  upper: boolean,
): void {
  for (let m = 0; m < count; m++) {
    const base = m * rows * cols;
    for (let i = 0; i < rows; i++) {
      const row = base + i * cols;
      // Columns [from, to) of row i fall outside the band.
      const from = upper ? 0 : Math.max(0, Math.min(cols, i + k + 1));
      const to = upper ? Math.max(0, Math.min(cols, i + k)) : cols;
      for (let j = from; j < to; j++) o[row + j] = 0;
    }
  }
}
