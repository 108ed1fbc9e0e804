/**
 * Reductions, called PyTorch-style: `t.sum(axis?, keepDims?)` where axis is a
 * number (negative counts from the end), a list of numbers, or omitted for
 * all axes. sum and max/min are primitives; mean, logsumexp and var are built
 * from primitives, so their gradients need no rule of their own. The family's
 * helpers (`reduceOp`, `reduceParams`, `sharedExtremeOp`) serve reductions.ts
 * too, which holds the rest of the family (prod, norm, std, amax, ...).
 */
import { extremeInto, sumInto } from '../kernels/reduce';
import { sumIntInto } from '../kernels/integer-reductions';
import { ArgumentError, DTypeError, ShapeError, safeString } from '../errors';
import { noGrad } from '../autograd/grad-mode';
import { allocate, isFloat, type DType } from '../tensor/dtype';
import { formatShape, normalizeAxes, normalizeAxis, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import {
  apply,
  asTensor,
  floatDTypeOf,
  scalarTensor,
  type ForwardContext,
  type Inputs,
  type OpDef,
  type TensorLike,
  type Binary,
  type Unary,
} from './define';
import { expand, reshape } from './shape';
import { putFlat } from './index-ops';
import { inputsOf, tracedWhole } from './trace';
import { where, ne, eq, logicalAnd, logicalOr } from './compare';
import {
  checkFloatInput,
  convertedTo,
  integerResult,
  reduceArguments,
  sumDType,
  type ReduceOptions,
} from './reduce-dtype';

/** An axis, a list of axes, or undefined for all of them. */
export type AxisArg = number | readonly number[] | undefined;

/** The checked axes and keepDims of a reduction; ops with more parameters extend it. */
export interface ReduceParams {
  axes: readonly number[];
  keepDims: boolean;
}

export interface Reduction {
  /** The output shape with reduced axes kept as 1s, and as returned. */
  kept: number[];
  shape: number[];
  /** Output strides over the input's shape: 0 along reduced axes. */
  outStrides: number[];
}

export function plan(input: Shape, axes: readonly number[], keepDims: boolean): Reduction {
  const reduced = new Set(axes);
  const kept = input.map((d, i) => (reduced.has(i) ? 1 : d));
  const shape = keepDims ? kept : input.filter((_, i) => !reduced.has(i));
  const outStrides = new Array<number>(input.length).fill(0);
  let s = 1;
  for (let i = input.length - 1; i >= 0; i--) {
    if (!reduced.has(i)) {
      outStrides[i] = s;
      s *= input[i] as number;
    }
  }
  return { kept, shape, outStrides };
}

/** A tensor of `dtype` holding `values` (rounded to float32, or stored exactly in an integer dtype whose values they are). */
export function fromFloat64(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  if (dtype === 'float64') return Tensor.fromData(values, shape, dtype);
  const out = allocate(dtype, values.length);
  out.set(values);
  return Tensor.fromData(out, shape, dtype);
}

/** Checks keepDims and normalizes the axes (sorted, non-negative), errors naming op `op`. */
function params(op: string, x: Tensor, axis: AxisArg, keepDims: boolean | undefined): ReduceParams {
  if (keepDims !== undefined && typeof keepDims !== 'boolean') {
    throw new ArgumentError(op, `keepDims must be a boolean, got ${safeString(keepDims)}`);
  }
  return { axes: normalizeAxes(op, axis, x.ndim), keepDims: keepDims ?? false };
}
export { params as reduceParams };

/**
 * A reduction along axes: one input, and a backward that spreads g back over
 * the reduced axes. P is its parameters (axes, keepDims and any others, such
 * as norm's p), S what forward saves.
 */
export interface ReduceSpec<P extends ReduceParams = ReduceParams, S extends Inputs = Unary> {
  name: string;
  /** The reduced tensor, of shape `r.shape`; saves what backward reads (max saves its indices). */
  forward(x: Tensor, r: Reduction, ctx: ForwardContext<S>, params: P): Tensor;
  /** x's gradient from g (reshaped to `r.kept`, the reduced axes kept as 1s) and what forward saved. */
  backward(g: Tensor, r: Reduction, inputShape: Shape, saved: S, params: P): Tensor;
}

/** The OpDef of a reduction. */
export type ReduceDef<P extends ReduceParams = ReduceParams, S extends Inputs = Unary> = OpDef<Unary, P, S>;

/** A reduction as an OpDef. */
export function reduceOp<P extends ReduceParams = ReduceParams, S extends Inputs = Unary>(
  spec: ReduceSpec<P, S>,
): ReduceDef<P, S> {
  return {
    name: spec.name,
    forward: ([x], params, ctx) => spec.forward(x, plan(x._shape, params.axes, params.keepDims), ctx, params),
    backward(g, { params, inputShapes: [shape], saved }) {
      const r = plan(shape as Shape, params.axes, params.keepDims);
      return [spec.backward(reshape(g, r.kept), r, shape as Shape, saved, params)];
    },
  };
}

/** The parameters of a sum or product: the result's dtype besides the axes. */
export interface SumParams extends ReduceParams {
  /** The result's dtype: the input's float dtype, else int32 or the requested integer or bool dtype. */
  dtype: DType;
}

/** The reductions' table: tests reach every op through it. */
export const reduceOps = {
  sum: reduceOp<SumParams>({
    name: 'sum',
    forward(x, r, _ctx, { dtype }) {
      if (!isFloat(x.dtype)) {
        const acc = new Int32Array(sizeOf(r.shape));
        sumIntInto(
          { x: x.storage.data, offset: x.offset, strides: x._strides, shape: x._shape, outStrides: r.outStrides },
          acc,
        );
        return integerResult(acc, r.shape, dtype);
      }
      const acc = new Float64Array(sizeOf(r.shape));
      sumInto(x.storage.data, x.offset, x._strides, x._shape, acc, r.outStrides);
      return fromFloat64(acc, r.shape, floatDTypeOf(x));
    },
    // Every input element contributed once: spread g back over the reduced axes.
    backward: (g, _r, shape) => expand(g, shape),
  }),
  max: extremeOp('max'),
  min: extremeOp('min'),
} satisfies Record<string, ReduceDef<never>>;

/**
 * Sum over `axis` (all axes when omitted); `keepDims` keeps reduced axes as
 * 1s. The sum of no elements is 0. Integer and bool tensors sum to int32,
 * exactly, wrapping modulo 2^32. `{ dtype }` converts the input first and
 * sums in that dtype (PyTorch's `dtype=`); the options may stand in place
 * of the axis.
 *
 * NOTE: PyTorch sums integers and bools to int64; chainrule has no int64,
 * so past ±2^31 the result differs from PyTorch's by a multiple of 2^32.
 *
 * @example
 * x.sum();                       // every element
 * x.sum(0);                      // down the columns of a matrix
 * x.sum(-1, true);               // along rows, keeping a [n, 1] shape for broadcasting
 * x.sum({ dtype: 'float64' });   // every element, summed in float64
 * mask.sum();                    // the count of true elements, int32
 */
export function sum(
  x: TensorLike,
  axisOrOptions?: AxisArg | ReduceOptions,
  keepDims?: boolean,
  options?: ReduceOptions,
): Tensor {
  const t = asTensor('sum', x);
  const { axis, keepDims: keep, dtype } = reduceArguments('sum', axisOrOptions, keepDims, options);
  const p = params('sum', t, axis, keep);
  const src = convertedTo(t, dtype);
  return apply(reduceOps.sum, [src], { ...p, dtype: sumDType(src, dtype) });
}

/**
 * Mean over `axis`; the mean of no elements is NaN (0/0), as in NumPy.
 * `{ dtype: 'float32' | 'float64' }` converts the input first.
 *
 * NOTE: as PyTorch, an integer or bool tensor is refused unless a float
 * `dtype` is given (its mean is not an integer).
 *
 * @example
 * x.mean(0);                                 // down the columns
 * labels.mean({ dtype: 'float64' });         // the mean of an int32 tensor
 */
export function mean(
  x: TensorLike,
  axisOrOptions?: AxisArg | ReduceOptions,
  keepDims?: boolean,
  options?: ReduceOptions,
): Tensor {
  const t = asTensor('mean', x);
  const { axis, keepDims: keep, dtype } = reduceArguments('mean', axisOrOptions, keepDims, options);
  const { axes } = params('mean', t, axis, keep);
  if (dtype !== undefined && !isFloat(dtype)) {
    throw new DTypeError('mean', `option 'dtype' must be a float dtype ('float32' or 'float64'), got '${dtype}'`);
  }
  if (dtype === undefined) {
    checkFloatInput('mean', t, "pass { dtype: 'float32' } or { dtype: 'float64' } to take the mean of its values");
  }
  const src = convertedTo(t, dtype);
  let count = 1;
  for (const a of axes) count *= src._shape[a] as number;
  return sum(src, axes, keep).div(count);
}

function extremeOp(name: 'max' | 'min'): ReduceDef {
  return reduceOp({
    name,
    forward(x, r, ctx) {
      const [values, indices] = extremes(x, r, name === 'max');
      ctx.save(indices);
      return values;
    },
    // NOTE: the whole gradient goes to the selected element; among ties that
    // is the first one in row-major order (the one argmax reports).
    backward: (g, _r, shape, [indices]) => putFlat(g, indices, shape),
  });
}

/** The largest (or smallest) element of each reduced slice, and its row-major index in x. */
function extremes(input: Tensor, r: Reduction, largest: boolean): [Tensor, Tensor] {
  const size = sizeOf(r.shape);
  const values = new Float64Array(size);
  const index = new Int32Array(size).fill(-1);
  extremeInto(largest, input.storage.data, input.offset, input._strides, input._shape, values, index, r.outStrides);
  // NOTE: integer and bool inputs keep their dtype, as PyTorch's max, min, amax and amin.
  return [fromFloat64(values, r.shape, input.dtype), Tensor.fromData(index, r.shape, 'int32')];
}

/** Throws unless every reduced axis has elements (an empty slice has no max). */
export function checkNonEmpty(op: string, x: Tensor, axes: readonly number[]): void {
  for (const a of axes) {
    if (x._shape[a] === 0) {
      throw new ShapeError(op, `cannot take the ${op} over axis ${a} of size 0 in shape ${formatShape(x._shape)}`);
    }
  }
}

/**
 * A max or min whose gradient is shared evenly among the tied elements of
 * each slice (amax/amin, and max()/min() over every axis). `nanTies` also
 * counts the NaNs of a slice whose result is NaN as tied.
 */
export function sharedExtremeOp(name: string, largest: boolean, nanTies: boolean): ReduceDef<ReduceParams, Binary> {
  return reduceOp<ReduceParams, Binary>({
    name,
    forward(x, r, ctx) {
      const [values] = extremes(x, r, largest);
      ctx.save(x, values);
      return values;
    },
    // d out / d x_i = 1/k for each of the k elements equal to out, 0 elsewhere.
    // NOTE: as in PyTorch, the share is g / k times the mask, so a slice of
    // amax whose result is NaN (no element equals NaN, k = 0) gets NaN
    // gradients; max() over every axis instead counts that slice's NaNs as
    // the tied elements (`nanTies`), as PyTorch's max() does.
    backward(g, r, _shape, [x, values], { axes }) {
      const out = reshape(values, r.kept);
      let mask = eq(x, out);
      if (nanTies) mask = logicalOr(mask, logicalAnd(ne(x, x), ne(out, out)));
      const share = mask.to(g.dtype);
      return g.div(share.sum(axes, true)).mul(share);
    },
  });
}

/** max() and min() over every axis: the gradient is shared among ties, as PyTorch's max() does. */
const everyAxisExtremes = {
  max: sharedExtremeOp('max', true, true),
  min: sharedExtremeOp('min', false, true),
};

/**
 * Largest element over `axis`. With no axis (every element) the gradient is
 * shared evenly among the elements equal to the max; along an axis it goes
 * to the element the max was taken from (the first of ties, as argmax).
 */
export function max(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('max', x);
  const p = params('max', t, axis, keepDims);
  checkNonEmpty('max', t, p.axes);
  // NOTE: PyTorch's max() splits the gradient among ties and max(dim) sends
  // it to the returned index; an axis given (a number or a list) is max(dim).
  if (axis === undefined) return apply(everyAxisExtremes.max, [t], p);
  return apply(reduceOps.max, [t], p);
}

/** Smallest element over `axis`; the gradient as for {@link max}. */
export function min(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const t = asTensor('min', x);
  const p = params('min', t, axis, keepDims);
  checkNonEmpty('min', t, p.axes);
  if (axis === undefined) return apply(everyAxisExtremes.min, [t], p);
  return apply(reduceOps.min, [t], p);
}

function argExtreme(
  op: string,
  x: TensorLike,
  axis: number | undefined,
  keepDims: boolean | undefined,
  largest: boolean,
): Tensor {
  const t = asTensor(op, x);
  if (axis === undefined) {
    if (t.size === 0)
      throw new ShapeError(op, `cannot take the ${op} of an empty tensor of shape ${formatShape(t._shape)}`);
    const [, flat] = extremes(t, plan(t._shape, normalizeAxes(op, undefined, t.ndim), false), largest);
    return keepDims === true
      ? reshape(
          flat,
          t._shape.map(() => 1),
        )
      : flat;
  }
  const a = normalizeAxis(op, axis, t.ndim);
  // NOTE: as in NumPy and PyTorch, only the reduced axis must be non-empty:
  // the argmax along axis 1 of a [0,3] tensor is an empty [0].
  if (t.ndim > 0 && t._shape[a] === 0) {
    throw new ShapeError(op, `cannot take the ${op} over axis ${a} of size 0 in shape ${formatShape(t._shape)}`);
  }
  const [, flat] = extremes(t, plan(t._shape, [a], keepDims ?? false), largest);
  // Row-major index in x → position along axis a.
  let inner = 1;
  for (let i = a + 1; i < t.ndim; i++) inner *= t._shape[i] as number;
  const along = t._shape[a] ?? 1;
  const data = flat.storage.data;
  for (let i = 0; i < data.length; i++) data[i] = Math.floor((data[i] as number) / inner) % along;
  return flat;
}

/** Index of the largest element along `axis` (of the flattened tensor when omitted), as int32. */
export function argmax(x: TensorLike, axis?: number, keepDims?: boolean): Tensor {
  return tracedWhole('argmax', inputsOf(x), { axis, keepDims }, () => argExtreme('argmax', x, axis, keepDims, true));
}

/** Index of the smallest element along `axis` (of the flattened tensor when omitted), as int32. */
export function argmin(x: TensorLike, axis?: number, keepDims?: boolean): Tensor {
  return tracedWhole('argmin', inputsOf(x), { axis, keepDims }, () => argExtreme('argmin', x, axis, keepDims, false));
}

/**
 * log Σ exp(x) over `axis`, computed as m + log Σ exp(x - m) with m the max,
 * so large inputs do not overflow. Its gradient is softmax(x). Over an empty
 * axis it is log 0 = -Infinity, as in PyTorch.
 */
export function logsumexp(x: TensorLike, axis?: AxisArg, keepDims?: boolean): Tensor {
  const given = asTensor('logsumexp', x);
  // NOTE: an integer or bool tensor gives float32, as PyTorch.
  const t = isFloat(given.dtype) ? given : given.to('float32');
  const { axes, keepDims: keep } = params('logsumexp', t, axis, keepDims);
  // The shift only has to be a constant per slice: cut it from the graph, and
  // use 0 where the max is ±Infinity so exp(x - m) does not become NaN, and
  // for empty slices, which have no max.
  const empty = axes.some((a) => t._shape[a] === 0);
  const shift = empty
    ? scalarTensor(0, floatDTypeOf(t))
    : noGrad(() => {
        const m = max(t.detach(), axes, true);
        return where(ne(m.abs(), Infinity), m, 0);
      });
  const out = t.sub(shift).exp().sum(axes, true).log().add(shift);
  return keep ? out : reshape(out, plan(t._shape, axes, false).shape);
}

/** What to write instead when var, std and their kin refuse an integer or bool tensor, as PyTorch does. */
export const floatOnlyHint = "convert it first, e.g. x.to('float64')";

/** Options of {@link variance} and std. */
export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (default, as PyTorch) is the unbiased estimate, 0 the population variance. */
  correction?: number;
}

/** The checked correction of var/std-like op `op`: a finite number ≥ 0, 1 when not given. */
export function correctionOf(op: string, options: VarOptions): number {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(op, `options must be an object like { correction: 0 }, got ${safeString(options)}`);
  }
  const correction = options.correction ?? 1;
  // NOTE: PyTorch accepts a negative correction (dividing by N + |c|); we
  // refuse it, as no estimator wants it and it is most likely a sign slip.
  if (typeof correction !== 'number' || !Number.isFinite(correction) || correction < 0) {
    throw new ArgumentError(
      op,
      `correction must be a finite number ≥ 0 (1 for the unbiased estimate, 0 for the population), got ${safeString(correction)}`,
    );
  }
  return correction;
}

/** The number of elements in each reduced slice. */
export function countOf(x: Tensor, axes: readonly number[]): number {
  let count = 1;
  for (const a of axes) count *= x._shape[a] as number;
  return count;
}

/** Σ (x - mean)² / max(N - correction, 0) over checked axes: 0/0 = NaN when N ≤ correction and all deviations are 0. */
export function varianceOf(t: Tensor, axes: readonly number[], keep: boolean, correction: number): Tensor {
  const centered = t.sub(mean(t, axes, true));
  return centered
    .square()
    .sum(axes, keep)
    .div(Math.max(countOf(t, axes) - correction, 0));
}

/** Variance over `axis`: Σ (x - mean)² / (N - correction). */
export function variance(x: TensorLike, axis?: AxisArg, keepDims?: boolean, options: VarOptions = {}): Tensor {
  const t = asTensor('var', x);
  checkFloatInput('var', t, floatOnlyHint);
  const { axes, keepDims: keep } = params('var', t, axis, keepDims);
  return varianceOf(t, axes, keep, correctionOf('var', options));
}
