/** The Kullback-Leibler divergence, as PyTorch's KLDivLoss. */
import { ArgumentError, xlogy, type Tensor } from '@chainrule/core';
import { booleanOption, checkOptionKeys, describeValue, valueOr } from '@chainrule/core/internal';
import { checkSameShape, floatTensor, type Reduction } from './common';

/** KLDivLoss's reductions: the three of every loss, and 'batchmean', the sum divided by the batch size. */
export type KlReduction = Reduction | 'batchmean';

/** Options of `klDivLoss`. */
export interface KlDivOptions {
  /** 'mean' (default, as PyTorch; divides by every element), 'batchmean' (divides by shape[0]: the true KL), 'sum' or 'none'. */
  reduction?: KlReduction;
  /** The target holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

/**
 * The pointwise KL divergence of a distribution `target` from `input`,
 * where `input` holds log-probabilities (e.g. from `logSoftmax`): per element
 * target·(log target - input), with 0·log 0 = 0; with `logTarget`,
 * e^target·(target - input). Reduce with 'batchmean' for KL(target ‖ input)
 * averaged over the batch (axis 0); 'mean' divides by the number of elements,
 * as PyTorch's default does.
 * NOTE: as PyTorch 1.13, a negative target gives NaN (target·log target), not 0,
 * and the target's gradient at target = 0 is NaN (log 0 + 0/0); the input's is 0 there.
 *
 * @example
 * const logQ = logSoftmax(scores, 1);
 * klDivLoss(logQ, p, { reduction: 'batchmean' }); // Σ p·log(p/q) / N
 */
export function klDivLoss(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const op = 'klDivLoss';
  checkOptionKeys(op, options, ['reduction', 'logTarget']);
  const reduction: unknown = valueOr(options.reduction, 'mean');
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none' && reduction !== 'batchmean') {
    throw new ArgumentError(
      op,
      `reduction must be 'mean', 'batchmean', 'sum' or 'none', got ${describeValue(reduction)}`,
    );
  }
  const logTarget = booleanOption(op, 'logTarget', options.logTarget, false);
  const x = floatTensor(op, 'the input (log-probabilities)', input);
  const y = floatTensor(op, 'the target', target);
  checkSameShape(op, x, y);
  // d/dx = -target (or -e^target); d/dtarget = log target + 1 - x (or e^target·(target + 1 - x)).
  const losses = logTarget ? y.exp().mul(y.sub(x)) : xlogy(y, y).sub(y.mul(x));
  switch (reduction) {
    case 'none':
      return losses;
    case 'sum':
      return losses.sum();
    case 'mean':
      return losses.mean();
    case 'batchmean':
      // NOTE: a 0-d input has no batch axis: its sum, as PyTorch.
      return x.ndim === 0 ? losses.sum() : losses.sum().div(x.shape[0] as number);
  }
}
