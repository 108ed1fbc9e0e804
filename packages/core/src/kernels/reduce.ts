/**
 * Reductions over any set of axes of a strided input. The output is given
 * strides of 0 along the reduced axes, so one row-major walk of the input
 * (see strided.ts) visits every element once and knows where it lands.
 */
import type { NumArray } from './arrays';
import { forEachRow } from './strided';

/**
 * Adds every element of x into `out` (a Float64Array, zero-filled by the
 * caller; partial sums stay in double precision whatever x's dtype).
 */
export function sumInto(
  x: NumArray,
  xOffset: number,
  xStrides: readonly number[],
  shape: readonly number[],
  out: Float64Array,
  outStrides: readonly number[],
): void {
  forEachRow(shape, [xStrides, outStrides], [xOffset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let s = 0;
      for (let k = 0; k < n; k++) s += x[xi + k * xs];
      out[oi] += s;
    } else {
      for (let k = 0; k < n; k++) out[oi + k * os] += x[xi + k * xs];
    }
  });
}

/**
 * For each output position, the largest (or smallest) input element and its
 * row-major index in x. `index` must be filled with -1 by the caller.
 * NOTE: ties keep the first occurrence; a NaN wins over any number and the
 * first NaN is kept, so NaN propagates as in PyTorch.
 */
export function extremeInto(
  largest: boolean,
  x: NumArray,
  xOffset: number,
  xStrides: readonly number[],
  shape: readonly number[],
  out: Float64Array,
  index: Int32Array,
  outStrides: readonly number[],
): void {
  const sign = largest ? 1 : -1;
  forEachRow(shape, [xStrides, outStrides], [xOffset, 0], (off, n, inner, start) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    for (let k = 0; k < n; k++) {
      const v = x[xi + k * xs];
      const o = oi + k * os;
      const best = out[o];
      if (index[o] === -1 || (best === best && (v !== v || sign * v > sign * best))) {
        out[o] = v;
        index[o] = start + k;
      }
    }
  });
}
