/**
 * The scalar path: the network built neuron by neuron from Values, the way
 * the textbook draws it, gives the reference's gradients for every weight and
 * bias of random networks and mini-batches.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value, type Value } from '@chainrule/core';
import { activationsFor, arbProblem, firstNetworkMismatch } from './arbitraries';
import { batchGradients, type Activation, type Cost, type Network } from './reference';

function activate(z: Value, activation: Activation): Value {
  switch (activation) {
    case 'sigmoid':
      return z.sigmoid();
    case 'tanh':
      return z.tanh();
    case 'relu':
      return z.relu();
    case 'linear':
      return z;
  }
}

/** Builds the batch cost from Values and returns ∂C/∂(every weight and bias). */
function valueGradients(net: Network, xs: number[][], ys: number[][], activation: Activation, cost: Cost) {
  const W = net.weights.map((layer) => layer.map((row) => row.map((w) => value(w))));
  const b = net.biases.map((layer) => layer.map((v) => value(v)));
  const L = W.length;
  let total: Value = value(0, { requiresGrad: false });
  xs.forEach((x, i) => {
    let a: (Value | number)[] = x;
    for (let l = 0; l < L; l++) {
      const z = W[l]!.map((row, j) => row.reduce<Value>((s, w, k) => s.add(w.mul(a[k]!)), b[l]![j]!));
      a = l === L - 1 && cost === 'cross-entropy' ? z : z.map((zj) => activate(zj, activation));
    }
    const y = ys[i]!;
    const out = a as Value[];
    let c: Value;
    if (cost === 'cross-entropy') {
      // -Σ y_j ln softmax(z)_j = ln Σ e^{z_j} - Σ y_j z_j (the shift m keeps e^z finite)
      const m = Math.max(...out.map((o) => o.data));
      const logSum = out
        .reduce<Value>((s, o) => s.add(o.sub(m).exp()), value(0, { requiresGrad: false }))
        .log()
        .add(m);
      c = out.reduce<Value>((s, o, j) => s.sub(o.mul(y[j]!)), logSum);
    } else {
      const squares = out.reduce<Value>((s, o, j) => s.add(o.sub(y[j]!).pow(2)), value(0, { requiresGrad: false }));
      c = cost === 'mse' ? squares.div(out.length) : squares;
    }
    total = total.add(c);
  });
  total.div(xs.length).backward();
  return {
    weights: W.map((layer) => layer.map((row) => row.map((w) => w.grad))),
    biases: b.map((layer) => layer.map((v) => v.grad)),
  };
}

describe('the Value path matches hand-written backpropagation', () => {
  for (const cost of ['mse', 'sse', 'cross-entropy'] as Cost[]) {
    for (const activation of activationsFor[cost]) {
      it(`${cost} with ${activation}: every ∂C/∂W and ∂C/∂b to 1e-10 relative`, () => {
        fc.assert(
          fc.property(arbProblem(cost), ({ net, xs, ys }) => {
            const expected = batchGradients(net, xs, ys, activation, cost);
            const actual = valueGradients(net, xs, ys, activation, cost);
            expect(firstNetworkMismatch(actual, expected)).toBeNull();
          }),
          { numRuns: cost === 'mse' && activation === 'sigmoid' ? 60 : 25 },
        );
      });
    }
  }
});
