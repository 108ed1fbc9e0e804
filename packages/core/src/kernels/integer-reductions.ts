/**
 * Sums and products of integer and bool inputs in int32 arithmetic: every
 * step wraps modulo 2^32 (`| 0` for a sum, Math.imul for a product), so the
 * result is exact whatever the number of elements, and equal to PyTorch's
 * int64 result reduced modulo 2^32. A double accumulator would be exact only
 * while partial sums stay below 2^53 and would then drift.
 *
 * The reductions walk the input as reduce.ts's kernels do (the output has
 * strides of 0 along the reduced axes); the scans run along lines laid out
 * as `outer × n × inner` (see `Lines` in sort.ts).
 */
import type { NumArray } from './arrays';
import type { Walk } from './reductions';
import type { Lines } from './sort';
import { forEachRow } from './strided';

/** Adds every element into `out` (zero-filled by the caller), wrapping as int32. */
export function sumIntInto(w: Walk, out: Int32Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0] as number;
    const xs = inner[0] as number;
    const oi = off[1] as number;
    const os = inner[1] as number;
    if (os === 0) {
      let s = out[oi] as number;
      for (let k = 0; k < n; k++) s = (s + (x[xi + k * xs] as number)) | 0;
      out[oi] = s;
    } else {
      for (let k = 0; k < n; k++) out[oi + k * os] = ((out[oi + k * os] as number) + (x[xi + k * xs] as number)) | 0;
    }
  });
}

/** Multiplies every element into `out` (filled with 1 by the caller), wrapping as int32. */
export function prodIntInto(w: Walk, out: Int32Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0] as number;
    const xs = inner[0] as number;
    const oi = off[1] as number;
    const os = inner[1] as number;
    if (os === 0) {
      let p = out[oi] as number;
      for (let k = 0; k < n; k++) p = Math.imul(p, x[xi + k * xs] as number);
      out[oi] = p;
    } else {
      for (let k = 0; k < n; k++) out[oi + k * os] = Math.imul(out[oi + k * os] as number, x[xi + k * xs] as number);
    }
  });
}

/**
 * Running sums (`product` false) or products along each line of the
 * contiguous `x` (from offset xo) into the contiguous int32 `out`, wrapping
 * at every step.
 */
export function scanInt(x: NumArray, xo: number, out: Int32Array, lines: Lines, product: boolean): void {
  const { outer, n, inner } = lines;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      const start = o * n * inner + q;
      let s = product ? 1 : 0;
      for (let j = 0; j < n; j++) {
        const at = start + j * inner;
        const v = x[xo + at] as number;
        s = product ? Math.imul(s, v) : (s + v) | 0;
        out[at] = s;
      }
    }
  }
}
