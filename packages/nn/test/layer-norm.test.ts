/**
 * LayerNorm against PyTorch 1.13 (fixtures/norm-embedding.json, written by
 * fixtures/attention.py); RMSNorm, which PyTorch 1.13 lacks, against a
 * reference written here from its definition; gradients of both against
 * finite differences, first and second order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, DTypeError, ShapeError, type Tensor, tensor, zeros } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import { LayerNorm, RMSNorm, layerNorm, rmsNorm } from '../src/index';
import { expectClose } from './helpers';
import { type Nested, stateOf, t64, torchFixture } from './torch-fixtures';

interface LayerNormCase {
  name: string;
  normalizedShape: number[];
  eps: number;
  elementwiseAffine: boolean;
  keys: string[];
  state: Record<string, Nested>;
  x: Nested;
  w: Nested;
  out: Nested;
  grads: Record<string, Nested>;
}

const fixture = torchFixture<{ layerNorm: LayerNormCase[] }>('norm-embedding.json');
const tight = { rtol: 1e-10, atol: 1e-12 };

describe('LayerNorm against PyTorch', () => {
  for (const c of fixture.layerNorm) {
    it(`${c.name}: output, state-dict keys and the gradients of x and every parameter`, () => {
      const hasBias = c.keys.includes('bias');
      const layer = new LayerNorm(c.normalizedShape, {
        eps: c.eps,
        elementwiseAffine: c.elementwiseAffine,
        bias: hasBias,
        dtype: 'float64',
      });
      expect(Object.keys(layer.stateDict())).toEqual(c.keys);
      layer.loadStateDict(stateOf(c.state));
      const x = t64(c.x, { requiresGrad: true });
      const out = layer.forward(x);
      expectClose(out, c.out, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(x.grad as Tensor, c.grads.x as Nested, tight);
      for (const [name, p] of layer.namedParameters()) expectClose(p.grad as Tensor, c.grads[name] as Nested, tight);
    });

    it(`${c.name}: the functional form gives the same`, () => {
      const { weight, bias } = stateOf(c.state);
      const out = layerNorm(t64(c.x), c.normalizedShape, { eps: c.eps, weight: weight ?? null, bias: bias ?? null });
      expectClose(out, c.out, tight);
    });
  }

  it('a constant row normalizes to 0 (then the bias), with a finite gradient', () => {
    // mean = 3, var = 0: (x - 3)·(0 + eps)^(-1/2) = 0 exactly, so the output is the bias.
    const x = tensor([[3, 3, 3]], { dtype: 'float64', requiresGrad: true });
    const bias = tensor([0.5, -1, 2], { dtype: 'float64' });
    const out = layerNorm(x, 3, { bias });
    expectClose(out, [[0.5, -1, 2]], { rtol: 0, atol: 0 });
    out
      .mul(tensor([1, 2, 4], { dtype: 'float64' }))
      .sum()
      .backward();
    // d/dx_i = (g_i - mean(g))/√eps - ... with centred = 0 the second term vanishes:
    // (g - mean g)/√eps for g = [1, 2, 4], mean 7/3.
    const s = 1 / Math.sqrt(1e-5);
    expectClose(x.grad as Tensor, [[(1 - 7 / 3) * s, (2 - 7 / 3) * s, (4 - 7 / 3) * s]], { rtol: 1e-9, atol: 0 });
  });

  it('starts with weight = 1 and bias = 0 in the dtype asked for, and defaults as PyTorch', () => {
    const layer = new LayerNorm([2, 3]);
    expect(layer.weight?.dtype).toBe('float32');
    expect([...(layer.weight as Tensor).data()]).toEqual([1, 1, 1, 1, 1, 1]);
    expect([...(layer.bias as Tensor).data()]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(layer.eps).toBe(1e-5);
    expect(Object.keys(new LayerNorm(4, { elementwiseAffine: false }).stateDict())).toEqual([]);
    expect(Object.keys(new LayerNorm(4, { bias: false }).stateDict())).toEqual(['weight']);
    expect(new LayerNorm(4).toString()).toContain('LayerNorm([4], eps=0.00001, elementwiseAffine=true)');
  });
});

/**
 * RMSNorm from its definition (PyTorch 2.4's nn.RMSNorm), computed here
 * element by element: y = x / √(mean(x²) + eps) · weight over the last
 * `n` elements of each row.
 */
function rmsReference(x: number[], n: number, eps: number, weight: number[]): number[] {
  const out: number[] = [];
  for (let r = 0; r < x.length; r += n) {
    const row = x.slice(r, r + n);
    const ms = row.reduce((s, v) => s + v * v, 0) / n;
    row.forEach((v, i) => out.push((v / Math.sqrt(ms + eps)) * (weight[i] as number)));
  }
  return out;
}

describe('RMSNorm', () => {
  const xs = [0.3, -1.2, 2.5, 0.7, -0.4, 1.1, 0, 5, -3, 0.01, 0.02, -0.05];
  const weight = [1.5, -0.5, 2, 0.25, 1, -1];

  it('is x / √(mean(x²) + eps) · weight over the normalized axes', () => {
    const layer = new RMSNorm([6], { eps: 1e-6, dtype: 'float64' });
    layer.loadStateDict({ weight: tensor(weight, { dtype: 'float64' }) });
    const out = layer.forward(tensor(xs, { shape: [2, 6], dtype: 'float64' }));
    expectClose(out.reshape([-1]), rmsReference(xs, 6, 1e-6, weight), { rtol: 1e-14, atol: 0 });
    // Over two axes: one statistic per [2, 3] block.
    const two = new RMSNorm([2, 3], { eps: 1e-6, dtype: 'float64' });
    two.loadStateDict({ weight: tensor(weight, { shape: [2, 3], dtype: 'float64' }) });
    const out2 = two.forward(tensor(xs, { shape: [2, 2, 3], dtype: 'float64' }));
    expectClose(out2.reshape([-1]), rmsReference(xs, 6, 1e-6, weight), { rtol: 1e-14, atol: 0 });
  });

  it('defaults eps to the machine epsilon of the input dtype (PyTorch 2.x’s eps=None)', () => {
    // x = [1e-8, -1e-8]: mean(x²) = 1e-16, the same size as 2^-52 ≈ 2.2e-16,
    // so the result shows which eps was used: y = 1e-8 / √(1e-16 + 2^-52).
    const x = tensor([1e-8, -1e-8], { dtype: 'float64' });
    const y64 = new RMSNorm(2, { dtype: 'float64' }).forward(x);
    const e64 = 1e-8 / Math.sqrt(1e-16 + 2 ** -52);
    expectClose(y64, [e64, -e64], { rtol: 1e-14, atol: 0 });
    // float32: eps = 2^-23 ≈ 1.19e-7; x = [1e-3, 1e-3]: y = 1e-3 / √(1e-6 + 2^-23).
    const y32 = rmsNorm(tensor([1e-3, 1e-3]), 2);
    const e32 = 1e-3 / Math.sqrt(1e-6 + 2 ** -23);
    expectClose(y32, [e32, e32], { rtol: 1e-6, atol: 0 });
    expect(new RMSNorm(2).eps).toBeNull();
  });

  it('has PyTorch’s state: weight only (ones), or nothing without elementwiseAffine', () => {
    expect(Object.keys(new RMSNorm(3).stateDict())).toEqual(['weight']);
    expect([...(new RMSNorm(3).weight as Tensor).data()]).toEqual([1, 1, 1]);
    expect(Object.keys(new RMSNorm(3, { elementwiseAffine: false }).stateDict())).toEqual([]);
  });
});

describe('normalization gradients (float64, finite differences)', () => {
  const shapes = fc.constantFrom<number[]>([3], [2, 4], [2, 3, 2]);
  const values = (shape: number[]) => arbTensor({ shape, min: -3, max: 3 });

  it('layerNorm in x, weight and bias, first and second order', () => {
    fc.assert(
      fc.property(
        shapes.chain((shape) => {
          const k = Math.min(shape.length, 2);
          const norm = shape.slice(shape.length - k);
          return fc.tuple(fc.constant(norm), values(shape), values(norm), values(norm));
        }),
        ([norm, x, w, b]) => {
          // A row of (nearly) equal values has a tiny variance, where 1/√(var + eps) changes too fast for the step.
          const f = (xi: Tensor, wi: Tensor, bi: Tensor) => layerNorm(xi, norm, { weight: wi, bias: bi, eps: 0.1 });
          assertGradcheck(f, [x, w, b]);
          assertGradgradcheck(f, [x, w, b]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('rmsNorm in x and weight, first and second order', () => {
    fc.assert(
      fc.property(
        shapes.chain((shape) => {
          const norm = shape.slice(-1);
          return fc.tuple(fc.constant(norm), values(shape), values(norm));
        }),
        ([norm, x, w]) => {
          const f = (xi: Tensor, wi: Tensor) => rmsNorm(xi, norm, { weight: wi, eps: 0.1 });
          assertGradcheck(f, [x, w]);
          assertGradgradcheck(f, [x, w]);
        },
      ),
      { numRuns: 15 },
    );
  });
});

describe('normalization errors', () => {
  it('refuses an input that does not end with normalizedShape, naming both shapes', () => {
    expect(() => new LayerNorm([3, 4]).forward(zeros([2, 4, 3]))).toThrow(ShapeError);
    expect(() => new LayerNorm([3, 4]).forward(zeros([2, 4, 3]))).toThrow(
      /^LayerNorm: the input has shape \[2,4,3\], which does not end with normalizedShape \[3,4\]/,
    );
    expect(() => new RMSNorm(5).forward(zeros([5, 2]))).toThrow(/^RMSNorm: the input has shape \[5,2\]/);
    expect(() => layerNorm(zeros([2]), [2, 2])).toThrow(/^layerNorm: the input has shape \[2\]/);
  });

  it('refuses bad sizes, eps, dtypes and affine tensors', () => {
    expect(() => new LayerNorm(0)).toThrow(/^LayerNorm: normalizedShape must be a positive integer/);
    expect(() => new LayerNorm([])).toThrow(ArgumentError);
    expect(() => new LayerNorm(3, { eps: -1 })).toThrow(/^LayerNorm: eps must be a finite number ≥ 0, got -1/);
    expect(() => new RMSNorm(3, { eps: Number.NaN })).toThrow(/^RMSNorm: eps/);
    expect(() => new LayerNorm(3, { dtype: 'int32' as 'float32' })).toThrow(DTypeError);
    expect(() => new LayerNorm(3, { elementwise: true } as object)).toThrow(/unknown option 'elementwise'/);
    expect(() => new LayerNorm(3).forward(zeros([2, 3], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => layerNorm(zeros([2, 3]), 3, { weight: zeros([2]) })).toThrow(
      /^layerNorm: weight has shape \[2\]; it must have the normalized shape \[3\]/,
    );
    expect(() => rmsNorm(zeros([2, 3]), 3, { weight: zeros([3, 1]) })).toThrow(ShapeError);
  });
});
