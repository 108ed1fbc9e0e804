/**
 * The CLI end to end on a few hundred digits: one epoch of training writes
 * the weights, metrics.json and the SVG plot; the weights load back into a
 * fresh network (in this process, and through `evaluate`) and give the
 * accuracy the run reported; the same seed gives the same numbers twice.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import { Generator } from '@chainrule/core';
import { readSafetensorsHeader } from '@chainrule/nn';
import { load } from '@chainrule/nn/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare, splitIndices } from '../src/data';
import { loadDigits } from '../src/digits';
import { confusionMatrix, predict } from '../src/evaluate';
import type { RunMetrics } from '../src/files';
import { buildModel } from '../src/model';
import { runCli, type CliResult } from './run-cli';

// Spawned processes on a shared 2-core machine: generous limits, never a speed check.
const SLOW = 120_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-mnist-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mnist train, one epoch on 500 digits', () => {
  // ReLU, cross-entropy and Adam learn fast enough for one short epoch to be
  // far above chance (10%); the textbook's sigmoid + MSE + SGD needs more steps.
  const flags = ['--epochs', '1', '--train-size', '500', '--test-size', '200', '--batch-size', '16'];
  const fast = [
    '--activation',
    'relu',
    '--loss',
    'cross-entropy',
    '--optimizer',
    'adam',
    '--lr',
    '0.003',
    '--hidden',
    '32',
    '--seed',
    '3',
  ];
  let run: CliResult;
  let out: string;
  let metrics: RunMetrics;

  beforeAll(async () => {
    out = join(dir, 'smoke');
    run = await runCli(['train', ...flags, ...fast, '--out', out]);
    metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as RunMetrics;
  }, SLOW);

  it('exits 0 and prints the epoch line, the loss chart and the confusion matrix', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^epoch 1\/1 {2}loss \d+\.\d{4} {2}test accuracy \d+\.\d\d% {2}\d+\.\d s {2}\([\d,]+ samples\/s\)$/m,
    );
    expect(run.stdout).toContain('training loss per epoch');
    expect(run.stdout).toMatch(/true ↓ {2}predicted →/);
    // Not a terminal here: no progress bar (it would draw with carriage returns).
    expect(run.stdout).not.toContain('\r');
  });

  it('writes metrics.json with the settings, the seed and the per-epoch numbers', () => {
    expect(metrics.seed).toBe(3);
    expect(metrics.config).toEqual({
      model: 'mlp',
      epochs: 1,
      batchSize: 16,
      lr: 0.003,
      hidden: [32],
      activation: 'relu',
      loss: 'cross-entropy',
      optimizer: 'adam',
      momentum: 0.9,
      weightDecay: 0,
      seed: 3,
      trainSize: 500,
      testSize: 200,
    });
    expect(metrics.epochs).toHaveLength(1);
    const [epoch] = metrics.epochs;
    expect(epoch?.epoch).toBe(1);
    expect(epoch?.trainLoss).toBeGreaterThan(0);
    expect(epoch?.trainLoss).toBeLessThan(Math.log(10)); // below the cost of guessing uniformly
    expect(epoch?.seconds).toBeGreaterThan(0);
    expect(epoch?.samplesPerSecond).toBeGreaterThan(0);
    expect(metrics.finalTestAccuracy).toBe(epoch?.testAccuracy);
    expect(metrics.totalSeconds).toBeGreaterThan(0);
  });

  it('beats chance (10%) by a wide margin', () => {
    expect(metrics.finalTestAccuracy).toBeGreaterThan(0.5);
  });

  it('counts every test digit once in the confusion matrix, and its diagonal is the accuracy', () => {
    const m = metrics.confusionMatrix;
    expect(m).toHaveLength(10);
    expect(m.every((row) => row.length === 10)).toBe(true);
    expect(m.flat().reduce((a, b) => a + b, 0)).toBe(200);
    const diagonal = m.reduce((n, row, t) => n + (row[t] as number), 0);
    expect(diagonal / 200).toBeCloseTo(metrics.finalTestAccuracy, 12);
  });

  it(
    'saves weights that load into a fresh network and give the same test accuracy',
    async () => {
      const path = join(out, 'model.safetensors');
      const header = readSafetensorsHeader(await readFile(path));
      expect(header.tensors.map((t) => `${t.name} ${t.dtype} [${t.shape.join(',')}]`).sort()).toEqual([
        '0.bias float32 [32]',
        '0.weight float32 [32,784]',
        '1.bias float32 [10]',
        '1.weight float32 [10,32]',
      ]);
      const model = buildModel({ hidden: [32], activation: 'relu', loss: 'cross-entropy' }, new Generator(99));
      await load(model, path);
      const digits = loadDigits();
      const { test } = prepare(digits, splitIndices(10_000, 500, 200, new Generator(3)));
      const confusion = confusionMatrix(test.labels.data() as Int32Array, predict(model, test.inputs));
      expect(confusion).toEqual(metrics.confusionMatrix);
      // Reading all 10,000 digits takes seconds on a loaded machine: the same generous limit as the spawned runs.
    },
    SLOW,
  );

  it(
    'evaluate reads the weights back and reports the same accuracy',
    async () => {
      const result = await runCli(['evaluate', join(out, 'model.safetensors')]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const reported = /test accuracy (\d+\.\d\d)% on 200 held-out digits/.exec(result.stdout);
      expect(reported?.[1]).toBe((metrics.finalTestAccuracy * 100).toFixed(2));
    },
    SLOW,
  );

  it('plots loss and accuracy as a well-formed SVG document', async () => {
    const text = await readFile(join(out, 'training.svg'), 'utf8');
    // onErrorStopParsing: any XML error throws instead of being repaired.
    const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'image/svg+xml');
    const svg = doc.documentElement;
    expect(svg?.nodeName).toBe('svg');
    expect(svg?.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(doc.getElementsByTagName('polyline').length).toBe(2);
    const labels = Array.from(doc.getElementsByTagName('text'), (t) => t.textContent);
    expect(labels).toContain('training loss');
    expect(labels).toContain('test accuracy (%)');
  });
});

describe('mnist train --model cnn, five batches', () => {
  // The pieces of the CNN path, not its accuracy (10 epochs take minutes; the README has those numbers):
  // 320 training digits are five batches of 64.
  let run: CliResult;
  let out: string;
  let metrics: RunMetrics;

  beforeAll(async () => {
    out = join(dir, 'cnn');
    run = await runCli(['--model', 'cnn', '--epochs', '1', '--train-size', '320', '--test-size', '100', '--out', out]);
    metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as RunMetrics;
  }, SLOW);

  it('trains with the CNN defaults and prints the usual lines', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^chainrule MNIST: cnn: conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, 400-120-84-10 relu, cross-entropy, adam lr 0\.001, batch 64, 1 epoch, seed 0$/m,
    );
    expect(run.stdout).toMatch(/^epoch 1\/1 {2}loss \d+\.\d{4} {2}test accuracy \d+\.\d\d%/m);
    expect(metrics.config).toMatchObject({ model: 'cnn', epochs: 1, batchSize: 64, optimizer: 'adam', lr: 0.001 });
    expect(Number.isFinite(metrics.epochs[0]?.trainLoss)).toBe(true);
    expect(metrics.cpuSeconds).toBeGreaterThan(0);
  });

  it('saves the weights under PyTorch names, with a file that says it holds the CNN', async () => {
    const header = readSafetensorsHeader(await readFile(join(out, 'model.safetensors')));
    expect(header.tensors.map((t) => `${t.name} [${t.shape.join(',')}]`).sort()).toEqual([
      '1.bias [6]',
      '1.weight [6,1,5,5]',
      '10.bias [84]',
      '10.weight [84,120]',
      '12.bias [10]',
      '12.weight [10,84]',
      '4.bias [16]',
      '4.weight [16,6,5,5]',
      '8.bias [120]',
      '8.weight [120,400]',
    ]);
    expect(JSON.parse(header.metadata['chainrule.mnist.config'] ?? '{}')).toMatchObject({ model: 'cnn' });
  });

  it(
    'loads into a fresh CNN, in this process and through evaluate, with the accuracy the run reported',
    async () => {
      const path = join(out, 'model.safetensors');
      const model = buildModel(metrics.config, new Generator(99));
      await load(model, path);
      const { test } = prepare(loadDigits(), splitIndices(10_000, 320, 100, new Generator(0)));
      expect(confusionMatrix(test.labels.data() as Int32Array, predict(model, test.inputs))).toEqual(
        metrics.confusionMatrix,
      );
      const result = await runCli(['evaluate', path]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain(': cnn: conv 6@5×5');
      const reported = /test accuracy (\d+\.\d\d)% on 100 held-out digits/.exec(result.stdout);
      expect(reported?.[1]).toBe((metrics.finalTestAccuracy * 100).toFixed(2));
    },
    SLOW,
  );
});

describe('reproducibility', () => {
  // The textbook settings (sigmoid, MSE, SGD lr 3) on a small split, two epochs.
  const flags = ['--epochs', '2', '--train-size', '300', '--test-size', '100'];
  const numbers = (m: RunMetrics): [number, number][] => m.epochs.map((e) => [e.trainLoss, e.testAccuracy]);
  const trainRun = async (name: string, seed: string): Promise<RunMetrics> => {
    const out = join(dir, name);
    const result = await runCli([...flags, '--seed', seed, '--out', out]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as RunMetrics;
  };

  it(
    'gives the same losses and accuracies for the same seed, and different ones for another',
    async () => {
      const [a, b, c] = await Promise.all([
        trainRun('seed-5a', '5'),
        trainRun('seed-5b', '5'),
        trainRun('seed-6', '6'),
      ]);
      expect(numbers(a)).toEqual(numbers(b));
      expect(a.confusionMatrix).toEqual(b.confusionMatrix);
      expect(numbers(c)).not.toEqual(numbers(a));
    },
    SLOW,
  );
});
