/**
 * Writes along one axis: scatter, scatterAdd and scatterReduce (by an index
 * of x's rank, element by element) and indexAdd, indexCopy and indexFill (by
 * a list of positions along the axis, whole slices at a time). All are
 * functional: they return a changed copy of x. Every index is checked before
 * anything is allocated.
 */
import { ArgumentError, DTypeError, ShapeError, safeString } from '../errors';
import { booleanOption, optionsObject } from '../internal/options';
import { describeValue } from '../internal/describe';
import { shiftBy, stridedOffsets } from '../kernels/positions';
import type { ScatterReduction } from '../kernels/scatter';
import { isFloat, type DType } from '../tensor/dtype';
import { contiguousStrides, formatShape, normalizeAxis, sameShape, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, emptyLike, type TensorLike } from './define';
import { outOfBounds, packedData } from './index-plan';
import { positionsTensor, putOp } from './index-primitives';
import { checkAddable, index, intIndex, valuesFor } from './indexing';
import { scatterReduceDef } from './scatter-reduce';
import { reshape } from './shape';
import { to } from './cast';

export type { ScatterReduction } from '../kernels/scatter';

/** The scatter ops' table: tests reach every op through it. */
export const scatterOps = {
  scatter: putOp('scatter'),
  scatterAdd: putOp('scatterAdd'),
  scatterReduce: scatterReduceDef,
  indexAdd: putOp('indexAdd'),
  indexCopy: putOp('indexCopy'),
  indexFill: putOp('indexFill'),
};

/** x's shape as positions are computed over it: a 0-d tensor counts as one element along axis 0. */
const layoutShape = (t: Tensor): Shape => (t.ndim === 0 ? [1] : t._shape);

interface AlongAxis {
  axis: number;
  index: Tensor;
  positions: Tensor;
}

/**
 * Checks scatter's index (x's rank; no larger than x except along the axis,
 * and no larger than src) and computes where each of its elements writes.
 */
function scatterPlan(op: string, t: Tensor, axis: number, index: unknown, src: Tensor | null): AlongAxis {
  const a = normalizeAxis(op, axis, t.ndim);
  const idx = intIndex(op, index);
  const xs = layoutShape(t);
  const is = idx.ndim === 0 ? [1] : idx._shape;
  const fits =
    idx.ndim === t.ndim &&
    is.every((d, i) => i === a || d <= (xs[i] as number)) &&
    (src === null || (src.ndim === idx.ndim && is.every((d, i) => d <= (layoutShape(src)[i] as number))));
  if (!fits) {
    throw new ShapeError(
      op,
      `index of shape ${formatShape(idx._shape)} does not fit: it must have the tensor's rank, be no larger than the tensor ${formatShape(t._shape)} except along axis ${a}${src === null ? '' : `, and no larger than src ${formatShape(src._shape)}`}`,
    );
  }
  const values = packedData(idx) as Int32Array;
  const size = xs[a] as number;
  for (const k of values) if (k < 0 || k >= size) throw outOfBounds(op, k, a, size, false);
  const cs = contiguousStrides(xs);
  const base = stridedOffsets(
    is,
    cs.map((s, i) => (i === a ? 0 : s)),
  );
  const positions = positionsTensor(shiftBy(base, values, null, cs[a] as number), idx._shape);
  return { axis: a, index: idx, positions };
}

function checkSource(op: string, src: unknown, dtype: DType, what: string): Tensor {
  if (!(src instanceof Tensor)) {
    throw new ArgumentError(op, `${what} must be a Tensor, got ${describeOperand(src)}`);
  }
  if (src.dtype !== dtype) {
    throw new DTypeError(
      op,
      `${what} is ${src.dtype} but the tensor written into is ${dtype}; they must match (convert with .to('${dtype}'))`,
    );
  }
  return src;
}

/** The part of src that scatter reads: its leading corner of the index's shape (a view). */
function srcPart(src: Tensor, idx: Tensor): Tensor {
  if (sameShape(src._shape, idx._shape)) return src;
  return index(
    src,
    idx._shape.map((n) => ({ stop: n })),
  );
}

function scatterWith(op: 'scatter' | 'scatterAdd', x: TensorLike, axis: number, idx: unknown, src: unknown): Tensor {
  const t = asTensor(op, x);
  if (op === 'scatter' && typeof src === 'number') {
    const { positions, index: i } = scatterPlan(op, t, axis, idx, null);
    return apply(scatterOps.scatter, [t, valuesFor(op, src, t.dtype, i._shape, 'src')], {
      positions,
      accumulate: false,
    });
  }
  if (op === 'scatterAdd') checkAddable(op, t);
  const s = checkSource(op, src, t.dtype, 'src');
  const { positions, index: i } = scatterPlan(op, t, axis, idx, s);
  return apply(scatterOps[op], [t, srcPart(s, i)], { positions, accumulate: op === 'scatterAdd' });
}

/**
 * A copy of x with src's elements written along `axis` where `index` says
 * (PyTorch's scatter): for a matrix and axis 1, `out[i][index[i][j]] =
 * src[i][j]`. `index` has x's rank and is no larger than src (nor than x
 * except along `axis`); src may also be a number. Differentiable in x and src.
 *
 * NOTE: of repeated indices the last write wins (PyTorch leaves the order
 * undefined); only that write gets a gradient.
 *
 * @example
 * zeros([2, 4]).scatter(1, tensor(new Int32Array([1, 3]), { shape: [2, 1] }), 1); // one-hot rows
 */
export function scatter(x: TensorLike, axis: number, index: Tensor, src: Tensor | number): Tensor {
  return scatterWith('scatter', x, axis, index, src);
}

/**
 * Like {@link scatter}, but adds src's elements into x (repeated indices add
 * up): PyTorch's scatter_add. Differentiable in x and src.
 *
 * @example
 * zeros([3]).scatterAdd(0, labels, ones([labels.size])); // a histogram of the labels
 */
export function scatterAdd(x: TensorLike, axis: number, index: Tensor, src: Tensor): Tensor {
  return scatterWith('scatterAdd', x, axis, index, src);
}

/** Options of {@link scatterReduce}. */
export interface ScatterReduceOptions {
  /** Whether x's own element takes part in the reduction where something is written (default true). */
  includeSelf?: boolean;
}

const reductions: readonly ScatterReduction[] = ['sum', 'prod', 'mean', 'amax', 'amin'];

/**
 * Reduces src's elements into x along `axis` where `index` says (PyTorch's
 * scatter_reduce): 'sum', 'prod', 'mean', 'amax' or 'amin' of x's element
 * (unless `includeSelf` is false) and every src element sent to it. Where
 * nothing is sent, x's element stays. Integer means round down, as in
 * PyTorch. Differentiable in x and src: amax and amin split g evenly among
 * ties, prod's gradient is exact where elements are 0.
 *
 * @example
 * scatterReduce(zeros([2]), 0, groups, values, 'amax', { includeSelf: false }); // the largest value of each group
 */
export function scatterReduce(
  x: TensorLike,
  axis: number,
  index: Tensor,
  src: Tensor,
  reduce: ScatterReduction,
  options?: ScatterReduceOptions,
): Tensor {
  const op = 'scatterReduce';
  const t = asTensor(op, x);
  checkAddable(op, t);
  const s = checkSource(op, src, t.dtype, 'src');
  if (!reductions.includes(reduce)) {
    throw new ArgumentError(
      op,
      `reduce must be one of ${reductions.map((r) => `'${r}'`).join(', ')}, got ${describeValue(reduce)}`,
    );
  }
  const o = optionsObject(op, options, { includeSelf: true });
  const includeSelf = booleanOption(op, 'includeSelf', o.includeSelf, true);
  const { positions, index: i } = scatterPlan(op, t, axis, index, s);
  return apply(scatterReduceDef, [t, srcPart(s, i)], { positions, reduce, includeSelf });
}

/**
 * Where indexAdd, indexCopy and indexFill write: the slices at `index` along
 * `axis`, for a source of x's shape with `index.size` along the axis.
 */
function slicePlan(op: string, t: Tensor, axis: number, index: unknown, negatives: boolean) {
  const a = normalizeAxis(op, axis, t.ndim);
  const idx = intIndex(op, index);
  if (idx.ndim > 1) {
    throw new ShapeError(op, `index must be 1-D (or 0-d), got shape ${formatShape(idx._shape)}`);
  }
  const xs = layoutShape(t);
  const size = xs[a] as number;
  const values = Int32Array.from(packedData(idx));
  values.forEach((k, i) => {
    if (k < (negatives ? -size : 0) || k >= size) throw outOfBounds(op, k, a, size, negatives);
    if (k < 0) values[i] = k + size;
  });
  const shape = xs.map((d, i) => (i === a ? values.length : d));
  const cs = contiguousStrides(xs);
  const base = stridedOffsets(
    shape,
    cs.map((s, i) => (i === a ? 0 : s)),
  );
  const along = stridedOffsets(
    shape,
    shape.map((_, i) => (i === a ? 1 : 0)),
  );
  return { axis: a, shape, positions: positionsTensor(shiftBy(base, values, along, cs[a] as number), shape) };
}

/** The source of indexAdd or indexCopy: x's dtype, and x's shape with index.size along the axis. */
function sliceSource(op: string, t: Tensor, source: unknown, shape: Shape, axis: number): Tensor {
  const s = checkSource(op, source, t.dtype, 'source');
  const fits = sameShape(s._shape, shape) || (t.ndim === 0 && s.size === 1 && s.ndim <= 1 && shape[0] === 1);
  if (!fits) {
    throw new ShapeError(
      op,
      `source has shape ${formatShape(s._shape)}, expected ${formatShape(t.ndim === 0 ? [] : shape)}: the tensor's shape ${formatShape(t._shape)} with the number of indices along axis ${axis}`,
    );
  }
  return sameShape(s._shape, shape) ? s : reshape(s, shape);
}

/** alpha·s for an int32 tensor, wrapping at 32 bits as int32 arithmetic does (s.mul would compute in float32). */
function scaledInts(s: Tensor, alpha: number): Tensor {
  const out = emptyLike(s._shape, s.dtype);
  const o = out.storage.data;
  const d = packedData(s);
  for (let i = 0; i < o.length; i++) o[i] = Math.imul(d[i] as number, alpha);
  return out;
}

/** Options of {@link indexAdd}. */
export interface IndexAddOptions {
  /** Multiplies source before it is added (default 1). */
  alpha?: number;
}

/**
 * A copy of x with `alpha`·source added into the slices at `index` along
 * `axis` (PyTorch's index_add): for axis 0, `out[index[i]] += alpha ·
 * source[i]`; repeated indices add up. Differentiable in x and source.
 *
 * @example
 * zeros([3, 2]).indexAdd(0, [0, 0, 2], ones([3, 2])); // rows 2, 0, 1
 */
export function indexAdd(
  x: TensorLike,
  axis: number,
  index: Tensor | readonly number[],
  source: Tensor,
  options?: IndexAddOptions,
): Tensor {
  const t = asTensor('indexAdd', x);
  checkAddable('indexAdd', t);
  const alpha = optionsObject('indexAdd', options, { alpha: true }).alpha ?? 1;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) {
    throw new ArgumentError('indexAdd', `option 'alpha' must be a finite number, got ${safeString(alpha)}`);
  }
  if (!isFloat(t.dtype) && !Number.isInteger(alpha)) {
    throw new ArgumentError('indexAdd', `option 'alpha' must be an integer for a ${t.dtype} tensor, got ${alpha}`);
  }
  const plan = slicePlan('indexAdd', t, axis, index, false);
  const s = sliceSource('indexAdd', t, source, plan.shape, plan.axis);
  const v = alpha === 1 ? s : isFloat(t.dtype) ? s.mul(alpha) : scaledInts(s, alpha);
  return apply(scatterOps.indexAdd, [t, v], { positions: plan.positions, accumulate: true });
}

/**
 * A copy of x with source's slices written at `index` along `axis`
 * (PyTorch's index_copy): for axis 0, `out[index[i]] = source[i]`. Of
 * repeated indices the last wins. Differentiable in x and source.
 *
 * @example
 * zeros([3, 2]).indexCopy(0, [2, 0], tensor([[1, 2], [3, 4]])); // [[3, 4], [0, 0], [1, 2]]
 */
export function indexCopy(x: TensorLike, axis: number, index: Tensor | readonly number[], source: Tensor): Tensor {
  const t = asTensor('indexCopy', x);
  const plan = slicePlan('indexCopy', t, axis, index, false);
  const s = sliceSource('indexCopy', t, source, plan.shape, plan.axis);
  return apply(scatterOps.indexCopy, [t, s], { positions: plan.positions, accumulate: false });
}

/** A fill value: a number, or a 0-d tensor (converted to x's dtype). */
export function fillValue(op: string, value: unknown, dtype: DType): Tensor | number {
  if (typeof value === 'number') return value;
  if (!(value instanceof Tensor)) {
    throw new ArgumentError(op, `the value must be a number or a 0-d Tensor, got ${describeOperand(value)}`);
  }
  if (value.ndim !== 0) {
    throw new ShapeError(op, `the value must be a number or a 0-d tensor, got shape ${formatShape(value._shape)}`);
  }
  // Converted as PyTorch does (2.7 fills an int32 tensor with 2); differentiable between float dtypes.
  return value.dtype === dtype ? value : to(value, dtype);
}

/**
 * A copy of x with the slices at `index` along `axis` set to `value`
 * (PyTorch's index_fill); negative indices count from the end. `value` is a
 * number or a 0-d tensor, and the result is differentiable in both x and a
 * tensor value.
 *
 * @example
 * x.indexFill(1, [0, -1], 0); // zero the first and last columns
 */
export function indexFill(
  x: TensorLike,
  axis: number,
  index: Tensor | readonly number[],
  value: Tensor | number,
): Tensor {
  const t = asTensor('indexFill', x);
  const plan = slicePlan('indexFill', t, axis, index, true);
  const v = valuesFor('indexFill', fillValue('indexFill', value, t.dtype), t.dtype, plan.shape, 'the value');
  return apply(scatterOps.indexFill, [t, v], { positions: plan.positions, accumulate: false });
}
