/**
 * A step or a loadStateDict that fails changes nothing: every parameter,
 * every state buffer and count, and every group option is compared with a
 * snapshot taken before.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, Tensor, tensor } from '@chainrule/core';
import {
  Adagrad,
  Adam,
  AdamW,
  NonFiniteGradientError,
  RMSprop,
  SGD,
  StepLR,
  ReduceLROnPlateau,
  type Optimizer,
} from '../src/index';
import { valuesOf } from './helpers/fixtures';

type AnyOptimizer = Optimizer<{ lr: number }, object>;

const f64 = { dtype: 'float64' } as const;

function snapshot(opt: AnyOptimizer): unknown {
  const plain = (v: unknown): unknown => (v instanceof Tensor ? { shape: [...v.shape], values: valuesOf(v) } : v);
  return {
    groups: opt.paramGroups.map(({ params, ...options }) => ({
      options: structuredClone(options),
      params: params.map(plain),
    })),
    state: [...opt.state].map(([p, s]) => [
      opt.paramGroups.flatMap((g) => g.params).indexOf(p),
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, plain(v)])),
    ]),
  };
}

const makers: [string, (params: Tensor[]) => AnyOptimizer][] = [
  ['SGD', (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam', (p) => new Adam(p, { lr: 0.1, amsgrad: true, weightDecay: 0.1 })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.1 })],
  ['RMSprop', (p) => new RMSprop(p, { centered: true, momentum: 0.5 })],
  ['Adagrad', (p) => new Adagrad(p, { lrDecay: 0.1 })],
];

/** Three parameters, after three ordinary steps (so that state exists), with fresh gradients set. */
function trained(make: (params: Tensor[]) => AnyOptimizer): { opt: AnyOptimizer; params: Tensor[] } {
  const params = [
    tensor([1, -2, 3], { ...f64, requiresGrad: true }),
    tensor([[0.5, 0.25]], { ...f64, requiresGrad: true }),
    tensor([4], { ...f64, requiresGrad: true }),
  ];
  const opt = make(params);
  for (let i = 1; i <= 3; i++) {
    for (const p of params)
      p.grad = tensor(
        valuesOf(p).map((x) => x * i),
        { ...f64, shape: p.shape },
      );
    opt.step();
  }
  for (const p of params)
    p.grad = tensor(
      valuesOf(p).map((x) => 0.5 - x),
      { ...f64, shape: p.shape },
    );
  return { opt, params };
}

describe('a non-finite gradient', () => {
  for (const [name, make] of makers) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      it(`${name}: ${bad} in the middle parameter throws and changes nothing`, () => {
        const { opt, params } = trained(make);
        (params[1] as Tensor).grad = tensor([[0.1, bad]], f64);
        const before = snapshot(opt);
        let error: unknown;
        try {
          opt.step();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(NonFiniteGradientError);
        expect(error).toMatchObject({ op: `${name}.step`, groupIndex: 0, paramIndex: 1, element: 1 });
        expect((error as Error).message).toMatch(
          new RegExp(
            `^${name}.step: the gradient of param 1 of group 0 \\(shape \\[1,2\\]\\) holds ${bad} at element 1; nothing was updated`,
          ),
        );
        expect(snapshot(opt)).toEqual(before);
      });
    }

    it(`${name}: with nonFinite 'skip' the step is skipped, then the next finite one applies`, () => {
      const { opt, params } = trained(make);
      opt.nonFinite = 'skip';
      const good = (params[2] as Tensor).grad;
      (params[2] as Tensor).grad = tensor([NaN], f64);
      const before = snapshot(opt);
      expect(opt.step()).toBe(false);
      expect(snapshot(opt)).toEqual(before);
      (params[2] as Tensor).grad = good;
      expect(opt.step()).toBe(true);
      expect(snapshot(opt)).not.toEqual(before);
    });
  }

  it('can be skipped from the constructor option', () => {
    const w = tensor([1], { ...f64, requiresGrad: true });
    w.grad = tensor([Infinity], f64);
    const opt = new SGD([w], { lr: 0.1, nonFinite: 'skip' });
    expect(opt.step()).toBe(false);
    expect(valuesOf(w)).toEqual([1]);
  });
});

describe('other bad input at step time', () => {
  for (const [name, make] of makers) {
    it(`${name}: an option made invalid by hand in the last group throws before anything changes`, () => {
      const { opt, params } = trained(make);
      opt.addParamGroup({ params: [tensor([1], { ...f64, requiresGrad: true })] });
      (opt.paramGroups[1] as { lr: number }).lr = NaN;
      const before = snapshot(opt);
      expect(() => opt.step()).toThrow(ArgumentError);
      expect(() => opt.step()).toThrow(
        new RegExp(`^${name}.step: option 'lr' must be a finite number ≥ 0 \\(param group 1\\), got NaN`),
      );
      expect(snapshot(opt)).toEqual(before);
      expect(params).toHaveLength(3);
    });

    it(`${name}: a gradient of the wrong shape in the last parameter is refused (by core's .grad setter) before anything changes`, () => {
      const { opt, params } = trained(make);
      const before = snapshot(opt);
      expect(() => ((params[2] as Tensor).grad = tensor([1, 2], f64))).toThrow(ShapeError);
      expect(snapshot(opt)).toEqual(before);
    });
  }
});

describe('loadStateDict checks everything before applying', () => {
  for (const [name, make] of makers) {
    it(`${name}: each corruption of a valid dict is refused and changes nothing`, () => {
      const source = trained(make).opt;
      const { opt } = trained(make);
      opt.setLr(0.0123);
      const valid = source.stateDict();
      const lastKey = Math.max(...Object.keys(valid.state).map(Number));
      const sample = valid.state[lastKey] as Record<string, unknown>;
      const tensorKey = Object.keys(sample).find((k) => sample[k] instanceof Tensor) as string;
      const countKey = Object.keys(sample).find((k) => typeof sample[k] === 'number');
      type Dict = ReturnType<typeof source.stateDict>;
      const last = (d: Dict) => d.state[lastKey] as Record<string, unknown>;
      const group0 = (d: Dict) => d.paramGroups[0] as Record<string, unknown> & { params: number[] };
      const corrupt: [string, (d: Dict) => void][] = [
        ['too many groups', (d) => d.paramGroups.push({ ...group0(d), params: [9] } as never)],
        ['a group of another size', (d) => group0(d).params.pop()],
        ['repeated indices', (d) => (group0(d).params[2] = 0)],
        ['a bad option', (d) => (group0(d)['lr'] = -1)],
        ['an unknown option', (d) => (group0(d)['foo'] = 1)],
        ['state for no parameter', (d) => (d.state[7] = d.state[lastKey] as never)],
        ['a tensor of the wrong shape', (d) => (last(d)[tensorKey] = tensor([1, 2, 3, 4], f64))],
        ['a NaN in a tensor', (d) => (last(d)[tensorKey] = tensor([NaN], f64))],
        ['an unknown state entry', (d) => (last(d)['velocity'] = tensor([1], f64))],
        ['a state entry that is not a tensor', (d) => (last(d)[tensorKey] = [1])],
        ['not a state dict', (d) => delete (d as Partial<Dict>).state],
      ];
      if (countKey !== undefined) {
        corrupt.push(['a negative step count', (d) => (last(d)[countKey] = -1)]);
        corrupt.push(['a fractional step count', (d) => (last(d)[countKey] = 1.5)]);
        corrupt.push(['a missing required entry', (d) => delete last(d)[countKey]]);
      }
      for (const [what, change] of corrupt) {
        const dict = source.stateDict();
        change(dict);
        const before = snapshot(opt);
        expect(() => opt.loadStateDict(dict), what).toThrow(new RegExp(`^${name}.loadStateDict: `));
        expect(snapshot(opt), what).toEqual(before);
      }
      // The untouched dict loads, and brings the source's options and state.
      opt.loadStateDict(valid);
      expect(snapshot(opt)).toEqual(snapshot(source));
    });
  }
});

describe('scheduler state dicts', () => {
  it('StepLR refuses a bad dict and keeps its state', () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    const scheduler = new StepLR(opt, { stepSize: 2 });
    scheduler.step();
    const before = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...before, gamma: -1 })).toThrow(
      /^StepLR.loadStateDict: option 'gamma' must be a finite number > 0/,
    );
    expect(() => scheduler.loadStateDict({ ...before, baseLrs: [0.1, 0.2] })).toThrow(
      /baseLrs must be 1 finite numbers/,
    );
    expect(() => scheduler.loadStateDict({ ...before, lastEpoch: -3 })).toThrow(/lastEpoch must be an integer ≥ 0/);
    expect(scheduler.stateDict()).toEqual(before);
  });

  it('ReduceLROnPlateau refuses a bad dict and keeps its state', () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
    const scheduler = new ReduceLROnPlateau(opt, { patience: 1 });
    scheduler.step(1);
    scheduler.step(2);
    const before = scheduler.stateDict();
    expect(() => scheduler.loadStateDict({ ...before, mode: 'avg' as 'min' })).toThrow(
      /option 'mode' must be "min" or "max", got "avg"/,
    );
    expect(() => scheduler.loadStateDict({ ...before, minLr: [0, 0] })).toThrow(
      /minLr has 2 values, but the optimizer has 1 parameter groups/,
    );
    expect(() => scheduler.loadStateDict({ ...before, best: NaN })).toThrow(ArgumentError);
    expect(scheduler.stateDict()).toEqual(before);
  });
});
