/**
 * Module.zeroGrad gives parameter gradients nobody has read back to core's
 * pool, as optim's zeroGrad does (issue 20), and never one a user holds.
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '@chainrule/core';
import { peekGrad } from '@chainrule/core/internal';
import { Linear } from '../src/index';

/** A batch of 2 rows of 64 inputs: x_bj = (j - 30 + b + k) / 64. */
const batch = (k: number) =>
  tensor(
    Float32Array.from({ length: 128 }, (_, i) => ((i % 64) - 30 + (i >> 6) + k) / 64),
    { shape: [2, 64] },
  );

describe('Module.zeroGrad and the gradient pool', () => {
  it('reuses the weight gradient array across steps, with the gradient of each step', () => {
    const layer = new Linear(64, 32);
    const arrays = new Set<unknown>();
    for (let k = 0; k < 3; k++) {
      layer.zeroGrad();
      layer.forward(batch(k)).sum().backward();
      arrays.add(peekGrad(layer.weight)?.storage.data);
    }
    expect(arrays.size).toBe(1);
    // y = x·Wᵀ + b summed: ∂/∂W_oj = Σ_b x_bj in every row o, here (2(j - 30) + 1 + 2k)/64 with k = 2.
    const row = Array.from({ length: 64 }, (_, j) => (2 * (j - 30) + 1 + 4) / 64);
    expect(layer.weight.grad?.toArray()).toEqual(Array.from({ length: 32 }, () => row));
  });

  it('never reuses a gradient the user holds', () => {
    const layer = new Linear(64, 32);
    layer.forward(batch(0)).sum().backward();
    const held = layer.weight.grad as Tensor;
    const values = held.data();
    for (let k = 1; k < 3; k++) {
      layer.zeroGrad();
      layer.forward(batch(k)).sum().backward();
    }
    expect(held.data()).toEqual(values);
    expect(peekGrad(layer.weight)?.storage.data).not.toBe(held.storage.data);
  });
});
