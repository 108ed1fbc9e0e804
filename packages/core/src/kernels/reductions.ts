/**
 * The kernels of prod, norm, std, nansum and the counting reductions (any,
 * all, countNonzero), on the walk of reduce.ts: the output has strides of 0
 * along the reduced axes, so one row-major pass over a strided input visits
 * every element once and knows where it lands. Accumulators are Float64Arrays
 * whatever the input's dtype, so float32 inputs are rounded once, at the end.
 */
import type { NumArray } from './arrays';
import { forEachRow } from './strided';

/** Where the input lies and where each element's result goes (see the header). */
export interface Walk {
  x: NumArray;
  offset: number;
  strides: readonly number[];
  shape: readonly number[];
  outStrides: readonly number[];
}

/** Multiplies every element into `out` (filled with 1 by the caller). */
export function prodInto(w: Walk, out: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let p = out[oi];
      for (let k = 0; k < n; k++) p *= x[xi + k * xs];
      out[oi] = p;
    } else {
      for (let k = 0; k < n; k++) out[oi + k * os] *= x[xi + k * xs];
    }
  });
}

/**
 * Adds |x|^p of every element into `sum` (zero-filled) and keeps in `peak`
 * the element that dominates the sum: the largest |x| for p > 0 (filled with
 * 0 by the caller), the smallest for p < 0 (filled with Infinity). The
 * caller rescales by `peak` where the plain sum overflowed or underflowed.
 * p = 1 and p = 2 have loops of their own: Math.pow is the slow part.
 */
export function powerSumInto(w: Walk, p: number, sum: Float64Array, peak: Float64Array): void {
  const x = w.x;
  const largest = p > 0;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let s = sum[oi];
      let m = peak[oi];
      if (p === 2) {
        for (let k = 0; k < n; k++) {
          const a = Math.abs(x[xi + k * xs]);
          s += a * a;
          if (a > m) m = a;
        }
      } else if (p === 1) {
        for (let k = 0; k < n; k++) {
          const a = Math.abs(x[xi + k * xs]);
          s += a;
          if (a > m) m = a;
        }
      } else {
        for (let k = 0; k < n; k++) {
          const a = Math.abs(x[xi + k * xs]);
          s += a ** p;
          if (largest ? a > m : a < m) m = a;
        }
      }
      sum[oi] = s;
      peak[oi] = m;
    } else {
      for (let k = 0; k < n; k++) {
        const a = Math.abs(x[xi + k * xs]);
        const o = oi + k * os;
        sum[o] += p === 2 ? a * a : p === 1 ? a : a ** p;
        if (largest ? a > peak[o] : a < peak[o]) peak[o] = a;
      }
    }
  });
}

/** Adds (|x| / scale)^p of every element into `sum` (zero-filled), `scale` holding one value per output. */
export function scaledPowerSumInto(w: Walk, p: number, scale: Float64Array, sum: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    for (let k = 0; k < n; k++) {
      const o = oi + k * os;
      sum[o] += (Math.abs(x[xi + k * xs]) / scale[o]) ** p;
    }
  });
}

/**
 * The largest (or smallest) |x| into `out`, filled by the caller with -1 (a
 * value no |x| takes, marking "nothing yet"). NOTE: NaN wins and stays, as
 * in PyTorch's inf-norm.
 */
export function absExtremeInto(w: Walk, largest: boolean, out: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let best = out[oi];
      for (let k = 0; k < n && best === best; k++) {
        const a = Math.abs(x[xi + k * xs]);
        if (best === -1 || a !== a || (largest ? a > best : a < best)) best = a;
      }
      out[oi] = best;
    } else {
      for (let k = 0; k < n; k++) {
        const a = Math.abs(x[xi + k * xs]);
        const o = oi + k * os;
        const best = out[o];
        if (best === -1 || (best === best && (a !== a || (largest ? a > best : a < best)))) out[o] = a;
      }
    }
  });
}

/** Counts the elements that are not 0 (NaN counts: it is not 0) into `out` (zero-filled). */
export function countNonzeroInto(w: Walk, out: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let c = 0;
      for (let k = 0; k < n; k++) if (x[xi + k * xs] !== 0) c++;
      out[oi] += c;
    } else {
      for (let k = 0; k < n; k++) if (x[xi + k * xs] !== 0) out[oi + k * os] += 1;
    }
  });
}

/** Adds the elements that are not NaN into `sum` and counts them into `count` (both zero-filled). */
export function nansumInto(w: Walk, sum: Float64Array, count: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      let s = 0;
      let c = 0;
      for (let k = 0; k < n; k++) {
        const v = x[xi + k * xs];
        if (v === v) {
          s += v;
          c++;
        }
      }
      sum[oi] += s;
      count[oi] += c;
    } else {
      for (let k = 0; k < n; k++) {
        const v = x[xi + k * xs];
        if (v === v) {
          sum[oi + k * os] += v;
          count[oi + k * os] += 1;
        }
      }
    }
  });
}

/**
 * Adds (x - mean)² of every element into `out` (zero-filled), `mean` holding
 * one value per output: the second pass of the two-pass variance, which
 * loses nothing to cancellation where Σx² - (Σx)²/N would.
 */
export function squaredDeviationsInto(w: Walk, mean: Float64Array, out: Float64Array): void {
  const x = w.x;
  forEachRow(w.shape, [w.strides, w.outStrides], [w.offset, 0], (off, n, inner) => {
    const xi = off[0];
    const xs = inner[0];
    const oi = off[1];
    const os = inner[1];
    if (os === 0) {
      const m = mean[oi];
      let s = 0;
      for (let k = 0; k < n; k++) {
        const d = x[xi + k * xs] - m;
        s += d * d;
      }
      out[oi] += s;
    } else {
      for (let k = 0; k < n; k++) {
        const d = x[xi + k * xs] - mean[oi + k * os];
        out[oi + k * os] += d * d;
      }
    }
  });
}
