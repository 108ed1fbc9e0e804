/**
 * Backpropagation by hand: a feed-forward network in plain number arrays,
 * with no chainrule code anywhere, so the engine can be checked against it.
 * This file is also teaching code; read it top to bottom.
 *
 * Notation (as in the tutorial this project grew from):
 *   a^0 = x                       the input layer holds the data
 *   z^l = W^l a^(l-1) + b^l       each neuron: weighted sum of the previous layer, plus a bias
 *   a^l = σ(z^l)                  and an activation function
 *   W^l[j][k]                     the weight *to* neuron j of layer l *from* neuron k of layer l-1
 *   L                             the output layer; a^L is the network's answer ŷ
 *
 * The cost of one example, for an output layer of K neurons:
 *   MSE:  C = (1/K) Σ_j (a^L_j - y_j)²        (mean over the outputs)
 *   SSE:  C = Σ_j (a^L_j - y_j)²              (the sum of squared differences)
 *   CE:   C = -Σ_j y_j ln a^L_j  with a^L = softmax(z^L)   (cross-entropy)
 * and the cost of a mini-batch is the mean of its examples' costs.
 *
 * The four equations of backpropagation (δ^l = ∂C/∂z^l, the "error" of layer l):
 *   (1) δ^L = ∂C/∂a^L ⊙ σ'(z^L)                 the output layer's error
 *   (2) δ^l = ((W^(l+1))ᵀ δ^(l+1)) ⊙ σ'(z^l)    the error moves back one layer
 *   (3) ∂C/∂b^l = δ^l                           a bias's gradient is its neuron's error
 *   (4) ∂C/∂W^l = δ^l (a^(l-1))ᵀ                a weight's: the error where it ends times the activation where it starts
 * For softmax with cross-entropy, (1) becomes δ^L = a^L - y.
 *
 * Gradient descent on a mini-batch then averages (3) and (4) over its
 * examples and steps against them: W ← W - η ∂C/∂W, b ← b - η ∂C/∂b.
 */

export type Activation = 'sigmoid' | 'tanh' | 'relu' | 'linear';
export type Cost = 'mse' | 'sse' | 'cross-entropy';

/** weights[l][j][k] and biases[l][j] for layers l = 1..L (stored from index 0). */
export interface Network {
  weights: number[][][];
  biases: number[][];
}

export interface Gradients {
  weights: number[][][];
  biases: number[][];
}

/** σ and its derivative σ', written in terms of z. */
const activations: Record<Activation, { f: (z: number) => number; df: (z: number) => number }> = {
  sigmoid: {
    f: (z) => 1 / (1 + Math.exp(-z)),
    df: (z) => {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    },
  },
  tanh: { f: Math.tanh, df: (z) => 1 - Math.tanh(z) ** 2 },
  relu: { f: (z) => Math.max(z, 0), df: (z) => (z > 0 ? 1 : 0) },
  linear: { f: (z) => z, df: () => 1 },
};

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

/** The forward pass of one example, keeping every z^l and a^l for backward. */
export function forward(
  net: Network,
  x: number[],
  activation: Activation,
  cost: Cost,
): { z: number[][]; a: number[][] } {
  const a: number[][] = [x];
  const z: number[][] = [];
  const L = net.weights.length;
  for (let l = 0; l < L; l++) {
    const W = net.weights[l] as number[][];
    const b = net.biases[l] as number[];
    const previous = a[l] as number[];
    const zl = W.map((row, j) => row.reduce((s, w, k) => s + w * (previous[k] as number), b[j] as number));
    z.push(zl);
    const isOutput = l === L - 1;
    a.push(isOutput && cost === 'cross-entropy' ? softmax(zl) : zl.map(activations[activation].f));
  }
  return { z, a };
}

/** The cost C of one example (see the header for the three costs). */
export function exampleCost(output: number[], y: number[], cost: Cost): number {
  switch (cost) {
    case 'mse':
      return output.reduce((s, o, j) => s + (o - (y[j] as number)) ** 2, 0) / output.length;
    case 'sse':
      return output.reduce((s, o, j) => s + (o - (y[j] as number)) ** 2, 0);
    case 'cross-entropy':
      return -output.reduce((s, o, j) => s + (y[j] as number) * Math.log(o), 0);
  }
}

/** ∂C/∂W and ∂C/∂b for one example, by equations (1)-(4). */
export function backprop(net: Network, x: number[], y: number[], activation: Activation, cost: Cost): Gradients {
  const { z, a } = forward(net, x, activation, cost);
  const L = net.weights.length;
  const df = activations[activation].df;
  const deltas: number[][] = new Array(L);

  // (1) the output layer's error
  const aL = a[L] as number[];
  const zL = z[L - 1] as number[];
  if (cost === 'cross-entropy') {
    deltas[L - 1] = aL.map((o, j) => o - (y[j] as number));
  } else {
    const scale = cost === 'mse' ? 2 / aL.length : 2; // ∂C/∂a^L_j = scale · (a_j - y_j)
    deltas[L - 1] = aL.map((o, j) => scale * (o - (y[j] as number)) * df(zL[j] as number));
  }

  // (2) back through the hidden layers
  for (let l = L - 2; l >= 0; l--) {
    const next = net.weights[l + 1] as number[][];
    const deltaNext = deltas[l + 1] as number[];
    deltas[l] = (z[l] as number[]).map(
      (zj, j) => next.reduce((s, row, i) => s + (row[j] as number) * (deltaNext[i] as number), 0) * df(zj),
    );
  }

  // (3) and (4)
  return {
    biases: deltas.map((d) => [...d]),
    weights: deltas.map((d, l) => d.map((dj) => (a[l] as number[]).map((ak) => dj * ak))),
  };
}

/** The mini-batch gradient: equations (3) and (4) averaged over the batch's examples. */
export function batchGradients(
  net: Network,
  xs: number[][],
  ys: number[][],
  activation: Activation,
  cost: Cost,
): Gradients {
  const sum: Gradients = {
    weights: net.weights.map((W) => W.map((row) => row.map(() => 0))),
    biases: net.biases.map((b) => b.map(() => 0)),
  };
  xs.forEach((x, i) => {
    const g = backprop(net, x, ys[i] as number[], activation, cost);
    g.weights.forEach((W, l) =>
      W.forEach((row, j) => row.forEach((v, k) => ((sum.weights[l] as number[][])[j]![k]! += v))),
    );
    g.biases.forEach((b, l) => b.forEach((v, j) => ((sum.biases[l] as number[])[j]! += v)));
  });
  const n = xs.length;
  return {
    weights: sum.weights.map((W) => W.map((row) => row.map((v) => v / n))),
    biases: sum.biases.map((b) => b.map((v) => v / n)),
  };
}

/** The mean cost over a batch. */
export function batchCost(net: Network, xs: number[][], ys: number[][], activation: Activation, cost: Cost): number {
  return (
    xs.reduce(
      (s, x, i) => s + exampleCost(forward(net, x, activation, cost).a.at(-1) as number[], ys[i] as number[], cost),
      0,
    ) / xs.length
  );
}

/** One step of stochastic gradient descent: W ← W - η ∂C/∂W, b ← b - η ∂C/∂b. */
export function sgdStep(net: Network, grads: Gradients, learningRate: number): Network {
  return {
    weights: net.weights.map((W, l) =>
      W.map((row, j) => row.map((w, k) => w - learningRate * grads.weights[l]![j]![k]!)),
    ),
    biases: net.biases.map((b, l) => b.map((v, j) => v - learningRate * grads.biases[l]![j]!)),
  };
}
