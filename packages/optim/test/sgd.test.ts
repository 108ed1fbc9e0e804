/**
 * SGD: the plain update is p - lr·g bit for bit (a property over random
 * tensors), the momentum buffer starts as the gradient (hand-derived), and
 * Nesterov's preconditions are PyTorch's.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, tensor, type Tensor } from '@chainrule/core';
import { SGD } from '../src/index';
import { valuesOf } from './helpers/fixtures';

const shapes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 3 });
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe('SGD without momentum', () => {
  it('is p - lr·g exactly, in float64', () => {
    const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    const sample = shapes.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        p: fc.array(value, { minLength: size(shape), maxLength: size(shape) }),
        g: fc.array(value, { minLength: size(shape), maxLength: size(shape) }),
        lr: fc.double({ min: 0, max: 10, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(sample, ({ shape, p, g, lr }) => {
        const w = tensor(p, { dtype: 'float64', shape, requiresGrad: true });
        w.grad = tensor(g, { dtype: 'float64', shape });
        new SGD([w], { lr }).step();
        // The hand-written update, element by element, in float64.
        const expected = p.map((pk, k) => pk - lr * (g[k] as number));
        expect(Array.from(w.data())).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('is p - lr·g exactly, in float32 (computed in double, rounded once when stored)', () => {
    const value = fc.float({ min: -1e4, max: 1e4, noNaN: true });
    const sample = shapes.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        p: fc.array(value, { minLength: size(shape), maxLength: size(shape) }),
        g: fc.array(value, { minLength: size(shape), maxLength: size(shape) }),
        lr: fc.double({ min: 0, max: 10, noNaN: true }),
      }),
    );
    fc.assert(
      fc.property(sample, ({ shape, p, g, lr }) => {
        const w = tensor(p, { dtype: 'float32', shape, requiresGrad: true });
        w.grad = tensor(g, { dtype: 'float32', shape });
        new SGD([w], { lr }).step();
        const expected = p.map((pk, k) => Math.fround(pk - lr * (g[k] as number)));
        expect(Array.from(w.data())).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('is p - lr·g exactly for large float32 parameters too (where core updates in SIMD)', () => {
    // 1,200 elements: past the size from which addInPlace runs in WebAssembly.
    const sample = fc.record({
      p: fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1200, maxLength: 1200 }),
      g: fc.array(fc.float({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1200, maxLength: 1200 }),
      lr: fc.double({ min: 0, max: 10, noNaN: true }),
      maximize: fc.boolean(),
    });
    fc.assert(
      fc.property(sample, ({ p, g, lr, maximize }) => {
        const w = tensor(p, { dtype: 'float32', shape: [40, 30], requiresGrad: true });
        w.grad = tensor(g, { dtype: 'float32', shape: [40, 30] });
        new SGD([w], { lr, maximize }).step();
        const expected = p.map((pk, k) =>
          Math.fround(maximize ? pk + lr * (g[k] as number) : pk - lr * (g[k] as number)),
        );
        expect(Array.from(w.data())).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});

describe('SGD with momentum', () => {
  function run(options: ConstructorParameters<typeof SGD>[1], steps: number): { w: Tensor; opt: SGD } {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([w], options);
    for (let i = 0; i < steps; i++) {
      w.grad = tensor([2], { dtype: 'float64' });
      opt.step();
    }
    return { w, opt };
  }

  it('starts the buffer with the gradient itself, then dampens later gradients', () => {
    // By hand, g = 2 each step, lr 0.1, momentum 0.9, dampening 0.5:
    //   step 1: buf = g = 2 (no dampening on the first step), p = 1 - 0.2 = 0.8
    //   step 2: buf = 0.9·2 + 0.5·2 = 2.8, p = 0.8 - 0.28 = 0.52
    const one = run({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 1);
    expect(valuesOf(one.w)[0]).toBeCloseTo(0.8, 15);
    expect(valuesOf(one.opt.state.get(one.w)?.momentumBuffer as Tensor)).toEqual([2]);
    const two = run({ lr: 0.1, momentum: 0.9, dampening: 0.5 }, 2);
    expect(valuesOf(two.w)[0]).toBeCloseTo(0.52, 15);
    expect(valuesOf(two.opt.state.get(two.w)?.momentumBuffer as Tensor)[0]).toBeCloseTo(2.8, 15);
  });

  it('looks ahead with nesterov: d = g + momentum·buf', () => {
    // Step 1: buf = 2, d = 2 + 0.9·2 = 3.8, p = 1 - 0.38 = 0.62.
    expect(valuesOf(run({ lr: 0.1, momentum: 0.9, nesterov: true }, 1).w)[0]).toBeCloseTo(0.62, 15);
  });

  it('keeps no state without momentum', () => {
    expect(run({ lr: 0.1 }, 3).opt.state.size).toBe(0);
  });

  it('refuses nesterov without momentum or with dampening (PyTorch rule)', () => {
    const w = tensor([1], { requiresGrad: true });
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(ArgumentError);
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(
      /^SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0/,
    );
    expect(() => new SGD([w], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/dampening 0\.1/);
    expect(() => new SGD([{ params: [w], momentum: 0 }], { lr: 0.1, momentum: 0.9, nesterov: true })).toThrow(
      /nesterov needs momentum > 0.* \(param group 0\)/,
    );
  });
});
