/**
 * Dense float64 factorizations of one small square matrix at a time, stored
 * row-major and contiguous in a Float64Array at an offset: LU with partial
 * pivoting, Cholesky, and triangular solves. The linalg ops
 * (ops/linalg-extra.ts) loop over batches and call these.
 */

/**
 * Factors the n × n matrix at `a[off]` in place as P·A = L·U (L unit lower,
 * stored below the diagonal; U on and above it), writing the row taken at
 * each step to `perm`. Returns the permutation's sign (±1), or 0 if a pivot
 * was exactly zero (the matrix is singular; the factorization is still
 * completed, as LAPACK's getrf does, so the determinant comes out 0).
 *
 * NOTE: the pivot is the first entry of largest magnitude in its column, as
 * LAPACK's idamax picks it, so ties break as PyTorch's do.
 */
export function luFactor(a: Float64Array, off: number, n: number, perm: Int32Array): number {
  let sign = 1;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(a[off + k * n + k] as number);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(a[off + i * n + k] as number);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    perm[k] = p;
    if (p !== k) {
      sign = -sign;
      const rk = off + k * n;
      const rp = off + p * n;
      for (let j = 0; j < n; j++) {
        const t = a[rk + j] as number;
        a[rk + j] = a[rp + j] as number;
        a[rp + j] = t;
      }
    }
    const pivot = a[off + k * n + k] as number;
    if (pivot === 0) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const ri = off + i * n;
      const l = (a[ri + k] as number) / pivot;
      a[ri + k] = l;
      if (l === 0) continue;
      const rk = off + k * n;
      for (let j = k + 1; j < n; j++) a[ri + j] = (a[ri + j] as number) - l * (a[rk + j] as number);
    }
  }
  return singular ? 0 : sign;
}

/** The index of the first zero on U's diagonal after {@link luFactor}, or -1. */
export function firstZeroPivot(lu: Float64Array, off: number, n: number): number {
  for (let k = 0; k < n; k++) if (lu[off + k * n + k] === 0) return k;
  return -1;
}

/**
 * Solves A·X = B for the n × m right-hand sides at `b[boff]` (row-major,
 * overwritten by X), given A's factors from {@link luFactor}.
 */
export function luSolve(
  lu: Float64Array,
  off: number,
  n: number,
  perm: Int32Array,
  b: Float64Array,
  boff: number,
  m: number,
): void {
  for (let k = 0; k < n; k++) {
    const p = perm[k] as number;
    if (p === k) continue;
    for (let j = 0; j < m; j++) {
      const t = b[boff + k * m + j] as number;
      b[boff + k * m + j] = b[boff + p * m + j] as number;
      b[boff + p * m + j] = t;
    }
  }
  triangularSolve(lu, off, n, b, boff, m, false, true);
  triangularSolve(lu, off, n, b, boff, m, true, false);
}

/**
 * Solves T·X = B in place for the n × m right-hand sides at `b[boff]`,
 * where T is the lower (or `upper`) triangle of the n × n matrix at
 * `t[off]`, with ones assumed on its diagonal when `unit`. The other
 * triangle is never read.
 */
export function triangularSolve(
  t: Float64Array,
  off: number,
  n: number,
  b: Float64Array,
  boff: number,
  m: number,
  upper: boolean,
  unit: boolean,
): void {
  for (let s = 0; s < n; s++) {
    const i = upper ? n - 1 - s : s;
    const ri = off + i * n;
    const from = upper ? i + 1 : 0;
    const to = upper ? n : i;
    const d = unit ? 1 : (t[ri + i] as number);
    for (let j = 0; j < m; j++) {
      let acc = b[boff + i * m + j] as number;
      for (let k = from; k < to; k++) acc -= (t[ri + k] as number) * (b[boff + k * m + j] as number);
      b[boff + i * m + j] = acc / d;
    }
  }
}

/**
 * Overwrites the lower triangle of the n × n matrix at `a[off]` with its
 * Cholesky factor L (A = L·Lᵀ, reading only A's lower triangle) and zeroes
 * the upper. Returns -1, or the order k (1-based) of the first leading minor
 * that is not positive-definite.
 */
export function choleskyFactor(a: Float64Array, off: number, n: number): number {
  for (let j = 0; j < n; j++) {
    const rj = off + j * n;
    let d = a[rj + j] as number;
    for (let k = 0; k < j; k++) d -= (a[rj + k] as number) ** 2;
    // NaN fails too: `!(d > 0)`.
    if (!(d > 0)) return j + 1;
    const l = Math.sqrt(d);
    a[rj + j] = l;
    for (let i = j + 1; i < n; i++) {
      const ri = off + i * n;
      let s = a[ri + j] as number;
      for (let k = 0; k < j; k++) s -= (a[ri + k] as number) * (a[rj + k] as number);
      a[ri + j] = s / l;
    }
    for (let k = j + 1; k < n; k++) a[rj + k] = 0;
  }
  return -1;
}

/**
 * The QR factorization of the m × n matrix at `a[off]` (row-major) by
 * Householder reflections, k = min(m, n): writes Q (m × c, orthonormal
 * columns) to `q[qoff]` and R (c × n, upper triangular) to `r[roff]`, with
 * c = k for the reduced factorization and c = m for the complete one (its
 * rows past k are zero). `a` is overwritten.
 *
 * NOTE: each reflection maps its column to β e₁ with β = -sign(α)·‖x‖ (α
 * the diagonal entry), and a column already zero below the diagonal is not
 * reflected, as LAPACK's dlarfg: R's diagonal signs are PyTorch's.
 */
export function householderQr(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  q: Float64Array,
  qoff: number,
  r: Float64Array,
  roff: number,
  c: number = Math.min(m, n),
): void {
  const k = Math.min(m, n);
  const vs = new Float64Array(k * m);
  const taus = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = a[off + j * n + j] as number;
    let xnorm = 0;
    for (let i = j + 1; i < m; i++) xnorm = Math.hypot(xnorm, a[off + i * n + j] as number);
    const v = j * m;
    vs[v + j] = 1;
    if (xnorm === 0) continue;
    const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
    taus[j] = (beta - alpha) / beta;
    for (let i = j + 1; i < m; i++) vs[v + i] = (a[off + i * n + j] as number) / (alpha - beta);
    // A ← (I - τ v vᵀ) A on columns j..n-1.
    for (let c = j; c < n; c++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += (vs[v + i] as number) * (a[off + i * n + c] as number);
      const s = (taus[j] as number) * dot;
      for (let i = j; i < m; i++) a[off + i * n + c] = (a[off + i * n + c] as number) - s * (vs[v + i] as number);
    }
  }
  for (let i = 0; i < c; i++)
    for (let col = 0; col < n; col++) r[roff + i * n + col] = i < k && col >= i ? (a[off + i * n + col] as number) : 0;
  // Q = H₀ H₁ … H_{k-1} applied to the first c columns of I, right to left.
  for (let i = 0; i < m; i++) for (let col = 0; col < c; col++) q[qoff + i * c + col] = i === col ? 1 : 0;
  for (let j = k - 1; j >= 0; j--) {
    const tau = taus[j] as number;
    if (tau === 0) continue;
    const v = j * m;
    for (let col = 0; col < c; col++) {
      let dot = 0;
      for (let i = j; i < m; i++) dot += (vs[v + i] as number) * (q[qoff + i * c + col] as number);
      const s = tau * dot;
      for (let i = j; i < m; i++) q[qoff + i * c + col] = (q[qoff + i * c + col] as number) - s * (vs[v + i] as number);
    }
  }
}

/**
 * Eigenvalues (ascending, to `w[woff]`) and orthonormal eigenvectors (the
 * columns of the n × n `v[voff]`) of the symmetric matrix whose lower
 * triangle is at `a[off]`, by cyclic Jacobi rotations (Golub and Van Loan,
 * Algorithm 8.5.3): slower than LAPACK's tridiagonal methods but accurate to
 * a few ulp of ‖A‖ for the small matrices this library factors. `a` is
 * overwritten.
 */
export function jacobiEigh(
  a: Float64Array,
  off: number,
  n: number,
  w: Float64Array,
  woff: number,
  v: Float64Array,
  voff: number,
): void {
  const at = (i: number, j: number) => off + i * n + j;
  let norm2 = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) a[at(j, i)] = a[at(i, j)] as number;
    for (let j = 0; j < n; j++) norm2 += (a[at(i, j)] as number) ** 2;
  }
  const vec = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vec[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let offDiag = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) offDiag += 2 * (a[at(i, j)] as number) ** 2;
    // Quadratic convergence: once the off-diagonal part is below ε² ‖A‖², one more sweep changes nothing.
    if (!(offDiag > 1e-34 * norm2)) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[at(p, q)] as number;
        if (apq === 0) continue;
        const tau = ((a[at(q, q)] as number) - (a[at(p, p)] as number)) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // A ← Jᵀ A J with J the rotation [[c, s], [-s, c]] in the (p, q) plane; V ← V J.
        for (let k = 0; k < n; k++) {
          const kp = a[at(k, p)] as number;
          const kq = a[at(k, q)] as number;
          a[at(k, p)] = c * kp - s * kq;
          a[at(k, q)] = s * kp + c * kq;
          const vp = vec[k * n + p] as number;
          const vq = vec[k * n + q] as number;
          vec[k * n + p] = c * vp - s * vq;
          vec[k * n + q] = s * vp + c * vq;
        }
        for (let k = 0; k < n; k++) {
          const pk = a[at(p, k)] as number;
          const qk = a[at(q, k)] as number;
          a[at(p, k)] = c * pk - s * qk;
          a[at(q, k)] = s * pk + c * qk;
        }
        a[at(p, q)] = 0;
        a[at(q, p)] = 0;
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => (a[at(i, i)] as number) - (a[at(j, j)] as number),
  );
  order.forEach((src, dst) => {
    w[woff + dst] = a[at(src, src)] as number;
    for (let k = 0; k < n; k++) v[voff + k * n + dst] = vec[k * n + src] as number;
  });
}

/**
 * The reduced SVD of the m × n matrix at `a[off]` for m ≥ n by one-sided
 * Jacobi rotations (Hestenes; Demmel and Veselić): the columns of A are
 * rotated until orthogonal, their norms being the singular values
 * (descending, to `s[soff]`), the normalized columns U (m × n, `u[uoff]`)
 * and the accumulated rotations V (n × n, `v[voff]`, not transposed).
 * Accurate to a few ulp relative to each singular value's size. `a` is
 * overwritten.
 *
 * NOTE: the column of U for a zero singular value is left zero (LAPACK
 * completes it to an orthonormal basis); nothing differentiable reads it.
 */
export function jacobiSvd(
  a: Float64Array,
  off: number,
  m: number,
  n: number,
  s: Float64Array,
  soff: number,
  u: Float64Array,
  uoff: number,
  v: Float64Array,
  voff: number,
): void {
  const vec = new Float64Array(n * n);
  for (let i = 0; i < n; i++) vec[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = a[off + i * n + p] as number;
          const y = a[off + i * n + q] as number;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (!(Math.abs(gamma) > 1e-17 * Math.sqrt(alpha * beta))) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const sn = c * t;
        for (let i = 0; i < m; i++) {
          const x = a[off + i * n + p] as number;
          const y = a[off + i * n + q] as number;
          a[off + i * n + p] = c * x - sn * y;
          a[off + i * n + q] = sn * x + c * y;
        }
        for (let i = 0; i < n; i++) {
          const x = vec[i * n + p] as number;
          const y = vec[i * n + q] as number;
          vec[i * n + p] = c * x - sn * y;
          vec[i * n + q] = sn * x + c * y;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let acc = 0;
    for (let i = 0; i < m; i++) acc = Math.hypot(acc, a[off + i * n + j] as number);
    return acc;
  });
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => (norms[j] as number) - (norms[i] as number));
  order.forEach((src, dst) => {
    const sigma = norms[src] as number;
    s[soff + dst] = sigma;
    for (let i = 0; i < m; i++) u[uoff + i * n + dst] = sigma === 0 ? 0 : (a[off + i * n + src] as number) / sigma;
    for (let i = 0; i < n; i++) v[voff + i * n + dst] = vec[i * n + src] as number;
  });
}
