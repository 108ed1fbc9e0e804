/**
 * In-place changes and the graph: a tensor a backward rule saved carries a
 * version; changing it before backward makes backward throw a GraphError
 * naming the op, and a failed backward changes no `.grad`. In-place updates
 * to tensors that require grad are refused while the graph is recorded.
 */
import { describe, expect, it } from 'vitest';
import { GraphError, noGrad, tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('saved tensors changed in place', () => {
  it('make backward throw a GraphError naming the op that saved them', () => {
    const x = tensor([2], { requiresGrad: true });
    const w = tensor([5]);
    const y = x.mul(w).sum();
    w.addInPlace(1);
    expect(() => y.backward()).toThrow(GraphError);
    expect(() => y.backward()).toThrow(
      'mul: a tensor of shape [1] that this op saved for backward was changed in place (version 0 when saved, 1 now), ' +
        'so its gradient would be wrong; clone() it before changing it, or change it after backward',
    );
  });

  it('are caught through a view sharing the storage', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4]);
    const y = x.mul(w).sum();
    w.slice(0, 1).fill(0);
    expect(() => y.backward()).toThrow(/^mul: a tensor of shape \[2\] that this op saved/);
  });

  it('a failed backward changes no .grad, also of leaves whose own path was fine', () => {
    // L = Σ (a·b + b·w) with w changed after the forward: b's rule through w fails.
    const a = tensor([2], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const w = tensor([5]);
    const y = a.mul(b).add(b.mul(w)).sum();
    w.addInPlace(1);
    expect(() => y.backward()).toThrow(GraphError);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('a failed backward leaves an existing .grad as it was', () => {
    const x = tensor([2], { requiresGrad: true });
    x.square().sum().backward();
    const w = tensor([5]);
    const y = x.mul(w).sum();
    w.fill(0);
    expect(() => y.backward()).toThrow(GraphError);
    expectClose(x.grad, [4]);
  });

  it('ops that save nothing (add) do not care, and the change shows in no gradient', () => {
    const x = tensor([2], { requiresGrad: true });
    const w = tensor([5]);
    const y = x.add(w).sum();
    w.addInPlace(1);
    y.backward();
    expectClose(x.grad, [1]);
  });

  it('a leaf changed under noGrad after being saved is caught too', () => {
    // The optimizer-step-before-backward mistake.
    const w = tensor([1, 2], { requiresGrad: true });
    const loss = w.square().sum();
    noGrad(() => w.subInPlace(0.1));
    expect(() => loss.backward()).toThrow(/^square: .*changed in place/);
    expect(w.grad).toBeNull();
  });
});

describe('in-place updates while recording', () => {
  it('are refused on a leaf that requires grad, and on results of recorded ops', () => {
    const w = tensor([1], { requiresGrad: true });
    expect(() => w.addInPlace(1)).toThrow(GraphError);
    expect(() => w.mulInPlace(2)).toThrow(
      /^mulInPlace: cannot change a tensor that requires grad while the graph is recorded/,
    );
    expect(() => w.mul(2).copyFrom(tensor([0]))).toThrow(GraphError);
    expect(w.storage.version).toBe(0);
  });

  it('are allowed on tensors that do not require grad, and under noGrad', () => {
    const data = tensor([1]);
    data.addInPlace(1);
    const w = tensor([1], { requiresGrad: true });
    noGrad(() => w.fill(3));
    expectClose(data, [2]);
    expectClose(w, [3]);
  });
});
