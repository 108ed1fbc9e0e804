/**
 * `mnist train --export-onnx` through the CLI: model.onnx and
 * train-step.onnx are written beside the weights; the exported model, run in
 * ONNX Runtime on a few test digits, gives chainrule's scores and predictions
 * for the saved weights (at a batch size other than the exported one); and
 * the exported step, run once, returns chainrule's loss for that batch.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, noGrad, oneHot, type Tensor } from '@chainrule/core';
import { mseLoss } from '@chainrule/nn';
import { load } from '@chainrule/nn/node';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASSES, prepare, splitIndices } from '../src/data';
import { loadDigits } from '../src/digits';
import { predict } from '../src/evaluate';
import { buildModel } from '../src/model';
import { runCli, type CliResult } from './run-cli';

const SLOW = 120_000;

let dir: string;
let run: CliResult;
const flags = ['--epochs', '1', '--train-size', '320', '--test-size', '100', '--batch-size', '16', '--seed', '0'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-mnist-onnx-'));
  run = await runCli(['train', ...flags, '--out', dir, '--export-onnx']);
}, SLOW);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The saved network, and the run's test digits. */
async function trained() {
  const model = buildModel({ hidden: [64], activation: 'sigmoid', loss: 'mse' });
  await load(model, join(dir, 'model.safetensors'));
  const { test } = prepare(loadDigits(), splitIndices(10_000, 320, 100, new Generator(0)));
  return { model, test };
}

describe('mnist train --export-onnx', () => {
  it('prints the export times and writes both files beside the weights', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^exported ONNX: model in \d+ ms, training step in \d+ ms; wrote .*model\.onnx, .*train-step\.onnx$/m,
    );
  });

  it("model.onnx reproduces chainrule's scores and predictions on test digits, at another batch size", async () => {
    const { model, test } = await trained();
    const digits = test.inputs.slice(0, 0, 5);
    const session = await ort.InferenceSession.create(await readFile(join(dir, 'model.onnx')));
    try {
      const data = Float32Array.from(digits.flatten().toArray() as number[]);
      const { scores } = await session.run({ pixels: new ort.Tensor('float32', data, [5, 784]) });
      const expected = noGrad(() => (model.forward as (x: Tensor) => Tensor)(digits))
        .flatten()
        .toArray() as number[];
      const actual = Array.from(scores?.data as Float32Array);
      expect(scores?.dims).toEqual([5, 10]);
      actual.forEach((v, i) => {
        expect(Math.abs(v - (expected[i] as number))).toBeLessThan(1e-5);
      });
      const argmax = (row: number[]) => row.indexOf(Math.max(...row));
      const theirs = [0, 1, 2, 3, 4].map((r) => argmax(actual.slice(r * 10, r * 10 + 10)));
      expect(theirs).toEqual(Array.from(predict(model, digits)));
    } finally {
      await session.release();
    }
  });

  it("train-step.onnx returns chainrule's loss for a batch and moves the weights", async () => {
    const { model, test } = await trained();
    const inputs = test.inputs.slice(0, 0, 16);
    const targets = oneHot(test.labels.slice(0, 0, 16), CLASSES);
    const session = await ort.InferenceSession.create(await readFile(join(dir, 'train-step.onnx')));
    try {
      const feeds: Record<string, ort.Tensor> = {};
      const named = [...model.namedParameters()];
      for (const [name, p] of named)
        feeds[name] = new ort.Tensor('float32', Float32Array.from(p.flatten().toArray() as number[]), [...p.shape]);
      feeds.inputs = new ort.Tensor('float32', Float32Array.from(inputs.flatten().toArray() as number[]), [16, 784]);
      feeds.targets = new ort.Tensor('float32', Float32Array.from(targets.flatten().toArray() as number[]), [16, 10]);
      feeds.lr = new ort.Tensor('float32', Float32Array.of(3), []);
      feeds.step = new ort.Tensor('float32', Float32Array.of(1), []);
      const out = await session.run(feeds);
      const expected = noGrad(() =>
        mseLoss((model.forward as (x: Tensor) => Tensor)(inputs), targets),
      ).item() as number;
      const loss = (out.loss?.data as Float32Array | undefined)?.[0] as number;
      expect(Math.abs(loss - expected) / expected).toBeLessThan(1e-5);
      const [name, first] = named[0] as [string, Tensor];
      const moved = Array.from(out[`next.${name}`]?.data as Float32Array);
      const before = first.flatten().toArray() as number[];
      expect(moved.some((v, i) => v !== before[i])).toBe(true);
    } finally {
      await session.release();
    }
  });
});
