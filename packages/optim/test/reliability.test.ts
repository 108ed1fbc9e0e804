/**
 * Regression tests for what fuzzing optim (fuzz.test.ts) found, and the
 * atomic-update cases atomicity.test.ts did not cover (schedulers, zeroGrad,
 * malformed gradients in 'skip' mode). Each case once threw a raw TypeError,
 * returned a wrong number, or changed state before refusing.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, Tensor, tensor } from '@chainrule/core';
import {
  Adam,
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  RMSprop,
  ReduceLROnPlateau,
  SGD,
  StepLR,
  clipGradNorm,
} from '../src/index';
import { snapshot } from './fuzz/contract';

const f64 = { dtype: 'float64' } as const;
const nullProto = (): never => Object.create(null) as never;

function param(values: number[], dtype: 'float32' | 'float64' = 'float32'): Tensor {
  return tensor(values, { dtype, requiresGrad: true });
}

describe('arguments that used to throw a raw TypeError', () => {
  it('setLr with a group index that is not a number', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    expect(() => opt.setLr(0.1, nullProto())).toThrow(ArgumentError);
    expect(() => opt.setLr(0.1, nullProto())).toThrow(/^SGD\.setLr: there is no group an object/);
  });

  it('clipGradNorm with null options', () => {
    const w = param([1]);
    w.grad = tensor([3]);
    expect(() => clipGradNorm([w], 1, 2, null as never)).toThrow(/^clipGradNorm: options must be an object/);
    expect(() => clipGradNorm([w], 1, 2, { errorIfNonfinite: 'yes' as never })).toThrow(
      /^clipGradNorm: option 'errorIfNonfinite' must be true or false/,
    );
    expect(w.grad.item()).toBe(3);
  });

  it("zeroGrad and step after a group's params were replaced by something that is not an array of tensors", () => {
    const w = param([1]);
    w.grad = tensor([1]);
    const opt = new SGD([w], { lr: 0.1 });
    opt.addParamGroup({ params: [param([2])] });
    (opt.paramGroups[1] as { params: unknown }).params = nullProto();
    expect(() => opt.zeroGrad()).toThrow(
      /^SGD\.zeroGrad: paramGroups\[1\]\.params must be an array of tensors, got an object$/,
    );
    expect(w.grad).not.toBeNull(); // group 0 was checked, and left alone, too
    expect(() => opt.step()).toThrow(/^SGD\.step: paramGroups\[1\]\.params must be an array/);
    (opt.paramGroups[1] as { params: unknown }).params = [tensor([1, 2], { dtype: 'int32' })];
    expect(() => opt.step()).toThrow(
      /^SGD\.step: param 0 of group 1 is int32; only float32 and float64 tensors can be optimized$/,
    );
    expect(w.item()).toBe(1);
  });
});

describe('numbers that used to be wrong', () => {
  it('clipGradNorm of float64 gradients whose squares overflow: the true norm, not ∞ (which zeroed them)', () => {
    const w = param([0, 0], 'float64');
    w.grad = tensor([3e200, 4e200], f64);
    // ‖(3, 4)·1e200‖₂ = 5e200, so the gradients scale by 1 / (5e200 + 1e-6) to (0.6, 0.8).
    expect(clipGradNorm([w], 1)).toBeCloseTo(5e200, -190);
    expect(Array.from(w.grad.data())).toEqual([0.6, 0.8].map((x) => expect.closeTo(x, 12)));
  });

  it('clipGradNorm of gradients whose squares underflow: the true norm, not a rounded subnormal', () => {
    const w = param([0, 0], 'float64');
    w.grad = tensor([3e-170, 4e-170], f64);
    expect(clipGradNorm([w], 1) / 5e-170).toBeCloseTo(1, 12);
  });

  it('RMSprop centered with a constant float32 gradient keeps finite parameters (v - a² rounds below 0)', () => {
    // Found by simulating the float32 recurrences: with alpha 0 the first step gives
    // v - a² = fround(g²) - fround(g)² < 0 for g = 43.845478; PyTorch's √ of it is NaN.
    const w = param([1]);
    const opt = new RMSprop([w], { centered: true, alpha: 0 });
    w.grad = tensor([43.84547805786133]);
    opt.step();
    expect(Number.isFinite(w.item())).toBe(true);
    const u = param([1]);
    const opt2 = new RMSprop([u], { centered: true, alpha: 0.5 });
    for (let t = 0; t < 30; t++) {
      u.grad = tensor([3.332963466644287]);
      opt2.step();
    }
    expect(Number.isFinite(u.item())).toBe(true);
  });

  it('LinearLR decaying to endFactor 0 ends at lr 0, not at -1.5e-18 (which the next step refused)', () => {
    const w = param([1]);
    const opt = new SGD([w], { lr: 0.1 });
    const scheduler = new LinearLR(opt, { endFactor: 0, totalIters: 5 });
    for (let t = 0; t < 6; t++) scheduler.step();
    expect(opt.paramGroups[0]?.lr).toBe(0);
    w.grad = tensor([1]);
    expect(opt.step()).toBe(true);
  });

  it('a state dict saved after a float32 second moment overflowed to ∞ loads again; NaN state is still refused', () => {
    const w = param([1]);
    const opt = new Adam([w]);
    w.grad = tensor([3e38]); // g² = 9e76 is ∞ in float32, as in PyTorch
    opt.step();
    const dict = opt.stateDict();
    expect(Array.from((dict.state[0]!.expAvgSq as Tensor).data())).toEqual([Infinity]);
    const other = new Adam([param([1])]);
    other.loadStateDict(dict);
    expect(snapshot(other).includes('"Infinity"')).toBe(true);
    (dict.state[0] as { expAvgSq: Tensor }).expAvgSq = tensor([NaN]);
    expect(() => other.loadStateDict(dict)).toThrow(
      /^Adam\.loadStateDict: state\[0\]\.expAvgSq holds NaN at element 0; state must not be NaN$/,
    );
  });
});

describe('failed calls change nothing', () => {
  it('a scheduler whose next lr would overflow to ∞ throws and leaves the optimizer and its own epoch as they were', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    const scheduler = new ExponentialLR(opt, { gamma: 1e200 });
    scheduler.step(); // 1e199
    const before = snapshot(opt);
    const epoch = scheduler.lastEpoch;
    expect(() => scheduler.step()).toThrow(
      /^ExponentialLR\.step: epoch 2 would set the lr of param group 0 \(now 1e\+199\), but it is Infinity; a learning rate must be a finite number ≥ 0 \(nothing was changed\)$/,
    );
    expect(snapshot(opt)).toBe(before);
    expect(scheduler.lastEpoch).toBe(epoch);
  });

  it('a scheduler refuses an lr set by hand to NaN or a string, at construction or at a step, changing nothing', () => {
    const opt = new SGD([param([1])], { lr: 0.1 });
    (opt.paramGroups[0] as { lr: unknown }).lr = NaN;
    expect(() => new CosineAnnealingLR(opt, { tMax: 3 })).toThrow(/^CosineAnnealingLR: the lr of param group 0 is NaN/);
    expect(opt.paramGroups[0]?.initialLr).toBeUndefined();
    expect(() => new ReduceLROnPlateau(opt)).toThrow(/^ReduceLROnPlateau: the lr of param group 0 is NaN/);
    opt.setLr(0.1);
    const scheduler = new StepLR(opt, { stepSize: 1 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 0 });
    (opt.paramGroups[0] as { lr: unknown }).lr = 'x';
    expect(() => scheduler.step()).toThrow(/^StepLR\.step: the lr of param group 0 is "x"/);
    expect(() => plateau.step(1)).toThrow(/^ReduceLROnPlateau\.step: the lr of param group 0 is "x"/);
    expect(scheduler.lastEpoch).toBe(0);
    expect(plateau.stateDict().lastEpoch).toBe(0);
  });

  it("with nonFinite 'skip', a malformed gradient after a NaN one is still an error (it used to be skipped silently)", () => {
    const a = param([1]);
    const b = param([1, 2]);
    const opt = new SGD([a, b], { lr: 0.1, nonFinite: 'skip' });
    a.grad = tensor([NaN]);
    const before = snapshot(opt);
    // Core's .grad setter now refuses it where it is assigned, before any step.
    expect(() => (b.grad = tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(snapshot(opt)).toBe(before);
    b.grad = tensor([1, 2]);
    expect(opt.step()).toBe(false);
    expect(snapshot(opt)).not.toBe(before); // only the gradient changed
    expect(a.item()).toBe(1);
  });
});
