/**
 * Regression tests for issue 25 ("correct under misuse"), the optim part.
 * Each case below once updated some parameters (and the optimizer's state)
 * and then threw half-way, again on every retry; or threw a raw TypeError
 * instead of the typed error. After each refused call, every parameter,
 * gradient, option and state buffer is compared bit for bit with a copy
 * taken before (test/support/bit-snapshot.ts).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Tensor, ones, tensor } from '@chainrule/core';
import {
  Adagrad,
  Adam,
  AdamW,
  MultiStepLR,
  NonFiniteGradientError,
  RMSprop,
  SGD,
  clipGradNorm,
  clipGradValue,
  type Optimizer,
} from '../src/index';
import { bitsOf } from '../../../test/support/bit-snapshot';

type AnyOptimizer = Optimizer<{ lr: number }, object>;

const f64 = { dtype: 'float64' } as const;

/** Everything the optimizer holds, bit for bit. */
function snapshot(opt: AnyOptimizer): string {
  const params = opt.paramGroups.flatMap((g) => g.params);
  return JSON.stringify({
    groups: opt.paramGroups.map(({ params: ps, ...options }) => ({
      options,
      params: ps.map(bitsOf),
      grads: ps.map((p) => bitsOf(p.grad)),
    })),
    state: [...opt.state].map(([p, s]) => [params.indexOf(p), Object.entries(s).map(([k, v]) => [k, bitsOf(v)])]),
  });
}

const makers: [string, (params: Tensor[]) => AnyOptimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.1 })],
  ['SGD', (p) => new SGD(p, { lr: 0.1, momentum: 0.9 })],
  ['Adam', (p) => new Adam(p, { lr: 0.1 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.1 })],
  ['RMSprop', (p) => new RMSprop(p, { momentum: 0.5 })],
  ['Adagrad', (p) => new Adagrad(p)],
];

/** A tensor whose three elements are one memory location: ones([1]).expand([3]). */
function expandedLeaf(): Tensor {
  const t = ones([1], f64).expand([3]);
  t.requiresGrad = true;
  return t;
}

function withGrads(): Tensor[] {
  const params = [tensor([1, -2], { ...f64, requiresGrad: true }), tensor([0.5], { ...f64, requiresGrad: true })];
  for (const p of params)
    p.grad = tensor(
      Array.from(p.data(), (v) => v / 4),
      { ...f64, shape: p.shape },
    );
  return params;
}

describe('a parameter that cannot be written in place', () => {
  for (const [name, make] of makers) {
    it(`${name}: is refused by the constructor and by addParamGroup, which leaves the optimizer as it was`, () => {
      expect(() => make([...withGrads(), expandedLeaf()])).toThrow(ArgumentError);
      expect(() => make([expandedLeaf()])).toThrow(
        new RegExp(`^${name}: params\\[0\\] is an expanded view of shape \\[3\\] \\(strides \\[0\\]\\)`),
      );
      const opt = make(withGrads());
      opt.step();
      const before = snapshot(opt);
      expect(() => opt.addParamGroup({ params: [expandedLeaf()] })).toThrow(
        new RegExp(`^${name}.addParamGroup: the group.params\\[0\\] is an expanded view`),
      );
      expect(snapshot(opt)).toBe(before);
    });

    it(`${name}: put into a group by hand, it makes step() throw before anything changes, on every retry`, () => {
      const params = withGrads();
      const opt = make(params);
      opt.step(); // so that state exists
      const bad = expandedLeaf();
      bad.grad = tensor([1, 1, 1], f64);
      (opt.paramGroups[0] as { params: Tensor[] }).params.push(bad);
      const before = snapshot(opt);
      for (let attempt = 0; attempt < 2; attempt++) {
        expect(() => opt.step()).toThrow(new RegExp(`^${name}.step: param 2 of group 0 is an expanded view`));
        expect(snapshot(opt)).toBe(before);
      }
    });
  }

  it('an int32 tensor is refused by the constructor with a DTypeError, as before', () => {
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })], { lr: 0.1 })).toThrow(DTypeError);
  });
});

describe('state changed by hand into something the update cannot use', () => {
  for (const [name, make] of makers.filter(([n], i) => n !== 'SGD' || i === 1)) {
    it(`${name}: a state entry replaced by a number or a tensor of another shape is refused before any update`, () => {
      const params = withGrads();
      const opt = make(params);
      opt.step();
      const state = opt.state.get(params[1] as Tensor) as Record<string, unknown>;
      const key = Object.keys(state).find((k) => state[k] instanceof Tensor) as string;
      for (const replacement of [7, tensor([1, 2, 3], f64), tensor([1], { dtype: 'float32' })]) {
        state[key] = replacement;
        const before = snapshot(opt);
        expect(() => opt.step()).toThrow(new RegExp(`^${name}.step: the state '${key}' of param 1 of group 0`));
        expect(snapshot(opt)).toBe(before);
      }
    });
  }
});

describe('a Symbol label', () => {
  it('is refused where it is set, so a NaN gradient is still reported as NonFiniteGradientError and changes nothing', () => {
    // A Symbol label once made step() throw a TypeError while wording the
    // NaN message; core now refuses any label that is not a string.
    const params = withGrads();
    const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
    expect(() => {
      (params[1] as { label: unknown }).label = Symbol('bias');
    }).toThrow(/^label: a label must be a string/);
    (params[1] as Tensor).grad = tensor([NaN], f64);
    const before = snapshot(opt);
    expect(() => opt.step()).toThrow(NonFiniteGradientError);
    expect(() => opt.step()).toThrow(
      /^SGD\.step: the gradient of param 1 of group 0 \(shape \[1\]\) holds NaN at element 0/,
    );
    expect(snapshot(opt)).toBe(before);
  });
});

describe('a refused scheduler constructor', () => {
  it('leaves the optimizer untouched (it used to set every group.initialLr first)', () => {
    // Epoch 0 is a milestone: lr 1e10 · gamma 1e300 overflows to Infinity, which the scheduler refuses.
    const opt = new SGD(withGrads(), { lr: 1e10 });
    const before = snapshot(opt);
    expect(() => new MultiStepLR(opt, { milestones: [0], gamma: 1e300 })).toThrow(
      /^MultiStepLR: epoch 0 would set the lr of param group 0/,
    );
    expect(snapshot(opt)).toBe(before);
    expect('initialLr' in (opt.paramGroups[0] as object)).toBe(false);
  });
});

describe('clipGradNorm and clipGradValue', () => {
  it('a refused clipGradNorm changes nothing, not even which tensor a strided gradient is', () => {
    const params = withGrads();
    // A broadcast view as a gradient: clipping replaces it by a contiguous
    // copy, but only once nothing can fail any more.
    const strided = tensor([Infinity], f64).expand([2]);
    (params[0] as Tensor).grad = strided;
    const before = JSON.stringify(params.map((p) => bitsOf(p.grad)));
    expect(() => clipGradNorm(params, 1, 2, { errorIfNonfinite: true })).toThrow(
      /^clipGradNorm: the total 2-norm of the gradients is Infinity/,
    );
    expect((params[0] as Tensor).grad).toBe(strided);
    expect(JSON.stringify(params.map((p) => bitsOf(p.grad)))).toBe(before);
    // A bad entry late in the list: refused before the first gradient is touched.
    expect(() => clipGradNorm([...withGrads(), 3 as unknown as Tensor], 0.1)).toThrow(
      /^clipGradNorm: params\[2\] is 3, expected a Tensor/,
    );
  });

  it('a parameter listed twice is scaled once (hand-derived)', () => {
    // grads [0.25, -0.5] and [0.125]: norm √(0.0625 + 0.25 + 0.015625) = √0.328125 once.
    const params = withGrads();
    const total = clipGradNorm([params[0] as Tensor, params[0] as Tensor, params[1] as Tensor], 0.1);
    expect(total).toBeCloseTo(Math.sqrt(0.328125), 12);
    const coef = 0.1 / (Math.sqrt(0.328125) + 1e-6);
    const [x, y] = ((params[0] as Tensor).grad as Tensor).data();
    expect(x).toBeCloseTo(0.25 * coef, 15); // scaled twice it would be 0.25 · coef² ≈ 0.0076
    expect(y).toBeCloseTo(-0.5 * coef, 15);
  });

  it('one gradient tensor held by two parameters counts twice in the norm and is scaled once (hand-derived)', () => {
    const a = tensor([1, 2], { ...f64, requiresGrad: true });
    const b = tensor([3, 4], { ...f64, requiresGrad: true });
    const g = tensor([3, 4], f64);
    a.grad = g;
    b.grad = g;
    // The concatenated vector is [3, 4, 3, 4]: norm √50.
    expect(clipGradNorm([a, b], 1)).toBeCloseTo(Math.sqrt(50), 12);
    const coef = 1 / (Math.sqrt(50) + 1e-6);
    const [x, y] = g.data();
    expect(x).toBeCloseTo(3 * coef, 15);
    expect(y).toBeCloseTo(4 * coef, 15);
    clipGradValue([a, b], 0.5);
    expect([...g.data()]).toEqual([x, 0.5]);
  });
});
