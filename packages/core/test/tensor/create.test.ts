/**
 * Making tensors from data and by the filled and range creators, with the
 * errors a caller can cause (each naming the function that was called).
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  arange,
  eye,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from '../../src/index';

describe('tensor(data)', () => {
  it('from nested arrays: the shape is read from the nesting; float32 by default', () => {
    const t = tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('from a number (0-d), booleans (bool) and empty arrays', () => {
    expect(tensor(7).shape).toEqual([]);
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('from a flat array or a typed array with a shape; a typed array keeps its dtype', () => {
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const t = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(t.dtype).toBe('float64');
    expect(t.toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Int32Array([1, 2]), { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('copies its data: changing the source array later changes nothing', () => {
    const source = new Float32Array([1, 2]);
    const t = tensor(source);
    source[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
  });

  it('stores float32 with float32 rounding and float64 exactly', () => {
    // 0.1 is not a float32: the nearest float32 is 0.100000001490116...
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: 'float64' }).item()).toBe(0.1);
  });

  it('makes a leaf that requires grad on request, float dtypes only', () => {
    const t = tensor([1], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: 'int32', requiresGrad: true })).toThrow(/tensor: only float32 and float64/);
  });

  it('refuses ragged arrays, non-numbers, wrong sizes and unknown dtypes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(
      'tensor: the nested arrays are ragged: element [1] should be an array of length 2 (like its first neighbour), got length 1',
    );
    expect(() => tensor('abc' as unknown as number)).toThrow(ArgumentError);
    expect(() => tensor([1, 'x'] as unknown as number[])).toThrow(ArgumentError);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: shape [2,2] holds 4 elements, the data has 3');
    expect(() => tensor(new Float32Array(3), { shape: [2, 2] })).toThrow(ShapeError);
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow(DTypeError);
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow(
      `tensor: unknown dtype "float16"; expected one of 'bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'`,
    );
  });
});

describe('filled creators', () => {
  it('zeros, ones and full, in any dtype', () => {
    expect(zeros([2, 2]).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(ones([3]).toArray()).toEqual([1, 1, 1]);
    const f = full([2], 7, { dtype: 'int32' });
    expect([f.dtype, f.toArray()]).toEqual(['int32', [7, 7]]);
    expect(zeros([]).shape).toEqual([]);
  });

  it('the ...Like forms copy shape and dtype but not requiresGrad', () => {
    const t = tensor([[1, 2]], { dtype: 'float64', requiresGrad: true });
    const z = zerosLike(t);
    expect([z.shape, z.dtype, z.requiresGrad]).toEqual([[1, 2], 'float64', false]);
    expect(onesLike(tensor(new Int32Array([5, 6]))).toArray()).toEqual([1, 1]);
    expect(onesLike(tensor(new Int32Array([5, 6]))).dtype).toBe('int32');
    expect(fullLike(t, 3).toArray()).toEqual([[3, 3]]);
    expect(zerosLike(t, { dtype: 'float32' }).dtype).toBe('float32');
  });

  it('eye is the n×m identity', () => {
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(eye(3, 1).toArray()).toEqual([[1], [0], [0]]);
  });

  it('refuses negative, fractional and non-finite shapes, naming the function called', () => {
    expect(() => zeros([-1])).toThrow(ShapeError);
    expect(() => zeros([-1])).toThrow('zeros: a shape must hold non-negative integers, got [-1]');
    expect(() => ones([2.5])).toThrow('ones: a shape must hold non-negative integers, got [2.5]');
    expect(() => full([NaN], 1)).toThrow(ShapeError);
    expect(() => zeros([Infinity])).toThrow(ShapeError);
    expect(() => zeros('3' as unknown as number[])).toThrow(ArgumentError);
    expect(() => zeros('3' as unknown as number[])).toThrow(/^zeros: /);
    expect(() => eye(-1)).toThrow(ShapeError);
    expect(() => full([2], '1' as unknown as number)).toThrow(ArgumentError);
    expect(() => zerosLike([1, 2] as unknown as ReturnType<typeof zeros>)).toThrow(ArgumentError);
    expect(() => zerosLike(null as unknown as ReturnType<typeof zeros>)).toThrow(ArgumentError);
  });
});

describe('ranges', () => {
  it('arange: [start, end) by step, one argument meaning 0..n-1', () => {
    expect(arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(arange(3, 3).shape).toEqual([0]);
    expect(arange(0, 3, 1, { dtype: 'float64' }).dtype).toBe('float64');
  });

  it('arange refuses a zero step and non-finite bounds', () => {
    expect(() => arange(0, 5, 0)).toThrow('arange: step must not be 0');
    expect(() => arange(0, Infinity)).toThrow(ArgumentError);
  });

  it('linspace: steps values with both ends included', () => {
    expect(linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(2, -2, 3).toArray()).toEqual([2, 0, -2]);
    expect(linspace(0, 1, 1).toArray()).toEqual([0]);
    expect(linspace(0, 1, 0).shape).toEqual([0]);
    expect(() => linspace(0, 1, -1)).toThrow(ArgumentError);
    expect(() => linspace(0, 1, 2.5)).toThrow(ArgumentError);
  });
});
