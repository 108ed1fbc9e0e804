/**
 * The initializers of issue 19: PyTorch's fans and gains (fixture from
 * torch.nn.init's own helpers), kaiming* beside he*, truncNormal against the
 * truncated normal's moments (integrated by mpmath in the fixture script),
 * orthogonal's orthogonality and sign correction, and dirac/eye against
 * hand-written values.
 *
 * The random checks draw from fixed seeds, but each bound is derived from the
 * sampling distribution of the statistic (5 standard errors, or a
 * Kolmogorov–Smirnov quantile), so a wrong distribution fails for any seed.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  conv1d,
  erfc,
  manualSeed,
  randn,
  tensor,
  zeros,
} from '@chainrule/core';
import {
  calculateGain,
  dirac,
  fans,
  heNormal,
  heUniform,
  init,
  kaimingNormal,
  kaimingUniform,
  orthogonal,
  truncNormal,
  type KaimingOptions,
  type Nonlinearity,
} from '../src/index';
import { fixtureJson } from './helpers';

interface TruncCase {
  mean: number;
  std: number;
  a: number | null;
  b: number | null;
  infinite: ('a' | 'b')[];
  expected: { mean: number; std: number; kurtosis: number };
}
interface Reference {
  fans: { layer: string; shape: number[]; fanIn: number; fanOut: number }[];
  gains: { plain: Record<string, number>; leaky: { slope: number; gain: number }[] };
  kaiming: { shape: number[]; options: KaimingOptions; uniformBound: number; normalStd: number }[];
  truncNormal: TruncCase[];
}
// Written by fixtures/make_init_extra.py.
const reference = fixtureJson<Reference>('init-extra.json');

function thrown(call: () => unknown): Error {
  try {
    call();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

function moments(v: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    sum += x;
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const mean = sum / v.length;
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += ((v[i] as number) - mean) ** 2;
  return { mean, std: Math.sqrt(ss / v.length), min, max };
}

/** `draws` fills of a tensor of `shape` from one generator, pooled. */
function pooled(fill: (t: Tensor, g: Generator) => Tensor, shape: number[], draws: number): Float64Array {
  const g = new Generator(19);
  const out: number[] = [];
  for (let i = 0; i < draws; i++) out.push(...fill(zeros(shape), g).data());
  return Float64Array.from(out);
}

describe('fans and gains follow torch.nn.init', () => {
  for (const c of reference.fans) {
    it(`fans of ${c.layer}'s weight [${c.shape.join(',')}]`, () => {
      expect(fans(c.shape)).toEqual({ fanIn: c.fanIn, fanOut: c.fanOut });
    });
  }

  it('calculateGain for every nonlinearity of calculate_gain, and leakyRelu slopes', () => {
    const names = Object.keys(reference.gains.plain) as Nonlinearity[];
    expect(names).toHaveLength(12);
    expect(names.map((n) => calculateGain(n))).toBeAllClose(
      names.map((n) => reference.gains.plain[n] as number),
      { rtol: 2e-16, atol: 0 },
    );
    for (const { slope, gain } of reference.gains.leaky) {
      expect(calculateGain('leakyRelu', slope)).toBeAllClose(gain, { rtol: 2e-16, atol: 0 });
    }
    // PyTorch 1.13 has no softmax entry; chainrule's Dense uses it with gain 1.
    expect(calculateGain('softmax')).toBe(1);
  });

  it("calculateGain points PyTorch's snake_case spellings to chainrule's", () => {
    const e = thrown(() => calculateGain('leaky_relu' as Nonlinearity));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(
      /^calculateGain: unknown nonlinearity "leaky_relu" \(PyTorch's leaky_relu is spelt 'leakyRelu' here\); expected one of 'linear', 'conv1d'/,
    );
    expect(thrown(() => calculateGain('conv_transpose2d' as Nonlinearity)).message).toContain(
      "spelt 'convTranspose2d'",
    );
    expect(thrown(() => calculateGain('gelu' as Nonlinearity)).message).not.toContain('spelt');
    expect(() => calculateGain('leakyRelu', Number.NaN)).toThrow(ArgumentError);
  });
});

describe('kaimingUniform and kaimingNormal: PyTorch’s names for heUniform and heNormal', () => {
  // 40 draws of [16,8,3,3] pooled: n = 46080 values.
  const draws = 40;

  for (const c of reference.kaiming) {
    const label = JSON.stringify(c.options);
    it(`kaimingUniform ${label}: U(-b, b) with PyTorch's b`, () => {
      const v = pooled((t, generator) => kaimingUniform(t, { ...c.options, generator }), c.shape, draws);
      const s = moments(v);
      const b = c.uniformBound;
      // float32 rounding of b·(2u - 1) can pass b by half an ulp.
      expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(b * (1 + 1e-7));
      // P(every |w| < 0.99b) = 0.99ⁿ ≈ e⁻⁴⁶⁰.
      expect(Math.max(-s.min, s.max)).toBeGreaterThan(0.99 * b);
      // Uniform: σ = b/√3, and the sample std's relative standard error is
      // √((μ₄/σ⁴ - 1)/(4n)) = √((9/5 - 1)/(4n)) = 0.447/√n ≈ 0.0021; 5 of them.
      expect(Math.abs(s.std / (b / Math.sqrt(3)) - 1)).toBeLessThan(0.0105);
      // The mean's standard error is σ/√n.
      expect(Math.abs(s.mean)).toBeLessThan((5 * b) / Math.sqrt(3) / Math.sqrt(v.length));
    });

    it(`kaimingNormal ${label}: N(0, std²) with PyTorch's std`, () => {
      const v = pooled((t, generator) => kaimingNormal(t, { ...c.options, generator }), c.shape, draws);
      const s = moments(v);
      // Normal: the sample std's relative standard error is 1/√(2n) ≈ 0.0033; 5 of them.
      expect(Math.abs(s.std / c.normalStd - 1)).toBeLessThan(5 / Math.sqrt(2 * v.length));
      expect(Math.abs(s.mean)).toBeLessThan((5 * c.normalStd) / Math.sqrt(v.length));
    });
  }

  it('draw exactly what heUniform and heNormal draw, and share their defaults (gain √2 on fanIn)', () => {
    const options = { a: 0.3, mode: 'fanOut', nonlinearity: 'leakyRelu' } as const;
    const same = (f: typeof heUniform, g: typeof heUniform, o: KaimingOptions) =>
      expect(f(zeros([5, 7]), { ...o, generator: new Generator(3) }).toArray()).toEqual(
        g(zeros([5, 7]), { ...o, generator: new Generator(3) }).toArray(),
      );
    same(kaimingUniform, heUniform, options);
    same(kaimingNormal, heNormal, options);
    same(kaimingUniform, heUniform, {});
    expect(init.kaimingUniform).toBe(kaimingUniform);
    expect(init.heUniform).toBe(heUniform);
  });

  it('name themselves in their errors', () => {
    const e = thrown(() => kaimingUniform(zeros([2, 2]), { mode: 'fan_in' as 'fanIn' }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe("kaimingUniform: mode must be 'fanIn' or 'fanOut', got \"fan_in\"");
    expect(thrown(() => kaimingNormal(zeros([2, 2]), { nonlinearity: 'leaky_relu' as Nonlinearity })).message).toMatch(
      /^kaimingNormal: unknown nonlinearity "leaky_relu" \(PyTorch's leaky_relu is spelt 'leakyRelu' here\)/,
    );
    expect(() => kaimingNormal(zeros([2]))).toThrow(ShapeError);
    expect(() => kaimingUniform(zeros([2, 2]), { gain: 2 } as never)).toThrow(/^kaimingUniform: unknown option 'gain'/);
    expect(() => kaimingUniform(zeros([2, 2], { dtype: 'int32' }))).toThrow(DTypeError);
  });
});

/** Φ(z) and 1 - Φ(z), each accurate in its own tail (core's erfc, tested against PyTorch in core). */
function normalCdfs(z: Float64Array): { lower: Float64Array; upper: Float64Array } {
  const t = tensor(z, { dtype: 'float64' });
  return {
    lower: Float64Array.from(erfc(t.mul(-Math.SQRT1_2)).mul(0.5).data()),
    upper: Float64Array.from(erfc(t.mul(Math.SQRT1_2)).mul(0.5).data()),
  };
}

/**
 * The Kolmogorov–Smirnov distance between the sorted samples `x` and the CDF
 * of N(mean, std²) cut to [a, b], computed in whichever tail keeps its digits.
 */
function ksDistance(sorted: Float64Array, c: { mean: number; std: number; a: number; b: number }): number {
  const n = sorted.length;
  const z = Float64Array.from(sorted, (x) => (x - c.mean) / c.std);
  const ends = normalCdfs(Float64Array.of((c.a - c.mean) / c.std, (c.b - c.mean) / c.std));
  const cdfs = normalCdfs(z);
  const upperTail = c.a >= c.mean;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = upperTail
      ? ((ends.upper[0] as number) - (cdfs.upper[i] as number)) /
        ((ends.upper[0] as number) - (ends.upper[1] as number))
      : ((cdfs.lower[i] as number) - (ends.lower[0] as number)) /
        ((ends.lower[1] as number) - (ends.lower[0] as number));
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

describe('truncNormal: N(mean, std²) conditioned on [a, b]', () => {
  const n = 40000;
  for (const c of reference.truncNormal) {
    const a = c.infinite.includes('a') ? -Infinity : (c.a as number);
    const b = c.infinite.includes('b') ? Infinity : (c.b as number);
    it(`mean ${c.mean}, std ${c.std} on [${a}, ${b}]: inside, with the moments and CDF of the truncated normal`, () => {
      const v = truncNormal(zeros([n], { dtype: 'float64' }), {
        mean: c.mean,
        std: c.std,
        a,
        b,
        generator: new Generator(7),
      }).data() as Float64Array;
      const s = moments(v);
      expect(s.min).toBeGreaterThanOrEqual(a);
      expect(s.max).toBeLessThanOrEqual(b);
      const e = c.expected;
      // Standard errors: σ/√n for the mean; for the variance σ²·√((κ - 1)/n),
      // κ the kurtosis, so about half of that, relatively, for the std. 5 of each.
      expect(Math.abs(s.mean - e.mean)).toBeLessThan((5 * e.std) / Math.sqrt(n));
      expect(Math.abs(s.std / e.std - 1)).toBeLessThan(2.5 * Math.sqrt((e.kurtosis - 1) / n));
      // P(√n·D > x) → 2e^(-2x²): x = 2.5 is exceeded with probability 7e-6.
      const sorted = Float64Array.from(v).sort();
      expect(ksDistance(sorted, { mean: c.mean, std: c.std, a, b })).toBeLessThan(2.5 / Math.sqrt(n));
    });
  }

  it("has PyTorch's defaults: N(0, 1) on [-2, 2]", () => {
    const v = truncNormal(zeros([20000], { dtype: 'float64' }), { generator: new Generator(1) }).data();
    const s = moments(v);
    expect(s.min).toBeGreaterThanOrEqual(-2);
    expect(s.max).toBeLessThanOrEqual(2);
    // The truncated std at ±2σ is 0.8796 (the first fixture case); plain N(0, 1) would give 1.
    expect(s.std).toBeCloseTo(0.8796, 1);
  });

  it('keeps float32 draws inside float32(a)..float32(b)', () => {
    const v = Array.from(truncNormal(zeros([5000]), { std: 0.1, a: -0.1, b: 0.1, generator: new Generator(2) }).data());
    expect(Math.min(...v)).toBeGreaterThanOrEqual(Math.fround(-0.1));
    expect(Math.max(...v)).toBeLessThanOrEqual(Math.fround(0.1));
  });

  it('puts all the mass at the nearest bound when the standardized interval overflows, and ends far in a tail', () => {
    // (1 - 0)/1e-320 overflows to ∞: N(0, 1e-320²) on [1, 2] is, to every digit, the point 1.
    expect(truncNormal(zeros([2], { dtype: 'float64' }), { std: 1e-320, a: 1, b: 2 }).toArray()).toEqual([1, 1]);
    expect(truncNormal(zeros([2], { dtype: 'float64' }), { std: 1e-320, a: -2, b: -1 }).toArray()).toEqual([-1, -1]);
    // 1e200σ out, where α² overflows: the mass lies within about 1/α of a.
    const far = truncNormal(zeros([3], { dtype: 'float64' }), { a: 1e200, b: 2e200, generator: new Generator(1) });
    expect(far.toArray()).toEqual([1e200, 1e200, 1e200]);
  });

  it('fills the nearest point of [a, b] when std is 0, and the point when a = b', () => {
    expect(truncNormal(zeros([3], { dtype: 'float64' }), { mean: 5, std: 0 }).toArray()).toEqual([2, 2, 2]);
    expect(truncNormal(zeros([3], { dtype: 'float64' }), { mean: 1, std: 0 }).toArray()).toEqual([1, 1, 1]);
    expect(truncNormal(zeros([2], { dtype: 'float64' }), { a: 0.5, b: 0.5 }).toArray()).toEqual([0.5, 0.5]);
  });

  it('is reproducible by generator, and draws from the global generator by default', () => {
    const draw = (g?: Generator) => truncNormal(zeros([6]), g === undefined ? {} : { generator: g }).toArray();
    expect(draw(new Generator(4))).toEqual(draw(new Generator(4)));
    manualSeed(11);
    const first = draw();
    manualSeed(11);
    expect(draw()).toEqual(first);
  });

  it('refuses an empty interval and bad numbers before filling', () => {
    const t = zeros([3]);
    const e = thrown(() => truncNormal(t, { a: 1, b: -1 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe('truncNormal: a 1 is greater than b -1; the interval [a, b] must not be empty');
    expect(() => truncNormal(t, { std: -1 })).toThrow(/^truncNormal: std must be ≥ 0, got -1$/);
    expect(() => truncNormal(t, { a: Number.POSITIVE_INFINITY, b: Number.POSITIVE_INFINITY })).toThrow(
      /^truncNormal: the interval \[Infinity, Infinity\] holds no finite number$/,
    );
    expect(() => truncNormal(t, { mean: Number.NaN })).toThrow(ArgumentError);
    expect(() => truncNormal(t, { a: Number.NaN })).toThrow(/^truncNormal: a must be a number \(±Infinity allowed\)/);
    expect(() => truncNormal(t, { low: 0 } as never)).toThrow(/^truncNormal: unknown option 'low'/);
    expect(() => truncNormal(t, { generator: 3 } as never)).toThrow(ArgumentError);
    expect(t.toArray()).toEqual([0, 0, 0]);
  });
});

describe('orthogonal', () => {
  /** WᵀW (tall) or WWᵀ (wide) of the weight seen as [shape[0], rest], in float64. */
  function gram(w: Tensor): Tensor {
    const rows = w.shape[0] as number;
    const m = w.to('float64').reshape([rows, -1]);
    return rows >= (m.shape[1] as number) ? m.transpose(0, 1).matmul(m) : m.matmul(m.transpose(0, 1));
  }
  const identity = (k: number, scale: number) =>
    Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? scale : 0)));

  for (const shape of [
    [5, 3],
    [3, 5],
    [4, 4],
    [6, 2, 3],
    [2, 3, 2, 2],
  ]) {
    it(`fills [${shape.join(',')}] with orthonormal columns (tall) or rows (wide), times the gain`, () => {
      const k = Math.min(
        shape[0] as number,
        shape.slice(1).reduce((p, d) => p * d, 1),
      );
      const w32 = orthogonal(zeros(shape), { generator: new Generator(5) });
      expect(gram(w32)).toBeAllClose(identity(k, 1), { rtol: 0, atol: 1e-5 });
      const w64 = orthogonal(zeros(shape, { dtype: 'float64' }), { gain: 2, generator: new Generator(5) });
      expect(gram(w64)).toBeAllClose(identity(k, 4), { rtol: 0, atol: 1e-12 });
      expect(w64.shape).toEqual(shape);
    });
  }

  it('is Haar-distributed thanks to the sign correction: the diagonal has mean 0', () => {
    // Under Haar measure every entry of a 4×4 Q has mean 0 and variance 1/4.
    // Without the correction, Householder QR makes R's diagonal negative, so
    // Q[0][0] = a₀₀ / R₀₀ is never positive (mean ≈ -0.4).
    // 400 draws × 4 diagonal entries: standard error 0.5/√1600 = 0.0125; 5 of them.
    const g = new Generator(8);
    let sum = 0;
    for (let i = 0; i < 400; i++) {
      const q = orthogonal(zeros([4, 4], { dtype: 'float64' }), { generator: g }).data();
      for (let j = 0; j < 4; j++) sum += q[j * 5] as number;
    }
    expect(Math.abs(sum / 1600)).toBeLessThan(0.0625);
  });

  it('accepts a negative gain, leaves an empty tensor alone and refuses rank < 2', () => {
    const w = orthogonal(zeros([3, 3], { dtype: 'float64' }), { gain: -1, generator: new Generator(1) });
    expect(gram(w)).toBeAllClose(identity(3, 1), { rtol: 0, atol: 1e-12 });
    const empty = zeros([0, 3]);
    expect(orthogonal(empty)).toBe(empty);
    expect(() => orthogonal(zeros([4]))).toThrow(ShapeError);
    expect(() => orthogonal(zeros([2, 2]), { gain: Number.POSITIVE_INFINITY })).toThrow(ArgumentError);
    expect(() => orthogonal(zeros([2, 2]), { std: 1 } as never)).toThrow(/^orthogonal: unknown option 'std'/);
  });

  it('is reproducible by generator', () => {
    const draw = (seed: number) => orthogonal(zeros([3, 4]), { generator: new Generator(seed) }).toArray();
    expect(draw(9)).toEqual(draw(9));
    expect(draw(9)).not.toEqual(draw(10));
  });
});

describe('dirac and eye', () => {
  /** A zero array of `shape` with 1 at each of `ones` (hand-derived positions). */
  function withOnes(shape: number[], ones: number[][]): number[] {
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((p, d) => p * d, 1));
    const out = new Array<number>(shape.reduce((p, d) => p * d, 1)).fill(0);
    for (const at of ones) out[at.reduce((o, k, i) => o + k * (strides[i] as number), 0)] = 1;
    return out;
  }

  it('dirac puts 1 at [g·out/groups + d, d, centre] for d < min(out/groups, in)', () => {
    // [4, 2, 3], 2 groups: 2 outputs per group, 2 inputs; kernel centre ⌊3/2⌋ = 1.
    expect(Array.from(dirac(zeros([4, 2, 3]), { groups: 2 }).data())).toEqual(
      withOnes(
        [4, 2, 3],
        [
          [0, 0, 1],
          [1, 1, 1],
          [2, 0, 1],
          [3, 1, 1],
        ],
      ),
    );
    // conv2d weight [2, 3, 2, 2]: 2 outputs < 3 inputs, so d < 2; centre (⌊2/2⌋, ⌊2/2⌋) = (1, 1).
    expect(Array.from(dirac(zeros([2, 3, 2, 2])).data())).toEqual(
      withOnes(
        [2, 3, 2, 2],
        [
          [0, 0, 1, 1],
          [1, 1, 1, 1],
        ],
      ),
    );
    // conv3d weight [3, 1, 1, 1, 3]: one input, so only output 0 gets it.
    expect(Array.from(dirac(zeros([3, 1, 1, 1, 3])).data())).toEqual(withOnes([3, 1, 1, 1, 3], [[0, 0, 0, 0, 1]]));
  });

  it('dirac makes a "same"-padded convolution the identity', () => {
    const x = randn([2, 3, 7], { dtype: 'float64', generator: new Generator(1) });
    const w = dirac(zeros([3, 3, 3], { dtype: 'float64' }));
    expect(conv1d(x, w, null, { padding: 1 }).toArray()).toEqual(x.toArray());
  });

  it('dirac overwrites what was there and refuses bad shapes and groups', () => {
    const w = dirac(randn([2, 2, 1]));
    expect(w.toArray()).toEqual([
      [[1], [0]],
      [[0], [1]],
    ]);
    expect(() => dirac(zeros([2, 2]))).toThrow(ShapeError);
    expect(() => dirac(zeros([2, 2, 1, 1, 1, 1]))).toThrow(ShapeError);
    const e = thrown(() => dirac(zeros([4, 2, 3]), { groups: 3 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe('dirac: the 4 output channels (shape[0]) do not split into 3 groups evenly');
    expect(() => dirac(zeros([4, 2, 3]), { groups: 0 })).toThrow(/^dirac: groups must be a positive integer, got 0$/);
    expect(() => dirac(zeros([4, 2, 3]), { groups: 1.5 })).toThrow(ArgumentError);
  });

  it('init.eye fills rectangular identities', () => {
    expect(init.eye(randn([2, 3])).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(init.eye(zeros([3, 2], { dtype: 'float64' })).toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0, 0],
    ]);
    const e = thrown(() => init.eye(zeros([2, 2, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('init.eye: fills a matrix [rows, cols] only, got shape [2,2,2]');
  });

  it('init.zeros and init.ones fill in place and return the tensor', () => {
    const t = randn([2, 2], { requiresGrad: true });
    expect(init.zeros(t)).toBe(t);
    expect(t.toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(init.ones(t).toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
    expect(t.gradFn).toBeNull();
    expect(thrown(() => init.ones(zeros([1], { dtype: 'bool' }))).message).toMatch(/^init\.ones: can only fill/);
  });
});
