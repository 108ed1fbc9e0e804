/**
 * Row kernels of the rounding ops (ops/rounding.ts). Rounding an integer-valued
 * float gives it back, ±0 and ±Infinity included, and NaN stays NaN.
 */
import type { UnaryRow } from './unary';

export const floor: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.floor(x[xi + k * xs] as number);
};

export const ceil: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.ceil(x[xi + k * xs] as number);
};

export const trunc: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.trunc(x[xi + k * xs] as number);
};

// NOTE: x - trunc(x) is exact in floating point; frac(±Infinity) = NaN, as in PyTorch.
export const frac: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs] as number;
    o[oi + k] = v - Math.trunc(v);
  }
};

/**
 * The integer nearest v, ties to even (IEEE roundTiesToEven, C's nearbyint).
 * Math.round sends ties up; one step back fixes the odd ones. Keeps the sign
 * of zero: nearestEven(-0.5) = -0.
 */
export function nearestEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** 10^|d| correctly rounded (the string parse is; repeated products and `**` need not be). */
function powerOfTen(d: number): number {
  return Number(`1e${Math.abs(d)}`);
}

/**
 * Rounds to `decimals` decimal places, ties to even, as PyTorch's
 * round(x, decimals=d): nearbyint(x·10^d)/10^d, or nearbyint(x/10^-d)·10^-d
 * for d < 0, each step rounded in the output's precision (float32 arithmetic
 * for float32 outputs, as PyTorch computes float32 in float). NOTE: where
 * x·10^d overflows PyTorch returns Infinity (or NaN); such an x has no digits
 * after the point at that scale, so it is returned unchanged here. Rounding to
 * a power of ten beyond the range (d < -308) gives ±0 here, NaN in PyTorch.
 */
export const roundDecimals: UnaryRow = (x, xi, xs, o, oi, n, decimals) => {
  if (decimals === 0) {
    for (let k = 0; k < n; k++) o[oi + k] = nearestEven(x[xi + k * xs] as number);
    return;
  }
  const single = o instanceof Float32Array;
  const narrow = single ? Math.fround : (v: number) => v;
  const p = narrow(powerOfTen(decimals));
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs] as number;
    if (decimals > 0) {
      const scaled = narrow(v * p);
      o[oi + k] = Number.isFinite(scaled) || !Number.isFinite(v) ? narrow(nearestEven(scaled) / p) : v;
    } else {
      const r = nearestEven(narrow(v / p));
      o[oi + k] = r === 0 ? r : narrow(r * p);
    }
  }
};
