/**
 * The `linalg` namespace: PyTorch's `torch.linalg` functions on float64
 * kernels (kernels/lu.ts), batched over leading axes. The factorizing ops
 * (det, slogdet, inv, solve, cholesky, solveTriangular) are OpDefs whose
 * backward rules are written with these same functions and matmul, so they
 * are differentiable again; the norms and matrixPower are compositions of
 * differentiable ops.
 */
import { ArgumentError, ChainruleError, LinAlgError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { badOptionMessage, booleanOption, optionsObject, valueOr, type OptionKeys } from '../internal/options';
import {
  choleskyFactor,
  firstZeroPivot,
  householderQr,
  jacobiEigh,
  jacobiSvd,
  luFactor,
  luSolve,
  triangularSolve,
} from '../kernels/lu';
import { allocate, isFloat, type FloatDType } from '../tensor/dtype';
import { broadcastShapes, formatShape, normalizeAxis, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, floatDTypeOf, type Binary, type OpDef, type TensorLike, type Unary } from './define';
import { add, div, mul, sub } from './binary';
import { matmul } from './linalg';
import { amax, amin, norm, prod } from './reductions';
import { sum, type AxisArg } from './reduce';
import { concat, contiguous, expand, permute, reshape, slice, squeeze, transpose, unsqueeze } from './shape';
import { abs, neg } from './unary';
import { diagEmbed, diagonal, tril, triu } from './triangular';
import { gt, where } from './compare';

// ---------------------------------------------------------------- helpers

/** `x` as a batch of square matrices [..., n, n], or a ShapeError naming `op`. */
function squareInput(op: string, x: unknown, what = 'the input'): Tensor {
  const t = asTensor(op, x, 'float32', what);
  const n = t._shape[t.ndim - 1];
  if (t.ndim < 2 || t._shape[t.ndim - 2] !== n) {
    throw new ShapeError(
      op,
      `${what} must be a square matrix or a batch of them [..., n, n], got shape ${formatShape(t._shape)}`,
    );
  }
  return t;
}

/** The elements of `t` as a new contiguous Float64Array, in row-major order. */
function float64Copy(t: Tensor): Float64Array {
  const c = contiguous(t.detach());
  const src = c.storage.data;
  const out = new Float64Array(t.size);
  for (let i = 0; i < out.length; i++) out[i] = Number(src[c.offset + i]);
  return out;
}

/** A tensor of `shape` and `dtype` holding float64 `values` (rounded for float32). */
function fromValues(values: Float64Array, shape: Shape, dtype: FloatDType): Tensor {
  if (dtype === 'float64') return Tensor.fromData(values, shape, dtype);
  const out = allocate(dtype, values.length);
  out.set(values);
  return Tensor.fromData(out, shape, dtype);
}

const batchOf = (t: Tensor): number => sizeOf(t._shape.slice(0, -2));
const batchIndex = (shape: Shape, b: number): string => {
  const idx: number[] = [];
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i] as number;
    idx.unshift(b % n);
    b = Math.floor(b / n);
  }
  return idx.length === 0 ? '' : ` (batch element [${idx.join(', ')}])`;
};

function singularError(op: string, t: Tensor, b: number, pivot: number): ChainruleError {
  return new LinAlgError(
    op,
    `the matrix is singular${batchIndex(t._shape.slice(0, -2), b)}: pivot ${pivot} of its LU factorization is exactly zero, so it has no inverse (linalg.pinv gives a pseudo-inverse)`,
  );
}

/** The float dtype a result of `ts` takes: float64 if any is, else float32. */
function resultDType(...ts: Tensor[]): FloatDType {
  return ts.some((t) => t.dtype === 'float64') ? 'float64' : floatDTypeOf(ts[0] as Tensor);
}

/** The k × k identity as a bool mask. */
function eyeMask(k: number): Tensor {
  const data = allocate('bool', k * k);
  for (let i = 0; i < k; i++) data[i * k + i] = 1;
  return Tensor.fromData(data, [k, k], 'bool');
}

/** Each matrix transposed (the last two axes swapped), as a view. */
const mT = (x: Tensor): Tensor => transpose(x, -2, -1);

/** g of a per-matrix scalar, [...batch], as [...batch, 1, 1] to scale matrices. */
const asScale = (g: Tensor): Tensor => unsqueeze(unsqueeze(g, -1), -1);

/** The inverse transposed, A⁻ᵀ, with the gradients of any order det and logabsdet need. */
const invT = (a: Tensor): Tensor => mT(inv(a));

// ---------------------------------------------------------------- det, slogdet

/** det, sign and log|det| of every matrix of `t`, from one LU factorization each. */
function determinants(t: Tensor): { det: Float64Array; sign: Float64Array; logabs: Float64Array } {
  const n = t._shape[t.ndim - 1] as number;
  const batch = batchOf(t);
  const a = float64Copy(t);
  const perm = new Int32Array(n);
  const det = new Float64Array(batch);
  const sign = new Float64Array(batch);
  const logabs = new Float64Array(batch);
  for (let b = 0; b < batch; b++) {
    const off = b * n * n;
    let s = luFactor(a, off, n, perm);
    let d = s;
    let l = 0;
    for (let k = 0; k < n; k++) {
      const u = a[off + k * n + k] as number;
      d *= u;
      l += Math.log(Math.abs(u));
      if (u < 0) s = -s;
    }
    det[b] = d;
    // NOTE: a singular matrix has sign 0 and log|det| = -Infinity, as PyTorch's slogdet.
    sign[b] = s;
    logabs[b] = s === 0 ? -Infinity : l;
  }
  return { det, sign, logabs };
}

const detDef: OpDef<Unary, undefined, Binary> = {
  name: 'linalg.det',
  forward([x], _p, ctx) {
    const out = fromValues(determinants(x).det, x._shape.slice(0, -2), floatDTypeOf(x));
    ctx.save(x, out);
    return out;
  },
  // d det(A) = tr(adj(A) dA), so dA = g adj(A)ᵀ = g det(A) A⁻ᵀ where A is invertible.
  // NOTE: as PyTorch, a batch holding a singular matrix takes adj(A)ᵀ from the SVD instead:
  // adj(A)ᵀ = det(U) det(Vh) · U diag(∏_{j≠i} σ_j) Vh, finite where A⁻¹ is not.
  backward: (g, { saved: [x, out] }) => {
    if (!float64Copy(out).some((d) => d === 0)) return [mul(asScale(mul(g, out)), invT(x))];
    const { U, S, Vh } = svd(x, { fullMatrices: false });
    const k = S._shape[S.ndim - 1] as number;
    const others = where(eyeMask(k), 1, unsqueeze(S, -2));
    const signs = mul(det(U.detach()), det(Vh.detach()));
    const adjT = matmul(mul(U, unsqueeze(prod(others, -1), -2)), Vh);
    return [mul(asScale(mul(g, signs)), adjT)];
  },
};

/** The params of logabsdet: the caller's array the forward writes each matrix's sign into. */
interface SignSink {
  sign: Float64Array | null;
}

const logabsdetDef: OpDef<Unary, SignSink, Unary> = {
  name: 'linalg.slogdet',
  forward([x], sink, ctx) {
    const { sign, logabs } = determinants(x);
    sink.sign = sign;
    ctx.save(x);
    return fromValues(logabs, x._shape.slice(0, -2), floatDTypeOf(x));
  },
  // d log|det A| = tr(A⁻¹ dA), so dA = g A⁻ᵀ.
  backward: (g, { saved: [x] }) => [mul(asScale(g), invT(x))],
};

/**
 * The determinant of each matrix of `a` [..., n, n] (1 for 0 × 0), by LU
 * factorization with partial pivoting in float64. An exactly singular
 * matrix gives 0. Differentiable (d det = det · A⁻ᵀ) away from singular
 * matrices. PyTorch's `torch.linalg.det`.
 *
 * @example
 * linalg.det(tensor([[1, 2], [3, 4]])); // -2
 */
export function det(a: TensorLike): Tensor {
  return apply(detDef, [squareInput('linalg.det', a, 'A')], undefined);
}

/**
 * The sign (±1, or 0 for a singular matrix) and the natural log of the
 * absolute value of each determinant (-Infinity when singular): det = sign
 * · exp(logabsdet) without overflow for large matrices. logabsdet is
 * differentiable (d = A⁻ᵀ); sign is a constant. PyTorch's
 * `torch.linalg.slogdet`.
 *
 * @example
 * const { sign, logabsdet } = linalg.slogdet(tensor([[1, 2], [3, 4]])); // -1, log 2
 */
export function slogdet(a: TensorLike): { sign: Tensor; logabsdet: Tensor } {
  const t = squareInput('linalg.slogdet', a, 'A');
  const sink: SignSink = { sign: null };
  const logabsdet = apply(logabsdetDef, [t], sink);
  const sign = fromValues(sink.sign as Float64Array, t._shape.slice(0, -2), floatDTypeOf(t));
  return { sign, logabsdet };
}

// ---------------------------------------------------------------- inv, solve

/** X with A·X = B for each matrix pair: a [batch, n, n], b [batch, n, m] (same batch). */
function luSolveAll(op: string, a: Tensor, b: Tensor, dtype: FloatDType): Tensor {
  const n = a._shape[a.ndim - 1] as number;
  const m = b._shape[b.ndim - 1] as number;
  const batch = batchOf(a);
  const lu = float64Copy(a);
  const x = float64Copy(b);
  const perm = new Int32Array(n);
  for (let i = 0; i < batch; i++) {
    const off = i * n * n;
    luFactor(lu, off, n, perm);
    const zero = firstZeroPivot(lu, off, n);
    if (zero >= 0) throw singularError(op, a, i, zero);
    luSolve(lu, off, n, perm, x, i * n * m, m);
  }
  return fromValues(x, b._shape, dtype);
}

const invDef: OpDef<Unary, undefined, Unary> = {
  name: 'linalg.inv',
  forward([x], _p, ctx) {
    const n = x._shape[x.ndim - 1] as number;
    const eye = new Float64Array(batchOf(x) * n * n);
    for (let i = 0; i < eye.length; i += n * n) for (let k = 0; k < n; k++) eye[i + k * n + k] = 1;
    const out = luSolveAll('linalg.inv', x, Tensor.fromData(eye, x._shape, 'float64'), floatDTypeOf(x));
    ctx.save(out);
    return out;
  },
  // d(A⁻¹) = -A⁻¹ dA A⁻¹, so dA = -A⁻ᵀ g A⁻ᵀ.
  backward: (g, { saved: [out] }) => {
    const xt = mT(out);
    return [neg(matmul(matmul(xt, g), xt))];
  },
};

/**
 * The inverse of each matrix of `a` [..., n, n], by LU factorization with
 * partial pivoting in float64.
 *
 * NOTE: as PyTorch, a matrix whose LU factorization meets an exactly zero
 * pivot is singular and refused (a LinAlgError naming the batch element);
 * a nearly singular one is inverted, however large the result.
 *
 * @example
 * linalg.inv(tensor([[2, 0], [0, 4]])); // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: TensorLike): Tensor {
  return apply(invDef, [squareInput('linalg.inv', a, 'A')], undefined);
}

const solveDef: OpDef<Binary, undefined, Binary> = {
  name: 'linalg.solve',
  forward([a, b], _p, ctx) {
    const out = luSolveAll('linalg.solve', a, b, resultDType(a, b));
    ctx.save(a, out);
    return out;
  },
  // A X = B: dB = A⁻ᵀ g (a solve with Aᵀ), dA = -dB Xᵀ.
  backward: (g, { saved: [a, x], needs }) => {
    const gb = solve(mT(a), g);
    return [needs[0] ? neg(matmul(gb, mT(x))) : null, gb];
  },
};

/**
 * X with A·X = B for A [..., n, n] and B [..., n, k] — or B [..., n], a
 * vector per matrix, when B is 1-D or has A's shape without its last axis
 * (PyTorch's rule) — batch axes broadcasting. By LU factorization with
 * partial pivoting in float64; an exactly singular A is refused, as
 * PyTorch's `torch.linalg.solve`.
 *
 * @example
 * linalg.solve(tensor([[2, 0], [0, 4]]), tensor([2, 2])); // [1, 0.5]
 */
export function solve(a: TensorLike, b: TensorLike): Tensor {
  const op = 'linalg.solve';
  const ta = squareInput(op, a, 'A');
  const tb = asTensor(op, b, floatDTypeOf(ta), 'B');
  const n = ta._shape[ta.ndim - 1] as number;
  const vector = tb.ndim === 1 || (tb.ndim === ta.ndim - 1 && tb._shape.every((s, i) => s === ta._shape[i]));
  if (tb.ndim < 1 || tb._shape[vector ? tb.ndim - 1 : tb.ndim - 2] !== n) {
    throw new ShapeError(
      op,
      `B must be [..., n, k] or [..., n] with n = ${n} (A's size), got shapes A ${formatShape(ta._shape)} and B ${formatShape(tb._shape)}`,
    );
  }
  const bm = vector ? unsqueeze(tb, -1) : tb;
  const [ea, eb] = broadcastPair(op, ta, bm);
  const x = apply(solveDef, [ea, eb], undefined);
  return vector ? squeeze(x, -1) : x;
}

/** A [..., n, n] and B [..., n, k] expanded (as views) to their broadcast batch. */
function broadcastPair(op: string, a: Tensor, b: Tensor): [Tensor, Tensor] {
  const batch = broadcastShapes(op, a._shape.slice(0, -2), b._shape.slice(0, -2));
  const grow = (t: Tensor) => {
    const shape = [...batch, ...t._shape.slice(-2)];
    return shape.length === t.ndim && shape.every((s, i) => s === t._shape[i]) ? t : expand(t, shape);
  };
  return [grow(a), grow(b)];
}

// ---------------------------------------------------------------- cholesky, solveTriangular

const choleskyDef: OpDef<Unary, undefined, Unary> = {
  name: 'linalg.cholesky',
  forward([x], _p, ctx) {
    const n = x._shape[x.ndim - 1] as number;
    const a = float64Copy(x);
    for (let b = 0; b < batchOf(x); b++) {
      const k = choleskyFactor(a, b * n * n, n);
      if (k >= 0) {
        throw new LinAlgError(
          'linalg.cholesky',
          `the matrix is not positive-definite${batchIndex(x._shape.slice(0, -2), b)}: its leading minor of order ${k} is not positive (cholesky needs a symmetric positive-definite matrix)`,
        );
      }
    }
    const out = fromValues(a, x._shape, floatDTypeOf(x));
    ctx.save(out);
    return out;
  },
  // With A = L Lᵀ and Φ(X) the lower triangle of X with its diagonal halved:
  // dA = sym(L⁻ᵀ Φ(Lᵀ g) L⁻¹), sym(S) = (S + Sᵀ)/2 (A's symmetric perturbations).
  backward: (g, { saved: [l] }) => {
    const lt = mT(l);
    const m = matmul(lt, g);
    const phi = sub(tril(m), mul(diagEmbed(diagonal(m, { axis1: -2, axis2: -1 })), 0.5));
    const y = solveTriangular(lt, phi, { upper: true });
    const s = solveTriangular(l, y, { upper: false, left: false });
    return [mul(add(s, mT(s)), 0.5)];
  },
};

/** Options of `linalg.cholesky`. */
export interface CholeskyOptions {
  /** Return the upper factor U = Lᵀ (A = Uᵀ U) instead of L (default false). */
  upper?: boolean;
}

const choleskyKeys = { upper: true } as const satisfies OptionKeys<CholeskyOptions>;

/**
 * The lower Cholesky factor L of each symmetric positive-definite matrix
 * (A = L Lᵀ), reading only A's lower triangle, in float64. A matrix that is
 * not positive-definite is refused, naming the first failing leading minor,
 * as PyTorch's `torch.linalg.cholesky`. The gradient is symmetric.
 *
 * @example
 * linalg.cholesky(tensor([[4, 2], [2, 5]])); // [[2, 0], [1, 2]]
 */
export function cholesky(a: TensorLike, options?: CholeskyOptions): Tensor {
  const op = 'linalg.cholesky';
  const t = squareInput(op, a, 'A');
  const o = optionsObject(op, options, choleskyKeys);
  const upper = booleanOption(op, 'upper', o.upper, false);
  const l = apply(choleskyDef, [t], undefined);
  return upper ? mT(l) : l;
}

interface TriangularParams {
  upper: boolean;
  unitriangular: boolean;
}

const triangularSolveDef: OpDef<Binary, TriangularParams, Binary> = {
  name: 'linalg.solveTriangular',
  forward([a, b], { upper, unitriangular }, ctx) {
    const n = a._shape[a.ndim - 1] as number;
    const m = b._shape[b.ndim - 1] as number;
    const t = float64Copy(a);
    const x = float64Copy(b);
    for (let i = 0; i < batchOf(a); i++) triangularSolve(t, i * n * n, n, x, i * n * m, m, upper, unitriangular);
    const out = fromValues(x, b._shape, resultDType(a, b));
    ctx.save(a, out);
    return out;
  },
  // T X = B: dB = T⁻ᵀ g (Tᵀ is triangular the other way), dT = -dB Xᵀ on T's triangle only.
  backward: (g, { saved: [a, x], params: { upper, unitriangular }, needs }) => {
    const gb = solveTriangular(mT(a), g, { upper: !upper, unitriangular });
    if (!needs[0]) return [null, gb];
    const full = neg(matmul(gb, mT(x)));
    const ga = upper ? triu(full, unitriangular ? 1 : 0) : tril(full, unitriangular ? -1 : 0);
    return [ga, gb];
  },
};

/** Options of `linalg.solveTriangular`. */
export interface SolveTriangularOptions {
  /** Whether A is upper triangular (required, as in PyTorch): the other triangle is never read. */
  upper: boolean;
  /** Solve A X = B (true, default) or X A = B (false). */
  left?: boolean;
  /** Take A's diagonal as ones without reading it (default false). */
  unitriangular?: boolean;
}

const solveTriangularKeys = {
  upper: true,
  left: true,
  unitriangular: true,
} as const satisfies OptionKeys<SolveTriangularOptions>;

/**
 * X with A X = B (or X A = B with `left: false`) for triangular A [..., n, n]
 * and B [..., n, k] ([..., k, n] on the right), batch axes broadcasting, by
 * substitution in float64. Only A's `upper` or lower triangle is read.
 *
 * NOTE: a zero on A's diagonal divides by zero (Infinity/NaN), as PyTorch's
 * `torch.linalg.solve_triangular` does; it checks nothing.
 *
 * @example
 * linalg.solveTriangular(tensor([[2, 0], [1, 1]]), tensor([[2], [3]]), { upper: false }); // [[1], [2]]
 */
export function solveTriangular(a: TensorLike, b: TensorLike, options: SolveTriangularOptions): Tensor {
  const op = 'linalg.solveTriangular';
  const ta = squareInput(op, a, 'A');
  const tb = asTensor(op, b, floatDTypeOf(ta), 'B');
  const o = optionsObject(op, options, solveTriangularKeys);
  if (typeof o.upper !== 'boolean') {
    throw new ArgumentError(op, `the option upper (true or false) is required, got ${describeValue(o.upper)}`);
  }
  const left = booleanOption(op, 'left', o.left, true);
  const unitriangular = booleanOption(op, 'unitriangular', o.unitriangular, false);
  const n = ta._shape[ta.ndim - 1] as number;
  if (tb.ndim < 2 || tb._shape[left ? tb.ndim - 2 : tb.ndim - 1] !== n) {
    throw new ShapeError(
      op,
      `B must be ${left ? '[..., n, k]' : '[..., k, n]'} with n = ${n} (A's size), got shapes A ${formatShape(ta._shape)} and B ${formatShape(tb._shape)}`,
    );
  }
  // X A = B is Aᵀ Xᵀ = Bᵀ, with Aᵀ triangular the other way.
  const [ea, eb] = left ? broadcastPair(op, ta, tb) : broadcastPair(op, mT(ta), mT(tb));
  const x = apply(triangularSolveDef, [ea, eb], { upper: left ? o.upper : !o.upper, unitriangular });
  return left ? x : mT(x);
}

// ---------------------------------------------------------------- norms and powers

/** Options of `linalg.vectorNorm`. */
export type VectorNormOrder = number | 'fro';

/**
 * The p-norm of `x` over `axis` (all axes by default), as
 * `torch.linalg.vector_norm`: ord 2 by default, any real, ±Infinity, or 0
 * (the count of non-zeros). Its gradient at 0 is 0 for ord 2.
 *
 * @example
 * linalg.vectorNorm(tensor([3, 4])); // 5
 */
export function vectorNorm(x: TensorLike, ord: VectorNormOrder = 2, axis?: AxisArg, keepDims?: boolean): Tensor {
  return renamed('linalg.vectorNorm', () => norm(x, ord, axis, keepDims));
}

/** Runs `f`, re-throwing its ChainruleErrors under the name `op` (the function the user called). */
function renamed<T>(op: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof ChainruleError)) throw e;
    const Kind = e.constructor as new (op: string, message: string) => ChainruleError;
    throw new Kind(op, e.message.slice(e.op.length + 2));
  }
}

/** The orders `linalg.matrixNorm` accepts. */
export type MatrixNormOrder = 'fro' | 'nuc' | number;

/**
 * A matrix norm of the matrices spanned by `axis` (default the last two):
 * 'fro' (default, √Σ|a|²), 'nuc' (the sum of the singular values), 2 / -2
 * (the largest / smallest singular value), 1 / -1 (the largest / smallest
 * column sum of |a|), Infinity / -Infinity (the largest / smallest row
 * sum), as `torch.linalg.matrix_norm`.
 *
 * @example
 * linalg.matrixNorm(tensor([[1, -2], [3, 4]]), 1); // 6 (column |−2| + |4|)
 */
export function matrixNorm(
  a: TensorLike,
  ord: MatrixNormOrder = 'fro',
  axis: readonly [number, number] = [-2, -1],
  keepDims = false,
): Tensor {
  const op = 'linalg.matrixNorm';
  const t = asTensor(op, a);
  if (t.ndim < 2) throw new ShapeError(op, `expected a matrix or a batch of them, got shape ${formatShape(t._shape)}`);
  if (!Array.isArray(axis) || axis.length !== 2) {
    throw new ArgumentError(op, `axis must be a pair of axes, got ${describeValue(axis)}`);
  }
  const rows = normalizeAxis(op, axis[0], t.ndim);
  const cols = normalizeAxis(op, axis[1], t.ndim);
  if (rows === cols) throw new ArgumentError(op, `axis must name two different axes, got [${axis.join(', ')}]`);
  if (typeof keepDims !== 'boolean') {
    throw new ArgumentError(op, `keepDims must be a boolean, got ${describeValue(keepDims)}`);
  }
  if (ord === 'fro') return norm(t, 2, [rows, cols], keepDims);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    // Functions of the singular values: their sum, the largest, the smallest.
    const others = t._shape.map((_, i) => i).filter((i) => i !== rows && i !== cols);
    const s = svd(permute(t, [...others, rows, cols]), { fullMatrices: false }).S;
    const r = ord === 'nuc' ? sum(s, -1) : ord === 2 ? amax(s, -1) : amin(s, -1);
    if (!keepDims) return r;
    const [first, second] = rows < cols ? [rows, cols] : [cols, rows];
    return unsqueeze(unsqueeze(r, first), second);
  }
  if (ord !== 1 && ord !== -1 && ord !== Infinity && ord !== -Infinity) {
    throw new ArgumentError(
      op,
      `ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got ${describeValue(ord)}`,
    );
  }
  // 1-norms sum over rows then pick a column; ∞-norms sum over columns then pick a row.
  const [inner, outer] = ord === 1 || ord === -1 ? [rows, cols] : [cols, rows];
  const sums = sum(abs(t), inner, true);
  const picked = ord > 0 ? amax(sums, outer, true) : amin(sums, outer, true);
  return keepDims ? picked : squeeze(picked, [rows, cols]);
}

/**
 * The k-th power of each matrix of `a` `[..., n, n]`: the identity for k = 0,
 * repeated squaring for k > 0, and the power of the inverse for k < 0.
 * PyTorch's `torch.linalg.matrix_power`.
 *
 * @example
 * linalg.matrixPower(tensor([[1, 1], [0, 1]]), 3); // [[1, 3], [0, 1]]
 */
export function matrixPower(a: TensorLike, k: number): Tensor {
  const op = 'linalg.matrixPower';
  const t = squareInput(op, a, 'A');
  if (!Number.isInteger(k)) throw new ArgumentError(op, `k must be an integer, got ${describeValue(k)}`);
  if (k === 0) {
    // NOTE: A⁰ = I for every A, as PyTorch: a constant, not connected to A (no gradient, even for Infinity or NaN entries).
    const n = t._shape[t.ndim - 1] as number;
    const dtype = isFloat(t.dtype) ? t.dtype : 'float32';
    const eye = allocate(dtype, t.size);
    for (let i = 0; i < t.size; i += n * n) for (let j = 0; j < n; j++) eye[i + j * n + j] = 1;
    return Tensor.fromData(eye, t._shape, dtype);
  }
  let base = k < 0 ? inv(t) : t;
  let e = Math.abs(k);
  let result: Tensor | null = null;
  for (;;) {
    if (e % 2 === 1) result = result === null ? base : matmul(result, base);
    e = Math.floor(e / 2);
    if (e === 0) return result as Tensor;
    base = matmul(base, base);
  }
}

// ---------------------------------------------------------------- qr

/** The factorizations linalg.qr computes: PyTorch's modes. */
export type QrMode = 'reduced' | 'complete' | 'r';

/** Options of `linalg.qr`. */
export interface QrOptions {
  /**
   * 'reduced' (default): Q [..., m, k], R [..., k, n], k = min(m, n);
   * 'complete': Q [..., m, m], R [..., m, n]; 'r': R alone (Q is an empty
   * tensor), as PyTorch's `mode`.
   */
  mode?: QrMode;
}

const qrKeys = { mode: true } as const satisfies OptionKeys<QrOptions>;
const qrModes: readonly QrMode[] = ['reduced', 'complete', 'r'];

/** Q's column count (and R's row count): k = min(m, n) reduced, m complete. */
const qrColumns = (m: number, n: number, mode: QrMode): number => (mode === 'complete' ? m : Math.min(m, n));

/**
 * Q and R of each matrix packed in one tensor, [..., m·c + c·n] (Q's
 * elements, then R's; c from qrColumns), so that one op carries both and
 * slicing unpacks them.
 */
const qrPackedDef: OpDef<Unary, QrMode, Unary> = {
  name: 'linalg.qr',
  forward([x], mode, ctx) {
    const m = x._shape[x.ndim - 2] as number;
    const n = x._shape[x.ndim - 1] as number;
    const c = qrColumns(m, n, mode);
    const a = float64Copy(x);
    const batch = batchOf(x);
    const per = m * c + c * n;
    const out = new Float64Array(batch * per);
    for (let b = 0; b < batch; b++) householderQr(a, b * m * n, m, n, out, b * per, out, b * per + m * c, c);
    const packed = fromValues(out, [...x._shape.slice(0, -2), per], floatDTypeOf(x));
    ctx.save(packed);
    return packed;
  },
  backward: (g, { saved: [packed], inputShapes: [shape], params: mode }) => {
    const s = shape as Shape;
    const m = s[s.length - 2] as number;
    const n = s[s.length - 1] as number;
    // NOTE: where PyTorch 1.13 has no derivative, neither do we: mode 'r' computes no Q (here it is
    // computed but not returned), and the complete Q of a tall matrix has columns A does not determine.
    if (mode === 'r') {
      throw new ArgumentError(
        'linalg.qr',
        "the gradient depends on Q, which mode 'r' does not return; use mode 'reduced' to differentiate",
      );
    }
    if (mode === 'complete' && m > n) {
      throw new ArgumentError(
        'linalg.qr',
        `mode 'complete' is not differentiable for a tall matrix (${m} × ${n}: Q's last ${m - n} ${m - n === 1 ? 'column is' : 'columns are'} not determined by A); use mode 'reduced'`,
      );
    }
    const c = qrColumns(m, n, mode);
    const [q, r] = unpackQr(packed, m, n, c);
    const [gq, gr] = unpackQr(g, m, n, c);
    if (m >= n) return [squareQrGradient(q, r, gq, gr)];
    // Wide: A = [X | Y] with X m × m. Q and R₁ are X's QR, and R₂ = Qᵀ Y, so gY = Q gR₂ and Q's
    // gradient grows by Y gR₂ᵀ = Q R₂ gR₂ᵀ before X's rule (Walter and Lehmann 2018).
    const last = r.ndim - 1;
    const r1 = slice(r, last, 0, m);
    const r2 = slice(r, last, m, n);
    const gr1 = slice(gr, last, 0, m);
    const gr2 = slice(gr, last, m, n);
    const gx = squareQrGradient(q, r1, add(gq, matmul(matmul(q, r2), mT(gr2))), gr1);
    return [concat([gx, matmul(q, gr2)], last)];
  },
};

/**
 * A's gradient through A = Q R for m ≥ n (reduced): with M = R gRᵀ - gQᵀ Q
 * and copyltu(M) the symmetric matrix with M's lower triangle,
 * dA = (gQ + Q copyltu(M)) R⁻ᵀ (Walter and Lehmann 2018; Liao et al. 2019, eq. 7).
 */
function squareQrGradient(q: Tensor, r: Tensor, gq: Tensor, gr: Tensor): Tensor {
  const mm = sub(matmul(r, mT(gr)), matmul(mT(gq), q));
  const low = tril(mm, -1);
  const sym = add(add(low, mT(low)), diagEmbed(diagonal(mm, { axis1: -2, axis2: -1 })));
  const rhs = add(gq, matmul(q, sym));
  return solveTriangular(mT(r), rhs, { upper: false, left: false });
}

function unpackQr(packed: Tensor, m: number, n: number, c: number): [Tensor, Tensor] {
  const batch = packed._shape.slice(0, -1);
  const last = packed.ndim - 1;
  const q = reshape(slice(packed, last, 0, m * c), [...batch, m, c]);
  const r = reshape(slice(packed, last, m * c, m * c + c * n), [...batch, c, n]);
  return [q, r];
}

/**
 * The QR factorization A = Q R of each matrix of `a` [..., m, n] by
 * Householder reflections in float64 with LAPACK's (so PyTorch's) signs:
 * Q with orthonormal columns and R upper triangular. `mode` as PyTorch's
 * `torch.linalg.qr`: 'reduced' (default) gives Q [..., m, k] and
 * R [..., k, n], k = min(m, n); 'complete' gives Q [..., m, m] and
 * R [..., m, n]; 'r' gives R alone (Q is an empty tensor).
 *
 * Differentiable for full-rank A (R's diagonal non-zero) of any shape in
 * 'reduced' mode, and in 'complete' mode where m ≤ n (the two modes agree
 * there). NOTE: as PyTorch 1.13, backward through mode 'r', or through
 * mode 'complete' of a tall matrix, is refused (an ArgumentError).
 *
 * @example
 * const { Q, R } = linalg.qr(tensor([[3, 1], [4, 2]]));
 * // Q = [[-0.6, -0.8], [-0.8, 0.6]], R = [[-5, -2.2], [0, 0.4]]
 * linalg.qr(tensor([[1], [0]]), { mode: 'complete' }).Q; // 2 × 2
 */
export function qr(a: TensorLike, options?: QrOptions): { Q: Tensor; R: Tensor } {
  const op = 'linalg.qr';
  const mode = valueOr<unknown>(optionsObject(op, options, qrKeys).mode, 'reduced');
  if (!qrModes.includes(mode as QrMode)) {
    throw new ArgumentError(op, badOptionMessage('mode', "'reduced', 'complete' or 'r'", mode));
  }
  const t = asTensor(op, a, 'float32', 'A');
  if (t.ndim < 2) {
    throw new ShapeError(op, `A must be a matrix or a batch of them [..., m, n], got shape ${formatShape(t._shape)}`);
  }
  const m = t._shape[t.ndim - 2] as number;
  const n = t._shape[t.ndim - 1] as number;
  const c = qrColumns(m, n, mode as QrMode);
  const [Q, R] = unpackQr(apply(qrPackedDef, [t], mode as QrMode), m, n, c);
  // PyTorch returns an empty Q in mode 'r'.
  return { Q: mode === 'r' ? Tensor.fromData(allocate(Q.dtype, 0), [0], Q.dtype) : Q, R };
}

// ---------------------------------------------------------------- eigh

/** Eigenvalues then eigenvectors of each matrix packed in one tensor, [..., n + n·n]. */
const eighPackedDef: OpDef<Unary, undefined, Unary> = {
  name: 'linalg.eigh',
  forward([x], _p, ctx) {
    const n = x._shape[x.ndim - 1] as number;
    const a = float64Copy(x);
    const batch = batchOf(x);
    const per = n + n * n;
    const out = new Float64Array(batch * per);
    for (let b = 0; b < batch; b++) jacobiEigh(a, b * n * n, n, out, b * per, out, b * per + n);
    const packed = fromValues(out, [...x._shape.slice(0, -2), per], floatDTypeOf(x));
    ctx.save(packed);
    return packed;
  },
  // PyTorch's rule for A = V diag(L) Vᵀ: with S the skew part of Vᵀ gV and E_ij = L_j - L_i (1 on the
  // diagonal), dA = V (S / E + diag(gL)) Vᵀ.
  // NOTE: repeated eigenvalues divide by zero (Infinity/NaN), PyTorch's documented failure: there the
  // eigenvectors are not unique and no gradient through them exists.
  backward: (g, { saved: [packed], inputShapes: [shape] }) => {
    const s = shape as Shape;
    const n = s[s.length - 1] as number;
    const [l, v] = unpackEigh(packed, n);
    const [gl, gv] = unpackEigh(g, n);
    const vgv = matmul(mT(v), gv);
    const skew = mul(sub(vgv, mT(vgv)), 0.5);
    const gaps = sub(unsqueeze(l, -2), unsqueeze(l, -1));
    const e = add(gaps, diagEmbed(add(mul(l, 0), 1)));
    const inner = add(div(skew, e), diagEmbed(gl));
    return [matmul(matmul(v, inner), mT(v))];
  },
};

function unpackEigh(packed: Tensor, n: number): [Tensor, Tensor] {
  const batch = packed._shape.slice(0, -1);
  const last = packed.ndim - 1;
  return [slice(packed, last, 0, n), reshape(slice(packed, last, n, n + n * n), [...batch, n, n])];
}

/**
 * The eigenvalues (ascending) and orthonormal eigenvectors (the columns of
 * `eigenvectors`) of each symmetric matrix of `a` [..., n, n], reading only
 * its lower triangle, by Jacobi rotations in float64. PyTorch's
 * `torch.linalg.eigh` (UPLO 'L'). Differentiable where the eigenvalues are
 * distinct.
 *
 * NOTE: each eigenvector is defined up to its sign, which may differ from
 * PyTorch's (LAPACK's choice); quantities that do not depend on the signs
 * (V diag(L) Vᵀ, V ∘ V, the eigenvalues) agree.
 *
 * @example
 * const { eigenvalues, eigenvectors } = linalg.eigh(tensor([[2, 1], [1, 2]])); // [1, 3]
 */
export function eigh(a: TensorLike): { eigenvalues: Tensor; eigenvectors: Tensor } {
  const t = squareInput('linalg.eigh', a, 'A');
  const n = t._shape[t.ndim - 1] as number;
  const [eigenvalues, eigenvectors] = unpackEigh(apply(eighPackedDef, [t], undefined), n);
  return { eigenvalues, eigenvectors };
}

// ---------------------------------------------------------------- svd

/** U's column count and Vh's row count: k = min(m, n) for the reduced SVD, m and n for the full one. */
const svdSizes = (m: number, n: number, full: boolean): [number, number, number] => {
  const k = Math.min(m, n);
  return full ? [k, m, n] : [k, k, k];
};

/**
 * The orthonormal columns of `q` (rows × k, row-major at q[qo]) completed to
 * a basis: the last rows - k columns of the complete QR factor of q (its
 * first k columns are ±q's own), written as columns into `out` (rows × cols,
 * row-major at out[oo]) from column k on.
 */
function completeBasis(q: Float64Array, rows: number, k: number, out: Float64Array, oo: number, cols: number): void {
  if (rows === k) return;
  const full = new Float64Array(rows * rows);
  householderQr(q.slice(0, rows * k), 0, rows, k, full, 0, new Float64Array(rows * k), 0, rows);
  for (let i = 0; i < rows; i++) for (let j = k; j < rows; j++) out[oo + i * cols + j] = full[i * rows + j] as number;
}

/**
 * S, U and Vh of each matrix packed in one tensor, [..., k + m·u + v·n],
 * k = min(m, n), U [m, u] and Vh [v, n] (u = v = k reduced; u = m, v = n full).
 */
const svdPackedDef: OpDef<Unary, boolean, Unary> = {
  name: 'linalg.svd',
  forward([x], full, ctx) {
    const m = x._shape[x.ndim - 2] as number;
    const n = x._shape[x.ndim - 1] as number;
    const [k, u, v] = svdSizes(m, n, full);
    // Jacobi rotates the columns of a tall matrix: a wide A is factored as Aᵀ = V S Uᵀ.
    const tall = m >= n;
    const a = float64Copy(tall ? x : mT(x));
    const [rows, cols] = tall ? [m, n] : [n, m];
    const batch = batchOf(x);
    const per = k + m * u + v * n;
    const out = new Float64Array(batch * per);
    const left = new Float64Array(rows * k);
    const right = new Float64Array(k * k);
    const vFull = new Float64Array(n * v);
    for (let b = 0; b < batch; b++) {
      const o = b * per;
      jacobiSvd(a, b * rows * cols, rows, cols, out, o, left, 0, right, 0);
      // U [m, k] and V [n, k], from (left, right) = (U, V) when tall and (V, U) when wide.
      const [uMat, vMat] = tall ? [left, right] : [right, left];
      for (let i = 0; i < m; i++) for (let j = 0; j < k; j++) out[o + k + i * u + j] = uMat[i * k + j] as number;
      for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vFull[i * v + j] = vMat[i * k + j] as number;
      if (full) {
        completeBasis(uMat, m, k, out, o + k, u);
        completeBasis(vMat, n, k, vFull, 0, v);
      }
      // Vh = Vᵀ.
      for (let i = 0; i < v; i++)
        for (let j = 0; j < n; j++) out[o + k + m * u + i * n + j] = vFull[j * v + i] as number;
    }
    const packed = fromValues(out, [...x._shape.slice(0, -2), per], floatDTypeOf(x));
    ctx.save(packed);
    return packed;
  },
  // PyTorch's rule: with E_jk = S_k² - S_j² (1 on the diagonal), skew(X) = X - Xᵀ,
  // inner = (skew(UᵀgU) S_k + S_j skew(VᵀgV)) / E with gS on its diagonal, and
  // dA = U inner Vᵀ + (I - U Uᵀ) gU S⁻¹ Vᵀ + U S⁻¹ gVᵀ (I - V Vᵀ) (the last two terms for m > k, n > k).
  // NOTE: repeated or zero singular values divide by zero: PyTorch's documented failure.
  // NOTE: as PyTorch, with full matrices only U's first k columns and Vh's first k rows count: the others
  // are any orthonormal completion, not functions of A, and their gradients are dropped.
  backward: (g, { saved: [packed], inputShapes: [shape], params: full }) => {
    const sh = shape as Shape;
    const m = sh[sh.length - 2] as number;
    const n = sh[sh.length - 1] as number;
    const k = Math.min(m, n);
    const [s, uAll, vhAll] = unpackSvd(packed, m, n, full);
    const [gs, guAll, gvhAll] = unpackSvd(g, m, n, full);
    const u = full ? slice(uAll, -1, 0, k) : uAll;
    const vh = full ? slice(vhAll, -2, 0, k) : vhAll;
    const gu = full ? slice(guAll, -1, 0, k) : guAll;
    const gvh = full ? slice(gvhAll, -2, 0, k) : gvhAll;
    const v = mT(vh);
    const gv = mT(gvh);
    const skew = (x: Tensor) => sub(x, mT(x));
    const s2 = mul(s, s);
    const e = add(sub(unsqueeze(s2, -2), unsqueeze(s2, -1)), diagEmbed(add(mul(s, 0), 1)));
    const uhgu = skew(matmul(mT(u), gu));
    const vhgv = skew(matmul(vh, gv));
    const inner = add(div(add(mul(uhgu, unsqueeze(s, -2)), mul(unsqueeze(s, -1), vhgv)), e), diagEmbed(gs));
    let ga = matmul(matmul(u, inner), vh);
    if (m > n) {
      const gus = div(gu, unsqueeze(s, -2));
      ga = add(ga, matmul(sub(gus, matmul(u, matmul(mT(u), gus))), vh));
    } else if (n > m) {
      const sgv = div(gvh, unsqueeze(s, -1));
      ga = add(ga, matmul(u, sub(sgv, matmul(matmul(sgv, v), vh))));
    }
    return [ga];
  },
};

function unpackSvd(packed: Tensor, m: number, n: number, full: boolean): [Tensor, Tensor, Tensor] {
  const [k, u, v] = svdSizes(m, n, full);
  const batch = packed._shape.slice(0, -1);
  const last = packed.ndim - 1;
  return [
    slice(packed, last, 0, k),
    reshape(slice(packed, last, k, k + m * u), [...batch, m, u]),
    reshape(slice(packed, last, k + m * u, k + m * u + v * n), [...batch, v, n]),
  ];
}

/** Options of `linalg.svd`. */
export interface SvdOptions {
  /**
   * Full U [..., m, m] and Vh [..., n, n] (true, the default, as PyTorch's
   * `full_matrices=True`), or the reduced U [..., m, k] and Vh [..., k, n]
   * (false).
   */
  fullMatrices?: boolean;
}

const svdKeys = { fullMatrices: true } as const satisfies OptionKeys<SvdOptions>;

/**
 * The singular value decomposition A = U diag(S) Vh of each matrix of `a`
 * `[..., m, n]`: S `[..., k]` descending, k = min(m, n), by one-sided Jacobi
 * rotations in float64. With `fullMatrices` (the default, as PyTorch's
 * `torch.linalg.svd`) U is `[..., m, m]` and Vh `[..., n, n]`, square and
 * orthogonal; with `{ fullMatrices: false }` U is `[..., m, k]` and Vh
 * `[..., k, n]` (A = U diag(S) Vh holds with either). Differentiable where
 * the singular values are distinct and non-zero.
 *
 * NOTE: each singular vector pair is defined up to a common sign, which may
 * differ from PyTorch's; U diag(S) Vh, U ∘ U, Vh ∘ Vh and S agree. The
 * columns of a full U past k (and rows of Vh) are an orthonormal basis of
 * the rest of the space, which LAPACK picks differently: only the space they
 * span is PyTorch's. As PyTorch, backward ignores their gradients.
 *
 * @example
 * const { S } = linalg.svd(tensor([[3, 0], [0, -4]])); // [4, 3]
 * linalg.svd(randn([5, 2])).U.shape;                          // [5, 5]
 * linalg.svd(randn([5, 2]), { fullMatrices: false }).U.shape; // [5, 2]
 */
export function svd(a: TensorLike, options?: SvdOptions): { U: Tensor; S: Tensor; Vh: Tensor } {
  const op = 'linalg.svd';
  const full = booleanOption(op, 'fullMatrices', optionsObject(op, options, svdKeys).fullMatrices, true);
  const t = asTensor(op, a, 'float32', 'A');
  if (t.ndim < 2) {
    throw new ShapeError(op, `A must be a matrix or a batch of them [..., m, n], got shape ${formatShape(t._shape)}`);
  }
  const m = t._shape[t.ndim - 2] as number;
  const n = t._shape[t.ndim - 1] as number;
  const [S, U, Vh] = unpackSvd(apply(svdPackedDef, [t], full), m, n, full);
  return { U, S, Vh };
}

// ---------------------------------------------------------------- pinv

/**
 * The Moore-Penrose pseudo-inverse of each matrix of `a` [..., m, n],
 * [..., n, m], from its SVD: V diag(1/σ) Uᵀ over the singular values σ
 * above max(m, n)·ε·σ_max (PyTorch's default rtol); the others count as 0.
 * Differentiable where A has full rank (and distinct singular values).
 * PyTorch's `torch.linalg.pinv`.
 *
 * @example
 * linalg.pinv(tensor([[1, 0], [0, 0]])); // [[1, 0], [0, 0]]
 */
export function pinv(a: TensorLike): Tensor {
  const t = asTensor('linalg.pinv', a, 'float32', 'A');
  if (t.ndim < 2) {
    throw new ShapeError(
      'linalg.pinv',
      `A must be a matrix or a batch of them [..., m, n], got shape ${formatShape(t._shape)}`,
    );
  }
  const m = t._shape[t.ndim - 2] as number;
  const n = t._shape[t.ndim - 1] as number;
  const { U, S, Vh } = svd(t, { fullMatrices: false });
  if (S._shape[S.ndim - 1] === 0) return mT(matmul(U, Vh));
  const eps = t.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  const cutoff = mul(amax(S, -1, true), Math.max(m, n) * eps);
  const kept = gt(S, cutoff);
  // 1/σ only where σ is kept: the other branch divides by 1, so no Infinity reaches the gradient.
  const inverse = where(kept, div(1, where(kept, S, 1)), 0);
  return matmul(mul(mT(Vh), unsqueeze(inverse, -2)), mT(U));
}

/**
 * PyTorch's `torch.linalg` for chainrule: determinants, inverses, solves,
 * factorizations and norms of matrices, batched over leading axes, in
 * float64, and differentiable to any order.
 *
 * @example
 * import { linalg, tensor } from '@chainrule/core';
 * const a = tensor([[4, 2], [2, 5]], { dtype: 'float64' });
 * linalg.det(a);                            // 16
 * linalg.solve(a, tensor([2, 5], { dtype: 'float64' })); // [0, 1]
 * linalg.cholesky(a);                       // [[2, 0], [1, 2]]
 */
export const linalg = {
  det,
  slogdet,
  inv,
  solve,
  cholesky,
  solveTriangular,
  vectorNorm,
  matrixNorm,
  matrixPower,
  qr,
  eigh,
  svd,
  pinv,
} as const;
