import { describe, expect, it } from 'vitest';
import { enableGrad, isGradEnabled, noGrad, value } from '../../src/index';

describe('grad mode', () => {
  it('is on by default and off inside noGrad', () => {
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => isGradEnabled())).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });

  it('nests: enableGrad inside noGrad records, and each level restores the one outside it', () => {
    const seen: boolean[] = [];
    noGrad(() => {
      seen.push(isGradEnabled());
      enableGrad(() => {
        seen.push(isGradEnabled());
        noGrad(() => seen.push(isGradEnabled()));
        seen.push(isGradEnabled());
      });
      seen.push(isGradEnabled());
    });
    expect(seen).toEqual([false, true, false, true, false]);
  });

  it('is restored when the function throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(() =>
        enableGrad(() => {
          throw new Error('inner');
        }),
      ).toThrow('inner');
      expect(isGradEnabled()).toBe(false);
    });
  });

  it('returns the function result', () => {
    expect(noGrad(() => 42)).toBe(42);
  });

  it('enableGrad inside noGrad records a graph of Values', () => {
    const a = value(3);
    const out = noGrad(() => enableGrad(() => a.mul(a)));
    out.backward();
    expect(a.grad).toBe(6);
  });

  it('is restored after a returned promise is created, not when it settles (documented)', async () => {
    const during: boolean[] = [];
    const promise = noGrad(async () => {
      during.push(isGradEnabled());
      await Promise.resolve();
      during.push(isGradEnabled());
    });
    await promise;
    expect(during).toEqual([false, true]);
  });
});
