/** Unflatten: PyTorch's nn.Unflatten, the inverse of Flatten. Expected shapes and values by hand. */
import { describe, expect, it } from 'vitest';
import { ArgumentError, IndexError, ShapeError, arange, tensor } from '@chainrule/core';
import { Flatten, Sequential, Unflatten } from '../src/index';

describe('Unflatten', () => {
  it('splits an axis into the given sizes, keeping the elements in order', () => {
    const x = arange(0, 24).reshape([2, 12]);
    const out = new Unflatten(1, [3, 4]).forward(x);
    expect(out.shape).toEqual([2, 3, 4]);
    // Row-major: element [n, i, j] is x[n, 4i + j].
    expect(out.toArray()).toEqual(x.reshape([2, 3, 4]).toArray());
    expect(new Unflatten(1, [1, 28, 28]).forward(arange(0, 784 * 2).reshape([2, 784])).shape).toEqual([2, 1, 28, 28]);
  });

  it('counts a negative dim from the end and infers one -1', () => {
    expect(new Unflatten(-1, [2, -1]).forward(arange(0, 30).reshape([3, 10])).shape).toEqual([3, 2, 5]);
    expect(new Unflatten(0, [-1, 3]).forward(arange(0, 6)).shape).toEqual([2, 3]);
  });

  it('undoes Flatten, and passes the gradient through unchanged', () => {
    const x = arange(0, 24).to('float64').reshape([2, 3, 4]).requireGrad();
    const out = new Sequential(new Flatten(), new Unflatten(1, [3, 4])).forward(x);
    expect(out.toArray()).toEqual(x.toArray());
    out
      .mul(tensor([1, 2, 3, 4], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(x.grad?.toArray()).toEqual(new Array(2).fill(new Array(3).fill([1, 2, 3, 4])));
  });

  it('refuses sizes that do not split the axis, and bad arguments', () => {
    expect(() => new Unflatten(1, [5, 5]).forward(arange(0, 24).reshape([2, 12]))).toThrow(
      /^Unflatten: axis 1 of the input \[2,12\] has size 12, which cannot be split into \[5,5\]$/,
    );
    expect(() => new Unflatten(1, [5, -1]).forward(arange(0, 24).reshape([2, 12]))).toThrow(ShapeError);
    expect(() => new Unflatten(2, [2, 6]).forward(arange(0, 24).reshape([2, 12]))).toThrow(IndexError);
    expect(() => new Unflatten(1, [-1, -1])).toThrow(ArgumentError);
    expect(() => new Unflatten(1, [])).toThrow(/^Unflatten: unflattenedSize must be a non-empty list/);
    expect(() => new Unflatten(1.5, [2])).toThrow(/^Unflatten: dim must be an integer, got 1.5/);
    expect(() => new Unflatten(1, [2, 2.5])).toThrow(ArgumentError);
  });

  it('shows its settings as PyTorch does', () => {
    expect(new Unflatten(1, [1, 28, 28]).extraRepr()).toBe('dim=1, unflattenedSize=[1, 28, 28]');
  });
});
