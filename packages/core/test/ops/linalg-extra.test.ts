/**
 * The contractions (tensordot, bmm, kron, cross, cdist) and the linalg
 * namespace against PyTorch (fixtures/linalg.json, written by linalg.py):
 * values and gradients, batched, singular and ill-conditioned cases, and
 * the calls PyTorch refuses. Below, the conventions checked by hand.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ArgumentError, linalg, ShapeError, tensor, type Tensor } from '../../src/index';
import { fixture, runFixture, type Call } from './linalg-fixture';

const order = (o: unknown): number => (o === 'inf' ? Infinity : o === '-inf' ? -Infinity : (o as number));
const two = (xs: Tensor[]): [Tensor, Tensor] => [xs[0] as Tensor, xs[1] as Tensor];

const contractions: Record<string, Call> = {
  tensordot: (xs, [axes]) => core.tensordot(...two(xs), axes as number),
  bmm: (xs) => core.bmm(...two(xs)),
  kron: (xs) => core.kron(...two(xs)),
  cross: (xs, [axis]) => core.cross(...two(xs), axis as number),
  cdist: (xs, [p]) => core.cdist(...two(xs), order(p)),
};

describe(`contractions against PyTorch ${fixture.torch}`, () => {
  runFixture(contractions);
});

describe('contractions by hand', () => {
  it('cross of the unit vectors: e0 × e1 = e2, e1 × e2 = e0', () => {
    const e = core.eye(3, undefined, { dtype: 'float64' });
    expect(Array.from(core.cross(e.slice(0, 0, 2), e.slice(0, 1, 3)).data())).toEqual([0, 0, 1, 1, 0, 0]);
  });
  it('kron of eye(2) and [[1, 2], [3, 4]] is block diagonal', () => {
    const k = core.kron(
      core.eye(2),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(Array.from(k.data())).toEqual([1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4]);
  });
  it('cdist: 3-4-5 triangle; a zero distance has gradient 0', () => {
    const x = tensor([[0, 0]], { dtype: 'float64', requiresGrad: true });
    const d = core.cdist(
      x,
      tensor(
        [
          [3, 4],
          [0, 0],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(Array.from(d.data())).toEqual([5, 0]);
    d.sum().backward();
    // d|x - (3, 4)|/dx = (x - (3, 4)) / 5 = (-0.6, -0.8); the zero distance adds 0.
    expect(x.grad).toBeAllClose(tensor([[-0.6, -0.8]], { dtype: 'float64' }));
  });
  it('argument errors name the op and what is accepted', () => {
    const m = core.zeros([2, 3]);
    expect(() => core.bmm(m, m)).toThrow(
      new ShapeError('bmm', 'expected two 3-D tensors [batch, n, m] and [batch, m, p], got shapes [2,3] and [2,3]'),
    );
    expect(() => core.tensordot(m, m, 3)).toThrow(ArgumentError);
    expect(() => core.tensordot(m, m, [[0], [0, 1]])).toThrow(/^tensordot: axesA and axesB must pair up/);
    expect(() =>
      core.tensordot(m, m, [
        [0, 0],
        [0, 1],
      ]),
    ).toThrow(/^tensordot: axesA \[0, 0\] names an axis twice/);
    expect(() => core.cross(core.zeros([3, 2]), core.zeros([3, 2]))).toThrow(/^cross: axis -1 must have size 3/);
    expect(() => core.cdist(m, m, -1)).toThrow(/^cdist: p must be a number ≥ 0/);
    expect(() => core.cdist(m, core.zeros([2, 2]))).toThrow(/^cdist: expected x1 \[\.\.\., m, d\]/);
  });
});

const linalgCalls: Record<string, Call> = {
  det: (xs) => linalg.det(xs[0] as Tensor),
  slogdet: (xs) => {
    const { sign, logabsdet } = linalg.slogdet(xs[0] as Tensor);
    return [sign, logabsdet];
  },
  inv: (xs) => linalg.inv(xs[0] as Tensor),
  solve: (xs) => linalg.solve(...two(xs)),
  cholesky: (xs) => linalg.cholesky(xs[0] as Tensor),
  solveTriangular: (xs, [o]) => linalg.solveTriangular(...two(xs), o as { upper: boolean }),
  matrixNorm: (xs, [o]) => linalg.matrixNorm(xs[0] as Tensor, o === 'fro' || o === 'nuc' ? o : order(o)),
  vectorNorm: (xs, [o, axis, keep]) =>
    linalg.vectorNorm(xs[0] as Tensor, order(o), axis as number | undefined, keep as boolean | undefined),
  matrixPower: (xs, [k]) => linalg.matrixPower(xs[0] as Tensor, k as number),
  // The eigenvalues and V ∘ V, which do not depend on each eigenvector's sign (the fixture's too).
  eigh: (xs) => {
    const { eigenvalues, eigenvectors } = linalg.eigh(xs[0] as Tensor);
    return [eigenvalues, eigenvectors.mul(eigenvectors)];
  },
  // S, U ∘ U and Vh ∘ Vh, which do not depend on the singular vectors' signs (the fixture's too).
  svd: (xs) => {
    const { U, S, Vh } = linalg.svd(xs[0] as Tensor);
    return [S, U.mul(U), Vh.mul(Vh)];
  },
  pinv: (xs) => linalg.pinv(xs[0] as Tensor),
  qr: (xs) => {
    const { Q, R } = linalg.qr(xs[0] as Tensor);
    return [Q, R];
  },
};

describe(`linalg against PyTorch ${fixture.torch}`, () => {
  // The same unblocked LU/Cholesky as LAPACK's for these small sizes: agreement to ~1e-13 even for
  // the 5 × 5 Hilbert matrix (condition ~5e5).
  runFixture(linalgCalls, { rtol: 1e-12, atol: 1e-13, errorName: (op) => `linalg.${op}` });
});

describe('linalg by hand', () => {
  const f64 = (rows: number[][]) => tensor(rows, { dtype: 'float64' });

  it('det and slogdet of [[1, 2], [3, 4]]: 1·4 - 2·3 = -2, so sign -1 and log 2', () => {
    expect(
      linalg
        .det(
          f64([
            [1, 2],
            [3, 4],
          ]),
        )
        .item(),
    ).toBeCloseTo(-2, 15);
    const { sign, logabsdet } = linalg.slogdet(
      f64([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(sign.item()).toBe(-1);
    expect(logabsdet.item()).toBeCloseTo(Math.LN2, 15);
  });

  it('singular matrices: det 0, slogdet (0, -Infinity), inv and solve refuse by name', () => {
    const s = f64([
      [1, 2],
      [2, 4],
    ]);
    expect(linalg.det(s).item()).toBe(0);
    const { sign, logabsdet } = linalg.slogdet(s);
    expect([sign.item(), logabsdet.item()]).toEqual([0, -Infinity]);
    expect(() => linalg.inv(s)).toThrow(ArgumentError);
    expect(() => linalg.inv(s)).toThrow(
      /^linalg\.inv: the matrix is singular: pivot 1 of its LU factorization is exactly zero/,
    );
    const batch = core.stack([
      f64([
        [1, 0],
        [0, 1],
      ]),
      s,
    ]);
    expect(() => linalg.solve(batch, f64([[1], [1]]))).toThrow(
      /^linalg\.solve: the matrix is singular \(batch element \[1\]\)/,
    );
  });

  it('cholesky of [[4, 2], [2, 5]] is [[2, 0], [1, 2]]; upper gives its transpose; not positive-definite refused', () => {
    const a = f64([
      [4, 2],
      [2, 5],
    ]);
    expect(Array.from(linalg.cholesky(a).data())).toEqual([2, 0, 1, 2]);
    expect(Array.from(linalg.cholesky(a, { upper: true }).data())).toEqual([2, 1, 0, 2]);
    expect(() =>
      linalg.cholesky(
        f64([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(/^linalg\.cholesky: the matrix is not positive-definite: its leading minor of order 2 is not positive/);
  });

  it('solveTriangular reads only its triangle: [[2, 9], [1, 1]] lower solves [[2], [3]] as [[1], [2]]', () => {
    const x = linalg.solveTriangular(
      f64([
        [2, 9],
        [1, 1],
      ]),
      f64([[2], [3]]),
      { upper: false },
    );
    expect(Array.from(x.data())).toEqual([1, 2]);
  });

  it('matrixPower: [[1, 1], [0, 1]]^k = [[1, k], [0, 1]] for k = 0, 3, -2', () => {
    const a = f64([
      [1, 1],
      [0, 1],
    ]);
    expect(Array.from(linalg.matrixPower(a, 0).data())).toEqual([1, 0, 0, 1]);
    expect(Array.from(linalg.matrixPower(a, 3).data())).toEqual([1, 3, 0, 1]);
    expect(Array.from(linalg.matrixPower(a, -2).data())).toEqual([1, -2, 0, 1]);
  });

  it('second derivative of det for 2 × 2: d²(ad - bc)/da dd = 1', () => {
    const a = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const [g] = core.gradients(linalg.det(a), [a], { createGraph: true });
    // d det/dA = [[d, -c], [-b, a]]; the derivative of its (0, 0) entry d with respect to A is [[0, 0], [0, 1]].
    expect((g as Tensor).detach()).toBeAllClose(
      f64([
        [4, -3],
        [-2, 1],
      ]),
      { atol: 1e-14 },
    );
    const [h] = core.gradients((g as Tensor).slice(0, 0, 1).slice(1, 0, 1).sum(), [a]);
    expect(h).toBeAllClose(
      f64([
        [0, 0],
        [0, 1],
      ]),
      { atol: 1e-14 },
    );
  });

  it('qr of [[3, 1], [4, 2]]: one reflection, β = -5, so R = [[-5, -2.2], [0, 0.4]] (det 2 = -1 · -5 · 0.4)', () => {
    const { Q, R } = linalg.qr(
      f64([
        [3, 1],
        [4, 2],
      ]),
    );
    expect(Q).toBeAllClose(
      f64([
        [-0.6, -0.8],
        [-0.8, 0.6],
      ]),
      { atol: 1e-15 },
    );
    expect(R).toBeAllClose(
      f64([
        [-5, -2.2],
        [0, 0.4],
      ]),
      { atol: 1e-15 },
    );
    const wide = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    expect(() => linalg.qr(wide).R.sum().backward()).toThrow(
      /^linalg\.qr: the gradient is implemented for matrices with m ≥ n/,
    );
  });

  it('eigh of [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, ∓1)/√2; a repeated eigenvalue has no eigenvector gradient', () => {
    const { eigenvalues, eigenvectors } = linalg.eigh(
      f64([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(eigenvalues).toBeAllClose(tensor([1, 3], { dtype: 'float64' }), { atol: 1e-15 });
    const r = Math.SQRT1_2;
    expect(eigenvectors.abs()).toBeAllClose(
      f64([
        [r, r],
        [r, r],
      ]),
      { atol: 1e-15 },
    );
    // V diag(L) Vᵀ gives A back.
    expect(eigenvectors.matmul(core.diagEmbed(eigenvalues)).matmul(eigenvectors.T)).toBeAllClose(
      f64([
        [2, 1],
        [1, 2],
      ]),
      {
        atol: 1e-14,
      },
    );
    const twice = tensor(
      [
        [1, 0],
        [0, 1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    linalg.eigh(twice).eigenvectors.sum().backward();
    expect(Array.from((twice.grad as Tensor).data()).some((v) => !Number.isFinite(v))).toBe(true);
  });

  it('svd of [[3, 0], [0, -4]]: S = [4, 3], and U diag(S) Vh gives A back', () => {
    const a = f64([
      [3, 0],
      [0, -4],
    ]);
    const { U, S, Vh } = linalg.svd(a);
    expect(Array.from(S.data())).toEqual([4, 3]);
    expect(U.matmul(core.diagEmbed(S)).matmul(Vh)).toBeAllClose(a, { atol: 1e-15 });
    // The nuclear norm is 4 + 3, the 2-norm 4, the -2-norm 3.
    expect([
      linalg.matrixNorm(a, 'nuc').item(),
      linalg.matrixNorm(a, 2).item(),
      linalg.matrixNorm(a, -2).item(),
    ]).toEqual([7, 4, 3]);
  });

  it('argument errors name the function and what it accepts', () => {
    expect(() => linalg.det(f64([[1, 2, 3]]))).toThrow(
      new ShapeError('linalg.det', 'A must be a square matrix or a batch of them [..., n, n], got shape [1,3]'),
    );
    expect(() => linalg.inv('x' as never)).toThrow(/^linalg\.inv: A must be a Tensor or a number/);
    expect(() =>
      linalg.solve(
        f64([
          [1, 0],
          [0, 1],
        ]),
        tensor([1, 2, 3], { dtype: 'float64' }),
      ),
    ).toThrow(/^linalg\.solve: B must be/);
    expect(() => linalg.solveTriangular(f64([[1]]), f64([[1]]), {} as never)).toThrow(
      /^linalg\.solveTriangular: the option upper \(true or false\) is required/,
    );
    expect(() => linalg.matrixNorm(f64([[1]]), 3)).toThrow(
      /^linalg\.matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2/,
    );
    expect(() => linalg.matrixPower(f64([[1]]), 0.5)).toThrow(/^linalg\.matrixPower: k must be an integer/);
    expect(() => linalg.vectorNorm(f64([[1]]), Number.NaN)).toThrow(/^linalg\.vectorNorm: /);
  });
});
