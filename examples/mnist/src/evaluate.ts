/** Scoring a trained network: predictions, accuracy and the confusion matrix. */
import { noGrad, type Tensor } from '@chainrule/core';
import type { Module } from '@chainrule/nn';
import { CLASSES } from './data';

/**
 * Rows scored per forward pass. The CNN's first convolution unfolds each
 * image into 25 × 784 columns (78 KB): 500 images at a time keep that to
 * 39 MB, where all 2,000 test digits at once would allocate 157 MB and take
 * about 1.5 times as long. The MLP does not mind either way.
 */
const PREDICT_CHUNK = 500;

/** The predicted digit of every row of `inputs` (the output with the largest value). */
export function predict(model: Module, inputs: Tensor): Int32Array {
  const wasTraining = model.training;
  model.eval();
  try {
    const n = inputs.shape[0] as number;
    const predicted = new Int32Array(n);
    noGrad(() => {
      for (let start = 0; start < n; start += PREDICT_CHUNK) {
        const rows = inputs.index([{ start, stop: Math.min(start + PREDICT_CHUNK, n) }]);
        predicted.set(model.forward(rows).argmax(1).data() as Int32Array, start);
      }
    });
    return predicted;
  } finally {
    model.train(wasTraining);
  }
}

/** counts[t][p]: how many samples of digit t were predicted as p. */
export function confusionMatrix(labels: Int32Array, predicted: Int32Array): number[][] {
  const counts = Array.from({ length: CLASSES }, () => new Array<number>(CLASSES).fill(0));
  labels.forEach((t, i) => {
    const row = counts[t] as number[];
    const p = predicted[i] as number;
    row[p] = (row[p] as number) + 1;
  });
  return counts;
}

/** The fraction of samples on the diagonal. */
export function accuracyOf(confusion: readonly (readonly number[])[]): number {
  let right = 0;
  let total = 0;
  confusion.forEach((row, t) => {
    row.forEach((n, p) => {
      total += n;
      if (p === t) right += n;
    });
  });
  return total === 0 ? 0 : right / total;
}
