/**
 * Indexing with PyTorch's semantics: `index` (Python's `x[...]`), its
 * functional write `indexPut`, and the single-axis forms `select`, `narrow`,
 * `take` and `takeAlongDim`. Basic indexing is a view; advanced indexing
 * (tensors, arrays, masks) gathers, and its gradient adds repeats up.
 * index-plan.ts reads and checks the index list; index-primitives.ts holds
 * the view, read and write ops all of these are made of.
 */
import { ArgumentError, DTypeError, IndexError, ShapeError, safeString } from '../errors';
import { optionsObject, booleanOption } from '../internal/options';
import { shiftBy, stridedOffsets } from '../kernels/positions';
import { broadcastStrides, contiguousStrides, formatShape, normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, scalarTensor, type TensorLike } from './define';
import {
  arrayToTensor,
  outOfBounds,
  packedData,
  planIndex,
  planPositions,
  type IndexArray,
  type IndexItem,
  type ViewDim,
} from './index-plan';
import { indexBackwardDef, indexViewDef, positionsTensor, putOp, takeOp, viewOp } from './index-primitives';
import { expand } from './shape';

/** The indexing ops' table: tests reach every op through it. */
export const indexingOps = {
  index: indexViewDef,
  indexBackward: indexBackwardDef,
  indexPut: putOp('indexPut'),
  select: viewOp('select'),
  narrow: viewOp('narrow'),
  take: takeOp('take'),
  takeAlongDim: takeOp('takeAlongDim'),
};

/** Advanced indexing's gather (not a row of its own: the `index` row and its tests reach it). */
const advancedIndexDef = takeOp('index');

/**
 * `x[indices]` with PyTorch's rules. Each entry of the list indexes the next
 * axis (or axes): an integer (negative counts from the end) selects and
 * removes the axis; a slice `{ start, stop, step }` keeps it; `null` inserts
 * an axis of size 1; `Ellipsis` (`'...'`) stands for the axes the other
 * entries leave; int32 tensors and arrays of integers pick elements (they
 * broadcast together); bool tensors and arrays are masks. Without tensors or
 * arrays the result is a view sharing x's storage; with them it is a copy,
 * whose gradient adds up over repeated indices.
 *
 * NOTE: the advanced axes (from tensors and masks) replace the axes they
 * index when they are next to each other, and go first when a slice, null or
 * the ellipsis separates them (an integer does not separate them: it removed
 * its axis first), as in PyTorch. Negative slice steps, which PyTorch
 * refuses, have NumPy's meaning.
 *
 * @example
 * x.index([0]);                                 // x[0], a view
 * x.index([Ellipsis, { start: 1, step: 2 }]);  // x[..., 1::2]
 * x.index([{ step: -1 }]);                      // x[::-1] (NumPy), a view
 * x.index([{}, [2, 0, 2]]);                     // x[:, [2, 0, 2]]
 * x.index([x.gt(0)]);                           // x[x > 0], 1-D
 */
export function index(x: TensorLike, indices: readonly IndexItem[]): Tensor {
  const t = asTensor('index', x);
  const plan = planIndex('index', t._shape, indices);
  if (plan.advanced.length === 0) return apply(indexingOps.index, [t], plan.view);
  const positions = positionsTensor(planPositions(plan, t._shape), plan.resultShape);
  return apply(advancedIndexDef, [t], { positions });
}

/** Options of {@link indexPut}. */
export interface IndexPutOptions {
  /** Add the values into x (repeated indices add up) instead of writing them (default false). */
  accumulate?: boolean;
}

/** `values` as a tensor of x's dtype broadcast to `shape`, or a typed error naming `op`. */
export function valuesFor(op: string, values: unknown, dtype: Tensor['dtype'], shape: Shape, what = 'values'): Tensor {
  // A number stored as a bool is its truth (2.5 is true), not its low byte.
  if (typeof values === 'number')
    return expand(scalarTensor(dtype === 'bool' ? Number(values !== 0) : values, dtype), shape);
  if (!(values instanceof Tensor)) {
    throw new ArgumentError(op, `${what} must be a Tensor or a number, got ${describeOperand(values)}`);
  }
  if (values.dtype !== dtype) {
    throw new DTypeError(
      op,
      `${what} are ${values.dtype} but the tensor written into is ${dtype}; they must match (convert with .to('${dtype}'))`,
    );
  }
  const lead = shape.length - values.ndim;
  if (lead < 0 || values._shape.some((d, i) => d !== 1 && d !== shape[lead + i])) {
    throw new ShapeError(
      op,
      `${what} of shape ${formatShape(values._shape)} do not broadcast to the shape ${formatShape(shape)} of the indexed elements`,
    );
  }
  return expand(values, shape);
}

/**
 * A copy of x with `values` written at `indices` (PyTorch's `index_put`, the
 * functional form of `x[indices] = values`); with `accumulate` they are
 * added instead. `indices` takes every form {@link index} does; `values` (a
 * number, or a tensor of x's dtype) broadcasts to the shape of
 * `x.index(indices)`. Differentiable in x and values. Everything is checked
 * before anything is written.
 *
 * NOTE: without `accumulate`, of repeated indices the last write (in
 * row-major order of the indexed elements) wins, as PyTorch does on the CPU
 * (it documents the order as undefined).
 *
 * @example
 * x.indexPut([{}, 0], 0);                                 // x[:, 0] = 0
 * counts.indexPut([labels], 1, { accumulate: true });     // counts[labels] += 1
 */
export function indexPut(
  x: TensorLike,
  indices: readonly IndexItem[],
  values: TensorLike,
  options?: IndexPutOptions,
): Tensor {
  const t = asTensor('indexPut', x);
  const o = optionsObject('indexPut', options, { accumulate: true });
  const accumulate = booleanOption('indexPut', 'accumulate', o.accumulate, false);
  if (accumulate) checkAddable('indexPut', t);
  const plan = planIndex('indexPut', t._shape, indices);
  const v = valuesFor('indexPut', values, t.dtype, plan.resultShape);
  const positions = positionsTensor(planPositions(plan, t._shape), plan.resultShape);
  return apply(indexingOps.indexPut, [t, v], { positions, accumulate });
}

/** Refuses adding into (or reducing) a bool tensor: a sum of flags is not a flag. */
export function checkAddable(op: string, t: Tensor): void {
  if (t.dtype === 'bool') {
    throw new DTypeError(op, `cannot add into a bool tensor; convert it first (e.g. .to('int32'))`);
  }
}

function checkInteger(op: string, v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentError(op, `${name} must be an integer, got ${safeString(v)}`);
  }
  return v;
}

function notScalar(op: string, t: Tensor): void {
  if (t.ndim === 0) throw new ShapeError(op, `cannot ${op} from a 0-d tensor; it has no axis`);
}

/** Every axis of x, read whole: the view dims basic indexing starts from. */
const allAxes = (shape: Shape): ViewDim[] => shape.map((size, axis) => ({ axis, size, step: 1 }));

/**
 * The slice at position `i` along `axis`, with that axis removed (PyTorch's
 * select, `x[:, i]` for axis 1), as a view; `i` may be negative.
 *
 * @example
 * images.select(1, 0); // channel 0 of [N, C, H, W]: [N, H, W]
 */
export function select(x: TensorLike, axis: number, i: number): Tensor {
  const t = asTensor('select', x);
  notScalar('select', t);
  const a = normalizeAxis('select', axis, t.ndim);
  const size = t._shape[a] as number;
  const k = checkInteger('select', i, 'the index');
  if (k < -size || k >= size) throw outOfBounds('select', k, a, size);
  const starts = t._shape.map((_, j) => (j === a ? (k < 0 ? k + size : k) : 0));
  return apply(indexingOps.select, [t], { starts, dims: allAxes(t._shape).filter((d) => d.axis !== a) });
}

/**
 * `length` elements along `axis` from `start` (negative counts from the
 * end), as a view: PyTorch's narrow, `x[:, start:start + length]` for axis 1.
 *
 * @example
 * x.narrow(-1, 0, 2); // the first two columns
 */
export function narrow(x: TensorLike, axis: number, start: number, length: number): Tensor {
  const t = asTensor('narrow', x);
  notScalar('narrow', t);
  const a = normalizeAxis('narrow', axis, t.ndim);
  const size = t._shape[a] as number;
  const s = checkInteger('narrow', start, 'start');
  const n = checkInteger('narrow', length, 'length');
  if (s < -size || s > size) {
    throw new IndexError(
      'narrow',
      `start ${s} is out of range for axis ${a} with size ${size} (expected ${-size} to ${size})`,
    );
  }
  const from = s < 0 ? s + size : s;
  if (n < 0 || from + n > size) {
    throw new IndexError(
      'narrow',
      `length ${n} from start ${from} does not fit axis ${a} with size ${size} (expected 0 to ${size - from})`,
    );
  }
  const starts = t._shape.map((_, j) => (j === a ? from : 0));
  const dims = allAxes(t._shape).map((d) => (d.axis === a ? { ...d, size: n } : d));
  return apply(indexingOps.narrow, [t], { starts, dims });
}

/** An int32 index tensor from a tensor or nested arrays of integers, or a typed error naming `op`. */
export function intIndex(op: string, index: unknown, what = 'the index'): Tensor {
  const t = Array.isArray(index) ? arrayToTensor(op, index as IndexArray, what) : index;
  if (!(t instanceof Tensor)) {
    throw new ArgumentError(
      op,
      `${what} must be an int32 tensor or an array of integers, got ${describeOperand(index)}`,
    );
  }
  if (t.dtype !== 'int32') {
    throw new DTypeError(op, `${what} must be an int32 tensor (convert with .to('int32')), got ${t.dtype}`);
  }
  return t;
}

/**
 * The elements of x at flat (row-major) indices, as if x were 1-D, in the
 * shape of `index` (PyTorch's take); negative indices count from the end.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).take([[0, -1]]); // [[1, 4]]
 */
export function take(x: TensorLike, index: Tensor | IndexArray): Tensor {
  const t = asTensor('take', x);
  const idx = intIndex('take', index);
  const data = packedData(idx);
  const size = t.size;
  const positions = new Int32Array(idx.size);
  for (let i = 0; i < positions.length; i++) {
    const v = data[i] as number;
    if (v < -size || v >= size) {
      throw new IndexError(
        'take',
        `index ${v} is out of bounds for a tensor of ${size} elements (shape ${formatShape(t._shape)}; expected ${-size} to ${size - 1})`,
      );
    }
    positions[i] = v < 0 ? v + size : v;
  }
  return apply(indexingOps.take, [t], { positions: positionsTensor(positions, idx._shape) });
}

/**
 * Picks elements along `axis` by `indices` of the same rank, which
 * broadcast with x on the other axes (PyTorch's take_along_dim; gather with
 * broadcasting). Without an axis, x and indices are read as 1-D. The indices
 * come in the form argsort and topk give them: in 0..size-1.
 *
 * @example
 * takeAlongDim(scores, scores.argmax(1, true), 1); // each row's largest score, [n, 1]
 */
export function takeAlongDim(x: TensorLike, indices: Tensor | IndexArray, axis?: number): Tensor {
  const t = asTensor('takeAlongDim', x);
  const idx = intIndex('takeAlongDim', indices, 'indices');
  const values = packedData(idx) as Int32Array;
  if (axis === undefined) {
    checkAlong(values, null, t.size);
    return apply(indexingOps.takeAlongDim, [t], { positions: positionsTensor(values.slice(), [idx.size]) });
  }
  const a = normalizeAxis('takeAlongDim', axis, t.ndim);
  if (idx.ndim !== t.ndim) {
    throw new ShapeError(
      'takeAlongDim',
      `indices of shape ${formatShape(idx._shape)} must have the rank of the tensor, ${formatShape(t._shape)}`,
    );
  }
  const xs = t.ndim === 0 ? [1] : t._shape;
  const is = idx.ndim === 0 ? [1] : idx._shape;
  const shape = xs.map((d, i) => {
    const e = is[i] as number;
    if (i !== a && d !== e && d !== 1 && e !== 1) {
      throw new ShapeError(
        'takeAlongDim',
        `indices of shape ${formatShape(idx._shape)} do not broadcast with the tensor's shape ${formatShape(t._shape)} on the axes other than ${a}`,
      );
    }
    return i === a ? e : d === 1 ? e : d;
  });
  checkAlong(values, a, xs[a] as number);
  const cs = contiguousStrides(xs);
  const base = stridedOffsets(
    shape,
    cs.map((s, i) => (i === a || xs[i] === 1 ? 0 : s)),
  );
  const read = stridedOffsets(shape, broadcastStrides(is, contiguousStrides(is), shape));
  const positions = shiftBy(base, values, read, cs[a] as number);
  return apply(indexingOps.takeAlongDim, [t], { positions: positionsTensor(positions, t.ndim === 0 ? [] : shape) });
}

/** Throws unless every index is in 0..size-1 (takeAlongDim takes no negative indices, as PyTorch's). */
function checkAlong(values: Int32Array, axis: number | null, size: number): void {
  for (const k of values) {
    if (k >= 0 && k < size) continue;
    if (axis !== null) throw outOfBounds('takeAlongDim', k, axis, size, false);
    throw new IndexError(
      'takeAlongDim',
      `index ${k} is out of bounds for the flattened tensor of ${size} elements (expected 0 to ${size - 1})`,
    );
  }
}
