/**
 * InstanceNorm1d and InstanceNorm2d: PyTorch's instance normalization
 * layers. Each sample's channel is normalized over its own spatial axes.
 * As in PyTorch, affine parameters and running statistics are off by
 * default, and an input without the batch axis is taken as one sample.
 */
import { ShapeError, type Tensor } from '@chainrule/core';
import { formatShape } from '@chainrule/core/internal';
import { applyInstanceNorm, checkInstanceStats, checkNormInput } from '../functional/normalization';
import { NormBase, checkChannels, type NormOptions } from './norm-base';

/**
 * Options of {@link InstanceNorm1d} and {@link InstanceNorm2d}; defaults eps
 * 1e-5, momentum 0.1 (a number: PyTorch's instance norm has no cumulative
 * average), affine and trackRunningStats false.
 */
export type InstanceNormOptions = Omit<NormOptions, 'momentum'> & { momentum?: number };

abstract class InstanceNormBase extends NormBase {
  /** The rank of an unbatched input ([C, L] for 1d); a batched one has one axis more. */
  protected abstract readonly unbatchedRank: number;
  protected abstract readonly layout: string;

  constructor(numFeatures: number, options: InstanceNormOptions, op: string) {
    super(op, numFeatures, options, { affine: false, trackRunningStats: false, momentumMayBeNull: false });
  }

  /**
   * Normalizes each sample's channel over its spatial axes (in training,
   * and always without `trackRunningStats`), updating the running
   * statistics when tracked; in evaluation with tracked statistics, uses
   * those. An unbatched input gives an unbatched output.
   *
   * @throws ShapeError for an input of another rank or channel count, or a single spatial element
   */
  forward(input: Tensor): Tensor {
    const op = this.constructor.name;
    const given = checkNormInput(op, input, 0, this.layout);
    const rank = this.unbatchedRank;
    if (given.ndim !== rank && given.ndim !== rank + 1) {
      throw new ShapeError(op, `expected an input ${this.layout}, got shape ${formatShape(given.shape)}`);
    }
    const batched = given.ndim === rank + 1;
    const x = batched ? given : given.unsqueeze(0);
    // NOTE: PyTorch only warns when the channel count differs and nothing is per channel (no affine, no running
    // statistics): the layer then works for any count. With per-channel state it fails, as here, with a ShapeError.
    if (this.holdsChannelState) checkChannels(op, given, batched ? 1 : 0, this.numFeatures, 'numFeatures');
    const running = this.runningStats();
    const useInputStats = this.training || running === null;
    checkInstanceStats(op, x, given.shape, running, useInputStats, "normalizing with the input's own statistics");
    // NOTE: as in PyTorch 1.13, instance norm never advances num_batches_tracked (the buffer is kept for the state dict).
    const affine = { weight: this.weight, bias: this.bias };
    const y = applyInstanceNorm(x, running, affine, useInputStats, this.momentum ?? 0.1, this.eps);
    return batched ? y : y.squeeze(0);
  }
}

/**
 * Instance normalization of sequences [N, C, L], or one sequence [C, L]
 * (PyTorch's `nn.InstanceNorm1d`): each sample's channel to mean 0 and
 * variance 1 over L, then γ and β per channel with `affine`.
 *
 * @example
 * new InstanceNorm1d(4).forward(x); // x [N, 4, L]
 */
export class InstanceNorm1d extends InstanceNormBase {
  protected readonly unbatchedRank = 2;
  protected readonly layout = 'of shape [N, C, L] or unbatched [C, L]';

  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super(numFeatures, options, 'InstanceNorm1d');
  }
}

/**
 * Instance normalization of images [N, C, H, W], or one image [C, H, W]
 * (PyTorch's `nn.InstanceNorm2d`), as used in style transfer: each image's
 * channel to mean 0 and variance 1 over H and W.
 *
 * @example
 * new InstanceNorm2d(3, { affine: true }).forward(images); // [N, 3, H, W]
 */
export class InstanceNorm2d extends InstanceNormBase {
  protected readonly unbatchedRank = 3;
  protected readonly layout = 'of shape [N, C, H, W] or unbatched [C, H, W]';

  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super(numFeatures, options, 'InstanceNorm2d');
  }
}
