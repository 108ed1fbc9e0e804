/**
 * Cross-entropy of logits against class indices or class probabilities,
 * as PyTorch's CrossEntropyLoss: logSoftmax over the class axis (axis 1, or
 * axis 0 for a single unbatched sample), then the negative log-likelihood.
 */
import { ArgumentError, DTypeError, IndexError, ShapeError, Tensor, tensor, type Shape } from '@chainrule/core';
import { sameShape } from '@chainrule/core/internal';
import { describeTensorArgument, floatTensor, reduce, reductionOf, type ReductionOptions } from './common';

export interface CrossEntropyOptions extends ReductionOptions {
  /** A weight per class, shape [C]. With class indices, 'mean' divides by the summed weights of the targets, as PyTorch. */
  weight?: Tensor;
}

/**
 * Cross-entropy loss of `logits` (shape [N, C], [N, C, d1, ...] or [C]),
 * with targets either
 * - class indices: an int32 tensor or an array of integers of shape [N]
 *   ([N, d1, ...]; a single number for [C] logits), each in [0, C); or
 * - class probabilities (e.g. one-hot rows): a float tensor of the logits' shape.
 *
 * For indices the loss of sample n is -log softmax(logits[n])[target[n]];
 * for probabilities it is -Σ_c target[n,c]·log softmax(logits[n])[c].
 * 'mean' averages over samples (with class weights and indices: divides by
 * Σ weight[target[n]]). Built from logSoftmax, which is stable for any logits.
 *
 * @example
 * crossEntropyLoss(tensor([[2, 0, 0]]), [0]);            // -log(e² / (e² + 2)) ≈ 0.2395
 * crossEntropyLoss(logits, oneHot(labels, 10));           // the same with one-hot rows
 */
export function crossEntropyLoss(
  logits: Tensor,
  target: Tensor | readonly number[] | number,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'crossEntropyLoss';
  const reduction = reductionOf(op, options, ['reduction', 'weight']);
  const x = floatTensor(op, 'the logits', logits);
  if (x.ndim === 0) throw new ShapeError(op, 'the logits need a class axis: shape [N, C] or [C], got a scalar');
  const classAxis = x.ndim === 1 ? 0 : 1;
  const classes = x.shape[classAxis] as number;
  if (classes === 0)
    throw new ShapeError(
      op,
      `the logits of shape [${x.shape.join(',')}] hold no classes (axis ${classAxis} has size 0)`,
    );
  const weight = classWeights(op, options.weight, classes);
  const logProbs = x.logSoftmax(classAxis);
  if (target instanceof Tensor && target.dtype !== 'int32') {
    return fromProbabilities(op, logProbs, target, classAxis, weight, reduction);
  }
  const indices = classIndices(op, target, withoutAxis(x.shape, classAxis), classes);
  const picked = logProbs.gather(classAxis, indices.unsqueeze(classAxis)).squeeze(classAxis);
  if (weight === undefined) return reduce(picked.neg(), reduction);
  const w = weight.indexSelect(0, indices.reshape([-1])).reshape(indices.shape);
  const losses = picked.neg().mul(w);
  return reduction === 'mean' ? losses.sum().div(w.sum()) : reduce(losses, reduction);
}

function fromProbabilities(
  op: string,
  logProbs: Tensor,
  target: Tensor,
  classAxis: number,
  weight: Tensor | undefined,
  reduction: 'mean' | 'sum' | 'none',
): Tensor {
  const y = floatTensor(op, 'the target', target);
  if (!sameShape(y.shape, logProbs.shape)) {
    const indexShape = withoutAxis(logProbs.shape, classAxis);
    const hint = sameShape(y.shape, indexShape) ? ` (class indices must be int32: use target.to('int32'))` : '';
    throw new ShapeError(
      op,
      `probability targets must have the logits' shape [${logProbs.shape.join(',')}], got [${y.shape.join(',')}]; class indices would have shape [${indexShape.join(',')}]${hint}`,
    );
  }
  let terms = y.mul(logProbs);
  if (weight !== undefined) {
    const shape = logProbs.shape.map((d, i) => (i === classAxis ? d : 1));
    terms = terms.mul(weight.reshape(shape));
  }
  const losses = terms.sum(classAxis).neg();
  return reduce(losses, reduction);
}

function classIndices(op: string, target: unknown, shape: Shape, classes: number): Tensor {
  let indices: Tensor;
  if (target instanceof Tensor) {
    indices = target;
  } else if (typeof target === 'number' || Array.isArray(target)) {
    const values: unknown[] = typeof target === 'number' ? [target] : target;
    // Checked before the int32 conversion, which would wrap 2³² + 1 to 1.
    // NOTE: a plain loop, not forEach: forEach skips the holes of a sparse
    // array ([0, , 1]), and the conversion would then store each hole as class 0.
    for (let i = 0; i < values.length; i++) {
      if (!(i in values))
        throw new ArgumentError(
          op,
          `class indices must be integers, element ${i} is a hole in the array (nothing was written there)`,
        );
      const v = values[i];
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new ArgumentError(op, `class indices must be integers, element ${i} is ${describeTensorArgument(v)}`);
      }
      checkClass(op, v, i, classes);
    }
    indices =
      typeof target === 'number' ? tensor(target, { dtype: 'int32' }) : tensor(values as number[], { dtype: 'int32' });
  } else {
    throw new ArgumentError(
      op,
      `the target must be class indices (int32 tensor or array of integers) or a float tensor of probabilities, got ${describeTensorArgument(target)}`,
    );
  }
  if (indices.dtype !== 'int32') throw new DTypeError(op, `class indices must be int32, got ${indices.dtype}`);
  if (!sameShape(indices.shape, shape)) {
    throw new ShapeError(
      op,
      `class indices must have shape [${shape.join(',')}] (the logits' shape without the class axis), got [${indices.shape.join(',')}]`,
    );
  }
  const data = indices.data();
  for (let i = 0; i < data.length; i++) checkClass(op, data[i] as number, i, classes);
  return indices;
}

function checkClass(op: string, v: number, i: number, classes: number): void {
  if (v < 0 || v >= classes) {
    throw new IndexError(
      op,
      `class index ${v} (element ${i}) is out of range for ${classes} classes (expected 0 to ${classes - 1})`,
    );
  }
}

function classWeights(op: string, weight: unknown, classes: number): Tensor | undefined {
  if (weight === undefined) return undefined;
  const w = floatTensor(op, 'weight', weight);
  if (w.ndim !== 1 || w.shape[0] !== classes) {
    throw new ShapeError(op, `weight must hold one value per class, shape [${classes}], got [${w.shape.join(',')}]`);
  }
  return w;
}

function withoutAxis(shape: Shape, axis: number): number[] {
  return shape.filter((_, i) => i !== axis);
}
