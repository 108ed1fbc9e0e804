/**
 * The shape toolbox's table, and the ops that move axes and elements
 * around: flip (a copy), roll (slices joined the other way round), movedim
 * and swapaxes (permutations, views) and unflatten (a view whatever the
 * input's strides). The other toolbox ops live beside this file, named for
 * what they hold: triangular.ts, repeat.ts, split.ts, stacking.ts,
 * broadcasting.ts.
 */
import { ArgumentError, IndexError, ShapeError, safeJson, safeString } from '../errors';
import { describeValue } from '../internal/describe';
import { copyStrided } from '../kernels/strided';
import { checkShape, contiguousStrides, formatShape, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, type TensorLike } from './define';
import { clone, concat, flatten, permute, reshape, shapeOp, slice, transpose, type ShapeDef } from './shape';
import { triangularOps } from './triangular';
import { repeatOps } from './repeat';

/**
 * A list of distinct axes of a tensor of `rank`, from one axis or an array
 * of them; `what` names the argument in errors. A 0-d tensor takes 0 and -1
 * (as PyTorch wraps them) and has no axes to act on, so it gets [].
 */
function distinctAxes(op: string, axes: unknown, rank: number, what = 'axes'): number[] {
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new ArgumentError(op, `${what} must be an axis or an array of axes, got ${describeValue(axes)}`);
  }
  const list: readonly unknown[] = Array.isArray(axes) ? axes : [axes];
  const normalized = list.map((a) => normalizeAxis(op, a, rank));
  normalized.forEach((a, i) => {
    if (normalized.indexOf(a) !== i) {
      throw new ArgumentError(
        op,
        `axis ${a} appears more than once in ${what} ${safeJson(axes)}; each axis may appear once`,
      );
    }
  });
  return rank === 0 ? [] : normalized;
}

/** A list of integers from one integer or an array of them, or an ArgumentError naming `what`. */
function integerList(op: string, what: string, v: unknown): number[] {
  const list: readonly unknown[] = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new ArgumentError(op, `${what} must be an integer or an array of integers, got ${safeJson(v)}`);
  }
  return list as number[];
}

// ---------------------------------------------------------------- flip

const flipDef: ShapeDef<readonly number[]> = shapeOp({
  name: 'flip',
  forward(x, axes) {
    // Read x backwards along each axis (start at its last element, step by minus the stride), copy row-major.
    const strides = x._strides.slice();
    let offset = x.offset;
    for (const a of axes) {
      const n = x._shape[a] as number;
      if (n > 0) offset += (n - 1) * (strides[a] as number);
      strides[a] = -(strides[a] as number);
    }
    const out = emptyLike(x._shape, x.dtype);
    copyStrided(x.storage.data, offset, strides, out.storage.data, 0, out._strides, x._shape);
    return out;
  },
  // Reversing is its own inverse and a permutation of the elements: g is reversed back.
  backward: (g, axes) => apply(flipDef, [g], axes),
});

/**
 * The elements in reverse order along each of `axes` (a copy, as in
 * PyTorch). Negative axes count from the end; an axis may not repeat.
 *
 * @example
 * flip(tensor([[1, 2], [3, 4]]), 0);       // [[3, 4], [1, 2]]
 * flip(tensor([[1, 2], [3, 4]]), [0, -1]); // [[4, 3], [2, 1]]
 */
export function flip(x: TensorLike, axes: number | readonly number[]): Tensor {
  const t = asTensor('flip', x);
  return apply(flipDef, [t], distinctAxes('flip', axes, t.ndim));
}

// ---------------------------------------------------------------- roll

/** x rolled by `shift` along axis a: the last `k` elements come first. */
function rollAxis(x: Tensor, a: number, shift: number): Tensor {
  const n = x._shape[a] as number;
  const k = n === 0 ? 0 : ((shift % n) + n) % n;
  if (k === 0) return x;
  return concat([slice(x, a, n - k), slice(x, a, 0, n - k)], a);
}

/**
 * The elements shifted cyclically by `shifts` along `axes`: what falls off
 * one end comes back at the other. Several axes take one shift each, applied
 * in turn (an axis may appear twice; its shifts add up). Without axes the
 * tensor is rolled as if flattened and keeps its shape. Negative shifts roll
 * the other way. Always a new tensor.
 *
 * @example
 * roll(tensor([1, 2, 3, 4]), 1);                     // [4, 1, 2, 3]
 * roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]); // [[4, 3], [2, 1]]
 */
export function roll(x: TensorLike, shifts: number | readonly number[], axes?: number | readonly number[]): Tensor {
  const t = asTensor('roll', x);
  const steps = integerList('roll', 'shifts', shifts);
  if (axes === undefined) {
    if (steps.length !== 1) {
      throw new ArgumentError(
        'roll',
        `without axes the flattened tensor is rolled by one shift, got shifts ${safeJson(shifts)}`,
      );
    }
    return reshape(rollAxis(flatten(t), 0, steps[0] as number), t._shape);
  }
  const list = integerList('roll', 'axes', axes);
  if (list.length === 0 || list.length !== steps.length) {
    throw new ArgumentError(
      'roll',
      `shifts ${safeJson(shifts)} and axes ${safeJson(axes)} must give one shift per axis (at least one)`,
    );
  }
  // NOTE: a 0-d tensor rolls whole (any shift leaves it as it is) but has no axis 0 to roll along, as in PyTorch.
  if (t.ndim === 0) {
    throw new IndexError('roll', `a 0-d tensor has no axis ${list[0]} to roll along (leave out axes to roll it whole)`);
  }
  const normalized = list.map((a) => normalizeAxis('roll', a, t.ndim));
  let out = t;
  normalized.forEach((a, i) => {
    out = rollAxis(out, a, steps[i] as number);
  });
  return out === t ? clone(t) : out;
}

// ---------------------------------------------------------------- movedim, swapaxes

/**
 * Moves the axes `source` to positions `destination` (one axis each, or two
 * lists of the same length), the other axes keeping their order in the
 * places left: a view. PyTorch's `movedim`.
 *
 * @example
 * movedim(zeros([2, 3, 4]), 0, -1).shape;        // [3, 4, 2]
 * movedim(zeros([2, 3, 4]), [0, 1], [2, 0]).shape; // [3, 4, 2]
 */
export function movedim(
  x: TensorLike,
  source: number | readonly number[],
  destination: number | readonly number[],
): Tensor {
  const t = asTensor('movedim', x);
  const from = distinctAxes('movedim', source, t.ndim, 'source');
  const to = distinctAxes('movedim', destination, t.ndim, 'destination');
  const given = (v: unknown) => (Array.isArray(v) ? v.length : 1);
  if (given(source) !== given(destination)) {
    throw new ArgumentError(
      'movedim',
      `source ${safeJson(source)} and destination ${safeJson(destination)} must name as many axes`,
    );
  }
  const order = new Array<number>(t.ndim).fill(-1);
  from.forEach((a, i) => (order[to[i] as number] = a));
  const rest = order.map((_, i) => i).filter((a) => !from.includes(a));
  let next = 0;
  for (let i = 0; i < order.length; i++) if (order[i] === -1) order[i] = rest[next++] as number;
  return permute(t, order);
}

/**
 * Swaps two axes, as a view: PyTorch's `swapaxes` (and NumPy's), the same
 * as {@link transpose}.
 *
 * @example
 * swapaxes(zeros([2, 3, 4]), 0, -1).shape; // [4, 3, 2]
 */
export function swapaxes(x: TensorLike, axis0: number, axis1: number): Tensor {
  const t = asTensor('swapaxes', x);
  return transpose(t, normalizeAxis('swapaxes', axis0, t.ndim), normalizeAxis('swapaxes', axis1, t.ndim));
}

// ---------------------------------------------------------------- unflatten

export interface UnflattenParams {
  axis: number;
  /** What the axis becomes; their product is its size. [] removes a size-1 axis. */
  sizes: readonly number[];
}

const unflattenDef = shapeOp<UnflattenParams>({
  name: 'unflatten',
  // Splitting one axis never needs a copy: the new axes step through it row-major.
  forward(x, { axis, sizes }) {
    const stride = x._strides[axis] as number;
    const inner = contiguousStrides(sizes).map((s) => s * stride);
    const shape = [...x._shape.slice(0, axis), ...sizes, ...x._shape.slice(axis + 1)];
    const strides = [...x._strides.slice(0, axis), ...inner, ...x._strides.slice(axis + 1)];
    return new Tensor(x.storage, shape, strides, x.offset, x.dtype);
  },
  backward: (g, _params, inputShape) => reshape(g, inputShape),
});

/**
 * @internal Axis `axis` of t split into `sizes` (product: its size), as a
 * view of any t: [] removes a size-1 axis, [1, n] or [n, 1] adds one. The
 * caller has checked the sizes.
 */
export function splitAxis(t: Tensor, axis: number, sizes: readonly number[]): Tensor {
  return apply(unflattenDef, [t], { axis, sizes });
}

/** unflatten's sizes with a -1 resolved, checked against the axis's size n. */
function unflattenSizes(t: Tensor, a: number, sizes: unknown): number[] {
  if (!Array.isArray(sizes) || sizes.length === 0) {
    throw new ArgumentError('unflatten', `sizes must be a non-empty array of integers, got ${describeValue(sizes)}`);
  }
  if (!sizes.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= -1)) {
    throw new ArgumentError('unflatten', `sizes must be non-negative integers (one may be -1), got ${safeJson(sizes)}`);
  }
  const n = t._shape[a] as number;
  const inferred = sizes.indexOf(-1);
  if (inferred !== sizes.lastIndexOf(-1)) {
    throw new ArgumentError('unflatten', `only one size can be -1, got ${formatShape(sizes)}`);
  }
  const out = checkShape(
    'unflatten',
    sizes.map((d) => (d === -1 ? 1 : d)),
  );
  const known = out.reduce((p, d) => p * d, 1);
  const where = `axis ${a} of size ${n} in shape ${formatShape(t._shape)}`;
  if (inferred >= 0) {
    if (known === 0 || n % known !== 0)
      throw new ShapeError('unflatten', `cannot split ${where} into ${formatShape(sizes)}`);
    out[inferred] = n / known;
  } else if (known !== n) {
    throw new ShapeError('unflatten', `sizes ${formatShape(sizes)} multiply to ${known}, not to the size of ${where}`);
  }
  return out;
}

/**
 * Splits one axis into several whose sizes multiply to its size (one may
 * be -1, inferred). Always a view, whatever the strides: PyTorch's
 * `unflatten`, the inverse of `flatten(axis, axis + sizes.length - 1)`.
 *
 * @example
 * unflatten(zeros([2, 12]), 1, [3, -1]).shape; // [2, 3, 4]
 */
export function unflatten(x: TensorLike, axis: number, sizes: readonly number[]): Tensor {
  const t = asTensor('unflatten', x);
  if (t.ndim === 0) throw new ShapeError('unflatten', `a 0-d tensor has no axis ${safeString(axis)} to unflatten`);
  const a = normalizeAxis('unflatten', axis, t.ndim);
  const resolved = unflattenSizes(t, a, sizes);
  checkShape('unflatten', [...t._shape.slice(0, a), ...resolved, ...t._shape.slice(a + 1)]);
  return splitAxis(t, a, resolved);
}

/** The shape toolbox's rows of the shape family (ops/tables.ts merges them into `shape`). */
export const shapeToolboxOps = {
  flip: flipDef,
  unflatten: unflattenDef,
  ...triangularOps,
  ...repeatOps,
};
