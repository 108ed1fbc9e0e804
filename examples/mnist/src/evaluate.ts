/** Scoring a trained network: predictions, accuracy and the confusion matrix. */
import { noGrad, type Tensor } from '@chainrule/core';
import type { Module } from '@chainrule/nn';
import { CLASSES } from './data';

/** The predicted digit of every row of `inputs` (the output with the largest value). */
export function predict(model: Module, inputs: Tensor): Int32Array {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => model.forward(inputs).argmax(1).data() as Int32Array);
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
