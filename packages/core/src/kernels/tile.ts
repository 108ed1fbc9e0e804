/** Sums the tiles of a repeated tensor back into one: the gradient of `repeat`. */
import type { NumArray } from './arrays';
import { forEachRow } from './strided';

/**
 * dst[j] += src[i] for every position of `shape`, both strided. A stride of
 * 0 in `dstStrides` makes every step along that dimension add into the same
 * element, which is how the tiles of a repeat sum into one.
 */
export function addStrided(
  src: NumArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: NumArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  forEachRow(shape, [srcStrides, dstStrides], [srcOffset, dstOffset], (off, n, inner) => {
    const s = off[0];
    const ss = inner[0];
    const t = off[1];
    const ts = inner[1];
    for (let k = 0; k < n; k++) dst[t + k * ts] += src[s + k * ss];
  });
}
