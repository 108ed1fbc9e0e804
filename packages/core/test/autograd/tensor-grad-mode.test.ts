/**
 * Grad mode with Tensor ops (noGrad/enableGrad, nesting and restoration on
 * exceptions), detach, and the rules of the requiresGrad setter.
 */
import { describe, expect, it } from 'vitest';
import { DTypeError, GraphError, enableGrad, isGradEnabled, noGrad, tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('noGrad and enableGrad with Tensor ops', () => {
  it('under noGrad ops compute values but record no graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2).sum());
    expectClose(y, 6);
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });

  it('enableGrad inside noGrad records again; each level restores the one outside', () => {
    const x = tensor([1], { requiresGrad: true });
    const seen: boolean[] = [];
    noGrad(() => {
      seen.push(x.mul(2).requiresGrad);
      enableGrad(() => {
        seen.push(x.mul(2).requiresGrad);
        noGrad(() => seen.push(x.mul(2).requiresGrad));
        seen.push(x.mul(2).requiresGrad);
      });
      seen.push(x.mul(2).requiresGrad);
    });
    expect(seen).toEqual([false, true, false, true, false]);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('the mode is restored when a Tensor op throws inside', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => noGrad(() => x.add(tensor([1, 2, 3])))).toThrow(/^add: shapes/);
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => enableGrad(() => x.reshape([3])))).toThrow(/^reshape/);
    expect(isGradEnabled()).toBe(true);
    noGrad(() => {
      expect(() => enableGrad(() => x.sum(5))).toThrow(/^sum/);
      expect(isGradEnabled()).toBe(false);
    });
  });

  it('backward itself can be called under noGrad', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.square().sum();
    noGrad(() => y.backward());
    expectClose(x.grad, [6]);
  });
});

describe('detach', () => {
  it('shares the data but is a leaf that requires no grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect([d.requiresGrad, d.isLeaf, d.gradFn]).toEqual([false, true, null]);
    expect(d.storage).toBe(y.storage);
  });

  it('stops gradients: L = Σ x·detach(x) gives dL/dx = x, not 2x', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.mul(x.detach()).sum().backward();
    expectClose(x.grad, [1, 2]);
  });
});

describe('the requiresGrad setter', () => {
  it('turns a float leaf into a parameter and back', () => {
    const t = tensor([1]);
    t.requiresGrad = true;
    expect(t.mul(2).requiresGrad).toBe(true);
    t.requiresGrad = false;
    expect(t.mul(2).requiresGrad).toBe(false);
    expect(tensor([1]).requireGrad().requiresGrad).toBe(true);
  });

  it('is refused on a non-leaf, pointing at detach', () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(() => {
      y.requiresGrad = false;
    }).toThrow(GraphError);
    expect(() => {
      y.requiresGrad = false;
    }).toThrow(
      "requiresGrad: only leaves can change requiresGrad; this tensor was computed by 'mul' (use detach() for a leaf copy)",
    );
  });

  it('refuses true on int32 and bool tensors (false is fine)', () => {
    const i = tensor(new Int32Array([1]));
    expect(() => {
      i.requiresGrad = true;
    }).toThrow(DTypeError);
    expect(() => tensor([true]).requireGrad()).toThrow(
      'requiresGrad: only float32 and float64 tensors can require grad, this one is bool',
    );
    i.requiresGrad = false;
    expect(i.requiresGrad).toBe(false);
  });
});
