/**
 * Scheduler lr sequences against PyTorch 1.13 (fixtures/schedulers.json,
 * from fixtures/make_fixtures.py): an SGD with two groups (lr 0.1 and 0.02),
 * optimizer.step() then scheduler.step() once per epoch.
 */
import { describe, expect, it } from 'vitest';
import { zeros } from '@chainrule/core';
import { ReduceLROnPlateau, SGD } from '../src/index';
import { makeScheduler } from './helpers/factories';
import { maxRelativeError, schedulerFixtures } from './helpers/fixtures';

// The rules are a few float operations per epoch (and Math.cos against
// Python's math.cos): far tighter than the optimizers' 1e-6.
const RTOL = 1e-12;

function twoGroups(): SGD {
  const [lr0, lr1] = schedulerFixtures.initialLrs as [number, number];
  const a = zeros([1], { dtype: 'float64', requiresGrad: true });
  const b = zeros([1], { dtype: 'float64', requiresGrad: true });
  return new SGD(
    [
      { params: [a], lr: lr0 },
      { params: [b], lr: lr1 },
    ],
    { lr: lr0 },
  );
}

function lrsOf(optimizer: SGD): number[] {
  return optimizer.paramGroups.map((g) => g.lr);
}

describe('epoch schedulers match PyTorch', () => {
  it('covers every scheduler', () => {
    const names = new Set(schedulerFixtures.schedules.flatMap((c) => c.chain.map((s) => s.name)));
    expect([...names].sort()).toEqual(['CosineAnnealingLR', 'ExponentialLR', 'LinearLR', 'MultiStepLR', 'StepLR']);
  });

  for (const c of schedulerFixtures.schedules) {
    it(c.name, () => {
      const optimizer = twoGroups();
      const schedulers = c.chain.map((s) => makeScheduler(s.name, optimizer, s.options));
      const seen = [lrsOf(optimizer)];
      for (let epoch = 1; epoch <= schedulerFixtures.epochs; epoch++) {
        const byHand = c.byHand[String(epoch)];
        byHand?.forEach((lr, i) => optimizer.setLr(lr, i));
        optimizer.step();
        for (const s of schedulers) s.step();
        seen.push(lrsOf(optimizer));
        expect((schedulers.at(-1) as (typeof schedulers)[number]).getLastLr()).toEqual(lrsOf(optimizer));
      }
      expect(seen).toHaveLength(c.lrs.length);
      seen.forEach((lrs, epoch) =>
        expect(maxRelativeError(lrs, c.lrs[epoch] as number[]), `epoch ${epoch}`).toBeLessThan(RTOL),
      );
    });
  }
});

describe('ReduceLROnPlateau matches PyTorch', () => {
  for (const c of schedulerFixtures.plateaus) {
    it(c.name, () => {
      const optimizer = twoGroups();
      const scheduler = new ReduceLROnPlateau(optimizer, c.options);
      const seen = [lrsOf(optimizer)];
      for (const metric of c.metrics) {
        optimizer.step();
        scheduler.step(metric);
        seen.push(lrsOf(optimizer));
        expect(scheduler.getLastLr()).toEqual(lrsOf(optimizer));
      }
      expect(seen).toHaveLength(c.lrs.length);
      seen.forEach((lrs, epoch) =>
        expect(maxRelativeError(lrs, c.lrs[epoch] as number[]), `epoch ${epoch}`).toBeLessThan(RTOL),
      );
    });
  }
});
