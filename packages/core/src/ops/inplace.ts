/**
 * In-place updates, for optimizers and initializers. They are not recorded
 * in the graph, so they are allowed only where they cannot corrupt it: under
 * noGrad, or on tensors that do not require grad. Each bumps the storage's
 * version, so a backward rule that saved the old values refuses to run
 * instead of returning a wrong gradient.
 */
import * as K from '../kernels/inplace';
import { forEachRow } from '../kernels/strided';
import { ArgumentError, DTypeError, GraphError, ShapeError, safeString } from '../errors';
import { isGradEnabled } from '../autograd/grad-mode';
import { isFloat } from '../tensor/dtype';
import { broadcastStrides, formatShape, sameShape, broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { asTensor, type TensorLike } from './define';
import { copyOf } from './shape';
import { ne } from './compare';
import { isTracing } from './trace';

function checkWritable(op: string, t: Tensor): void {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, 'the target must be a Tensor');
  // NOTE: a tensor with no elements has no shared ones, whatever its strides ([3, 0] has strides [0, 1]).
  if (t.size > 0 && t._shape.some((d, i) => d > 1 && t._strides[i] === 0)) {
    // An expanded view: several elements are one memory location, so each
    // update would land on it several times (PyTorch refuses this too).
    throw new ArgumentError(
      op,
      `the target of shape ${formatShape(t._shape)} is an expanded view whose elements share memory; ` +
        'update the tensor it was expanded from, or clone() it first',
    );
  }
  if (isGradEnabled() && t.requiresGrad) {
    throw new GraphError(
      op,
      `cannot change a tensor that requires grad while the graph is recorded (it would corrupt the graph); ` +
        'do the update inside noGrad(() => ...)',
    );
  }
}

/** The operand as a tensor t can read elementwise: broadcast to t's shape, never aliasing t. */
function operand(op: string, t: Tensor, v: TensorLike): Tensor {
  const given = asTensor(op, v, t.dtype === 'bool' ? 'float64' : t.dtype, 'the operand');
  // A bool holds 0 or 1: nonzero (NaN included) becomes true, as in PyTorch,
  // where a plain store into its Uint8Array would keep 0.5 as 0 and -2 as 254.
  const source = t.dtype === 'bool' && given.dtype !== 'bool' ? ne(given, 0) : given;
  if (!sameShape(broadcastShapes(op, t._shape, source._shape), t._shape)) {
    throw new ShapeError(
      op,
      `cannot update a tensor of shape ${formatShape(t._shape)} with one of shape ${formatShape(source._shape)} (it must broadcast to the target's shape)`,
    );
  }
  // Reading and writing the same memory in one pass is only safe elementwise
  // in place; copy the operand when it shares the target's storage.
  return source.storage === t.storage ? copyOf(source) : source;
}

function update(op: string, t: Tensor, v: TensorLike, row: K.InPlaceRow, alpha: number, floatOnly: boolean): Tensor {
  if (isTracing()) {
    // A trace names tensors by object: after an in-place change the same object would stand for two values.
    throw new GraphError(
      op,
      'in-place updates cannot be traced for export (the tensor would stand for its old and new values); use the out-of-place op (add, sub, mul, where) inside the exported function',
    );
  }
  checkWritable(op, t);
  if (floatOnly && !isFloat(t.dtype)) {
    throw new DTypeError(op, `in-place arithmetic needs a float32 or float64 target, got ${t.dtype}`);
  }
  if (typeof alpha !== 'number' || Number.isNaN(alpha)) {
    throw new ArgumentError(op, `alpha must be a number, got ${safeString(alpha)}`);
  }
  const source = operand(op, t, v);
  const vs = broadcastStrides(source._shape, source._strides, t._shape);
  const target = t.storage.data;
  const values = source.storage.data;
  forEachRow(t._shape, [t._strides, vs], [t.offset, source.offset], (off, n, inner) => {
    row(target, off[0] as number, inner[0] as number, values, off[1] as number, inner[1] as number, n, alpha);
  });
  t.storage.version++;
  return t;
}

/** t += alpha · v (v broadcast to t's shape). */
export function addInPlace<T extends Tensor>(t: T, v: TensorLike, alpha = 1): T {
  return update('addInPlace', t, v, K.addScaled, alpha, true) as T;
}

/** t -= alpha · v. */
export function subInPlace<T extends Tensor>(t: T, v: TensorLike, alpha = 1): T {
  if (typeof alpha !== 'number')
    throw new ArgumentError('subInPlace', `alpha must be a number, got ${safeString(alpha)}`);
  return update('subInPlace', t, v, K.addScaled, -alpha, true) as T;
}

/** t *= v. */
export function mulInPlace<T extends Tensor>(t: T, v: TensorLike): T {
  return update('mulInPlace', t, v, K.mulBy, 1, true) as T;
}

/** Overwrites t's elements with `source`'s (broadcast to t's shape). */
export function copyFrom<T extends Tensor>(t: T, source: TensorLike): T {
  return update('copyFrom', t, source, K.assign, 1, false) as T;
}

/** Sets every element of t to `value`. */
export function fill<T extends Tensor>(t: T, value: number): T {
  if (!(t instanceof Tensor)) throw new ArgumentError('fill', 'the target must be a Tensor');
  if (typeof value !== 'number') throw new ArgumentError('fill', `value must be a number, got ${typeof value}`);
  return update('fill', t, value, K.assign, 1, false) as T;
}
