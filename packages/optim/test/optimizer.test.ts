/**
 * The Optimizer base: parameter groups, zeroGrad, skipping parameters
 * without gradients, changing lr between steps, strided tensors, and the
 * version bump that keeps backward honest after an in-place update.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, GraphError, ShapeError, tensor, type Tensor } from '@chainrule/core';
import { Adam, SGD } from '../src/index';
import { valuesOf } from './helpers/fixtures';

const f64 = { dtype: 'float64' } as const;

function param(values: number[]): Tensor {
  return tensor(values, { ...f64, requiresGrad: true });
}

function withGrad(p: Tensor, g: number[]): Tensor {
  p.grad = tensor(g, { ...f64, shape: p.shape });
  return p;
}

describe('parameter groups', () => {
  it('puts plain tensors in one group with the constructor options and their defaults', () => {
    const a = param([1]);
    const b = param([2]);
    const opt = new SGD(new Set([a, b]), { lr: 0.1, momentum: 0.5 });
    expect(opt.paramGroups).toHaveLength(1);
    const group = opt.paramGroups[0];
    expect(group?.params).toEqual([a, b]);
    expect(group).toMatchObject({
      lr: 0.1,
      momentum: 0.5,
      dampening: 0,
      nesterov: false,
      weightDecay: 0,
      maximize: false,
    });
  });

  it('lets each group override options, the rest falling back to the constructor', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([{ params: [a], lr: 1 }, { params: [b] }], { lr: 0.1 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([1, 0.1]);
    withGrad(a, [1]);
    withGrad(b, [1]);
    opt.step();
    expect(valuesOf(a)).toEqual([0]);
    expect(valuesOf(b)).toEqual([0.9]);
  });

  it('copies array options per group, so changing one group does not change another', () => {
    const opt = new Adam([{ params: [param([1])] }, { params: [param([1])] }], { betas: [0.8, 0.9] });
    expect(opt.paramGroups[0]?.betas).not.toBe(opt.paramGroups[1]?.betas);
    expect(opt.paramGroups[0]?.betas).toEqual([0.8, 0.9]);
  });

  it('adds a group later with addParamGroup', () => {
    const a = param([1]);
    const b = param([1]);
    const opt = new SGD([a], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [b], lr: 0.5 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9 });
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/each parameter may appear only once/);
    expect(opt.paramGroups).toHaveLength(2);
  });

  it('refuses bad parameter lists with typed errors', () => {
    const a = param([1]);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/^SGD: got an empty parameter list/);
    expect(() => new SGD(a as unknown as Tensor[], { lr: 0.1 })).toThrow(
      /a single Tensor \(wrap it in an array: \[w\]\)/,
    );
    expect(() => new SGD([a, a], { lr: 0.1 })).toThrow(/the same tensor is param 1 of group 0 and param 0 of group 0/);
    expect(() => new SGD([{ params: [a] }, { params: [a] }], { lr: 0.1 })).toThrow(ArgumentError);
    expect(() => new SGD([a, { params: [] }] as never, { lr: 0.1 })).toThrow(
      /must be all tensors or all \{ params, \.\.\.options \} groups/,
    );
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })], { lr: 0.1 })).toThrow(DTypeError);
    expect(() => new SGD([a.mul(2)], { lr: 0.1 })).toThrow(GraphError);
    expect(() => new SGD([a.mul(2)], { lr: 0.1 })).toThrow(/computed by 'mul', so it is not a leaf/);
    expect(() => new SGD([{ params: [a], lr: 0.1, momentun: 0.9 } as never], { lr: 0.1 })).toThrow(
      /^SGD: unknown option 'momentun' \(param group 0\); accepted: lr, momentum, dampening, nesterov, weightDecay, maximize$/,
    );
  });
});

describe('step and zeroGrad', () => {
  it('skips parameters whose gradient is null, creating no state for them', () => {
    const a = withGrad(param([1, 2]), [1, 1]);
    const b = param([5]);
    const opt = new Adam([a, b], { lr: 0.1 });
    expect(opt.step()).toBe(true);
    expect(valuesOf(b)).toEqual([5]);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)?.step).toBe(1);
  });

  it('sets every gradient to null on zeroGrad', () => {
    const a = withGrad(param([1]), [1]);
    const b = withGrad(param([1]), [1]);
    const opt = new SGD([{ params: [a] }, { params: [b] }], { lr: 0.1 });
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('uses the lr in paramGroups at the time of the step, and setLr checks it', () => {
    const a = param([1]);
    const opt = new SGD([a], { lr: 0.1 });
    withGrad(a, [1]);
    opt.step();
    (opt.paramGroups[0] as { lr: number }).lr = 0.5;
    withGrad(a, [1]);
    opt.step();
    opt.setLr(0.25);
    withGrad(a, [1]);
    opt.step();
    // 1 - 0.1 - 0.5 - 0.25
    expect(valuesOf(a)[0]).toBeCloseTo(0.15, 15);
    expect(() => opt.setLr(-1)).toThrow(/^SGD.setLr: lr must be a finite number ≥ 0, got -1/);
    expect(() => opt.setLr(0.1, 3)).toThrow(/there is no group 3/);
    expect(opt.paramGroups[0]?.lr).toBe(0.25);
  });

  it('works in float32, keeping state in the parameter dtype', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    a.grad = tensor([0.5, 0.5]);
    const opt = new Adam([a], { lr: 0.1 });
    opt.step();
    expect(opt.state.get(a)?.expAvg.dtype).toBe('float32');
    // Adam's first step moves every element by lr (m/√v = ±1, bias-corrected), up to eps.
    expect(valuesOf(a)[0]).toBeCloseTo(0.9, 6);
  });

  it('never receives a gradient of the wrong shape or dtype: core refuses it at assignment, changing nothing', () => {
    const a = withGrad(param([1, 2]), [1, 1]);
    const b = param([1, 2]);
    const opt = new SGD([a, b], { lr: 0.1 });
    expect(() => (b.grad = tensor([1, 1, 1], f64))).toThrow(ShapeError);
    expect(() => (b.grad = tensor([1, 1, 1], f64))).toThrow(
      /^grad: a gradient must have its tensor's shape \[2\], got \[3\]/,
    );
    expect(() => (b.grad = tensor([1, 1]))).toThrow(DTypeError);
    expect(b.grad).toBeNull();
    expect(valuesOf(a)).toEqual([1, 2]);
    // The step then updates a alone: 1 - 0.1·1, 2 - 0.1·1.
    opt.step();
    expect(valuesOf(a)).toEqual([0.9, 1.9]);
    expect(valuesOf(b)).toEqual([1, 2]);
  });

  it('updates a strided parameter (a transposed view) through its view', () => {
    const base = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      f64,
    );
    const view = base.T.requireGrad();
    expect(view.isContiguous).toBe(false);
    view.grad = tensor(
      [
        [1, 10],
        [2, 20],
        [3, 30],
      ],
      f64,
    );
    new SGD([view], { lr: 0.1 }).step();
    // view[i][j] = base[j][i] -= 0.1 · grad[i][j]
    expect(base.toArray()).toEqual([
      [1 - 0.1 * 1, 2 - 0.1 * 2, 3 - 0.1 * 3],
      [4 - 0.1 * 10, 5 - 0.1 * 20, 6 - 0.1 * 30],
    ]);
  });

  it('reads a broadcast gradient element by element', () => {
    const a = param([1, 2, 3]);
    a.grad = tensor([1], f64).expand([3]);
    new SGD([a], { lr: 0.5 }).step();
    expect(valuesOf(a)).toEqual([0.5, 1.5, 2.5]);
  });

  it('bumps the version, so a backward through a graph that saved the old value refuses to run', () => {
    const w = param([1, 2]);
    const loss = w.mul(w).sum(); // mul saves w for its backward
    withGrad(w, [1, 1]);
    new SGD([w], { lr: 0.1 }).step();
    expect(() => loss.backward()).toThrow(GraphError);
  });

  it('needs no noGrad around it: the update itself is not recorded', () => {
    const w = param([1]);
    const opt = new SGD([w], { lr: 1 });
    w.mul(tensor([3], f64))
      .sum()
      .backward();
    opt.step();
    expect(valuesOf(w)).toEqual([-2]);
    expect(w.isLeaf).toBe(true);
  });
});
