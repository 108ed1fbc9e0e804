/**
 * backward recycles the memory of gradients it knows are dead; these tests
 * pin that nothing still reachable is ever recycled (its values would change
 * under the next allocation of the same size), and that training gives
 * bit-for-bit the same numbers with recycling on and off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { customOp, manualSeed, noGrad, randn, tensor, zeros, type Tensor } from '../../src/index';
import { setRecycling } from '../../src/tensor/pool';

/** Allocates and fills many tensors of `size` elements, which would reuse any recycled array. */
function churn(size: number): void {
  for (let i = 0; i < 40; i++) zeros([size]).fill(123);
}

afterEach(() => setRecycling(true));

describe('recycled gradient memory', () => {
  const n = 4096; // above the pool's minimum length

  it('never includes a retained interior gradient', () => {
    const x = randn([n]).requireGrad();
    const y = x.mul(2);
    y.retainGrad();
    // d/dy Σ e^y = e^y, computed before backward so nothing allocated after
    // backward can be the gradient's own memory.
    const expected = noGrad(() => y.exp()).data();
    y.exp().sum().backward();
    churn(n);
    expect(y.grad?.data()).toEqual(expected);
  });

  it('never includes a gradient that a rule passed on as a view (reshape, add)', () => {
    const x = randn([n]).requireGrad();
    const w = randn([n]).requireGrad();
    // reshape passes g on as a view; add hands the same g to both inputs.
    x.reshape([64, 64])
      .add(w.reshape([64, 64]))
      .square()
      .sum()
      .backward();
    const gx = x.grad?.data();
    const gw = w.grad?.data();
    churn(n);
    expect(x.grad?.data()).toEqual(gx);
    expect(w.grad?.data()).toEqual(gw);
  });

  it("never includes a gradient a custom op's backward may have kept", () => {
    const kept: Tensor[] = [];
    const seen: Float32Array[] = [];
    const spy = customOp({
      name: 'spy',
      forward: (_ctx, x) => x!.mul(1),
      backward: (_ctx, g) => {
        kept.push(g);
        seen.push(g.data() as Float32Array); // its values when the op saw them
        return g.mul(1);
      },
    });
    const x = randn([n]).requireGrad();
    spy(x.mul(3)).exp().sum().backward();
    churn(n);
    expect((kept[0] as Tensor).data()).toEqual(seen[0]);
  });

  it('never includes a gradient handed to two consumers before both have used it', () => {
    // exp's backward makes a full-size g; add gives that same g to both
    // divisions, and each division's rule reads it twice.
    const [a, b, c, d] = [0, 1, 2, 3].map((i) =>
      randn([n])
        .mul(0.1)
        .add(1 + i)
        .requireGrad(),
    ) as [Tensor, Tensor, Tensor, Tensor];
    a.div(b).add(c.div(d)).exp().sum().backward();
    // With e = exp(a/b + c/d): ∂/∂a = e/b, ∂/∂b = -e·a/b², and likewise for c, d (plain arithmetic).
    const [av, bv, cv, dv] = [a, b, c, d].map((t) => t.data()) as [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    const grads = [a, b, c, d].map((t) => t.grad?.data() as Float32Array);
    const at = Array.from({ length: Math.ceil(n / 97) }, (_, k) => k * 97);
    const e = at.map((i) => Math.exp(av[i]! / bv[i]! + cv[i]! / dv[i]!));
    const sampled = (g: Float32Array) => at.map((i) => g[i]!);
    const tol = { rtol: 0, atol: 5e-5 }; // toBeCloseTo(…, 4)
    expect(sampled(grads[0]!)).toBeAllClose(
      at.map((i, k) => e[k]! / bv[i]!),
      tol,
    );
    expect(sampled(grads[1]!)).toBeAllClose(
      at.map((i, k) => (-e[k]! * av[i]!) / bv[i]! ** 2),
      tol,
    );
    expect(sampled(grads[2]!)).toBeAllClose(
      at.map((i, k) => e[k]! / dv[i]!),
      tol,
    );
    expect(sampled(grads[3]!)).toBeAllClose(
      at.map((i, k) => (-e[k]! * cv[i]!) / dv[i]! ** 2),
      tol,
    );
  });

  it('never includes a gradient that existed before backward (one a custom op returned)', () => {
    const keep = randn([n]);
    const before = keep.data();
    const passSaved = customOp({
      name: 'passSaved',
      forward: (_ctx, x) => x!.mul(1),
      backward: () => keep,
    });
    const x = randn([n]).requireGrad();
    passSaved(x.mul(3)).sum().backward();
    churn(n);
    expect(keep.data()).toEqual(before);
  });

  it('training gives the same numbers with and without recycling', () => {
    const train = () => {
      manualSeed(3);
      const W1 = randn([64, 32]).mul(0.3).requireGrad();
      const W2 = randn([8, 64]).mul(0.3).requireGrad();
      const x = randn([128, 32]);
      const y = randn([128, 8]);
      for (let step = 0; step < 5; step++) {
        x.matmul(W1.T).sigmoid().matmul(W2.T).tanh().sub(y).square().mean().backward();
        noGrad(() => {
          for (const p of [W1, W2]) {
            p.subInPlace(p.grad as Tensor, 0.5);
            p.grad = null;
          }
        });
      }
      return [W1.data(), W2.data()];
    };
    const recycled = train();
    setRecycling(false);
    const fresh = train();
    expect(recycled).toEqual(fresh);
  });
});

it('a recycled array comes back zero-filled', () => {
  const x = tensor(new Float32Array(2048).fill(1)).requireGrad();
  x.mul(2).exp().sum().backward();
  for (let i = 0; i < 20; i++)
    expect(
      zeros([2048])
        .data()
        .every((v) => v === 0),
    ).toBe(true);
});
