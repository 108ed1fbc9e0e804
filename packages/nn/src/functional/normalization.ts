/**
 * Batch, instance and group normalization as functions of tensors, with the
 * arguments of PyTorch's `F.batch_norm`, `F.instance_norm` and
 * `F.group_norm`. Each is written with core's differentiable ops (mean,
 * subtraction, rsqrt, ...), so the gradient through the batch statistics —
 * and the second derivative — is the exact one autograd derives, not a
 * hand-fused formula. The layers in `layers/batch-norm.ts`,
 * `layers/instance-norm.ts` and `layers/group-norm.ts` call the checked
 * pieces below with their own names, so their errors name the layer.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, noGrad } from '@chainrule/core';
import {
  booleanOption,
  describeValue,
  formatShape,
  notWritable,
  optionsObject,
  valueOr,
} from '@chainrule/core/internal';

/** Options of {@link batchNorm}: PyTorch's `F.batch_norm` keyword arguments. */
export interface FunctionalBatchNormOptions {
  /** γ, one value per channel (default: none, as 1). */
  weight?: Tensor | null;
  /** β, one value per channel (default: none, as 0). */
  bias?: Tensor | null;
  /** Normalize with the batch's statistics and update the running ones (default false: use the running ones). */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Options of {@link instanceNorm}: PyTorch's `F.instance_norm` keyword arguments. */
export interface FunctionalInstanceNormOptions {
  /** Running mean per channel, updated in place when `useInputStats` (default none). */
  runningMean?: Tensor | null;
  /** Running variance per channel, updated in place when `useInputStats` (default none). */
  runningVar?: Tensor | null;
  /** γ, one value per channel (default: none). */
  weight?: Tensor | null;
  /** β, one value per channel (default: none). */
  bias?: Tensor | null;
  /** Normalize each sample with its own statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** Weight of the new statistics in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Options of {@link groupNorm}: PyTorch's `F.group_norm` keyword arguments. */
export interface FunctionalGroupNormOptions {
  /** γ, one value per channel (default: none). */
  weight?: Tensor | null;
  /** β, one value per channel (default: none). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
}

/** Running statistics given together: both tensors or neither. */
export interface RunningStats {
  mean: Tensor;
  variance: Tensor;
}

/** Per-channel parameters, each optional. */
export interface Affine {
  weight: Tensor | null;
  bias: Tensor | null;
}

// ---------------------------------------------------------------------------
// Checks shared with the layers. Each names `op` (the function or the layer).

/** The input must be a float tensor with at least `minAxes` axes laid out as [N, C, ...]. */
export function checkNormInput(op: string, x: unknown, minAxes: number, layout: string): Tensor {
  if (!(x instanceof Tensor))
    throw new ArgumentError(op, `the input must be a Tensor ${layout}, got ${describeValue(x)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new DTypeError(op, `the input must be float32 or float64, got ${x.dtype} (convert with .to('float32'))`);
  }
  if (x.ndim < minAxes) {
    throw new ShapeError(op, `expected an input ${layout}, got shape ${formatShape(x.shape)}`);
  }
  return x;
}

/** An optional per-channel tensor (weight, bias, running statistic): null, or a float tensor of shape [C]. */
export function checkChannelTensor(op: string, name: string, t: unknown, channels: number, x: Tensor): Tensor | null {
  if (t === undefined || t === null) return null;
  if (!(t instanceof Tensor)) {
    throw new ArgumentError(op, `${name} must be a Tensor of shape [${channels}] or null, got ${describeValue(t)}`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new DTypeError(op, `${name} must be float32 or float64, got ${t.dtype}`);
  }
  if (t.ndim !== 1 || t.shape[0] !== channels) {
    throw new ShapeError(
      op,
      `${name} has shape ${formatShape(t.shape)}, expected [${channels}]: one value per channel of the input ${formatShape(x.shape)}`,
    );
  }
  return t;
}

/** Running statistics: both or neither; with `update`, they must take an in-place copy. */
export function checkRunningStats(
  op: string,
  names: [string, string],
  mean: unknown,
  variance: unknown,
  channels: number,
  x: Tensor,
  update: boolean,
): RunningStats | null {
  const m = checkChannelTensor(op, names[0], mean, channels, x);
  const v = checkChannelTensor(op, names[1], variance, channels, x);
  if ((m === null) !== (v === null)) {
    throw new ArgumentError(op, `${names[0]} and ${names[1]} go together: pass both tensors or neither`);
  }
  if (m === null || v === null) return null;
  if (update) {
    for (const [name, t] of [
      [names[0], m],
      [names[1], v],
    ] as const) {
      const problem = notWritable(t);
      if (problem !== null) throw new ArgumentError(op, `${name} is updated in place, but it ${problem.reason}`);
    }
  }
  return { mean: m, variance: v };
}

/** A finite number option within [min, max]. */
export function numberOption(
  op: string,
  key: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Infinity,
): number {
  const v = valueOr(value, fallback);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = max === Infinity ? `a finite number ≥ ${min}` : `a number in [${min}, ${max}]`;
    throw new ArgumentError(op, `${key} must be ${range}, got ${describeValue(v)}`);
  }
  return v;
}

const countOf = (shape: readonly number[], axes: readonly number[]): number =>
  axes.reduce((n, a) => n * (shape[a] as number), 1);

/** Axes 0 and 2.. (every axis but the channel axis). */
const batchAxes = (ndim: number): number[] => [0, ...Array.from({ length: ndim - 2 }, (_, i) => i + 2)];

/** Axes 2.. (the spatial axes). */
const spatialAxes = (ndim: number): number[] => Array.from({ length: ndim - 2 }, (_, i) => i + 2);

/** The shape that broadcasts a per-channel vector over [N, C, ...]: [1, C, 1, ...]. */
const channelShape = (x: Tensor): number[] => x.shape.map((d, i) => (i === 1 ? d : 1));

/**
 * Throws unless each channel has more than one value to take statistics of:
 * with one, the variance is 0 and the output would be β whatever the input
 * (PyTorch's "Expected more than 1 value per channel when training").
 */
export function checkBatchCount(op: string, x: Tensor, advice: string): void {
  if (countOf(x.shape, batchAxes(x.ndim)) === 1) {
    throw new ShapeError(
      op,
      `expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)} (${advice})`,
    );
  }
}

// ---------------------------------------------------------------------------
// The computations, after the checks.

/** (x - mean) / √(var + eps) over `axes`, with the biased variance, and the statistics it used. */
function standardize(x: Tensor, axes: number[], eps: number): { out: Tensor; mean: Tensor; variance: Tensor } {
  const mean = x.mean(axes, true);
  const centered = x.sub(mean);
  // NOTE: normalization divides by the biased variance (÷ n), as PyTorch; only the running average uses ÷ (n - 1).
  const variance = centered.square().mean(axes, true);
  return { out: centered.mul(variance.add(eps).rsqrt()), mean, variance };
}

function applyAffine(y: Tensor, x: Tensor, affine: Affine): Tensor {
  const shape = channelShape(x);
  const scaled = affine.weight === null ? y : y.mul(affine.weight.reshape(shape));
  return affine.bias === null ? scaled : scaled.add(affine.bias.reshape(shape));
}

/** running ← (1 - momentum)·running + momentum·value, in place and outside the graph. */
function blend(running: Tensor, value: Tensor, momentum: number): void {
  noGrad(() => running.copyFrom(running.mul(1 - momentum).add(value.reshape(running.shape).mul(momentum))));
}

/**
 * Batch normalization on checked arguments: statistics over every axis but
 * the channel axis (training), or the running statistics (evaluation).
 * Updates `running` in place when training with it.
 */
export function applyBatchNorm(
  x: Tensor,
  running: RunningStats | null,
  affine: Affine,
  training: boolean,
  momentum: number,
  eps: number,
): Tensor {
  // NOTE: an empty batch gives an empty output and leaves the running statistics as they were, as in PyTorch.
  if (x.size === 0) return applyAffine(x.mul(0), x, affine);
  if (!training) {
    const stats = running as RunningStats;
    const shape = channelShape(x);
    const y = x.sub(stats.mean.reshape(shape)).mul(stats.variance.reshape(shape).add(eps).rsqrt());
    return applyAffine(y, x, affine);
  }
  const axes = batchAxes(x.ndim);
  const { out, mean, variance } = standardize(x, axes, eps);
  if (running !== null) {
    const n = countOf(x.shape, axes);
    // The running variance estimates the population's: the unbiased n / (n - 1) correction (n > 1 was checked).
    blend(running.mean, mean.detach(), momentum);
    blend(running.variance, variance.detach().mul(n / (n - 1)), momentum);
  }
  return applyAffine(out, x, affine);
}

/**
 * Instance normalization on checked arguments: statistics over the spatial
 * axes of each sample and channel. With `useInputStats` and running
 * statistics, these are updated with the batch average of the per-instance
 * mean and unbiased variance.
 */
export function applyInstanceNorm(
  x: Tensor,
  running: RunningStats | null,
  affine: Affine,
  useInputStats: boolean,
  momentum: number,
  eps: number,
): Tensor {
  // NOTE: an empty batch leaves the running statistics unchanged (PyTorch 1.13 writes NaN into them).
  if (x.size === 0) return applyAffine(x.mul(0), x, affine);
  if (!useInputStats) return applyBatchNorm(x, running, affine, false, momentum, eps);
  const axes = spatialAxes(x.ndim);
  const { out, mean, variance } = standardize(x, axes, eps);
  if (running !== null) {
    const n = countOf(x.shape, axes);
    blend(running.mean, mean.detach().mean(batchAxes(x.ndim)), momentum);
    blend(
      running.variance,
      variance
        .detach()
        .mul(n / (n - 1))
        .mean(batchAxes(x.ndim)),
      momentum,
    );
  }
  return applyAffine(out, x, affine);
}

/** Group normalization on checked arguments: statistics over each group of channels (and the spatial axes) per sample. */
export function applyGroupNorm(x: Tensor, groups: number, affine: Affine, eps: number): Tensor {
  const [n, c] = x.shape as [number, number];
  const grouped = x.reshape([n, groups, (c / groups) * countOf(x.shape, spatialAxes(x.ndim))]);
  const y = x.size === 0 ? grouped.mul(0) : standardize(grouped, [2], eps).out;
  return applyAffine(y.reshape(x.shape), x, affine);
}

/** Checks group norm's grouping: C divisible by the groups, and not a single value per statistic. */
export function checkGroups(op: string, x: Tensor, groups: number): void {
  const c = x.shape[1] as number;
  if (c % groups !== 0) {
    throw new ShapeError(
      op,
      `the input has ${c} channels, which cannot be split into ${groups} groups (the channel count must be divisible by numGroups)`,
    );
  }
  // NOTE: PyTorch refuses only when batch × channels per group × spatial size is 1 (one value in all), not
  // whenever a group holds one value (then the output is β); the same test is made here.
  if ((x.shape[0] as number) * (c / groups) * countOf(x.shape, spatialAxes(x.ndim)) === 1) {
    throw new ShapeError(
      op,
      `expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)} with ${groups} groups`,
    );
  }
}

// ---------------------------------------------------------------------------
// The public functions.

const batchNormKeys = { weight: true, bias: true, training: true, momentum: true, eps: true } as const;

/**
 * Batch normalization (PyTorch's `F.batch_norm`) of an input [N, C, ...]:
 * y = (x - mean) / √(var + eps) · weight + bias per channel. With `training`,
 * mean and var are the batch's (over N and the spatial axes, biased
 * variance) and, when given, `runningMean` and `runningVar` are updated in
 * place: running ← (1 - momentum)·running + momentum·batch, with the
 * unbiased batch variance. Without `training`, the running statistics are
 * used. Gradients flow through the batch statistics exactly.
 *
 * @example
 * const mean = zeros([3]), variance = ones([3]);
 * batchNorm(x, mean, variance, { training: true }); // normalizes x [N, 3], updates mean and variance
 * batchNorm(x, mean, variance);                     // evaluation: uses them
 * @throws ShapeError for an input of fewer than 2 axes, per-channel tensors of the wrong size, or a training batch of one value per channel
 * @throws ArgumentError when evaluating without running statistics, or for bad options
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: FunctionalBatchNormOptions = {},
): Tensor {
  const op = 'batchNorm';
  const o = optionsObject(op, options, batchNormKeys);
  const x = checkNormInput(op, input, 2, 'of shape [N, C, ...] (at least 2 axes)');
  const training = booleanOption(op, 'training', o.training, false);
  const momentum = numberOption(op, 'momentum', o.momentum, 0.1, 0, 1);
  const eps = numberOption(op, 'eps', o.eps, 1e-5, 0);
  const c = x.shape[1] as number;
  const affine = {
    weight: checkChannelTensor(op, 'weight', o.weight, c, x),
    bias: checkChannelTensor(op, 'bias', o.bias, c, x),
  };
  const running = checkRunningStats(op, ['runningMean', 'runningVar'], runningMean, runningVar, c, x, training);
  if (!training && running === null) {
    throw new ArgumentError(
      op,
      'runningMean and runningVar are needed when training is false (evaluation normalizes with them); pass them, or { training: true } to use the batch statistics',
    );
  }
  if (training) checkBatchCount(op, x, 'use a batch of 2 or more samples');
  return applyBatchNorm(x, running, affine, training, momentum, eps);
}

const instanceNormKeys = {
  runningMean: true,
  runningVar: true,
  weight: true,
  bias: true,
  useInputStats: true,
  momentum: true,
  eps: true,
} as const;

/**
 * Instance normalization (PyTorch's `F.instance_norm`) of an input
 * `[N, C, ...]`: each sample's channel is normalized over its spatial axes. With
 * `useInputStats` (the default) and running statistics given, these are
 * updated in place with the batch average of the per-instance mean and
 * unbiased variance; with `useInputStats: false` the running statistics are
 * used instead.
 *
 * @example
 * instanceNorm(images); // [N, C, H, W], each image's channel to mean 0, variance 1
 * @throws ShapeError for fewer than 2 axes, a single spatial element, or per-channel tensors of the wrong size
 */
export function instanceNorm(input: Tensor, options: FunctionalInstanceNormOptions = {}): Tensor {
  const op = 'instanceNorm';
  const o = optionsObject(op, options, instanceNormKeys);
  const x = checkNormInput(op, input, 2, 'of shape [N, C, ...] (at least 2 axes)');
  const useInputStats = booleanOption(op, 'useInputStats', o.useInputStats, true);
  const momentum = numberOption(op, 'momentum', o.momentum, 0.1, 0, 1);
  const eps = numberOption(op, 'eps', o.eps, 1e-5, 0);
  const c = x.shape[1] as number;
  const affine = {
    weight: checkChannelTensor(op, 'weight', o.weight, c, x),
    bias: checkChannelTensor(op, 'bias', o.bias, c, x),
  };
  const running = checkRunningStats(
    op,
    ['runningMean', 'runningVar'],
    o.runningMean,
    o.runningVar,
    c,
    x,
    useInputStats,
  );
  checkInstanceStats(op, x, x.shape, running, useInputStats, 'useInputStats is true');
  return applyInstanceNorm(x, running, affine, useInputStats, momentum, eps);
}

/** Instance norm needs several spatial elements for its own statistics, and running statistics otherwise. */
export function checkInstanceStats(
  op: string,
  x: Tensor,
  shown: readonly number[],
  running: RunningStats | null,
  useInputStats: boolean,
  when: string,
): void {
  if (!useInputStats && running === null) {
    throw new ArgumentError(op, 'runningMean and runningVar are needed when useInputStats is false');
  }
  if (useInputStats && countOf(x.shape, spatialAxes(x.ndim)) === 1) {
    throw new ShapeError(
      op,
      `expected more than 1 spatial element when ${when}, got input of shape ${formatShape(shown)} (each instance's variance would be 0)`,
    );
  }
}

/**
 * Group normalization (PyTorch's `F.group_norm`) of an input [N, C, ...]:
 * the C channels are split into `numGroups` groups of consecutive channels,
 * and each sample's group is normalized over its channels and spatial axes
 * (biased variance); then `weight` and `bias` scale and shift per channel.
 * The same in training and evaluation.
 *
 * @example
 * groupNorm(x, 2, { weight, bias }); // x [N, 4, L]: channels 0-1 and 2-3 normalized together
 * @throws ArgumentError for a numGroups that is not a positive integer
 * @throws ShapeError when C is not divisible by numGroups, or for per-channel tensors of the wrong size
 */
export function groupNorm(input: Tensor, numGroups: number, options: FunctionalGroupNormOptions = {}): Tensor {
  const op = 'groupNorm';
  const o = optionsObject(op, options, { weight: true, bias: true, eps: true });
  const x = checkNormInput(op, input, 2, 'of shape [N, C, ...] (at least 2 axes)');
  if (!Number.isInteger(numGroups) || numGroups < 1) {
    throw new ArgumentError(op, `numGroups must be a positive integer, got ${describeValue(numGroups)}`);
  }
  const eps = numberOption(op, 'eps', o.eps, 1e-5, 0);
  const c = x.shape[1] as number;
  const affine = {
    weight: checkChannelTensor(op, 'weight', o.weight, c, x),
    bias: checkChannelTensor(op, 'bias', o.bias, c, x),
  };
  checkGroups(op, x, numGroups);
  return applyGroupNorm(x, numGroups, affine, eps);
}
