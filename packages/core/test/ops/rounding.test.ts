/**
 * floor, ceil, round (ties to even, with decimals), trunc and frac against
 * PyTorch 1.13 (fixtures/rounding.json, written by fixtures/special.py), in
 * float64 and float32, signed zeros included; their gradients by hand.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, roundingOps, tensor, type Tensor } from '../../src/index';
import fixture from './fixtures/rounding.json';
import { decode, type Encoded } from './ulps';

interface Case {
  op: keyof typeof roundingOps;
  decimals: number;
  x64: Encoded[];
  torch64: Encoded[];
  x32: Encoded[];
  torch32: Encoded[];
}

const cases = fixture as Case[];

function run(c: Case, xs: Encoded[], dtype: 'float32' | 'float64'): number[] {
  const x = tensor(xs.map(decode), { dtype });
  const out = c.op === 'round' ? x.round(c.decimals) : (x[c.op] as () => Tensor).call(x);
  expect(out.dtype).toBe(dtype);
  return Array.from(out.data());
}

/**
 * NOTE: where x·10^d overflows, PyTorch's round(x, decimals=d) gives Infinity
 * (1.7976931348623157e308 with d = 1 or more, 3e38 in float32 with d = 1);
 * such an x has no digits after the point at that scale, so chainrule returns
 * it unchanged. The only deliberate difference from the fixture.
 */
const overflowsScaled = (x: number, decimals: number, dtype: 'float32' | 'float64') => {
  const scaled = x * 10 ** decimals;
  return decimals > 0 && Number.isFinite(x) && !Number.isFinite(dtype === 'float32' ? Math.fround(scaled) : scaled);
};

describe.each(cases.map((c) => [`${c.op}${c.op === 'round' ? `(decimals ${c.decimals})` : ''}`, c] as const))(
  '%s against PyTorch 1.13',
  (_title, c) => {
    for (const dtype of ['float64', 'float32'] as const) {
      it(`${dtype}: every value as PyTorch, the sign of zero included`, () => {
        const xs = dtype === 'float64' ? c.x64 : c.x32;
        const expected = (dtype === 'float64' ? c.torch64 : c.torch32).map(decode);
        const ours = run(c, xs, dtype);
        ours.forEach((v, i) => {
          const x = decode(xs[i] as Encoded);
          const want = overflowsScaled(x, c.decimals, dtype) ? x : (expected[i] as number);
          expect(Object.is(v, want), `${c.op}(${x}, ${c.decimals}) = ${v}, PyTorch ${expected[i]}`).toBe(true);
        });
      });
    }
  },
);

describe('rounding ops: dtypes, arguments and gradients', () => {
  it('ties go to the even neighbour (hand-checked)', () => {
    expect(Array.from(tensor([0.5, 1.5, 2.5, -0.5, -2.5, 3.5]).round().data())).toEqual([0, 2, 2, -0, -2, 4]);
    // 1.25·10 = 12.5 exactly, a tie: 12 → 1.2. The stored 2.675 is just below 2.675, but its
    // product with 100 rounds to 267.5, a tie: 268 → 2.68 (as PyTorch; Python's decimal round gives 2.67).
    expect(Array.from(tensor([1.25, 2.675], { dtype: 'float64' }).round(1).data())).toEqual([1.2, 2.7]);
    expect(Array.from(tensor([2.675], { dtype: 'float64' }).round(2).data())).toEqual([2.68]);
    // d = -2: 1250/100 = 12.5 → 12 → 1200; 1350/100 = 13.5 → 14 → 1400.
    expect(Array.from(tensor([1250, 1350]).round(-2).data())).toEqual([1200, 1400]);
  });

  it('keep int32 inputs int32 (their values are integers already)', () => {
    const x = tensor(new Int32Array([-3, 0, 7]));
    for (const r of [x.floor(), x.ceil(), x.round(), x.trunc(), x.round(-1)]) expect(r.dtype).toBe('int32');
    expect(Array.from(x.round(-1).data())).toEqual([0, 0, 10]);
    expect(Array.from(x.frac().data())).toEqual([0, 0, 0]);
  });

  it('round refuses a decimals that is not an integer, naming it', () => {
    expect(() => tensor([1]).round(1.5)).toThrow(ArgumentError);
    expect(() => tensor([1]).round('2' as unknown as number)).toThrow(/^round: decimals must be an integer, got 2$/);
    expect(() => tensor([1]).round(Number.NaN)).toThrow(/^round: decimals must be an integer, got NaN$/);
  });

  it('floor, ceil, round and trunc have zero gradient, even for an infinite upstream gradient; frac passes it through', () => {
    for (const f of [
      (t: Tensor) => t.floor(),
      (t: Tensor) => t.ceil(),
      (t: Tensor) => t.round(),
      (t: Tensor) => t.trunc(),
    ]) {
      const x = tensor([-1.5, 0.3, 2.5], { dtype: 'float64', requiresGrad: true });
      // d/dx (f(x)·∞): PyTorch's zeros_like(grad) gives 0, where g·0 would give NaN.
      f(x).mul(Infinity).sum().backward();
      expect(Array.from((x.grad as Tensor).data())).toEqual([0, 0, 0]);
    }
    const x = tensor([-1.5, 0.3, 2.5], { dtype: 'float64', requiresGrad: true });
    x.frac()
      .mul(tensor([1, 2, 3], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(Array.from((x.grad as Tensor).data())).toEqual([1, 2, 3]);
  });
});
