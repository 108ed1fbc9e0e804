/**
 * View 6's network: the weights `pnpm demo` saved (examples/mnist), rebuilt
 * from the settings the demo stores in the file's metadata, and the input
 * scaling the demo trained with. The demo scales its inputs with a
 * MinMaxScaler fitted on its training split; the file does not hold the
 * scaler, so it is fitted again exactly as `mnist evaluate` does: the same
 * digits, the same seed, the same split. No DOM: tested in Node.
 */
import { ArgumentError, noGrad, softmax, tensor } from '@chainrule/core';
import { loadSafetensors, readSafetensorsHeader, type MinMaxScaler, type Sequential } from '@chainrule/nn';
import type { TrainConfig } from '../../../mnist/src/config';
import { describeNetwork, buildModel } from '../../../mnist/src/model';

/** The metadata key examples/mnist/src/files.ts writes the run's settings under. */
export const DEMO_CONFIG_KEY = 'chainrule.mnist.config';

/** A network the demo trained, ready to classify. */
export interface DemoModel {
  model: Sequential;
  config: TrainConfig;
  /** E.g. "784-64-10 sigmoid, mse, 3 epochs, seed 0". */
  description: string;
}

/**
 * Reads a `model.safetensors` written by `pnpm demo`: the settings from its
 * metadata decide the layers, and every tensor of the file must fit them.
 *
 * @throws ArgumentError when the file is not a safetensors file, holds no
 * demo settings, or its tensors do not match the layers the settings describe.
 */
export function readDemoModel(bytes: Uint8Array): DemoModel {
  let metadata: Record<string, string>;
  try {
    metadata = readSafetensorsHeader(bytes).metadata;
  } catch (e) {
    throw new ArgumentError('readDemoModel', `the file is not a safetensors file (${(e as Error).message})`);
  }
  const text = metadata[DEMO_CONFIG_KEY];
  if (text === undefined)
    throw new ArgumentError(
      'readDemoModel',
      `the file holds no '${DEMO_CONFIG_KEY}' metadata: expected a model.safetensors written by \`pnpm demo\``,
    );
  const config = parseConfig(text);
  const model = buildModel(config);
  try {
    model.loadStateDict(loadSafetensors(bytes));
  } catch (e) {
    throw new ArgumentError(
      'readDemoModel',
      `the file's tensors do not fit the network its settings describe (${describeNetwork(config)}): ${(e as Error).message}`,
    );
  }
  model.eval();
  const description = `${describeNetwork(config)}, ${config.loss}, ${config.epochs} epoch${config.epochs === 1 ? '' : 's'}, seed ${config.seed}`;
  return { model, config, description };
}

function parseConfig(text: string): TrainConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ArgumentError('readDemoModel', `the '${DEMO_CONFIG_KEY}' metadata is not JSON`);
  }
  const c = raw as Partial<TrainConfig> | null;
  const ok =
    c !== null &&
    typeof c === 'object' &&
    (c.model === undefined || c.model === 'mlp' || c.model === 'cnn') &&
    Array.isArray(c.hidden) &&
    c.hidden.every((n) => Number.isInteger(n) && n >= 1 && n <= 4096) &&
    ['sigmoid', 'relu', 'tanh'].includes(String(c.activation)) &&
    ['mse', 'cross-entropy'].includes(String(c.loss)) &&
    [c.seed, c.trainSize, c.testSize, c.epochs].every((n) => Number.isSafeInteger(n));
  if (!ok)
    throw new ArgumentError(
      'readDemoModel',
      `the '${DEMO_CONFIG_KEY}' metadata lacks settings the network needs (model, hidden, activation, loss, seed, trainSize, testSize, epochs)`,
    );
  // Files written before the CNN existed hold an MLP and do not say so.
  return { ...(c as TrainConfig), model: c.model ?? 'mlp' };
}

/**
 * The network's answer for one 28 × 28 digit (784 values in [0, 1], before
 * scaling): with cross-entropy, the softmax of its outputs; with the MSE
 * cost the ten sigmoid outputs are independent, so they are divided by
 * their sum to be shown as shares of one.
 */
export function classify(demo: DemoModel, scaler: MinMaxScaler, pixels: Float32Array): Float32Array {
  if (pixels.length !== 784) throw new ArgumentError('classify', `expected 784 pixels (28 × 28), got ${pixels.length}`);
  return noGrad(() => {
    const out = demo.model.forward(scaler.transform(tensor(pixels, { shape: [1, 784] })));
    const p = demo.config.loss === 'cross-entropy' ? softmax(out, 1) : out.div(out.sum());
    return Float32Array.from(p.data());
  });
}
