import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { ArgumentError, DTypeError, Generator, ShapeError, Tensor, zeros } from '@chainrule/core';
import {
  calculateGain,
  constant,
  fans,
  heNormal,
  heUniform,
  normal,
  uniform,
  xavierNormal,
  xavierUniform,
  type Nonlinearity,
} from '../src/index';
import { fixtureJson } from './helpers';

interface InitCase {
  shape: number[];
  fanIn: number;
  fanOut: number;
  xavierUniformBound: { sigmoid: number; tanh: number };
  xavierNormalStd: number;
  heUniformBound: number;
  heNormalStdFanOutLeaky02: number;
}
// Written by fixtures/make_references.py from torch.nn.init's own fan and gain helpers.
const reference = fixtureJson<{ cases: InitCase[]; gains: Record<string, number> }>('init.json');

function stats(t: Tensor): { mean: number; std: number; maxAbs: number } {
  const v = Array.from(t.data());
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: Math.max(...v.map(Math.abs)) };
}

describe('fans and gains follow PyTorch', () => {
  for (const c of reference.cases) {
    it(`fans of [${c.shape.join(',')}]`, () => {
      expect(fans(c.shape)).toEqual({ fanIn: c.fanIn, fanOut: c.fanOut });
    });
  }

  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    const names: Nonlinearity[] = ['linear', 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu'];
    const expected = names.map((name) => reference.gains[name] as number);
    expect(names.map((name) => calculateGain(name))).toBeAllClose(expected, { rtol: 0, atol: 5e-16 }); // toBeCloseTo(…, 15)
    expect(calculateGain('leakyRelu', 0.2)).toBeCloseTo(reference.gains['leakyRelu0.2'] as number, 15);
    expect(() => calculateGain('gelu' as Nonlinearity)).toThrow(ArgumentError);
  });

  it('fans need rank 2 or more', () => {
    expect(() => fans([5])).toThrow(ShapeError);
    expect(() => xavierUniform(zeros([5]))).toThrow(ShapeError);
  });
});

describe("random initializers draw with PyTorch's bounds and spreads", () => {
  // Large enough that sample statistics are within a few percent.
  const c = reference.cases.find((x) => x.shape[0] === 64 && x.shape[1] === 784) as InitCase;
  const g = (): Generator => new Generator(2024);

  it('xavierUniform: U(-b, b), b = gain·√(6 / (fanIn + fanOut)), std b/√3', () => {
    for (const [gain, bound] of [
      [1, c.xavierUniformBound.sigmoid],
      [5 / 3, c.xavierUniformBound.tanh],
    ] as const) {
      const s = stats(xavierUniform(zeros(c.shape), { gain, generator: g() }));
      expect(s.maxAbs).toBeLessThanOrEqual(bound * (1 + 1e-6));
      expect(s.maxAbs).toBeGreaterThan(0.99 * bound);
      expect(s.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
      expect(Math.abs(s.mean)).toBeLessThan(0.01 * bound);
    }
  });

  it('xavierNormal: N(0, (gain·√(2 / (fanIn + fanOut)))²)', () => {
    const s = stats(xavierNormal(zeros(c.shape), { generator: g() }));
    expect(s.std / c.xavierNormalStd).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.02 * c.xavierNormalStd);
  });

  it('heUniform: U(-b, b), b = √2·√(3 / fanIn) by default', () => {
    const s = stats(heUniform(zeros(c.shape), { generator: g() }));
    expect(s.maxAbs).toBeLessThanOrEqual(c.heUniformBound * (1 + 1e-6));
    expect(s.maxAbs).toBeGreaterThan(0.99 * c.heUniformBound);
  });

  it('heNormal with fanOut and a leaky slope of 0.2', () => {
    const s = stats(heNormal(zeros(c.shape), { mode: 'fanOut', nonlinearity: 'leakyRelu', a: 0.2, generator: g() }));
    expect(s.std / c.heNormalStdFanOutLeaky02).toBeCloseTo(1, 1);
  });

  it('uniform and normal take their ranges, constant fills', () => {
    const u = Array.from(uniform(zeros([1000]), { low: -0.1, high: 0.1, generator: g() }).data());
    expect(u.every((v) => v >= Math.fround(-0.1) && v <= Math.fround(0.1))).toBe(true);
    const n = stats(normal(zeros([4000], { dtype: 'float64' }), { mean: 3, std: 0.5, generator: g() }));
    expect(n.mean).toBeCloseTo(3, 1);
    expect(n.std).toBeCloseTo(0.5, 1);
    expect(constant(zeros([2, 2]), 0.1).toArray()).toEqual([
      [Math.fround(0.1), Math.fround(0.1)],
      [Math.fround(0.1), Math.fround(0.1)],
    ]);
  });
});

describe('initializers', () => {
  it('are reproducible by generator', () => {
    const a = xavierUniform(zeros([3, 4]), { generator: new Generator(5) }).toArray();
    expect(xavierUniform(zeros([3, 4]), { generator: new Generator(5) }).toArray()).toEqual(a);
    expect(xavierUniform(zeros([3, 4]), { generator: new Generator(6) }).toArray()).not.toEqual(a);
  });

  it('fill parameters in place (outside the graph) and return them', () => {
    const p = zeros([2, 3], { requiresGrad: true });
    const storage = p.storage;
    expect(heNormal(p)).toBe(p);
    expect(p.storage).toBe(storage);
    expect(p.gradFn).toBeNull();
    expect(Array.from(p.data()).some((v) => v !== 0)).toBe(true);
  });

  it('refuse integer tensors and bad options', () => {
    expect(() => uniform(zeros([2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => uniform(zeros([2]), { low: 1, high: 0 })).toThrow(ArgumentError);
    expect(() => normal(zeros([2]), { std: -1 })).toThrow(ArgumentError);
    expect(() => constant(zeros([2]), NaN)).toThrow(ArgumentError);
    expect(() => heUniform(zeros([2, 2]), { mode: 'fanAvg' as 'fanIn' })).toThrow(ArgumentError);
  });
});
