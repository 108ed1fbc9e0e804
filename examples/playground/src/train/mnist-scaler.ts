/**
 * The input scaling a demo run trained with, fitted again from the `mnist`
 * package's digits: the same seed and sizes give the same split, and so the
 * same scaler (as `mnist evaluate` rebuilds it). The digits are given: in the
 * page, the digits worker's decoded copy (mnist-digits.ts), so fitting never
 * blocks the page; in Node, loadDigits'.
 */
import { Generator } from '@chainrule/core';
import type { MinMaxScaler } from '@chainrule/nn';
import type { TrainConfig } from '../../../mnist/src/config';
import { prepare, splitIndices, type Digits, type Part } from '../../../mnist/src/data';

/** The scaler of a run and its test digits (scaled), which the page's tests draw from. */
export function demoData(
  config: Pick<TrainConfig, 'seed' | 'trainSize' | 'testSize'>,
  digits: Digits,
): {
  scaler: MinMaxScaler;
  test: Part;
  /** Rows of the package's digits that make up the test part, in order. */
  testRows: Int32Array;
} {
  const split = splitIndices(
    digits.labels.shape[0] as number,
    config.trainSize,
    config.testSize,
    new Generator(config.seed),
  );
  const { scaler, test } = prepare(digits, split);
  return { scaler, test, testRows: split.test };
}
