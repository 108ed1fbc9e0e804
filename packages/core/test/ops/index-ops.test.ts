/**
 * gather, indexSelect and oneHot: forward values read off by hand, their
 * gradients (scatter-adds, repeats adding up), and the errors for bad
 * indices.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  IndexError,
  ShapeError,
  gather,
  indexSelect,
  oneHot,
  tensor,
} from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const ints = (values: number[], shape?: number[]) =>
  tensor(new Int32Array(values), shape === undefined ? {} : { shape });
const x = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('gather', () => {
  it('axis 1: out[i][j] = x[i][index[i][j]]', () => {
    // Row 0 picks columns 2, 0 → 3, 1; row 1 picks 1, 1 → 5, 5.
    expectClose(x().gather(1, ints([2, 0, 1, 1], [2, 2])), [
      [3, 1],
      [5, 5],
    ]);
  });

  it('axis 0: out[i][j] = x[index[i][j]][j], and the index may be smaller on other axes', () => {
    // Column 0 from row 1, columns 1 and 2 from row 0.
    expectClose(x().gather(0, ints([1, 0, 0], [1, 3])), [[4, 2, 3]]);
  });

  it('takes a negative axis and a transposed input', () => {
    expectClose(x().gather(-1, ints([0, 0], [2, 1])), [[1], [4]]);
    // xᵀ = [[1,4],[2,5],[3,6]]; pick columns 1, 0, 1.
    expectClose(x().T.gather(1, ints([1, 0, 1], [3, 1])), [[4], [2], [6]]);
  });

  it('reads an index that is a view with an offset', () => {
    // Regression: the index array was read from storage position 0, ignoring
    // the view's offset, so row 1 of the index matrix acted like row 0.
    const index = ints([0, 1, 2, 2, 1, 0], [2, 3]).slice(0, 1, 2); // [[2, 1, 0]]
    expectClose(gather(x().slice(0, 0, 1), 1, index), [[3, 2, 1]]);
  });

  it('scatters the gradient back, adding repeats', () => {
    // Row 0 reads column 2 twice → gradient 2 there; row 1 reads column 0 once.
    const t = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    t.gather(1, ints([2, 2, 0, 1], [2, 2]))
      .sum()
      .backward();
    expectClose(t.grad, [
      [0, 0, 2],
      [1, 1, 0],
    ]);
  });

  it('refuses indices out of range, of the wrong dtype or rank', () => {
    expect(() => x().gather(1, ints([3, 0], [2, 1]))).toThrow(IndexError);
    expect(() => x().gather(1, ints([3, 0], [2, 1]))).toThrow(
      'gather: index 3 is out of range for axis 1 of size 3 (expected 0 to 2)',
    );
    expect(() => x().gather(1, ints([-1, 0], [2, 1]))).toThrow(IndexError);
    expect(() => x().gather(1, tensor([[0], [1]]))).toThrow(DTypeError);
    expect(() => x().gather(1, tensor([[0], [1]]))).toThrow(/gather: indices must be an int32 tensor.*float32/);
    expect(() => x().gather(1, ints([0, 0]))).toThrow(ShapeError);
    expect(() => x().gather(1, ints([0, 0]))).toThrow(/gather: index of shape \[2\] does not fit input \[2,3\]/);
    expect(() => x().gather(2, ints([0, 0], [2, 1]))).toThrow(IndexError);
  });
});

describe('indexSelect', () => {
  it('picks whole slices, repeats allowed', () => {
    expectClose(x().indexSelect(0, [1, 0, 1]), [
      [4, 5, 6],
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expectClose(x().indexSelect(1, ints([2, 2])), [
      [3, 3],
      [6, 6],
    ]);
    expectClose(x().indexSelect(-1, [0]), [[1], [4]]);
    expect(x().indexSelect(0, []).shape).toEqual([0, 3]);
  });

  it('reads an index that is a view with an offset', () => {
    // Regression: a 3-element view of a 6-element index read all 6.
    expectClose(indexSelect(x(), 1, ints([0, 1, 2, 2, 1, 0]).slice(0, 3)), [
      [3, 2, 1],
      [6, 5, 4],
    ]);
  });

  it('adds the gradients of repeated rows', () => {
    // Row 1 is selected twice, row 0 once; L = Σ out.
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    t.indexSelect(0, [1, 0, 1]).sum().backward();
    expectClose(t.grad, [
      [1, 1],
      [2, 2],
    ]);
  });

  it('refuses bad indices', () => {
    expect(() => x().indexSelect(0, [2])).toThrow(IndexError);
    expect(() => x().indexSelect(0, [2])).toThrow(
      'indexSelect: index 2 is out of range for axis 0 of size 2 (expected 0 to 1)',
    );
    expect(() => x().indexSelect(0, [-1])).toThrow(IndexError);
    expect(() => x().indexSelect(0, [1.5])).toThrow(ArgumentError);
    expect(() => x().indexSelect(0, ints([0, 0], [1, 2]))).toThrow(ShapeError);
    expect(() => x().indexSelect(0, {} as unknown as number[])).toThrow(ArgumentError);
  });
});

describe('oneHot', () => {
  it('makes float32 rows with a 1 at each index; numClasses defaults to the largest index + 1', () => {
    const h = oneHot([0, 2, 1]);
    expect(h.dtype).toBe('float32');
    expectClose(h, [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 0],
    ]);
  });

  it('adds one axis to indices of any shape', () => {
    expectClose(oneHot(ints([0, 3, 1, 0], [2, 2]), 4), [
      [
        [1, 0, 0, 0],
        [0, 0, 0, 1],
      ],
      [
        [0, 1, 0, 0],
        [1, 0, 0, 0],
      ],
    ]);
  });

  it('reads an index that is a view with an offset', () => {
    // Regression: the first three labels were read instead of the last three.
    expectClose(oneHot(ints([0, 1, 2, 2, 1, 0]).slice(0, 3), 3), [
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('refuses indices outside [0, numClasses) and a bad numClasses', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(IndexError);
    expect(() => oneHot([0, 3], 3)).toThrow(
      'oneHot: index 3 is out of range for numClasses of size 3 (expected 0 to 2)',
    );
    expect(() => oneHot([-1], 3)).toThrow(IndexError);
    expect(() => oneHot([0], 2.5)).toThrow(ArgumentError);
    expect(() => oneHot(tensor([1]), 3)).toThrow(DTypeError);
    expect(() => oneHot('abc' as unknown as number[])).toThrow(ArgumentError);
  });
});
