/**
 * In-place updates (addInPlace, subInPlace, mulInPlace, copyFrom, fill): the
 * values, writing through views, broadcasting the operand, the rules about
 * the graph, and the version bump that backward checks.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  GraphError,
  ShapeError,
  arange,
  noGrad,
  ones,
  tensor,
  zeros,
} from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('in-place arithmetic', () => {
  it('addInPlace adds alpha·v, subInPlace subtracts it, mulInPlace multiplies', () => {
    expectClose(tensor([1, 2]).addInPlace(tensor([10, 20]), 2), [21, 42]);
    expectClose(tensor([1, 2]).subInPlace(1), [0, 1]);
    expectClose(tensor([1, 2]).subInPlace(tensor([1, 1]), 3), [-2, -1]);
    expectClose(tensor([1, 2]).mulInPlace(tensor([3, -1])), [3, -2]);
  });

  it('returns the tensor itself, for chaining', () => {
    const t = tensor([1]);
    expect(t.addInPlace(1).mulInPlace(2)).toBe(t);
    expectClose(t, [4]);
  });

  it('broadcasts the operand to the target, never the other way', () => {
    expectClose(zeros([2, 2]).addInPlace(tensor([1, 2])), [
      [1, 2],
      [1, 2],
    ]);
    expectClose(ones([2, 3]).mulInPlace(tensor([[2], [3]])), [
      [2, 2, 2],
      [3, 3, 3],
    ]);
    expectClose(zeros([2, 2]).copyFrom(tensor([[5], [6]])), [
      [5, 5],
      [6, 6],
    ]);
    expectClose(zeros([2, 2]).copyFrom(3), [
      [3, 3],
      [3, 3],
    ]);
    expect(() => zeros([2]).addInPlace(ones([2, 2]))).toThrow(ShapeError);
    expect(() => zeros([2]).addInPlace(ones([2, 2]))).toThrow(
      "addInPlace: cannot update a tensor of shape [2] with one of shape [2,2] (it must broadcast to the target's shape)",
    );
  });

  it('writes through views into the tensor they view', () => {
    const b = zeros([2, 3]);
    b.slice(1, 1, 3).fill(7);
    expectClose(b, [
      [0, 7, 7],
      [0, 7, 7],
    ]);
    const c = ones([3, 3]);
    // Rows 0 and 2, columns 0 and 2.
    c.slice(0, 0, 3, 2)
      .slice(1, 0, 3, 2)
      .addInPlace(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      );
    expectClose(c, [
      [2, 1, 3],
      [1, 1, 1],
      [4, 1, 5],
    ]);
    const d = zeros([2, 3]);
    d.T.copyFrom(arange(6).reshape([3, 2]));
    expectClose(d, [
      [0, 2, 4],
      [1, 3, 5],
    ]);
  });

  it('reads an operand that overlaps the target as it was before the update', () => {
    // b[1:] = b[:3] on [0,1,2,3] gives [0,0,1,2] (not [0,0,0,0]).
    const b = arange(4);
    b.slice(0, 1).copyFrom(b.slice(0, 0, 3));
    expectClose(b, [0, 0, 1, 2]);
    // b += b[0] (broadcast) on [1,2,3,4] adds 1 everywhere.
    const c = tensor([1, 2, 3, 4]);
    c.addInPlace(c.slice(0, 0, 1).expand([4]));
    expectClose(c, [2, 3, 4, 5]);
  });

  it('refuses an expanded target, whose elements share one memory location', () => {
    // Regression: w.expand([3]).addInPlace([1,1,1]) added 3 to the single element of w.
    const w = tensor([1]);
    expect(() => w.expand([3]).addInPlace(tensor([1, 1, 1]))).toThrow(ArgumentError);
    expect(() => w.expand([3]).fill(0)).toThrow(/^fill: the target of shape \[3\] is an expanded view/);
    expectClose(w, [1]);
  });

  it('arithmetic needs a float target; copyFrom and fill convert into any dtype', () => {
    expect(() => tensor(new Int32Array([1])).addInPlace(1)).toThrow(DTypeError);
    expect(() => tensor(new Int32Array([1])).addInPlace(1)).toThrow(
      'addInPlace: in-place arithmetic needs a float32 or float64 target, got int32',
    );
    // int32 truncates toward zero.
    expectClose(tensor(new Int32Array([0, 0])).copyFrom(tensor([2.7, -1.5])), [2, -1]);
    expectClose(tensor([0]).copyFrom(tensor([1.1], { dtype: 'float64' })), [Math.fround(1.1)], { rtol: 0, atol: 0 });
    expectClose(zeros([2], { dtype: 'float64' }).fill(0.1), [0.1, 0.1], { rtol: 0, atol: 0 });
  });

  it('refuses operands that are not tensors or numbers', () => {
    expect(() => tensor([0]).addInPlace('1' as unknown as number)).toThrow(ArgumentError);
    expect(() => tensor([0]).addInPlace('1' as unknown as number)).toThrow(
      'addInPlace: the operand must be a Tensor or a number, got "1"',
    );
    expect(() => tensor([0]).fill('1' as unknown as number)).toThrow(ArgumentError);
    expect(() => tensor([0]).copyFrom([1] as unknown as number)).toThrow(ArgumentError);
    expect(() => tensor([0]).addInPlace(1, NaN)).toThrow(ArgumentError);
  });
});

describe('in-place updates and the graph', () => {
  it('bump the storage version, also through a view', () => {
    const b = zeros([2]);
    expect(b.storage.version).toBe(0);
    b.slice(0, 0, 1).fill(1);
    expect(b.storage.version).toBe(1);
    b.addInPlace(1);
    expect(b.storage.version).toBe(2);
  });

  it('are refused on a tensor that requires grad while the graph is recorded', () => {
    const w = tensor([1], { requiresGrad: true });
    expect(() => w.addInPlace(1)).toThrow(GraphError);
    expect(() => w.addInPlace(1)).toThrow(/^addInPlace: cannot change a tensor that requires grad .* noGrad/);
    expect(() => w.mul(2).fill(0)).toThrow(GraphError);
    expectClose(w, [1]);
  });

  it('are allowed on it under noGrad, as an optimizer step does', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    w.square().sum().backward();
    noGrad(() => w.subInPlace(w.grad as NonNullable<typeof w.grad>, 0.5));
    // w - 0.5·2w = 0
    expectClose(w, [0, 0]);
    expect(w.requiresGrad).toBe(true);
  });
});
