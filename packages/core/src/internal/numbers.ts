/** Scans over plain arrays of floats that more than one package runs on its hot path. */

/** Index of the first NaN or ±Infinity in a[off..off+n), or -1. */
export function firstNonFinite(a: Float32Array | Float64Array, off: number, n: number): number {
  // x * 0 is ±0 for every finite x and NaN otherwise: one branch-free pass
  // answers the common case, and only a bad array is searched again. Four
  // sums, because one waits on the previous add at every element (this pass
  // was a quarter of SGD.step for a 784×128 weight).
  const v = a.subarray(off, off + n);
  let a0 = 0;
  let a1 = 0;
  let a2 = 0;
  let a3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    a0 += v[i]! * 0;
    a1 += v[i + 1]! * 0;
    a2 += v[i + 2]! * 0;
    a3 += v[i + 3]! * 0;
  }
  for (; i < n; i++) a0 += v[i]! * 0;
  if (a0 + a1 + a2 + a3 === 0) return -1;
  for (let j = 0; j < n; j++) if (!Number.isFinite(v[j])) return j;
  return -1;
}
