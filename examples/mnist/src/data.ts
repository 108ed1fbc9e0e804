/**
 * The digits (read by digits.ts: all 10,000 samples the `mnist` package
 * ships), a seeded split into training and test parts, and inputs scaled
 * with MinMaxScaler fitted on the training part only (the test part must not
 * leak into the scaling). Kept apart from the package's 20 MB of digits so
 * that the playground's worker can use it with digits of its own.
 */
import { Generator, tensor, type Tensor } from '@chainrule/core';
import { MinMaxScaler, trainTestSplit } from '@chainrule/nn';

/** Pixels per image (28 × 28). */
export const PIXELS = 784;
/** The ten digit classes. */
export const CLASSES = 10;

/** Every digit, as one [n, 784] float32 tensor and its labels. */
export interface Digits {
  /** Pixels in [0, 1], one image per row. */
  images: Tensor;
  /** The digit each row shows, int32 [n]. */
  labels: Tensor;
}

/** Which rows of loadDigits (digits.ts) go to training and which to testing. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

/**
 * A shuffled split of `total` rows into `testSize` test rows and (the first)
 * `trainSize` of the rest for training, drawn from `generator`. It runs nn's
 * trainTestSplit on the row numbers themselves, so the indices are exactly
 * the split trainTestSplit makes of the data (and can be handed to another
 * program, such as the PyTorch reference).
 */
export function splitIndices(total: number, trainSize: number, testSize: number, generator: Generator): SplitIndices {
  const rows = tensor(Int32Array.from({ length: total }, (_, i) => i));
  const { train, test } = trainTestSplit({ inputs: rows, targets: rows }, { testSize, generator });
  return { train: (train.inputs.data() as Int32Array).slice(0, trainSize), test: test.inputs.data() as Int32Array };
}

/** One part of the data, ready for the network. */
export interface Part {
  /** Scaled inputs [n, 784]. */
  inputs: Tensor;
  /** Labels, int32 [n]. */
  labels: Tensor;
}

/** The two parts of a split, scaled with a MinMaxScaler fitted on the training part. */
export function prepare(digits: Digits, split: SplitIndices): { train: Part; test: Part; scaler: MinMaxScaler } {
  const pick = (rows: Int32Array): { images: Tensor; labels: Tensor } => {
    const index = tensor(rows);
    return { images: digits.images.indexSelect(0, index), labels: digits.labels.indexSelect(0, index) };
  };
  const train = pick(split.train);
  const test = pick(split.test);
  const scaler = new MinMaxScaler().fit(train.images);
  return {
    train: { inputs: scaler.transform(train.images), labels: train.labels },
    test: { inputs: scaler.transform(test.images), labels: test.labels },
    scaler,
  };
}
