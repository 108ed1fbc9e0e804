/**
 * What backward keeps: the graph is released after backward unless
 * retainGraph is set (a second backward then says how to keep it), and only
 * leaves keep `.grad` unless an interior tensor asked with retainGrad().
 */
import { describe, expect, it } from 'vitest';
import { GraphError, tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('retainGraph', () => {
  it('a second backward through a released graph throws a GraphError saying how to keep it', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(GraphError);
    // The walk checks from the output down, so the first released node it meets is the sum.
    expect(() => y.backward()).toThrow(
      'sum: backward through a graph that was already freed: an earlier backward() released what this op saved. ' +
        'Pass { retainGraph: true } to the earlier backward() to run backward through the graph twice',
    );
    // The failed second call left the first result alone.
    expectClose(x.grad, [6]);
  });

  it('with retainGraph the second backward works and accumulates', () => {
    // d/dx x² = 2x = 6, twice.
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expectClose(x.grad, [12]);
  });

  it('a released graph stays usable for new ops on its leaves', () => {
    const x = tensor([3], { requiresGrad: true });
    x.square().sum().backward();
    x.square().sum().backward();
    expectClose(x.grad, [12]);
  });

  it('createGraph retains the graph by default', () => {
    const x = tensor([3], { requiresGrad: true });
    const y = x.pow(3).sum();
    y.backward(undefined, { createGraph: true });
    x.grad = null;
    y.backward();
    // 3x² = 27
    expectClose(x.grad, [27]);
  });
});

describe('retainGrad', () => {
  it('keeps .grad on an interior tensor; other interior tensors keep none', () => {
    // y = 2x = 6, z = Σ y²: dz/dy = 2y = 12, dz/dx = 2·12 = 24.
    const x = tensor([3], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    const w = y.add(0);
    const z = w.mul(w).sum();
    z.backward();
    expectClose(y.grad, [12]);
    expectClose(x.grad, [24]);
    expect(w.grad).toBeNull();
    expect(z.grad).toBeNull();
  });

  it('on the root gives it the seed gradient', () => {
    const x = tensor([3], { requiresGrad: true });
    const z = x.square().sum().retainGrad();
    z.backward();
    expectClose(z.grad, 1);
  });

  it('accumulates over backward calls like a leaf', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(3).retainGrad();
    y.sum().backward(undefined, { retainGraph: true });
    y.sum().backward();
    expectClose(y.grad, [2, 2]);
  });

  it('is refused on a tensor that does not require grad', () => {
    expect(() => tensor([1]).retainGrad()).toThrow(GraphError);
    expect(() => tensor([1]).retainGrad()).toThrow(
      'retainGrad: this tensor does not require grad, so it will never receive one',
    );
  });
});
