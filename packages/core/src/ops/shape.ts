/**
 * Shape ops. Most are views: they share the input's storage and only change
 * shape, strides or offset, so they cost no copy. Their backward rules are
 * shape ops too (the inverse permutation, a sum over expanded axes, a pad for
 * a slice), so they stay differentiable at any order.
 */
import { ArgumentError, IndexError, ShapeError, safeJson, safeString } from '../errors';
import { copyStrided } from '../kernels/strided';
import { resultFloatDType, type DType } from '../tensor/dtype';
import {
  checkShape,
  contiguousStrides,
  formatShape,
  normalizeAxes,
  normalizeAxis,
  sameShape,
  sizeOf,
  type Shape,
} from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, type Inputs, type OpDef, type TensorLike, type Unary } from './define';
import { sumToShape } from './broadcast';

/** A new Tensor object over the same storage (a view). */
function view(x: Tensor, shape: Shape, strides: Shape, offset = x.offset): Tensor {
  return new Tensor(x.storage, shape, strides, offset, x.dtype);
}

/** A contiguous copy of x's elements, as a fresh tensor of `dtype`. */
export function copyOf(x: Tensor, dtype: DType = x.dtype): Tensor {
  const out = emptyLike(x._shape, dtype);
  copyStrided(x.storage.data, x.offset, x._strides, out.storage.data, 0, out._strides, x._shape);
  return out;
}

/** A shape op: one input, and a backward that is itself a shape op of g. */
export interface ShapeSpec<P> {
  name: string;
  /** The output (a view of x where the op allows). */
  forward(x: Tensor, params: P): Tensor;
  /** x's gradient, from g, the params and x's shape. */
  backward(g: Tensor, params: P, inputShape: Shape): Tensor;
}

/** The OpDef of a shape op. */
export type ShapeDef<P> = OpDef<Unary, P>;

/** A shape op as an OpDef. */
export function shapeOp<P>(spec: ShapeSpec<P>): ShapeDef<P> {
  return {
    name: spec.name,
    forward: ([x], params) => spec.forward(x, params),
    backward: (g, { params, inputShapes: [shape] }) => [spec.backward(g, params, shape as Shape)],
  };
}

const contiguousDef = shapeOp<undefined>({
  name: 'contiguous',
  forward: (t) => (t.isContiguous ? view(t, t._shape, t._strides) : copyOf(t)),
  backward: (g) => g,
});

/** This tensor laid out row-major without gaps: itself (as a view) when it already is, else a copy. */
export function contiguous(x: TensorLike): Tensor {
  return apply(contiguousDef, [asTensor('contiguous', x)], undefined);
}

const cloneDef = shapeOp<undefined>({
  name: 'clone',
  forward: (x) => copyOf(x),
  backward: (g) => g,
});

/** A copy with its own storage (differentiable: the gradient passes through). */
export function clone(x: TensorLike): Tensor {
  return apply(cloneDef, [asTensor('clone', x)], undefined);
}

/** The single element of a one-element tensor. */
export function item(x: Tensor): number {
  if (x.size !== 1) {
    throw new ShapeError(
      'item',
      `only a tensor with one element can be converted to a number, this one has shape ${formatShape(x._shape)}`,
    );
  }
  // Every index of a one-element tensor is 0, so its element sits at the offset.
  return x.storage.data[x.offset] as number;
}

function resolveShape(op: string, x: Tensor, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) {
    throw new ArgumentError(op, `the shape must be an array of integers, got ${typeof shape}`);
  }
  const inferred = shape.indexOf(-1);
  if (inferred !== shape.lastIndexOf(-1)) {
    throw new ShapeError(op, `only one dimension can be -1, got ${formatShape(shape)}`);
  }
  const known = shape.map((d) => (d === -1 ? 1 : d));
  checkShape(op, known);
  const size = sizeOf(known);
  const out = known.slice();
  if (inferred >= 0) {
    if (size === 0 || x.size % size !== 0) {
      throw new ShapeError(
        op,
        `cannot reshape ${formatShape(x._shape)} (${x.size} elements) into ${formatShape(shape)}`,
      );
    }
    out[inferred] = x.size / size;
  } else if (size !== x.size) {
    throw new ShapeError(
      op,
      `cannot reshape ${formatShape(x._shape)} (${x.size} elements) into ${formatShape(shape)} (${size} elements); the sizes must match`,
    );
  }
  return out;
}

const reshapeDef = shapeOp<Shape>({
  name: 'reshape',
  forward(t, shape) {
    const source = t.isContiguous ? t : copyOf(t);
    return view(source, shape, contiguousStrides(shape));
  },
  backward: (g, _shape, inputShape) => reshape(g, inputShape),
});

/**
 * The same elements in a new shape; one dimension may be -1 (inferred). A
 * view when the input is contiguous, a copy otherwise.
 */
export function reshape(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('reshape', x);
  return apply(reshapeDef, [t], resolveShape('reshape', t, shape));
}

/** Merges axes `startAxis..endAxis` (default: all) into one. */
export function flatten(x: TensorLike, startAxis = 0, endAxis = -1): Tensor {
  const t = asTensor('flatten', x);
  // The axes are checked first, also for a 0-d tensor (which takes -1 and 0), as in PyTorch.
  const start = normalizeAxis('flatten', startAxis, t.ndim);
  const end = normalizeAxis('flatten', endAxis, t.ndim);
  if (t.ndim === 0) return reshape(t, [1]);
  if (start > end) throw new ArgumentError('flatten', `startAxis ${startAxis} comes after endAxis ${endAxis}`);
  const merged = t._shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  return reshape(t, [...t._shape.slice(0, start), merged, ...t._shape.slice(end + 1)]);
}

const permuteDef = shapeOp<readonly number[]>({
  name: 'permute',
  forward(t, axes) {
    return view(
      t,
      axes.map((a) => t._shape[a] as number),
      axes.map((a) => t._strides[a] as number),
    );
  },
  // The inverse permutation.
  backward(g, axes) {
    const inverse = new Array<number>(axes.length);
    axes.forEach((a, i) => (inverse[a] = i));
    return permute(g, inverse);
  },
});

/** Reorders the axes: output axis i is input axis `axes[i]` (a view). */
export function permute(x: TensorLike, axes: readonly number[]): Tensor {
  const t = asTensor('permute', x);
  if (!Array.isArray(axes)) throw new ArgumentError('permute', `axes must be an array of integers, got ${typeof axes}`);
  if (axes.length !== t.ndim) {
    throw new ShapeError(
      'permute',
      `expected ${t.ndim} axes for shape ${formatShape(t._shape)}, got ${safeJson(axes)}`,
    );
  }
  const normalized = axes.map((a) => normalizeAxis('permute', a, t.ndim));
  if (new Set(normalized).size !== normalized.length) {
    throw new ArgumentError(
      'permute',
      `axes ${JSON.stringify(axes)} repeat an axis; each of 0..${t.ndim - 1} must appear once`,
    );
  }
  return apply(permuteDef, [t], normalized);
}

/** Swaps two axes (negative axes count from the end), as a view. */
export function transpose(x: TensorLike, dim0: number, dim1: number): Tensor {
  const t = asTensor('transpose', x);
  const a = normalizeAxis('transpose', dim0, t.ndim);
  const b = normalizeAxis('transpose', dim1, t.ndim);
  if (t.ndim < 2)
    return permute(
      t,
      t._shape.map((_, i) => i),
    );
  const axes = t._shape.map((_, i) => i);
  axes[a] = b;
  axes[b] = a;
  return permute(t, axes);
}

/** The transpose of a matrix; vectors and scalars come back as they are (views). */
export function matrixTranspose(x: TensorLike): Tensor {
  const t = asTensor('T', x);
  if (t.ndim > 2) {
    throw new ShapeError(
      'T',
      `T is the transpose of a matrix; for shape ${formatShape(t._shape)} use transpose(dim0, dim1) or permute`,
    );
  }
  return t.ndim === 2
    ? permute(t, [1, 0])
    : permute(
        t,
        t._shape.map((_, i) => i),
      );
}

/** Removes size-1 axes: the given ones (each must be 1), or all of them. */
export function squeeze(x: TensorLike, axis?: number | readonly number[]): Tensor {
  const t = asTensor('squeeze', x);
  const axes = normalizeAxes('squeeze', axis, t.ndim);
  for (const a of axes) {
    if (axis !== undefined && t._shape[a] !== 1) {
      throw new ShapeError('squeeze', `axis ${a} of shape ${formatShape(t._shape)} has size ${t._shape[a]}, not 1`);
    }
  }
  const drop = new Set(axes.filter((a) => t._shape[a] === 1));
  return reshape(
    t,
    t._shape.filter((_, i) => !drop.has(i)),
  );
}

/** Inserts a size-1 axis at `axis` (which may be -1 for the end). */
export function unsqueeze(x: TensorLike, axis: number): Tensor {
  const t = asTensor('unsqueeze', x);
  if (typeof axis === 'number' && Number.isInteger(axis) && (axis > t.ndim || axis < -t.ndim - 1)) {
    throw new IndexError(
      'unsqueeze',
      `axis ${axis} is out of range for a tensor of rank ${t.ndim} (expected ${-t.ndim - 1} to ${t.ndim})`,
    );
  }
  const a = normalizeAxis('unsqueeze', axis, t.ndim + 1);
  const shape = t._shape.slice();
  shape.splice(a, 0, 1);
  return reshape(t, checkShape('unsqueeze', shape));
}

const expandDef = shapeOp<Shape>({
  name: 'expand',
  forward(t, shape) {
    const lead = shape.length - t.ndim;
    const strides = shape.map((d, i) => (i < lead || t._shape[i - lead] !== d ? 0 : (t._strides[i - lead] as number)));
    return view(t, shape, strides);
  },
  // Every read of a broadcast element adds to its gradient.
  backward: (g, _shape, inputShape) => sumToShape(g, inputShape),
});

/**
 * Broadcasts to `shape` without copying: size-1 axes are repeated and new
 * leading axes added; -1 keeps an axis as it is. Write through an expanded
 * view only with care: its elements alias each other.
 */
export function expand(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('expand', x);
  if (!Array.isArray(shape))
    throw new ArgumentError('expand', `the shape must be an array of integers, got ${typeof shape}`);
  if (shape.length < t.ndim) {
    throw new ShapeError(
      'expand',
      `cannot expand ${formatShape(t._shape)} to ${safeJson(shape)}: the target needs at least ${t.ndim} dimensions`,
    );
  }
  const lead = shape.length - t.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= lead ? (t._shape[i - lead] as number) : d));
  checkShape('expand', target);
  target.forEach((d, i) => {
    const own = i >= lead ? t._shape[i - lead] : undefined;
    if (own !== undefined && own !== 1 && own !== d) {
      throw new ShapeError(
        'expand',
        `cannot expand ${formatShape(t._shape)} to ${formatShape(shape)}: dimension ${i} is ${own}, which only a size-1 dimension could become ${d}`,
      );
    }
  });
  return apply(expandDef, [t], target);
}

interface SliceParams {
  axis: number;
  start: number;
  count: number;
  step: number;
}

const sliceDef = shapeOp<SliceParams>({
  name: 'slice',
  forward(t, { axis, start, count, step }) {
    const shape = t._shape.slice();
    const strides = t._strides.slice();
    shape[axis] = count;
    strides[axis] = (t._strides[axis] as number) * step;
    return view(t, shape, strides, t.offset + start * (t._strides[axis] as number));
  },
  backward: (g, params, inputShape) => padSlice(g, inputShape, params),
});

const padSliceDef = shapeOp<SliceParams & { shape: Shape }>({
  name: 'padSlice',
  forward(src, { shape, axis, start, step }) {
    const out = emptyLike(shape, src.dtype);
    const strides = out._strides.slice();
    const offset = start * (strides[axis] as number);
    strides[axis] = (strides[axis] as number) * step;
    copyStrided(src.storage.data, src.offset, src._strides, out.storage.data, offset, strides, src._shape);
    return out;
  },
  backward: (g, { axis, start, count, step }) => apply(sliceDef, [g], { axis, start, count, step }),
});

/** The gradient of a slice: g placed where the slice was taken, zeros elsewhere. */
function padSlice(g: Tensor, shape: Shape, p: SliceParams): Tensor {
  return apply(padSliceDef, [g], { ...p, shape });
}

/**
 * Elements `start, start+step, ...` before `end` along `axis`, as a view.
 * Negative start/end count from the end and are clamped to the axis, as in
 * Python slicing; the step must be a positive integer.
 *
 * @example
 * x.slice(0, 0, 2);   // x[0:2]
 * x.slice(-1, 1);     // x[..., 1:]
 */
export function slice(x: TensorLike, axis: number, start = 0, end?: number, step = 1): Tensor {
  const t = asTensor('slice', x);
  const a = normalizeAxis('slice', axis, t.ndim);
  if (t.ndim === 0) throw new ShapeError('slice', 'cannot slice a 0-d tensor');
  for (const [name, v] of [
    ['start', start],
    ['end', end ?? 0],
    ['step', step],
  ] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new ArgumentError('slice', `${name} must be an integer, got ${safeString(v)}`);
    }
  }
  if (step <= 0) throw new ArgumentError('slice', `step must be a positive integer, got ${step}`);
  const size = t._shape[a] as number;
  const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIndex(start);
  const e = clampIndex(end ?? size);
  const count = e > s ? Math.ceil((e - s) / step) : 0;
  return apply(sliceDef, [t], { axis: a, start: s, count, step });
}

interface ConcatParams {
  axis: number;
}

const concatDef: OpDef<Inputs, ConcatParams> = {
  name: 'concat',
  forward(inputs, { axis }) {
    const first = inputs[0] as Tensor;
    const dtype = inputs.every((t) => t.dtype === first.dtype)
      ? first.dtype
      : inputs.reduce<DType>((d, t) => resultFloatDType(d, t.dtype), 'float32');
    const shape = first._shape.slice();
    shape[axis] = inputs.reduce((n, t) => n + (t._shape[axis] as number), 0);
    const out = emptyLike(shape, dtype);
    let offset = 0;
    for (const t of inputs) {
      copyStrided(
        t.storage.data,
        t.offset,
        t._strides,
        out.storage.data,
        offset * (out._strides[axis] as number),
        out._strides,
        t._shape,
      );
      offset += t._shape[axis] as number;
    }
    return out;
  },
  // Each input gets its part of g.
  backward(g, { params: { axis }, needs, inputShapes }) {
    let start = 0;
    return inputShapes.map((shape, i) => {
      const n = shape[axis] as number;
      const part = needs[i] ? slice(g, axis, start, start + n) : null;
      start += n;
      return part;
    });
  },
};

/** The shape ops' table: tests reach every op through it. */
export const shapeOps = {
  contiguous: contiguousDef,
  clone: cloneDef,
  reshape: reshapeDef,
  permute: permuteDef,
  expand: expandDef,
  slice: sliceDef,
  padSlice: padSliceDef,
  concat: concatDef,
};

/** Joins tensors along an existing axis; all other dimensions must agree. */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError('concat', 'expected a non-empty array of tensors');
  }
  const list = tensors.map((t, i) => asTensor('concat', t, 'float32', `element ${i}`));
  const first = list[0] as Tensor;
  if (first.ndim === 0) throw new ShapeError('concat', 'cannot concatenate 0-d tensors; use stack');
  const a = normalizeAxis('concat', axis, first.ndim);
  list.forEach((t, i) => {
    const fits = t.ndim === first.ndim && t._shape.every((d, j) => j === a || d === first._shape[j]);
    if (!fits) {
      throw new ShapeError(
        'concat',
        `tensor ${i} has shape ${formatShape(t._shape)}, which does not fit ${formatShape(first._shape)} along axis ${a} (all dimensions but ${a} must match)`,
      );
    }
  });
  return apply(concatDef, list, { axis: a });
}

/** Joins same-shape tensors along a new axis. */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError('stack', 'expected a non-empty array of tensors');
  }
  const list = tensors.map((t, i) => asTensor('stack', t, 'float32', `element ${i}`));
  const first = list[0] as Tensor;
  list.forEach((t, i) => {
    if (!sameShape(t._shape, first._shape)) {
      throw new ShapeError(
        'stack',
        `tensor ${i} has shape ${formatShape(t._shape)}, expected ${formatShape(first._shape)} like tensor 0`,
      );
    }
  });
  const a = normalizeAxis('stack', axis, first.ndim + 1);
  checkShape('stack', [list.length, ...first._shape]);
  return concat(
    list.map((t) => unsqueeze(t, a)),
    a,
  );
}
