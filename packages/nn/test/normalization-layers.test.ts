/**
 * The normalization layers' behaviour that the PyTorch fixtures do not pin:
 * values derived by hand (derivations in comments), defaults, mode
 * switching, the errors (typed, naming what to change) and that a refused
 * call changes no state.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, Tensor, ones, tensor, zeros } from '@chainrule/core';
import {
  BatchNorm1d,
  BatchNorm2d,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
  batchNorm,
  groupNorm,
  instanceNorm,
} from '../src/index';
import { expectClose } from './helpers';

const f64 = (values: number[] | number[][] | number[][][], shape?: number[]) =>
  tensor(values, { dtype: 'float64', ...(shape === undefined ? {} : { shape }) });
const snapshot = (ts: (Tensor | null)[]) => ts.map((t) => (t === null ? null : t.toArray()));

describe('BatchNorm by hand', () => {
  it('normalizes with the biased batch variance and updates the running variance with the unbiased one', () => {
    const bn = new BatchNorm1d(1, { dtype: 'float64' });
    // Batch [1, 3]: mean 2, biased variance ((1-2)² + (3-2)²)/2 = 1, unbiased 2.
    const y = bn.forward(f64([[1], [3]]));
    const s = 1 / Math.sqrt(1 + 1e-5);
    expectClose(y, [[-s], [s]], { rtol: 1e-15, atol: 0 });
    // running ← 0.9·running + 0.1·batch: mean 0.9·0 + 0.1·2 = 0.2, variance 0.9·1 + 0.1·2 = 1.1.
    expectClose(bn.runningMean as Tensor, [0.2], { rtol: 1e-15, atol: 0 });
    expectClose(bn.runningVar as Tensor, [1.1], { rtol: 1e-15, atol: 0 });
    expect(bn.numBatchesTracked?.item()).toBe(1);
    // Evaluation: (2.2 - 0.2) / √(1.1 + 1e-5), and the running statistics stay.
    expectClose(bn.eval().forward(f64([[2.2]])), [[2 / Math.sqrt(1.1 + 1e-5)]], { rtol: 1e-14, atol: 0 });
    expect(bn.numBatchesTracked?.item()).toBe(1);
  });

  it('with momentum null keeps cumulative averages: batch k weighs 1/k', () => {
    const bn = new BatchNorm1d(1, { momentum: null, dtype: 'float64' });
    bn.forward(f64([[1], [3]])); // mean 2, unbiased variance 2; factor 1/1
    expectClose(bn.runningMean as Tensor, [2], { rtol: 0, atol: 0 });
    expectClose(bn.runningVar as Tensor, [2], { rtol: 0, atol: 0 });
    bn.forward(f64([[0], [4]])); // mean 2, unbiased variance (4 + 4)/1 = 8; factor 1/2
    expectClose(bn.runningMean as Tensor, [2], { rtol: 0, atol: 0 });
    expectClose(bn.runningVar as Tensor, [5], { rtol: 0, atol: 0 });
    expect(bn.numBatchesTracked?.item()).toBe(2);
  });

  it('without trackRunningStats uses the batch statistics in evaluation too, and has no buffers', () => {
    const bn = new BatchNorm2d(2, { trackRunningStats: false, dtype: 'float64' });
    expect(bn.namedBuffers()).toEqual([]);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias']);
    const x = f64([1, 2, 3, 4, 5, 6, 7, 9], [2, 2, 1, 2]);
    expect(bn.eval().forward(x).toArray()).toEqual(bn.train().forward(x).toArray());
  });

  it('starts as PyTorch: γ 1, β 0, running mean 0, variance 1, an int32 count 0, float32', () => {
    const bn = new BatchNorm2d(3);
    expect(bn.weight?.toArray()).toEqual([1, 1, 1]);
    expect(bn.bias?.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningMean?.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningVar?.toArray()).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked?.dtype).toBe('int32');
    expect(bn.weight?.dtype).toBe('float32');
    expect([bn.eps, bn.momentum, bn.affine, bn.trackRunningStats]).toEqual([1e-5, 0.1, true, true]);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.extraRepr()).toBe('3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true');
  });

  it('resets its running statistics and parameters in place', () => {
    const bn = new BatchNorm1d(2);
    const mean = bn.runningMean as Tensor;
    bn.forward(
      tensor([
        [1, 2],
        [3, 5],
      ]),
    );
    bn.resetRunningStats();
    expect(snapshot([bn.runningMean, bn.runningVar, bn.numBatchesTracked])).toEqual([[0, 0], [1, 1], 0]);
    expect(bn.runningMean).toBe(mean);
    bn.resetParameters();
    expect(snapshot([bn.weight, bn.bias])).toEqual([
      [1, 1],
      [0, 0],
    ]);
  });

  it('passes an empty batch through, leaving the running statistics (and counting it, as PyTorch)', () => {
    const bn = new BatchNorm1d(3);
    const y = bn.forward(zeros([0, 3]));
    expect(y.shape).toEqual([0, 3]);
    expect(snapshot([bn.runningMean, bn.runningVar])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    expect(bn.numBatchesTracked?.item()).toBe(1);
  });

  it('computes in float32 for float32 layers, close to the float64 result', () => {
    const x = [
      [0.3, -1.2],
      [2.5, 0.7],
      [-0.4, 0.1],
    ];
    const a = new BatchNorm1d(2).forward(tensor(x));
    const b = new BatchNorm1d(2, { dtype: 'float64' }).forward(f64(x));
    expect(a.dtype).toBe('float32');
    expectClose(a, b, { rtol: 1e-5, atol: 1e-6 });
  });
});

describe('BatchNorm errors', () => {
  it('refuses inputs of another rank, naming the accepted layouts', () => {
    expect(() => new BatchNorm1d(3).forward(ones([3]))).toThrow(ShapeError);
    expect(() => new BatchNorm1d(3).forward(ones([2, 3, 4, 4]))).toThrow(
      'BatchNorm1d: expected an input of shape [N, C] or [N, C, L], got shape [2,3,4,4]',
    );
    expect(() => new BatchNorm2d(3).forward(ones([3, 4, 4]))).toThrow(
      'BatchNorm2d: expected an input of shape [N, C, H, W], got shape [3,4,4]',
    );
  });

  it('refuses another channel count, saying which argument sets it', () => {
    expect(() => new BatchNorm2d(1).forward(ones([2, 3, 4, 4]))).toThrow(
      'BatchNorm2d: input has 3 channels (axis 1 of shape [2,3,4,4]), this layer expects 1 (numFeatures)',
    );
    // Nothing per channel: PyTorch normalizes any count, and so does the layer.
    expect(new BatchNorm1d(1, { affine: false, trackRunningStats: false }).forward(ones([2, 3])).shape).toEqual([2, 3]);
  });

  it('refuses a training batch of one value per channel before counting it or touching the statistics', () => {
    const bn = new BatchNorm1d(3);
    const before = snapshot([bn.runningMean, bn.runningVar, bn.numBatchesTracked]);
    expect(() => bn.forward(ones([1, 3]))).toThrow(ShapeError);
    expect(() => bn.forward(ones([1, 3, 1]))).toThrow(
      /BatchNorm1d: expected more than 1 value per channel when training, got input of shape \[1,3,1\] \(train with a batch of 2 or more samples, or call eval\(\)/,
    );
    expect(snapshot([bn.runningMean, bn.runningVar, bn.numBatchesTracked])).toEqual(before);
    expect(bn.forward(ones([1, 3, 2])).shape).toEqual([1, 3, 2]);
    expect(bn.eval().forward(ones([1, 3])).shape).toEqual([1, 3]);
    // Evaluation without running statistics still uses the batch's.
    expect(() => new BatchNorm1d(3, { trackRunningStats: false }).eval().forward(ones([1, 3]))).toThrow(ShapeError);
  });

  it('refuses integer inputs and bad options', () => {
    expect(() => new BatchNorm1d(2).forward(tensor([[1, 2]], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => new BatchNorm1d(0)).toThrow('BatchNorm1d: numFeatures must be a positive integer, got 0');
    expect(() => new BatchNorm1d(2, { momentum: 1.5 })).toThrow(
      'BatchNorm1d: momentum must be a number in [0, 1], got 1.5',
    );
    expect(() => new BatchNorm1d(2, { eps: -1 })).toThrow('BatchNorm1d: eps must be a finite number ≥ 0, got -1');
    expect(() => new BatchNorm2d(2, { affine: 'yes' as unknown as boolean })).toThrow(ArgumentError);
    expect(() => new BatchNorm2d(2, { trackRunningStat: false } as object)).toThrow(
      /unknown option 'trackRunningStat'/,
    );
    expect(() => new BatchNorm2d(2, { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
    expect(() => new BatchNorm1d(2).forward([[1, 2]] as unknown as Tensor)).toThrow(ArgumentError);
  });
});

describe('InstanceNorm', () => {
  it('normalizes each sample and channel over its own positions', () => {
    // Sample 0, channel 0: [1, 3] → mean 2, biased variance 1 → [-1, 1]/√(1 + eps).
    const y = new InstanceNorm1d(2, { dtype: 'float64' }).forward(
      f64([
        [
          [1, 3],
          [5, 5],
        ],
      ]),
    );
    const s = 1 / Math.sqrt(1 + 1e-5);
    // Channel 1 is constant: variance 0, so (5 - 5)/√eps = 0.
    expectClose(
      y,
      [
        [
          [-s, s],
          [0, 0],
        ],
      ],
      { rtol: 1e-15, atol: 0 },
    );
  });

  it('takes an unbatched input as one sample, and has no parameters or buffers by default', () => {
    const layer = new InstanceNorm2d(2);
    expect(Object.keys(layer.stateDict())).toEqual([]);
    const x = tensor([1, 4, 2, 8, -1, 0, 3, 3], { shape: [2, 2, 2] });
    expect(layer.forward(x).toArray()).toEqual(layer.forward(x.unsqueeze(0)).squeeze(0).toArray());
  });

  it('never advances num_batches_tracked (as PyTorch 1.13), and uses the running statistics in evaluation', () => {
    const layer = new InstanceNorm1d(1, { trackRunningStats: true, dtype: 'float64' });
    layer.forward(f64([[[1, 3]], [[0, 4]]]));
    // Means 2 and 2; unbiased variances 2 and 8, averaged: 5. running = 0.9·[0, 1] + 0.1·[2, 5].
    expectClose(layer.runningMean as Tensor, [0.2], { rtol: 1e-15, atol: 0 });
    expectClose(layer.runningVar as Tensor, [1.4], { rtol: 1e-15, atol: 0 });
    expect(layer.numBatchesTracked?.item()).toBe(0);
    expectClose(layer.eval().forward(f64([[[0.2, 1.2]]])), [[[0, 1 / Math.sqrt(1.4 + 1e-5)]]], {
      rtol: 1e-14,
      atol: 1e-16,
    });
  });

  it('refuses a single position when normalizing with its own statistics, other ranks, and null momentum', () => {
    expect(() => new InstanceNorm1d(3).forward(ones([2, 3, 1]))).toThrow(
      "InstanceNorm1d: expected more than 1 spatial element when normalizing with the input's own statistics, got input of shape [2,3,1]",
    );
    expect(new InstanceNorm1d(3, { trackRunningStats: true }).eval().forward(ones([2, 3, 1])).shape).toEqual([2, 3, 1]);
    expect(() => new InstanceNorm1d(3).forward(ones([2, 3, 4, 4]))).toThrow(
      'InstanceNorm1d: expected an input of shape [N, C, L] or unbatched [C, L], got shape [2,3,4,4]',
    );
    expect(() => new InstanceNorm2d(3).forward(ones([3, 4]))).toThrow(ShapeError);
    expect(() => new InstanceNorm1d(3, { momentum: null as unknown as number })).toThrow(
      /InstanceNorm1d: momentum must be a number in \[0, 1\]; null \(a cumulative average\) is for BatchNorm only/,
    );
  });

  it('checks the channel count only when the layer holds something per channel', () => {
    expect(new InstanceNorm1d(3).forward(ones([2, 5, 4])).shape).toEqual([2, 5, 4]);
    expect(() => new InstanceNorm1d(3, { affine: true }).forward(ones([2, 5, 4]))).toThrow(
      'InstanceNorm1d: input has 5 channels (axis 1 of shape [2,5,4]), this layer expects 3 (numFeatures)',
    );
    expect(() => new InstanceNorm1d(3, { trackRunningStats: true }).forward(ones([5, 4]))).toThrow(
      'InstanceNorm1d: input has 5 channels (axis 0 of shape [5,4]), this layer expects 3 (numFeatures)',
    );
  });
});

describe('GroupNorm', () => {
  it('normalizes each group of channels together', () => {
    // One sample, 4 channels in 2 groups: {1, 3} and {2, 6}: means 2 and 4, biased variances 1 and 4.
    const y = new GroupNorm(2, 4, { dtype: 'float64' }).forward(f64([[1, 3, 2, 6]]));
    const s = (v: number) => 1 / Math.sqrt(v + 1e-5);
    expectClose(y, [[-s(1), s(1), -2 * s(4), 2 * s(4)]], { rtol: 1e-15, atol: 0 });
  });

  it('is the same in training and evaluation, with γ 1 and β 0 to start', () => {
    const gn = new GroupNorm(1, 2);
    expect(Object.keys(gn.stateDict())).toEqual(['weight', 'bias']);
    const x = tensor([
      [1, 2],
      [0, -3],
    ]);
    expect(gn.eval().forward(x).toArray()).toEqual(gn.train().forward(x).toArray());
  });

  it('refuses groups that do not divide the channels, another channel count, and a single value', () => {
    expect(() => new GroupNorm(3, 4)).toThrow('GroupNorm: numChannels 4 is not divisible by numGroups 3');
    expect(() => new GroupNorm(2, 4).forward(ones([2, 6, 3]))).toThrow(
      'GroupNorm: input has 6 channels (axis 1 of shape [2,6,3]), this layer expects 4 (numChannels)',
    );
    expect(new GroupNorm(2, 4, { affine: false }).forward(ones([2, 6, 3])).shape).toEqual([2, 6, 3]);
    expect(() => new GroupNorm(2, 4, { affine: false }).forward(ones([2, 5, 3]))).toThrow(
      /GroupNorm: the input has 5 channels, which cannot be split into 2 groups/,
    );
    // PyTorch's rule: refused only when batch × channels per group × positions is 1.
    expect(() => new GroupNorm(4, 4).forward(ones([1, 4]))).toThrow(ShapeError);
    expect(new GroupNorm(2, 4).forward(ones([1, 4])).shape).toEqual([1, 4]);
    expect(() => new GroupNorm(2, 4).forward(ones([4]))).toThrow(
      'GroupNorm: expected an input of shape [N, C, ...] (at least 2 axes), got shape [4]',
    );
  });
});

describe('functional forms', () => {
  const x = tensor([
    [1, 2, 3],
    [3, 6, 9],
  ]);

  it('batchNorm evaluates only with running statistics, given together', () => {
    expect(() => batchNorm(x, null, null)).toThrow(
      /batchNorm: runningMean and runningVar are needed when training is false/,
    );
    expect(() => batchNorm(x, zeros([3]), null, { training: true })).toThrow(
      'batchNorm: runningMean and runningVar go together: pass both tensors or neither',
    );
    expect(() => batchNorm(x, zeros([2]), ones([2]))).toThrow(
      'batchNorm: runningMean has shape [2], expected [3]: one value per channel of the input [2,3]',
    );
    expect(() => batchNorm(x, null, null, { training: true, weight: ones([3, 1]) })).toThrow(ShapeError);
    expect(() => batchNorm(ones([3]), null, null, { training: true })).toThrow(ShapeError);
  });

  it('batchNorm leaves the running statistics alone when it refuses, and updates them in training', () => {
    const mean = zeros([3]);
    const variance = ones([3]);
    expect(() => batchNorm(ones([1, 3]), mean, variance, { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(x, mean, variance, { training: true, momentum: 2 })).toThrow(ArgumentError);
    expect(snapshot([mean, variance])).toEqual([
      [0, 0, 0],
      [1, 1, 1],
    ]);
    // Column means 2, 4, 6 and unbiased variances 2, 8, 18, with momentum 0.5.
    batchNorm(x, mean, variance, { training: true, momentum: 0.5 });
    expectClose(mean, [1, 2, 3], { rtol: 1e-6, atol: 0 });
    expectClose(variance, [1.5, 4.5, 9.5], { rtol: 1e-6, atol: 0 });
  });

  it('instanceNorm and groupNorm check their arguments', () => {
    expect(() => instanceNorm(ones([2, 3, 4]), { useInputStats: false })).toThrow(
      'instanceNorm: runningMean and runningVar are needed when useInputStats is false',
    );
    expect(() => instanceNorm(ones([2, 3, 1]))).toThrow(ShapeError);
    expect(() => groupNorm(ones([2, 6]), 4)).toThrow(ShapeError);
    expect(() => groupNorm(ones([2, 6]), 0)).toThrow('groupNorm: numGroups must be a positive integer, got 0');
    expect(() => groupNorm(ones([2, 6]), 2, { bias: ones([3]) })).toThrow(ShapeError);
    expect(() => groupNorm(ones([2, 6]), 2, { scale: 1 } as object)).toThrow(/unknown option 'scale'/);
  });
});
