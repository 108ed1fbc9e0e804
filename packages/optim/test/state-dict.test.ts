/**
 * Optimizer state dicts: their layout (PyTorch's, with indices for
 * parameters), snapshot semantics, and what loading restores.
 */
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@chainrule/core';
import { Adam, RMSprop, SGD, StepLR } from '../src/index';
import { valuesOf } from './helpers/fixtures';

const f64 = { dtype: 'float64' } as const;

function param(values: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor {
  return tensor(values, { dtype, requiresGrad: true });
}

describe('stateDict', () => {
  it('lists groups with parameter indices and options, and state by index', () => {
    const a = param([1, 2]);
    const b = param([3]);
    const c = param([4]);
    const opt = new SGD(
      [
        { params: [a, b], momentum: 0.9 },
        { params: [c], lr: 0.5 },
      ],
      { lr: 0.1 },
    );
    a.grad = tensor([1, 1], f64);
    c.grad = tensor([1], f64);
    opt.step();
    const dict = opt.stateDict();
    expect(dict.paramGroups).toEqual([
      { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, params: [0, 1] },
      { lr: 0.5, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, maximize: false, params: [2] },
    ]);
    // Only a had a gradient in the momentum group; c's group has no momentum, so no state.
    expect(Object.keys(dict.state)).toEqual(['0']);
    expect(valuesOf(dict.state[0]?.momentumBuffer as Tensor)).toEqual([1, 1]);
  });

  it('is a snapshot: later steps do not change it, and it shares no tensor with the optimizer', () => {
    const a = param([1]);
    const opt = new Adam([a], { lr: 0.1 });
    a.grad = tensor([1], f64);
    opt.step();
    const dict = opt.stateDict();
    const saved = valuesOf(dict.state[0]?.expAvg as Tensor);
    opt.step();
    expect(valuesOf(dict.state[0]?.expAvg as Tensor)).toEqual(saved);
    expect(dict.state[0]?.step).toBe(1);
    expect(dict.state[0]?.expAvg).not.toBe(opt.state.get(a)?.expAvg);
  });

  it('saves the initialLr a scheduler recorded, and loading restores it with lr', () => {
    const a = param([1]);
    const opt = new SGD([a], { lr: 0.1 });
    const scheduler = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
    scheduler.step();
    const dict = opt.stateDict();
    expect(dict.paramGroups[0]).toMatchObject({ lr: 0.05, initialLr: 0.1 });
    const fresh = new SGD([param([1])], { lr: 0.3 });
    fresh.loadStateDict(dict);
    expect(fresh.paramGroups[0]).toMatchObject({ lr: 0.05, initialLr: 0.1 });
  });
});

describe('loadStateDict', () => {
  it('copies the tensors it loads, so changing the dict later changes nothing', () => {
    const a = param([1]);
    const opt = new Adam([a], { lr: 0.1 });
    a.grad = tensor([1], f64);
    opt.step();
    const dict = opt.stateDict();
    const other = new Adam([param([1])]);
    other.loadStateDict(dict);
    const loaded = other.state.values().next().value;
    dict.state[0]?.expAvg.fill(42);
    expect(valuesOf(loaded?.expAvg as Tensor)).not.toContain(42);
  });

  it('casts state to the dtype of the parameter it is loaded onto', () => {
    const a = param([1, 2]);
    const opt = new RMSprop([a], { momentum: 0.9 });
    a.grad = tensor([0.5, -0.5], f64);
    opt.step();
    const b = param([1, 2], 'float32');
    const other = new RMSprop([b], { momentum: 0.9 });
    other.loadStateDict(opt.stateDict());
    const s = other.state.get(b);
    expect(s?.squareAvg.dtype).toBe('float32');
    expect(s?.momentumBuffer?.dtype).toBe('float32');
    expect(valuesOf(s?.squareAvg as Tensor)).toEqual(valuesOf(opt.state.get(a)?.squareAvg as Tensor).map(Math.fround));
  });

  it('replaces state wholesale: parameters absent from the dict start afresh', () => {
    const a = param([1]);
    const opt = new SGD([a], { lr: 0.1, momentum: 0.9 });
    const empty = opt.stateDict();
    a.grad = tensor([1], f64);
    opt.step();
    expect(opt.state.size).toBe(1);
    opt.loadStateDict(empty);
    expect(opt.state.size).toBe(0);
  });

  it("refuses another optimizer's dict, naming the option it does not know", () => {
    const adam = new Adam([param([1])]);
    const sgd = new SGD([param([1])], { lr: 0.1 });
    expect(() => sgd.loadStateDict(adam.stateDict() as never)).toThrow(
      /^SGD.loadStateDict: unknown option 'betas' \(paramGroups\[0\]\)/,
    );
  });

  it('fills options missing from an older dict with their defaults', () => {
    const sgd = new SGD([param([1])], { lr: 0.1, momentum: 0.9 });
    const dict = sgd.stateDict();
    delete (dict.paramGroups[0] as Partial<(typeof dict.paramGroups)[number]>).maximize;
    const other = new SGD([param([1])], { lr: 0.1, maximize: true });
    other.loadStateDict(dict);
    expect(other.paramGroups[0]?.maximize).toBe(false);
  });
});
