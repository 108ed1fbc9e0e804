/**
 * Cross-entropy of logits against class indices or class probabilities,
 * as PyTorch's CrossEntropyLoss: logSoftmax over the class axis (axis 1, or
 * axis 0 for a single unbatched sample), then the negative log-likelihood.
 */
import { ArgumentError, ShapeError, Tensor, where } from '@chainrule/core';
import { sameShape } from '@chainrule/core/internal';
import { floatTensor, numberOption, reduce, reductionOf, type Reduction } from './common';
import {
  classAxisOf,
  classTargets,
  classWeights,
  ignoreIndexOption,
  targetWeightSum,
  weightedNll,
  withoutAxis,
  type ClassTargets,
  type NllOptions,
} from './nll';

/** Options of `crossEntropyLoss`. */
export interface CrossEntropyOptions extends NllOptions {
  /**
   * ε in [0, 1]: the target becomes (1 - ε)·target + ε/C, a mixture with the
   * uniform distribution over the C classes (Szegedy et al., "Rethinking the
   * Inception Architecture"). Default 0.
   */
  labelSmoothing?: number;
}

/**
 * Cross-entropy loss of `logits` (shape [N, C], [N, C, d1, ...] or [C]),
 * with targets either
 * - class indices: an int32 tensor or an array of integers of shape [N]
 *   ([N, d1, ...]; a single number for [C] logits), each in [0, C) or equal
 *   to `ignoreIndex` (default -100: no loss, no gradient, not counted); or
 * - class probabilities (e.g. one-hot rows): a float tensor of the logits' shape.
 *
 * For indices the loss of sample n is -weight[t]·log softmax(logits[n])[t]
 * for its target t; for probabilities it is
 * -Σ_c weight[c]·target[n,c]·log softmax(logits[n])[c]. With class indices
 * 'mean' divides by Σ weight[t] over the targets not ignored (their count
 * without weights; all ignored gives NaN, as PyTorch); with probabilities it
 * divides by the number of samples. `labelSmoothing` ε mixes each target
 * with the uniform distribution, as PyTorch: for indices the loss is
 * (1 - ε)·nll + ε/C·Σ_c -weight[c]·log softmax(logits[n])[c], both terms
 * reduced with the same divisor. Built from logSoftmax, which is stable for
 * any logits.
 *
 * @example
 * crossEntropyLoss(tensor([[2, 0, 0]]), [0]);            // -log(e² / (e² + 2)) ≈ 0.2395
 * crossEntropyLoss(logits, oneHot(labels, 10));           // the same with one-hot rows
 * crossEntropyLoss(logits, labels, { labelSmoothing: 0.1, ignoreIndex: 0 });
 */
export function crossEntropyLoss(
  logits: Tensor,
  target: Tensor | readonly number[] | number,
  options: CrossEntropyOptions = {},
): Tensor {
  const op = 'crossEntropyLoss';
  const reduction = reductionOf(op, options, ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing']);
  const x = floatTensor(op, 'the logits', logits);
  const { classAxis, classes } = classAxisOf(op, x, 'logits');
  const weight = classWeights(op, options.weight, classes);
  const ignoreIndex = ignoreIndexOption(op, options.ignoreIndex);
  // NOTE: PyTorch 1.13 refuses ε > 1 but silently applies no smoothing for ε < 0; both are refused here.
  const smoothing = numberOption(
    op,
    'labelSmoothing',
    options.labelSmoothing,
    0,
    (v) => v >= 0 && v <= 1,
    'a number in [0, 1]',
  );
  if (target instanceof Tensor && target.dtype !== 'int32') {
    const y = probabilityTarget(op, target, x.shape, classAxis, ignoreIndex);
    return fromProbabilities(x.logSoftmax(classAxis), y, classAxis, weight, smoothing, reduction);
  }
  const targets = classTargets(op, target, x.shape, classAxis, classes, ignoreIndex);
  const logProbs = x.logSoftmax(classAxis);
  const nll = weightedNll(logProbs, targets, weight, reduction);
  if (smoothing === 0) return nll;
  return nll.mul(1 - smoothing).add(uniformTerm(logProbs, targets, weight, reduction).mul(smoothing / classes));
}

/**
 * Σ_c -weight[c]·logProbs[n, c] per sample (0 where the target is ignored),
 * reduced with nll's divisor: label smoothing's term for the uniform target.
 */
function uniformTerm(
  logProbs: Tensor,
  targets: ClassTargets,
  weight: Tensor | undefined,
  reduction: Reduction,
): Tensor {
  const { classAxis, indices, ignored } = targets;
  const weighted =
    weight === undefined
      ? logProbs
      : logProbs.mul(weight.reshape(logProbs.shape.map((d, i) => (i === classAxis ? d : 1))));
  let losses = weighted.sum(classAxis).neg();
  if (ignored !== null) losses = where(ignored, 0, losses);
  if (reduction !== 'mean') return reduce(losses, reduction);
  const w = weight === undefined ? undefined : weight.indexSelect(0, indices.reshape([-1])).reshape(indices.shape);
  return losses.sum().div(targetWeightSum(ignored, w, indices, logProbs.dtype));
}

function probabilityTarget(
  op: string,
  target: Tensor,
  shape: readonly number[],
  classAxis: number,
  ignoreIndex: number,
): Tensor {
  const y = floatTensor(op, 'the target', target);
  if (!sameShape(y.shape, shape)) {
    const indexShape = withoutAxis(shape, classAxis);
    const hint = sameShape(y.shape, indexShape) ? ` (class indices must be int32: use target.to('int32'))` : '';
    throw new ShapeError(
      op,
      `probability targets must have the logits' shape [${shape.join(',')}], got [${y.shape.join(',')}]; class indices would have shape [${indexShape.join(',')}]${hint}`,
    );
  }
  // NOTE: as PyTorch, which refuses ignore_index ≥ 0 for float targets (its
  // default, -100, and other negative values pass and mean nothing here).
  if (ignoreIndex >= 0) {
    throw new ArgumentError(
      op,
      `ignoreIndex ${ignoreIndex} applies to class-index targets only; the target holds probabilities (a ${y.dtype} tensor of the logits' shape)`,
    );
  }
  return y;
}

function fromProbabilities(
  logProbs: Tensor,
  target: Tensor,
  classAxis: number,
  weight: Tensor | undefined,
  smoothing: number,
  reduction: Reduction,
): Tensor {
  const classes = logProbs.shape[classAxis] as number;
  const y = smoothing === 0 ? target : target.mul(1 - smoothing).add(smoothing / classes);
  let terms = y.mul(logProbs);
  if (weight !== undefined) {
    const shape = logProbs.shape.map((d, i) => (i === classAxis ? d : 1));
    terms = terms.mul(weight.reshape(shape));
  }
  const losses = terms.sum(classAxis).neg();
  return reduce(losses, reduction);
}
