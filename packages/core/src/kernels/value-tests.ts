/**
 * Row kernels of the value tests (isnan, isinf, ..., isclose: 1 or 0 into a
 * bool output) and of nanToNum. Integer and bool inputs are never NaN or
 * infinite, which these loops get for free from the stored values.
 */
import type { BinaryRow } from './binary';
import type { UnaryRow } from './unary';

export const isnan: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v !== v ? 1 : 0;
  }
};

export const isinf: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v === Infinity || v === -Infinity ? 1 : 0;
  }
};

export const isfinite: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    // v - v is 0 for finite v, NaN for ±Infinity and NaN.
    o[oi + k] = v - v === 0 ? 1 : 0;
  }
};

export const isposinf: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs] === Infinity ? 1 : 0;
};

export const isneginf: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs] === -Infinity ? 1 : 0;
};

/** NaN, +Infinity and -Infinity replaced by the three given numbers; everything else copied. */
export function nanToNum(nan: number, posinf: number, neginf: number): UnaryRow {
  return (x, xi, xs, o, oi, n) => {
    for (let k = 0; k < n; k++) {
      const v = x[xi + k * xs];
      o[oi + k] = v !== v ? nan : v === Infinity ? posinf : v === -Infinity ? neginf : v;
    }
  };
}

/**
 * |a - b| ≤ atol + rtol·|b|, or a == b (equal infinities), or both NaN with
 * `equalNan`. With `float32`, each step is rounded to float32 as PyTorch
 * computes it for float32 tensors (the tolerances too: 1e-8 is not a float32),
 * so the boundary falls where PyTorch's does.
 */
export function isclose(rtol: number, atol: number, equalNan: boolean, float32: boolean): BinaryRow {
  const exactOnly = rtol === 0 && atol === 0;
  const round = float32 ? Math.fround : (v: number) => v;
  const r = round(rtol);
  const t = round(atol);
  return (a, ai, as, b, bi, bs, o, oi, n) => {
    for (let k = 0; k < n; k++) {
      const x = a[ai + k * as];
      const y = b[bi + k * bs];
      let close = x === y || (equalNan && x !== x && y !== y);
      if (!close && !exactOnly) {
        const actual = Math.abs(round(x - y));
        // actual is NaN or Infinity where either side is: those are close only when equal.
        close = actual - actual === 0 && actual <= round(t + Math.abs(round(r * y)));
      }
      o[oi + k] = close ? 1 : 0;
    }
  };
}
