/**
 * matmul in every PyTorch case (1-D·1-D, 1-D·2-D, 2-D·1-D, 2-D·2-D, batched
 * with broadcast batch dimensions), with transposed, sliced and expanded
 * views as operands; dot and outer; hand-derived gradients; shape errors.
 * Larger products are compared with a triple loop written here.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  Generator,
  ShapeError,
  arange,
  dot,
  matmul,
  outer,
  randn,
  tensor,
  type Tensor,
} from '../../src/index';
import { expectClose } from '../tensor/expect-close';

/** The textbook triple loop over nested arrays: the reference for larger products. */
function naiveMatmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) =>
    (b[0] as number[]).map((_, j) => row.reduce((s, v, p) => s + v * ((b[p] as number[])[j] as number), 0)),
  );
}

const asMatrix = (t: Tensor) => t.toArray() as number[][];

describe('matmul: the PyTorch cases', () => {
  const A = () =>
    tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);

  it('1-D · 1-D is the dot product (a 0-d tensor)', () => {
    // 1·4 + 2·5 + 3·6 = 32
    expectClose(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])), 32);
  });

  it('1-D · 2-D treats the vector as a row and drops that axis', () => {
    // [1,1]·A = column sums [5,7,9]
    expectClose(matmul(tensor([1, 1]), A()), [5, 7, 9]);
  });

  it('2-D · 1-D treats the vector as a column and drops that axis', () => {
    // A·[1,0,-1] = [1-3, 4-6]
    expectClose(matmul(A(), tensor([1, 0, -1])), [-2, -2]);
  });

  it('2-D · 2-D', () => {
    // A·Aᵀ = [[1+4+9, 4+10+18], [.., 16+25+36]]
    expectClose(matmul(A(), A().T), [
      [14, 32],
      [32, 77],
    ]);
    expectClose(A().T.matmul(A()), [
      [17, 22, 27],
      [22, 29, 36],
      [27, 36, 45],
    ]);
  });

  it('batched: [2,2,3]·[3,1] broadcasts the matrix over the batch', () => {
    // Batch b, row i of arange(12) is [6b+3i, +1, +2]; times ones → 18b + 9i + 3.
    expectClose(matmul(arange(12).reshape([2, 2, 3]), tensor([[1], [1], [1]])), [
      [[3], [12]],
      [[21], [30]],
    ]);
  });

  it('batched with broadcast batch dimensions: [2,1,2,3]·[3,3,1] → [2,3,2,1]', () => {
    const a = arange(12).reshape([2, 1, 2, 3]);
    const b = tensor([
      [[1], [0], [0]],
      [[0], [1], [0]],
      [[0], [0], [1]],
    ]); // picks column 0, 1 or 2
    const out = matmul(a, b);
    expect(out.shape).toEqual([2, 3, 2, 1]);
    // out[i][j][r][0] = a[i][0][r][j] = 6i + 3r + j
    expectClose(out, [
      [
        [[0], [3]],
        [[1], [4]],
        [[2], [5]],
      ],
      [
        [[6], [9]],
        [[7], [10]],
        [[8], [11]],
      ],
    ]);
  });

  it('1-D with a batch: [2]·[2,2,3] → [2,3] and [2,2,3]·[3] → [2,2]', () => {
    expectClose(matmul(tensor([1, 1]), arange(12).reshape([2, 2, 3])), [
      [3, 5, 7],
      [15, 17, 19],
    ]);
    expectClose(matmul(arange(12).reshape([2, 2, 3]), tensor([1, 0, -1])), [
      [-2, -2],
      [-2, -2],
    ]);
  });

  it('an empty inner dimension gives zeros', () => {
    expectClose(matmul(tensor([[], []]), tensor(new Float32Array(0), { shape: [0, 3] })), [
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('promotes float32 with float64 and computes int32 in float32', () => {
    expect(matmul(tensor([1, 2], { dtype: 'float64' }), tensor([3, 4])).dtype).toBe('float64');
    const ints = matmul(tensor(new Int32Array([1, 2])), tensor(new Int32Array([3, 4])));
    expect([ints.dtype, ints.item()]).toEqual(['float32', 11]);
  });
});

describe('matmul: views as operands', () => {
  const X = () => arange(12).reshape([4, 3]); // rows [0,1,2], [3,4,5], [6,7,8], [9,10,11]

  it('sliced rows with a step and a transposed slice', () => {
    // rows 0, 2 = [[0,1,2],[6,7,8]]; rows 1, 3 transposed = [[3,9],[4,10],[5,11]].
    const out = matmul(X().slice(0, 0, 4, 2), X().slice(0, 1, 4, 2).T);
    expectClose(out, [
      [14, 32],
      [86, 212],
    ]);
  });

  it('columns with a step, and a view that starts mid-storage', () => {
    // X[:, ::2] = [[0,2],[3,5],[6,8],[9,11]]; times [[1],[1]] = row sums.
    expectClose(matmul(X().slice(1, 0, 3, 2), tensor([[1], [1]])), [[2], [8], [14], [20]]);
    // X[2:] = [[6,7,8],[9,10,11]] times [1,1,1].
    expectClose(matmul(X().slice(0, 2), tensor([1, 1, 1])), [21, 30]);
  });

  it('an expanded operand (stride 0)', () => {
    // [[1,1,1],[2,2,2]]·ones([3,2])
    expectClose(
      matmul(
        tensor([[1], [2]]).expand([2, 3]),
        tensor([
          [1, 1],
          [1, 1],
          [1, 1],
        ]),
      ),
      [
        [3, 3],
        [6, 6],
      ],
    );
  });

  it('a batch whose batch axis is permuted', () => {
    // arange(12) as [2,2,3] with its first two axes swapped: out[i][b] = row (b, i) summed = 18b + 9i + 3.
    const a = arange(12).reshape([2, 2, 3]).permute([1, 0, 2]);
    expectClose(matmul(a, tensor([[1], [1], [1]])), [
      [[3], [21]],
      [[12], [30]],
    ]);
  });

  it('larger products with odd sizes match the triple loop, in every layout', () => {
    const g = new Generator(11);
    const a = randn([7, 13], { dtype: 'float64', generator: g });
    const b = randn([13, 9], { dtype: 'float64', generator: g });
    const expected = naiveMatmul(asMatrix(a), asMatrix(b));
    expectClose(matmul(a, b), expected, { rtol: 1e-12, atol: 1e-12 });
    // The same matrices stored transposed and read back through .T.
    const aT = a.T.contiguous().T;
    const bT = b.T.contiguous().T;
    expectClose(matmul(aT, b), expected, { rtol: 1e-12, atol: 1e-12 });
    expectClose(matmul(a, bT), expected, { rtol: 1e-12, atol: 1e-12 });
    expectClose(matmul(aT, bT), expected, { rtol: 1e-12, atol: 1e-12 });
    // And as a slice of a wider matrix (gaps between rows).
    const wide = randn([7, 20], { dtype: 'float64', generator: g });
    const part = wide.slice(1, 3, 16);
    expectClose(matmul(part, b), naiveMatmul(asMatrix(part), asMatrix(b)), { rtol: 1e-12, atol: 1e-12 });
  });

  it('a larger float32 product matches the triple loop within float32 rounding', () => {
    const g = new Generator(12);
    const a = randn([33, 65], { generator: g });
    const b = randn([65, 17], { generator: g });
    const expected = naiveMatmul(asMatrix(a), asMatrix(b));
    expectClose(matmul(a, b), expected, { rtol: 1e-4, atol: 1e-4 });
    expectClose(matmul(a.T.contiguous().T, b.T.contiguous().T), expected, { rtol: 1e-4, atol: 1e-4 });
    // A view starting mid-storage, with gaps between rows.
    const wide = randn([34, 70], { generator: g }).slice(0, 1).slice(1, 2, 67);
    expectClose(matmul(wide, b), naiveMatmul(asMatrix(wide), asMatrix(b)), { rtol: 1e-4, atol: 1e-4 });
  });
});

describe('dot and outer', () => {
  it('dot of two vectors', () => {
    expectClose(dot(tensor([1, 2]), tensor([3, 4])), 11);
    expectClose(tensor([1, 2]).dot(tensor([3, 4])), 11);
  });

  it('outer: out[i][j] = a[i]·b[j]', () => {
    expectClose(outer(tensor([1, 2]), tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
    expectClose(tensor([1, 2]).outer(tensor([3, 4, 5])), [
      [3, 4, 5],
      [6, 8, 10],
    ]);
  });

  it('refuse anything but 1-D operands (of one length for dot)', () => {
    expect(() => dot(tensor([1, 2]), tensor([3, 4, 5]))).toThrow(ShapeError);
    expect(() => dot(tensor([1, 2]), tensor([3, 4, 5]))).toThrow(
      'dot: expected two 1-D tensors of the same length, got [2] and [3]',
    );
    expect(() => dot(tensor([[1]]), tensor([1]))).toThrow(ShapeError);
    expect(() => outer(tensor([[1]]), tensor([1]))).toThrow('outer: expected two 1-D tensors, got [1,1] and [1]');
  });
});

describe('matmul gradients by hand', () => {
  it('dA = g·Bᵀ and dB = Aᵀ·g', () => {
    // L = Σ A·B with A = [[1,2],[3,4]], B = [[5,6],[7,8]], g = ones:
    // dA[i][k] = Σ_j B[k][j] = row sums of B = [11, 15] in each row;
    // dB[k][j] = Σ_i A[i][k] = column sums of A = [4, 6] down each column.
    const A = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    const B = tensor(
      [
        [5, 6],
        [7, 8],
      ],
      { requiresGrad: true },
    );
    matmul(A, B).sum().backward();
    expectClose(A.grad, [
      [11, 15],
      [11, 15],
    ]);
    expectClose(B.grad, [
      [4, 4],
      [6, 6],
    ]);
  });

  it('vector operands get vector gradients', () => {
    // L = vᵀ M w: dL/dv = M w, dL/dw = Mᵀ v.
    const v = tensor([1, 2], { requiresGrad: true });
    const M = tensor([
      [1, 0, 2],
      [0, 1, 1],
    ]);
    const w = tensor([1, 1, 1], { requiresGrad: true });
    matmul(v, matmul(M, w)).backward();
    expectClose(v.grad, [3, 2]);
    expectClose(w.grad, [1, 2, 4]);
  });

  it('a matrix broadcast over a batch gets the sum over the batch', () => {
    // L = Σ_b Σ X_b·W with X_b = ones([1,2]) for 3 batches: dW = Σ_b X_bᵀ·ones = 3 everywhere.
    const W = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    matmul(tensor([[[1, 1]], [[1, 1]], [[1, 1]]]), W)
      .sum()
      .backward();
    expectClose(W.grad, [
      [3, 3],
      [3, 3],
    ]);
  });

  it('a float32 operand of a float64 product gets a float32 gradient', () => {
    const a = tensor([[1, 2]], { requiresGrad: true });
    matmul(a, tensor([[3], [4]], { dtype: 'float64' }))
      .sum()
      .backward();
    expect(a.grad?.dtype).toBe('float32');
    expectClose(a.grad, [[3, 4]]);
  });
});

describe('matmul errors', () => {
  it('names both shapes and the inner dimensions', () => {
    expect(() =>
      matmul(tensor(new Float32Array(6), { shape: [2, 3] }), tensor(new Float32Array(20), { shape: [4, 5] })),
    ).toThrow(ShapeError);
    expect(() =>
      matmul(tensor(new Float32Array(6), { shape: [2, 3] }), tensor(new Float32Array(20), { shape: [4, 5] })),
    ).toThrow('matmul: cannot multiply [2,3] by [4,5] (inner dimensions 3 and 4 differ)');
    expect(() => matmul(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      'matmul: cannot multiply [2] by [3] (inner dimensions 2 and 3 differ)',
    );
  });

  it('refuses batch dimensions that do not broadcast, 0-d operands and non-tensors', () => {
    expect(() => matmul(randn([2, 2, 3]), randn([3, 3, 1]))).toThrow(
      /^matmul: shapes \[2\] and \[3\] do not broadcast/,
    );
    expect(() => matmul(tensor(1), tensor([1]))).toThrow(/^matmul: both operands need at least 1 dimension/);
    expect(() => matmul('a' as unknown as Tensor, tensor([1]))).toThrow(ArgumentError);
    expect(() => matmul([[1]] as unknown as Tensor, tensor([1]))).toThrow(
      /^matmul: .*got an array \(wrap it with tensor/,
    );
  });
});
