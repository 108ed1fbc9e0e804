/**
 * findDivergence on the four classic ways float32 loses a result, and on
 * their stable rewrites, which it must leave alone. What each case expects
 * is derived by hand in its comment (float32 has a 24-bit significand: 1 + x
 * rounds to 1 for |x| < 2⁻²⁴ ≈ 6e-8, and its largest number is about
 * 3.4e38); no expectation is read off findDivergence itself.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ArgumentError, customOp, tensor, where, type Tensor } from '@chainrule/core';
import { findDivergence, type DivergentOp } from '@chainrule/core/testing';

const source = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');

/** The 1-based line of this file holding `marker`: where findDivergence must say the op was called. */
function lineOf(marker: string): number {
  const i = source.findIndex((line) => line.includes(marker) && !line.includes('lineOf('));
  if (i < 0) throw new Error(`no line holds ${marker}`);
  return i + 1;
}

function expectCalledAt(d: DivergentOp | null, marker: string): void {
  expect(d?.location).toMatch(new RegExp(`divergence\\.test\\.ts:${lineOf(marker)}:\\d+$`));
}

// 1000 + sin(1.7 i): mean about 1000, variance about 0.5, every value exact in float32 to within 6e-5.
const largeMean = tensor(Array.from({ length: 64 }, (_, i) => 1000 + Math.sin(1.7 * i)));

describe('findDivergence finds', () => {
  it('log(1 + x) for tiny x, at the log', () => {
    // 1 + 1e-8 and 1 + 3e-8 round to 1 in float32, so their log is exactly 0,
    // where float64 gives log(1 + x) ≈ x: an error of 100% at those elements.
    const x = tensor([1e-8, 3e-8, 1e-7, 4e-7]);
    const report = findDivergence((t: Tensor) => t.add(1).log(), [x]); // mark:log
    const d = report.divergence;
    expect(report.ok).toBe(false);
    expect(d?.op).toBe('log');
    expect(d?.phase).toBe('forward');
    expectCalledAt(d, 'mark:log');
    expect(d?.float32.text).toMatch(/^\[0, 0, /);
    expect(d?.float64.min).toBeCloseTo(Math.fround(1e-8), 15);
    expect(d?.inputs[0]?.min).toBe(1);
    expect(d?.error).toBeGreaterThan(0.1); // (4e-7 − fl32(log(1 + fl32(4e-7)))) / 4e-7 ≈ 0.106
    expect(String(report)).toContain('log1p');
  });

  it('a variance written as E[x²] − E[x]² on data with a large mean, at the subtraction', () => {
    // E[x²] ≈ 1e6, where float32's spacing is 0.0625, and the variance is
    // about 0.5: the difference of two rounded 1e6s keeps about one digit.
    const report = findDivergence((x: Tensor) => x.square().mean().sub(x.mean().square()), [largeMean], {
      gradients: true,
    }); // mark:variance
    const d = report.divergence;
    expect(d?.op).toBe('sub');
    expect(d?.phase).toBe('forward');
    expect(d?.location).toMatch(/divergence\.test\.ts:\d+:\d+$/);
    expect(d?.inputs[0]?.min).toBeGreaterThan(9.99e5);
    expect(d?.float64.max).toBeLessThan(1);
    expect(String(report)).toContain('catastrophic cancellation');
  });

  it('a softmax written without subtracting the max, at the exp that overflows', () => {
    // exp(100) ≈ 2.7e43 and exp(90) ≈ 1.2e39 exceed float32's 3.4e38; exp(80) ≈ 5.5e34 does not.
    const logits = tensor([
      [100, 90, 80],
      [1, 2, 3],
    ]);
    const naive = (x: Tensor) => {
      const e = x.exp(); // mark:exp
      return e.div(e.sum(-1, true));
    };
    const d = findDivergence(naive, [logits], { gradients: true }).divergence;
    expect(d?.op).toBe('exp');
    expectCalledAt(d, 'mark:exp');
    expect(d?.float32.posInf).toBe(2);
    expect(d?.float64.posInf).toBe(0);
    expect(d?.error).toBe(Number.POSITIVE_INFINITY);
    expect(d?.worst.index).toEqual([0, 0]);
  });

  it('sqrt of a sum of squares that overflows float32, at the square', () => {
    // (3e20)² = 9e40 and (4e20)² = 1.6e41 overflow; the norm itself, 5e20, does not.
    const v = tensor([3e20, 4e20, 1e19]);
    const d = findDivergence((x: Tensor) => x.square().sum().sqrt(), [v]).divergence; // mark:square
    expect(d?.op).toBe('square');
    expectCalledAt(d, 'mark:square');
    expect(d?.float32.posInf).toBe(2);
  });

  it('a divergence in the backward pass only, naming the op whose rule it was and where that op was called', () => {
    // softplus(x) = log(1 + eˣ), forward written stably as max(x, 0) + log1p(e^-|x|); the
    // backward is the naive eˣ / (1 + eˣ), which is ∞/∞ = NaN in float32 at x = 100
    // (e¹⁰⁰ ≈ 2.7e43), where float64 gives 1.
    const softplus = customOp({
      name: 'softplus',
      forward(ctx, x) {
        ctx.save(x as Tensor);
        const t = x as Tensor;
        return t.relu().add(t.abs().neg().exp().log1p());
      },
      backward({ saved: [x] }, g) {
        const e = (x as Tensor).exp();
        return g.mul(e.div(e.add(1)));
      },
    });
    const x = tensor([100, 1, -2]);
    const report = findDivergence((t: Tensor) => softplus(t).sum(), [x], { gradients: true }); // mark:softplus
    const d = report.divergence;
    expect(d?.phase).toBe('backward');
    expect(d?.backwardOf).toBe('softplus');
    expect(d?.op).toBe('exp');
    expectCalledAt(d, 'mark:softplus');
    expect(report.compared.forward).toBeGreaterThan(0);
    expect(String(report)).toContain('in the backward of softplus');
  });
});

describe('findDivergence leaves stable code alone', () => {
  it('log1p', () => {
    const report = findDivergence((t: Tensor) => t.log1p(), [tensor([1e-8, 3e-8, 1e-7, 4e-7])], { gradients: true });
    expect(report.ok).toBe(true);
    expect(report.divergence).toBeNull();
    expect(String(report)).toMatch(/^no divergence/);
  });

  it('a centered variance, whose harmless cancellations in backward are listed as absorbed', () => {
    const report = findDivergence((x: Tensor) => x.sub(x.mean()).square().mean(), [largeMean], { gradients: true });
    expect(report.ok).toBe(true);
    // Σ(x − m)·2/n is 0 in exact arithmetic: float32's m and float64's m leave
    // different residues there, which the gradient through x swamps.
    expect(report.absorbed.some((a) => a.op === 'sum' && a.phase === 'backward')).toBe(true);
    expect(report.resultErrors.every((e) => e < 1e-3)).toBe(true);
  });

  it('a softmax that subtracts the max, written out and built in', () => {
    const logits = tensor([
      [100, 90, 80],
      [1, 2, 3],
    ]);
    const written = (x: Tensor) => {
      const e = x.sub(x.max(-1, true).detach()).exp();
      return e.div(e.sum(-1, true));
    };
    expect(findDivergence(written, [logits], { gradients: true }).ok).toBe(true);
    const builtIn = findDivergence((x: Tensor) => x.softmax(-1), [logits], { gradients: true });
    expect(builtIn.ok).toBe(true);
    expect(builtIn.compared.forward).toBeGreaterThan(3); // the composite's parts were replayed
  });

  it('a norm scaled by the largest magnitude, gradients included', () => {
    // s·sqrt(Σ(x/s)²) with s = max|x| squares numbers ≤ 1. Its gradient runs
    // through div's backward, whose -a/b² must be computed as -(a/b)/b (a·g
    // and b² alone overflow for b = 4e20).
    const v = tensor([3e20, 4e20, 1e19]);
    const scaled = (x: Tensor) => {
      const s = x.abs().max();
      return x.div(s).square().sum().sqrt().mul(s);
    };
    expect(findDivergence(scaled, [v], { gradients: true }).ok).toBe(true);
  });
});

describe('findDivergence', () => {
  // Comparisons are traced whole (their kernels run outside apply): the replay
  // takes their float32 results and says so, rather than following them silently.
  it('notes the comparisons whose results it takes from the float32 run', () => {
    const x = tensor([-1, 2, 3]);
    const report = findDivergence((t: Tensor) => where(t.gt(0), t.log(), t.neg()), [x]);
    expect(report.ok).toBe(true);
    expect(report.notes.join('\n')).toMatch(/results of gt were taken from the float32 run/);
  });

  it("leaves the caller's tensors as they were", () => {
    const x = tensor([1, 2, 3]);
    findDivergence((t: Tensor) => t.square().sum(), [x], { gradients: true });
    expect(x.requiresGrad).toBe(false);
    expect(x.grad).toBeNull();
  });

  it('refuses bad arguments with typed errors naming what it accepts', () => {
    const f = (t: Tensor) => t.exp();
    const x = tensor([1]);
    expect(() => findDivergence(f, [x], { tolerance: -1 })).toThrow(ArgumentError);
    expect(() => findDivergence(f, [x], { tolerance: -1 })).toThrow(/^findDivergence: tolerance must be/);
    expect(() => findDivergence(f, [x], { absoluteFloor: 0 })).toThrow(/absoluteFloor must be a finite number > 0/);
    expect(() => findDivergence(f, [tensor([1], { dtype: 'float64' })])).toThrow(/no float32 tensor among the inputs/);
    expect(() => findDivergence((() => 3) as unknown as typeof f, [x])).toThrow(/fn must return a Tensor/);
    expect(() => findDivergence(f, [x], { tolerence: 1 } as never)).toThrow(ArgumentError);
  });
});
