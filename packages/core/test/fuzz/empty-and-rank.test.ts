/**
 * Empty tensors and 0-sized dimensions follow NumPy's rules (and PyTorch
 * 1.13's, which agree on all of these): a reduction over nothing is its
 * identity (sum 0, logsumexp -Infinity) or undefined (mean NaN = 0/0, max an
 * error); views, joins and products of empty tensors are empty tensors of
 * the right shape; matmul with a 0-sized inner dimension is all zeros; and
 * backward through any of it gives empty gradients of the leaves' shapes.
 * Ranks up to 32 work; 33 is refused by every way of making one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ShapeError, concat, matmul, ones, stack, tensor, zeros, type Tensor } from '../../src/index';
import { fuzzRuns } from './contract';

const empty = (shape: number[]) => zeros(shape, { requiresGrad: true });

describe('reductions of nothing', () => {
  it('sum is 0, over all axes and over an empty axis (keeping the other axes)', () => {
    expect(zeros([0]).sum().item()).toBe(0);
    expect(zeros([2, 0]).sum(1).toArray()).toEqual([0, 0]);
    expect(zeros([2, 0]).sum(1, true).shape).toEqual([2, 1]);
    expect(zeros([0, 3]).sum(1).shape).toEqual([0]);
  });

  it('mean is NaN (0/0), as NumPy returns (with a warning) and PyTorch; documented on mean', () => {
    expect(zeros([0]).mean().item()).toBeNaN();
    expect(zeros([3, 0]).mean(1).toArray()).toEqual([NaN, NaN, NaN]);
    expect(zeros([0, 3]).mean(0).toArray()).toEqual([NaN, NaN, NaN]);
  });

  it('var of no elements is NaN too', () => {
    expect(zeros([0]).var().item()).toBeNaN();
  });

  it('logsumexp is log 0 = -Infinity', () => {
    expect(zeros([2, 0]).logsumexp(-1).toArray()).toEqual([-Infinity, -Infinity]);
  });

  it('max and min of an empty axis are ShapeErrors naming the op; other axes may be empty', () => {
    for (const op of ['max', 'min'] as const) {
      expect(() => zeros([0])[op]()).toThrow(ShapeError);
      expect(() => zeros([2, 0])[op](1)).toThrow(
        new RegExp(`^${op}: cannot take the ${op} over axis 1 of size 0 in shape \\[2,0\\]`),
      );
      expect(zeros([0, 3])[op](1).shape).toEqual([0]);
    }
  });

  it('softmax and logSoftmax of an empty axis are empty', () => {
    expect(zeros([2, 0]).softmax(-1).shape).toEqual([2, 0]);
    expect(zeros([0, 3]).logSoftmax(0).shape).toEqual([0, 3]);
  });
});

describe('views, joins and products of empty tensors', () => {
  it('reshape moves the 0 around, and -1 is refused when nothing else sizes it (NumPy, PyTorch)', () => {
    expect(zeros([0, 3]).reshape([3, 0, 1]).shape).toEqual([3, 0, 1]);
    expect(zeros([0, 3]).reshape([-1, 3]).shape).toEqual([0, 3]);
    expect(() => zeros([0, 3]).reshape([0, -1])).toThrow(
      /^reshape: cannot reshape \[0,3\] \(0 elements\) into \[0,-1\]/,
    );
  });

  it('concat with an empty part, of empty parts, and stack of empties', () => {
    expect(concat([zeros([0, 3]), ones([2, 3])]).toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
    expect(concat([zeros([2, 0]), zeros([2, 0])], 1).shape).toEqual([2, 0]);
    expect(stack([zeros([0]), zeros([0])]).shape).toEqual([2, 0]);
  });

  it('slice of an empty axis, and an empty slice of a full one', () => {
    expect(zeros([0, 3]).slice(0, 0, 5).shape).toEqual([0, 3]);
    expect(ones([4]).slice(0, 3, 1).shape).toEqual([0]);
    expect(ones([2, 3]).slice(1, 2, 2).shape).toEqual([2, 0]);
  });

  it('matmul with a 0-sized inner dimension is all zeros (an empty sum), and with an empty outer one is empty', () => {
    expect(matmul(zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(matmul(zeros([0]), zeros([0])).item()).toBe(0);
    expect(matmul(zeros([0, 4]), ones([4, 3])).shape).toEqual([0, 3]);
    expect(matmul(zeros([5, 0, 2]), ones([2, 3])).shape).toEqual([5, 0, 3]);
  });

  it('elementwise ops and broadcasting with a 0-sized dimension (0 broadcasts against 1, not against 2)', () => {
    expect(zeros([0, 3]).add(ones([1, 3])).shape).toEqual([0, 3]);
    expect(zeros([0]).mul(ones([1])).shape).toEqual([0]);
    expect(() => zeros([0]).add(ones([2]))).toThrow(/^add: shapes \[0\] and \[2\] do not broadcast/);
  });
});

describe('backward through empty tensors', () => {
  it("gives empty gradients of the leaves' shapes", () => {
    const x = empty([0, 3]);
    const w = empty([3, 0]);
    const y = x
      .exp()
      .matmul(ones([3, 2]))
      .sum()
      .add(x.matmul(w).sum())
      .add(w.T.reshape([-1, 3]).sum());
    y.backward();
    expect(y.item()).toBe(0);
    expect(x.grad?.shape).toEqual([0, 3]);
    expect(w.grad?.shape).toEqual([3, 0]);
  });

  it('a matmul over an empty inner dimension passes zero gradients to its non-empty operand', () => {
    const a = empty([2, 0]);
    const b = ones([0, 3], { requiresGrad: true });
    matmul(a, b).sum().backward();
    expect(a.grad?.shape).toEqual([2, 0]);
    expect(b.grad?.shape).toEqual([0, 3]);
    const c = ones([2, 3], { requiresGrad: true });
    // sum over a [2, 0] part and a [2, 3] part: the empty part contributes no gradient, the other 1s.
    concat([zeros([2, 0]), c], 1)
      .sum()
      .backward();
    expect(c.grad?.toArray()).toEqual([
      [1, 1, 1],
      [1, 1, 1],
    ]);
  });

  it('through reductions, views and joins, for any shape with a 0 in it (property)', () => {
    const shape = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }).filter((s) => s.includes(0));
    fc.assert(
      fc.property(shape, fc.boolean(), (s, float64) => {
        const x = zeros(s, { dtype: float64 ? 'float64' : 'float32', requiresGrad: true });
        const y = concat([x, x.square()], 0)
          .flatten()
          .sum()
          .add(x.mean(0).sum().mul(0))
          .add(x.logsumexp(0).sum().mul(0));
        y.backward();
        expect(x.grad?.shape).toEqual(s);
        expect(x.grad?.dtype).toBe(x.dtype);
      }),
      { numRuns: fuzzRuns(50) },
    );
  });
});

describe('ranks', () => {
  const rank32 = () => new Array<number>(32).fill(1).map((d, i) => (i % 11 === 0 ? 2 : d));

  it('rank 32 works end to end: arithmetic, reductions, permute, backward', () => {
    const x = ones(rank32(), { requiresGrad: true });
    const axes = x.shape.map((_, i) => x.ndim - 1 - i);
    const y = x.mul(2).permute(axes).sum([0, 31]).exp().sum();
    y.backward();
    expect(x.grad?.shape).toEqual(rank32());
    // y = Σ over the 2·2 groups of exp(Σ of 2 twos) = 8 terms... each group: exp(2·2) summed over the 4 remaining elements.
    expect(y.item()).toBeCloseTo(4 * Math.exp(4), 3);
  });

  it('rank 33 is refused by every way of making one, each naming itself', () => {
    const r33 = new Array<number>(33).fill(1);
    const x = ones(rank32());
    const cases: [string, () => Tensor][] = [
      ['zeros', () => zeros(r33)],
      ['ones', () => ones(r33)],
      ['tensor', () => tensor([1], { shape: r33 })],
      ['reshape', () => x.reshape(r33)],
      ['expand', () => x.expand(r33)],
      ['unsqueeze', () => x.unsqueeze(0)],
      ['stack', () => stack([x, x])],
      ['rand', () => core.rand(r33)],
    ];
    for (const [name, make] of cases)
      expect(make, name).toThrow(new RegExp(`^${name}: rank 33 is above the maximum rank 32`));
  });

  it('a nested array 33 deep is refused', () => {
    let nested: unknown = 1;
    for (let i = 0; i < 33; i++) nested = [nested];
    expect(() => tensor(nested as number[])).toThrow(/^tensor: rank 33 is above the maximum rank 32/);
  });
});
