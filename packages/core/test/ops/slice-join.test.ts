/**
 * slice (Python slicing along one axis), concat and stack: values by hand,
 * gradients that put each part back where it came from, and errors.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, IndexError, ShapeError, arange, concat, ones, stack, tensor, zeros } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('slice', () => {
  it('takes start, end and a positive step, like x[start:end:step]', () => {
    // arange(10)[2:8:3] = [2, 5]
    expectClose(arange(10).slice(0, 2, 8, 3), [2, 5]);
    expectClose(arange(10).slice(0, 7), [7, 8, 9]);
  });

  it('negative bounds count from the end and out-of-range bounds clamp', () => {
    expectClose(arange(10).slice(0, -3), [7, 8, 9]); // [-3:]
    expectClose(arange(10).slice(0, 1, -1, 2), [1, 3, 5, 7]); // [1:-1:2]
    expectClose(arange(10).slice(0, -20, 2), [0, 1]); // [-20:2]
    expect(arange(10).slice(0, 20, 30).shape).toEqual([0]);
    expect(arange(10).slice(0, 5, 2).shape).toEqual([0]);
  });

  it('works along any axis (negative too) and on views of views, sharing storage', () => {
    const m = arange(6).reshape([2, 3]);
    expectClose(m.slice(1, 1), [
      [1, 2],
      [4, 5],
    ]);
    expectClose(m.slice(-1, 0, 3, 2), [
      [0, 2],
      [3, 5],
    ]);
    // arange(10)[1:][2::2] = [3, 5, 7, 9]
    const v = arange(10).slice(0, 1).slice(0, 2, undefined, 2);
    expectClose(v, [3, 5, 7, 9]);
    expect(m.slice(1, 1).storage).toBe(m.storage);
  });

  it('the gradient is g placed where the slice was taken, zeros elsewhere', () => {
    // L = Σ x[1:5:2] · [10, 20]: x[1] gets 10, x[3] gets 20.
    const x = zeros([6], { requiresGrad: true });
    x.slice(0, 1, 5, 2)
      .mul(tensor([10, 20]))
      .sum()
      .backward();
    expectClose(x.grad, [0, 10, 0, 20, 0, 0]);
  });

  it('refuses a zero or negative step, non-integers, 0-d tensors and bad axes', () => {
    expect(() => arange(10).slice(0, 0, 5, 0)).toThrow(ArgumentError);
    expect(() => arange(10).slice(0, 0, 5, 0)).toThrow('slice: step must be a positive integer, got 0');
    expect(() => arange(10).slice(0, 0, 5, -1)).toThrow(ArgumentError);
    expect(() => arange(10).slice(0, 0.5)).toThrow(ArgumentError);
    expect(() => tensor(1).slice(0, 0)).toThrow(ShapeError);
    expect(() => arange(10).slice(1, 0)).toThrow(IndexError);
  });
});

describe('concat', () => {
  const m = () => arange(6).reshape([2, 3]);

  it('joins along an existing axis (negative allowed)', () => {
    expectClose(concat([m(), m()], 0), [
      [0, 1, 2],
      [3, 4, 5],
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expectClose(concat([m(), ones([2, 1])], -1), [
      [0, 1, 2, 1],
      [3, 4, 5, 1],
    ]);
  });

  it('promotes mixed dtypes like arithmetic and keeps int32 when all are int32', () => {
    expect(concat([tensor([1]), tensor([2], { dtype: 'float64' })]).dtype).toBe('float64');
    expect(concat([tensor(new Int32Array([1])), tensor(new Int32Array([2]))]).dtype).toBe('int32');
    expectClose(concat([tensor(new Int32Array([1])), tensor([2.5])]), [1, 2.5]);
  });

  it('splits the gradient back to each input', () => {
    // L = Σ concat([a, b]) · [1, 2, 3]: a (2 elements) gets [1, 2], b gets [3].
    const a = tensor([5, 6], { requiresGrad: true });
    const b = tensor([7], { requiresGrad: true });
    concat([a, b])
      .mul(tensor([1, 2, 3]))
      .sum()
      .backward();
    expectClose(a.grad, [1, 2]);
    expectClose(b.grad, [3]);
  });

  it('gives each input its gradient in its own dtype when dtypes were mixed', () => {
    // Regression: the float32 input got a float64 slice of the gradient and
    // backward threw "concat: backward returned a float64 gradient".
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([2], { dtype: 'float64', requiresGrad: true });
    concat([a, b]).mul(3).sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expect(b.grad?.dtype).toBe('float64');
    expectClose(a.grad, [3]);
    expectClose(b.grad, [3]);
  });

  it('refuses shapes that differ off the axis, 0-d tensors, an empty list and non-tensors', () => {
    expect(() => concat([m(), ones([3, 1])], 1)).toThrow(ShapeError);
    expect(() => concat([m(), ones([3, 1])], 1)).toThrow(
      'concat: tensor 1 has shape [3,1], which does not fit [2,3] along axis 1 (all dimensions but 1 must match)',
    );
    expect(() => concat([tensor(1), tensor(2)])).toThrow(ShapeError);
    expect(() => concat([])).toThrow(ArgumentError);
    expect(() => concat([[1], [2]] as unknown as [])).toThrow(/concat: element 0 must be a Tensor.*got an array/);
    expect(() => concat([m(), m()], 2)).toThrow(IndexError);
  });
});

describe('stack', () => {
  it('joins along a new axis', () => {
    expectClose(stack([tensor([1, 2]), tensor([3, 4])]), [
      [1, 2],
      [3, 4],
    ]);
    expectClose(stack([tensor([1, 2]), tensor([3, 4])], 1), [
      [1, 3],
      [2, 4],
    ]);
    expectClose(stack([tensor([1, 2]), tensor([3, 4])], -1), [
      [1, 3],
      [2, 4],
    ]);
    expectClose(stack([tensor(1), tensor(2)]), [1, 2]);
  });

  it('splits the gradient back', () => {
    // L = Σ stack([a, b], 1) · [[1, 2], [3, 4]]: a = column 0, b = column 1.
    const a = tensor([0, 0], { requiresGrad: true });
    const b = tensor([0, 0], { requiresGrad: true });
    stack([a, b], 1)
      .mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      .sum()
      .backward();
    expectClose(a.grad, [1, 3]);
    expectClose(b.grad, [2, 4]);
  });

  it('refuses tensors of different shapes', () => {
    expect(() => stack([tensor([1, 2]), tensor([3])])).toThrow(ShapeError);
    expect(() => stack([tensor([1, 2]), tensor([3])])).toThrow(
      'stack: tensor 1 has shape [1], expected [2] like tensor 0',
    );
    expect(() => stack([])).toThrow(ArgumentError);
  });
});
