/**
 * backward keeps a freshly computed gradient as `.grad` without copying it
 * only when nothing else can reach that memory; these are the cases where
 * something else can, and `.grad` must be a copy.
 */
import { describe, expect, it } from 'vitest';
import { customOp, tensor, type Tensor } from '../../src/index';

describe('.grad never shares memory with another tensor', () => {
  it('one fresh gradient given to two inputs becomes two separate .grad tensors', () => {
    const twice = customOp({
      name: 'twice',
      forward: (_ctx, a, b) => a!.add(b!),
      backward: (_ctx, g) => {
        const shared = g.mul(2);
        return [shared, shared];
      },
    });
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    twice(a, b).sum().backward();
    expect(a.grad?.storage).not.toBe(b.grad?.storage);
    a.grad?.fill(7);
    expect(b.grad?.toArray()).toEqual([2, 2]);
  });

  it('a gradient that is a tensor saved before backward is copied, not adopted', () => {
    const keep = tensor([5, 6]);
    const passSaved = customOp({
      name: 'passSaved',
      forward: (ctx, x) => {
        ctx.save(keep);
        return x!.mul(1);
      },
      backward: ({ saved }) => saved[0] as Tensor,
    });
    const x = tensor([0, 0], { requiresGrad: true });
    passSaved(x).sum().backward();
    expect(x.grad?.storage).not.toBe(keep.storage);
    x.grad?.fill(0);
    expect(keep.toArray()).toEqual([5, 6]);
  });

  it("a leaf's gradient adopted from one backward accumulates correctly in the next", () => {
    const W = tensor([[1, 2]], { requiresGrad: true });
    const x = tensor([[3], [4]]);
    W.matmul(x).sum().backward(); // d/dW = xᵀ = [[3, 4]]
    const first = W.grad;
    W.matmul(x).sum().backward();
    expect(W.grad).toBe(first); // accumulated in place
    expect(W.grad?.toArray()).toEqual([[6, 8]]);
  });
});
