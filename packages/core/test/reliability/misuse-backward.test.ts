/**
 * Backward under misuse (issue 25): a gradient the user holds is never
 * recycled, custom ops never rewrite other tensors' graphs, gradients
 * accumulate as PyTorch accumulates them, and a backward that fails writes
 * nothing. Each expected number is derived by hand in its comment.
 */
import { describe, expect, it } from 'vitest';
import {
  AnomalyError,
  ArgumentError,
  DTypeError,
  GraphError,
  ShapeError,
  customOp,
  detectAnomaly,
  enableGrad,
  full,
  ones,
  tensor,
  value,
  zeros,
  type Tensor,
} from '../../src/index';

const n = 4096; // above the pool's minimum length, so recycling applies

/** Allocates and fills many tensors of `n` elements, which would reuse any recycled array. */
function churn(): void {
  for (let i = 0; i < 40; i++) full([n], 7).add(1);
}

describe('memory a custom backward returns or keeps is never recycled', () => {
  it('keeps a gradient the backward returned and also kept', () => {
    const kept: Tensor[] = [];
    const double = customOp({
      name: 'double',
      forward: (_ctx, x) => x!.mul(2),
      backward: (_ctx, g) => {
        const gx = g.mul(2);
        kept.push(gx);
        return gx;
      },
    });
    const x = ones([n]).requireGrad();
    // x → mul(3) → double → sum: the kept gx is the gradient of the interior
    // tensor x·3, which a later rule (mul's) reads and, before the fix, recycled.
    double(x.mul(3)).sum().backward();
    churn();
    // d/d(x·3) of Σ 2·(x·3) is 2 everywhere.
    expect(Array.from((kept[0] as Tensor).data().slice(0, 4))).toEqual([2, 2, 2, 2]);
    // dΣ/dx = 2·3 = 6
    expect(Array.from((x.grad as Tensor).data().slice(0, 4))).toEqual([6, 6, 6, 6]);
  });

  it('keeps memory the backward made and aliases (a view of what it returned)', () => {
    const views: Tensor[] = [];
    const op = customOp({
      name: 'aliasing',
      forward: (_ctx, x) => x!.mul(1),
      backward: (_ctx, g) => {
        const gx = g.mul(5);
        views.push(gx.reshape([64, 64]));
        return gx;
      },
    });
    const x = ones([n]).requireGrad();
    op(x.mul(1)).sum().backward();
    churn();
    expect(Array.from((views[0] as Tensor).data().slice(0, 3))).toEqual([5, 5, 5]);
  });

  it('does not hand a kept gradient out as .grad (an optimizer update would change it)', () => {
    const kept: Tensor[] = [];
    const op = customOp({
      name: 'keeper',
      forward: (_ctx, x) => x!.mul(1),
      backward: (_ctx, g) => {
        const gx = g.mul(3);
        kept.push(gx);
        return gx;
      },
    });
    const x = ones([n]).requireGrad();
    op(x).sum().backward();
    (x.grad as Tensor).fill(0);
    expect(Array.from((kept[0] as Tensor).data().slice(0, 2))).toEqual([3, 3]);
  });
});

describe('gradients accumulate as in PyTorch', () => {
  it('a plain backward after a createGraph backward adds into the first gradient', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.pow(3).sum().backward(undefined, { createGraph: true });
    // First pass: d/dw Σ w³ = 3w² = [3, 12]; second: d/dw Σ 3w² = 6w = [6, 12].
    (w.grad as Tensor).sum().backward();
    expect(w.grad?.toArray()).toEqual([9, 24]);
  });

  it('a custom gradient that carries a graph is stored detached, and later passes accumulate', () => {
    const w = tensor([2], { requiresGrad: true });
    const op = customOp({
      name: 'graphGrad',
      forward: (_ctx, x) => x!.mul(1),
      // Recorded from w, which requires grad, the gradient carries a graph
      // (backward runs under noGrad unless the rule turns recording back on).
      backward: (_ctx, g) => enableGrad(() => g.mul(w)),
    });
    const x = tensor([1], { requiresGrad: true });
    op(x).sum().backward();
    expect(x.grad?.requiresGrad).toBe(false);
    op(x).sum().backward();
    // d/dx = w = 2 per pass, two passes.
    expect(x.grad?.toArray()).toEqual([4]);
  });
});

describe('customOp never rewrites an existing tensor', () => {
  it('a forward that returns a parameter leaves the parameter a leaf', () => {
    const w = tensor([3], { requiresGrad: true });
    const leak = customOp({ name: 'leak', forward: () => w, backward: (_ctx, g) => g });
    const x = tensor([1], { requiresGrad: true });
    const y = leak(x);
    expect(y).not.toBe(w);
    expect(w.isLeaf).toBe(true);
    expect(w.gradFn).toBeNull();
    y.sum().backward();
    // The gradient went to the op's input x, not to w.
    expect(x.grad?.toArray()).toEqual([1]);
    expect(w.grad).toBeNull();
  });

  it('a forward that returns an earlier result leaves that result wired as it was', () => {
    const w = tensor([3], { requiresGrad: true });
    const h = w.mul(2);
    const before = h.gradFn;
    const reuse = customOp({ name: 'reuse', forward: () => h, backward: (_ctx, g) => g });
    reuse(tensor([1], { requiresGrad: true }));
    expect(h.gradFn).toBe(before);
    h.sum().backward();
    expect(w.grad?.toArray()).toEqual([2]);
  });
});

describe('a backward that fails changes no .grad', () => {
  it('a .grad of the wrong dtype or shape, or not a tensor, is refused where it is set', () => {
    const b = tensor([3, 4], { requiresGrad: true });
    expect(() => (b.grad = tensor([0, 0], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => (b.grad = zeros([3]))).toThrow(ShapeError);
    expect(() => ((b as { grad: unknown }).grad = 5)).toThrow(ArgumentError);
    expect(b.grad).toBeNull();
  });

  // What the setter lets through but a gradient cannot be added into.
  const cases: [string, () => unknown][] = [['an expanded view', () => zeros([1]).expand([2])]];
  for (const [what, bad] of cases) {
    it(`refuses up front when one leaf's .grad is ${what}, writing no other leaf's`, () => {
      const a = tensor([1, 2], { requiresGrad: true });
      const b = tensor([3, 4], { requiresGrad: true });
      (b as { grad: unknown }).grad = bad();
      const loss = a.mul(b).sum();
      expect(() => loss.backward(undefined, { retainGraph: true })).toThrow(GraphError);
      expect(a.grad).toBeNull();
      // With .grad reset, the same graph (not freed by the failed pass) runs: dΣab/da = b.
      b.grad = null;
      loss.backward();
      expect(a.grad?.toArray()).toEqual([3, 4]);
    });
  }

  it('a Value backward stopped by anomaly mode leaves every grad as it was and the graph usable', () => {
    const a = value(0);
    const b = value(2);
    a.grad = 0.5;
    // log(a) is -Infinity at 0: its gradient 1/a is Infinity from a finite incoming gradient.
    const y = a.log().add(b.mul(3));
    expect(() => detectAnomaly(() => y.backward())).toThrow(AnomalyError);
    expect(a.grad).toBe(0.5);
    expect(b.grad).toBe(0);
    // Not freed by the failed pass: a plain backward now runs. dy/db = 3.
    y.backward();
    expect(b.grad).toBe(3);
  });
});
