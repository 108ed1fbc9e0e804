/**
 * Comparisons and logical ops (bool results, no gradient) and where, which
 * passes the gradient into the side it selected.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, ShapeError, tensor, where } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const v = () => tensor([1, 2, 3]);

describe('comparisons', () => {
  it('eq ne gt ge lt le against 2', () => {
    expect(v().eq(2).toArray()).toEqual([0, 1, 0]);
    expect(v().ne(2).toArray()).toEqual([1, 0, 1]);
    expect(v().gt(2).toArray()).toEqual([0, 0, 1]);
    expect(v().ge(2).toArray()).toEqual([0, 1, 1]);
    expect(v().lt(2).toArray()).toEqual([1, 0, 0]);
    expect(v().le(2).toArray()).toEqual([1, 1, 0]);
    expect(v().eq(2).dtype).toBe('bool');
  });

  it('broadcast: [2,1] < [3]', () => {
    // [[1],[2]] < [1,2,3]: row 0 → [F,T,T], row 1 → [F,F,T].
    expect(
      tensor([[1], [2]])
        .lt(tensor([1, 2, 3]))
        .toArray(),
    ).toEqual([
      [0, 1, 1],
      [0, 0, 1],
    ]);
  });

  it('NaN equals nothing, itself included', () => {
    expect(
      tensor([NaN])
        .eq(tensor([NaN]))
        .toArray(),
    ).toEqual([0]);
    expect(
      tensor([NaN])
        .ne(tensor([NaN]))
        .toArray(),
    ).toEqual([1]);
  });

  it('compare across dtypes by value', () => {
    expect(
      tensor([0.5], { dtype: 'float64' })
        .gt(tensor(new Int32Array([0])))
        .toArray(),
    ).toEqual([1]);
  });

  it('record no gradient even from inputs that require grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = x.gt(1);
    expect(c.requiresGrad).toBe(false);
    expect(c.gradFn).toBeNull();
  });

  it('logicalAnd, logicalOr, logicalNot', () => {
    const a = tensor([true, true, false, false]);
    const b = tensor([true, false, true, false]);
    expect(a.logicalAnd(b).toArray()).toEqual([1, 0, 0, 0]);
    expect(a.logicalOr(b).toArray()).toEqual([1, 1, 1, 0]);
    expect(a.logicalNot().toArray()).toEqual([0, 0, 1, 1]);
  });

  it('refuse shapes that do not broadcast and non-tensor operands', () => {
    expect(() => v().eq(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => v().eq(tensor([1, 2]))).toThrow(
      'eq: shapes [3] and [2] do not broadcast (dimension -1: 3 vs 2; sizes must be equal or one of them 1)',
    );
    expect(() => v().gt('1' as unknown as number)).toThrow(ArgumentError);
  });
});

describe('where', () => {
  it('selects elementwise; condition, a and b broadcast together', () => {
    expectClose(where(tensor([[true], [false]]), tensor([1, 2]), tensor(0)), [
      [1, 2],
      [0, 0],
    ]);
    expectClose(where(tensor([true, false]), 1, 2), [1, 2]);
  });

  it('promotes like arithmetic', () => {
    expect(where(tensor([true]), tensor([1]), tensor([2], { dtype: 'float64' })).dtype).toBe('float64');
  });

  it('passes the gradient into the selected side only, summed over broadcasting', () => {
    // out = [a0, b, a2, b] for cond = [T, F, T, F]; b is a scalar read twice.
    const a = tensor([1, 2, 3, 4], { requiresGrad: true });
    const b = tensor(10, { requiresGrad: true });
    where(tensor([true, false, true, false]), a, b)
      .mul(tensor([1, 2, 3, 4]))
      .sum()
      .backward();
    expectClose(a.grad, [1, 0, 3, 0]);
    expectClose(b.grad, 2 + 4);
  });

  it('needs a bool tensor as the condition', () => {
    expect(() => where(tensor([1, 0]), 1, 2)).toThrow(DTypeError);
    expect(() => where(tensor([1, 0]), 1, 2)).toThrow(
      'where: the condition must be a bool tensor (e.g. x.gt(0)), got float32',
    );
    // Regression: a number condition gave a DTypeError saying "got undefined".
    expect(() => where(1 as unknown as ReturnType<typeof tensor>, 1, 2)).toThrow(ArgumentError);
    expect(() => where('c' as unknown as ReturnType<typeof tensor>, 1, 2)).toThrow(
      'where: the condition must be a bool Tensor (e.g. x.gt(0)), got "c"',
    );
    expect(() => where(tensor([true, false]), tensor([1, 2, 3]), 0)).toThrow(ShapeError);
  });
});
