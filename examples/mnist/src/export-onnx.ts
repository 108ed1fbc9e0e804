/**
 * `mnist --export-onnx`: the trained network as model.onnx (inference, any
 * batch size) and one training step as train-step.onnx, beside the weights.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { oneHot, type Tensor } from '@chainrule/core';
import type { Module } from '@chainrule/nn';
import { crossEntropyLoss, mseLoss } from '@chainrule/nn';
import { exportOnnx, exportTrainingStep, OnnxExportError } from '@chainrule/onnx';
import type { TrainConfig } from './config';
import { CLASSES } from './data';
import { buildOptimizer } from './model';

export const MODEL_FILE = 'model.onnx';
export const STEP_FILE = 'train-step.onnx';

/** What was written, how long the exports took, and why a file was not written. */
export interface OnnxExportResult {
  paths: string[];
  modelMilliseconds: number;
  stepMilliseconds: number | null;
  /** Set when the training step could not be exported (its reason, from the exporter). */
  skipped: string | null;
}

/**
 * The training step's loss takes one-hot targets (probabilities): the same
 * cost as the int32-label form for MSE and for cross-entropy, in a form the
 * graph holds without a gather.
 */
function stepLoss(config: TrainConfig): (outputs: Tensor, targets: Tensor) => Tensor {
  return config.loss === 'mse' ? mseLoss : (outputs, targets) => crossEntropyLoss(outputs, targets);
}

/** Writes model.onnx and train-step.onnx into `dir` for the trained `model`; `example` is a batch of inputs and labels. */
export async function writeOnnx(
  dir: string,
  model: Module,
  config: TrainConfig,
  example: { inputs: Tensor; labels: Tensor },
): Promise<OnnxExportResult> {
  const input = example.inputs.slice(0, 0, Math.min(config.batchSize, example.inputs.shape[0] as number));
  const labels = example.labels.slice(0, 0, input.shape[0] as number);
  const t0 = performance.now();
  const modelBytes = exportOnnx(model as Module<Tensor[], unknown>, [input], {
    inputNames: ['pixels'],
    outputNames: ['scores'],
    dynamicAxes: { pixels: { 0: 'batch' }, scores: { 0: 'batch' } },
  });
  const modelMilliseconds = performance.now() - t0;
  const paths = [join(dir, MODEL_FILE)];
  await writeFile(paths[0] as string, modelBytes);
  let stepMilliseconds: number | null = null;
  let skipped: string | null = null;
  try {
    const t1 = performance.now();
    const optimizer = buildOptimizer(config, model.parameters());
    const step = exportTrainingStep(model, stepLoss(config), optimizer, {
      inputs: input,
      targets: oneHot(labels, CLASSES),
    });
    stepMilliseconds = performance.now() - t1;
    paths.push(join(dir, STEP_FILE));
    await writeFile(paths[1] as string, step);
  } catch (e) {
    if (!(e instanceof OnnxExportError)) throw e;
    skipped = e.message;
  }
  return { paths, modelMilliseconds, stepMilliseconds, skipped };
}
