/**
 * zeroGrad gives a weight gradient nobody has read back to core's pool, so
 * the next backward reuses its array instead of allocating one (issue 20:
 * a fresh 400 KB gradient per step cost the browser ~100 page faults); step()
 * must read gradients without marking them seen. The numbers must not change.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tensor, zeros, type Tensor } from '@chainrule/core';
import { peekGrad } from '@chainrule/core/internal';
import { setRecycling } from '../../core/src/tensor/pool';
import { Adam, SGD, clipGradNorm } from '../src/index';

afterEach(() => setRecycling(true));

/** The input of step k: x_j = (j - 30 + k) / 64, exact in float32. */
const input = (k: number) => tensor(Float32Array.from({ length: 64 }, (_, j) => (j - 30 + k) / 64));

/** Σ_i Σ_j w_ij x_j; by hand ∂/∂w_ij = x_j, whatever w is. */
const loss = (w: Tensor, k: number) => w.matmul(input(k)).sum();

describe('zeroGrad and the gradient pool', () => {
  it('SGD: the weight gradient keeps one array across steps, and each step is p - lr·x by hand', () => {
    const w = zeros([64, 64]).requireGrad();
    const opt = new SGD([w], { lr: 0.5 });
    const arrays = new Set<unknown>();
    for (let k = 0; k < 4; k++) {
      opt.zeroGrad();
      loss(w, k).backward();
      arrays.add(peekGrad(w)?.storage.data);
      opt.step();
    }
    expect(arrays.size).toBe(1);
    // w starts at 0 and each step subtracts 0.5·x(k) from every row: w_ij = -0.5·Σ_k (j - 30 + k)/64.
    const row = Array.from({ length: 64 }, (_, j) => (-0.5 * (4 * (j - 30) + 6)) / 64);
    expect(w.toArray()).toEqual(Array.from({ length: 64 }, () => row));
  });

  it('Adam: the same array across steps, and the same parameters as without recycling', () => {
    const train = () => {
      const w = zeros([64, 64]).requireGrad();
      const opt = new Adam([w], { lr: 0.01 });
      const arrays = new Set<unknown>();
      for (let k = 0; k < 4; k++) {
        opt.zeroGrad();
        loss(w, k).backward();
        arrays.add(peekGrad(w)?.storage.data);
        opt.step();
      }
      return { arrays: arrays.size, values: w.data() };
    };
    const recycled = train();
    setRecycling(false);
    const fresh = train();
    expect(recycled.arrays).toBe(1);
    expect(fresh.arrays).toBe(4);
    expect(recycled.values).toEqual(fresh.values);
  });

  it('clipGradNorm between backward and step keeps the array, and clips to the norm by hand', () => {
    const w = zeros([64, 64]).requireGrad();
    const opt = new SGD([w], { lr: 0.5 });
    const arrays = new Set<unknown>();
    let total = 0;
    for (let k = 0; k < 3; k++) {
      opt.zeroGrad();
      loss(w, k).backward();
      total = clipGradNorm([w], 1);
      arrays.add(peekGrad(w)?.storage.data);
      opt.step();
    }
    expect(arrays.size).toBe(1);
    // Every row of the gradient is x(2), so its norm is √(64 · Σ_j x_j²); clipping scales it by 1 / (norm + 1e-6).
    const byHand = Math.sqrt(64 * Array.from({ length: 64 }, (_, j) => ((j - 28) / 64) ** 2).reduce((a, b) => a + b));
    expect(total).toBeCloseTo(byHand, 4);
    const clipped = peekGrad(w)?.data() as Float32Array;
    expect(Math.hypot(...clipped)).toBeCloseTo(byHand / (byHand + 1e-6), 5);
  });

  it('never reuses a gradient the user read between steps (a logged gradient keeps its values)', () => {
    const w = zeros([64, 64]).requireGrad();
    const opt = new SGD([w], { lr: 0.5 });
    const logged: { grad: Tensor; values: Float32Array }[] = [];
    for (let k = 0; k < 3; k++) {
      opt.zeroGrad();
      loss(w, k).backward();
      const grad = w.grad as Tensor;
      logged.push({ grad, values: grad.data() as Float32Array });
      opt.step();
    }
    for (const { grad, values } of logged) expect(grad.data()).toEqual(values);
    expect(new Set(logged.map((l) => l.grad.storage.data)).size).toBe(3);
  });
});
