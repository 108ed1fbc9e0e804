/**
 * Argument arbitraries of the contractions and the linalg namespace
 * (gradient-cases.ts checks them): random small sizes, and for the matrix
 * functions well-conditioned matrices (n·I plus entries in [-1, 1], so
 * diagonally dominant: far from singular, and finite differences stay
 * accurate).
 */
import fc from 'fast-check';
import { arange, diagEmbed, eye, type Tensor } from '../../src/index';
import { arbShape, arbTensor } from '../../src/testing/properties';

const size = fc.integer({ min: 1, max: 3 });
const unit = { min: -1, max: 1 };

/** 'bij,bjk->bik': a batched product. */
export const batchedProductArgs = fc
  .tuple(size, size, size, size)
  .chain(([b, i, j, k]) => fc.tuple(arbTensor({ shape: [b, i, j] }), arbTensor({ shape: [b, j, k] })));

/** 'iij,j->i': a diagonal of the first operand, contracted with the second. */
export const diagonalProductArgs = fc
  .tuple(size, size)
  .chain(([i, j]) => fc.tuple(arbTensor({ shape: [i, i, j] }), arbTensor({ shape: [j] })));

/** '...ij,...jk': batches that broadcast (one of them of size 1). */
export const broadcastProductArgs = fc
  .tuple(size, size, size, size)
  .chain(([b, i, j, k]) => fc.tuple(arbTensor({ shape: [b, 1, i, j] }), arbTensor({ shape: [2, j, k] })));

/** 'ij,jk,kl->il': three operands. */
export const chainArgs = fc
  .tuple(size, size, size, size)
  .chain(([i, j, k, l]) =>
    fc.tuple(arbTensor({ shape: [i, j] }), arbTensor({ shape: [j, k] }), arbTensor({ shape: [k, l] })),
  );

/** Two tensors of the same random shape with a trailing axis of 3 (cross). */
export const crossArgs = arbShape({ maxRank: 2, maxDim: 3 }).chain((s) =>
  fc.tuple(arbTensor({ shape: [...s, 3] }), arbTensor({ shape: [...s, 3] })),
);

/** Two point sets [m, d] and [n, d] (cdist), kept apart so no distance is 0. */
export const pointSetArgs = fc
  .tuple(size, size, size)
  .chain(([m, n, d]) =>
    fc.tuple(arbTensor({ shape: [m, d], min: -1, max: 0 }), arbTensor({ shape: [n, d], min: 0.5, max: 1.5 })),
  );

/** Two tensors of random shapes of rank ≤ 2 (kron). */
export const kronArgs = fc.tuple(
  arbTensor({ shape: arbShape({ maxRank: 2, maxDim: 3 }) }),
  arbTensor({ shape: arbShape({ maxRank: 2, maxDim: 3 }) }),
);

/** [2, 3, 4] and [3, 4, k] (tensordot over two axes). */
export const tensordotArgs = size.chain((k) =>
  fc.tuple(arbTensor({ shape: [2, 3, 4] }), arbTensor({ shape: [3, 4, k] })),
);

/** A batch (0-1 leading axes) of n × n matrices with entries in [-1, 1]: add n·I for a well-conditioned one. */
export const squareArgs = fc
  .tuple(arbShape({ maxRank: 1, maxDim: 2 }), size)
  .chain(([batch, n]) => fc.tuple(arbTensor({ shape: [...batch, n, n], ...unit })));

/** A square batch and a right-hand side [n, k] (solve). */
export const solveArgs = fc
  .tuple(arbShape({ maxRank: 1, maxDim: 2 }), size, size)
  .chain(([batch, n, k]) => fc.tuple(arbTensor({ shape: [...batch, n, n], ...unit }), arbTensor({ shape: [n, k] })));

/** Whether the numbers differ pairwise by at least `gap`. */
const apart = (xs: readonly number[], gap: number) =>
  xs.every((a, i) => xs.every((b, j) => i === j || Math.abs(a - b) >= gap));

/**
 * A matrix [m, n] away from the norms' kinks (norms): no entry near 0, and
 * no two column sums or row sums of |a| within 0.01 of each other (the 1-
 * and ∞-norms pick one).
 */
export const matrixArgs = fc
  .tuple(size, size)
  .chain(([m, n]) => fc.tuple(arbTensor({ shape: [m, n], avoid: [0], margin: 0.05 })))
  .filter(([x]) => {
    const [m, n] = x.shape as [number, number];
    const v = Array.from(x.data(), Math.abs);
    const rows = Array.from({ length: m }, (_, i) => v.slice(i * n, i * n + n).reduce((s, a) => s + a, 0));
    const cols = Array.from({ length: n }, (_, j) => rows.reduce((s, _r, i) => s + (v[i * n + j] as number), 0));
    return apart(rows, 0.01) && apart(cols, 0.01);
  });

/** x + (n+1)·I for x [..., n, n] with entries in [-1, 1]: strictly diagonally dominant, so invertible. */
export function well(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return x.add(eye(n, n, { dtype: 'float64' }).mul(n + 1));
}

/** x xᵀ + (n+1)·I: symmetric positive-definite. */
export function spd(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return x.matmul(x.transpose(-2, -1)).add(eye(n, n, { dtype: 'float64' }).mul(n + 1));
}

/**
 * Entries of a matrix given to qr: in [-1, 1] and at least 1e-3 from 0. Householder QR leaves a column that is
 * already zero below the diagonal unreflected (LAPACK's convention, so PyTorch's signs), which flips the signs
 * of R's row and Q's column there: QR is discontinuous where an entry below the diagonal is exactly 0.
 */
const awayFromZero = { ...unit, avoid: [0], margin: 1e-3 };

/** A tall [m, n] matrix (m ≥ n) with the identity added to its top n rows: full rank, R's diagonal away from 0. */
export const tallArgs = fc
  .tuple(size, size)
  .chain(([n, extra]) => fc.tuple(arbTensor({ shape: [n + extra - 1, n], ...awayFromZero })))
  .map(([x]) => {
    const [m, n] = x.shape as [number, number];
    return [x.add(eye(m, n, { dtype: 'float64' }).mul(n + 1))] as [Tensor];
  });

/**
 * diag(1, 2, …, n) + (x + xᵀ)/20: symmetric, and (Weyl) each eigenvalue within ‖(x + xᵀ)/20‖ ≤ 0.1·n ≤ 0.3
 * of 1, …, n, so at least 0.4 apart.
 */
export function separated(x: Tensor): Tensor {
  const n = x.shape[x.ndim - 1] as number;
  return diagEmbed(arange(1, n + 1, 1, { dtype: 'float64' })).add(x.add(x.transpose(-2, -1)).mul(0.05));
}

/** A matrix [m, n], m and n from 1 to 3, entries in [-1, 1]. */
export const rectArgs = fc.tuple(size, size).chain(([m, n]) => fc.tuple(arbTensor({ shape: [m, n], ...unit })));

/**
 * diag(1, 2, …, k) (as an m × n matrix) + x/20: (Weyl) each singular value within ‖x/20‖ ≤ 0.15 of 1, …, k,
 * so distinct and non-zero.
 */
export function separatedRect(x: Tensor): Tensor {
  const [m, n] = x.shape as [number, number];
  const d = eye(m, n, { dtype: 'float64' }).mul(arange(1, n + 1, 1, { dtype: 'float64' }));
  return d.add(x.mul(0.05));
}

/** A wide [m, n] matrix (m < n) with the identity added to its left m columns: full rank, R's diagonal away from 0. */
export const wideArgs = fc
  .tuple(size, size)
  .chain(([m, extra]) => fc.tuple(arbTensor({ shape: [m, m + extra], ...awayFromZero })))
  .map(([x]) => {
    const [m, n] = x.shape as [number, number];
    return [x.add(eye(m, n, { dtype: 'float64' }).mul(m + 1))] as [Tensor];
  });
