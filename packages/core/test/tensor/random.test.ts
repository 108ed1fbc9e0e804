/**
 * Random creators: manualSeed makes runs reproducible, a Generator is an
 * independent stream, and the samples have the range and moments they should.
 */
import { describe, expect, it } from 'vitest';
import {
  DTypeError,
  Generator,
  manualSeed,
  rand,
  randLike,
  randn,
  randnLike,
  randperm,
  tensor,
  zeros,
} from '../../src/index';

describe('manualSeed and Generator', () => {
  it('manualSeed(n) replays the same rand and randn values', () => {
    manualSeed(42);
    const a = [rand([3]).toArray(), randn([2, 2]).toArray()];
    manualSeed(42);
    const b = [rand([3]).toArray(), randn([2, 2]).toArray()];
    expect(b).toEqual(a);
    manualSeed(43);
    expect(rand([3]).toArray()).not.toEqual(a[0]);
  });

  it('two generators with one seed give one stream, whatever the global stream does in between', () => {
    const g1 = new Generator(7);
    const g2 = new Generator(7);
    const first = rand([4], { generator: g1 }).toArray();
    rand([5]);
    expect(rand([4], { generator: g2 }).toArray()).toEqual(first);
  });

  it('drawing from a Generator leaves the global stream where it was', () => {
    manualSeed(1);
    const expected = rand([2]).toArray();
    manualSeed(1);
    rand([3], { generator: new Generator(5) });
    expect(rand([2]).toArray()).toEqual(expected);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => manualSeed(1.5)).toThrow(/manualSeed/);
    expect(() => new Generator(Number.MAX_SAFE_INTEGER + 2)).toThrow(/manualSeed/);
  });
});

describe('samples', () => {
  it('rand lies in [0, 1) with mean near 1/2', () => {
    // 10⁴ uniform samples: the mean has standard deviation √(1/12/10⁴) ≈ 0.003.
    const u = rand([10000], { generator: new Generator(3) });
    expect(u.min().item()).toBeGreaterThanOrEqual(0);
    expect(u.max().item()).toBeLessThan(1);
    expect(Math.abs(u.mean().item() - 0.5)).toBeLessThan(0.015);
  });

  it('randn has mean near 0 and variance near 1', () => {
    // 10⁴ normal samples: sd of the mean 0.01, of the variance ≈ √(2/10⁴) ≈ 0.014.
    const z = randn([10000], { dtype: 'float64', generator: new Generator(4) });
    expect(Math.abs(z.mean().item())).toBeLessThan(0.05);
    expect(Math.abs(z.var().item() - 1)).toBeLessThan(0.07);
  });

  it('randLike and randnLike copy shape and dtype; requiresGrad on request', () => {
    const r = randLike(zeros([2, 3], { dtype: 'float64' }));
    expect([r.shape, r.dtype]).toEqual([[2, 3], 'float64']);
    expect(randnLike(zeros([4])).shape).toEqual([4]);
    expect(rand([2], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('refuses integer dtypes, which would truncate every uniform sample to 0', () => {
    // Regression: rand([2], { dtype: 'int32' }) and randLike of an int32 tensor returned zeros.
    expect(() => rand([2], { dtype: 'int32' })).toThrow(DTypeError);
    expect(() => randn([2], { dtype: 'bool' })).toThrow(
      /^randn: random samples need a float32 or float64 dtype, got bool/,
    );
    expect(() => randLike(tensor(new Int32Array([1, 2])))).toThrow(/^randLike: /);
  });

  it('randperm is a permutation of 0..n-1, as int32', () => {
    const p = randperm(10, { generator: new Generator(9) });
    expect(p.dtype).toBe('int32');
    expect([...p.data()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
