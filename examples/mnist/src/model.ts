/** The network, its cost and its optimizer, built from a run's settings. */
import { oneHot, type Generator, type Tensor } from '@chainrule/core';
import { crossEntropyLoss, mlp, mseLoss, type Sequential } from '@chainrule/nn';
import { Adam, AdamW, SGD, type Optimizer } from '@chainrule/optim';
import { CLASSES, PIXELS } from './data';
import type { ActivationChoice, LossChoice, TrainConfig } from './config';

/**
 * 784 inputs → the hidden layers → 10 outputs. With the MSE cost the outputs
 * are sigmoid neurons compared with one-hot targets, as in the textbook; with
 * cross-entropy they are raw scores (logits), which the loss turns into
 * probabilities itself.
 */
export function buildModel(
  config: Pick<TrainConfig, 'hidden' | 'activation' | 'loss'>,
  generator?: Generator,
): Sequential {
  const sizes = [PIXELS, ...config.hidden, CLASSES];
  return mlp(sizes, {
    activation: config.activation,
    outputActivation: config.loss === 'mse' ? 'sigmoid' : 'linear',
    ...(generator === undefined ? {} : { generator }),
  });
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

/** A short description of the layers, e.g. "784-64-10 sigmoid". */
export function describeNetwork(hidden: readonly number[], activation: ActivationChoice): string {
  return `${[PIXELS, ...hidden, CLASSES].join('-')} ${activation}`;
}
