/**
 * The negative log-likelihood of class indices, as PyTorch's NLLLoss, and the
 * class-index handling it shares with crossEntropyLoss: the target's checks,
 * class weights, ignoreIndex and the weighted mean.
 */
import {
  ArgumentError,
  DTypeError,
  IndexError,
  ShapeError,
  Tensor,
  tensor,
  where,
  type DType,
  type Shape,
} from '@chainrule/core';
import { sameShape } from '@chainrule/core/internal';
import {
  describeTensorArgument,
  floatTensor,
  numberOption,
  reduce,
  reductionOf,
  type Reduction,
  type ReductionOptions,
} from './common';

/** Options of `nllLoss`. */
export interface NllOptions extends ReductionOptions {
  /** A weight per class, shape [C]. 'mean' then divides by the summed weights of the (non-ignored) targets, as PyTorch. */
  weight?: Tensor;
  /**
   * A target value that contributes nothing: no loss, no gradient, and not
   * counted by 'mean'. Default -100, as PyTorch. Any int32 value; a class
   * index in [0, C) ignores that class.
   */
  ignoreIndex?: number;
}

/** The class targets of an input: the class axis, the number of classes, checked indices and what is ignored. */
export interface ClassTargets {
  classAxis: number;
  classes: number;
  /** The targets with ignored entries replaced by class 0, so that they can index (int32, the target's shape). */
  indices: Tensor;
  /** True where the target equals ignoreIndex (a bool tensor), or null when nothing is ignored. */
  ignored: Tensor | null;
}

/** PyTorch's default ignore_index. */
const defaultIgnoreIndex = -100;

/**
 * The negative log-likelihood loss of log-probabilities `input` (shape
 * [N, C], [N, C, d1, ...] or [C]; e.g. the output of `logSoftmax(x, 1)`)
 * against class indices `target` (an int32 tensor or an array of integers of
 * shape [N] or [N, d1, ...]; a single number for [C]): the loss of each
 * element is -weight[t]·input[n, t] for its target t, and 0 where t equals
 * `ignoreIndex` (default -100). 'mean' divides the sum by Σ weight[t] over the
 * targets that are not ignored (the count of them without weights), so
 * all targets ignored (or all their weights 0) give NaN, as PyTorch.
 *
 * @example
 * const logp = logSoftmax(tensor([[2, 0, 0], [0, 1, 0]]), 1);
 * nllLoss(logp, [0, 1]);                          // mean of -logp[0,0] and -logp[1,1]
 * nllLoss(logp, [0, -100]);                       // -logp[0,0]: the second target is ignored
 * nllLoss(logp, [0, 1], { weight: tensor([2, 1, 1]) }); // (2·-logp[0,0] + -logp[1,1]) / 3
 */
export function nllLoss(input: Tensor, target: Tensor | readonly number[] | number, options: NllOptions = {}): Tensor {
  const op = 'nllLoss';
  const reduction = reductionOf(op, options, ['reduction', 'weight', 'ignoreIndex']);
  const x = floatTensor(op, 'the input (log-probabilities)', input);
  const { classAxis, classes } = classAxisOf(op, x, 'input');
  const weight = classWeights(op, options.weight, classes);
  const ignoreIndex = ignoreIndexOption(op, options.ignoreIndex);
  if (target instanceof Tensor && target.dtype !== 'int32') {
    throw new DTypeError(op, `class indices must be int32, got ${target.dtype} (use target.to('int32'))`);
  }
  const targets = classTargets(op, target, x.shape, classAxis, classes, ignoreIndex);
  return weightedNll(x, targets, weight, reduction);
}

/** The class axis of an input of shape [C] (axis 0) or [N, C, ...] (axis 1), and its size; refuses scalars and C = 0. */
export function classAxisOf(op: string, x: Tensor, what: 'logits' | 'input'): { classAxis: number; classes: number } {
  const [need, hold] = what === 'logits' ? ['need', 'hold'] : ['needs', 'holds'];
  if (x.ndim === 0) throw new ShapeError(op, `the ${what} ${need} a class axis: shape [N, C] or [C], got a scalar`);
  const classAxis = x.ndim === 1 ? 0 : 1;
  const classes = x.shape[classAxis] as number;
  if (classes === 0) {
    throw new ShapeError(
      op,
      `the ${what} of shape [${x.shape.join(',')}] ${hold} no classes (axis ${classAxis} has size 0)`,
    );
  }
  return { classAxis, classes };
}

/** The ignoreIndex option: -100 when absent, else an integer that an int32 target can hold. */
export function ignoreIndexOption(op: string, value: unknown): number {
  // NOTE: an ignoreIndex beyond int32 could never match an int32 target, and
  // an array target's 2³² - 100 would match it before the int32 conversion
  // wrapped it to -100: both are refused.
  return numberOption(
    op,
    'ignoreIndex',
    value,
    defaultIgnoreIndex,
    (v) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31,
    'an integer in the int32 range (a class index to skip; default -100)',
  );
}

/** A class-weight option: undefined, or a float tensor of shape [C]. */
export function classWeights(op: string, weight: unknown, classes: number): Tensor | undefined {
  if (weight === undefined) return undefined;
  const w = floatTensor(op, 'weight', weight);
  if (w.ndim !== 1 || w.shape[0] !== classes) {
    throw new ShapeError(op, `weight must hold one value per class, shape [${classes}], got [${w.shape.join(',')}]`);
  }
  return w;
}

/** The input's shape without its class axis: the shape class indices must have. */
export function withoutAxis(shape: Shape, axis: number): number[] {
  return shape.filter((_, i) => i !== axis);
}

/**
 * Checks class-index targets (an int32 tensor, an array of integers, or one
 * number for a [C] input) against the input's shape and the class count,
 * allowing `ignoreIndex` anywhere.
 */
export function classTargets(
  op: string,
  target: unknown,
  inputShape: Shape,
  classAxis: number,
  classes: number,
  ignoreIndex: number,
): ClassTargets {
  const shape = withoutAxis(inputShape, classAxis);
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
      checkClass(op, v, i, classes, ignoreIndex);
    }
    // The shape is checked before the tensor is made: nothing is allocated for a call that throws.
    checkIndexShape(op, typeof target === 'number' ? [] : [values.length], shape, inputShape, classAxis);
    indices =
      typeof target === 'number' ? tensor(target, { dtype: 'int32' }) : tensor(values as number[], { dtype: 'int32' });
  } else {
    throw new ArgumentError(
      op,
      `the target must be class indices (int32 tensor or array of integers)${op === 'nllLoss' ? '' : ' or a float tensor of probabilities'}, got ${describeTensorArgument(target)}`,
    );
  }
  if (indices.dtype !== 'int32') throw new DTypeError(op, `class indices must be int32, got ${indices.dtype}`);
  checkIndexShape(op, indices.shape, shape, inputShape, classAxis);
  const data = indices.data();
  let anyIgnored = false;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v === ignoreIndex) anyIgnored = true;
    else checkClass(op, v, i, classes, ignoreIndex);
  }
  if (!anyIgnored) return { classAxis, classes, indices, ignored: null };
  const safe = Int32Array.from(data, (v) => (v === ignoreIndex ? 0 : v));
  const mask = Uint8Array.from(data, (v) => (v === ignoreIndex ? 1 : 0));
  return {
    classAxis,
    classes,
    indices: tensor(safe, { shape, dtype: 'int32' }),
    ignored: tensor(mask, { shape, dtype: 'bool' }),
  };
}

function checkIndexShape(op: string, given: Shape, shape: Shape, inputShape: Shape, classAxis: number): void {
  if (sameShape(given, shape)) return;
  throw new ShapeError(
    op,
    `class indices must have shape [${shape.join(',')}] (the input's shape [${inputShape.join(',')}] without the class axis ${classAxis}), got [${given.join(',')}]`,
  );
}

function checkClass(op: string, v: number, i: number, classes: number, ignoreIndex: number): void {
  if (v === ignoreIndex) return;
  if (v < 0 || v >= classes) {
    throw new IndexError(
      op,
      `class index ${v} (element ${i}) is out of range for ${classes} classes (expected 0 to ${classes - 1}, or the ignoreIndex ${ignoreIndex})`,
    );
  }
}

/**
 * Σ or mean of -weight[t]·logProbs[..., t, ...] over the targets, with
 * ignored targets contributing 0 and not counted; per element for 'none'.
 */
export function weightedNll(
  logProbs: Tensor,
  { classAxis, indices, ignored }: ClassTargets,
  weight: Tensor | undefined,
  reduction: Reduction,
): Tensor {
  const picked = logProbs.gather(classAxis, indices.unsqueeze(classAxis)).squeeze(classAxis).neg();
  const w = weight === undefined ? undefined : weight.indexSelect(0, indices.reshape([-1])).reshape(indices.shape);
  if (ignored === null) {
    // Nothing ignored: the plain (weighted) mean.
    if (w === undefined) return reduction === 'mean' ? picked.mean() : reduce(picked, reduction);
    const losses = picked.mul(w);
    return reduction === 'mean' ? losses.sum().div(w.sum()) : reduce(losses, reduction);
  }
  // NOTE: where, not a product with a 0/1 mask: an ignored target's input may
  // be -Infinity (log 0), and 0·-Infinity would be NaN where PyTorch gives 0.
  const losses = where(ignored, 0, w === undefined ? picked : picked.mul(w));
  if (reduction !== 'mean') return reduce(losses, reduction);
  return losses.sum().div(targetWeightSum(ignored, w, indices, logProbs.dtype));
}

/**
 * 'mean''s divisor: Σ weight[t] over the targets that are not ignored, or
 * their count without weights.
 */
export function targetWeightSum(
  ignored: Tensor | null,
  w: Tensor | undefined,
  indices: Tensor,
  dtype: DType,
): Tensor | number {
  if (w !== undefined) return ignored === null ? w.sum() : where(ignored, 0, w).sum();
  return ignored === null ? indices.size : ignored.logicalNot().to(dtype).sum();
}
