/** Row kernels of the in-place updates: `t[ti + k*ts] op= v[vi + k*vs]`. */
import type { NumArray } from './arrays';
import { activeBackend } from './backend-choice';
import { wasmAddScaled } from './wasm';

/** From this many contiguous float32 elements, addScaled runs in WebAssembly (the copies in and out cost less than they save). */
const simdFrom = 1024;

export type InPlaceRow = (
  t: NumArray,
  ti: number,
  ts: number,
  v: NumArray,
  vi: number,
  vs: number,
  n: number,
  alpha: number,
) => void;

export const addScaled: InPlaceRow = (t, ti, ts, v, vi, vs, n, alpha) => {
  if (
    n >= simdFrom &&
    ts === 1 &&
    vs === 1 &&
    t instanceof Float32Array &&
    v instanceof Float32Array &&
    activeBackend() === 'wasm'
  ) {
    if (wasmAddScaled(t, ti, v, vi, n, alpha)) return;
  }
  for (let k = 0; k < n; k++) t[ti + k * ts] += alpha * v[vi + k * vs];
};

export const mulBy: InPlaceRow = (t, ti, ts, v, vi, vs, n) => {
  for (let k = 0; k < n; k++) t[ti + k * ts] *= v[vi + k * vs];
};

export const assign: InPlaceRow = (t, ti, ts, v, vi, vs, n) => {
  for (let k = 0; k < n; k++) t[ti + k * ts] = v[vi + k * vs];
};
