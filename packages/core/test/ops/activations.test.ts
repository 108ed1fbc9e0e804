/**
 * The activation functions against PyTorch 1.13 and against their true
 * values. fixtures/activations.json (made by fixtures/activations.py) holds,
 * for every op and a few parameter values, on inputs that include the kinks
 * and their neighbours, ±0, ±Infinity, NaN and |x| up to 1.8e308:
 * PyTorch's float64 and float32 results and float64 gradients, and the true
 * value and gradient from mpmath at 80 digits. So these tests need no Python.
 *
 * What is checked, element by element:
 * - float64 values within 4 ulp of the true value; float32 values within 1
 *   float32 ulp of it (they are computed in float64 and rounded once);
 * - NaN, ±Infinity and the sign of zeros as PyTorch gives them;
 * - gradients within 16 ulp of the true gradient, or within 8 ulp of the
 *   size of their terms where the terms cancel (at the minimum of gelu, silu
 *   and mish); at kinks and non-finite inputs, exactly PyTorch's;
 * - that the true values are PyTorch's function: they agree with PyTorch
 *   wherever PyTorch is accurate (its formulas lose accuracy in some tails,
 *   which the tolerance of that check allows for, noted where it matters).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, gradients, tensor, type Tensor } from '../../src/index';
import * as core from '../../src/index';
import { activationOps } from '../../src/ops/activations';
import { erfcForGelu, erfForGelu } from '../../src/kernels/activations';
import fixture from './fixtures/activations.json';

type Encoded = number | string | null;
type Args = Record<string, number | string>;

interface FixtureCase {
  op: string;
  args: Args;
  inputs: Encoded[];
  gradOutput: number[];
  float64: Encoded[];
  float32: Encoded[];
  grad64: Encoded[];
  exact: Encoded[];
  exactGrad: Encoded[];
}

/** JSON cannot hold NaN and ±Infinity: the script writes them as strings. */
const decode = (v: Encoded): number | null => (typeof v === 'string' ? Number(v) : v);
const numbers = (vs: Encoded[]): number[] => vs.map((v) => decode(v) as number);

const cases = fixture.cases as FixtureCase[];

/** Each op of the table, called as the fixture's case says (a missing op does not compile). */
const call = {
  relu6: (x) => x.relu6(),
  elu: (x, a) => x.elu(a.alpha as number),
  selu: (x) => x.selu(),
  celu: (x, a) => x.celu(a.alpha as number),
  gelu: (x, a) => x.gelu({ approximate: a.approximate as 'none' | 'tanh' }),
  silu: (x) => x.silu(),
  mish: (x) => x.mish(),
  hardswish: (x) => x.hardswish(),
  hardsigmoid: (x) => x.hardsigmoid(),
  hardtanh: (x, a) => x.hardtanh(a.minVal as number, a.maxVal as number),
  softsign: (x) => x.softsign(),
  logSigmoid: (x) => x.logSigmoid(),
  tanhshrink: (x) => x.tanhshrink(),
  softshrink: (x, a) => x.softshrink(a.lambd as number),
  hardshrink: (x, a) => x.hardshrink(a.lambd as number),
  threshold: (x, a) => x.threshold(a.threshold as number, a.value as number),
} satisfies Record<keyof typeof activationOps, (x: Tensor, args: Args) => Tensor>;

const run = (c: FixtureCase, x: Tensor): Tensor => call[c.op as keyof typeof call](x, c.args);

const EPS = 2 ** -52;
const bits = new DataView(new ArrayBuffer(8));

/** The exponent of |v| (v finite, nonzero), as 2ᵏ ≤ |v| < 2ᵏ⁺¹; subnormals give -1023. */
function exponentOf(v: number): number {
  bits.setFloat64(0, v);
  return ((bits.getUint16(0) >> 4) & 0x7ff) - 1023;
}

const ulp64 = (v: number): number => 2 ** Math.max(exponentOf(v) - 52, -1074);
const ulp32 = (v: number): number => 2 ** Math.max(exponentOf(v) - 23, -149);

/** NaN equals NaN, and zeros compare with their signs. */
const same = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || Object.is(a, b);
/** As `same`, but +0 equals -0. */
const equal = (a: number, b: number): boolean => (Number.isNaN(a) && Number.isNaN(b)) || a === b;

/**
 * Where PyTorch's formula overflows on its way to a finite answer, which is
 * where its values are not the true ones (ours are): hardswish's (x·6)/6 past
 * max/6, and tanh-gelu's gradient, which computes x³ and then ∞·0 = NaN, past
 * the cube root of max. `max` is the dtype's largest number.
 */
function torchOverflows(c: FixtureCase, x: number, max: number, gradient: boolean): boolean {
  if (c.op === 'hardswish') return x > max / 6;
  return gradient && c.op === 'gelu' && c.args.approximate === 'tanh' && Math.abs(x) ** 3 > max;
}

const title = (c: FixtureCase): string => `${c.op}(${Object.values(c.args).join(', ')})`;

/** Runs `check` on every element, then reports all the elements that failed, not only the first. */
function expectAll(c: FixtureCase, what: string, n: number, check: (i: number, x: number) => string | null): void {
  const xs = numbers(c.inputs);
  const failures: string[] = [];
  for (let i = 0; i < n; i++) {
    const why = check(i, xs[i] as number);
    if (why !== null) failures.push(`x = ${xs[i]}: ${why}`);
  }
  expect(failures, `${title(c)} ${what}`).toEqual([]);
}

describe('the fixture covers the table', () => {
  it('every activation op has cases, and every case is an op of the table', () => {
    const inFixture = new Set(cases.map((c) => c.op));
    expect(Object.keys(activationOps).filter((op) => !inFixture.has(op))).toEqual([]);
    expect([...inFixture].filter((op) => !(op in activationOps))).toEqual([]);
    expect(fixture.torch).toMatch(/^1\.13/);
  });
});

describe.each(cases.map((c) => [title(c), c] as const))('%s against PyTorch 1.13 and the true values', (_t, c) => {
  const xs = numbers(c.inputs);
  const torch64 = numbers(c.float64);
  const exact = c.exact.map(decode);

  it('float64 values: within 4 ulp of the true value; NaN, ±Infinity and signed zeros as PyTorch', () => {
    const ours = Array.from(run(c, tensor(xs, { dtype: 'float64' })).data());
    expectAll(c, 'float64', xs.length, (i, x) => {
      const a = ours[i] as number;
      const t = torch64[i] as number;
      const e = exact[i] as number | null;
      if (e === null || e === 0 || !Number.isFinite(e)) {
        // NOTE: an input so tiny that the result underflows (elu(-5e-324, 0.5) is -2.5e-324, which rounds to
        // -0; PyTorch's exp(x) - 1 gives +0) leaves the zero's sign to rounding.
        const ok = Math.abs(x) < 1e-300 && x !== 0 ? equal(a, t) : same(a, t);
        return ok ? null : `${a}, PyTorch ${t}`;
      }
      const err = Math.abs(a - e) / ulp64(e);
      return err <= 4 ? null : `${a} is ${err} ulp from the true ${e}`;
    });
  });

  it('the true values are PyTorch’s function (to PyTorch’s own accuracy)', () => {
    expectAll(c, 'reference', xs.length, (i, x) => {
      const t = torch64[i] as number;
      const e = exact[i] as number | null;
      if (e === null || torchOverflows(c, x, Number.MAX_VALUE, false)) return null;
      if (!Number.isFinite(e)) return same(t, e) ? null : `PyTorch ${t}, true ${e}`;
      // PyTorch computes some functions by formulas that cancel: exp(x) - 1 near 0 (elu, selu, celu),
      // x - tanh x near 0, 1 + erf(x/√2) and 1 + tanh(w) in the negative tails of gelu (0 below
      // x ≈ -8.3). Their absolute error is a few ulp of 1 times |x|; a different function would be off
      // by far more than the allowance below.
      const allowed = 1e-12 * Math.abs(e) + 1e-15 * (1 + Math.abs(x));
      return Math.abs(t - e) <= allowed ? null : `PyTorch ${t}, true ${e}`;
    });
  });

  it('float32 values: within 1 float32 ulp of the true value; NaN and ±Infinity as PyTorch', () => {
    const n = c.float32.indexOf(null) < 0 ? xs.length : c.float32.indexOf(null);
    const torch32 = numbers(c.float32.slice(0, n));
    const ours = Array.from(run(c, tensor(xs.slice(0, n), { dtype: 'float32' })).data());
    expectAll(c, 'float32', n, (i, x) => {
      const a = ours[i] as number;
      const t = torch32[i] as number;
      const e = exact[i] as number | null;
      const e32 = e === null ? null : Math.fround(e);
      if (e32 === null || e32 === 0 || !Number.isFinite(e32)) {
        // NOTE: zeros compare without their signs in float32: PyTorch's vectorized float32 kernels do not
        // keep them as its float64 ones do (its float32 gelu(-0) is +0, its float64 one -0).
        return equal(a, t) ? null : `${a}, PyTorch ${t}`;
      }
      const err = Math.abs(a - e32) / ulp32(e32);
      if (err > 1) return `${a} is ${err} float32 ulp from the true ${e32}`;
      if (torchOverflows(c, x, 3.4028234663852886e38, false)) return null;
      // PyTorch's float32 formulas cancel where its float64 ones do (see above), at float32's precision.
      const allowed = 1e-5 * Math.abs(e32) + 2 ** -22 * (1 + Math.abs(x));
      return Math.abs(t - e32) <= allowed ? null : `PyTorch ${t}, true ${e32}`;
    });
  });

  it('float64 gradients: close to the true gradient; exactly PyTorch’s at kinks and non-finite inputs', () => {
    const x = tensor(xs, { dtype: 'float64', requiresGrad: true });
    const gradOutput = tensor(c.gradOutput, { dtype: 'float64' });
    const [grad] = gradients(run(c, x), [x], { gradOutput });
    const ours = Array.from((grad as Tensor).data());
    const torch = numbers(c.grad64);
    const exactGrad = c.exactGrad.map(decode);
    expectAll(c, 'gradient', xs.length, (i, xv) => {
      const a = ours[i] as number;
      const t = torch[i] as number;
      const e = exactGrad[i] as number | null;
      if (e === null) {
        // NOTE: softsign'(±Infinity) is 0 here (the limit), NaN in PyTorch (its composite rule makes ∞/∞).
        if (c.op === 'softsign' && Math.abs(xv) === Infinity) return a === 0 ? null : `${a}, expected 0`;
        // The sign of a zero gradient is not PyTorch's concern either (g·0 or a plain 0).
        return equal(a, t) ? null : `${a}, PyTorch ${t}`;
      }
      const g = Math.abs(c.gradOutput[i] as number);
      const value = exact[i] as number;
      // Where gelu', silu' and mish' cross 0 their terms cancel: allow 8 ulp of the first term, f(x)/x.
      const terms = xv === 0 ? g : (g * Math.abs(value)) / Math.abs(xv);
      // celu' = e^(x/alpha) carries the rounding of x/alpha: |x/alpha| ulp.
      const spread = c.op === 'celu' ? 1 + Math.abs(xv / (c.args.alpha as number)) : 1;
      // Below 1e-300 intermediates are subnormal and keep fewer bits.
      const allowed = 16 * EPS * Math.abs(e) * spread + 8 * EPS * terms + 1e-300 * g;
      if (Math.abs(a - e) > allowed) return `${a}, true ${e}`;
      if (torchOverflows(c, xv, Number.MAX_VALUE, true)) return null;
      // NOTE: PyTorch 1.13's float64 hardsigmoid gradient is float32's 1/6 (0.1666666716…), off by 3e-8 relative.
      const torchAllowed = 1e-7 * Math.abs(e) + 1e-15 * g * (1 + Math.abs(xv));
      return Math.abs(t - e) <= torchAllowed ? null : `PyTorch ${t}, true ${e}`;
    });
  });
});

describe('erf and erfc (private to gelu) against PyTorch’s float64 erf and erfc', () => {
  const { inputs, erf, erfc, exactErf, exactErfc } = fixture.erf as Record<string, Encoded[]>;
  const zs = numbers(inputs as Encoded[]);
  const pairs = [
    ['erf', erfForGelu, numbers(erf as Encoded[]), (exactErf as Encoded[]).map(decode)],
    ['erfc', erfcForGelu, numbers(erfc as Encoded[]), (exactErfc as Encoded[]).map(decode)],
  ] as const;

  it.each(pairs)(
    '%s: within 3 ulp of the true value (4 of PyTorch’s), NaN and ±Infinity as PyTorch',
    (_n, f, torch, truth) => {
      const failures: string[] = [];
      zs.forEach((z, i) => {
        const a = f(z);
        const t = torch[i] as number;
        const e = truth[i] as number | null;
        if (e === null || e === 0) {
          if (!same(a, t)) failures.push(`z = ${z}: ${a}, PyTorch ${t}`);
          return;
        }
        const err = Math.abs(a - e) / ulp64(e);
        const fromTorch = Math.abs(a - t) / ulp64(e);
        // 3 ulp: the worst of 4000 random points against mpmath (PyTorch's, from the C library, is within 1).
        if (err > 3 || fromTorch > 4) failures.push(`z = ${z}: ${a} is ${err} ulp from the true ${e}, PyTorch ${t}`);
      });
      expect(failures).toEqual([]);
    },
  );
});

describe('parameters', () => {
  const x = () => tensor([-1, 0.25, 2], { dtype: 'float64' });

  it('are refused with an ArgumentError naming the op and what is accepted, before anything runs', () => {
    const refusals: [() => unknown, RegExp][] = [
      [() => x().elu(Number.NaN), /^elu: alpha must be a finite number, got NaN$/],
      [() => x().elu('1' as never), /^elu: alpha must be a finite number, got "1"$/],
      [() => x().celu(0), /^celu: alpha must not be 0/],
      [() => x().celu(Infinity), /^celu: alpha must be a finite number, got Infinity$/],
      [() => x().hardtanh(1, -1), /^hardtanh: minVal 1 is greater than maxVal -1; need minVal ≤ maxVal$/],
      [() => x().hardtanh(Number.NaN), /^hardtanh: minVal must be a number \(±Infinity allowed, not NaN\), got NaN$/],
      [() => x().hardtanh(0, null as never), /^hardtanh: maxVal must be a number/],
      [() => x().softshrink(-0.5), /^softshrink: lambd must be a number ≥ 0, got -0\.5$/],
      [() => x().hardshrink(Number.NaN), /^hardshrink: lambd must be a number ≥ 0, got NaN$/],
      [() => x().threshold(Number.NaN, 0), /^threshold: threshold must be a number/],
      [() => x().threshold(0, undefined as never), /^threshold: value must be a number .*got undefined$/],
      [
        () => x().gelu({ approximate: 'exact' as never }),
        /^gelu: option 'approximate' must be 'none' or 'tanh', got "exact"$/,
      ],
      [() => x().gelu({ aproximate: 'tanh' } as never), /^gelu: unknown option 'aproximate'; accepted: approximate$/],
      [() => x().gelu('tanh' as never), /^gelu: options must be an object/],
    ];
    for (const [f, message] of refusals) {
      expect(f).toThrow(ArgumentError);
      expect(f).toThrow(message);
    }
  });

  it('a refused call records nothing: the input has no consumer in any graph', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    expect(() => a.celu(0)).toThrow(ArgumentError);
    const y = a.celu(1).sum();
    y.backward();
    expect(Array.from((a.grad as Tensor).data())).toEqual([1, 1]);
  });

  it('defaults are PyTorch’s: elu and celu alpha 1, hardtanh [-1, 1], shrinks 0.5, gelu exact', () => {
    const v = tensor([-2, -0.5, 0.3, 2], { dtype: 'float64' });
    const pairs: [Tensor, Tensor][] = [
      [v.elu(), v.elu(1)],
      [v.celu(), v.celu(1)],
      [v.hardtanh(), v.hardtanh(-1, 1)],
      [v.softshrink(), v.softshrink(0.5)],
      [v.hardshrink(), v.hardshrink(0.5)],
      [v.gelu(), v.gelu({ approximate: 'none' })],
      [v.gelu({}), v.gelu({ approximate: 'none' })],
    ];
    for (const [a, b] of pairs) expect(Array.from(a.data())).toEqual(Array.from(b.data()));
  });

  it('are rounded to float32 for float32 inputs, so forward and backward agree on the side of a bound', () => {
    // 0.1 is not a float32: fround(0.1) = 0.10000000149 > 0.1. PyTorch compares a float32 x with the
    // threshold converted to float32, so x = fround(0.1) is at the threshold: value, gradient 0.
    const x = tensor([0.1], { requiresGrad: true });
    const y = x.threshold(0.1, -5);
    expect(y.item()).toBe(-5);
    y.sum().backward();
    expect((x.grad as Tensor).item()).toBe(0);
  });
});

describe('functions, methods and dtypes', () => {
  it('each function equals its Tensor method and takes a number for a 0-d float32 tensor', () => {
    const x = tensor([-1.5, 0.5, 3], { dtype: 'float64' });
    const pairs: [Tensor, Tensor][] = [
      [core.relu6(x), x.relu6()],
      [core.elu(x, 0.3), x.elu(0.3)],
      [core.selu(x), x.selu()],
      [core.celu(x, 2), x.celu(2)],
      [core.gelu(x, { approximate: 'tanh' }), x.gelu({ approximate: 'tanh' })],
      [core.silu(x), x.silu()],
      [core.mish(x), x.mish()],
      [core.hardswish(x), x.hardswish()],
      [core.hardsigmoid(x), x.hardsigmoid()],
      [core.hardtanh(x, -1, 2), x.hardtanh(-1, 2)],
      [core.softsign(x), x.softsign()],
      [core.logSigmoid(x), x.logSigmoid()],
      [core.tanhshrink(x), x.tanhshrink()],
      [core.softshrink(x, 1), x.softshrink(1)],
      [core.hardshrink(x, 1), x.hardshrink(1)],
      [core.threshold(x, 0, 9), x.threshold(0, 9)],
    ];
    expect(pairs.length).toBe(Object.keys(activationOps).length);
    for (const [a, b] of pairs) expect(Array.from(a.data())).toEqual(Array.from(b.data()));
    // relu6(7) = 6 by hand.
    const s = core.relu6(7);
    expect([s.shape, s.dtype, s.item()]).toEqual([[], 'float32', 6]);
  });

  it('compute int32 and bool inputs in float32, as the other unary ops do', () => {
    const i = tensor(new Int32Array([-4, 7])).relu6();
    expect([i.dtype, Array.from(i.data())]).toEqual(['float32', [0, 6]]);
    // hardsigmoid(true = 1) = 4/6, rounded to float32.
    const b = tensor([true]).hardsigmoid();
    expect([b.dtype, b.item()]).toEqual(['float32', Math.fround(4 / 6)]);
  });

  it('read strided views in view order', () => {
    // [[-1, 2], [3, 7]]ᵀ = [[-1, 3], [2, 7]] → relu6 → [[0, 3], [2, 6]]
    const t = tensor([
      [-1, 2],
      [3, 7],
    ]).T.relu6();
    expect(t.toArray()).toEqual([
      [0, 3],
      [2, 6],
    ]);
  });
});
