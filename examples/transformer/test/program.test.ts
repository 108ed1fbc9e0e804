/** The flags become a run's settings: the defaults that depend on --digits, and the checks between flags. */
import { describe, expect, it } from 'vitest';
import { configFrom, defaultSteps, type Flags } from '../src/program';

const flags: Flags = {
  digits: 2,
  stopAt: 0.99,
  batchSize: 64,
  lr: 3e-3,
  weightDecay: 0.01,
  warmup: 100,
  dModel: 64,
  heads: 4,
  layers: 2,
  evalEvery: 250,
  samples: 8,
  seed: 0,
  out: 'runs/transformer',
  progress: true,
};

describe('configFrom', () => {
  it('fills in the steps and the held-out size from --digits', () => {
    expect(configFrom(flags)).toMatchObject({ digits: 2, steps: 3000, testSize: 1000 });
    expect(configFrom({ ...flags, digits: 3 })).toMatchObject({ steps: 6000, testSize: 1000 });
    // 1 digit: 100 problems, so half of them are held out.
    expect(configFrom({ ...flags, digits: 1 })).toMatchObject({ steps: 3000, testSize: 50 });
    expect(configFrom({ ...flags, steps: 10, testSize: 20 })).toMatchObject({ steps: 10, testSize: 20 });
    expect([1, 2, 3, 4].map(defaultSteps)).toEqual([3000, 3000, 6000, 9000]);
  });

  it('gives the feed-forward block four times the width', () => {
    expect(configFrom({ ...flags, dModel: 32 })).toMatchObject({
      model: { dModel: 32, heads: 4, layers: 2, feedforward: 128 },
    });
  });

  it('says what is wrong with flags that do not fit together', () => {
    expect(configFrom({ ...flags, dModel: 30 })).toBe('--d-model 30 is not divisible by --heads 4');
    expect(configFrom({ ...flags, digits: 1, testSize: 60 })).toBe(
      '--test-size 60 is more than half of the 100 1-digit problems there are',
    );
  });
});
