/**
 * Sums, products, scans and clamps of integer and bool tensors, and the
 * `dtype` option of sum, prod, nansum, mean, cumsum and cumprod, against
 * PyTorch 1.13 (fixtures/integer-ops.json, made by fixtures/integer-ops.py).
 *
 * chainrule has no int64: where PyTorch sums or multiplies integers to
 * int64, chainrule gives int32, wrapping modulo 2^32, so the expected value
 * is PyTorch's reduced modulo 2^32 (BigInt.asIntN here, from the exact
 * decimal string the fixture holds).
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ArgumentError, DTypeError, tensor, type DType, type Tensor } from '../../src/index';
import { ulps32, ulps64 } from '../ops/ulps';
import fixture from './fixtures/integer-ops.json';

interface Encoded {
  dtype: string;
  shape: number[];
  data: (string | number)[];
}

const isFloatName = (d: string) => d === 'float32' || d === 'float64';
/** The dtype chainrule gives where PyTorch gives `d`: int32 for int64. */
const ours = (d: string): DType => (d === 'int64' ? 'int32' : (d as DType));

/** A fixture value as chainrule holds it: integers reduced modulo 2^32 (a no-op for every dtype but int64). */
function decode(v: string | number): number {
  if (typeof v === 'number') return v;
  if (v === 'nan') return Number.NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(BigInt.asIntN(32, BigInt(v)));
}

function build(e: Encoded): Tensor {
  return tensor(Float64Array.from(e.data, decode), { shape: e.shape, dtype: e.dtype as DType });
}

const inputs = Object.fromEntries(Object.entries(fixture.inputs).map(([k, v]) => [k, build(v as Encoded)]));
const clampInputs = Object.fromEntries(Object.entries(fixture.clampInputs).map(([k, v]) => [k, build(v as Encoded)]));

/**
 * Integer results exactly; float64 results within 4 ulps and float32 within
 * 2 (PyTorch accumulates float32 in float32, chainrule in float64 rounded
 * once, and the products and means of the dtype cases round differently).
 */
function expectLike(label: string, actual: Tensor, expected: Encoded): void {
  expect(actual.dtype, `${label}: dtype`).toBe(ours(expected.dtype));
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  const got = Array.from(actual.data());
  const want = expected.data.map(decode);
  got.forEach((g, i) => {
    const w = want[i] as number;
    if (!isFloatName(expected.dtype)) {
      if (g !== w) expect.fail(`${label}: element ${i} is ${g}, PyTorch (mod 2^32) ${w}`);
      return;
    }
    const d = expected.dtype === 'float32' ? ulps32(g, w) : ulps64(g, w);
    if (d > (expected.dtype === 'float32' ? 2 : 4)) expect.fail(`${label}: element ${i} is ${g}, PyTorch ${w}`);
  });
}

type Reduce = 'sum' | 'nansum' | 'prod' | 'amax' | 'amin' | 'max' | 'min';

describe('integer and bool reductions are exact int32 (PyTorch: int64, compared modulo 2^32)', () => {
  it.each(fixture.reductions.map((c) => [`${c.input} ${JSON.stringify(c.args)}`, c] as const))('%s', (_l, c) => {
    const x = inputs[c.input] as Tensor;
    const { axis, keepDims } = c.args as { axis: number | null; keepDims: boolean };
    for (const op of ['sum', 'nansum', 'prod', 'amax', 'amin', 'max', 'min'] as Reduce[]) {
      const expected = (c as unknown as Record<string, Encoded | undefined>)[op];
      if (expected === undefined) continue; // PyTorch has no amax/amin for bool
      const got = axis === null ? x[op]() : x[op](axis, keepDims);
      expectLike(`${op} of ${c.input} ${JSON.stringify(c.args)}`, got, expected);
    }
  });

  it('cumsum and cumprod, along every axis', () => {
    for (const c of fixture.scans) {
      const x = inputs[c.input] as Tensor;
      expectLike(`cumsum of ${c.input} along ${c.axis}`, x.cumsum(c.axis), c.cumsum as Encoded);
      expectLike(`cumprod of ${c.input} along ${c.axis}`, x.cumprod(c.axis), c.cumprod as Encoded);
    }
  });

  it('trace', () => {
    for (const c of fixture.traces) expectLike(`trace of ${c.input}`, (inputs[c.input] as Tensor).trace(), c.trace);
  });

  it('exact past 2^24 and wrapping past 2^31, as int32 arithmetic (derived by hand)', () => {
    // float32 would round 2^24 + 1 to 2^24.
    expect(
      tensor([2 ** 24, 1], { dtype: 'int32' })
        .sum()
        .item(),
    ).toBe(2 ** 24 + 1);
    // 2^31 - 1 + 1 = 2^31 ≡ -2^31 (mod 2^32).
    expect(
      tensor([2 ** 31 - 1, 1], { dtype: 'int32' })
        .sum()
        .item(),
    ).toBe(-(2 ** 31));
    // 65536² = 2^32 ≡ 0; 65537² = 2^32 + 2^17 + 1 ≡ 131073.
    expect(tensor([65536, 65536], { dtype: 'int32' }).prod().item()).toBe(0);
    expect(tensor([65537, 65537], { dtype: 'int32' }).prod().item()).toBe(131073);
    // A bool tensor counts its true elements; an empty one sums to 0 and multiplies to 1.
    expect(tensor([true, true, false]).sum().item()).toBe(2);
    expect(core.zeros([0], { dtype: 'int16' }).sum().dtype).toBe('int32');
    expect(core.zeros([0], { dtype: 'uint8' }).prod().item()).toBe(1);
  });
});

describe("the dtype option converts first, then reduces in that dtype (PyTorch's dtype=)", () => {
  it.each(fixture.withDtype.map((c) => [`${c.input} → ${c.dtype}, axis ${c.axis}`, c] as const))('%s', (_l, c) => {
    const x = inputs[c.input] as Tensor;
    const dtype = c.dtype as DType;
    const options = { dtype };
    const axis = c.axis ?? undefined;
    const each = c as unknown as Record<string, Encoded | undefined>;
    const calls: [string, () => Tensor][] = [
      ['sum', () => (axis === undefined ? x.sum(options) : x.sum(axis, false, options))],
      ['prod', () => (axis === undefined ? core.prod(x, options) : core.prod(x, axis, false, options))],
      ['nansum', () => (axis === undefined ? x.nansum(options) : x.nansum(axis, false, options))],
      ['mean', () => (axis === undefined ? core.mean(x, options) : x.mean(axis, false, options))],
      ['cumsum', () => x.cumsum(1, options)],
      ['cumprod', () => core.cumprod(x, 1, options)],
    ];
    for (const [op, call] of calls) {
      const expected = each[op];
      if (expected !== undefined) expectLike(`${op}(${c.input}, ${JSON.stringify(c)})`, call(), expected);
    }
  });

  it('a float32 input summed in float64 gets a float32 gradient of ones (d Σx / dx = 1)', () => {
    const x = tensor([1.5, -2.25, 3.75], { requiresGrad: true });
    const s = x.sum({ dtype: 'float64' });
    expect(s.dtype).toBe('float64');
    s.backward();
    expect([x.grad?.dtype, x.grad?.toArray()]).toEqual(['float32', [1, 1, 1]]);
    // And the float64 sum of float32 values is not rounded to float32: 1e8 + 0.5 needs 28 bits.
    expect(tensor([1e8, 0.5]).sum({ dtype: 'float64' }).item()).toBe(1e8 + 0.5);
  });
});

describe('what PyTorch refuses', () => {
  const refused = new Map(fixture.refusals.map((r) => [r.case, r.raises]));
  const i32 = inputs['int32'] as Tensor;
  const cases: [string, () => unknown, new (...a: never[]) => Error, RegExp][] = [
    [
      'mean of int32',
      () => i32.mean(),
      DTypeError,
      /^mean: input dtype int32 is not a float dtype \(float32 or float64\); pass \{ dtype: 'float32' \} or \{ dtype: 'float64' \}/,
    ],
    [
      'mean of bool',
      () => (inputs['bool'] as Tensor).mean(),
      DTypeError,
      /^mean: input dtype bool is not a float dtype/,
    ],
    ['mean of uint8 along an axis', () => (inputs['uint8'] as Tensor).mean(0), DTypeError, /^mean: input dtype uint8/],
    [
      'mean with dtype int32',
      () => (inputs['float32'] as Tensor).mean({ dtype: 'int32' }),
      DTypeError,
      /^mean: option 'dtype' must be a float dtype \('float32' or 'float64'\), got 'int32'$/,
    ],
    ['nanmean of int32', () => i32.nanmean(), DTypeError, /^nanmean: input dtype int32 is not a float dtype/],
    ['std of int32', () => i32.std(), DTypeError, /^std: input dtype int32 is not a float dtype/],
    ['var of int16', () => (inputs['int16'] as Tensor).var(), DTypeError, /^var: input dtype int16/],
    ['norm of int32', () => core.linalg.vectorNorm(i32), DTypeError, /^linalg\.vectorNorm: input dtype int32/],
    [
      'cumsum with dtype bool',
      () => i32.cumsum(0, { dtype: 'bool' }),
      DTypeError,
      /^cumsum: option 'dtype' cannot be 'bool'/,
    ],
    ['cumprod with dtype bool', () => i32.cumprod(0, { dtype: 'bool' }), DTypeError, /^cumprod: option 'dtype'/],
  ];
  it.each(cases)('%s', (label, call, type, message) => {
    expect(refused.get(label), `PyTorch refuses ${label}`).toBe(true);
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });

  it('bad options are refused with what is accepted', () => {
    const x = tensor([1, 2]);
    expect(() => x.sum({ dtype: 'int64' as DType })).toThrow(/^sum: unknown dtype "int64"; expected one of 'bool'/);
    expect(() => x.sum({ dtyp: 'float64' } as never)).toThrow(ArgumentError);
    expect(() => x.sum({ dtyp: 'float64' } as never)).toThrow(/^sum: unknown option 'dtyp'; accepted: dtype$/);
    expect(() => core.sum(x, { dtype: 'float64' }, true)).toThrow(
      /^sum: options in place of the axis must be the last argument/,
    );
    expect(() => x.prod(0, false, null as never)).toThrow(/^prod: options must be an object/);
  });
});

describe('clamp of integer tensors computes in the promoted dtype, exactly (PyTorch)', () => {
  it.each(fixture.clamps.map((c) => [c.case, c] as const))('%s', (_l, c) => {
    const bound = (b: string | number | null) =>
      b === null ? null : typeof b === 'string' ? (clampInputs[b] as Tensor) : b;
    const x = clampInputs[c.x] as Tensor;
    expectLike(c.case, x.clamp(bound(c.min), bound(c.max)), c.out as Encoded);
    // The free function agrees with the method.
    expectLike(`core.clamp: ${c.case}`, core.clamp(x, bound(c.min), bound(c.max)), c.out as Encoded);
  });

  it('refuses what PyTorch refuses, and a negative bound for uint8 (PyTorch wraps it: all 255)', () => {
    const byCase = new Map(fixture.clampRefusals.map((r) => [r.case, r]));
    const x8 = clampInputs['x8'] as Tensor;
    const u8 = clampInputs['u8'] as Tensor;
    expect(byCase.get('int8 by a number past its range')?.raises).toBe(true);
    expect(() => x8.clamp(2, 300)).toThrow(/^clamp: max 300 is outside the range of int8 \[-128, 127\]$/);
    const wrapped = byCase.get('uint8 by a negative number');
    expect(wrapped?.raises).toBe(false);
    expect(() => u8.clamp(-1, 5)).toThrow(ArgumentError);
    expect(() => u8.clamp(-1, 5)).toThrow(/^clamp: min -1 is outside the range of uint8 \[0, 255\]$/);
    expect(byCase.get('bool by bool tensors')?.raises).toBe(true);
    const b = tensor([true, false]);
    expect(() => b.clamp(tensor([false, false]), tensor([true, true]))).toThrow(DTypeError);
    expect(() => b.clamp(tensor([false, false]), tensor([true, true]))).toThrow(
      /^clamp: a bool tensor with bool bounds/,
    );
  });

  it('a bool tensor with integer bounds is int32 (PyTorch: int64), and integer results carry no gradient', () => {
    const b = tensor([true, false]).clamp(1, 3);
    expect([b.dtype, b.toArray()]).toEqual(['int32', [1, 1]]);
    const big = tensor([2 ** 24 + 1, 5], { dtype: 'int32' }).clamp(tensor([0, 7], { dtype: 'int32' }));
    expect([big.dtype, big.toArray(), big.requiresGrad]).toEqual(['int32', [2 ** 24 + 1, 7], false]);
  });
});
