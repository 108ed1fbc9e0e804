/** Squared-error losses: the textbook's cost functions for a regression output. */
import type { Tensor } from '@chainrule/core';
import { checkSameShape, floatTensor, reduce, reductionOf, type ReductionOptions } from './common';

/**
 * Mean squared error: mean((ŷ - y)²) over every element (PyTorch's MSELoss);
 * `reduction: 'sum'` gives Σ (ŷ - y)², `'none'` the squared differences.
 * Prediction and target must have the same shape.
 *
 * @example
 * mseLoss(tensor([0.5, 1]), tensor([0, 1]));                      // 0.125
 * mseLoss(tensor([0.5, 1]), tensor([0, 1]), { reduction: 'sum' }); // 0.25
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const op = 'mseLoss';
  const reduction = reductionOf(op, options);
  const prediction = floatTensor(op, 'the prediction', input);
  const wanted = floatTensor(op, 'the target', target);
  checkSameShape(op, prediction, wanted);
  return reduce(prediction.sub(wanted).square(), reduction);
}

/**
 * The sum of squared differences Σ (ŷ - y)², the textbook's cost function C
 * (no ½ factor and no averaging): `mseLoss` with `reduction: 'sum'`.
 */
export function sseLoss(input: Tensor, target: Tensor): Tensor {
  const op = 'sseLoss';
  const prediction = floatTensor(op, 'the prediction', input);
  const wanted = floatTensor(op, 'the target', target);
  checkSameShape(op, prediction, wanted);
  return prediction.sub(wanted).square().sum();
}
