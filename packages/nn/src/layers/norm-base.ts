/**
 * What BatchNorm and InstanceNorm share (PyTorch's `_NormBase`): the
 * options, the affine parameters `weight` (γ, 1) and `bias` (β, 0), and the
 * running statistics in buffers under PyTorch's names — `running_mean` (0),
 * `running_var` (1) and `num_batches_tracked` (a step count; int32 here,
 * int64 in PyTorch, whose files load through safetensors' widened I64).
 */
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  type FloatDType,
  type Tensor,
  noGrad,
  ones,
  zeros,
} from '@chainrule/core';
import { booleanOption, describeValue, optionsObject, valueOr, type OptionKeys } from '@chainrule/core/internal';
import { Module } from '../module';
import { parameter } from '../parameter';
import { numberOption, type RunningStats } from '../functional/normalization';

/** Options of BatchNorm and InstanceNorm layers (PyTorch's keyword arguments in camelCase). */
export interface NormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of each new batch in the running averages (default 0.1). For
   * BatchNorm, `null` makes them cumulative averages: batch k weighs 1/k.
   */
  momentum?: number | null;
  /** Learn a per-channel scale γ (`weight`) and shift β (`bias`). */
  affine?: boolean;
  /** Keep running statistics (for evaluation) in buffers. */
  trackRunningStats?: boolean;
  /** Parameter and running-statistic dtype (default float32). */
  dtype?: FloatDType;
}

const normKeys: OptionKeys<NormOptions> = {
  eps: true,
  momentum: true,
  affine: true,
  trackRunningStats: true,
  dtype: true,
};

/** Checks a layer's size argument: a positive integer. */
export function sizeArgument(op: string, name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ArgumentError(op, `${name} must be a positive integer, got ${describeValue(n)}`);
  }
  return n;
}

/** The dtype option of a layer's parameters: float32 (default) or float64. */
export function dtypeOption(op: string, dtype: unknown): FloatDType {
  const d = valueOr(dtype, 'float32');
  if (d !== 'float32' && d !== 'float64') {
    throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(d)}`);
  }
  return d;
}

/** Throws the layer's channel mismatch: what the input has and which argument fixes it. */
export function checkChannels(op: string, x: Tensor, axis: number, expected: number, argument: string): void {
  const got = x.shape[axis] as number;
  if (got !== expected) {
    throw new ShapeError(
      op,
      `input has ${got} channels (axis ${axis} of shape [${x.shape.join(',')}]), this layer expects ${expected} (${argument})`,
    );
  }
}

/**
 * The base of BatchNorm1d/2d and InstanceNorm1d/2d: options, parameters and
 * running statistics, registered in PyTorch's order (weight, bias,
 * running_mean, running_var, num_batches_tracked).
 */
export abstract class NormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  /** Weight of each new batch in the running averages; null for BatchNorm's cumulative average. */
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  /** γ, shape [numFeatures], or null without `affine`. */
  readonly weight: Tensor | null;
  /** β, shape [numFeatures], or null without `affine`. */
  readonly bias: Tensor | null;
  /** Buffer `running_mean`, or null without `trackRunningStats`. */
  readonly runningMean: Tensor | null;
  /** Buffer `running_var`, or null without `trackRunningStats`. */
  readonly runningVar: Tensor | null;
  /** Buffer `num_batches_tracked` (int32, shape []), or null without `trackRunningStats`. */
  readonly numBatchesTracked: Tensor | null;

  protected constructor(
    op: string,
    numFeatures: number,
    options: NormOptions,
    defaults: { affine: boolean; trackRunningStats: boolean; momentumMayBeNull: boolean },
  ) {
    super();
    const o = optionsObject(op, options, normKeys);
    this.numFeatures = sizeArgument(op, 'numFeatures', numFeatures);
    this.eps = numberOption(op, 'eps', o.eps, 1e-5, 0);
    const momentum = valueOr<unknown>(o.momentum, 0.1);
    if (momentum === null && !defaults.momentumMayBeNull) {
      // PyTorch 1.13 takes momentum=None here and fails at the first forward; refused where the mistake is made.
      throw new ArgumentError(
        op,
        'momentum must be a number in [0, 1]; null (a cumulative average) is for BatchNorm only, as in PyTorch',
      );
    }
    this.momentum = momentum === null ? null : numberOption(op, 'momentum', momentum, 0.1, 0, 1);
    this.affine = booleanOption(op, 'affine', o.affine, defaults.affine);
    this.trackRunningStats = booleanOption(op, 'trackRunningStats', o.trackRunningStats, defaults.trackRunningStats);
    const dtype = dtypeOption(op, o.dtype);
    const n = this.numFeatures;
    this.weight = this.registerParameter('weight', this.affine ? parameter(ones([n], { dtype })) : null);
    this.bias = this.registerParameter('bias', this.affine ? parameter(zeros([n], { dtype })) : null);
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer('running_mean', track ? zeros([n], { dtype }) : null);
    this.runningVar = this.registerBuffer('running_var', track ? ones([n], { dtype }) : null);
    this.numBatchesTracked = this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** The running statistics as the functional forms take them, or null without `trackRunningStats`. */
  protected runningStats(): RunningStats | null {
    return this.runningMean === null || this.runningVar === null
      ? null
      : { mean: this.runningMean, variance: this.runningVar };
  }

  /** Whether the input's channel count is fixed by this layer's state (parameters or running statistics). */
  protected get holdsChannelState(): boolean {
    return this.affine || this.trackRunningStats;
  }

  /** Running mean 0, variance 1 and the batch count 0, in place (PyTorch's `reset_running_stats`). */
  resetRunningStats(): void {
    noGrad(() => {
      this.runningMean?.fill(0);
      this.runningVar?.fill(1);
      this.numBatchesTracked?.fill(0);
    });
  }

  /** The running statistics reset, and γ = 1, β = 0 (PyTorch's `reset_parameters`). */
  resetParameters(): void {
    this.resetRunningStats();
    noGrad(() => {
      this.weight?.fill(1);
      this.bias?.fill(0);
    });
  }

  override extraRepr(): string {
    return [
      `${this.numFeatures}`,
      `eps=${this.eps}`,
      `momentum=${this.momentum}`,
      `affine=${this.affine}`,
      `trackRunningStats=${this.trackRunningStats}`,
    ].join(', ');
  }
}
