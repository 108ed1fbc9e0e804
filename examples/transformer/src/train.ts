/**
 * The training loop: each step draws a fresh batch of training problems,
 * scores the answer characters with cross-entropy (the prompt is skipped
 * through ignoreIndex) and takes one AdamW step; every `evalEvery` steps
 * the held-out problems are answered by greedy decoding and scored by exact
 * match. Training stops at `steps` or as soon as the held-out accuracy
 * reaches `stopAt`. Reporting is left to the caller's hooks.
 */
import { Generator, tensor, type Tensor } from '@chainrule/core';
import { crossEntropyLoss } from '@chainrule/nn';
import { AdamW, clipGradNorm } from '@chainrule/optim';
import { AdditionTransformer, greedyAnswers, type ModelConfig } from './model';
import { IGNORE, ProblemSet, layout, readAnswer, trainingBatch, type Layout, type Problem } from './problems';

export interface TrainConfig {
  digits: number;
  /** The most optimizer steps to take. */
  steps: number;
  /** Stop once the held-out exact-match accuracy reaches this fraction (1 = only at 100%). */
  stopAt: number;
  batchSize: number;
  /** Peak learning rate (after a linear warm-up; cosine decay to a tenth of it by `steps`). */
  lr: number;
  weightDecay: number;
  warmup: number;
  evalEvery: number;
  testSize: number;
  seed: number;
  model: Omit<ModelConfig, 'contextLength'>;
}

/** What one interval of `evalEvery` steps measured. */
export interface IntervalMetrics {
  /** Steps taken so far. */
  step: number;
  /** Mean training loss over the interval's steps (per answer character). */
  trainLoss: number;
  /** Fraction of the held-out problems answered exactly right. */
  testAccuracy: number;
  /** Wall time since training began (evaluations included). */
  elapsed: number;
  /** Wall time of the interval's training steps alone, per step. */
  secondsPerStep: number;
  /** CPU time this process used per step in the interval (user + system, all threads). */
  cpuSecondsPerStep: number;
}

export interface TrainHooks {
  onStep?(progress: { step: number; loss: number }): void;
  onInterval?(metrics: IntervalMetrics): void;
}

export interface TrainResult {
  model: AdditionTransformer;
  problems: ProblemSet;
  intervals: IntervalMetrics[];
  testAccuracy: number;
  steps: number;
}

/** The learning rate at `step` (1-based): linear warm-up to `lr`, then half a cosine down to lr / 10 at `steps`. */
export function learningRate(step: number, c: Pick<TrainConfig, 'lr' | 'warmup' | 'steps'>): number {
  if (step <= c.warmup) return (c.lr * step) / c.warmup;
  const progress = Math.min(1, (step - c.warmup) / Math.max(1, c.steps - c.warmup));
  return c.lr * (0.1 + 0.45 * (1 + Math.cos(Math.PI * progress)));
}

/** Builds the model for `config`, its weights drawn from `generator`. */
export function buildModel(config: TrainConfig, generator: Generator): AdditionTransformer {
  return new AdditionTransformer({ ...config.model, contextLength: layout(config.digits).length - 1 }, generator);
}

/** The mean cross-entropy of the answer characters of `problems`. */
export function batchLoss(model: AdditionTransformer, problems: readonly Problem[], l: Layout): Tensor {
  const { inputs, targets } = trainingBatch(problems, l);
  const width = l.length - 1;
  const logits = model.forward(tensor(inputs, { shape: [problems.length, width] }));
  return crossEntropyLoss(logits.reshape([problems.length * width, -1]), tensor(targets), { ignoreIndex: IGNORE });
}

/** The fraction of `problems` whose greedy answer is exactly the sum, and the answers as written. */
export function exactMatch(
  model: AdditionTransformer,
  problems: readonly Problem[],
  l: Layout,
): { accuracy: number; answers: string[] } {
  const answers = greedyAnswers(model, problems, l);
  const right = answers.filter((text, i) => {
    const p = problems[i] as Problem;
    return readAnswer(text, l.digits) === p.a + p.b;
  }).length;
  return { accuracy: right / Math.max(1, problems.length), answers };
}

/**
 * Trains a fresh model. All randomness (the split, the initial weights, the
 * batches) comes from one Generator seeded with `config.seed`, so the same
 * config gives the same run.
 */
export function train(config: TrainConfig, hooks: TrainHooks = {}): TrainResult {
  const generator = new Generator(config.seed);
  const problems = new ProblemSet(config.digits, config.testSize, generator);
  const l = problems.layout;
  const model = buildModel(config, generator);
  const optimizer = new AdamW(model.parameters(), { lr: config.lr, weightDecay: config.weightDecay });
  const intervals: IntervalMetrics[] = [];
  const started = performance.now();
  let intervalStart = performance.now();
  let cpuStart = process.cpuUsage();
  let lossSum = 0;
  let count = 0;
  let step = 0;
  while (step < config.steps) {
    step++;
    optimizer.setLr(learningRate(step, config));
    const loss = batchLoss(model, problems.sample(config.batchSize, generator), l);
    const value = loss.item();
    if (!Number.isFinite(value)) throw new DivergedError(step, config.lr);
    optimizer.zeroGrad();
    loss.backward();
    // Keeps the early, large-gradient steps of a high learning rate from throwing the run off.
    clipGradNorm(model.parameters(), 1);
    optimizer.step();
    lossSum += value;
    count++;
    hooks.onStep?.({ step, loss: value });
    if (step % config.evalEvery !== 0 && step !== config.steps) continue;
    const trainSeconds = (performance.now() - intervalStart) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    const { accuracy } = exactMatch(model, problems.test, l);
    const metrics: IntervalMetrics = {
      step,
      trainLoss: lossSum / count,
      testAccuracy: accuracy,
      elapsed: (performance.now() - started) / 1000,
      secondsPerStep: trainSeconds / count,
      cpuSecondsPerStep: (cpu.user + cpu.system) / 1e6 / count,
    };
    intervals.push(metrics);
    hooks.onInterval?.(metrics);
    if (accuracy >= config.stopAt) break;
    lossSum = 0;
    count = 0;
    intervalStart = performance.now();
    cpuStart = process.cpuUsage();
  }
  return { model, problems, intervals, testAccuracy: intervals.at(-1)?.testAccuracy ?? 0, steps: step };
}

/** The loss became NaN or infinite: the learning rate is too large for these settings. */
export class DivergedError extends Error {
  constructor(step: number, lr: number) {
    super(`training diverged at step ${step} (the loss is no longer finite); try a smaller --lr than ${lr}`);
    this.name = 'DivergedError';
  }
}
