/**
 * What a training run is made of, and the defaults. The defaults are the
 * textbook network: 784 → 64 sigmoid → 10 sigmoid outputs, a mean squared
 * error against one-hot targets, plain mini-batch SGD with batch size 32 and
 * learning rate 3. `--model cnn` has defaults of its own: the LeNet-5-style
 * network with ReLU, cross-entropy, Adam at 1e-3, batch 64, 10 epochs.
 */

export const MODELS = ['mlp', 'cnn'] as const;

export const ACTIVATIONS = ['sigmoid', 'relu', 'tanh'] as const;
export const LOSSES = ['mse', 'cross-entropy'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adam', 'adamw'] as const;

export type ModelChoice = (typeof MODELS)[number];
export type ActivationChoice = (typeof ACTIVATIONS)[number];
export type LossChoice = (typeof LOSSES)[number];
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

/** Everything that decides a run's numbers (the output folder does not). */
export interface TrainConfig {
  /** 'mlp' (the default) or 'cnn' (convolutions before the hidden layers). */
  model: ModelChoice;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Widths of the hidden (fully connected) layers, e.g. [64] or [128, 64]; for the CNN those after the convolutions. */
  hidden: number[];
  activation: ActivationChoice;
  loss: LossChoice;
  optimizer: OptimizerChoice;
  /** Momentum factor for 'momentum' and 'nesterov'. */
  momentum: number;
  weightDecay: number;
  seed: number;
  trainSize: number;
  testSize: number;
}

/** The digits the package ships. */
export const TOTAL_SAMPLES = 10_000;

/**
 * 30 epochs: the textbook settings pass 92% test accuracy at about 20 epochs
 * on this split (as in PyTorch), and 30 leave a margin for other seeds while
 * the run stays well under two minutes on 2 cores.
 */
export const DEFAULT_EPOCHS = 30;

/**
 * 10 epochs for the CNN: LeNet-5 with Adam passes 97% test accuracy on this
 * split by then (in PyTorch too; see the README), and an epoch costs about
 * 7 s of CPU time, some twenty times the MLP's.
 */
export const CNN_EPOCHS = 10;

/** The settings whose default depends on the model, with each model's defaults. */
export interface ModelDefaults {
  epochs: number;
  batchSize: number;
  hidden: number[];
  activation: ActivationChoice;
  loss: LossChoice;
  optimizer: OptimizerChoice;
}

export function modelDefaults(model: ModelChoice): ModelDefaults {
  return model === 'cnn'
    ? {
        epochs: CNN_EPOCHS,
        batchSize: 64,
        hidden: [120, 84],
        activation: 'relu',
        loss: 'cross-entropy',
        optimizer: 'adam',
      }
    : { epochs: DEFAULT_EPOCHS, batchSize: 32, hidden: [64], activation: 'sigmoid', loss: 'mse', optimizer: 'sgd' };
}

/**
 * Learning rates that work with each optimizer when --lr is not given
 * (measured on this data at 10 epochs; see the README). Plain SGD on the MSE
 * cost needs a large step (the cost averages over ten outputs per sample, so
 * each gradient is small); cross-entropy's gradients are larger, so its step
 * is smaller; momentum 0.9 multiplies the step by about ten, so its defaults
 * are ten times smaller; Adam's step size is the usual 1e-3.
 */
export function defaultLr(optimizer: OptimizerChoice, loss: LossChoice): number {
  switch (optimizer) {
    case 'sgd':
      return loss === 'mse' ? 3 : 0.5;
    case 'momentum':
    case 'nesterov':
      return loss === 'mse' ? 0.3 : 0.05;
    case 'adam':
    case 'adamw':
      return 1e-3;
  }
}

/** AdamW decays weights by default (PyTorch's 0.01); the others do not. */
export function defaultWeightDecay(optimizer: OptimizerChoice): number {
  return optimizer === 'adamw' ? 0.01 : 0;
}
