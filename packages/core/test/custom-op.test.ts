/**
 * A user-defined op (customOp) works like a built-in one: backward, noGrad,
 * createGraph for second derivatives, the functional transforms, version
 * checks on what its forward saved, and GraphErrors naming it when its
 * backward breaks the contract.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, customOp, grad, noGrad, tensor, toDot, type Tensor } from '../src/index';
import { expectClose } from './tensor/expect-close';

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

/** swish(x) = x·σ(x), with its derivative σ(x)(1 + x(1 - σ(x))) written by hand. */
const swish = customOp({
  name: 'swish',
  forward(ctx, x) {
    const input = x as Tensor;
    ctx.save(input);
    return input.mul(input.sigmoid());
  },
  backward({ saved: [x] }, g) {
    const input = x as Tensor;
    const s = input.sigmoid();
    return g.mul(s.mul(input.mul(s.neg().add(1)).add(1)));
  },
});

/** Identity forward, gradient clipped to [-1, 1] (a "straight-through" trick). */
const clipGrad = customOp({
  name: 'clipGrad',
  forward: (_ctx, x) => x as Tensor,
  backward: (_ctx, g) => g.clamp(-1, 1),
});

describe('customOp', () => {
  it('computes its forward and records a node named after it', () => {
    const x = tensor([0, 1], { dtype: 'float64', requiresGrad: true });
    const y = swish(x);
    expectClose(y, [0, sigma(1)], { rtol: 1e-12 });
    expect(y.gradFn?.name).toBe('swish');
    expect(toDot(y.sum())).toContain('swish');
  });

  it('its backward gives the hand-derived gradient', () => {
    // swish′(x) = σ(x)(1 + x(1 - σ(x))): 0.5 at 0.
    const xs = [0, 1, -2];
    const x = tensor(xs, { dtype: 'float64', requiresGrad: true });
    swish(x).sum().backward();
    expectClose(
      x.grad,
      xs.map((v) => sigma(v) * (1 + v * (1 - sigma(v)))),
      { rtol: 1e-12 },
    );
  });

  it('a gradient-clipping op changes only the backward pass', () => {
    // Forward is the identity; the incoming gradient 5·[1, 1] is clipped to 1.
    const x = tensor([3, -4], { requiresGrad: true });
    const y = clipGrad(x);
    expectClose(y, [3, -4]);
    expect(y).not.toBe(x);
    y.mul(5).sum().backward();
    expectClose(x.grad, [1, 1]);
  });

  it('under noGrad records nothing', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => swish(x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('second derivatives work when its backward uses Tensor ops', () => {
    // swish″(x) = σ′(x)(2 + x(1 - 2σ(x))) with σ′ = σ(1 - σ); at 0: 0.25·2 = 0.5.
    const second = grad((x: Tensor) => grad((y: Tensor) => swish(y).sum())(x).sum());
    const xs = [0, 1.5];
    const expected = xs.map((v) => sigma(v) * (1 - sigma(v)) * (2 + v * (1 - 2 * sigma(v))));
    expectClose(second(tensor(xs, { dtype: 'float64' })), expected, { rtol: 1e-10 });
    // The same through backward({ createGraph: true }).
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    swish(x).sum().backward(undefined, { createGraph: true });
    const g = x.grad as Tensor;
    x.grad = null;
    g.sum().backward();
    expectClose(x.grad, [expected[1] as number], { rtol: 1e-10 });
  });

  it('tells backward which inputs need a gradient', () => {
    const seen: boolean[][] = [];
    const scale = customOp({
      name: 'scale',
      forward(ctx, x, s) {
        ctx.save(x as Tensor, s as Tensor);
        return (x as Tensor).mul(s as Tensor);
      },
      backward({ saved: [x, s], needsInputGrad }, g) {
        seen.push([...needsInputGrad]);
        return [needsInputGrad[0] ? g.mul(s as Tensor) : null, needsInputGrad[1] ? g.mul(x as Tensor).sum() : null];
      },
    });
    const x = tensor([1, 2], { requiresGrad: true });
    scale(x, tensor(3)).sum().backward();
    expectClose(x.grad, [3, 3]);
    expect(seen).toEqual([[true, false]]);
  });

  it('refuses to run backward after a tensor it saved was changed in place', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const y = swish(x);
    noGrad(() => x.addInPlace(1));
    expect(() => y.sum().backward()).toThrow(GraphError);
    expect(() => y.sum().backward()).toThrow(
      /^swish: a tensor of shape \[2\] that this op saved for backward was changed in place/,
    );
    expect(x.grad).toBeNull();
  });

  it('a backward returning the wrong number of gradients is a GraphError naming the op', () => {
    const add2 = customOp({
      name: 'add2',
      forward: (_c, a, b) => (a as Tensor).add(b as Tensor),
      backward: (_c, g) => [g],
    });
    const a = tensor([1], { requiresGrad: true });
    expect(() =>
      add2(a, tensor([1]))
        .sum()
        .backward(),
    ).toThrow(GraphError);
    expect(() =>
      add2(a, tensor([1]))
        .sum()
        .backward(),
    ).toThrow(/^add2: backward returned 1 gradients for 2 input\(s\)/);
  });

  it('a backward returning a gradient of the wrong shape is a GraphError naming the op', () => {
    const total = customOp({ name: 'total', forward: (_c, x) => (x as Tensor).sum(), backward: (_c, g) => g });
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => total(x).backward()).toThrow(GraphError);
    expect(() => total(x).backward()).toThrow(
      'total: backward returned a gradient of shape [] for input 0, which has shape [2]',
    );
    expect(x.grad).toBeNull();
  });

  it('a backward returning something other than tensors is a GraphError, not a TypeError', () => {
    // Regression: [3] as the gradient list crashed in the driver reading `.shape`.
    const bad = customOp({
      name: 'bad',
      forward: (_c, x) => (x as Tensor).mul(2),
      backward: () => [3 as unknown as Tensor],
    });
    const x = tensor([1], { requiresGrad: true });
    expect(() => bad(x).sum().backward()).toThrow(GraphError);
    expect(() => bad(x).sum().backward()).toThrow(
      'bad: backward returned 3 as the gradient of input 0; expected a Tensor or null',
    );
  });

  it('refuses a bad spec, a forward that returns no tensor, and non-tensor inputs', () => {
    expect(() => customOp({} as Parameters<typeof customOp>[0])).toThrow(ArgumentError);
    const nothing = customOp({ name: 'nothing', forward: () => 3 as unknown as Tensor, backward: (_c, g) => g });
    expect(() => nothing(tensor([1]))).toThrow('nothing: forward must return a Tensor, got 3');
    expect(() => swish('x' as unknown as Tensor)).toThrow(ArgumentError);
    expect(() => swish('x' as unknown as Tensor)).toThrow(/^swish: input 0 must be a Tensor or a number/);
  });
});
