/**
 * BatchNorm1d and BatchNorm2d: PyTorch's batch normalization layers. In
 * training mode each channel is normalized with the batch's mean and
 * (biased) variance and the running statistics are updated with the
 * unbiased variance; in evaluation mode the running statistics are used
 * (the batch's own when the layer does not track them).
 */
import { ShapeError, Tensor, noGrad } from '@chainrule/core';
import { formatShape } from '@chainrule/core/internal';
import { applyBatchNorm, checkBatchCount, checkNormInput } from '../functional/normalization';
import { NormBase, checkChannels, type NormOptions } from './norm-base';

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d}; defaults eps 1e-5, momentum 0.1, affine and trackRunningStats true. */
export type BatchNormOptions = NormOptions;

abstract class BatchNormBase extends NormBase {
  /** The input ranks this layer takes, and how to write them in a message. */
  protected abstract readonly ranks: readonly number[];
  protected abstract readonly layout: string;

  constructor(numFeatures: number, options: BatchNormOptions, op: string) {
    super(op, numFeatures, options, { affine: true, trackRunningStats: true, momentumMayBeNull: true });
  }

  /**
   * Normalizes x per channel (axis 1). Training: with the batch's
   * statistics, updating the running ones and `num_batches_tracked`.
   * Evaluation: with the running statistics (or the batch's without
   * `trackRunningStats`).
   *
   * @throws ShapeError for an input of another rank or channel count, or a training batch of one value per channel
   */
  forward(input: Tensor): Tensor {
    const op = this.constructor.name;
    const x = checkNormInput(op, input, 0, this.layout);
    if (!this.ranks.includes(x.ndim)) {
      throw new ShapeError(op, `expected an input ${this.layout}, got shape ${formatShape(x.shape)}`);
    }
    // NOTE: without γ, β and running statistics nothing depends on numFeatures, and PyTorch normalizes any channel count; so do we.
    if (this.holdsChannelState) checkChannels(op, x, 1, this.numFeatures, 'numFeatures');
    const running = this.runningStats();
    const useBatchStats = this.training || running === null;
    // NOTE: PyTorch counts the batch in num_batches_tracked before refusing it; every check here comes first, so a refused input changes nothing.
    if (useBatchStats) {
      checkBatchCount(op, x, 'train with a batch of 2 or more samples, or call eval() to use the running statistics');
    }
    let factor = this.momentum ?? 0;
    const count = this.numBatchesTracked;
    if (this.training && count !== null) {
      noGrad(() => count.copyFrom(count.add(1)));
      // A cumulative average: batch k enters with weight 1/k.
      if (this.momentum === null) factor = 1 / count.item();
    }
    return applyBatchNorm(x, running, { weight: this.weight, bias: this.bias }, useBatchStats, factor, this.eps);
  }
}

/**
 * Batch normalization over a batch [N, C] or [N, C, L] (PyTorch's
 * `nn.BatchNorm1d`): y = (x - E[x]) / √(Var[x] + eps) · γ + β per channel,
 * with E and Var over N (and L). State dict: `weight`, `bias`,
 * `running_mean`, `running_var`, `num_batches_tracked`.
 *
 * @example
 * const bn = new BatchNorm1d(64);
 * const h = bn.forward(dense.forward(x)); // training: batch statistics, running ones updated
 * bn.eval().forward(x);                   // evaluation: running statistics
 */
export class BatchNorm1d extends BatchNormBase {
  protected readonly ranks = [2, 3];
  protected readonly layout = 'of shape [N, C] or [N, C, L]';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm1d');
  }
}

/**
 * Batch normalization over images [N, C, H, W] (PyTorch's
 * `nn.BatchNorm2d`): each channel normalized with statistics over N, H and
 * W. State dict: `weight`, `bias`, `running_mean`, `running_var`,
 * `num_batches_tracked`.
 *
 * @example
 * const bn = new BatchNorm2d(6);
 * bn.forward(featureMaps); // [N, 6, H, W] → [N, 6, H, W]
 */
export class BatchNorm2d extends BatchNormBase {
  protected readonly ranks = [4];
  protected readonly layout = 'of shape [N, C, H, W]';

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super(numFeatures, options, 'BatchNorm2d');
  }
}
