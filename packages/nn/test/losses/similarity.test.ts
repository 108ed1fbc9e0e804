import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, IndexError, ShapeError, type Tensor, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { cosineEmbeddingLoss, cosineSimilarity, type Reduction } from '../../src/index';
import { fixtureSuite } from './fixture';

const reductions: Reduction[] = ['mean', 'sum', 'none'];
const f64 = (x: number[] | number[][] | number[][][], requiresGrad = false): Tensor =>
  tensor(x, { dtype: 'float64', requiresGrad });
type Target = Tensor | number[] | number;

fixtureSuite('cosineSimilarity', ([a, b], o) => cosineSimilarity(a as Tensor, b as Tensor, o), { reductions: false });
fixtureSuite('cosineEmbeddingLoss', ([a, b, y], o) => cosineEmbeddingLoss(a as Tensor, b as Tensor, y as Target, o));

describe('cosineSimilarity', () => {
  it('is x1·x2 / (‖x1‖‖x2‖) along axis 1 by default (hand computation)', () => {
    const c = cosineSimilarity(
      f64([
        [1, 0],
        [1, 1],
        [3, 4],
      ]),
      f64([
        [0, 1],
        [2, 2],
        [-4, 3],
      ]),
    );
    // [0, 1, (-12 + 12)/25]
    expect(c.toArray()).toBeAllClose([0, 1, 0], { rtol: 0, atol: 4e-16 });
    // Along axis 0 of [[3], [4]] and [[4], [3]]: 24/25.
    expect(cosineSimilarity(f64([[3], [4]]), f64([[4], [3]]), { axis: 0 }).toArray()).toBeAllClose([24 / 25], {
      rtol: 1e-15,
      atol: 0,
    });
  });

  it('is 1 for huge parallel vectors (PyTorch 1.13 gives 0: its Σ x² overflows)', () => {
    const big = f64([[1e200, 1e200, 1e200]]);
    expect(cosineSimilarity(big, big).item()).toBeCloseTo(1, 15);
  });

  it('clamps each norm at eps, passing the gradient through: a zero x1 has gradient x2 / (eps·‖x2‖)', () => {
    const x1 = f64([[0, 0]], true);
    const x2 = f64([[3, 4]]);
    const c = cosineSimilarity(x1, x2);
    expect(c.item()).toBe(0);
    c.sum().backward();
    expect(x1.grad?.toArray()).toBeAllClose([[3 / 5 / 1e-8, 4 / 5 / 1e-8]], { rtol: 1e-15, atol: 0 });
  });

  it('broadcasts x1 and x2 before taking norms, as PyTorch expands them', () => {
    const a = f64([[1], [-2]]);
    const b = f64([
      [1, 2, 3],
      [0.5, 0.5, -1],
    ]);
    // a expands to [[1, 1, 1], [-2, -2, -2]]: the norms are taken over the expanded rows.
    expect(cosineSimilarity(a, b).toArray()).toBeAllClose(cosineSimilarity(a.expand([2, 3]), b).toArray() as number[], {
      rtol: 0,
      atol: 0,
    });
    expect(cosineSimilarity(a, b).toArray()).toBeAllClose([6 / Math.sqrt(3 * 14), 0], { rtol: 1e-15, atol: 1e-16 });
  });

  it('passes gradcheck and gradgradcheck along any axis, broadcasting included', () => {
    const a = f64([
      [
        [1.0, 2.0],
        [0.5, -1.0],
      ],
      [
        [-1.0, 0.25],
        [2.0, 2.0],
      ],
    ]);
    const b = f64([
      [
        [0.0, 1.0],
        [1.5, 0.5],
      ],
      [
        [1.0, 1.0],
        [-2.0, 0.5],
      ],
    ]);
    for (const axis of [0, 1, -1]) {
      const f = (x: Tensor, y: Tensor): Tensor => cosineSimilarity(x, y, { axis });
      assertGradcheck(f, [a, b]);
      assertGradgradcheck(f, [a, b]);
    }
    const row = f64([[0.3, -0.7]]);
    assertGradgradcheck((x: Tensor, y: Tensor) => cosineSimilarity(x, y, { axis: -1 }), [row, a]);
  });

  it('refuses bad axes, shapes and eps with typed errors naming cosineSimilarity', () => {
    const v = f64([1, 2]);
    expect(() => cosineSimilarity(v, v)).toThrow(IndexError);
    expect(() => cosineSimilarity(v, v)).toThrow(
      /^cosineSimilarity: axis 1 is out of range for inputs of rank 1 \(expected -1 to 0\) \(the default axis is 1, as PyTorch; pass \{ axis: -1 \} for the last axis\)$/,
    );
    expect(() => cosineSimilarity(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(ShapeError);
    expect(() => cosineSimilarity(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(
      /^cosineSimilarity: x1 of shape \[1,2\] and x2 of shape \[1,3\] do not broadcast together/,
    );
    expect(() => cosineSimilarity(v, v, { axis: 0, eps: -1 })).toThrow(
      /^cosineSimilarity: option 'eps' must be a finite number ≥ 0, got -1$/,
    );
    expect(() => cosineSimilarity(v, v, { axis: 0.5 })).toThrow(ArgumentError);
    expect(() => cosineSimilarity(v, v, { dim: 0 } as never)).toThrow(
      /^cosineSimilarity: unknown option 'dim'; accepted: axis, eps$/,
    );
    expect(() => cosineSimilarity(tensor([1, 2], { dtype: 'int32' }), v, { axis: 0 })).toThrow(DTypeError);
  });
});

describe('cosineEmbeddingLoss', () => {
  const x1 = f64([
    [1, 0],
    [1, 0],
    [0, 0],
  ]);
  const x2 = f64([
    [1, 1],
    [1, 1],
    [1, 2],
  ]);

  it('is 1 - cos for target 1 and max(0, cos - margin) for -1; a zero vector has cos 0 (hand computation)', () => {
    // cos = 1/√2 for the first two pairs (the 1e-12 in PyTorch's denominator moves it by ~1e-12), 0 for the third.
    const losses = cosineEmbeddingLoss(x1, x2, [1, -1, -1], { margin: 0.5, reduction: 'none' });
    expect(losses.toArray()).toBeAllClose([1 - Math.SQRT1_2, Math.SQRT1_2 - 0.5, 0], { rtol: 0, atol: 1e-11 });
    expect(
      cosineEmbeddingLoss(x1, x2, tensor([1, -1, 1], { dtype: 'int32' }), { reduction: 'sum' }).item(),
    ).toBeCloseTo(1 - Math.SQRT1_2 + Math.SQRT1_2 + 1, 11);
    expect(cosineEmbeddingLoss(f64([1, 0]), f64([1, 1]), 1).item()).toBeCloseTo(1 - Math.SQRT1_2, 11);
  });

  it('passes gradcheck and gradgradcheck for x1 and x2, away from the margin kink', () => {
    const a = f64([
      [1.0, 2.0, -0.5],
      [0.3, -0.4, 1.2],
      [1.0, 1.0, 1.0],
      [-1.0, 0.5, 0.5],
    ]);
    const b = f64([
      [-0.5, 1.0, 2.0],
      [0.6, -0.8, 2.4],
      [1.0, 0.9, 1.2],
      [1.0, 0.2, 0.1],
    ]);
    for (const reduction of reductions) {
      for (const margin of [0, 0.3, -0.5]) {
        const f = (p: Tensor, q: Tensor): Tensor => cosineEmbeddingLoss(p, q, [1, -1, -1, -1], { reduction, margin });
        assertGradcheck(f, [a, b]);
        assertGradgradcheck(f, [a, b]);
      }
    }
  });

  it('refuses targets other than ±1, mismatched shapes and non-vector inputs, naming cosineEmbeddingLoss', () => {
    expect(() => cosineEmbeddingLoss(x1, x2, [1, 0, -1])).toThrow(ArgumentError);
    expect(() => cosineEmbeddingLoss(x1, x2, [1, 0, -1])).toThrow(
      /^cosineEmbeddingLoss: the target must hold 1 \(similar\) or -1 \(dissimilar\), element 1 is 0$/,
    );
    expect(() => cosineEmbeddingLoss(x1, x2, [1, -1])).toThrow(
      /^cosineEmbeddingLoss: the target must have shape \[3\], got \[2\]$/,
    );
    expect(() => cosineEmbeddingLoss(x1, x2.slice(1, 0, 1), [1, -1, 1])).toThrow(
      /^cosineEmbeddingLoss: x1 \[3,2\], x2 \[3,1\]: they must have the same shape/,
    );
    expect(() => cosineEmbeddingLoss(x1.reshape([3, 2, 1]), x2.reshape([3, 2, 1]), [1, -1, 1])).toThrow(ShapeError);
    expect(() => cosineEmbeddingLoss(x1, x2, [1, -1, 1], { margin: Number.NaN })).toThrow(
      /^cosineEmbeddingLoss: option 'margin' must be a finite number, got NaN$/,
    );
    expect(() => cosineEmbeddingLoss(x1, x2, tensor([1, -1, 1], { dtype: 'bool' }))).toThrow(DTypeError);
    expect(() => cosineEmbeddingLoss(x1, x2, [1, -1, '1'] as never)).toThrow(
      /^cosineEmbeddingLoss: the target must hold numbers, element 2 is "1"/,
    );
  });
});
