/**
 * The contractions (tensordot, bmm, kron, cross, cdist) and the linalg
 * namespace against PyTorch (fixtures/linalg.json, written by linalg.py):
 * values and gradients, batched, singular and ill-conditioned cases, and
 * the calls PyTorch refuses. Below, the conventions checked by hand.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ArgumentError, LinAlgError, linalg, ShapeError, tensor, type Tensor } from '../../src/index';
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
  // S, U ∘ U and Vh ∘ Vh, which do not depend on the singular vectors' signs (the fixture's too). With full
  // matrices (the default), U ∘ U and Vh ∘ Vh of the first k columns / rows, and the projectors U₂U₂ᵀ and
  // Vh₂ᵀVh₂ onto the completing ones, which do not depend on the basis LAPACK picked for them.
  svd: (xs, [o]) => {
    const options = o as { fullMatrices: boolean } | undefined;
    const { U, S, Vh } = linalg.svd(xs[0] as Tensor, options);
    if (options?.fullMatrices === false) return [S, U.mul(U), Vh.mul(Vh)];
    const k = S.shape[S.ndim - 1] as number;
    const [u1, u2] = [U.slice(-1, 0, k), U.slice(-1, k)];
    const [vh1, vh2] = [Vh.slice(-2, 0, k), Vh.slice(-2, k)];
    return [S, u1.mul(u1), vh1.mul(vh1), u2.matmul(u2.transpose(-2, -1)), vh2.transpose(-2, -1).matmul(vh2)];
  },
  pinv: (xs) => linalg.pinv(xs[0] as Tensor),
  qr: (xs, [o]) => {
    const { Q, R } = linalg.qr(xs[0] as Tensor, o as { mode: 'reduced' | 'complete' | 'r' } | undefined);
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

  it('singular matrices: det 0, slogdet (0, -Infinity), inv, solve and negative powers refuse by name with a LinAlgError', () => {
    const s = f64([
      [1, 2],
      [2, 4],
    ]);
    expect(linalg.det(s).item()).toBe(0);
    const { sign, logabsdet } = linalg.slogdet(s);
    expect([sign.item(), logabsdet.item()]).toEqual([0, -Infinity]);
    // PyTorch raises torch.linalg.LinAlgError for all three (hand-checked with torch 1.13).
    expect(() => linalg.inv(s)).toThrow(LinAlgError);
    expect(() => linalg.inv(s)).toThrow(
      /^linalg\.inv: the matrix is singular: pivot 1 of its LU factorization is exactly zero, so it has no inverse \(linalg\.pinv gives a pseudo-inverse\)$/,
    );
    expect(() => linalg.matrixPower(s, -2)).toThrow(LinAlgError);
    expect(() => linalg.solve(s, tensor([1, 1], { dtype: 'float64' }))).toThrow(LinAlgError);
    // A LinAlgError is a ChainruleError, not an ArgumentError: a matrix can be well-formed and still singular.
    expect(new LinAlgError('linalg.inv', 'x')).toBeInstanceOf(core.ChainruleError);
    expect(new LinAlgError('linalg.inv', 'x')).not.toBeInstanceOf(ArgumentError);
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
    expect(() => linalg.cholesky(f64([[-1]]))).toThrow(LinAlgError);
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
  });

  it('qr of a 1 × 3 row [1, 2, 3]: Q = [1] (no reflection), R = A, so d ΣR / dA = 1 (wide: R₂ = Qᵀ Y)', () => {
    const wide = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    const { Q, R } = linalg.qr(wide);
    expect([Q.toArray(), R.toArray()]).toEqual([[[1]], [[1, 2, 3]]]);
    R.sum().backward();
    expect(wide.grad?.toArray()).toEqual([[1, 1, 1]]);
  });

  it("qr's modes: 'complete' of a tall matrix and 'r' (an empty Q) as PyTorch, and their gradients refused as PyTorch's", () => {
    const tall = tensor([[3], [4]], { dtype: 'float64', requiresGrad: true });
    const complete = linalg.qr(tall, { mode: 'complete' });
    // One reflection maps (3, 4) to (-5, 0): Q = I - 2vvᵀ/vᵀv with v = (3 + 5, 4), both columns.
    expect(complete.Q).toBeAllClose(
      f64([
        [-0.6, -0.8],
        [-0.8, 0.6],
      ]),
      { atol: 1e-15 },
    );
    expect(complete.R).toBeAllClose(f64([[-5], [0]]), { atol: 1e-15 });
    expect(() => complete.R.sum().backward()).toThrow(ArgumentError);
    expect(() => linalg.qr(tall, { mode: 'complete' }).Q.sum().backward()).toThrow(
      /^linalg\.qr: mode 'complete' is not differentiable for a tall matrix \(2 × 1: Q's last 1 column is not determined by A\); use mode 'reduced'$/,
    );
    const r = linalg.qr(tall, { mode: 'r' });
    expect([r.Q.shape, r.R.shape]).toEqual([[0], [1, 1]]);
    expect(() => r.R.sum().backward()).toThrow(
      /^linalg\.qr: the gradient depends on Q, which mode 'r' does not return/,
    );
    expect(() => linalg.qr(tall, { mode: 'full' as never })).toThrow(
      /^linalg\.qr: option 'mode' must be 'reduced', 'complete' or 'r', got "full"$/,
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

  it("svd's full matrices by default, as PyTorch: U and Vh square and orthogonal, and U[:, :k] diag(S) Vh[:k] gives A back", () => {
    const a = f64([[3], [4]]);
    const { U, S, Vh } = linalg.svd(a);
    expect([U.shape, S.shape, Vh.shape]).toEqual([[2, 2], [1], [1, 1]]);
    // σ = |(3, 4)| = 5, u₁ = ±(0.6, 0.8), and u₂ ⟂ u₁ is ±(-0.8, 0.6).
    expect(S.item()).toBe(5);
    expect(U.abs()).toBeAllClose(
      f64([
        [0.6, 0.8],
        [0.8, 0.6],
      ]),
      { atol: 1e-15 },
    );
    expect(U.matmul(U.transpose(0, 1))).toBeAllClose(core.eye(2, undefined, { dtype: 'float64' }), { atol: 1e-15 });
    const reduced = linalg.svd(a, { fullMatrices: false });
    expect(reduced.U.shape).toEqual([2, 1]);
    expect(() => linalg.svd(a, { fullMatrices: 1 as never })).toThrow(
      /^linalg\.svd: option 'fullMatrices' must be true or false/,
    );
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

  it('the Tensor methods (det, slogdet, inverse, pinverse, matrixPower, cholesky, qr) give the functions’ values and gradients', () => {
    const a = f64([
      [4, 2],
      [2, 5],
    ]);
    const pairs: [string, (t: Tensor) => Tensor, (t: Tensor) => Tensor][] = [
      ['det', (t) => t.det(), (t) => linalg.det(t)],
      ['slogdet', (t) => t.slogdet().logabsdet, (t) => linalg.slogdet(t).logabsdet],
      ['inverse', (t) => t.inverse(), (t) => linalg.inv(t)],
      ['pinverse', (t) => t.pinverse(), (t) => linalg.pinv(t)],
      ['matrixPower', (t) => t.matrixPower(-2), (t) => linalg.matrixPower(t, -2)],
      ['cholesky', (t) => t.cholesky({ upper: true }), (t) => linalg.cholesky(t, { upper: true })],
      ['qr', (t) => t.qr({ mode: 'complete' }).R, (t) => linalg.qr(t, { mode: 'complete' }).R],
    ];
    for (const [name, method, fn] of pairs) {
      const x = a.clone().requireGrad();
      const y = a.clone().requireGrad();
      const [mx, fy] = [method(x), fn(y)];
      expect(Array.from(mx.data()), name).toEqual(Array.from(fy.data()));
      mx.sum().backward();
      fy.sum().backward();
      expect(Array.from((x.grad as Tensor).data()), `${name} gradient`).toEqual(Array.from((y.grad as Tensor).data()));
    }
    // det [[4, 2], [2, 5]] = 16, its inverse [[5, -2], [-2, 4]] / 16 (hand-derived).
    expect(a.det().item()).toBe(16);
    expect(a.inverse()).toBeAllClose(
      f64([
        [5 / 16, -2 / 16],
        [-2 / 16, 4 / 16],
      ]),
      { atol: 1e-16 },
    );
    expect(() =>
      f64([
        [1, 2],
        [2, 4],
      ]).inverse(),
    ).toThrow(LinAlgError);
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
