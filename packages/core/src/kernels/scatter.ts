/**
 * Writes into a tensor at precomputed row-major positions: a plain write (the
 * last of repeated positions wins), an add (repeats add up), and the scatter
 * reductions. The ops compute the positions (kernels/positions.ts) and check
 * them before any of these runs.
 */
import type { NumArray } from './arrays';
import { put } from './gather';

/** out[positions[i]] = v[vOffset + i], or += when `accumulate`; v is contiguous. */
export function putValues(
  v: NumArray,
  vOffset: number,
  positions: Int32Array,
  out: NumArray,
  accumulate: boolean,
): void {
  if (accumulate) put(v, vOffset, positions, out);
  else for (let i = 0; i < positions.length; i++) out[positions[i]] = v[vOffset + i];
}

/**
 * 1 for each i whose write survives a plain put (the last write to its
 * position), 0 for writes a later one overwrote; null when no position
 * repeats, so every write survives.
 */
export function lastWrites(positions: Int32Array, size: number): Uint8Array | null {
  const seen = new Uint8Array(size);
  const keep = new Uint8Array(positions.length);
  let repeated = false;
  for (let i = positions.length - 1; i >= 0; i--) {
    const p = positions[i];
    if (seen[p] === 0) {
      seen[p] = 1;
      keep[i] = 1;
    } else {
      repeated = true;
    }
  }
  return repeated ? keep : null;
}

/** 1 at every position written at least once, of a tensor of `size` elements. */
export function touched(positions: Int32Array, size: number): Uint8Array {
  const hit = new Uint8Array(size);
  for (let i = 0; i < positions.length; i++) hit[positions[i]] = 1;
  return hit;
}

/** How often each of `size` positions is written. */
export function hitCounts(positions: Int32Array, size: number): Int32Array {
  const count = new Int32Array(size);
  for (let i = 0; i < positions.length; i++) count[positions[i]]++;
  return count;
}

/** How `scatterReduce` combines the values that land on one element (PyTorch's `reduce` argument). */
export type ScatterReduction = 'sum' | 'prod' | 'mean' | 'amax' | 'amin';

/** NaN wins, as in PyTorch's scatter reductions; otherwise the larger (smaller) of a and b. */
const larger = (a: number, b: number) => (a !== a || b !== b ? NaN : a >= b ? a : b);
const smaller = (a: number, b: number) => (a !== a || b !== b ? NaN : a <= b ? a : b);

/**
 * Reduces v's elements into `acc` (float64, x's values on entry) at their
 * positions. With `includeSelf` x's value takes part; without it, a position
 * that is written starts from the reduction's identity and one that is not
 * keeps x. `mean` divides by the number of values that took part (x
 * included), flooring for integer results as PyTorch does. `integer`
 * says the result is int32 (or bool, which the ops refuse).
 */
export function scatterReduceInto(
  acc: Float64Array,
  v: NumArray,
  vOffset: number,
  positions: Int32Array,
  reduce: ScatterReduction,
  includeSelf: boolean,
  integer: boolean,
): void {
  const count = hitCounts(positions, acc.length);
  if (!includeSelf) {
    const start = reduce === 'prod' ? 1 : reduce === 'amax' ? -Infinity : reduce === 'amin' ? Infinity : 0;
    for (let p = 0; p < acc.length; p++) if (count[p] > 0) acc[p] = start;
  }
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i];
    const x = v[vOffset + i];
    // Integer sums and products wrap around at 32 bits at every step, as
    // PyTorch's int32 arithmetic does (a float64 product would lose the low bits first).
    if (reduce === 'sum' || reduce === 'mean') acc[p] = integer ? (acc[p] + x) | 0 : acc[p] + x;
    else if (reduce === 'prod') acc[p] = integer ? Math.imul(acc[p], x) : acc[p] * x;
    else if (reduce === 'amax') acc[p] = larger(acc[p], x);
    else acc[p] = smaller(acc[p], x);
  }
  if (reduce !== 'mean') return;
  const self = includeSelf ? 1 : 0;
  for (let p = 0; p < acc.length; p++) {
    if (count[p] === 0) continue;
    const m = acc[p] / (count[p] + self);
    acc[p] = integer ? Math.floor(m) : m;
  }
}
