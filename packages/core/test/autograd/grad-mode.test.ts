import { describe, expect, it } from 'vitest';
import { ArgumentError, enableGrad, isGradEnabled, noGrad, value } from '../../src/index';

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

  it('refuses a function returning a promise, with the mode restored first (it used to be undone silently at the first await)', async () => {
    const during: boolean[] = [];
    let caught: unknown;
    try {
      noGrad(async () => {
        during.push(isGradEnabled());
        await Promise.resolve();
        during.push(isGradEnabled());
      });
    } catch (e) {
      caught = e;
      // Checked inside the catch: the mode must be back before the throw, not after.
      expect(isGradEnabled()).toBe(true);
    }
    expect(caught).toBeInstanceOf(ArgumentError);
    expect((caught as Error).message).toMatch(/^noGrad: the function returned a promise.*wrap the synchronous part/);
    await Promise.resolve();
    expect(during).toEqual([false, true]);
  });
});
