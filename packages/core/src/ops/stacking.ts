/**
 * NumPy's stacking helpers: atleast1d/2d/3d add size-1 axes (views), and
 * hstack, vstack and dstack are concat after them.
 */
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { asTensor, type TensorLike } from './define';
import { concat, reshape } from './shape';
import { splitAxis } from './shape-toolbox';

type Rank = 1 | 2 | 3;

/**
 * t with size-1 axes added until it has `rank` axes, where NumPy puts them:
 * a vector [n] becomes a row [1, n] (and [1, n, 1] in 3-D), a matrix [m, n]
 * becomes [m, n, 1]. Always a view.
 */
function atLeast(t: Tensor, rank: Rank): Tensor {
  if (t.ndim >= rank) return t;
  // A 0-d tensor is contiguous: reshape makes a view.
  if (t.ndim === 0) return reshape(t, new Array<number>(rank).fill(1));
  const n = t._shape[t.ndim - 1] as number;
  if (t.ndim === 1) return splitAxis(t, 0, rank === 2 ? [1, n] : [1, n, 1]);
  return splitAxis(t, 1, [n, 1]);
}

function atLeastAll(op: string, x: unknown, rank: Rank): Tensor | Tensor[] {
  if (Array.isArray(x)) return x.map((t, i) => atLeast(asTensor(op, t, 'float32', `element ${i}`), rank));
  return atLeast(asTensor(op, x), rank);
}

/**
 * The tensor with at least one axis: a scalar becomes [1], anything else is
 * returned as it is. Given an array, each of its tensors. PyTorch's `atleast_1d`.
 */
export function atleast1d(x: TensorLike): Tensor;
export function atleast1d(xs: readonly TensorLike[]): Tensor[];
export function atleast1d(x: TensorLike | readonly TensorLike[]): Tensor | Tensor[] {
  return atLeastAll('atleast1d', x, 1);
}

/**
 * The tensor with at least two axes, as a view: a scalar becomes [1, 1], a
 * vector [n] the row [1, n]. Given an array, each of its tensors. PyTorch's
 * `atleast_2d`.
 *
 * @example
 * atleast2d(tensor([1, 2])).shape; // [1, 2]
 */
export function atleast2d(x: TensorLike): Tensor;
export function atleast2d(xs: readonly TensorLike[]): Tensor[];
export function atleast2d(x: TensorLike | readonly TensorLike[]): Tensor | Tensor[] {
  return atLeastAll('atleast2d', x, 2);
}

/**
 * The tensor with at least three axes, as a view: a scalar becomes
 * [1, 1, 1], a vector [n] becomes [1, n, 1] and a matrix [m, n] becomes
 * [m, n, 1], as NumPy and PyTorch's `atleast_3d`. Given an array, each of
 * its tensors.
 */
export function atleast3d(x: TensorLike): Tensor;
export function atleast3d(xs: readonly TensorLike[]): Tensor[];
export function atleast3d(x: TensorLike | readonly TensorLike[]): Tensor | Tensor[] {
  return atLeastAll('atleast3d', x, 3);
}

/** Joins `tensors` (made at least `rank`-D) along `axis`, after checking them in `op`'s name. */
function stackAlong(op: string, tensors: unknown, rank: Rank, axisOf: (first: Tensor) => number): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new ArgumentError(op, `expected a non-empty array of tensors, got ${describeValue(tensors)}`);
  }
  const list = tensors.map((t, i) => atLeast(asTensor(op, t, 'float32', `element ${i}`), rank));
  const first = list[0] as Tensor;
  const axis = axisOf(first);
  list.forEach((t, i) => {
    const fits = t.ndim === first.ndim && t._shape.every((d, j) => j === axis || d === first._shape[j]);
    if (!fits) {
      throw new ShapeError(
        op,
        `tensor ${i} becomes ${formatShape(t._shape)}, which does not fit ${formatShape(first._shape)} of tensor 0 along axis ${axis} (all other dimensions must match)`,
      );
    }
  });
  return concat(list, axis);
}

/**
 * Joins tensors column-wise: along axis 1, or axis 0 for vectors (scalars
 * count as vectors of 1). NumPy's and PyTorch's `hstack`.
 *
 * @example
 * hstack([tensor([1, 2]), tensor([3])]);         // [1, 2, 3]
 * hstack([zeros([2, 1]), zeros([2, 3])]).shape; // [2, 4]
 */
export function hstack(tensors: readonly TensorLike[]): Tensor {
  return stackAlong('hstack', tensors, 1, (first) => (first.ndim === 1 ? 0 : 1));
}

/**
 * Joins tensors row-wise, along axis 0, after making each at least 2-D
 * (a vector [n] is a row [1, n]). NumPy's and PyTorch's `vstack`.
 *
 * @example
 * vstack([tensor([1, 2]), tensor([3, 4])]); // [[1, 2], [3, 4]]
 */
export function vstack(tensors: readonly TensorLike[]): Tensor {
  return stackAlong('vstack', tensors, 2, () => 0);
}

/**
 * Joins tensors depth-wise, along axis 2, after making each at least 3-D
 * ([n] → [1, n, 1], [m, n] → [m, n, 1]). NumPy's and PyTorch's `dstack`.
 *
 * @example
 * dstack([tensor([1, 2]), tensor([3, 4])]); // [[[1, 3], [2, 4]]]
 */
export function dstack(tensors: readonly TensorLike[]): Tensor {
  return stackAlong('dstack', tensors, 3, () => 2);
}
