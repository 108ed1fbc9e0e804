/**
 * Every optimizer against PyTorch: 20 steps on the fixed problems of
 * fixtures/make_fixtures.py, gradients computed by chainrule's autograd,
 * parameters compared after every step within 1e-6 relative (float64).
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@chainrule/core';
import {
  initialParams,
  lossOf,
  maxRelativeError,
  optimizerFixtures,
  valuesOf,
  type TrajectoryCase,
} from './helpers/fixtures';
import { makeOptimizer, makeScheduler } from './helpers/factories';

const RTOL = 1e-6;

function build(c: TrajectoryCase, params: Map<string, Tensor>) {
  const groups =
    c.groups === null
      ? [...params.values()]
      : c.groups.map((g) => ({ params: g.params.map((n) => params.get(n) as Tensor), ...g.options }));
  const optimizer = makeOptimizer(c.optimizer, groups, c.options);
  const scheduler = c.scheduler === null ? null : makeScheduler(c.scheduler.name, optimizer, c.scheduler.options);
  return { optimizer, scheduler };
}

/** Runs `steps` steps and returns the worst relative error against the fixture, step by step. */
function replay(
  c: TrajectoryCase,
  params: Map<string, Tensor>,
  run: ReturnType<typeof build>,
  from: number,
  to: number,
): number[] {
  const errors: number[] = [];
  for (let step = from; step < to; step++) {
    run.optimizer.zeroGrad();
    lossOf(c.problem, params).backward();
    run.optimizer.step();
    run.scheduler?.step();
    const expected = c.steps[step] as Record<string, number[]>;
    errors.push(Math.max(...[...params].map(([name, p]) => maxRelativeError(valuesOf(p), expected[name] as number[]))));
  }
  return errors;
}

describe('optimizer trajectories match PyTorch 1.13 (fixtures/optimizers.json)', () => {
  it('covers every optimizer', () => {
    const names = new Set(optimizerFixtures.cases.map((c) => c.optimizer));
    expect([...names].sort()).toEqual(['Adagrad', 'Adam', 'AdamW', 'RMSprop', 'SGD']);
  });

  for (const c of optimizerFixtures.cases) {
    it(`${c.optimizer}: ${c.name}`, () => {
      const params = initialParams(c.problem);
      const errors = replay(c, params, build(c, params), 0, c.steps.length);
      expect(errors).toHaveLength(20);
      errors.forEach((e, step) => expect(e, `step ${step + 1}`).toBeLessThan(RTOL));
    });
  }
});

describe('a state dict saved half-way resumes the same trajectory', () => {
  for (const c of optimizerFixtures.cases.filter((x) => x.scheduler === null)) {
    it(`${c.optimizer}: ${c.name}`, () => {
      const params = initialParams(c.problem);
      const first = build(c, params);
      replay(c, params, first, 0, 10);
      const saved = first.optimizer.stateDict();
      // A new optimizer over the same tensors, with fresh state, takes over.
      const second = build(c, params);
      second.optimizer.loadStateDict(saved);
      const errors = replay(c, params, second, 10, 20);
      errors.forEach((e, i) => expect(e, `step ${i + 11}`).toBeLessThan(RTOL));
    });
  }
});
