/**
 * Row kernels of the elementwise binary ops:
 * `o[oi + k] = f(a[ai + k*as], b[bi + k*bs])` for k < n. A stride of 0 reads a
 * broadcast operand. One explicit loop per op, as in unary.ts.
 */
import type { NumArray } from './arrays';

export type BinaryRow = (
  a: NumArray,
  ai: number,
  as: number,
  b: NumArray,
  bi: number,
  bs: number,
  o: NumArray,
  oi: number,
  n: number,
) => void;

export const add: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] + b[bi + k * bs];
};

export const sub: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] - b[bi + k * bs];
};

export const mul: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] * b[bi + k * bs];
};

export const div: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] / b[bi + k * bs];
};

export const pow: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] ** b[bi + k * bs];
};

export const maximum: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    // NaN in either operand propagates, as in PyTorch.
    o[oi + k] = x > y || x !== x ? x : y;
  }
};

export const minimum: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    o[oi + k] = x < y || x !== x ? x : y;
  }
};

export const eq: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] === b[bi + k * bs] ? 1 : 0;
};

export const ne: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] !== b[bi + k * bs] ? 1 : 0;
};

export const gt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] > b[bi + k * bs] ? 1 : 0;
};

export const ge: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] >= b[bi + k * bs] ? 1 : 0;
};

export const lt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] < b[bi + k * bs] ? 1 : 0;
};

export const le: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] <= b[bi + k * bs] ? 1 : 0;
};

/** `o = c ? a : b` for a boolean row `c`. */
export function whereRow(
  c: NumArray,
  ci: number,
  cs: number,
  a: NumArray,
  ai: number,
  as: number,
  b: NumArray,
  bi: number,
  bs: number,
  o: NumArray,
  oi: number,
  n: number,
): void {
  for (let k = 0; k < n; k++) o[oi + k] = c[ci + k * cs] !== 0 ? a[ai + k * as] : b[bi + k * bs];
}

export const logicalAnd: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] !== 0 && b[bi + k * bs] !== 0 ? 1 : 0;
};

export const logicalOr: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] !== 0 || b[bi + k * bs] !== 0 ? 1 : 0;
};

/** sigmoid's backward in one pass: o = g · s · (1 - s), with s the saved output. */
export const sigmoidGrad: BinaryRow = (g, gi, gs, s, si, ss, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const y = s[si + k * ss];
    o[oi + k] = g[gi + k * gs] * (y * (1 - y));
  }
};

/** tanh's backward in one pass: o = g · (1 - t²), with t the saved output. */
export const tanhGrad: BinaryRow = (g, gi, gs, t, ti, ts, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const y = t[ti + k * ts];
    o[oi + k] = g[gi + k * gs] * (1 - y * y);
  }
};

/** relu's backward in one pass: o = g where the saved input is above 0, else 0 (also for a NaN input). */
export const reluGrad: BinaryRow = (g, gi, gs, x, xi, xs, o, oi, n) => {
  if (gs === 1 && xs === 1) {
    // The usual case (a whole contiguous tensor): no stride arithmetic in the loop.
    for (let k = 0; k < n; k++) o[oi + k] = x[xi + k] > 0 ? g[gi + k] : 0;
    return;
  }
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs] > 0 ? g[gi + k * gs] : 0;
};
