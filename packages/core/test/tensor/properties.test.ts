/**
 * What a tensor tells about itself: shape, dtype, ndim, size, item(),
 * toArray(), data() and toString(), including for views that start in the
 * middle of their storage.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, arange, tensor, zeros } from '../../src/index';

describe('tensor properties', () => {
  it('shape, dtype, ndim and size', () => {
    const t = zeros([2, 3, 4], { dtype: 'float64' });
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.dtype).toBe('float64');
    expect(t.ndim).toBe(3);
    expect(t.size).toBe(24);
    const s = tensor(5);
    expect([s.shape, s.ndim, s.size]).toEqual([[], 0, 1]);
    expect(zeros([2, 0]).size).toBe(0);
  });

  it('item() reads the one element of any rank, and refuses more', () => {
    expect(tensor([[5]]).item()).toBe(5);
    expect(tensor(2.5).item()).toBe(2.5);
    expect(arange(10).slice(0, 7, 8).item()).toBe(7);
    expect(() => tensor([1, 2]).item()).toThrow(ShapeError);
    expect(() => tensor([1, 2]).item()).toThrow(
      'item: only a tensor with one element can be converted to a number, this one has shape [2]',
    );
  });

  it('toArray() nests by shape and follows views', () => {
    expect(arange(6).reshape([2, 3]).toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(arange(6).reshape([2, 3]).T.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(tensor(3).toArray()).toBe(3);
    expect(tensor([true, false]).toArray()).toEqual([1, 0]);
  });

  it('data() is a row-major typed-array copy', () => {
    const t = arange(6).reshape([2, 3]);
    const d = t.data();
    expect(d).toBeInstanceOf(Float32Array);
    expect(Array.from(d)).toEqual([0, 1, 2, 3, 4, 5]);
    d[0] = 99;
    expect(t.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(Array.from(t.T.data())).toEqual([0, 3, 1, 4, 2, 5]);
    expect(tensor([1], { dtype: 'float64' }).data()).toBeInstanceOf(Float64Array);
    expect(tensor(new Int32Array([1])).data()).toBeInstanceOf(Int32Array);
  });

  it('data() of a contiguous view that starts mid-storage reads from its offset', () => {
    // Regression: data() copied from storage position 0, so arange(10)[7:]
    // gave [0, 1, 2] instead of [7, 8, 9].
    expect(Array.from(arange(10).slice(0, 7).data())).toEqual([7, 8, 9]);
    expect(Array.from(arange(6).reshape([2, 3]).slice(0, 1).data())).toEqual([3, 4, 5]);
  });
});

describe('toString', () => {
  it('prints nested rows like PyTorch, integers with a trailing dot', () => {
    expect(String(arange(6).reshape([2, 3]))).toBe('tensor([[0., 1., 2.],\n        [3., 4., 5.]])');
    expect(String(tensor([1.5, 2]))).toBe('tensor([1.5000, 2.0000])');
    expect(String(tensor(3))).toBe('tensor(3.)');
  });

  it('names a dtype other than float32, the grad state, and empty shapes', () => {
    expect(String(tensor([1, 2], { dtype: 'float64' }))).toBe('tensor([1., 2.], dtype=float64)');
    expect(String(tensor(new Int32Array([1, -20])))).toBe('tensor([  1, -20], dtype=int32)');
    expect(String(tensor([1], { requiresGrad: true }))).toBe('tensor([1.], requiresGrad=true)');
    expect(String(tensor([1], { requiresGrad: true }).mul(2))).toBe('tensor([2.], gradFn=<mul>)');
    expect(String(zeros([0, 3]))).toBe('tensor([], size=(0, 3))');
  });

  it('switches to scientific notation for very small or large values and prints non-finite ones', () => {
    expect(String(tensor([1e-6, 1]))).toBe('tensor([1.0000e-06, 1.0000e+00])');
    // As in PyTorch, only nonzero finite values set the width.
    expect(String(tensor([NaN, Infinity, -Infinity]))).toBe('tensor([nan, inf, -inf])');
  });

  it('summarizes large tensors with ...', () => {
    // 1999 / 1 > 1000, so PyTorch switches to scientific notation; ' ...' keeps its leading space.
    expect(String(arange(2000))).toBe(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])',
    );
    expect(String(arange(1001, undefined, 1, { dtype: 'int32' }))).toBe(
      'tensor([   0,    1,    2,  ...,  998,  999, 1000], dtype=int32)',
    );
  });
});
