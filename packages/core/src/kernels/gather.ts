/** Reads and scatter-adds at precomputed row-major indices. */
import type { NumArray } from './arrays';

/** out[i] = x[index[i]] for a contiguous x. */
export function take(x: NumArray, xOffset: number, index: Int32Array, out: NumArray): void {
  for (let i = 0; i < index.length; i++) out[i] = x[xOffset + index[i]];
}

/** out[index[i]] += g[i] for a contiguous g; repeated indices add up. */
export function put(g: NumArray, gOffset: number, index: Int32Array, out: NumArray): void {
  for (let i = 0; i < index.length; i++) out[index[i]] += g[gOffset + i];
}
