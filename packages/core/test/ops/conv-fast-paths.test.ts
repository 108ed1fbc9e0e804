/**
 * The fast paths added for speed (issue 16) by hand: the three convolution
 * ops' gradients of each other (first and second order, float32 through the
 * WebAssembly kernels), the max-pool kernel's 2-D loop and where it must not
 * be taken, max pools of strided views, and relu's fused backward with its
 * edges. Values over the whole parameter space are in conv-fixtures.test.ts
 * (PyTorch), conv-kernels.test.ts and the gradient tables (float64).
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  conv2d,
  convTranspose2d,
  gradients,
  maxPool2d,
  maxPool3dWithIndices,
  tensor,
  where,
  type Tensor,
} from '../../src/index';
import { reluGrad } from '../../src/ops/activation-grads';

describe('convolutions in float32 (the WebAssembly kernels) by hand', () => {
  // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 0], [0, -1]], b = 10:
  // y[i][j] = x[i][j] − x[i+1][j+1] + 10 = 1 − 5 + 10 = 6 everywhere (each diagonal step adds 4).
  const x = tensor([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ],
  ]).requireGrad();
  const w = tensor([
    [
      [
        [1, 0],
        [0, -1],
      ],
    ],
  ]).requireGrad();
  const b = tensor([10]).requireGrad();

  it('forward, and the gradients of a weighted sum', () => {
    const y = conv2d(x, w, b);
    expect(y.toArray()).toEqual([
      [
        [
          [6, 6],
          [6, 6],
        ],
      ],
    ]);
    // L = Σ c·y with c = [[1, 2], [3, 4]]: dL/dx[i][j] = Σ over windows of c·w at that tap:
    // x[0][0] only meets w[0][0] in window (0,0): 1; x[2][2] only w[1][1] in window (1,1): -4;
    // x[1][1] is w[0][0] of window (1,1) and w[1][1] of window (0,0): 4 − 1 = 3.
    // dL/dw[p][q] = Σ c[i][j]·x[i+p][j+q]: w[0][0]: 1·1 + 2·2 + 3·4 + 4·5 = 37, w[0][1]: 2 + 6 + 15 + 24 = 47,
    // w[1][0]: 4 + 10 + 21 + 32 = 67, w[1][1]: 5 + 12 + 24 + 36 = 77. dL/db = 1 + 2 + 3 + 4 = 10.
    const c = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const [dx, dw, db] = gradients(y.mul(c).sum(), [x, w, b]) as [Tensor, Tensor, Tensor];
    expect(dx.toArray()).toEqual([
      [
        [
          [1, 2, 0],
          [3, 3, -2],
          [0, -3, -4],
        ],
      ],
    ]);
    expect(dw.toArray()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
    expect(db.toArray()).toEqual([10]);
  });

  it("second order: the weight gradient's gradient with respect to x", () => {
    // dL/dw[p][q] = Σ_ij c[i][j]·x[i+p][j+q], so M = Σ_pq dL/dw[p][q] = Σ_x x·(number of (i,j,p,q) reaching it, weighted by c):
    // dM/dx[r][s] = Σ over windows (i,j) with (r−i, s−j) in {0,1}² of c[i][j] = the 2×2 box sum of c around it.
    const y = conv2d(x, w, b);
    const c = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    const [dw] = gradients(y.mul(c).sum(), [w], { createGraph: true }) as [Tensor];
    const [ddx] = gradients(dw.sum(), [x]) as [Tensor];
    expect(ddx.toArray()).toEqual([
      [
        [
          [1, 3, 2],
          [4, 10, 6],
          [3, 7, 4],
        ],
      ],
    ]);
  });

  it('convTranspose2d is the input gradient: its own gradients by hand', () => {
    // convTranspose2d(g, w) scatters g[i][j]·w[p][q] to (i+p, j+q); with g = [[1, 2], [3, 4]] and the w above:
    // out = [[1, 2, 0], [3, 3, -2], [0, -3, -4]] (the dx of the first test), and d(Σ out)/dg = Σ w = 0 everywhere.
    const g = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]).requireGrad();
    const out = convTranspose2d(g, w);
    expect(out.toArray()).toEqual([
      [
        [
          [1, 2, 0],
          [3, 3, -2],
          [0, -3, -4],
        ],
      ],
    ]);
    const [dg, dw] = gradients(out.sum(), [g, w]) as [Tensor, Tensor];
    expect(dg.toArray()).toEqual([
      [
        [
          [0, 0],
          [0, 0],
        ],
      ],
    ]);
    // d(Σ out)/dw[p][q] = Σ g = 10 for every tap.
    expect(dw.toArray()).toEqual([
      [
        [
          [10, 10],
          [10, 10],
        ],
      ],
    ]);
  });
});

describe('max pools', () => {
  it('3-D pool of a depth-1 input padded in depth: every depth window is computed (not only the first)', () => {
    // x = [1, 3] along W; kernel [2, 1, 2], stride 1, padding [1, 0, 1]: two depth windows (each sees the
    // one depth slice), three W windows: [pad, 1] → 1, [1, 3] → 3, [3, pad] → 3.
    const x = tensor([[[[[1, 3]]]]]).requireGrad();
    const { values, indices } = maxPool3dWithIndices(x, [2, 1, 2], { stride: 1, padding: [1, 0, 1] });
    expect(values.toArray()).toEqual([[[[[1, 3, 3]], [[1, 3, 3]]]]]);
    expect(indices.toArray()).toEqual([[[[[0, 1, 1]], [[0, 1, 1]]]]]);
    // Σ values: x[0] is the maximum of 2 windows, x[1] of 4.
    const [dx] = gradients(values.sum(), [x]) as [Tensor];
    expect(dx.toArray()).toEqual([[[[[2, 4]]]]]);
  });

  it('the gradient reaches a strided (transposed) input', () => {
    // x = [[1, 2], [3, 4]] read transposed is [[1, 3], [2, 4]]: its maximum 4 is x[1][1].
    const x = tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]).requireGrad();
    const y = maxPool2d(x.transpose(2, 3), 2);
    expect(y.toArray()).toEqual([[[[4]]]]);
    const [dx] = gradients(y.sum(), [x]) as [Tensor];
    expect(dx.toArray()).toEqual([
      [
        [
          [0, 0],
          [0, 1],
        ],
      ],
    ]);
  });
});

describe("relu's fused backward", () => {
  it('passes g where x > 0 only: 0 at 0 and -0, at NaN and below 0; Infinity passes', () => {
    const x = tensor([2, 0, -0, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const g = tensor([1, 2, 3, 4, 5, 6, 7]);
    expect(reluGrad(g, x).toArray()).toEqual([1, 0, 0, 0, 0, 6, 0]);
    // The formula it replaces gives the same.
    expect(where(x.gt(0), g, 0).toArray()).toEqual([1, 0, 0, 0, 0, 6, 0]);
  });

  it('reads strided operands, and its own gradient is the same mask', () => {
    const x = tensor([
      [1, -1],
      [-2, 3],
    ]).transpose(0, 1);
    const g = tensor([
      [5, 6],
      [7, 8],
    ]).requireGrad();
    // x read transposed: [[1, -2], [-1, 3]].
    const out = reluGrad(g, x);
    expect(out.toArray()).toEqual([
      [5, 0],
      [0, 8],
    ]);
    const [dg] = gradients(
      out
        .mul(
          tensor([
            [1, 2],
            [3, 4],
          ]),
        )
        .sum(),
      [g],
    ) as [Tensor];
    expect(dg.toArray()).toEqual([
      [1, 0],
      [0, 4],
    ]);
  });

  it("relu's second derivative is 0 away from the kink, through reluGrad", () => {
    const x = tensor([-1.5, 0.5, 2]).requireGrad();
    const [d1] = gradients(x.relu().mul(x).sum(), [x], { createGraph: true }) as [Tensor];
    // d/dx (relu(x)·x) = 2x for x > 0, 0 below; d²/dx² = 2 and 0.
    expect(d1.toArray()).toEqual([0, 1, 4]);
    const [d2] = gradients(d1.sum(), [x]) as [Tensor];
    expect(d2.toArray()).toEqual([0, 2, 2]);
  });
});
