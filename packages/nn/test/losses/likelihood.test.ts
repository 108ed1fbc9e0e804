import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, type Tensor, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { gaussianNllLoss, poissonNllLoss, type Reduction } from '../../src/index';
import { fixtureSuite } from './fixture';

const reductions: Reduction[] = ['mean', 'sum', 'none'];
const f64 = (x: number[] | number[][] | number, requiresGrad = false): Tensor =>
  tensor(x, { dtype: 'float64', requiresGrad });

fixtureSuite('gaussianNllLoss', ([x, y, v], o) => gaussianNllLoss(x as Tensor, y as Tensor, v as Tensor, o));
fixtureSuite('poissonNllLoss', ([x, y], o) => poissonNllLoss(x as Tensor, y as Tensor, o));

describe('gaussianNllLoss', () => {
  const mu = f64([
    [0.5, -1.0, 2.0],
    [0.0, 0.3, -0.7],
  ]);
  const y = f64([
    [0.7, -0.2, 1.0],
    [0.1, 0.3, -2.0],
  ]);

  it('is ½(log var + (input - target)² / var), plus ½ log 2π with full (hand computation)', () => {
    // input 1, target 3, var 4: ½(ln 4 + 4/4).
    const one = (full: boolean) => gaussianNllLoss(f64([1]), f64([3]), f64([4]), { full }).item();
    expect(one(false)).toBeCloseTo(0.5 * (Math.log(4) + 1), 15);
    expect(one(true)).toBeCloseTo(0.5 * (Math.log(4) + 1) + 0.5 * Math.log(2 * Math.PI), 15);
  });

  it('raises var to eps but passes its gradient through unclamped, as PyTorch', () => {
    const v = f64([0, 1e-9], true);
    const eps = 1e-6;
    // d = 0.001: ½(ln eps + d²/eps) per element; d/dvar = ½(1/eps - d²/eps²) for both.
    const losses = gaussianNllLoss(f64([0.001, 0.001]), f64([0, 0]), v, { reduction: 'none' });
    const d2 = 1e-6;
    expect(losses.toArray()).toBeAllClose([0.5 * (Math.log(eps) + d2 / eps), 0.5 * (Math.log(eps) + d2 / eps)], {
      rtol: 1e-15,
      atol: 0,
    });
    losses.sum().backward();
    const g = 0.5 * (1 / eps - d2 / eps ** 2);
    expect(v.grad?.toArray()).toBeAllClose([g, g], { rtol: 1e-12, atol: 0 });
  });

  it('shares one variance along the last axis when var has shape [N] or [N, 1]', () => {
    const per = gaussianNllLoss(mu, y, f64([0.4, 3.0]), { reduction: 'none' });
    const expanded = f64([
      [0.4, 0.4, 0.4],
      [3.0, 3.0, 3.0],
    ]);
    expect(per.toArray()).toEqual(gaussianNllLoss(mu, y, expanded, { reduction: 'none' }).toArray());
    expect(gaussianNllLoss(mu, y, f64([[0.4], [3.0]]), { reduction: 'none' }).toArray()).toEqual(per.toArray());
  });

  it('passes gradcheck and gradgradcheck for input, target and var (away from the clamp)', () => {
    const v = f64([
      [0.5, 2.0, 0.7],
      [0.2, 1.5, 0.25],
    ]);
    for (const reduction of reductions) {
      for (const full of [false, true]) {
        const f = (a: Tensor, b: Tensor, c: Tensor): Tensor => gaussianNllLoss(a, b, c, { reduction, full });
        assertGradcheck(f, [mu, y, v]);
        assertGradgradcheck(f, [mu, y, v]);
      }
      const rows = (a: Tensor, b: Tensor, c: Tensor): Tensor => gaussianNllLoss(a, b, c, { reduction });
      assertGradgradcheck(rows, [mu, y, f64([0.4, 3.0])]);
    }
  });

  it('refuses negative variances and variances of no fitting shape before computing, naming gaussianNllLoss', () => {
    expect(() => gaussianNllLoss(mu, y, f64([0.4, -3.0]))).toThrow(ArgumentError);
    expect(() => gaussianNllLoss(mu, y, f64([0.4, -3.0]))).toThrow(
      /^gaussianNllLoss: var must be ≥ 0, element 1 is -3$/,
    );
    expect(() => gaussianNllLoss(mu, y, f64([1, 2, 3]))).toThrow(ShapeError);
    expect(() => gaussianNllLoss(mu, y, f64([1, 2, 3]))).toThrow(
      /^gaussianNllLoss: var of shape \[3\] fits no input of shape \[2,3\]: expected \[2,3\], \[2\] or \[2,1\]/,
    );
    expect(() => gaussianNllLoss(mu, y, f64(1))).toThrow(ShapeError);
    expect(() => gaussianNllLoss(mu, y.slice(0, 0, 1), f64([1, 2]))).toThrow(
      /^gaussianNllLoss: the prediction has shape \[2,3\] and the target \[1,3\]/,
    );
    expect(() => gaussianNllLoss(mu, y, f64([1, 2]), { eps: -1 })).toThrow(
      /^gaussianNllLoss: option 'eps' must be a finite number ≥ 0, got -1$/,
    );
    expect(() => gaussianNllLoss(mu, y, f64([1, 2]), { full: 1 as never })).toThrow(
      /^gaussianNllLoss: option 'full' must be true or false, got 1$/,
    );
  });
});

describe('poissonNllLoss', () => {
  it('is e^input - target·input, or input - target·log(input + eps), plus Stirling for target > 1 (hand computation)', () => {
    // log λ = ln 2, target 3: 2 - 3 ln 2; the same with λ = 2 given directly (eps 0).
    const expected = 2 - 3 * Math.log(2);
    expect(poissonNllLoss(f64([Math.log(2)]), f64([3])).item()).toBeCloseTo(expected, 15);
    expect(poissonNllLoss(f64([2]), f64([3]), { logInput: false, eps: 0 }).item()).toBeCloseTo(expected, 15);
    // Stirling's 3 ln 3 - 3 + ½ ln(6π) for target 3; nothing for targets 0 and 1.
    const full = poissonNllLoss(f64([Math.log(2), 0, 0]), f64([3, 1, 0]), { full: true, reduction: 'none' });
    expect(full.toArray()).toBeAllClose([expected + 3 * Math.log(3) - 3 + 0.5 * Math.log(6 * Math.PI), 1, 1], {
      rtol: 1e-15,
      atol: 0,
    });
  });

  it('keeps the target gradient finite with full where the target is 0 or 1 (PyTorch gives NaN there)', () => {
    const t = f64([0, 1, 3], true);
    poissonNllLoss(f64([0.5, 0.5, 0.5]), t, { full: true, reduction: 'sum' }).backward();
    // d/dtarget = -input where Stirling's term is dropped; -input + ln t + 1/(2t) for t = 3.
    expect(t.grad?.toArray()).toBeAllClose([-0.5, -0.5, -0.5 + Math.log(3) + 1 / 6], { rtol: 1e-15, atol: 0 });
  });

  it('passes gradcheck and gradgradcheck for input and target, every option', () => {
    const rate = f64([
      [0.2, 0.5, 2.0],
      [1.5, 3.0, 0.1],
    ]);
    const counts = f64([
      [0.5, 1.5, 2.0],
      [5.0, 0.7, 3.0],
    ]);
    for (const reduction of reductions) {
      for (const logInput of [true, false]) {
        for (const full of [false, true]) {
          const f = (a: Tensor, b: Tensor): Tensor => poissonNllLoss(a, b, { reduction, logInput, full });
          assertGradcheck(f, [rate, counts]);
          assertGradgradcheck(f, [rate, counts]);
        }
      }
    }
  });

  it('refuses bad options and shapes with typed errors naming poissonNllLoss', () => {
    const x = f64([1, 2]);
    expect(() => poissonNllLoss(x, f64([1]))).toThrow(ShapeError);
    expect(() => poissonNllLoss(x, x, { logInput: 'no' as never })).toThrow(
      /^poissonNllLoss: option 'logInput' must be true or false, got "no"$/,
    );
    expect(() => poissonNllLoss(x, x, { eps: Number.NaN })).toThrow(ArgumentError);
    expect(() => poissonNllLoss(x, x, { log_input: false } as never)).toThrow(
      /^poissonNllLoss: unknown option 'log_input'; accepted: reduction, logInput, full, eps$/,
    );
  });
});
