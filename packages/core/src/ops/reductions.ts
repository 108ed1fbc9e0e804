/**
 * The rest of the reduce family (reduce.ts holds sum, mean, max/min,
 * logsumexp, var and the family's helpers), with PyTorch's semantics:
 * prod, norm, std, amax/amin and nansum are rows of `reductionOps`, each
 * with a backward rule written in Tensor ops; varMean, stdMean and nanmean
 * are built on them; any, all and countNonzero count (bool and int32
 * results, no gradient). Every one takes `axis` as sum does (a number, a
 * list, or omitted for all axes) and `keepDims`.
 */
import * as K from '../kernels/reductions';
import { prodIntInto, sumIntInto } from '../kernels/integer-reductions';
import { sumInto } from '../kernels/reduce';
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { allocate, isFloat, type DType } from '../tensor/dtype';
import { formatShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, floatDTypeOf, type Binary, type TensorLike, type Unary } from './define';
import {
  checkNonEmpty,
  correctionOf,
  countOf,
  floatOnlyHint,
  fromFloat64,
  mean,
  plan,
  reduceOp,
  reduceParams,
  sharedExtremeOp,
  varianceOf,
  type AxisArg,
  type ReduceDef,
  type ReduceParams,
  type Reduction,
  type SumParams,
  type VarOptions,
} from './reduce';
import {
  checkFloatInput,
  convertedTo,
  integerResult,
  reduceArguments,
  sumDType,
  type ReduceOptions,
} from './reduce-dtype';
import { reshape } from './shape';
import { inputsOf, tracedWhole } from './trace';
import { eq, gt, lt, logicalOr, ne, where } from './compare';

/** How the kernels walk x for reduction `r`. */
function walk(x: Tensor, r: Reduction): K.Walk {
  return { x: x.storage.data, offset: x.offset, strides: x._strides, shape: x._shape, outStrides: r.outStrides };
}

/** -1, 0 or 1 by the sign of x, as a constant of `dtype`. NOTE: 0 for NaN, as PyTorch's sgn in norm's gradient. */
function signOf(x: Tensor, dtype: DType): Tensor {
  return gt(x, 0).to(dtype).sub(lt(x, 0).to(dtype));
}

// ---------------------------------------------------------------- prod

/**
 * Π_{j≠i} x_j over each slice, for every element i: d prod / d x_i, in Tensor
 * ops so that it is differentiable in turn. `out` is the product, with the
 * reduced axes kept.
 */
function othersProduct(x: Tensor, out: Tensor, axes: readonly number[]): Tensor {
  const zero = eq(x, 0);
  // Without zeros (the usual case), P / x_i, as PyTorch.
  if (!(zero.storage.data as Uint8Array).includes(1)) return out.div(x);
  // With zeros, P / x_i is 0/0. Write P = Q·Z, with Q the product of the
  // non-zero elements and Z that of the zeros (both products are ops, so
  // their derivatives come along):
  // - at a non-zero x_i, Π_{j≠i} x_j = (Q / x_i)·Z: 0 when the slice has a
  //   zero, and its derivative toward that zero is Q / x_i, as it must be;
  // - at a zero x_i, Π_{j≠i} x_j = Q · Π(the other zeros): Q when x_i is the
  //   only zero, Q times the other zero when there are two, and 0 with a 0
  //   derivative when there are more (every term keeps a zero factor).
  // So both the gradient and its derivative (prod's second derivative) are
  // exact at zeros, as PyTorch's are.
  const dtype = floatDTypeOf(x);
  const nonzero = where(zero, 1, x);
  const q = prod(nonzero, axes, true);
  const z = prod(where(zero, x, 1), axes, true);
  const zeros = zero.to(dtype).sum(axes, true);
  const otherZero = where(zero, x, 0).sum(axes, true).sub(x);
  const others = where(eq(zeros, 1), 1, where(eq(zeros, 2), otherZero, 0));
  return where(zero, q.mul(others), q.div(nonzero).mul(z));
}

// ---------------------------------------------------------------- norm

/** norm's parameters: p is a number (±Infinity included; 'fro' arrives as 2). */
interface NormParams extends ReduceParams {
  p: number;
}

/**
 * Below this a sum of |x|^p may have lost digits to underflow (its smallest
 * terms are subnormal); the sum is then taken again, scaled.
 */
const underflowRisk = 2 ** -968;

/** (Σ |x|^p)^(1/p) of each slice, in one pass over x unless a sum overflowed or underflowed. */
function vectorNorm(x: Tensor, r: Reduction, p: number): Float64Array {
  const size = sizeOf(r.shape);
  const w = walk(x, r);
  const out = new Float64Array(size);
  if (p === 0) {
    K.countNonzeroInto(w, out);
    return out;
  }
  if (!Number.isFinite(p)) {
    K.absExtremeInto(w, p > 0, out.fill(-1));
    return out;
  }
  const peak = new Float64Array(size).fill(p > 0 ? 0 : Infinity);
  K.powerSumInto(w, p, out, peak);
  // NOTE: PyTorch sums |x|^p as it is, so the 2-norm of [1e200, 1e200] is
  // Infinity there. Here a sum that left the range of doubles while its
  // dominant element m did not is taken again, as m·(Σ (|x|/m)^p)^(1/p).
  const lost = (i: number) => {
    const s = out[i] as number;
    const m = peak[i] as number;
    return m > 0 && m < Infinity && (s === Infinity || s < underflowRisk);
  };
  const again: number[] = [];
  for (let i = 0; i < size; i++) if (lost(i)) again.push(i);
  const scaled = new Float64Array(again.length === 0 ? 0 : size);
  if (again.length > 0) K.scaledPowerSumInto(w, p, peak, scaled);
  for (let i = 0; i < size; i++) {
    const s = out[i] as number;
    out[i] = p === 1 ? s : p === 2 ? Math.sqrt(s) : s ** (1 / p);
  }
  for (const i of again) out[i] = (peak[i] as number) * (scaled[i] as number) ** (1 / p);
  return out;
}

/**
 * d‖x‖_p / d x_i times g, with `n` the norm (reduced axes kept): for finite
 * p ∉ {0, 1, 2}, sign(x_i)·(|x_i| / n)^(p-1), the ratio first so that
 * |x_i|^(p-1) cannot overflow where the norm itself did not.
 */
function normGradient(g: Tensor, x: Tensor, n: Tensor, p: number, axes: readonly number[]): Tensor {
  // NOTE: the 0-"norm" counts non-zeros: piecewise constant, gradient 0 (PyTorch gives none).
  if (p === 0) return emptyLike(x._shape, g.dtype);
  const sign = signOf(x, g.dtype);
  // d Σ|x| = sign(x). NOTE: 0 at x = 0, as abs.
  if (p === 1) return g.mul(sign);
  // NOTE: n = 0 only where every x is 0; the gradient is 0 there, as PyTorch, not 0/0.
  const safe = where(eq(n, 0), 1, n);
  // d √(Σx²) = x / n.
  if (p === 2) return g.mul(x.div(safe));
  if (!Number.isFinite(p)) {
    // The max (or min) of |x|. NOTE: as PyTorch, shared evenly among the
    // elements whose |x| ties with it (NaNs tie with a NaN norm), like amax.
    const a = x.detach().abs();
    const tied = logicalOr(eq(a, n), ne(a, a)).to(g.dtype);
    return sign.mul(tied).mul(g.div(tied.sum(axes, true)));
  }
  if (p > 1)
    return g.mul(sign).mul(
      x
        .abs()
        .div(safe)
        .pow(p - 1),
    );
  // p < 1: (|x|/n)^(p-1) is infinite at x = 0. NOTE: 0 there, as PyTorch.
  const zero = eq(x, 0);
  return where(
    zero,
    0,
    sign.mul(
      where(zero, 1, x.abs())
        .div(n)
        .pow(p - 1),
    ),
  ).mul(g);
}

/** norm's p: a number (not NaN) or 'fro', which is 2 over the given axes. */
function normOrder(p: unknown): number {
  if (p === 'fro') return 2;
  if (typeof p !== 'number' || Number.isNaN(p)) {
    throw new ArgumentError(
      'norm',
      `p must be a number or 'fro', got ${describeValue(p)} (e.g. 2, 1, Infinity, 0 for the count of non-zeros)`,
    );
  }
  return p;
}

// ---------------------------------------------------------------- std

interface StdParams extends ReduceParams {
  correction: number;
}

/** √(Σ (x - mean)² / max(N - correction, 0)) of each slice: the mean first, then the squared deviations. */
function standardDeviation(x: Tensor, r: Reduction, axes: readonly number[], correction: number): Float64Array {
  const size = sizeOf(r.shape);
  const n = countOf(x, axes);
  const center = new Float64Array(size);
  sumInto(x.storage.data, x.offset, x._strides, x._shape, center, r.outStrides);
  for (let i = 0; i < size; i++) center[i] = (center[i] as number) / n;
  const out = new Float64Array(size);
  K.squaredDeviationsInto(walk(x, r), center, out);
  const d = Math.max(n - correction, 0);
  for (let i = 0; i < size; i++) out[i] = Math.sqrt((out[i] as number) / d);
  return out;
}

// ---------------------------------------------------------------- the table

/**
 * The reductions with backward rules of their own, beside reduce.ts's
 * `reduceOps` (tables.ts merges the two). Each row is a reduction's OpDef;
 * their params and saved tensors differ by row.
 */
export const reductionOps = {
  prod: reduceOp<SumParams, Binary>({
    name: 'prod',
    forward(x, r, ctx, { dtype }) {
      if (!isFloat(x.dtype)) {
        const acc = new Int32Array(sizeOf(r.shape)).fill(1);
        prodIntInto(walk(x, r), acc);
        return integerResult(acc, r.shape, dtype);
      }
      const acc = new Float64Array(sizeOf(r.shape)).fill(1);
      K.prodInto(walk(x, r), acc);
      const out = fromFloat64(acc, r.shape, floatDTypeOf(x));
      ctx.save(x, out);
      return out;
    },
    // d Π x / d x_i = Π_{j≠i} x_j. NOTE: exact at zeros (one zero: only it gets
    // the product of the others; two or more: all 0), as PyTorch.
    backward: (g, r, _shape, [x, out], { axes }) => g.mul(othersProduct(x, reshape(out, r.kept), axes)),
  }),
  amax: sharedExtremeOp('amax', true, false),
  amin: sharedExtremeOp('amin', false, false),
  norm: reduceOp<NormParams, Binary>({
    name: 'norm',
    forward(x, r, ctx, { p }) {
      const out = fromFloat64(vectorNorm(x, r, p), r.shape, floatDTypeOf(x));
      ctx.save(x, out);
      return out;
    },
    backward: (g, r, _shape, [x, out], { p, axes }) => normGradient(g, x, reshape(out, r.kept), p, axes),
  }),
  std: reduceOp<StdParams, Binary>({
    name: 'std',
    forward(x, r, ctx, { axes, correction }) {
      const out = fromFloat64(standardDeviation(x, r, axes, correction), r.shape, floatDTypeOf(x));
      ctx.save(x, out);
      return out;
    },
    // d std / d x_i = (x_i - mean) / ((N - correction)·std). NOTE: 0 where
    // std = 0 (a constant slice), as PyTorch, instead of 0/0.
    backward(g, r, _shape, [x, out], { axes, correction }) {
      const s = reshape(out, r.kept);
      const constant = eq(s, 0);
      const denominator = where(constant, 1, s).mul(Math.max(countOf(x, axes) - correction, 0));
      return x.sub(mean(x, axes, true)).mul(where(constant, 0, g.div(denominator)));
    },
  }),
  nansum: reduceOp<SumParams, Unary>({
    name: 'nansum',
    forward(x, r, ctx, { dtype }) {
      const size = sizeOf(r.shape);
      // Integers hold no NaN: their sum.
      if (!isFloat(x.dtype)) {
        const acc = new Int32Array(size);
        sumIntInto(walk(x, r), acc);
        return integerResult(acc, r.shape, dtype);
      }
      const acc = new Float64Array(size);
      K.nansumInto(walk(x, r), acc, new Float64Array(size));
      ctx.save(x);
      return fromFloat64(acc, r.shape, floatDTypeOf(x));
    },
    // 1 for each element summed, 0 for the NaNs left out. NOTE: g times that
    // mask, as PyTorch (a NaN or infinite g makes the NaNs' gradient NaN).
    backward: (g, _r, _shape, [x]) => g.mul(eq(x, x).to(g.dtype)),
  }),
} satisfies Record<string, ReduceDef<never, never>>;

// ---------------------------------------------------------------- the functions

/**
 * Product over `axis` (all axes when omitted); `keepDims` keeps reduced axes
 * as 1s. The product of no elements is 1. The gradient is exact where
 * elements are 0 (PyTorch's `prod`). Integer and bool tensors multiply in
 * int32, wrapping modulo 2^32 (NOTE: PyTorch's int64 wraps modulo 2^64);
 * `{ dtype }` converts the input first, as PyTorch's `dtype=`.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).prod(1);   // [2, 12]
 * counts.prod({ dtype: 'float64' });  // an int32 tensor's product in float64
 */
export function prod(
  x: TensorLike,
  axisOrOptions?: AxisArg | ReduceOptions,
  keepDims?: boolean,
  options?: ReduceOptions,
): Tensor {
  return sumLike('prod', x, axisOrOptions, keepDims, options);
}

/** prod or nansum: the result's dtype as sum's, the input converted to a requested dtype first. */
function sumLike(
  op: 'prod' | 'nansum',
  x: TensorLike,
  axisOrOptions: AxisArg | ReduceOptions,
  keepDims: boolean | undefined,
  options: ReduceOptions | undefined,
): Tensor {
  const t = asTensor(op, x);
  const { axis, keepDims: keep, dtype } = reduceArguments(op, axisOrOptions, keepDims, options);
  const p = reduceParams(op, t, axis, keep);
  const src = convertedTo(t, dtype);
  const params: SumParams = { ...p, dtype: sumDType(src, dtype) };
  return op === 'prod' ? apply(reductionOps.prod, [src], params) : apply(reductionOps.nansum, [src], params);
}

/**
 * Largest element over `axis` (all axes when omitted); the gradient is
 * shared evenly among tied elements (PyTorch's `amax`). NaN propagates; an
 * axis of size 0 is refused.
 */
export function amax(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('amax', x);
  const p = reduceParams('amax', t, axis, keepDims);
  checkNonEmpty('amax', t, p.axes);
  return apply(reductionOps.amax, [t], p);
}

/** Smallest element over `axis`; the gradient is shared evenly among ties (PyTorch's `amin`). */
export function amin(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('amin', x);
  const p = reduceParams('amin', t, axis, keepDims);
  checkNonEmpty('amin', t, p.axes);
  return apply(reductionOps.amin, [t], p);
}

/**
 * The p-norm (Σ |x|^p)^(1/p) over `axis` (all axes when omitted): p = 2 by
 * default, any real p, ±Infinity (max/min of |x|), 0 (the count of
 * non-zeros) or 'fro' (the Frobenius norm, the 2-norm over the given axes).
 * PyTorch's `linalg.vector_norm`. The gradient of the 2-norm at x = 0 is 0.
 * Over an axis of size 0 the norm is 0 for p ≥ 0; p < 0 and ±Infinity refuse it.
 *
 * @example
 * tensor([3, 4]).norm();              // 5
 * tensor([[3, -4], [1, 1]]).norm(1, 1); // [7, 2]
 * x.norm(Infinity);                   // the largest |x|
 */
export function norm(x: TensorLike, p: number | 'fro' = 2, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('norm', x);
  checkFloatInput('norm', t, floatOnlyHint);
  const order = normOrder(p);
  const params = reduceParams('norm', t, axis, keepDims);
  if (order < 0 || order === Infinity) {
    for (const a of params.axes) {
      if (t._shape[a] === 0) {
        throw new ShapeError(
          'norm',
          `the ${order}-norm of an empty slice has no value (axis ${a} has size 0 in shape ${formatShape(t._shape)}); ` +
            'only p ≥ 0 (not Infinity) accepts empty axes',
        );
      }
    }
  }
  return apply(reductionOps.norm, [t], { ...params, p: order });
}

/**
 * Standard deviation over `axis`: √(Σ (x - mean)² / (N - correction)), with
 * correction 1 by default (PyTorch's `std`). Its gradient is 0 where the
 * deviation is 0.
 *
 * @example
 * tensor([1, 2, 3, 4]).std();                           // √(5/3)
 * tensor([1, 2, 3, 4]).std(0, false, { correction: 0 }); // √1.25
 */
export function std(x: TensorLike, axis?: AxisArg, keepDims?: boolean, options: VarOptions = {}): Tensor {
  return standardDeviationOp('std', x, axis, keepDims, options);
}

function standardDeviationOp(
  op: string,
  x: TensorLike,
  axis: AxisArg,
  keepDims: boolean | undefined,
  options: VarOptions,
): Tensor {
  const t = asTensor(op, x);
  checkFloatInput(op, t, floatOnlyHint);
  const params = reduceParams(op, t, axis, keepDims);
  return apply(reductionOps.std, [t], { ...params, correction: correctionOf(op, options) });
}

/** The variance and the mean over the same axes (PyTorch's `var_mean`). */
export function varMean(
  x: TensorLike,
  axis?: AxisArg,
  keepDims?: boolean,
  options: VarOptions = {},
): { var: Tensor; mean: Tensor } {
  const t = asTensor('varMean', x);
  checkFloatInput('varMean', t, floatOnlyHint);
  const { axes, keepDims: keep } = reduceParams('varMean', t, axis, keepDims);
  const correction = correctionOf('varMean', options);
  return { var: varianceOf(t, axes, keep, correction), mean: mean(t, axes, keep) };
}

/** The standard deviation and the mean over the same axes (PyTorch's `std_mean`). */
export function stdMean(
  x: TensorLike,
  axis?: AxisArg,
  keepDims?: boolean,
  options: VarOptions = {},
): { std: Tensor; mean: Tensor } {
  const t = asTensor('stdMean', x);
  checkFloatInput('stdMean', t, floatOnlyHint);
  const { axes, keepDims: keep } = reduceParams('stdMean', t, axis, keepDims);
  return { std: standardDeviationOp('stdMean', t, axes, keep, options), mean: mean(t, axes, keep) };
}

/**
 * Sum over `axis` of the elements that are not NaN (PyTorch's `nansum`); 0
 * when all are NaN. Integer and bool tensors sum as in {@link sum}, and
 * `{ dtype }` converts the input first.
 */
export function nansum(
  x: TensorLike,
  axisOrOptions?: AxisArg | ReduceOptions,
  keepDims?: boolean,
  options?: ReduceOptions,
): Tensor {
  return sumLike('nansum', x, axisOrOptions, keepDims, options);
}

/**
 * Mean over `axis` of the elements that are not NaN (PyTorch's `nanmean`);
 * NaN when all are NaN. NOTE: as PyTorch, integer and bool tensors are
 * refused.
 */
export function nanmean(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('nanmean', x);
  checkFloatInput('nanmean', t, floatOnlyHint);
  const params = reduceParams('nanmean', t, axis, keepDims);
  const r = plan(t._shape, params.axes, params.keepDims);
  const size = sizeOf(r.shape);
  const count = new Float64Array(size);
  K.nansumInto(walk(t, r), new Float64Array(size), count);
  // 0/0 = NaN for a slice of NaNs only, as PyTorch.
  return apply(reductionOps.nansum, [t], params).div(fromFloat64(count, r.shape, floatDTypeOf(t)));
}

// ---------------------------------------------------------------- counts (no gradient)

/** The count of non-zero elements of each slice and the slice size. */
function nonzeroCounts(op: string, x: TensorLike, axis: AxisArg, keepDims: boolean | undefined) {
  const t = asTensor(op, x);
  const params = reduceParams(op, t, axis, keepDims);
  const r = plan(t._shape, params.axes, params.keepDims);
  const counts = new Float64Array(sizeOf(r.shape));
  K.countNonzeroInto(walk(t, r), counts);
  return { counts, shape: r.shape, n: countOf(t, params.axes) };
}

function boolTensor(values: Float64Array, shape: readonly number[], test: (v: number) => boolean): Tensor {
  const data = allocate('bool', values.length);
  for (let i = 0; i < values.length; i++) data[i] = test(values[i] as number) ? 1 : 0;
  return Tensor.fromData(data, shape, 'bool');
}

/**
 * Whether any element over `axis` is non-zero (NaN counts as non-zero), as a
 * bool tensor; false over no elements. Any dtype (PyTorch's `any`).
 */
export function any(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  return tracedWhole('any', inputsOf(x), { axis, keepDims }, () => {
    const { counts, shape } = nonzeroCounts('any', x, axis, keepDims);
    return boolTensor(counts, shape, (c) => c > 0);
  });
}

/** Whether every element over `axis` is non-zero, as a bool tensor; true over no elements (PyTorch's `all`). */
export function all(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  return tracedWhole('all', inputsOf(x), { axis, keepDims }, () => {
    const { counts, shape, n } = nonzeroCounts('all', x, axis, keepDims);
    return boolTensor(counts, shape, (c) => c === n);
  });
}

/** The number of non-zero elements over `axis` (NaN counts), as int32 (PyTorch's `count_nonzero`). */
export function countNonzero(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  return tracedWhole('countNonzero', inputsOf(x), { axis, keepDims }, () => {
    const { counts, shape } = nonzeroCounts('countNonzero', x, axis, keepDims);
    const data = allocate('int32', counts.length);
    data.set(counts);
    return Tensor.fromData(data, shape, 'int32');
  });
}
