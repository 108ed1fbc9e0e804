/**
 * The README's training loop, with a model made of core tensors only (optim
 * does not depend on nn): mini-batch steps, gradient clipping and a
 * scheduler together fit a linear model whose exact solution is known.
 */
import { describe, expect, it } from 'vitest';
import { Generator, noGrad, randn, zeros, type Tensor } from '@chainrule/core';
import { Adam, CosineAnnealingLR, ReduceLROnPlateau, SGD, clipGradNorm } from '../src/index';

const generator = new Generator(7);
const x = randn([128, 3], { dtype: 'float64', generator });
const trueW = randn([3, 2], { dtype: 'float64', generator });
// Noise-free targets: the best fit is trueW with loss 0.
const y = x.matmul(trueW).add(0.5);

function mse(w: Tensor, b: Tensor, inputs: Tensor, targets: Tensor): Tensor {
  return inputs.matmul(w).add(b).sub(targets).square().mean();
}

function batches(size: number): [Tensor, Tensor][] {
  const out: [Tensor, Tensor][] = [];
  for (let start = 0; start < 128; start += size)
    out.push([x.slice(0, start, start + size), y.slice(0, start, start + size)]);
  return out;
}

describe('a training loop', () => {
  it('fits the model with SGD + momentum, clipping and cosine annealing', () => {
    const w = zeros([3, 2], { dtype: 'float64', requiresGrad: true });
    const b = zeros([2], { dtype: 'float64', requiresGrad: true });
    const optimizer = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 30, etaMin: 0.001 });
    const initial = noGrad(() => mse(w, b, x, y).item());
    for (let epoch = 0; epoch < 30; epoch++) {
      for (const [inputs, targets] of batches(16)) {
        optimizer.zeroGrad();
        mse(w, b, inputs, targets).backward();
        clipGradNorm([w, b], 5);
        optimizer.step();
      }
      scheduler.step();
    }
    const final = noGrad(() => mse(w, b, x, y).item());
    expect(final).toBeLessThan(initial * 1e-6);
    expect(Math.max(...Array.from(w.sub(trueW).abs().data()))).toBeLessThan(1e-3);
  });

  it('fits the model with Adam and ReduceLROnPlateau fed the epoch loss', () => {
    const w = zeros([3, 2], { dtype: 'float64', requiresGrad: true });
    const b = zeros([2], { dtype: 'float64', requiresGrad: true });
    const optimizer = new Adam([w, b], { lr: 0.05 });
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 2, factor: 0.5 });
    for (let epoch = 0; epoch < 60; epoch++) {
      for (const [inputs, targets] of batches(32)) {
        optimizer.zeroGrad();
        mse(w, b, inputs, targets).backward();
        optimizer.step();
      }
      scheduler.step(noGrad(() => mse(w, b, x, y).item()));
    }
    expect(noGrad(() => mse(w, b, x, y).item())).toBeLessThan(1e-4);
  });
});
