/**
 * FC_SEED: the seed fast-check prints for a failing property, set in the
 * environment, replays that run (vitest.setup.ts applies it to every project).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '../../src/index';
import { propertySeed } from '../../src/testing/properties';

describe('propertySeed', () => {
  it('reads the integers fast-check prints, negative ones included', () => {
    expect(propertySeed('123')).toBe(123);
    expect(propertySeed('-1819918769')).toBe(-1819918769);
    expect(propertySeed(' 7 ')).toBe(7);
  });

  it('is undefined when the variable is unset or empty, so each run draws a fresh seed', () => {
    expect(propertySeed(undefined)).toBeUndefined();
    expect(propertySeed('')).toBeUndefined();
  });

  it('rejects text that is not a 32-bit integer, naming the variable', () => {
    for (const text of ['abc', '1.5', '1e20', 'NaN']) {
      expect(() => propertySeed(text)).toThrow(ArgumentError);
      expect(() => propertySeed(text)).toThrow(/FC_SEED must be an integer/);
    }
  });
});

describe('the setup file', () => {
  it('gives fast-check the seed in FC_SEED (run `FC_SEED=123 pnpm test` to see it used)', () => {
    const fromEnvironment = process.env['FC_SEED'];
    expect(fc.readConfigureGlobal().seed).toBe(propertySeed(fromEnvironment));
  });

  it('a seed replays the same values, which is what makes FC_SEED reproduce a failure', () => {
    const draw = () => fc.sample(fc.double(), { seed: -1819918769, numRuns: 5 });
    expect(draw()).toEqual(draw());
    expect(fc.sample(fc.double(), { seed: 1, numRuns: 5 })).not.toEqual(draw());
  });
});
