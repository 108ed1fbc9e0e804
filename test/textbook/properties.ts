/** The textbook properties, parameterised by the engine's model builder. */
import fc from 'fast-check';
import { arbProblem, firstNetworkMismatch } from './arbitraries';
import { batchGradients, sgdStep, type Activation, type Cost } from './reference';
import { engineGradients, modelFor, sgdSteps, type ModelBuilder } from './tensor-engine';

/** Every ∂C/∂W and ∂C/∂b of the engine equals the reference's, to 1e-10 relative. */
export function gradientsProperty(cost: Cost, activation: Activation, build: ModelBuilder) {
  return fc.property(arbProblem(cost), ({ net, xs, ys }) => {
    const expected = batchGradients(net, xs, ys, activation, cost);
    const actual = engineGradients(modelFor(net, activation, cost, build), xs, ys, cost);
    const problem = firstNetworkMismatch(actual, expected);
    if (problem !== null) throw new Error(`gradient mismatch at ${problem}`);
  });
}

/**
 * A few steps of mini-batch SGD (momentum 0) from the engine give the
 * reference's trajectory: W ← W - η ∂C/∂W after every mini-batch.
 */
export function trajectoryProperty(cost: Cost, activation: Activation, build: ModelBuilder, steps: number) {
  const lr = fc.double({ min: 0.01, max: 2, noNaN: true });
  return fc.property(arbProblem(cost), lr, fc.integer({ min: 1, max: 8 }), ({ net, xs, ys }, eta, batchSize) => {
    const batches = Array.from({ length: steps }, (_, s) => {
      // Cycle through the examples in mini-batches of batchSize.
      const pick = Array.from({ length: batchSize }, (_, i) => (s * batchSize + i) % xs.length);
      return { xs: pick.map((i) => xs[i]!), ys: pick.map((i) => ys[i]!) };
    });
    const trajectory = sgdSteps(modelFor(net, activation, cost, build), batches, cost, eta);
    let reference = net;
    batches.forEach((b, s) => {
      reference = sgdStep(reference, batchGradients(reference, b.xs, b.ys, activation, cost), eta);
      const actual = trajectory[s]!;
      const problem = firstNetworkMismatch(actual, reference, 1e-9);
      if (problem !== null) throw new Error(`after step ${s + 1}: ${problem}`);
    });
  });
}
