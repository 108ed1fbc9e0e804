/**
 * Regression losses that grow linearly for large errors, so outliers pull
 * less than under the squared error: PyTorch's L1Loss, HuberLoss and
 * SmoothL1Loss.
 */
import { where, type Tensor } from '@chainrule/core';
import { checkSameShape, floatTensor, numberOption, reduce, reductionOf, type ReductionOptions } from './common';

/** Options of `huberLoss`. */
export interface HuberOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear: a number > 0 (default 1). */
  delta?: number;
}

/** Options of `smoothL1Loss`. */
export interface SmoothL1Options extends ReductionOptions {
  /** Where the loss turns from quadratic to linear: a number ≥ 0 (default 1); 0 gives l1Loss. */
  beta?: number;
}

/** Checks prediction and target (floats, one shape) and returns their difference. */
function difference(op: string, input: Tensor, target: Tensor): [Tensor, Tensor] {
  const prediction = floatTensor(op, 'the prediction', input);
  const wanted = floatTensor(op, 'the target', target);
  checkSameShape(op, prediction, wanted);
  return [prediction, wanted];
}

/**
 * Mean absolute error |ŷ - y| (PyTorch's L1Loss), over every element.
 * NOTE: the gradient at ŷ = y is 0 (sign(0)), as in PyTorch.
 *
 * @example
 * l1Loss(tensor([0.5, 3]), tensor([0, 1])); // (0.5 + 2) / 2 = 1.25
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const op = 'l1Loss';
  const reduction = reductionOf(op, options);
  const [p, y] = difference(op, input, target);
  return reduce(p.sub(y).abs(), reduction);
}

/**
 * Huber loss (PyTorch's HuberLoss): with d = ŷ - y, ½d² where |d| < delta
 * and delta·(|d| - ½delta) elsewhere: quadratic near the target, linear
 * (slope ±delta) for outliers, with a continuous gradient.
 * NOTE: at |d| = delta exactly the linear branch is taken, as PyTorch's
 * forward; value and gradient (±delta) are the same on both sides there.
 *
 * @example
 * huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }); // [0.125, 2.5]
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  const op = 'huberLoss';
  const reduction = reductionOf(op, options, ['reduction', 'delta']);
  const delta = numberOption(op, 'delta', options.delta, 1, (v) => v > 0, 'a number > 0 (PyTorch refuses delta ≤ 0)');
  const [p, y] = difference(op, input, target);
  const d = p.sub(y);
  const a = d.abs();
  return reduce(where(a.lt(delta), d.square().mul(0.5), a.sub(0.5 * delta).mul(delta)), reduction);
}

/**
 * Smooth L1 loss (PyTorch's SmoothL1Loss): with d = ŷ - y, ½d²/beta where
 * |d| < beta and |d| - ½beta elsewhere; huberLoss divided by beta (=
 * delta). beta = 0 is l1Loss, as in PyTorch.
 *
 * @example
 * smoothL1Loss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }); // [0.125, 2.5]
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  const op = 'smoothL1Loss';
  const reduction = reductionOf(op, options, ['reduction', 'beta']);
  const beta = numberOption(op, 'beta', options.beta, 1, (v) => v >= 0, 'a number ≥ 0 (PyTorch refuses beta < 0)');
  const [p, y] = difference(op, input, target);
  const d = p.sub(y);
  const a = d.abs();
  if (beta === 0) return reduce(a, reduction);
  return reduce(where(a.lt(beta), d.square().mul(0.5).div(beta), a.sub(0.5 * beta)), reduction);
}
