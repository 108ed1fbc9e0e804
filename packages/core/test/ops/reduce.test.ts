/**
 * Reductions called PyTorch-style, t.sum(axis?, keepDims?), on
 * x = [[1,2,3],[4,5,6]] whose sums, means and extremes are read off by hand;
 * argmax/argmin; logsumexp and var; and the axis errors.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, IndexError, ShapeError, argmax, tensor, zeros } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const x = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

describe('sum and mean', () => {
  it('over all axes, one axis, a negative axis, and a list', () => {
    expectClose(x().sum(), 21);
    expectClose(x().sum(0), [5, 7, 9]);
    expectClose(x().sum(1), [6, 15]);
    expectClose(x().sum(-1), [6, 15]);
    expectClose(x().sum([0, 1]), 21);
    expectClose(x().sum([-1, 0]), 21);
  });

  it('keepDims keeps reduced axes as 1s', () => {
    expectClose(x().sum(-1, true), [[6], [15]]);
    expectClose(x().sum(0, true), [[5, 7, 9]]);
    expectClose(x().sum(undefined, true), [[21]]);
    expectClose(x().sum([0, 1], true), [[21]]);
  });

  it('over two of three axes', () => {
    // t[i][j][k] = 4i + 2j + k (arange(8) in shape [2,2,2]); summing axes 0 and 2:
    // out[j] = Σ_i Σ_k (4i + 2j + k) = 4·(0+1)·2 + 2j·4 + (0+1)·2 = 10 + 8j.
    const t = tensor([
      [
        [0, 1],
        [2, 3],
      ],
      [
        [4, 5],
        [6, 7],
      ],
    ]);
    expectClose(t.sum([0, 2]), [10, 18]);
    expectClose(t.sum([0, -1], true), [[[10], [18]]]);
  });

  it('mean divides by the count of reduced elements', () => {
    expectClose(x().mean(), 3.5);
    expectClose(x().mean(1), [2, 5]);
    expectClose(x().mean(0, true), [[2.5, 3.5, 4.5]]);
  });

  it('of a 0-d tensor is the element; of an empty axis, 0 for sum and NaN for mean', () => {
    expectClose(tensor(5).sum(), 5);
    expectClose(tensor(5).sum(0), 5);
    expectClose(zeros([0, 3]).sum(0), [0, 0, 0]);
    expect(zeros([0]).mean().item()).toBeNaN();
  });

  it('of a transposed view follows the view', () => {
    // xᵀ = [[1,4],[2,5],[3,6]]; row sums [5,7,9].
    expectClose(x().T.sum(1), [5, 7, 9]);
  });

  it('accumulates float32 input in double precision', () => {
    // 10⁶ copies of 0.1f: a float32 running sum drifts by about 1%, a double one does not.
    const n = 1_000_000;
    const expected = n * Math.fround(0.1);
    expect(Math.abs(tensor(new Float32Array(n).fill(0.1)).sum().item() - expected)).toBeLessThan(expected * 1e-6);
  });

  it('the gradient of sum(axis) spreads g over the reduced axis', () => {
    // L = Σ_j w[j]·Σ_i x[i][j]: dL/dx[i][j] = w[j].
    const t = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { requiresGrad: true },
    );
    t.sum(0)
      .mul(tensor([1, 10, 100]))
      .sum()
      .backward();
    expectClose(t.grad, [
      [1, 10, 100],
      [1, 10, 100],
    ]);
  });
});

describe('max and min', () => {
  it('values over all axes, an axis, with keepDims', () => {
    expectClose(x().max(), 6);
    expectClose(x().max(0), [4, 5, 6]);
    expectClose(x().min(-1, true), [[1], [4]]);
    expectClose(x().min([0, 1]), 1);
  });

  it('NaN wins, as in PyTorch', () => {
    expect(tensor([1, NaN, 3]).max().item()).toBeNaN();
    expect(tensor([1, NaN, 3]).min().item()).toBeNaN();
  });

  it('the gradient of a max over every axis is shared evenly among the tied elements, as PyTorch', () => {
    // Three elements equal the max 7: each gets 1/3 of the gradient.
    const t = tensor(
      [
        [1, 7, 7],
        [7, 2, 3],
      ],
      { requiresGrad: true },
    );
    t.max().backward();
    expectClose(t.grad, [
      [0, 1 / 3, 1 / 3],
      [1 / 3, 0, 0],
    ]);
    const u = tensor([-2, 5, -2], { requiresGrad: true });
    u.min(undefined, true).backward();
    expectClose(u.grad, [0.5, 0, 0.5]);
  });

  it('the gradient of a max along an axis (a number or a list) goes to the first maximal element, as max(dim)', () => {
    const t = tensor(
      [
        [1, 7, 7],
        [7, 2, 3],
      ],
      { requiresGrad: true },
    );
    t.max(1).sum().backward();
    expectClose(t.grad, [
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const u = tensor([[7, 7]], { requiresGrad: true });
    u.max([0, 1]).backward();
    expectClose(u.grad, [[1, 0]]);
  });

  it('refuse an empty reduction', () => {
    expect(() => zeros([0]).max()).toThrow(ShapeError);
    expect(() => zeros([0]).max()).toThrow('max: cannot take the max over axis 0 of size 0 in shape [0]');
  });
});

describe('argmax and argmin', () => {
  it('index of the flattened tensor when no axis is given, else along the axis (int32)', () => {
    expectClose(x().argmax(), 5);
    expect(x().argmax().dtype).toBe('int32');
    expectClose(x().argmax(1), [2, 2]);
    expectClose(
      tensor([
        [3, 1],
        [0, 5],
      ]).argmin(0),
      [1, 0],
    );
    expectClose(
      tensor([
        [3, 1],
        [0, 5],
      ]).argmin(-1),
      [1, 0],
    );
  });

  it('keepDims, and ties going to the first', () => {
    expectClose(x().argmax(0, true), [[1, 1, 1]]);
    expectClose(x().argmax(undefined, true), [[5]]);
    expectClose(tensor([1, 3, 3]).argmax(), 1);
  });

  it('of a transposed view counts along the view', () => {
    // xᵀ = [[1,4],[2,5],[3,6]]: the largest of each row is in column 1.
    expectClose(x().T.argmax(1), [1, 1, 1]);
  });

  it('record no gradient', () => {
    expect(tensor([1, 2], { requiresGrad: true }).argmax().requiresGrad).toBe(false);
  });

  it('refuse an empty tensor and a list of axes', () => {
    expect(() => argmax(zeros([0]))).toThrow(ShapeError);
    expect(() => x().argmax([0, 1] as unknown as number)).toThrow(ArgumentError);
  });
});

describe('logsumexp and var', () => {
  it('logsumexp = log Σ eˣ, stable for 1000 and -1000', () => {
    // log(e⁰ + e^(ln 3)) = log 4.
    expectClose(tensor([0, Math.log(3)], { dtype: 'float64' }).logsumexp(), Math.log(4), { rtol: 1e-12 });
    // log(2·e¹⁰⁰⁰) = 1000 + ln 2, without overflowing.
    expectClose(tensor([1000, 1000], { dtype: 'float64' }).logsumexp(), 1000 + Math.LN2, { rtol: 1e-12 });
    expectClose(tensor([-1000, -1000], { dtype: 'float64' }).logsumexp(), -1000 + Math.LN2, { rtol: 1e-12 });
    expectClose(tensor([-Infinity, -Infinity]).logsumexp(), -Infinity);
    expectClose(
      tensor(
        [
          [0, 0],
          [1000, 1000],
        ],
        { dtype: 'float64' },
      ).logsumexp(1, true),
      [[Math.LN2], [1000 + Math.LN2]],
      { rtol: 1e-12 },
    );
  });

  it('the gradient of logsumexp is softmax', () => {
    // At [0, ln 3]: softmax = [1/4, 3/4].
    const t = tensor([0, Math.log(3)], { dtype: 'float64', requiresGrad: true });
    t.logsumexp().backward();
    expectClose(t.grad, [0.25, 0.75], { rtol: 1e-12 });
  });

  it('var is unbiased by default (correction 1); correction 0 gives the population variance', () => {
    // [1,2,3,4]: mean 2.5, squared deviations sum to 5; 5/3 and 5/4.
    expectClose(tensor([1, 2, 3, 4]).var(), 5 / 3);
    expectClose(tensor([1, 2, 3, 4]).var(0, false, { correction: 0 }), 1.25);
    // Rows of x: deviations [-1,0,1] → 2/2 = 1 each.
    expectClose(x().var(1, true), [[1], [1]]);
    expect(tensor([1]).var().item()).toBeNaN();
  });
});

describe('axis errors', () => {
  it('an axis out of range is an IndexError naming the op, the axis and the valid range', () => {
    expect(() => x().sum(2)).toThrow(IndexError);
    expect(() => x().sum(2)).toThrow('sum: axis 2 is out of range for a tensor of rank 2 (expected -2 to 1)');
    expect(() => x().mean(-3)).toThrow(/^mean: axis -3 is out of range/);
    expect(() => x().max([0, 5])).toThrow(IndexError);
    expect(() => x().argmin(2)).toThrow(IndexError);
  });

  it('a non-integer axis, a repeated axis or a non-boolean keepDims is an ArgumentError', () => {
    expect(() => x().sum(1.5)).toThrow(ArgumentError);
    expect(() => x().sum('0' as unknown as number)).toThrow('sum: an axis must be an integer, got "0"');
    expect(() => x().sum([1, -1])).toThrow('sum: axis [1,-1] names the same axis twice');
    expect(() => x().sum(0, 'yes' as unknown as boolean)).toThrow(ArgumentError);
    expect(() => tensor([1, 2]).var(0, false, { correction: Number.NaN })).toThrow(ArgumentError);
    expect(() => tensor([1, 2]).var(0, false, { correction: -1 })).toThrow(
      /^var: correction must be a finite number ≥ 0/,
    );
  });
});
