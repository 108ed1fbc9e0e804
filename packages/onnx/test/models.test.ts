/**
 * Whole models exported and run in ONNX Runtime: the outputs must equal
 * chainrule's (1e-5 in float32, 1e-10 in float64), at the example's batch
 * size and at another one through a dynamic batch axis.
 */
import {
  type FloatDType,
  conv2d,
  linear,
  logSoftmax,
  manualSeed,
  maxPool2d,
  avgPool2d,
  randn,
  type Tensor,
} from '@chainrule/core';
import { Linear, ReLU, Sequential, Tanh } from '@chainrule/nn';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index';
import { maxAbsDiff, runOnnx } from './runtime';

const tolerance = { float32: 1e-5, float64: 1e-10 } as const;
const dtypes: FloatDType[] = ['float32', 'float64'];
const dynamic = { dynamicAxes: { x: { 0: 'batch' }, y: { 0: 'batch' } }, inputNames: ['x'], outputNames: ['y'] };

describe('an MLP (nn layers)', () => {
  it.each(dtypes)('%s: exported at batch 2, run at batches 2 and 5', async (dtype) => {
    manualSeed(1);
    const model = new Sequential(
      new Linear(4, 16, { dtype }),
      new ReLU(),
      new Linear(16, 8, { dtype }),
      new Tanh(),
      new Linear(8, 3, { dtype }),
    );
    const bytes = exportOnnx(model, [randn([2, 4], { dtype })], dynamic);
    for (const batch of [2, 5]) {
      const x = randn([batch, 4], { dtype });
      const { y } = await runOnnx(bytes, { x });
      const expected = model.forward(x);
      expect((y as Tensor).dtype).toBe(dtype);
      expect(maxAbsDiff(y as Tensor, expected)).toBeLessThanOrEqual(tolerance[dtype]);
    }
  });

  it('keeps the state-dict names as initializer names', async () => {
    manualSeed(2);
    const model = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
    const bytes = exportOnnx(model, [randn([1, 3])]);
    const text = new TextDecoder('latin1').decode(bytes);
    for (const [name] of model.namedParameters()) expect(text).toContain(name);
  });
});

/** A small CNN from core ops (nn has no Conv2d yet): two convolutions, max and average pooling, a linear head. */
function cnn(dtype: FloatDType) {
  const w1 = randn([4, 1, 3, 3], { dtype, requiresGrad: true });
  const b1 = randn([4], { dtype, requiresGrad: true });
  const w2 = randn([6, 4, 3, 3], { dtype, requiresGrad: true });
  const b2 = randn([6], { dtype, requiresGrad: true });
  const w3 = randn([3, 6 * 2 * 2], { dtype, requiresGrad: true });
  const b3 = randn([3], { dtype, requiresGrad: true });
  return (x: Tensor): Tensor => {
    let h = conv2d(x, w1, b1, { padding: 1 }).relu(); // [N, 4, 12, 12]
    h = maxPool2d(h, 2); // [N, 4, 6, 6]
    h = conv2d(h, w2, b2, { stride: 2, padding: 1 }).sigmoid(); // [N, 6, 3, 3]
    h = avgPool2d(h, 2, { stride: 1 }); // [N, 6, 2, 2]
    return logSoftmax(linear(h.reshape([h.shape[0] as number, -1]), w3, b3), 1);
  };
}

describe('a CNN (core conv2d, maxPool2d, avgPool2d)', () => {
  it.each(dtypes)('%s: exported at batch 2, run at batches 2 and 5', async (dtype) => {
    manualSeed(3);
    const f = cnn(dtype);
    const bytes = exportOnnx(f, [randn([2, 1, 12, 12], { dtype })], dynamic);
    for (const batch of [2, 5]) {
      const x = randn([batch, 1, 12, 12], { dtype });
      const { y } = await runOnnx(bytes, { x });
      expect(maxAbsDiff(y as Tensor, f(x))).toBeLessThanOrEqual(tolerance[dtype]);
    }
  });
});
