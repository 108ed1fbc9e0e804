/**
 * The promise in one suite: for random feed-forward networks (1-4 layers of
 * 1-8 neurons) and mini-batches (1-32 examples), in float64, chainrule's
 * Tensor path (nn's mlp, a loss, backward, optim's SGD) computes the
 * gradients and updates that hand-written backpropagation (reference.ts)
 * does.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { activationsFor } from './arbitraries';
import { gradientsProperty, trajectoryProperty } from './properties';
import type { Cost } from './reference';
import { realModel } from './tensor-engine';

describe('the Tensor path matches hand-written backpropagation', () => {
  for (const cost of ['mse', 'sse', 'cross-entropy'] as Cost[]) {
    for (const activation of activationsFor[cost]) {
      const main = cost === 'mse' && activation === 'sigmoid';
      it(`${cost} with ${activation}: every ∂C/∂W and ∂C/∂b to 1e-10 relative`, () => {
        fc.assert(gradientsProperty(cost, activation, realModel), { numRuns: main ? 100 : 30 });
      });
    }
  }

  it('one SGD step (momentum 0) gives the reference update W ← W - η ∂C/∂W', () => {
    fc.assert(trajectoryProperty('mse', 'sigmoid', realModel, 1), { numRuns: 60 });
  });

  it('a few steps of mini-batch training follow the reference trajectory', () => {
    fc.assert(trajectoryProperty('mse', 'sigmoid', realModel, 4), { numRuns: 30 });
    fc.assert(trajectoryProperty('cross-entropy', 'tanh', realModel, 3), { numRuns: 15 });
  });
});
