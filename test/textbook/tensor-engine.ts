/**
 * The Tensor path of the textbook check, as a user would write it: nn's mlp
 * (Dense layers computing a = σ(x·Wᵀ + b)), a loss from nn, backward(), and
 * optim's SGD. The model builder is a parameter so the same properties can be
 * run against deliberately broken engines (broken-engine.test.ts).
 */
import { customOp, noGrad, tensor, type Tensor } from '@chainrule/core';
import { Dense, Sequential, crossEntropyLoss, mlp, mseLoss, sseLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';
import type { Activation, Cost, Gradients, Network } from './reference';

/** Builds the engine's model for a network's sizes (weights are copied in afterwards). */
export type ModelBuilder = (sizes: number[], activation: Activation, cost: Cost) => Sequential;

/** The real thing: nn's mlp in float64, linear outputs before cross-entropy (which applies softmax itself). */
export const realModel: ModelBuilder = (sizes, activation, cost) =>
  mlp(sizes, { activation, outputActivation: cost === 'cross-entropy' ? 'linear' : activation, dtype: 'float64' });

export function sizesOf(net: Network): number[] {
  return [net.weights[0]![0]!.length, ...net.weights.map((W) => W.length)];
}

/** The engine's model with the reference network's weights and biases. */
export function modelFor(net: Network, activation: Activation, cost: Cost, build: ModelBuilder): Sequential {
  const model = build(sizesOf(net), activation, cost);
  const values = net.weights.flatMap((W, l) => [W, net.biases[l]!]);
  const params = model.parameters();
  noGrad(() => params.forEach((p, i) => p.copyFrom(tensor(values[i]!, { dtype: 'float64' }))));
  return model;
}

/** The batch cost as the reference defines it (the mean over examples of each example's cost). */
export function batchLoss(output: Tensor, ys: number[][], cost: Cost): Tensor {
  const y = tensor(ys, { dtype: 'float64' });
  switch (cost) {
    case 'mse':
      return mseLoss(output, y);
    case 'sse':
      return sseLoss(output, y).div(ys.length);
    case 'cross-entropy':
      return crossEntropyLoss(output, y);
  }
}

/** ∂C/∂W and ∂C/∂b as computed by the engine, in the reference's nested layout. */
export function engineGradients(model: Sequential, xs: number[][], ys: number[][], cost: Cost): Gradients {
  model.zeroGrad();
  batchLoss(model.forward(tensor(xs, { dtype: 'float64' })), ys, cost).backward();
  return split(model.parameters().map((p) => p.grad));
}

/** The model's current weights and biases in the reference's layout. */
export function engineNetwork(model: Sequential): Network {
  return split(model.parameters());
}

/** [W1, b1, W2, b2, ...] as nested arrays; a missing gradient becomes NaN, which no comparison accepts. */
function split(tensors: (Tensor | null)[]): Gradients {
  const weights: number[][][] = [];
  const biases: number[][] = [];
  tensors.forEach((t, i) => {
    if (i % 2 === 0) weights.push(t === null ? [[Number.NaN]] : (t.toArray() as number[][]));
    else biases.push(t === null ? [Number.NaN] : (t.toArray() as number[]));
  });
  return { weights, biases };
}

/** One SGD step on the model (momentum 0), from optim. */
export function sgdSteps(
  model: Sequential,
  batches: { xs: number[][]; ys: number[][] }[],
  cost: Cost,
  lr: number,
): Network[] {
  const optimizer = new SGD(model.parameters(), { lr });
  return batches.map(({ xs, ys }) => {
    optimizer.zeroGrad();
    batchLoss(model.forward(tensor(xs, { dtype: 'float64' })), ys, cost).backward();
    optimizer.step();
    return engineNetwork(model);
  });
}

// ------------------------------------------------------------ broken engines

/** A sigmoid whose backward forgets the (1 - σ) factor: σ' taken as σ. */
const wrongSigmoid = customOp({
  name: 'wrongSigmoid',
  forward(ctx, x) {
    const s = x!.sigmoid();
    ctx.save(s);
    return s;
  },
  backward({ saved: [s] }, g) {
    return g.mul(s!);
  },
});

/** An engine whose sigmoid layers use the wrong derivative. */
export const wrongSigmoidModel: ModelBuilder = (sizes, _activation, cost) =>
  mlp(sizes, {
    activation: (z: Tensor) => wrongSigmoid(z),
    outputActivation: cost === 'cross-entropy' ? 'linear' : (z: Tensor) => wrongSigmoid(z),
    dtype: 'float64',
  });

/** A Dense layer whose bias is cut from the graph: the bias never receives a gradient. */
class NoBiasGradient extends Dense {
  override forward(x: Tensor): Tensor {
    return this.activation(x.matmul(this.weight.T).add((this.bias as Tensor).detach()));
  }
}

/** An engine that drops every bias gradient. */
export const droppedBiasModel: ModelBuilder = (sizes, activation, cost) =>
  new Sequential(
    ...sizes.slice(1).map(
      (out, l) =>
        new NoBiasGradient(sizes[l]!, out, {
          activation: l === sizes.length - 2 && cost === 'cross-entropy' ? 'linear' : activation,
          dtype: 'float64',
        }),
    ),
  );
