import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, type Tensor, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { marginRankingLoss, tripletMarginLoss, type Reduction } from '../../src/index';
import { fixtureSuite } from './fixture';

const reductions: Reduction[] = ['mean', 'sum', 'none'];
const f64 = (x: number[] | number[][], requiresGrad = false): Tensor => tensor(x, { dtype: 'float64', requiresGrad });
type Target = Tensor | number[] | number;

fixtureSuite('marginRankingLoss', ([a, b, y], o) => marginRankingLoss(a as Tensor, b as Tensor, y as Target, o));
fixtureSuite('tripletMarginLoss', ([a, p, n], o) => tripletMarginLoss(a as Tensor, p as Tensor, n as Tensor, o));

describe('marginRankingLoss', () => {
  it('is max(0, -y·(x1 - x2) + margin), with the gradient of the linear side at the kink (hand computation)', () => {
    const x1 = f64([3, 1, 0.5, 2], true);
    const x2 = f64([1, 2, 0.5, 2.5]);
    // margin 1: max(0, -2 + 1) = 0, max(0, 1 + 1) = 2, max(0, 0 + 1) = 1, y = -1: max(0, -0.5 + 1) = 0.5.
    const losses = marginRankingLoss(x1, x2, [1, 1, 1, -1], { margin: 1, reduction: 'none' });
    expect(losses.toArray()).toEqual([0, 2, 1, 0.5]);
    losses.sum().backward();
    expect(x1.grad?.toArray()).toBeAllClose([0, -1, -1, 1], { rtol: 0, atol: 0 });
    // At the kink -y·(x1 - x2) + margin = 0 the gradient passes (PyTorch's clamp_min): x1 = 1, x2 = 0, margin 1.
    const k = f64([1], true);
    marginRankingLoss(k, f64([0]), [1], { margin: 1, reduction: 'sum' }).backward();
    expect(k.grad?.toArray()).toEqual([-1]);
    expect(marginRankingLoss(f64([3, 1]), f64([1, 2]), tensor([1, 1], { dtype: 'int32' }), { margin: 1 }).item()).toBe(
      1,
    );
  });

  it('passes gradcheck and gradgradcheck for both scores and a float target, away from the kink', () => {
    const a = f64([0.5, -1.0, 2.0, 0.3, 1.0]);
    const b = f64([1.0, 0.5, -0.5, 0.35, 3.0]);
    const y = f64([1, -1, 1, -1, -1]);
    for (const reduction of reductions) {
      for (const margin of [0, 0.7, -0.2]) {
        const f = (p: Tensor, q: Tensor, t: Tensor): Tensor => marginRankingLoss(p, q, t, { reduction, margin });
        assertGradcheck(f, [a, b, y]);
        assertGradgradcheck(f, [a, b, y]);
      }
    }
  });

  it('refuses mismatched shapes, bad targets and margins with typed errors naming marginRankingLoss', () => {
    const a = f64([1, 2]);
    expect(() => marginRankingLoss(a, f64([1, 2, 3]), [1, 1])).toThrow(ShapeError);
    expect(() => marginRankingLoss(a, f64([1, 2, 3]), [1, 1])).toThrow(
      /^marginRankingLoss: x1 \[2\], x2 \[3\]: they must have the same shape \(PyTorch would broadcast them\)$/,
    );
    expect(() => marginRankingLoss(a, a, [1])).toThrow(
      /^marginRankingLoss: the target must have shape \[2\], got \[1\]$/,
    );
    expect(() => marginRankingLoss(a, a, 'up' as never)).toThrow(ArgumentError);
    expect(() => marginRankingLoss(a, a, [1, 1], { margin: Number.POSITIVE_INFINITY })).toThrow(
      /^marginRankingLoss: option 'margin' must be a finite number, got Infinity$/,
    );
    expect(() => marginRankingLoss(tensor([1, 2], { dtype: 'int32' }), a, [1, 1])).toThrow(DTypeError);
  });
});

describe('tripletMarginLoss', () => {
  it('is max(0, margin + ‖a - p + eps‖ - ‖a - n + eps‖) (hand computation, eps 0)', () => {
    // d(a, p) = ‖(3, 4)‖ = 5, d(a, n) = ‖(6, 8)‖ = 10, d(p, n) = ‖(3, 4)‖ = 5.
    const a = f64([[0, 0]]);
    const p = f64([[-3, -4]]);
    const n = f64([[-6, -8]]);
    expect(tripletMarginLoss(a, p, n, { eps: 0, margin: 6 }).item()).toBeCloseTo(1, 14);
    // With swap the negative distance is min(10, 5) = 5: 6 + 5 - 5.
    expect(tripletMarginLoss(a, p, n, { eps: 0, margin: 6, swap: true }).item()).toBeCloseTo(6, 14);
    // p = 1: 7 and 14; p = Infinity: 4 and 8.
    expect(tripletMarginLoss(a, p, n, { eps: 0, margin: 8, p: 1 }).item()).toBeCloseTo(1, 14);
    expect(tripletMarginLoss(a, p, n, { eps: 0, margin: 5, p: Number.POSITIVE_INFINITY }).item()).toBe(1);
    // One triplet of vectors: a 0-d loss.
    expect(tripletMarginLoss(f64([0, 0]), f64([-3, -4]), f64([-6, -8]), { eps: 0, margin: 6 }).shape).toEqual([]);
    // Vectors of length 0 are at distance 0, as PyTorch: the loss is the margin.
    const e = tensor([], { dtype: 'float64' }).reshape([1, 0]);
    expect(tripletMarginLoss(e, e, e, { reduction: 'none' }).toArray()).toEqual([1]);
  });

  it('passes gradcheck and gradgradcheck for anchor, positive and negative, for several p, with and without swap', () => {
    const a = f64([
      [0.1, 0.2, -0.3, 1.0],
      [1.0, -1.0, 0.5, 0.0],
      [0.0, 0.3, 0.3, -0.2],
    ]);
    // No coordinate of a - p, a - n or p - n is 0: |x| (p = 1) and |x|^(p-1) (p < 2) have a kink there.
    const p = f64([
      [0.2, 0.0, -0.1, 0.8],
      [0.5, -0.4, 0.9, 0.7],
      [1.0, 0.35, -0.6, 0.1],
    ]);
    const n = f64([
      [0.3, 0.1, -0.2, 1.1],
      [2.0, -2.0, 0.1, -0.5],
      [0.2, 0.1, 0.9, -0.4],
    ]);
    for (const reduction of reductions) {
      for (const [order, swap, margin] of [
        [2, false, 1],
        [1, true, 2],
        [3, true, 0.5],
        [1.5, false, 3],
      ] as const) {
        const f = (x: Tensor, y: Tensor, z: Tensor): Tensor =>
          tripletMarginLoss(x, y, z, { reduction, p: order, swap, margin });
        assertGradcheck(f, [a, p, n]);
        assertGradgradcheck(f, [a, p, n]);
      }
    }
  });

  it('refuses mismatched shapes, scalars and a p that is no norm, naming tripletMarginLoss', () => {
    const v = f64([[1, 2]]);
    expect(() => tripletMarginLoss(v, v, f64([[1, 2, 3]]))).toThrow(
      /^tripletMarginLoss: the anchor \[1,2\], the positive \[1,2\], the negative \[1,3\]: they must have the same shape/,
    );
    const s = tensor(1, { dtype: 'float64' });
    expect(() => tripletMarginLoss(s, s, s)).toThrow(ShapeError);
    for (const order of [0, -1, Number.NaN]) {
      expect(() => tripletMarginLoss(v, v, v, { p: order })).toThrow(ArgumentError);
    }
    expect(() => tripletMarginLoss(v, v, v, { p: 0 })).toThrow(
      /^tripletMarginLoss: option 'p' must be a number > 0 \(Infinity for the largest difference\), got 0$/,
    );
    expect(() => tripletMarginLoss(v, v, v, { swap: 'yes' as never })).toThrow(
      /^tripletMarginLoss: option 'swap' must be true or false, got "yes"$/,
    );
    expect(() => tripletMarginLoss(v, v, v, { distance: 2 } as never)).toThrow(
      /^tripletMarginLoss: unknown option 'distance'; accepted: reduction, margin, p, eps, swap$/,
    );
  });
});
