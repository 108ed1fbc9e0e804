/**
 * GroupNorm: PyTorch's group normalization layer. It has no running
 * statistics, so training and evaluation compute the same thing.
 */
import { ArgumentError, type FloatDType, type Tensor, noGrad, ones, zeros } from '@chainrule/core';
import { booleanOption, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { Module } from '../module';
import { parameter } from '../parameter';
import { applyGroupNorm, checkGroups, checkNormInput, numberOption } from '../functional/normalization';
import { checkChannels, dtypeOption, sizeArgument } from './norm-base';

/** Options of {@link GroupNorm}. */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale γ (`weight`, 1) and shift β (`bias`, 0) (default true). */
  affine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

const groupNormKeys: OptionKeys<GroupNormOptions> = { eps: true, affine: true, dtype: true };

/**
 * Group normalization (PyTorch's `nn.GroupNorm`) of an input [N, C, ...]:
 * the channels are split into `numGroups` groups of consecutive channels and
 * each sample's group is normalized over its channels and spatial axes,
 * then scaled and shifted per channel. Independent of the batch size, so it
 * suits small batches where BatchNorm's statistics are noisy. State dict:
 * `weight`, `bias`.
 *
 * @example
 * const gn = new GroupNorm(2, 6); // channels 0-2 and 3-5 normalized together
 * gn.forward(x);                  // x [N, 6, H, W]
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  /** γ, shape [numChannels], or null without `affine`. */
  readonly weight: Tensor | null;
  /** β, shape [numChannels], or null without `affine`. */
  readonly bias: Tensor | null;

  /** @throws ArgumentError when numChannels is not divisible by numGroups, or for bad options */
  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    const op = 'GroupNorm';
    const o = optionsObject(op, options, groupNormKeys);
    this.numGroups = sizeArgument(op, 'numGroups', numGroups);
    this.numChannels = sizeArgument(op, 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) {
      throw new ArgumentError(
        op,
        `numChannels ${numChannels} is not divisible by numGroups ${numGroups}; each group needs the same number of channels`,
      );
    }
    this.eps = numberOption(op, 'eps', o.eps, 1e-5, 0);
    this.affine = booleanOption(op, 'affine', o.affine, true);
    const dtype = dtypeOption(op, o.dtype);
    this.weight = this.registerParameter('weight', this.affine ? parameter(ones([numChannels], { dtype })) : null);
    this.bias = this.registerParameter('bias', this.affine ? parameter(zeros([numChannels], { dtype })) : null);
  }

  /**
   * Normalizes x [N, C, ...] group by group.
   *
   * @throws ShapeError for fewer than 2 axes, another channel count, or a single value in all
   */
  forward(input: Tensor): Tensor {
    const op = 'GroupNorm';
    const x = checkNormInput(op, input, 2, 'of shape [N, C, ...] (at least 2 axes)');
    // NOTE: without γ and β PyTorch normalizes any channel count divisible by numGroups; so do we.
    if (this.affine) checkChannels(op, x, 1, this.numChannels, 'numChannels');
    checkGroups(op, x, this.numGroups);
    return applyGroupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias }, this.eps);
  }

  /** γ = 1 and β = 0, in place (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    noGrad(() => {
      this.weight?.fill(1);
      this.bias?.fill(0);
    });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
