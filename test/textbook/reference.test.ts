/**
 * The hand-written reference is itself checked first: its backpropagated
 * gradients must match central finite differences of its own cost, so the
 * tests that compare the engine with it rest on something verified.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { arbProblem } from './arbitraries';
import { batchCost, batchGradients, type Activation, type Cost, type Network } from './reference';

function numericGradient(net: Network, xs: number[][], ys: number[][], activation: Activation, cost: Cost) {
  const h = 1e-6;
  const clone = (): Network => JSON.parse(JSON.stringify(net)) as Network;
  const weights = net.weights.map((W, l) =>
    W.map((row, j) =>
      row.map((_, k) => {
        const plus = clone();
        const minus = clone();
        plus.weights[l]![j]![k]! += h;
        minus.weights[l]![j]![k]! -= h;
        return (batchCost(plus, xs, ys, activation, cost) - batchCost(minus, xs, ys, activation, cost)) / (2 * h);
      }),
    ),
  );
  const biases = net.biases.map((b, l) =>
    b.map((_, j) => {
      const plus = clone();
      const minus = clone();
      plus.biases[l]![j]! += h;
      minus.biases[l]![j]! -= h;
      return (batchCost(plus, xs, ys, activation, cost) - batchCost(minus, xs, ys, activation, cost)) / (2 * h);
    }),
  );
  return { weights, biases };
}

describe('the reference backpropagation', () => {
  for (const [cost, activation] of [
    ['mse', 'sigmoid'],
    ['mse', 'tanh'],
    ['sse', 'sigmoid'],
    ['cross-entropy', 'tanh'],
  ] as [Cost, Activation][]) {
    it(`agrees with finite differences of its own cost (${cost}, ${activation})`, () => {
      fc.assert(
        fc.property(arbProblem(cost, undefined, 6), ({ net, xs, ys }) => {
          const analytic = batchGradients(net, xs, ys, activation, cost);
          const numeric = numericGradient(net, xs, ys, activation, cost);
          expect(analytic.weights.flat(2)).toBeAllClose(numeric.weights.flat(2), { rtol: 0, atol: 1e-7 });
          expect(analytic.biases.flat()).toBeAllClose(numeric.biases.flat(), { rtol: 0, atol: 1e-7 });
        }),
        { numRuns: 25 },
      );
    });
  }
});
