/** Row kernels of the in-place updates: `t[ti + k*ts] op= v[vi + k*vs]`. */
import type { NumArray } from './arrays';

export type InPlaceRow = (t: NumArray, ti: number, ts: number, v: NumArray, vi: number, vs: number, n: number, alpha: number) => void;

export const addScaled: InPlaceRow = (t, ti, ts, v, vi, vs, n, alpha) => {
  for (let k = 0; k < n; k++) t[ti + k * ts] += alpha * v[vi + k * vs];
};

export const mulBy: InPlaceRow = (t, ti, ts, v, vi, vs, n) => {
  for (let k = 0; k < n; k++) t[ti + k * ts] *= v[vi + k * vs];
};

export const assign: InPlaceRow = (t, ti, ts, v, vi, vs, n) => {
  for (let k = 0; k < n; k++) t[ti + k * ts] = v[vi + k * vs];
};
