/**
 * The training loop: for each epoch, every mini-batch once in a new random
 * order — forward pass, cost, backward pass, one optimizer step — then the
 * test accuracy. Reporting is left to the caller's hooks.
 */
import { Generator, type Tensor } from '@chainrule/core';
import { DataLoader, type Sequential } from '@chainrule/nn';
import type { TrainConfig } from './config';
import type { Part } from './data';
import { accuracyOf, confusionMatrix, predict } from './evaluate';
import { buildModel, buildOptimizer, lossFunction } from './model';

/** What one epoch measured. */
export interface EpochMetrics {
  epoch: number;
  /** Mean cost over the epoch's training samples (measured during the epoch, as the weights changed). */
  trainLoss: number;
  /** Fraction of the test samples classified correctly after the epoch. */
  testAccuracy: number;
  /** Wall time of the epoch: training and the test evaluation. */
  seconds: number;
  /** Training samples per second (the training part of the epoch only). */
  samplesPerSecond: number;
}

export interface TrainHooks {
  onEpochStart?(epoch: number, samples: number): void;
  onBatch?(progress: { samplesDone: number; loss: number; samplesPerSecond: number }): void;
  onEpochEnd?(metrics: EpochMetrics): void;
}

export interface TrainResult {
  model: Sequential;
  epochs: EpochMetrics[];
  /** On the test part, after the last epoch. */
  confusion: number[][];
  testAccuracy: number;
}

/**
 * Trains a fresh network on `train` and scores it on `test` after every
 * epoch. All randomness (initial weights, batch order) comes from
 * `generator`, so the same generator state gives the same run.
 */
export function train(
  config: TrainConfig,
  data: { train: Part; test: Part },
  generator: Generator,
  hooks: TrainHooks = {},
): TrainResult {
  const model = buildModel(config, generator);
  const optimizer = buildOptimizer(config, model.parameters());
  const cost = lossFunction(config.loss);
  const loader = new DataLoader(
    { inputs: data.train.inputs, targets: data.train.labels },
    { batchSize: config.batchSize, shuffle: true, generator },
  );
  const testLabels = data.test.labels.data() as Int32Array;
  const epochs: EpochMetrics[] = [];
  let confusion: number[][] = [];
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    hooks.onEpochStart?.(epoch, loader.sampleCount);
    const start = performance.now();
    let lossSum = 0;
    let seen = 0;
    for (const batch of loader) {
      const loss: Tensor = cost(model.forward(batch.inputs), batch.targets);
      const value = loss.item();
      if (!Number.isFinite(value)) throw new DivergedError(epoch, config.lr);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      const n = batch.inputs.shape[0] as number;
      lossSum += value * n;
      seen += n;
      hooks.onBatch?.({ samplesDone: seen, loss: lossSum / seen, samplesPerSecond: seen / secondsSince(start) });
    }
    const trainSeconds = secondsSince(start);
    confusion = confusionMatrix(testLabels, predict(model, data.test.inputs));
    const metrics: EpochMetrics = {
      epoch,
      trainLoss: lossSum / seen,
      testAccuracy: accuracyOf(confusion),
      seconds: secondsSince(start),
      samplesPerSecond: seen / trainSeconds,
    };
    epochs.push(metrics);
    hooks.onEpochEnd?.(metrics);
  }
  return { model, epochs, confusion, testAccuracy: epochs.at(-1)?.testAccuracy ?? 0 };
}

/** The cost became NaN or infinite: the learning rate is too large for these settings. */
export class DivergedError extends Error {
  constructor(epoch: number, lr: number) {
    super(`training diverged in epoch ${epoch} (the cost is no longer finite); try a smaller --lr than ${lr}`);
    this.name = 'DivergedError';
  }
}

function secondsSince(start: number): number {
  return Math.max((performance.now() - start) / 1000, 1e-9);
}
