/**
 * The view-making shape ops (reshape, flatten, permute, transpose, T,
 * squeeze, unsqueeze, expand): values written out by hand from
 * arange(6) = [0..5] laid out row-major, gradients that undo the view, and
 * the errors for bad shapes and axes.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, IndexError, ShapeError, arange, tensor, zeros } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

// [[0, 1, 2], [3, 4, 5]]
const m = () => arange(6).reshape([2, 3]);

describe('reshape and flatten', () => {
  it('reshape keeps row-major order; one -1 is inferred', () => {
    expectClose(m().reshape([3, 2]), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expectClose(m().reshape([-1, 2]), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    expectClose(m().reshape([6]), [0, 1, 2, 3, 4, 5]);
    expectClose(tensor([7]).reshape([]), 7);
  });

  it('of a contiguous tensor is a view sharing its storage; of a transposed one, a copy in the view order', () => {
    const t = m();
    expect(t.reshape([6]).storage).toBe(t.storage);
    // mᵀ = [[0,3],[1,4],[2,5]], read row-major.
    expectClose(t.T.reshape([6]), [0, 3, 1, 4, 2, 5]);
  });

  it('refuses sizes that do not match, two -1s, and non-integer dimensions', () => {
    expect(() => m().reshape([4, 2])).toThrow(ShapeError);
    expect(() => m().reshape([4, 2])).toThrow(
      'reshape: cannot reshape [2,3] (6 elements) into [4,2] (8 elements); the sizes must match',
    );
    expect(() => m().reshape([-1, -1])).toThrow('reshape: only one dimension can be -1, got [-1,-1]');
    expect(() => m().reshape([-1, 4])).toThrow(ShapeError);
    expect(() => m().reshape([1.5, 4])).toThrow(ShapeError);
    expect(() => m().reshape([-2, -3])).toThrow(ShapeError);
    expect(() => m().reshape('6' as unknown as number[])).toThrow(ArgumentError);
  });

  it('flatten merges startAxis..endAxis (all by default; a 0-d tensor becomes [1])', () => {
    expect(zeros([2, 3, 4]).flatten().shape).toEqual([24]);
    expect(zeros([2, 3, 4]).flatten(1).shape).toEqual([2, 12]);
    expect(zeros([2, 3, 4]).flatten(0, 1).shape).toEqual([6, 4]);
    expect(zeros([2, 3, 4]).flatten(-2, -1).shape).toEqual([2, 12]);
    expectClose(tensor(3).flatten(), [3]);
    expect(() => zeros([2, 3]).flatten(1, 0)).toThrow(ArgumentError);
  });

  it('passes the gradient back in the input shape', () => {
    // L = Σ reshape(x) · [[1,2],[3,4],[5,6]]: dL/dx is the weights read row-major into [2,3].
    const x = tensor(
      [
        [0, 1, 2],
        [3, 4, 5],
      ],
      { requiresGrad: true },
    );
    x.reshape([3, 2])
      .mul(
        tensor([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
      )
      .sum()
      .backward();
    expectClose(x.grad, [
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });
});

describe('permute, transpose and T', () => {
  it('permute: output axis i is input axis axes[i]; negative axes count from the end', () => {
    const t = arange(24).reshape([2, 3, 4]);
    expect(t.permute([2, 0, 1]).shape).toEqual([4, 2, 3]);
    // out[k][i][j] = t[i][j][k] = 12i + 4j + k; out[1][1][2] = 12 + 8 + 1 = 21.
    expect(t.permute([2, 0, 1]).slice(0, 1, 2).slice(1, 1, 2).slice(2, 2, 3).item()).toBe(21);
    expectClose(arange(6).reshape([1, 2, 3]).permute([-1, 0, 1]), [[[0, 3]], [[1, 4]], [[2, 5]]]);
  });

  it('transpose swaps two axes, negative ones included, as a view', () => {
    const t = arange(6).reshape([1, 2, 3]);
    const v = t.transpose(-1, -2);
    expectClose(v, [
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
    ]);
    expect(v.storage).toBe(t.storage);
    expect(v.isContiguous).toBe(false);
    expectClose(tensor([1, 2]).transpose(0, -1), [1, 2]);
  });

  it('T is the matrix transpose; vectors come back unchanged; rank 3 is refused', () => {
    expectClose(m().T, [
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expectClose(tensor([1, 2]).T, [1, 2]);
    expect(() => zeros([1, 2, 3]).T).toThrow(ShapeError);
    expect(() => zeros([1, 2, 3]).T).toThrow(/T: .*\[1,2,3\].*transpose\(dim0, dim1\)/);
  });

  it('the gradient goes through the inverse permutation', () => {
    // L = Σ permute(x, [1,2,0]) · w, w of the permuted shape [3,1,2]:
    // x[a][b][c] lands at out[b][c][a], so dL/dx[a][b][c] = w[b][c][a].
    const x = zeros([2, 3, 1], { requiresGrad: true });
    const w = arange(6).reshape([3, 1, 2]); // w[b][0][a] = 2b + a
    x.permute([1, 2, 0]).mul(w).sum().backward();
    // dL/dx[a][b][0] = w[b][0][a] = 2b + a.
    expectClose(x.grad, [
      [[0], [2], [4]],
      [[1], [3], [5]],
    ]);
  });

  it('refuses repeated, missing and out-of-range axes', () => {
    expect(() => m().permute([0, 0])).toThrow(ArgumentError);
    expect(() => m().permute([0])).toThrow(ShapeError);
    expect(() => m().permute([0, 2])).toThrow(IndexError);
    expect(() => m().transpose(0, 2)).toThrow(IndexError);
    expect(() => m().transpose(0, 2)).toThrow(
      'transpose: axis 2 is out of range for a tensor of rank 2 (expected -2 to 1)',
    );
  });
});

describe('squeeze and unsqueeze', () => {
  it('squeeze drops all size-1 axes, or the named ones (each must be 1)', () => {
    expect(zeros([1, 2, 1]).squeeze().shape).toEqual([2]);
    expect(zeros([1, 2, 1]).squeeze(0).shape).toEqual([2, 1]);
    expect(zeros([1, 2, 1]).squeeze([0, -1]).shape).toEqual([2]);
    expect(() => zeros([1, 2, 1]).squeeze(1)).toThrow(ShapeError);
    expect(() => zeros([1, 2, 1]).squeeze(1)).toThrow('squeeze: axis 1 of shape [1,2,1] has size 2, not 1');
  });

  it('unsqueeze inserts a size-1 axis; -1 is the new last axis', () => {
    expectClose(tensor([1, 2]).unsqueeze(0), [[1, 2]]);
    expectClose(tensor([1, 2]).unsqueeze(1), [[1], [2]]);
    expectClose(tensor([1, 2]).unsqueeze(-1), [[1], [2]]);
    expectClose(tensor(5).unsqueeze(0), [5]);
  });

  it('unsqueeze out of range names the rank of the tensor given', () => {
    // A rank-1 tensor takes axes -2..1 (its result has rank 2).
    expect(() => tensor([1, 2]).unsqueeze(2)).toThrow(IndexError);
    expect(() => tensor([1, 2]).unsqueeze(2)).toThrow(
      'unsqueeze: axis 2 is out of range for a tensor of rank 1 (expected -2 to 1)',
    );
    expect(() => tensor([1, 2]).unsqueeze(-3)).toThrow(IndexError);
  });
});

describe('expand', () => {
  it('repeats size-1 axes and adds leading ones without copying; -1 keeps an axis', () => {
    const col = tensor([[1], [2]]);
    const e = col.expand([2, 3]);
    expectClose(e, [
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(e.storage).toBe(col.storage);
    expect(e.strides).toEqual([1, 0]);
    expectClose(col.expand([3, -1, 2]), [
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
      [
        [1, 1],
        [2, 2],
      ],
    ]);
  });

  it('the gradient sums over the repeated reads', () => {
    // Each of the 2 elements is read 3 times along the new axis, 2 times along the old one.
    const x = tensor([[1], [2]], { requiresGrad: true });
    x.expand([3, 2, 2]).sum().backward();
    expectClose(x.grad, [[6], [6]]);
  });

  it('refuses a dimension that is not 1 and would change, and too few dimensions', () => {
    expect(() => tensor([[1], [2]]).expand([3, 3])).toThrow(ShapeError);
    expect(() => tensor([[1], [2]]).expand([3, 3])).toThrow(
      /expand: cannot expand \[2,1\] to \[3,3\]: dimension 0 is 2/,
    );
    expect(() => tensor([[1], [2]]).expand([2])).toThrow(ShapeError);
    expect(() => tensor([1]).expand([-1, 2])).toThrow(ShapeError);
  });
});
