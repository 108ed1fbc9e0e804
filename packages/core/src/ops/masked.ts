/**
 * Ops driven by a bool mask: maskedFill, maskedSelect and maskedScatter
 * (x and the mask broadcast together, as in PyTorch's out-of-place forms),
 * and nonzero / argwhere, the positions of the nonzero elements.
 */
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { stridedOffsets, truePositions } from '../kernels/positions';
import {
  broadcastShapes,
  broadcastStrides,
  contiguousStrides,
  formatShape,
  sameShape,
  type Shape,
} from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, type TensorLike } from './define';
import { packedData } from './index-plan';
import { positionsTensor, putOp, takeOp } from './index-primitives';
import { index, valuesFor } from './indexing';
import { fillValue } from './scatter';
import { expand, reshape } from './shape';
import { inputsOf, tracedWhole } from './trace';

/** The masked ops' table: tests reach every op through it. */
export const maskedOps = {
  maskedFill: putOp('maskedFill'),
  maskedSelect: takeOp('maskedSelect'),
  maskedScatter: putOp('maskedScatter'),
};

interface MaskPlan {
  /** x broadcast with the mask (a view). */
  x: Tensor;
  shape: Shape;
  /** Row-major positions (in the broadcast shape) where the mask is true. */
  positions: Int32Array;
}

/** Checks the mask, broadcasts x and the mask together, and finds the mask's true positions. */
function maskPlan(op: string, x: unknown, mask: unknown): MaskPlan {
  const t = asTensor(op, x);
  if (!(mask instanceof Tensor)) {
    throw new ArgumentError(op, `the mask must be a bool Tensor (e.g. x.gt(0)), got ${describeOperand(mask)}`);
  }
  if (mask.dtype !== 'bool') {
    throw new DTypeError(op, `the mask must be a bool tensor (e.g. x.gt(0)), got ${mask.dtype}`);
  }
  const shape = broadcastShapes(op, t._shape, mask._shape);
  const data = packedData(mask);
  const read = stridedOffsets(shape, broadcastStrides(mask._shape, contiguousStrides(mask._shape), shape));
  const flags = new Uint8Array(read.length);
  for (let i = 0; i < read.length; i++) flags[i] = data[read[i] as number] as number;
  return { x: sameShape(t._shape, shape) ? t : expand(t, shape), shape, positions: truePositions(flags) };
}

/**
 * A copy of x with `value` where the mask is true (PyTorch's masked_fill);
 * x and the mask broadcast together. `value` is a number or a 0-d tensor;
 * differentiable in x and a tensor value.
 *
 * @example
 * scores.maskedFill(padding, -Infinity); // before a softmax
 */
export function maskedFill(x: TensorLike, mask: Tensor, value: Tensor | number): Tensor {
  const plan = maskPlan('maskedFill', x, mask);
  const dtype = plan.x.dtype;
  const n = plan.positions.length;
  const v = valuesFor('maskedFill', fillValue('maskedFill', value, dtype), dtype, [n], 'the value');
  const positions = positionsTensor(plan.positions, [n]);
  return apply(maskedOps.maskedFill, [plan.x, v], { positions, accumulate: false });
}

/**
 * The elements of x where the mask is true, in row-major order, as a 1-D
 * tensor (PyTorch's masked_select); x and the mask broadcast together.
 *
 * @example
 * x.maskedSelect(x.gt(0)); // the positive elements
 */
export function maskedSelect(x: TensorLike, mask: Tensor): Tensor {
  const plan = maskPlan('maskedSelect', x, mask);
  const positions = positionsTensor(plan.positions, [plan.positions.length]);
  return apply(maskedOps.maskedSelect, [plan.x], { positions });
}

/**
 * A copy of x with the leading elements of `source` (read in row-major
 * order) written where the mask is true, one after another (PyTorch's
 * masked_scatter); x and the mask broadcast together. `source` needs at
 * least as many elements as the mask has true ones. Differentiable in x and
 * source.
 *
 * @example
 * zeros([2, 2]).maskedScatter(tensor([[true, false], [true, true]]), tensor([1, 2, 3])); // [[1, 0], [2, 3]]
 */
export function maskedScatter(x: TensorLike, mask: Tensor, source: Tensor): Tensor {
  const plan = maskPlan('maskedScatter', x, mask);
  const n = plan.positions.length;
  if (!(source instanceof Tensor)) {
    throw new ArgumentError('maskedScatter', `source must be a Tensor, got ${describeOperand(source)}`);
  }
  if (source.dtype !== plan.x.dtype) {
    throw new DTypeError(
      'maskedScatter',
      `source is ${source.dtype} but the tensor written into is ${plan.x.dtype}; they must match (convert with .to('${plan.x.dtype}'))`,
    );
  }
  if (source.size < n) {
    throw new ShapeError(
      'maskedScatter',
      `the mask has ${n} true elements (broadcast shape ${formatShape(plan.shape)}) but source of shape ${formatShape(source._shape)} has only ${source.size}`,
    );
  }
  const v = index(reshape(source, [-1]), [{ stop: n }]);
  const positions = positionsTensor(plan.positions, [n]);
  return apply(maskedOps.maskedScatter, [plan.x, v], { positions, accumulate: false });
}

/**
 * The coordinates of x's nonzero elements (NaN counts as nonzero), one row
 * each in row-major order: an int32 tensor of shape [count, rank] (PyTorch's
 * nonzero). Not differentiable.
 *
 * @example
 * nonzero(tensor([[0, 1], [2, 0]])); // [[0, 1], [1, 0]]
 */
export function nonzero(x: TensorLike): Tensor {
  return tracedWhole('nonzero', inputsOf(x), undefined, () => coordinates('nonzero', x));
}

/** The coordinates of x's nonzero elements, [count, rank] int32: the same as {@link nonzero}, as in PyTorch. */
export function argwhere(x: TensorLike): Tensor {
  return tracedWhole('argwhere', inputsOf(x), undefined, () => coordinates('argwhere', x));
}

function coordinates(op: string, x: TensorLike): Tensor {
  const t = asTensor(op, x);
  const hits = truePositions(packedData(t));
  const rank = t.ndim;
  const strides = contiguousStrides(t._shape);
  const out = new Int32Array(hits.length * rank);
  for (let i = 0; i < hits.length; i++) {
    const p = hits[i] as number;
    for (let d = 0; d < rank; d++) out[i * rank + d] = Math.floor(p / (strides[d] as number)) % (t._shape[d] as number);
  }
  return Tensor.fromData(out, [hits.length, rank], 'int32');
}
