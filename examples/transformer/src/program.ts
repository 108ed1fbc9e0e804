/**
 * The command line of the transformer example: its flags, help text, the
 * run's printout and the files it writes (cli.ts runs it).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { getBackend, ready, tensor } from '@chainrule/core';
import { save } from '@chainrule/nn/node';
import { Command, Option } from 'commander';
import { digitCount, fraction, nonNegativeInteger, nonNegativeNumber, positiveInteger, positiveNumber } from './parse';
import { encode, problemText, readAnswer, type Problem } from './problems';
import { attentionSvg } from './svg';
import { percent, terminalHooks } from './terminal';
import { exactMatch, train, type TrainConfig, type TrainResult } from './train';

const DEFAULT_OUT = 'runs/transformer';

/** The most steps by default: enough for 2 digits with room to spare; more digits need more. */
export function defaultSteps(digits: number): number {
  return digits <= 2 ? 3000 : 3000 * (digits - 1);
}

/** The flags as commander parsed them. */
export interface Flags {
  digits: number;
  steps?: number;
  stopAt: number;
  batchSize: number;
  lr: number;
  weightDecay: number;
  warmup: number;
  dModel: number;
  heads: number;
  layers: number;
  evalEvery: number;
  testSize?: number;
  samples: number;
  seed: number;
  out: string;
  progress: boolean;
}

export function configFrom(flags: Flags): TrainConfig | string {
  if (flags.dModel % flags.heads !== 0) return `--d-model ${flags.dModel} is not divisible by --heads ${flags.heads}`;
  const problems = 10 ** (2 * flags.digits);
  // 1,000, or half of the problems where there are fewer than 2,000 (1 digit: 50 of 100).
  const testSize = flags.testSize ?? Math.min(1000, problems / 2);
  if (testSize > problems / 2)
    return `--test-size ${testSize} is more than half of the ${problems} ${flags.digits}-digit problems there are`;
  return {
    digits: flags.digits,
    steps: flags.steps ?? defaultSteps(flags.digits),
    stopAt: flags.stopAt,
    batchSize: flags.batchSize,
    lr: flags.lr,
    weightDecay: flags.weightDecay,
    warmup: flags.warmup,
    evalEvery: flags.evalEvery,
    testSize,
    seed: flags.seed,
    model: { dModel: flags.dModel, heads: flags.heads, layers: flags.layers, feedforward: 4 * flags.dModel },
  };
}

export function describeRun(c: TrainConfig): string {
  const m = c.model;
  return (
    `${c.digits}-digit addition, ${m.layers} layers × ${m.heads} heads, dModel ${m.dModel}, feed-forward ${m.feedforward}, ` +
    `AdamW lr ${c.lr} weight decay ${c.weightDecay}, batch ${c.batchSize}, at most ${c.steps} steps, seed ${c.seed}`
  );
}

export interface ProgramIo {
  writeOut?: (text: string) => void;
  writeErr?: (text: string) => void;
  exitOverride?: boolean;
}

export function program(io: ProgramIo = {}): Command {
  const root = new Command('transformer')
    .description(
      'Train a small character-level transformer (GPT-style: causal self-attention, pre-LayerNorm, GELU) ' +
        'to add two numbers written as text, e.g. "37+85=221" with the sum written backwards, on generated problems; ' +
        'held-out problems are answered by greedy decoding and scored by exact match.',
    )
    .showSuggestionAfterError(true)
    .configureOutput({
      ...(io.writeOut === undefined ? {} : { writeOut: io.writeOut }),
      ...(io.writeErr === undefined ? {} : { writeErr: io.writeErr }),
      outputError: (text, write) => write(`${text.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`),
    });
  if (io.exitOverride === true) root.exitOverride();
  root
    .addOption(new Option('--digits <n>', 'digits per operand (1 to 5)').argParser(digitCount).default(2))
    .addOption(
      new Option(
        '--steps <n>',
        'the most optimizer steps [default: 3000 for 2 digits, 3000 × (digits − 1) above]',
      ).argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--stop-at <fraction>',
        'stop once the held-out exact-match accuracy reaches this (1: train all steps unless perfect)',
      )
        .argParser(fraction)
        .default(0.99),
    )
    .addOption(new Option('-b, --batch-size <n>', 'problems per step').argParser(positiveInteger).default(64))
    .addOption(new Option('--lr <rate>', 'peak learning rate of AdamW').argParser(positiveNumber).default(3e-3))
    .addOption(new Option('--weight-decay <wd>', 'AdamW weight decay').argParser(nonNegativeNumber).default(0.01))
    .addOption(
      new Option('--warmup <n>', 'steps of linear learning-rate warm-up').argParser(positiveInteger).default(100),
    )
    .addOption(new Option('--d-model <n>', 'embedding width').argParser(positiveInteger).default(64))
    .addOption(new Option('--heads <n>', 'attention heads per layer').argParser(positiveInteger).default(4))
    .addOption(new Option('--layers <n>', 'transformer blocks').argParser(positiveInteger).default(2))
    .addOption(
      new Option('--eval-every <n>', 'steps between held-out evaluations (one printed line each)')
        .argParser(positiveInteger)
        .default(250),
    )
    .addOption(
      new Option('--test-size <n>', 'held-out problems, never trained on [default: 1000; 50 for 1 digit]').argParser(
        positiveInteger,
      ),
    )
    .addOption(
      new Option('--samples <n>', 'held-out answers to print at the end').argParser(nonNegativeInteger).default(8),
    )
    .addOption(
      new Option('--seed <n>', 'seeds the held-out split, the initial weights and the batches')
        .argParser(nonNegativeInteger)
        .default(0),
    )
    .addOption(
      new Option('-o, --out <dir>', 'folder for model.safetensors, metrics.json and attention.svg').default(
        DEFAULT_OUT,
      ),
    )
    .addOption(new Option('--no-progress', 'no live step counter (it is shown only on a terminal anyway)'))
    .addHelpText(
      'after',
      `
Examples:
  $ transformer                         2-digit addition until 99% of the held-out problems are right
  $ transformer --digits 3              3-digit addition (longer)
  $ transformer --steps 200 --out /tmp/run

The same --seed gives the same losses and accuracies on every run.`,
    )
    .action(async (flags: Flags) => {
      const config = configFrom(flags);
      if (typeof config === 'string') return root.error(`error: ${config}`);
      await run(config, flags);
    });
  return root;
}

async function run(config: TrainConfig, flags: Flags): Promise<void> {
  const print = (line = ''): void => console.log(line);
  // The WebAssembly kernels load on demand: have them from the first step.
  await ready();
  const started = performance.now();
  const load = loadavg()[0] ?? 0;
  print(`chainrule transformer: ${describeRun(config)}`);
  print(
    `${getBackend()} kernels, ${cpus().length} cores, load average ${load.toFixed(1)} at the start; ` +
      `stops at ${percent(config.stopAt)} held-out exact match`,
  );
  print();
  const result = train(config, terminalHooks(config.steps, { progress: flags.progress, print }));
  const totalSeconds = (performance.now() - started) / 1000;
  print();
  const reached = result.testAccuracy >= config.stopAt ? 'reached' : 'did not reach';
  print(
    `held-out exact match ${percent(result.testAccuracy)} after ${result.steps} steps (${totalSeconds.toFixed(1)} s in all; ${reached} ${percent(config.stopAt)})`,
  );
  print();
  const shown = sampleAnswers(result, flags.samples);
  if (shown.length > 0) {
    print('some held-out problems, answered by greedy decoding:');
    for (const line of shown) print(`  ${line}`);
    print();
  }
  const paths = await writeRun(flags.out, config, result, totalSeconds, load);
  print(`wrote ${paths.join(', ')}`);
}

/** "37+85=122  (written 221) ✓" for the first `n` held-out problems. */
export function sampleAnswers(result: TrainResult, n: number): string[] {
  const l = result.problems.layout;
  const problems = result.problems.test.slice(0, n);
  const { answers } = exactMatch(result.model, problems, l);
  return problems.map((p, i) => {
    const written = answers[i] as string;
    const value = readAnswer(written, l.digits);
    const shownValue = value === null ? `"${written}"` : String(value);
    const mark = value === p.a + p.b ? '✓' : `✗ (${p.a + p.b})`;
    return `${p.a}+${p.b}=${shownValue}  (written ${written}) ${mark}`;
  });
}

/** The attention maps of `problem` (its text without the last character, which is never read), as numbers. */
export function attentionOf(result: TrainResult, problem: Problem): { text: string; maps: number[][][][] } {
  const l = result.problems.layout;
  const text = problemText(problem, l.digits).slice(0, -1);
  const maps = result.model.attentionMaps(tensor(Int32Array.from(encode(text)), { shape: [1, text.length] }));
  return { text, maps: maps.map((m) => m.toArray() as number[][][]) };
}

async function writeRun(
  dir: string,
  config: TrainConfig,
  result: TrainResult,
  totalSeconds: number,
  load: number,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths = ['model.safetensors', 'metrics.json', 'attention.svg'].map((f) => join(dir, f));
  const [weights, metricsPath, svgPath] = paths as [string, string, string];
  await save(result.model, weights, { metadata: { 'chainrule.transformer.config': JSON.stringify(config) } });
  const metrics = {
    config,
    intervals: result.intervals,
    steps: result.steps,
    finalTestAccuracy: result.testAccuracy,
    totalSeconds,
    loadAverageAtStart: load,
    backend: getBackend(),
    node: process.version,
    samples: sampleAnswers(result, 8),
  };
  await writeFile(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  const problem = result.problems.test[0] as Problem;
  const { text, maps } = attentionOf(result, problem);
  await writeFile(
    svgPath,
    attentionSvg(
      maps,
      text,
      `attention while writing ${problem.a}+${problem.b} (text "${text}", sum written backwards)`,
    ),
  );
  return paths;
}
