/**
 * Elementwise binary ops: values by hand, NumPy broadcasting in all its
 * shapes, numbers on either side, strided operands, and the PyTorch
 * conventions of pow and maximum/minimum at their special points.
 */
import { describe, expect, it } from 'vitest';
import {
  ShapeError,
  add,
  arange,
  binaryOps,
  div,
  maximum,
  minimum,
  mul,
  pow,
  sub,
  tensor,
  zeros,
} from '../../src/index';
import { expectClose } from '../tensor/expect-close';

describe('binary ops: values', () => {
  it('add sub mul div', () => {
    const a = tensor([6, -3, 1.5]);
    const b = tensor([2, 4, -0.5]);
    expectClose(a.add(b), [8, 1, 1]);
    expectClose(a.sub(b), [4, -7, 2]);
    expectClose(a.mul(b), [12, -12, -0.75]);
    expectClose(a.div(b), [3, -0.75, -3]);
  });

  it('pow, including fractional and zero exponents and a number base', () => {
    // 2³ = 8, 4^-½ = ½, 0⁰ = 1 (IEEE, as PyTorch), (-8)^(1/3) = NaN (no real branch).
    expectClose(tensor([2, 4, 0, -8]).pow(tensor([3, -0.5, 0, 1 / 3])), [8, 0.5, 1, NaN]);
    expectClose(pow(2, tensor([1, 2, 3])), [2, 4, 8]);
    expectClose(tensor([0]).pow(-1), [Infinity]);
  });

  it('maximum and minimum, with NaN propagating', () => {
    expectClose(maximum(tensor([1, 5, NaN]), tensor([3, 2, 1])), [3, 5, NaN]);
    expectClose(minimum(tensor([1, 5, 2]), 2), [1, 2, 2]);
    expectClose(minimum(tensor([1]), tensor([NaN])), [NaN]);
  });

  it('division by zero follows IEEE', () => {
    expectClose(tensor([1, -1, 0]).div(0), [Infinity, -Infinity, NaN]);
  });

  it('numbers on either side', () => {
    expectClose(sub(10, tensor([1, 2])), [9, 8]);
    expectClose(div(1, tensor([4])), [0.25]);
    expectClose(mul(tensor([1, 2]), 3), [3, 6]);
    expectClose(add(1, 2), 3);
  });

  it('every op in the table has a value test above', () => {
    expect(Object.keys(binaryOps).sort()).toEqual(['add', 'div', 'maximum', 'minimum', 'mul', 'pow', 'sub']);
  });
});

describe('broadcasting', () => {
  it('[3,1] + [4] → [3,4]', () => {
    const out = tensor([[0], [10], [20]]).add(tensor([1, 2, 3, 4]));
    expectClose(out, [
      [1, 2, 3, 4],
      [11, 12, 13, 14],
      [21, 22, 23, 24],
    ]);
  });

  it('[2,1,3] · [4,1] → [2,4,3]', () => {
    const a = arange(6).reshape([2, 1, 3]); // a[i][0][k] = 3i + k
    const b = tensor([[1], [2], [3], [4]]); // b[j][0] = j + 1
    const out = a.mul(b);
    expect(out.shape).toEqual([2, 4, 3]);
    // out[1][2][0] = a[1][0][0]·b[2][0] = 3·3 = 9; out[0][3][2] = 2·4 = 8.
    expect(out.toArray()).toEqual([
      [
        [0, 1, 2],
        [0, 2, 4],
        [0, 3, 6],
        [0, 4, 8],
      ],
      [
        [3, 4, 5],
        [6, 8, 10],
        [9, 12, 15],
        [12, 16, 20],
      ],
    ]);
  });

  it('a 0-d tensor with anything, and empty dimensions', () => {
    expectClose(tensor(2).mul(tensor([[1, 2]])), [[2, 4]]);
    expect(zeros([0, 3]).add(tensor([1, 2, 3])).shape).toEqual([0, 3]);
    expect(zeros([0, 1]).add(zeros([4])).shape).toEqual([0, 4]);
  });

  it('strided and broadcast views as operands', () => {
    // mᵀ = [[0,3],[1,4],[2,5]] minus the expanded column [[1],[1],[1]].
    const m = arange(6).reshape([2, 3]);
    expectClose(m.T.sub(tensor([[1]]).expand([3, 1])), [
      [-1, 2],
      [0, 3],
      [1, 4],
    ]);
    expectClose(arange(10).slice(0, 1, 10, 3).add(arange(3)), [1, 5, 9]);
  });

  it('refuses shapes that do not broadcast, naming both and the dimension', () => {
    expect(() => zeros([2, 3]).add(zeros([4, 3]))).toThrow(ShapeError);
    expect(() => zeros([2, 3]).add(zeros([4, 3]))).toThrow(
      'add: shapes [2,3] and [4,3] do not broadcast (dimension -2: 2 vs 4; sizes must be equal or one of them 1)',
    );
    expect(() => zeros([3]).mul(zeros([2, 2]))).toThrow(/^mul: shapes \[3\] and \[2,2\] do not broadcast/);
  });
});

describe('binary ops: gradient conventions', () => {
  it('mul and div by hand: d(a/b)/db = -a/b²', () => {
    const a = tensor([6], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2], { dtype: 'float64', requiresGrad: true });
    a.div(b).sum().backward();
    expectClose(a.grad, [0.5]);
    expectClose(b.grad, [-1.5]);
  });

  it('pow: d/da aᵇ = b·aᵇ⁻¹ and d/db aᵇ = aᵇ ln a', () => {
    // At a = 2, b = 3: 12 and 8 ln 2.
    const a = tensor([2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([3], { dtype: 'float64', requiresGrad: true });
    a.pow(b).sum().backward();
    expectClose(a.grad, [12]);
    expectClose(b.grad, [8 * Math.LN2], { rtol: 1e-12 });
  });

  it('pow at 0, as PyTorch: the exponent gradient is 0 (not NaN) where a = 0, and 0⁰ has base gradient 0', () => {
    const a = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2, 0], { dtype: 'float64', requiresGrad: true });
    a.pow(b).sum().backward();
    // d/da a² = 2a = 0; d/da a⁰ = 0 by convention; d/db 0ᵇ = 0 by convention.
    expectClose(a.grad, [0, 0]);
    expectClose(b.grad, [0, 0]);
  });

  it('sub sends -g to the second operand, summed back over broadcasting', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const b = tensor([1, 1], { requiresGrad: true });
    a.sub(b).sum().backward();
    expectClose(a.grad, [
      [1, 1],
      [1, 1],
    ]);
    expectClose(b.grad, [-2, -2]);
  });

  it('maximum and minimum: ties split g, and where either is NaN both get all of it, as PyTorch', () => {
    // PyTorch: a gets where(a == b, g/2, g), zeroed where a loses (a < b for maximum); with a NaN
    // nothing is equal and nothing loses. Pairs: (NaN, 1), (1, NaN), (1, 1), (2, 3).
    for (const [op, last] of [
      [maximum, [0, 1]],
      [minimum, [1, 0]],
    ] as const) {
      const a = tensor([NaN, 1, 1, 2], { dtype: 'float64', requiresGrad: true });
      const b = tensor([1, NaN, 1, 3], { dtype: 'float64', requiresGrad: true });
      op(a, b).sum().backward();
      // The last pair (2, 3): maximum's gradient goes to b, minimum's to a.
      expectClose(a.grad, [1, 1, 0.5, last[0]]);
      expectClose(b.grad, [1, 1, 0.5, last[1]]);
    }
  });
});
