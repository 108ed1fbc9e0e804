/**
 * einsum against PyTorch (fixtures/linalg.json, written by linalg.py):
 * explicit and implicit outputs, diagonals, '...', broadcasting, several
 * operands, empty tensors, and the equations PyTorch refuses. Below, the
 * errors' messages and that a batched product is one matmul.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ArgumentError, ShapeError, tensor } from '../../src/index';
import { fixture, runFixture } from './linalg-fixture';

describe(`einsum against PyTorch ${fixture.torch}`, () => {
  runFixture({ einsum: (xs, args) => core.einsum(args[0] as string, ...xs) });
});

describe('einsum errors and paths', () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('names the operand, its axes and its labels', () => {
    expect(() => core.einsum('ij', core.zeros([2, 3, 4]))).toThrow(
      new ShapeError('einsum', "operand 0 has 3 axes but the equation gives it 2 labels ('ij') and no '...'"),
    );
    expect(() => core.einsum('ij,jk', a, core.zeros([2, 2]))).toThrow(
      /^einsum: label 'j' has size 2 in operand 1 \(shape \[2,2\]\) but 3 in an earlier operand/,
    );
    expect(() => core.einsum('i%', a)).toThrow(ArgumentError);
    expect(() => core.einsum('i%', a)).toThrow(/^einsum: invalid character '%' at index 1/);
    expect(() => core.einsum('ij,jk', a)).toThrow(/^einsum: equation 'ij,jk' names 2 operands but 1 was given/);
    expect(() => core.einsum(3 as never, a)).toThrow(/^einsum: the equation must be a string/);
    expect(() => core.einsum('ij', [1] as never)).toThrow(/^einsum: operand 0 must be a Tensor/);
    expect(() => core.einsum('...i...', a)).toThrow(/^einsum: '\.\.\.i\.\.\.' has more than one ellipsis/);
  });

  it('a batched product is computed as matmul is, bit for bit', () => {
    const x = core.randn([3, 4, 5], { dtype: 'float64' });
    const y = core.randn([3, 5, 2], { dtype: 'float64' });
    expect(Array.from(core.einsum('bij,bjk->bik', x, y).data())).toEqual(Array.from(x.matmul(y).data()));
  });
});
