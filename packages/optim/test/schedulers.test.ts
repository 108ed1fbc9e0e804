/**
 * Scheduler behaviour beyond the PyTorch sequences: argument checks, what
 * construction does to the groups, and resuming from state dicts (checked
 * against the same fixtures).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor } from '@chainrule/core';
import { CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, ReduceLROnPlateau, SGD, StepLR } from '../src/index';
import { maxRelativeError, schedulerFixtures } from './helpers/fixtures';

function sgd(lrs: number[] = schedulerFixtures.initialLrs): SGD {
  return new SGD(
    lrs.map((lr) => ({ params: [tensor([0], { requiresGrad: true })], lr })),
    { lr: lrs[0] as number },
  );
}

function fixture<T extends { name: string }>(list: T[], name: string): T {
  const found = list.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no fixture ${name}`);
  return found;
}

describe('construction', () => {
  it('refuses bad settings with typed errors naming the scheduler and option', () => {
    const opt = sgd();
    const cases: [() => unknown, RegExp][] = [
      [() => new StepLR(opt, { stepSize: 0 }), /^StepLR: option 'stepSize' must be an integer ≥ 1, got 0/],
      [() => new StepLR(opt, { stepSize: 2.5 }), /^StepLR: option 'stepSize' must be an integer ≥ 1, got 2.5/],
      [
        () => new StepLR(opt, { stepSize: 2, gamma: -0.1 }),
        /^StepLR: option 'gamma' must be a finite number > 0, got -0.1/,
      ],
      [() => new StepLR(opt, {} as never), /^StepLR: option 'stepSize' is required/],
      [
        () => new MultiStepLR(opt, { milestones: [1.5] }),
        /^MultiStepLR: option 'milestones' must be an array of integers ≥ 0, got \[1.5\]/,
      ],
      [
        () => new ExponentialLR(opt, { gamma: NaN }),
        /^ExponentialLR: option 'gamma' must be a finite number > 0, got NaN/,
      ],
      [
        () => new CosineAnnealingLR(opt, { tMax: 0 }),
        /^CosineAnnealingLR: option 'tMax' must be an integer ≥ 1, got 0/,
      ],
      [
        () => new CosineAnnealingLR(opt, { tMax: 5, etaMin: -1 }),
        /option 'etaMin' must be a finite number ≥ 0, got -1/,
      ],
      [
        () => new LinearLR(opt, { startFactor: 0 }),
        /^LinearLR: option 'startFactor' must be a number in \(0, 1\], got 0/,
      ],
      [
        () => new LinearLR(opt, { endFactor: 1.5 }),
        /^LinearLR: option 'endFactor' must be a number in \[0, 1\], got 1.5/,
      ],
      [() => new LinearLR(opt, { totalIters: 0 }), /option 'totalIters' must be an integer ≥ 1, got 0/],
      [
        () => new ReduceLROnPlateau(opt, { mode: 'avg' as 'min' }),
        /^ReduceLROnPlateau: option 'mode' must be "min" or "max", got "avg"/,
      ],
      [() => new ReduceLROnPlateau(opt, { factor: 1 }), /option 'factor' must be a number in \[0, 1\), got 1/],
      [() => new ReduceLROnPlateau(opt, { patience: -1 }), /option 'patience' must be an integer ≥ 0, got -1/],
      [
        () => new ReduceLROnPlateau(opt, { thresholdMode: 'pct' as 'rel' }),
        /option 'thresholdMode' must be "rel" or "abs"/,
      ],
      [
        () => new ReduceLROnPlateau(opt, { minLr: [0.1] }),
        /minLr has 1 values, but the optimizer has 2 parameter groups/,
      ],
      [
        () => new StepLR({ paramGroups: [] } as never, { stepSize: 1 }),
        /^StepLR: expected an Optimizer \(SGD, Adam, \.\.\.\) as the first argument/,
      ],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(ArgumentError);
      expect(make).toThrow(message);
    }
    // Refused schedulers leave the groups alone.
    expect(opt.paramGroups.map((g) => [g.lr, g.initialLr])).toEqual([
      [0.1, undefined],
      [0.02, undefined],
    ]);
  });

  it('records initialLr once, so a second scheduler starts from the same base', () => {
    const opt = sgd([0.1]);
    new StepLR(opt, { stepSize: 1, gamma: 0.5 }).step();
    const cosine = new CosineAnnealingLR(opt, { tMax: 4 });
    expect(opt.paramGroups[0]?.initialLr).toBe(0.1);
    expect(cosine.baseLrs).toEqual([0.1]);
  });

  it('sets epoch 0 on construction (LinearLR already scales the lr)', () => {
    const opt = sgd([0.3]);
    const warmup = new LinearLR(opt, { startFactor: 0.5 });
    expect(warmup.lastEpoch).toBe(0);
    expect(opt.paramGroups[0]?.lr).toBe(0.15);
    expect(warmup.getLastLr()).toEqual([0.15]);
  });

  it('returns a copy from getLastLr', () => {
    const scheduler = new ExponentialLR(sgd(), { gamma: 0.5 });
    scheduler.getLastLr().push(1);
    expect(scheduler.getLastLr()).toHaveLength(2);
  });

  it('refuses a metric that is not a number', () => {
    const scheduler = new ReduceLROnPlateau(sgd());
    expect(() => scheduler.step('0.5' as never)).toThrow(
      /^ReduceLROnPlateau.step: the metric must be a number, got "0.5"/,
    );
  });
});

describe('resuming from state dicts follows the PyTorch sequence', () => {
  it('CosineAnnealingLR (the optimizer and the scheduler saved at epoch 12)', () => {
    const c = fixture(schedulerFixtures.schedules, 'CosineAnnealingLR etaMin, past tMax');
    const options = c.chain[0]?.options as { tMax: number; etaMin: number };
    const first = sgd();
    const s1 = new CosineAnnealingLR(first, options);
    for (let e = 0; e < 12; e++) s1.step();
    const saved = { optimizer: first.stateDict(), scheduler: s1.stateDict() };
    // As in PyTorch: a new scheduler (which steps once at construction),
    // then both state dicts.
    const second = sgd();
    const s2 = new CosineAnnealingLR(second, { tMax: 1 });
    second.loadStateDict(saved.optimizer);
    s2.loadStateDict(saved.scheduler);
    for (let e = 13; e <= schedulerFixtures.epochs; e++) {
      s2.step();
      expect(
        maxRelativeError(
          second.paramGroups.map((g) => g.lr),
          c.lrs[e] as number[],
        ),
        `epoch ${e}`,
      ).toBeLessThan(1e-12);
    }
  });

  it('ReduceLROnPlateau (saved in the middle of a cooldown)', () => {
    const c = fixture(schedulerFixtures.plateaus, 'min abs + cooldown');
    const first = sgd();
    const s1 = new ReduceLROnPlateau(first, c.options);
    c.metrics.slice(0, 9).forEach((m) => s1.step(m));
    const second = sgd();
    const s2 = new ReduceLROnPlateau(second);
    second.loadStateDict(first.stateDict());
    s2.loadStateDict(s1.stateDict());
    c.metrics.slice(9).forEach((m, i) => {
      s2.step(m);
      expect(
        second.paramGroups.map((g) => g.lr),
        `epoch ${i + 10}`,
      ).toEqual(c.lrs[i + 10]);
    });
  });
});
