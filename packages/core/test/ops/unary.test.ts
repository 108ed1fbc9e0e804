/**
 * Elementwise unary ops: forward values at points where the answer is known
 * exactly or from Math (the reference noted per case), IEEE behaviour at the
 * edges, and the numerically delicate ones (sigmoid, softplus) at ±1000.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor, unaryOps, type Tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const f64 = (data: number[]) => tensor(data, { dtype: 'float64' });

interface Case {
  name: string;
  apply: (x: Tensor) => Tensor;
  input: number[];
  expected: number[];
}

// Expected values are exact by hand except where Math.* is named.
const cases: Case[] = [
  { name: 'neg', apply: (x) => x.neg(), input: [-2, 0, 3.5], expected: [2, -0, -3.5] },
  { name: 'exp', apply: (x) => x.exp(), input: [0, 1, -Infinity], expected: [1, Math.E, 0] },
  { name: 'log', apply: (x) => x.log(), input: [1, Math.E, 0, -1], expected: [0, 1, -Infinity, NaN] },
  { name: 'sqrt', apply: (x) => x.sqrt(), input: [0, 4, 2.25, -1], expected: [0, 2, 1.5, NaN] },
  // log1p(e - 1) = 1; log1p(-1) = ln 0 = -∞; log1p(1e-300) = 1e-300 to double precision (ln(1 + x) = x - x²/2 + …),
  // where log(1 + 1e-300) would round 1 + 1e-300 to 1 and give 0.
  { name: 'log1p', apply: (x) => x.log1p(), input: [0, Math.E - 1, -1, 1e-300], expected: [0, 1, -Infinity, 1e-300] },
  { name: 'abs', apply: (x) => x.abs(), input: [-3, 0, 2], expected: [3, 0, 2] },
  { name: 'sign', apply: (x) => x.sign(), input: [-3, 0, 2], expected: [-1, 0, 1] },
  { name: 'sin', apply: (x) => x.sin(), input: [0, Math.PI / 2, Math.PI / 6], expected: [0, 1, 0.5] },
  { name: 'cos', apply: (x) => x.cos(), input: [0, Math.PI, Math.PI / 3], expected: [1, -1, 0.5] },
  // tanh(ln 2) = (2 - 1/2)/(2 + 1/2) = 0.6
  { name: 'tanh', apply: (x) => x.tanh(), input: [0, Math.log(2), 1000, -1000], expected: [0, 0.6, 1, -1] },
  // σ(ln 3) = 3/4
  { name: 'sigmoid', apply: (x) => x.sigmoid(), input: [0, Math.log(3), 1000, -1000], expected: [0.5, 0.75, 1, 0] },
  { name: 'relu', apply: (x) => x.relu(), input: [-2, 0, 3], expected: [0, 0, 3] },
  { name: 'leakyRelu', apply: (x) => x.leakyRelu(), input: [-2, 0, 3], expected: [-0.02, 0, 3] },
  { name: 'leakyRelu(0.2)', apply: (x) => x.leakyRelu(0.2), input: [-2, 3], expected: [-0.4, 3] },
  // softplus(ln 3) = ln 4; softplus(0) = ln 2; softplus(1000) = 1000; softplus(-1000) = e⁻¹⁰⁰⁰ ≈ 0
  {
    name: 'softplus',
    apply: (x) => x.softplus(),
    input: [0, Math.log(3), 1000, -1000],
    expected: [Math.LN2, Math.log(4), 1000, 0],
  },
  { name: 'square', apply: (x) => x.square(), input: [-3, 0.5], expected: [9, 0.25] },
  { name: 'reciprocal', apply: (x) => x.reciprocal(), input: [4, -0.5, 0], expected: [0.25, -2, Infinity] },
  { name: 'clamp(-1, 1)', apply: (x) => x.clamp(-1, 1), input: [-5, -1, 0.5, 1, 7], expected: [-1, -1, 0.5, 1, 1] },
  { name: 'clamp(0)', apply: (x) => x.clamp(0), input: [-5, 7], expected: [0, 7] },
  { name: 'clamp(null, 0)', apply: (x) => x.clamp(null, 0), input: [-5, 7], expected: [-5, 0] },
];

describe('unary ops: forward values', () => {
  for (const c of cases) {
    it(c.name, () => {
      expectClose(c.apply(f64(c.input)), c.expected, { rtol: 1e-15, atol: 1e-15 });
    });
  }

  it('every op in the table has a case above', () => {
    const covered = new Set(cases.map((c) => c.name.replace(/\(.*/, '')));
    expect(Object.keys(unaryOps).filter((name) => !covered.has(name))).toEqual([]);
  });

  it('relu passes NaN through', () => {
    expect(tensor([NaN]).relu().item()).toBeNaN();
  });

  it('keep the dtype of a float input and compute int32 and bool inputs in float32', () => {
    expect(f64([1]).exp().dtype).toBe('float64');
    expect(tensor([1]).exp().dtype).toBe('float32');
    const r = tensor(new Int32Array([4])).sqrt();
    expect([r.dtype, r.item()]).toEqual(['float32', 2]);
    expect(tensor([true]).exp().item()).toBe(Math.fround(Math.E));
  });

  it('read strided views in view order', () => {
    // [[0,1],[4,9]]ᵀ = [[0,4],[1,9]] → sqrt → [[0,2],[1,3]]
    expectClose(
      tensor([
        [0, 1],
        [4, 9],
      ]).T.sqrt(),
      [
        [0, 2],
        [1, 3],
      ],
    );
  });

  it('refuse bad parameters', () => {
    expect(() => f64([1]).clamp(1, 0)).toThrow(ArgumentError);
    expect(() => f64([1]).clamp(1, 0)).toThrow('clamp: min 1 is greater than max 0');
    expect(() => f64([1]).clamp(NaN)).toThrow(ArgumentError);
    expect(() => f64([1]).leakyRelu(Infinity)).toThrow(ArgumentError);
    expect(() => f64([1]).leakyRelu('0.1' as unknown as number)).toThrow(
      /^leakyRelu: negativeSlope must be a finite number/,
    );
  });
});

describe('unary ops: hand-derived gradients at kinks and in the tails', () => {
  it('sigmoid′ and tanh′ are exactly 0, not NaN, at ±1000', () => {
    const x = f64([1000, -1000]);
    const s = x.detach().requireGrad();
    s.sigmoid().sum().backward();
    expectClose(s.grad, [0, 0], { atol: 0 });
    const t = x.detach().requireGrad();
    t.tanh().sum().backward();
    expectClose(t.grad, [0, 0], { atol: 0 });
  });

  it('softplus′ = σ: 1 and 0 at ±1000, 1/2 at 0', () => {
    const x = f64([1000, -1000, 0]).requireGrad();
    x.softplus().sum().backward();
    expectClose(x.grad, [1, 0, 0.5], { atol: 0 });
  });

  it('leakyRelu′ is the slope at 0 and below, as PyTorch', () => {
    const x = f64([-1, 0, 1]).requireGrad();
    x.leakyRelu(0.2).sum().backward();
    expectClose(x.grad, [0.2, 0.2, 1]);
  });

  it('sqrt′(0) is infinite, log′(x) = 1/x, reciprocal′ = -1/x²', () => {
    const a = f64([0, 4]).requireGrad();
    a.sqrt().sum().backward();
    expectClose(a.grad, [Infinity, 0.25]);
    const b = f64([0.5, -4]).requireGrad();
    b.log().sum().backward();
    expectClose(b.grad, [2, -0.25]);
    const c = f64([2, -0.5]).requireGrad();
    c.reciprocal().sum().backward();
    expectClose(c.grad, [-0.25, -4]);
  });

  it('sign′ is 0 everywhere', () => {
    const x = f64([-2, 3]).requireGrad();
    x.sign().sum().backward();
    expectClose(x.grad, [0, 0]);
  });
});
