/**
 * Binary search into sorted tensors: searchsorted and bucketize. Int32
 * results, no gradient (as in PyTorch).
 */
import { bound } from '../kernels/sort';
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { allocate } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { asTensor, describeOperand, type TensorLike } from './define';
import { flag, optionsOf } from './selection';
import { copyOf } from './shape';
import { tracedWhole } from './trace';

/** Options of {@link searchsorted}. */
export interface SearchsortedOptions {
  /** Insert after equal elements (default false: before them). */
  right?: boolean;
  /** 'left' or 'right': the same choice as `right`, by name; the two must not contradict each other. */
  side?: 'left' | 'right';
}

function readable(x: Tensor): Tensor {
  return x.isContiguous ? x : copyOf(x);
}

function rightOf(op: string, options: unknown, accepted: readonly string[]): boolean {
  const o = optionsOf(op, options, accepted);
  const right = flag(op, o, 'right', false);
  const { side } = o as Record<string, unknown>;
  if (side !== undefined && side !== 'left' && side !== 'right') {
    throw new ArgumentError(op, `option 'side' must be 'left' or 'right', got ${describeValue(side)}`);
  }
  if (right === true && side === 'left') {
    throw new ArgumentError(op, "side 'left' contradicts right: true (give one of them)");
  }
  return side === undefined ? right : side === 'right';
}

function search(sequence: Tensor, values: Tensor, right: boolean): Tensor {
  const seq = readable(sequence);
  const vals = readable(values);
  const n = seq._shape[seq.ndim - 1] as number;
  const width = vals.ndim === 0 ? 1 : (vals._shape[vals.ndim - 1] as number);
  const out = allocate('int32', vals.size);
  const sd = seq.storage.data;
  const vd = vals.storage.data;
  for (let i = 0; i < out.length; i++) {
    // Row r of the values searches row r of the sequence (one row when the sequence is 1-D).
    const row = seq.ndim === 1 ? 0 : Math.floor(i / width);
    out[i] = bound(sd, seq.offset + row * n, 1, n, vd[vals.offset + i] as number, right);
  }
  return Tensor.fromData(out, vals._shape, 'int32');
}

/**
 * For each of `values`, the index in `sortedSequence` (sorted ascending
 * along its last axis) where it would be inserted to keep it sorted: before
 * equal elements, or after them with `right: true` / `side: 'right'`
 * (PyTorch's searchsorted). A 1-D sequence serves every value; an N-D one
 * must match the values on every axis but the last, row by row. A NaN value
 * goes to the end. Int32 result of the values' shape.
 *
 * @example
 * searchsorted(tensor([1, 3, 5, 7]), tensor([3, 6])); // [1, 3]
 * searchsorted(tensor([1, 3, 5, 7]), 3, { right: true }); // 2
 */
export function searchsorted(sortedSequence: Tensor, values: TensorLike, options: SearchsortedOptions = {}): Tensor {
  const op = 'searchsorted';
  if (!(sortedSequence instanceof Tensor)) {
    throw new ArgumentError(op, `the sorted sequence must be a Tensor, got ${describeOperand(sortedSequence)}`);
  }
  // A number is searched as it is (float64), not rounded to the sequence's dtype.
  const v = asTensor(op, values, 'float64', 'the values');
  const right = rightOf(op, options, ['right', 'side']);
  const seq = sortedSequence;
  if (seq.ndim === 0) throw new ShapeError(op, 'the sorted sequence must have at least one axis, got a 0-d tensor');
  const lead = seq._shape.slice(0, -1);
  if (seq.ndim > 1 && (v.ndim !== seq.ndim || lead.some((d, i) => d !== v._shape[i]))) {
    throw new ShapeError(
      op,
      `a sorted sequence of shape ${formatShape(seq._shape)} needs values of shape [${lead.join(',')}, m], got ${formatShape(v._shape)} (or give a 1-D sequence)`,
    );
  }
  return tracedWhole(op, [seq, v], { right }, () => search(seq, v, right));
}

/**
 * The bucket of each element of `input` between 1-D ascending `boundaries`:
 * i such that boundaries[i-1] < x ≤ boundaries[i], or with `right: true`
 * boundaries[i-1] ≤ x < boundaries[i] (PyTorch's bucketize). Int32 result
 * of the input's shape.
 *
 * @example
 * bucketize(tensor([0.5, 1, 2.5]), tensor([1, 2])); // [0, 0, 2]
 */
export function bucketize(input: TensorLike, boundaries: Tensor, options: { right?: boolean } = {}): Tensor {
  const op = 'bucketize';
  if (!(boundaries instanceof Tensor)) {
    throw new ArgumentError(op, `the boundaries must be a Tensor, got ${describeOperand(boundaries)}`);
  }
  const x = asTensor(op, input, 'float64', 'the input');
  const right = rightOf(op, options, ['right']);
  if (boundaries.ndim !== 1) {
    throw new ShapeError(op, `the boundaries must be 1-D, got shape ${formatShape(boundaries._shape)}`);
  }
  return tracedWhole(op, [x, boundaries], { right }, () => search(boundaries, x, right));
}
