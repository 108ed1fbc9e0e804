/**
 * The dtype rules: float32 by default; float64 wins over float32; numbers
 * take the tensor's dtype unless of a higher category; integer arithmetic is
 * exact (PyTorch's promotion table is checked against a fixture in
 * promotion.test.ts); to(dtype) converts (differentiably between float
 * dtypes).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, add, matmul, tensor, to, where } from '../../src/index';
import { expectClose } from './expect-close';

const i32 = (values: number[]) => tensor(new Int32Array(values));

describe('dtype promotion', () => {
  it('float32 with float64 gives float64, in either order and for every binary op', () => {
    const a = tensor([1]);
    const b = tensor([2], { dtype: 'float64' });
    for (const out of [a.add(b), b.sub(a), a.mul(b), b.div(a), a.pow(b), a.maximum(b), b.minimum(a)]) {
      expect(out.dtype).toBe('float64');
    }
    expect(matmul(tensor([1, 2], { dtype: 'float64' }), tensor([3, 4])).dtype).toBe('float64');
  });

  it('a number takes the dtype of the tensor it meets, on either side', () => {
    expect(tensor([1], { dtype: 'float64' }).add(0.1).dtype).toBe('float64');
    expect(add(0.1, tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
    // In float64, 0.1 stays 0.1: 1 + 0.1 = 1.1 exactly as a double.
    expect(tensor([1], { dtype: 'float64' }).add(0.1).item()).toBe(1.1);
    expect(tensor([1]).add(0.1).dtype).toBe('float32');
  });

  it('int32 arithmetic stays int32 and exact; a fractional number makes it float32, as in PyTorch', () => {
    const sum = i32([1, 2]).add(i32([3, 4]));
    expect([sum.dtype, sum.toArray()]).toEqual(['int32', [4, 6]]);
    // 2²⁴ + 1 is not a float32: the old float32 arithmetic gave 16777216.
    expect(
      i32([2 ** 24])
        .add(1)
        .item(),
    ).toBe(2 ** 24 + 1);
    const half = i32([1]).add(1.5);
    expect([half.dtype, half.item()]).toEqual(['float32', 2.5]);
    // bool + 1 is an integer (PyTorch: int64; chainrule's widest integer is int32).
    const bools = tensor([true, false]).add(1);
    expect([bools.dtype, bools.toArray()]).toEqual(['int32', [2, 1]]);
    expect(i32([1]).add(tensor([1], { dtype: 'float64' })).dtype).toBe('float64');
    // Sums of integers are int32 (PyTorch: int64; chainrule's widest integer is int32).
    expect(i32([1, 2]).sum().dtype).toBe('int32');
  });

  it('float32 results are rounded to float32', () => {
    // 0.1 + 0.2 in float32 is fround(fround(0.1) + fround(0.2)) = 0.30000001192...
    expect(
      tensor([0.1])
        .add(tensor([0.2]))
        .item(),
    ).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it('where follows the same rule', () => {
    expect(where(tensor([true]), tensor([1]), tensor([2], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('to(dtype)', () => {
  it('converts between float dtypes; the same dtype returns the tensor itself', () => {
    const t = tensor([0.1]);
    expect(t.to('float64').item()).toBe(Math.fround(0.1));
    expect(t.to('float32')).toBe(t);
    expect(tensor([0.1], { dtype: 'float64' }).to('float32').item()).toBe(Math.fround(0.1));
  });

  it('to int32 truncates toward zero; to bool makes nonzero true', () => {
    expect(tensor([1.7, -1.7, 2]).to('int32').toArray()).toEqual([1, -1, 2]);
    expect(tensor([0, 2, -0.5]).to('bool').toArray()).toEqual([0, 1, 1]);
    expect(tensor([0, 2, -0.5]).to('bool').dtype).toBe('bool');
    expect(i32([3]).to('float32').toArray()).toEqual([3]);
  });

  it('is differentiable between float dtypes; the gradient comes back in the input dtype', () => {
    const a = tensor([1], { requiresGrad: true });
    a.to('float64').mul(3).sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expectClose(a.grad, [3]);
  });

  it('to int32 cuts the graph', () => {
    const a = tensor([1.5], { requiresGrad: true });
    expect(a.to('int32').requiresGrad).toBe(false);
  });

  it('refuses unknown dtypes and non-tensors', () => {
    expect(() => tensor([1]).to('int64' as 'int32')).toThrow(DTypeError);
    expect(() => tensor([1]).to('int64' as 'int32')).toThrow(
      `to: unknown dtype "int64"; expected one of 'bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'`,
    );
    expect(() => to('a' as unknown as ReturnType<typeof tensor>, 'float32')).toThrow(ArgumentError);
  });
});
