/**
 * Reading an index list (`x.index([0, { start: 1 }, null, idx])`) into a
 * plan: the basic part, a view of x (integers, slices, new axes, the
 * ellipsis), and the advanced part (integer tensors and boolean masks, which
 * gather). Every check runs here, before anything is allocated or written,
 * so `index` and `indexPut` refuse a bad list having changed nothing.
 *
 * The rules are PyTorch's:
 * - an integer (or a 0-d integer tensor) selects, removing its axis; a slice
 *   keeps its axis; `null` adds an axis of size 1; the ellipsis stands for
 *   as many full slices as the other entries leave unindexed;
 * - integer tensors (and arrays) broadcast together to one shape B; a mask of
 *   rank k stands for the k integer tensors of its true positions;
 * - if the advanced entries sit next to each other in the view, B replaces
 *   their axes in place; if a slice, the ellipsis or `null` separates them,
 *   B moves to the front. NOTE: an integer does not separate them, since it
 *   has already removed its axis (NumPy counts it as advanced, so
 *   `x[0, :, [1, 2]]` is [2, n] there and [n, 2] in PyTorch and here).
 */
import { ArgumentError, DTypeError, IndexError, ShapeError } from '../errors';
import { combineOffsets, shiftBy, stridedOffsets, truePositions } from '../kernels/positions';
import { describeValue } from '../internal/describe';
import { allocate } from '../tensor/dtype';
import {
  broadcastStrides,
  checkShape,
  checkSize,
  contiguousStrides,
  formatShape,
  maxRank,
  type Shape,
} from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { copyOf } from './shape';

/** The ellipsis of an index list (Python's `...`): as many full slices as the other entries leave. */
export const Ellipsis = '...';

/**
 * A slice `start:stop:step`, as Python writes it. Omitted (or null) bounds
 * mean "from the start" and "to the end" in the step's direction; negative
 * bounds count from the end; bounds past the ends are clamped.
 */
export interface Slice {
  start?: number | null | undefined;
  stop?: number | null | undefined;
  step?: number | null | undefined;
}

/** Integer indices (or booleans, for a mask) as nested arrays: `[2, 0]`, `[[0], [1]]`, `[true, false]`. */
export type IndexArray = readonly (number | boolean | IndexArray)[];

/** One entry of an index list. */
export type IndexItem = number | null | typeof Ellipsis | Slice | Tensor | IndexArray;

/** One axis of the basic view: an axis of x read with a step, or a new axis (`axis` null). */
export interface ViewDim {
  axis: number | null;
  size: number;
  step: number;
}

/** The basic part of an index: where each axis of x starts, and the view's axes. */
export interface ViewParams {
  starts: readonly number[];
  dims: readonly ViewDim[];
}

/** An advanced entry: int32 indices (in range, non-negative) into axis `dim` of the view. */
interface Advanced {
  dim: number;
  values: Int32Array;
  shape: number[];
}

export interface IndexPlan {
  view: ViewParams;
  viewShape: number[];
  advanced: Advanced[];
  /** The shape the advanced indices broadcast to. */
  broadcast: number[];
  /** Whether the advanced axes stay in place (adjacent) or move to the front. */
  inPlace: boolean;
  resultShape: number[];
}

type Entry =
  | { kind: 'int'; value: number; at: number }
  | { kind: 'slice'; start: number | null; stop: number | null; step: number; at: number }
  | { kind: 'new'; at: number }
  | { kind: 'ellipsis'; at: number }
  | { kind: 'tensor'; t: Tensor; at: number }
  | { kind: 'mask'; t: Tensor; at: number }
  | { kind: 'bool0'; value: boolean; at: number };

/** An out-of-bounds message: the index, the axis, its size and what it accepts. */
export function outOfBounds(op: string, index: number, axis: number, size: number, negatives = true): IndexError {
  const range = size === 0 ? 'it has no elements' : `expected ${negatives ? -size : 0} to ${size - 1}`;
  return new IndexError(op, `index ${index} is out of bounds for axis ${axis} with size ${size} (${range})`);
}

/** A tensor's elements as a fresh or packed array, read from position 0. */
export function packedData(t: Tensor): Tensor['storage']['data'] {
  const packed = t.isContiguous && t.offset === 0 && t.storage.data.length === t.size;
  return packed ? t.storage.data : copyOf(t).storage.data;
}

/** Nested arrays of integers (or of booleans) as an int32 (or bool) tensor. */
export function arrayToTensor(op: string, items: IndexArray, what: string): Tensor {
  const shape: number[] = [];
  for (let level: unknown = items; Array.isArray(level); level = level[0]) {
    shape.push(level.length);
    if (level.length === 0) break;
    if (shape.length > maxRank) {
      throw new ShapeError(op, `${what} is nested more than ${maxRank} deep, past the maximum rank`);
    }
  }
  const flat: unknown[] = [];
  const walk = (a: unknown, depth: number) => {
    if (depth === shape.length) {
      flat.push(a);
      return;
    }
    if (!Array.isArray(a) || a.length !== shape[depth]) {
      throw new ArgumentError(op, `${what} is a ragged array; nested index arrays must be rectangular`);
    }
    for (const v of a) walk(v, depth + 1);
  };
  walk(items, 0);
  const bools = flat.length > 0 && typeof flat[0] === 'boolean';
  checkShape(op, shape);
  const data = allocate(bools ? 'bool' : 'int32', flat.length);
  flat.forEach((v, i) => {
    if (bools ? typeof v !== 'boolean' : typeof v !== 'number' || !Number.isInteger(v)) {
      throw new ArgumentError(
        op,
        `${what} must hold integers (or booleans, for a mask), element ${i} is ${describeValue(v)}`,
      );
    }
    // Stored as int32, 2**31 would wrap to -2**31 and be reported as that.
    if (!bools && ((v as number) < -(2 ** 31) || (v as number) >= 2 ** 31)) {
      throw new IndexError(op, `${what} holds ${v} at element ${i}, outside the int32 range of indices`);
    }
    data[i] = Number(v);
  });
  return Tensor.fromData(data, shape, bools ? 'bool' : 'int32');
}

function sliceBound(op: string, v: unknown, name: string, at: number): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentError(op, `the slice at position ${at} has ${name} ${describeValue(v)}; expected an integer`);
  }
  return v;
}

function readSlice(op: string, s: object, at: number): Entry {
  for (const key of Object.keys(s)) {
    if (key !== 'start' && key !== 'stop' && key !== 'step') {
      throw new ArgumentError(
        op,
        `the slice at position ${at} has a field '${key}'; a slice is { start, stop, step } (each optional)`,
      );
    }
  }
  const { start, stop, step } = s as Slice;
  const k = sliceBound(op, step, 'step', at) ?? 1;
  if (k === 0) throw new ArgumentError(op, `the slice at position ${at} has step 0; a step must be a nonzero integer`);
  return {
    kind: 'slice',
    start: sliceBound(op, start, 'start', at),
    stop: sliceBound(op, stop, 'stop', at),
    step: k,
    at,
  };
}

function readEntry(op: string, item: unknown, at: number): Entry {
  if (typeof item === 'number') {
    if (!Number.isInteger(item)) {
      throw new ArgumentError(op, `the index at position ${at} is ${describeValue(item)}; expected an integer`);
    }
    return { kind: 'int', value: item, at };
  }
  if (item === null) return { kind: 'new', at };
  if (item === Ellipsis) return { kind: 'ellipsis', at };
  const t = Array.isArray(item) ? arrayToTensor(op, item, `the index array at position ${at}`) : item;
  if (t instanceof Tensor) {
    if (t.dtype !== 'int32' && t.dtype !== 'bool') {
      throw new DTypeError(
        op,
        `tensors used as indices must be int32 or bool, the one at position ${at} is ${t.dtype} (convert it with .to('int32'))`,
      );
    }
    if (t.ndim === 0) {
      const v = t.storage.data[t.offset] as number;
      return t.dtype === 'bool' ? { kind: 'bool0', value: v !== 0, at } : { kind: 'int', value: v, at };
    }
    return { kind: t.dtype === 'bool' ? 'mask' : 'tensor', t, at };
  }
  if (typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype) {
    return readSlice(op, item, at);
  }
  throw new ArgumentError(
    op,
    `the index at position ${at} is ${describeValue(item)}; expected an integer, a slice { start, stop, step }, null, '...', an int32 or bool tensor, or an array of integers`,
  );
}

/** Python's slice rules (NumPy's for negative steps): [start, count] along an axis of `size`. */
function resolveSlice(e: { start: number | null; stop: number | null; step: number }, size: number): [number, number] {
  const { step } = e;
  if (step > 0) {
    const clamp = (v: number) => (v < 0 ? Math.max(v + size, 0) : Math.min(v, size));
    const start = e.start === null ? 0 : clamp(e.start);
    const stop = e.stop === null ? size : clamp(e.stop);
    return stop > start ? [start, Math.ceil((stop - start) / step)] : [0, 0];
  }
  // NOTE: PyTorch refuses negative steps; NumPy's meaning is used: from start
  // (default the last element) down to, not including, stop (default: past the first).
  const clamp = (v: number) => (v < 0 ? Math.max(v + size, -1) : Math.min(v, size - 1));
  const start = e.start === null ? size - 1 : clamp(e.start);
  const stop = e.stop === null ? -1 : clamp(e.stop);
  return start > stop ? [start, Math.ceil((start - stop) / -step)] : [0, 0];
}

/** In-range, non-negative copies of an int32 index tensor's values along axis `axis` of x. */
function checkedValues(op: string, t: Tensor, axis: number, size: number): Int32Array {
  const data = packedData(t);
  const out = new Int32Array(t.size);
  for (let i = 0; i < out.length; i++) {
    const v = data[i] as number;
    if (v < -size || v >= size) throw outOfBounds(op, v, axis, size);
    out[i] = v < 0 ? v + size : v;
  }
  return out;
}

/** Reads and checks an index list against x's shape. */
export function planIndex(op: string, shape: Shape, items: unknown): IndexPlan {
  if (!Array.isArray(items)) {
    throw new ArgumentError(
      op,
      `indices must be an array with one entry per indexed axis, e.g. [0, { start: 1 }, null], got ${describeValue(items)}`,
    );
  }
  const entries = items.map((item, at) => readEntry(op, item, at));
  const rank = shape.length;
  const ellipses = entries.filter((e) => e.kind === 'ellipsis').length;
  if (ellipses > 1) throw new IndexError(op, `an index list can hold only one ellipsis, this one has ${ellipses}`);
  let consumed = 0;
  for (const e of entries) {
    if (e.kind === 'int' || e.kind === 'slice' || e.kind === 'tensor') consumed += 1;
    else if (e.kind === 'mask') consumed += e.t.ndim;
  }
  if (consumed > rank) {
    throw new IndexError(
      op,
      `too many indices for a tensor of rank ${rank} (shape ${formatShape(shape)}): the list indexes ${consumed} axes`,
    );
  }
  const starts = new Array<number>(rank).fill(0);
  const dims: ViewDim[] = [];
  const advanced: Advanced[] = [];
  let axis = 0;
  const full = (count: number) => {
    for (let k = 0; k < count; k++, axis++) dims.push({ axis, size: shape[axis] as number, step: 1 });
  };
  for (const e of entries) {
    const size = shape[axis] as number;
    if (e.kind === 'int') {
      if (e.value < -size || e.value >= size) throw outOfBounds(op, e.value, axis, size);
      starts[axis++] = e.value < 0 ? e.value + size : e.value;
    } else if (e.kind === 'slice') {
      const [start, count] = resolveSlice(e, size);
      starts[axis] = start;
      dims.push({ axis: axis++, size: count, step: e.step });
    } else if (e.kind === 'new') {
      dims.push({ axis: null, size: 1, step: 0 });
    } else if (e.kind === 'ellipsis') {
      full(rank - consumed);
    } else if (e.kind === 'bool0') {
      // A 0-d mask adds an axis and keeps it (true) or empties it (false), as in PyTorch.
      dims.push({ axis: null, size: 1, step: 0 });
      advanced.push({ dim: dims.length - 1, values: new Int32Array(e.value ? 1 : 0), shape: [e.value ? 1 : 0] });
    } else if (e.kind === 'tensor') {
      advanced.push({ dim: dims.length, values: checkedValues(op, e.t, axis, size), shape: e.t._shape.slice() });
      full(1);
    } else {
      advanced.push(...maskEntries(op, e.t, e.at, shape, axis, dims.length));
      full(e.t.ndim);
    }
  }
  if (ellipses === 0) full(rank - consumed);
  return finish(op, { starts, dims }, advanced);
}

/** A mask of rank k over axes axis..axis+k-1: the k integer index arrays of its true positions. */
function maskEntries(op: string, mask: Tensor, at: number, shape: Shape, axis: number, dim: number): Advanced[] {
  const covered = shape.slice(axis, axis + mask.ndim);
  if (mask._shape.some((d, i) => d !== covered[i])) {
    throw new ShapeError(
      op,
      `the mask at position ${at} has shape ${formatShape(mask._shape)}, but the axes ${axis}..${axis + mask.ndim - 1} it indexes have shape ${formatShape(covered)} (tensor shape ${formatShape(shape)})`,
    );
  }
  const hits = truePositions(packedData(mask));
  const strides = contiguousStrides(mask._shape);
  return mask._shape.map((d, k) => {
    const values = new Int32Array(hits.length);
    const s = strides[k] as number;
    for (let i = 0; i < hits.length; i++) values[i] = Math.floor((hits[i] as number) / s) % d;
    return { dim: dim + k, values, shape: [hits.length] };
  });
}

function finish(op: string, view: ViewParams, advanced: Advanced[]): IndexPlan {
  const viewShape = view.dims.map((d) => d.size);
  if (advanced.length === 0) {
    return { view, viewShape, advanced, broadcast: [], inPlace: true, resultShape: viewShape };
  }
  const rank = Math.max(...advanced.map((a) => a.shape.length));
  const broadcast = new Array<number>(rank).fill(1);
  for (const a of advanced) {
    a.shape.forEach((d, i) => {
      const j = rank - a.shape.length + i;
      const b = broadcast[j] as number;
      if (d !== b && d !== 1 && b !== 1) {
        throw new ShapeError(
          op,
          `the index tensors do not broadcast together: shapes ${advanced.map((x) => formatShape(x.shape)).join(', ')}`,
        );
      }
      if (d !== 1) broadcast[j] = d;
    });
  }
  const first = (advanced[0] as Advanced).dim;
  const last = (advanced[advanced.length - 1] as Advanced).dim;
  const inPlace = last - first === advanced.length - 1;
  const rest = viewShape.filter((_, j) => !advanced.some((a) => a.dim === j));
  const at = inPlace ? first : 0;
  const resultShape = [...rest.slice(0, at), ...broadcast, ...rest.slice(at)];
  checkSize(op, resultShape);
  return { view, viewShape, advanced, broadcast, inPlace, resultShape };
}

/** The view's strides and offset over a contiguous tensor of `shape`. */
export function viewLayout(view: ViewParams, shape: Shape): { strides: number[]; offset: number } {
  const cs = contiguousStrides(shape);
  const strides = view.dims.map((d) => (d.axis === null ? 0 : (cs[d.axis] as number) * d.step));
  const offset = view.starts.reduce((s, start, a) => s + start * (cs[a] as number), 0);
  return { strides, offset };
}

/**
 * For every element of the plan's result (row-major), its position in a
 * contiguous tensor of `shape`: where index reads it and indexPut writes it.
 */
export function planPositions(plan: IndexPlan, shape: Shape): Int32Array {
  const { strides, offset } = viewLayout(plan.view, shape);
  if (plan.advanced.length === 0) return stridedOffsets(plan.viewShape, strides, offset);
  const isAdvanced = (j: number) => plan.advanced.some((a) => a.dim === j);
  const restShape: number[] = [];
  const restStrides: number[] = [];
  let before = 0;
  plan.viewShape.forEach((d, j) => {
    if (isAdvanced(j)) return;
    if (j < (plan.advanced[0] as Advanced).dim) before++;
    restShape.push(d);
    restStrides.push(strides[j] as number);
  });
  const at = plan.inPlace ? before : 0;
  const outer = stridedOffsets(restShape.slice(0, at), restStrides.slice(0, at), offset);
  const inner = stridedOffsets(restShape.slice(at), restStrides.slice(at));
  let middle: Int32Array = new Int32Array(plan.broadcast.reduce((p, d) => p * d, 1));
  for (const a of plan.advanced) {
    const read = stridedOffsets(plan.broadcast, broadcastStrides(a.shape, contiguousStrides(a.shape), plan.broadcast));
    middle = shiftBy(middle, a.values, read, strides[a.dim] as number);
  }
  return combineOffsets(outer, middle, inner);
}
