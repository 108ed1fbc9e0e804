/**
 * Row kernels of the elementwise unary ops: `o[oi + k] = f(x[xi + k*xs])`
 * for k < n. One explicit loop per op (no per-element callback), so each loop
 * is compiled for its own arithmetic. `p` and `q` carry an op's scalar
 * parameters (leakyRelu's slope, clamp's bounds).
 */
import type { NumArray } from './arrays';
import { erfRow } from './special';
import * as activations from './activations';
import type { WasmElementwise } from './wasm';

export type UnaryRow = (
  x: NumArray,
  xi: number,
  xs: number,
  o: NumArray,
  oi: number,
  n: number,
  p: number,
  q: number,
) => void;

export const copy: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs];
};

export const neg: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = -x[xi + k * xs];
};

export const exp: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.exp(x[xi + k * xs]);
};

export const log: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.log(x[xi + k * xs]);
};

// NOTE: Math.log1p keeps its accuracy for |x| near 0, where log(1 + x) loses it to rounding 1 + x.
export const log1p: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.log1p(x[xi + k * xs]);
};

export const sqrt: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.sqrt(x[xi + k * xs]);
};

export const abs: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.abs(x[xi + k * xs]);
};

export const sign: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.sign(x[xi + k * xs]);
};

export const sin: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.sin(x[xi + k * xs]);
};

export const cos: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.cos(x[xi + k * xs]);
};

export const tanh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.tanh(x[xi + k * xs]);
};

export const sigmoid: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    // e^-v overflows for very negative v; e^v / (1 + e^v) does not.
    if (v >= 0) {
      o[oi + k] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      o[oi + k] = e / (1 + e);
    }
  }
};

export const relu: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v > 0 ? v : v !== v ? v : 0;
  }
};

export const leakyRelu: UnaryRow = (x, xi, xs, o, oi, n, slope) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v > 0 ? v : v * slope;
  }
};

export const softplus: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    // log(1 + e^v) = max(v, 0) + log1p(e^-|v|): no overflow at either end.
    o[oi + k] = (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
  }
};

export const square: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v * v;
  }
};

export const reciprocal: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = 1 / x[xi + k * xs];
};

export const clamp: UnaryRow = (x, xi, xs, o, oi, n, lo, hi) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs];
    o[oi + k] = v < lo ? lo : v > hi ? hi : v;
  }
};

export const logicalNot: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs] === 0 ? 1 : 0;
};

/**
 * Row kernels that have a WebAssembly SIMD twin for contiguous float32 data
 * (wasm.ts), and its name. Those twins are within a few float32 ulps of the
 * loops above, which the tests check.
 */
export const simdTwins = new Map<UnaryRow, WasmElementwise>([
  [exp, 'expf32'],
  [sigmoid, 'sigmoidf32'],
  [tanh, 'tanhf32'],
  // Special functions (kernels/special.ts): erf, for exact GELU.
  [erfRow, 'erff32'],
  // Activation functions (activations.ts; their twins in asm/activations.ts).
  [activations.silu, 'siluf32'],
  [activations.geluTanh, 'geluTanhf32'],
  [activations.gelu, 'geluf32'],
]);
