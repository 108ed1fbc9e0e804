/**
 * Cutting a tensor into parts along an axis: split, chunk and unbind. Each
 * part is a view (a slice) of the input, so nothing is copied, and the
 * gradients of the parts meet again in the input's gradient.
 */
import { ArgumentError, ShapeError, safeJson, safeString } from '../errors';
import { formatShape, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { asTensor, type TensorLike } from './define';
import { slice } from './shape';
import { splitAxis } from './shape-toolbox';

/** The axis a part-taking op cuts along; a 0-d tensor has none. */
function cutAxis(op: string, t: Tensor, axis: unknown): number {
  if (t.ndim === 0) throw new ShapeError(op, `a 0-d tensor has no axis ${safeString(axis)} to cut along`);
  return normalizeAxis(op, axis, t.ndim);
}

/**
 * The most parts one call makes. Each is a Tensor object on the JS heap
 * (with its graph node when it records one), so an expanded view of 2³⁰
 * elements unbound into scalars would exhaust the heap instead of failing.
 */
export const maxParts = 2 ** 20;

function checkPartCount(op: string, count: number): void {
  if (count > maxParts) {
    throw new ShapeError(
      op,
      `${count} parts are more than the ${maxParts} one call makes (each part is a Tensor object); use slice for parts of the axis`,
    );
  }
}

/** Consecutive slices of the given sizes along axis a. */
function parts(op: string, t: Tensor, a: number, sizes: readonly number[]): Tensor[] {
  checkPartCount(op, sizes.length);
  let start = 0;
  return sizes.map((n) => {
    const part = slice(t, a, start, start + n);
    start += n;
    return part;
  });
}

/**
 * The tensor cut along `axis` (default 0) into views: parts of
 * `sizeOrSections` elements each (the last one smaller when the size does
 * not divide), or of the listed sizes, which must add up to the axis's size.
 * PyTorch's `split`.
 *
 * @example
 * split(arange(5), 2);          // [0, 1], [2, 3], [4]
 * split(arange(5), [1, 4]);     // [0], [1, 2, 3, 4]
 * split(zeros([2, 6]), 3, 1);   // two [2, 3] views
 */
export function split(x: TensorLike, sizeOrSections: number | readonly number[], axis = 0): Tensor[] {
  const t = asTensor('split', x);
  const a = cutAxis('split', t, axis);
  const n = t._shape[a] as number;
  if (Array.isArray(sizeOrSections)) {
    if (!sizeOrSections.every((s) => typeof s === 'number' && Number.isInteger(s) && s >= 0)) {
      throw new ArgumentError('split', `sizes must be non-negative integers, got ${safeJson(sizeOrSections)}`);
    }
    const total = sizeOrSections.reduce((p, s) => p + s, 0);
    if (total !== n) {
      throw new ShapeError(
        'split',
        `sizes ${formatShape(sizeOrSections)} add up to ${total}, not to the size ${n} of axis ${a} of shape ${formatShape(t._shape)}`,
      );
    }
    return parts('split', t, a, sizeOrSections);
  }
  const size = sizeOrSections;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
    throw new ArgumentError(
      'split',
      `the part size must be a non-negative integer or an array of sizes, got ${safeJson(size)}`,
    );
  }
  if (size === 0 && n !== 0) {
    throw new ArgumentError('split', `a part size of 0 splits only an empty axis; axis ${a} has size ${n}`);
  }
  return parts('split', t, a, evenSizes('split', n, size));
}

/** Sizes of parts of `size` elements covering n (the last one smaller); an empty axis still gives one empty part, as in PyTorch. */
function evenSizes(op: string, n: number, size: number): number[] {
  const count = n === 0 ? 1 : Math.ceil(n / size);
  checkPartCount(op, count);
  return Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
}

/**
 * The tensor cut along `axis` (default 0) into `chunks` views of
 * ⌈size / chunks⌉ elements (the last smaller), as PyTorch's `chunk`: fewer
 * than `chunks` parts when the size does not allow that many, and `chunks`
 * empty parts of an empty axis.
 *
 * @example
 * chunk(arange(5), 3); // [0, 1], [2, 3], [4]
 * chunk(arange(6), 4); // [0, 1], [2, 3], [4, 5]
 */
export function chunk(x: TensorLike, chunks: number, axis = 0): Tensor[] {
  const t = asTensor('chunk', x);
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks <= 0) {
    throw new ArgumentError('chunk', `chunks must be a positive integer, got ${safeJson(chunks)}`);
  }
  const a = cutAxis('chunk', t, axis);
  const n = t._shape[a] as number;
  if (n === 0) {
    checkPartCount('chunk', chunks);
    return parts('chunk', t, a, new Array<number>(chunks).fill(0));
  }
  return parts('chunk', t, a, evenSizes('chunk', n, Math.ceil(n / chunks)));
}

/**
 * The slices along `axis` (default 0) with that axis removed, as views:
 * PyTorch's `unbind`, the inverse of `stack`.
 *
 * @example
 * unbind(tensor([[1, 2], [3, 4]]));    // [1, 2], [3, 4]
 * unbind(tensor([[1, 2], [3, 4]]), 1); // [1, 3], [2, 4]
 */
export function unbind(x: TensorLike, axis = 0): Tensor[] {
  const t = asTensor('unbind', x);
  const a = cutAxis('unbind', t, axis);
  const n = t._shape[a] as number;
  checkPartCount('unbind', n);
  return parts('unbind', t, a, new Array<number>(n).fill(1)).map((p) => splitAxis(p, a, []));
}
