/** The network, its cost and its optimizer, built from a run's settings. */
import { defaultGenerator, oneHot, type Generator, type Tensor } from '@chainrule/core';
import {
  Conv2d,
  Flatten,
  Linear,
  MaxPool2d,
  ReLU,
  Sequential,
  Sigmoid,
  Tanh,
  Unflatten,
  calculateGain,
  crossEntropyLoss,
  heUniform,
  mlp,
  mseLoss,
  xavierUniform,
  type Module,
  type WeightInit,
} from '@chainrule/nn';
import { Adam, AdamW, SGD, type Optimizer } from '@chainrule/optim';
import { CLASSES, PIXELS } from './data';
import type { ActivationChoice, LossChoice, ModelChoice, TrainConfig } from './config';

/** What decides the network's layers (`model` defaults to 'mlp', for settings saved before there was a CNN). */
export type NetworkConfig = Pick<TrainConfig, 'hidden' | 'activation' | 'loss'> & { model?: ModelChoice };

/**
 * The MLP: 784 inputs → the hidden layers → 10 outputs. With the MSE cost
 * the outputs are sigmoid neurons compared with one-hot targets, as in the
 * textbook; with cross-entropy they are raw scores (logits), which the loss
 * turns into probabilities itself. The CNN: see {@link buildCnn}.
 */
export function buildModel(config: NetworkConfig, generator?: Generator): Sequential {
  if (config.model === 'cnn') return buildCnn(config, generator ?? defaultGenerator);
  const sizes = [PIXELS, ...config.hidden, CLASSES];
  return mlp(sizes, {
    activation: config.activation,
    outputActivation: config.loss === 'mse' ? 'sigmoid' : 'linear',
    ...(generator === undefined ? {} : { generator }),
  });
}

/** The output size of the CNN's convolutions: 16 channels of 5×5. */
export const CNN_FEATURES = 16 * 5 * 5;

const activationModule: Record<ActivationChoice, () => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
};

/**
 * A fully connected layer initialized as the MLP's Dense layers are: He
 * uniform before ReLU, Xavier uniform (gain 5/3 before tanh, else 1)
 * otherwise, zero bias. A separate activation module follows it, so that the
 * layer indices, and with them the state-dict names, are PyTorch's.
 */
function fullyConnected(inputs: number, outputs: number, before: ActivationChoice | 'linear', generator: Generator) {
  const init: WeightInit =
    before === 'relu'
      ? (w, g) => heUniform(w, { nonlinearity: 'relu', generator: g })
      : (w, g) => xavierUniform(w, { gain: before === 'tanh' ? calculateGain('tanh') : 1, generator: g });
  return new Linear(inputs, outputs, { init, generator });
}

/**
 * The LeNet-5-style CNN: the 784 pixels as a 1×28×28 image → conv 6@5×5
 * (padding 2) → activation → max-pool 2 → conv 16@5×5 → activation →
 * max-pool 2 → the 400 features → the hidden layers (120, 84 by default) →
 * 10 outputs (sigmoid with the MSE cost). The convolutions keep PyTorch's
 * default initialization; one Sequential of PyTorch's modules in the same
 * order has the same state-dict names (`1.weight`, `4.weight`, `8.weight`, ...),
 * so the weights load in PyTorch as they are.
 */
export function buildCnn(config: NetworkConfig, generator: Generator): Sequential {
  const act = activationModule[config.activation];
  const head: Module[] = [];
  let width = CNN_FEATURES;
  for (const h of config.hidden) {
    head.push(fullyConnected(width, h, config.activation, generator), act());
    width = h;
  }
  head.push(fullyConnected(width, CLASSES, 'linear', generator));
  if (config.loss === 'mse') head.push(new Sigmoid());
  return new Sequential(
    new Unflatten(1, [1, 28, 28]),
    new Conv2d(1, 6, 5, { padding: 2, generator }),
    act(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5, { generator }),
    act(),
    new MaxPool2d(2),
    new Flatten(),
    ...head,
  );
}

/** The cost of a batch: outputs [n, 10] against int32 labels [n]. */
export function lossFunction(loss: LossChoice): (outputs: Tensor, labels: Tensor) => Tensor {
  return loss === 'mse'
    ? (outputs, labels) => mseLoss(outputs, oneHot(labels, CLASSES))
    : (outputs, labels) => crossEntropyLoss(outputs, labels);
}

export function buildOptimizer(config: TrainConfig, parameters: Tensor[]): Optimizer {
  const { lr, momentum, weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(parameters, { lr, weightDecay });
    case 'momentum':
      return new SGD(parameters, { lr, momentum, weightDecay });
    case 'nesterov':
      return new SGD(parameters, { lr, momentum, weightDecay, nesterov: true });
    case 'adam':
      return new Adam(parameters, { lr, weightDecay });
    case 'adamw':
      return new AdamW(parameters, { lr, weightDecay });
  }
}

/** A short description of the layers, e.g. "784-64-10 sigmoid" or "cnn: conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, 400-120-84-10 relu". */
export function describeNetwork(c: NetworkConfig): string {
  if (c.model === 'cnn')
    return `cnn: conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, ${[CNN_FEATURES, ...c.hidden, CLASSES].join('-')} ${c.activation}`;
  return `${[PIXELS, ...c.hidden, CLASSES].join('-')} ${c.activation}`;
}
