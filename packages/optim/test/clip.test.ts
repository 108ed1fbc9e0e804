/**
 * clipGradNorm and clipGradValue against torch.nn.utils.clip_grad_norm_ and
 * clip_grad_value_ (fixtures/clip.json, from fixtures/make_fixtures.py), and
 * their handling of bad input.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { ArgumentError, tensor, zeros, type Tensor } from '@chainrule/core';
import { clipGradNorm, clipGradValue } from '../src/index';
import { clipFixtures, maxRelativeError, toTensor, valuesOf, type ClipCase } from './helpers/fixtures';

function paramsWithGrads(c: ClipCase): Tensor[] {
  return c.input.map((g) => {
    const p = zeros(g === null ? [2] : g.shape, { dtype: 'float64', requiresGrad: true });
    p.grad = g === null ? null : toTensor(g);
    return p;
  });
}

describe('clipping matches PyTorch', () => {
  clipFixtures.cases.forEach((c, i) => {
    it(`case ${i}: ${c.kind} ${JSON.stringify(c.args)}`, () => {
      const params = paramsWithGrads(c);
      if (c.kind === 'norm') {
        const normType = c.args.normType === 'inf' ? Infinity : (c.args.normType as number);
        const total = clipGradNorm(params, c.args.maxNorm as number, normType);
        expect(maxRelativeError([total], [c.totalNorm as number])).toBeLessThan(1e-12);
      } else {
        clipGradValue(params, c.args.clipValue as number);
      }
      params.forEach((p, k) => {
        const expected = c.grads[k];
        if (expected === null || expected === undefined) expect(p.grad).toBeNull();
        else expect(maxRelativeError(valuesOf(p.grad as Tensor), expected.data)).toBeLessThan(1e-12);
      });
    });
  });

  it('includes cases that clip and cases that do not', () => {
    const changed = clipFixtures.cases.map(
      (c) => JSON.stringify(c.input.map((g) => g?.data)) !== JSON.stringify(c.grads.map((g) => g?.data)),
    );
    expect(changed).toContain(true);
    expect(changed).toContain(false);
  });
});

describe('clipGradNorm', () => {
  it('accepts a single tensor and returns 0 when there are no gradients', () => {
    const p = tensor([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(clipGradNorm(p, 1)).toBe(0);
    p.grad = tensor([3, 4], { dtype: 'float64' });
    // ‖(3, 4)‖ = 5; the gradient is scaled by 1 / (5 + 1e-6).
    expect(clipGradNorm(p, 1)).toBe(5);
    expect(valuesOf(p.grad)).toEqual([3 / (5 + 1e-6), 4 / (5 + 1e-6)]);
  });

  it('changes the gradient tensor in place (a reference held before sees the change)', () => {
    const p = zeros([2], { dtype: 'float64', requiresGrad: true });
    const g = tensor([6, 8], { dtype: 'float64' });
    p.grad = g;
    clipGradNorm([p], 5);
    expect(p.grad).toBe(g);
    expect(valuesOf(g)[0]).toBeCloseTo(3, 5);
  });

  it('gives a broadcast gradient its own memory instead of scaling shared elements twice', () => {
    const p = zeros([3], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor([2], { dtype: 'float64' }).expand([3]);
    // ‖(2, 2, 2)‖ = 2√3; after clipping to 1 every element is 1/√3 (up to the 1e-6 guard).
    const total = clipGradNorm([p], 1);
    expect(total).toBeCloseTo(2 * Math.sqrt(3), 12);
    expect(p.grad as Tensor).toBeAllClose(1 / Math.sqrt(3), { rtol: 0, atol: 5e-7 }); // toBeCloseTo(…, 6) for each element
  });

  it('scales by a NaN norm as PyTorch does, or throws with errorIfNonfinite and changes nothing', () => {
    const p = zeros([2], { dtype: 'float64', requiresGrad: true });
    const q = zeros([2], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor([1, 2], { dtype: 'float64' });
    q.grad = tensor([Infinity, 0], { dtype: 'float64' });
    expect(() => clipGradNorm([p, q], 1, 2, { errorIfNonfinite: true })).toThrow(ArgumentError);
    expect(valuesOf(p.grad)).toEqual([1, 2]);
    // max_norm / (inf + 1e-6) = 0: finite elements become 0, the infinite one NaN.
    expect(clipGradNorm([p, q], 1)).toBe(Infinity);
    expect(valuesOf(p.grad)).toEqual([0, 0]);
    expect(Number.isNaN(valuesOf(q.grad)[0])).toBe(true);
  });

  it('lets NaN win the infinity norm', () => {
    const p = zeros([3], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor([1, NaN, 5], { dtype: 'float64' });
    expect(clipGradNorm([p], 1, Infinity)).toBeNaN();
  });

  it('refuses bad arguments with typed errors that name the function', () => {
    const p = zeros([2], { dtype: 'float64', requiresGrad: true });
    p.grad = tensor([1, 1], { dtype: 'float64' });
    expect(() => clipGradNorm([p], -1)).toThrow(/^clipGradNorm: maxNorm must be a number ≥ 0, got -1/);
    expect(() => clipGradNorm([p], NaN)).toThrow(ArgumentError);
    expect(() => clipGradNorm([p], 1, 0)).toThrow(/normType must be a number > 0 or Infinity, got 0/);
    expect(() => clipGradNorm([p], 1, -Infinity)).toThrow(ArgumentError);
    expect(() => clipGradNorm([p, 3 as unknown as Tensor], 1)).toThrow(/params\[1\] is 3, expected a Tensor/);
    expect(() => clipGradNorm(5 as unknown as Tensor, 1)).toThrow(/params must be a Tensor or an iterable/);
    expect(valuesOf(p.grad)).toEqual([1, 1]);
  });
});

describe('clipGradValue', () => {
  it('clamps to [-clipValue, clipValue], skips parameters without gradients, keeps NaN', () => {
    const p = zeros([4], { dtype: 'float32', requiresGrad: true });
    const q = zeros([1], { requiresGrad: true });
    p.grad = tensor([-2, 0.25, 3, NaN]);
    clipGradValue([p, q], 0.5);
    const v = valuesOf(p.grad);
    expect(v.slice(0, 3)).toEqual([-0.5, 0.25, 0.5]);
    expect(v[3]).toBeNaN();
    expect(q.grad).toBeNull();
  });

  it('refuses a negative or NaN clipValue', () => {
    const p = zeros([1], { requiresGrad: true });
    p.grad = tensor([1]);
    expect(() => clipGradValue([p], -1)).toThrow(/^clipGradValue: clipValue must be a number ≥ 0, got -1/);
    expect(() => clipGradValue([p], NaN)).toThrow(ArgumentError);
  });
});
