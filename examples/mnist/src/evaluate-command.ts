/** `mnist evaluate`: load saved weights into a fresh network and score them. */
import { Generator } from '@chainrule/core';
import { load } from '@chainrule/nn/node';
import { PIXELS, prepare, splitIndices } from './data';
import { loadDigits } from './digits';
import { accuracyOf, confusionMatrix, predict } from './evaluate';
import { readConfig } from './files';
import { buildModel } from './model';
import { confusionTable, percent } from './terminal';
import { describeRun } from './train-command';

export async function evaluateCommand(weights: string, flags: { show: number }): Promise<void> {
  const config = await readConfig(weights).catch((e: unknown) => {
    const code = (e as { code?: unknown }).code;
    if (code === 'ENOENT')
      throw new Error(
        `no weights at ${weights}; train first (it writes model.safetensors into --out) or give the file's path`,
      );
    throw e;
  });
  const model = buildModel(config);
  await load(model, weights);
  // The same seed and sizes give the same split, and so the same scaling, as in training.
  const digits = loadDigits();
  const split = splitIndices(
    digits.labels.shape[0] as number,
    config.trainSize,
    config.testSize,
    new Generator(config.seed),
  );
  const { test } = prepare(digits, split);
  const labels = test.labels.data() as Int32Array;
  const predicted = predict(model, test.inputs);
  const confusion = confusionMatrix(labels, predicted);

  console.log(`${weights}: ${describeRun(config)}`);
  console.log(
    `test accuracy ${percent(accuracyOf(confusion))} on ${labels.length.toLocaleString('en-US')} held-out digits`,
  );
  console.log();
  console.log(confusionTable(confusion));
  if (flags.show > 0) {
    const pixels = digits.images.data() as Float32Array;
    const wrong = [...labels.keys()].filter((i) => predicted[i] !== labels[i]).slice(0, flags.show);
    for (const i of wrong) {
      const row = split.test[i] as number;
      console.log(`\ntest digit ${i}: a ${labels[i]}, predicted ${predicted[i]}`);
      console.log(drawDigit(pixels.subarray(row * PIXELS, (row + 1) * PIXELS)));
    }
  }
}

/** A 28×28 image as text, two characters per pixel, darker for larger values. */
export function drawDigit(pixels: Float32Array): string {
  const shades = ['  ', '░░', '▒▒', '▓▓', '██'];
  const lines: string[] = [];
  for (let r = 0; r < 28; r++) {
    let line = '';
    for (let c = 0; c < 28; c++) {
      const v = Math.min(Math.max(pixels[r * 28 + c] as number, 0), 1);
      line += shades[Math.min(Math.floor(v * shades.length), shades.length - 1)];
    }
    lines.push(line.trimEnd());
  }
  // Most digits leave empty rows above and below; drop them.
  const inked = lines.flatMap((l, i) => (l === '' ? [] : [i]));
  return inked.length === 0 ? '' : lines.slice(inked[0], (inked.at(-1) as number) + 1).join('\n');
}
