/** Holding out data for testing: scikit-learn's train_test_split for one dataset. */
import { ArgumentError, noGrad, tensor, type Generator, type Tensor } from '@chainrule/core';
import { sampleCount, type Dataset } from './dataset';
import { booleanOption, describeValue, optionsObject } from '@chainrule/core/internal';
import { generatorFor } from './random-source';

/** Options of `trainTestSplit`. */
export interface TrainTestSplitOptions {
  /** A fraction in (0, 1) of the samples (rounded up), or a whole number of samples; default 0.25. */
  testSize?: number;
  /** Shuffle before splitting (default true); without it the test set is the last samples. */
  shuffle?: boolean;
  seed?: number;
  generator?: Generator;
}

/**
 * Splits a dataset into a training and a test part, each sample in exactly
 * one of them. As scikit-learn: the test part has ceil(testSize · n) samples.
 *
 * @example
 * const { train, test } = trainTestSplit({ inputs: x, targets: y }, { testSize: 0.2, seed: 0 });
 */
export function trainTestSplit(data: Dataset, options: TrainTestSplitOptions = {}): { train: Dataset; test: Dataset } {
  const op = 'trainTestSplit';
  const n = sampleCount(op, data);
  const o = optionsObject(op, options, { testSize: true, shuffle: true, seed: true, generator: true });
  const { testSize = 0.25 } = o;
  const shuffle = booleanOption(op, 'shuffle', o.shuffle, true);
  let testCount: number;
  if (typeof testSize === 'number' && testSize > 0 && testSize < 1) testCount = Math.ceil(testSize * n);
  else if (Number.isInteger(testSize) && testSize >= 1) testCount = testSize;
  else
    throw new ArgumentError(
      op,
      `testSize must be a fraction in (0, 1) or a positive whole number of samples, got ${describeValue(testSize)}`,
    );
  if (testCount >= n) {
    throw new ArgumentError(
      op,
      `a test part of ${testCount} samples leaves none of the ${n} for training; use a smaller testSize`,
    );
  }
  const generator = generatorFor(op, o);
  const order = shuffle ? generator.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
  const trainCount = n - testCount;
  // Same positions as scikit-learn: shuffled, the test part comes first; unshuffled, last.
  const testIndex = tensor(shuffle ? order.slice(0, testCount) : order.slice(trainCount));
  const trainIndex = tensor(shuffle ? order.slice(testCount) : order.slice(0, trainCount));
  const pick = (index: Tensor): Dataset =>
    noGrad(() => ({
      inputs: data.inputs.detach().indexSelect(0, index),
      targets: data.targets.detach().indexSelect(0, index),
    }));
  return { train: pick(trainIndex), test: pick(testIndex) };
}
