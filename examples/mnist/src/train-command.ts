/** `mnist train`: the flags become a TrainConfig, the run is printed and saved. */
import { Generator, getBackend, ready } from '@chainrule/core';
import {
  defaultLr,
  defaultWeightDecay,
  modelDefaults,
  TOTAL_SAMPLES,
  type ActivationChoice,
  type LossChoice,
  type ModelChoice,
  type OptimizerChoice,
  type TrainConfig,
} from './config';
import { prepare, splitIndices } from './data';
import { loadDigits } from './digits';
import { runMetrics, writeRun } from './files';
import { describeNetwork } from './model';
import { confusionTable, lossChart, percent, terminalHooks } from './terminal';
import { train } from './train';
import { STEP_FILE, writeOnnx } from './export-onnx';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The flags as commander parsed them; those whose default depends on the
 * model are absent unless given on the command line.
 */
export interface TrainFlags {
  model: ModelChoice;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  hidden?: number[];
  activation?: ActivationChoice;
  loss?: LossChoice;
  optimizer?: OptimizerChoice;
  momentum: number;
  weightDecay?: number;
  seed: number;
  trainSize: number;
  testSize: number;
  out: string;
  progress: boolean;
  /** Write model.onnx and train-step.onnx beside the weights. */
  exportOnnx?: boolean;
}

/** Fills in the defaults that depend on other flags and checks the flags against each other. */
export function configFrom(flags: TrainFlags): TrainConfig | string {
  if (flags.trainSize + flags.testSize > TOTAL_SAMPLES) {
    return `--train-size ${flags.trainSize} and --test-size ${flags.testSize} add up to more than the ${TOTAL_SAMPLES} digits there are`;
  }
  const defaults = modelDefaults(flags.model);
  const optimizer = flags.optimizer ?? defaults.optimizer;
  const loss = flags.loss ?? defaults.loss;
  return {
    model: flags.model,
    epochs: flags.epochs ?? defaults.epochs,
    batchSize: flags.batchSize ?? defaults.batchSize,
    lr: flags.lr ?? defaultLr(optimizer, loss),
    hidden: flags.hidden ?? defaults.hidden,
    activation: flags.activation ?? defaults.activation,
    loss,
    optimizer,
    momentum: flags.momentum,
    weightDecay: flags.weightDecay ?? defaultWeightDecay(optimizer),
    seed: flags.seed,
    trainSize: flags.trainSize,
    testSize: flags.testSize,
  };
}

/** One line naming every setting of the run. */
export function describeRun(c: TrainConfig): string {
  const optimizer = [`${c.optimizer} lr ${c.lr}`];
  if (c.optimizer === 'momentum' || c.optimizer === 'nesterov') optimizer.push(`momentum ${c.momentum}`);
  if (c.weightDecay > 0) optimizer.push(`weight decay ${c.weightDecay}`);
  return `${describeNetwork(c)}, ${c.loss}, ${optimizer.join(' ')}, batch ${c.batchSize}, ${plural(c.epochs, 'epoch')}, seed ${c.seed}`;
}

export async function trainCommand(flags: TrainFlags, fail: (message: string) => never): Promise<void> {
  const config = configFrom(flags);
  if (typeof config === 'string') fail(config);
  const print = (line = ''): void => console.log(line);
  // The WebAssembly kernels load on demand: have them from the first step.
  await ready();
  const started = performance.now();
  const cpuStarted = process.cpuUsage();

  print(`chainrule MNIST: ${describeRun(config)}`);
  const generator = new Generator(config.seed);
  const digits = loadDigits();
  const data = prepare(
    digits,
    splitIndices(digits.labels.shape[0] as number, config.trainSize, config.testSize, generator),
  );
  print(
    `${config.trainSize.toLocaleString('en-US')} training and ${config.testSize.toLocaleString('en-US')} test digits, ${getBackend()} kernels`,
  );
  print();

  const result = train(config, data, generator, terminalHooks(config.epochs, { progress: flags.progress, print }));
  const totalSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  print();
  print(
    `test accuracy ${percent(result.testAccuracy)} after ${plural(config.epochs, 'epoch')} (${totalSeconds.toFixed(1)} s in all)`,
  );
  print();
  print(lossChart(result.epochs));
  print();
  print(confusionTable(result.confusion));
  print();
  const paths = await writeRun(
    flags.out,
    result.model,
    runMetrics(config, result, { totalSeconds, cpuSeconds }),
    `MNIST, ${describeRun(config)}`,
  );
  print(`wrote ${paths.join(', ')}`);
  if (flags.exportOnnx === true) {
    const onnx = await writeOnnx(flags.out, result.model, config, data.test);
    const step = onnx.stepMilliseconds === null ? '' : `, training step in ${onnx.stepMilliseconds.toFixed(0)} ms`;
    print(`exported ONNX: model in ${onnx.modelMilliseconds.toFixed(0)} ms${step}; wrote ${onnx.paths.join(', ')}`);
    if (onnx.skipped !== null) print(`no ${STEP_FILE}: ${onnx.skipped}`);
  }
}
