import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, type Tensor, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { klDivLoss, type KlReduction } from '../../src/index';
import { fixtureSuite } from './fixture';

const reductions: KlReduction[] = ['mean', 'sum', 'none', 'batchmean'];
const f64 = (x: number[] | number[][], requiresGrad = false): Tensor => tensor(x, { dtype: 'float64', requiresGrad });

fixtureSuite('klDivLoss', ([x, y], o) => klDivLoss(x as Tensor, y as Tensor, o));

describe('klDivLoss', () => {
  // p = [1/2, 1/2] against q = [1/4, 3/4]: KL(p ‖ q) = ½ ln 2 + ½ ln(2/3).
  const kl = 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3);
  const logQ = f64([[Math.log(0.25), Math.log(0.75)]]);
  const p = f64([[0.5, 0.5]]);

  it("is Σ p·(log p - log q): 'batchmean' divides by the batch, 'mean' by every element (hand computation)", () => {
    expect(klDivLoss(logQ, p, { reduction: 'sum' }).item()).toBeCloseTo(kl, 15);
    expect(klDivLoss(logQ, p, { reduction: 'batchmean' }).item()).toBeCloseTo(kl, 15);
    expect(klDivLoss(logQ, p).item()).toBeCloseTo(kl / 2, 15);
    const two = klDivLoss(
      f64([
        [Math.log(0.25), Math.log(0.75)],
        [Math.log(0.5), Math.log(0.5)],
      ]),
      f64([
        [0.5, 0.5],
        [0.5, 0.5],
      ]),
      {
        reduction: 'batchmean',
      },
    );
    expect(two.item()).toBeCloseTo(kl / 2, 15);
    expect(klDivLoss(logQ, p.log(), { logTarget: true, reduction: 'sum' }).item()).toBeCloseTo(kl, 15);
  });

  it('counts a zero target as 0 (0·log 0 = 0) with a zero input gradient; a negative one gives NaN, as PyTorch 1.13', () => {
    const x = f64([-1, -2, -3], true);
    const losses = klDivLoss(x, f64([0, 0.5, 0.5]), { reduction: 'none' });
    expect(losses.toArray()).toBeAllClose([0, 0.5 * Math.log(0.5) + 1, 0.5 * Math.log(0.5) + 1.5], {
      rtol: 1e-15,
      atol: 0,
    });
    losses.sum().backward();
    expect(x.grad?.toArray()).toEqual([-0, -0.5, -0.5]);
    expect(klDivLoss(f64([-1]), f64([-0.5]), { reduction: 'sum' }).item()).toBeNaN();
  });

  it('passes gradcheck and gradgradcheck for input and target, with and without logTarget', () => {
    const x = f64([
      [-1.2, -0.4, -2.0],
      [-0.7, -1.1, -1.6],
    ]);
    const y = f64([
      [0.2, 0.5, 0.3],
      [0.6, 0.1, 0.3],
    ]);
    const logY = f64([
      [-0.5, -1.5, -0.9],
      [-2.0, -0.2, -1.0],
    ]);
    for (const reduction of reductions) {
      const f = (a: Tensor, b: Tensor): Tensor => klDivLoss(a, b, { reduction });
      assertGradcheck(f, [x, y]);
      assertGradgradcheck(f, [x, y]);
      const g = (a: Tensor, b: Tensor): Tensor => klDivLoss(a, b, { reduction, logTarget: true });
      assertGradcheck(g, [x, logY]);
      assertGradgradcheck(g, [x, logY]);
    }
  });

  it('refuses bad reductions, options and shapes with typed errors naming klDivLoss', () => {
    expect(() => klDivLoss(logQ, p, { reduction: 'batch' as KlReduction })).toThrow(ArgumentError);
    expect(() => klDivLoss(logQ, p, { reduction: 'batch' as KlReduction })).toThrow(
      /^klDivLoss: reduction must be 'mean', 'batchmean', 'sum' or 'none', got "batch"$/,
    );
    expect(() => klDivLoss(logQ, p, { logTarget: 1 as never })).toThrow(
      /^klDivLoss: option 'logTarget' must be true or false, got 1$/,
    );
    expect(() => klDivLoss(logQ, p, { log_target: true } as never)).toThrow(
      /^klDivLoss: unknown option 'log_target'; accepted: reduction, logTarget$/,
    );
    expect(() => klDivLoss(logQ, f64([0.5, 0.5]))).toThrow(ShapeError);
    expect(() => klDivLoss(logQ, f64([0.5, 0.5]))).toThrow(
      /^klDivLoss: the prediction has shape \[1,2\] and the target \[2\]; they must match/,
    );
  });
});
