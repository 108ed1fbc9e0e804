/**
 * Triangles and diagonals of matrices (batched over leading axes, as in
 * PyTorch): tril and triu, diagonal (a view) and diagEmbed, and diag and
 * trace built from them. diagonal and diagEmbed are each other's backward,
 * as tril and triu are their own, so every gradient here is again an op of
 * this file.
 */
import { ArgumentError, ShapeError, safeString } from '../errors';
import { optionsObject, type OptionKeys } from '../internal/options';
import { zeroOutsideBand } from '../kernels/triangle';
import { copyStrided } from '../kernels/strided';
import { checkShape, checkSize, formatShape, normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, type TensorLike } from './define';
import { sum } from './reduce';
import { copyOf, shapeOp, type ShapeDef } from './shape';

/** An integer argument (offsets, diagonals), or an ArgumentError naming `op` and `what`. */
function integerArgument(op: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ArgumentError(op, `${what} must be an integer, got ${safeString(v)}`);
  }
  return v;
}

// ---------------------------------------------------------------- tril, triu

const triangleDef = (name: 'tril' | 'triu'): ShapeDef<number> =>
  shapeOp({
    name,
    forward(x, k) {
      const out = copyOf(x);
      const rows = x._shape[x.ndim - 2] as number;
      const cols = x._shape[x.ndim - 1] as number;
      const count = rows * cols === 0 ? 0 : x.size / (rows * cols);
      zeroOutsideBand(out.storage.data, count, rows, cols, k, name === 'triu');
      return out;
    },
    // Masking is linear and its own adjoint: the kept elements pass g on, the others get 0.
    backward: (g, k) => apply(name === 'tril' ? trilDef : triuDef, [g], k),
  });

const trilDef: ShapeDef<number> = triangleDef('tril');
const triuDef: ShapeDef<number> = triangleDef('triu');

function triangle(name: 'tril' | 'triu', x: TensorLike, diagonal: number): Tensor {
  const t = asTensor(name, x);
  const k = integerArgument(name, 'diagonal', diagonal);
  if (t.ndim < 2) {
    throw new ShapeError(
      name,
      `expected a matrix or a batch of matrices (rank ≥ 2), got shape ${formatShape(t._shape)}`,
    );
  }
  return apply(name === 'tril' ? trilDef : triuDef, [t], k);
}

/**
 * The lower triangle of each matrix (the last two axes): element (i, j) is
 * kept where j - i ≤ `diagonal` and zeroed elsewhere. `diagonal` 0 is the
 * main diagonal, 1 the one above it, -1 the one below; any integer is
 * accepted (a diagonal past the matrix keeps everything or nothing).
 *
 * NOTE: zeroed elements are 0 even where the input is NaN or ±Infinity (not
 * NaN·0), as in PyTorch.
 *
 * @example
 * tril(ones([3, 3]));     // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 * tril(ones([3, 3]), -1); // strictly lower: [[0, 0, 0], [1, 0, 0], [1, 1, 0]]
 */
export function tril(x: TensorLike, diagonal = 0): Tensor {
  return triangle('tril', x, diagonal);
}

/**
 * The upper triangle of each matrix (the last two axes): element (i, j) is
 * kept where j - i ≥ `diagonal` and zeroed elsewhere; see {@link tril}.
 *
 * @example
 * triu(ones([2, 3]), 1); // [[0, 1, 1], [0, 0, 1]]
 */
export function triu(x: TensorLike, diagonal = 0): Tensor {
  return triangle('triu', x, diagonal);
}

// ---------------------------------------------------------------- diagonal, diagEmbed

/** Which diagonal: its offset from the main one, and the two axes it runs across. */
export interface DiagonalParams {
  offset: number;
  axis1: number;
  axis2: number;
}

/**
 * Where the diagonal of a tensor of `shape`/`strides` lies: the other axes
 * in order, then one axis along the diagonal whose stride steps both axes at
 * once. Offset k ≥ 0 starts at column k of axis2, k < 0 at row -k of axis1.
 */
function diagonalLayout(
  shape: Shape,
  strides: Shape,
  offset: number,
  { offset: k, axis1, axis2 }: DiagonalParams,
): { shape: number[]; strides: number[]; offset: number } {
  const n1 = shape[axis1] as number;
  const n2 = shape[axis2] as number;
  const s1 = strides[axis1] as number;
  const s2 = strides[axis2] as number;
  const length = Math.max(0, k >= 0 ? Math.min(n1, n2 - k) : Math.min(n1 + k, n2));
  const keep = (_: number, i: number) => i !== axis1 && i !== axis2;
  return {
    shape: [...shape.filter(keep), length],
    strides: [...strides.filter(keep), s1 + s2],
    // An empty diagonal reads nothing: its start may stay where the tensor's is.
    offset: length === 0 ? offset : offset + (k >= 0 ? k * s2 : -k * s1),
  };
}

const diagonalDef: ShapeDef<DiagonalParams> = shapeOp({
  name: 'diagonal',
  forward(x, p) {
    const d = diagonalLayout(x._shape, x._strides, x.offset, p);
    return new Tensor(x.storage, d.shape, d.strides, d.offset, x.dtype);
  },
  // Each diagonal element was read once: its gradient goes back to its place, zeros elsewhere.
  backward: (g, p, inputShape) => apply(diagEmbedDef, [g], { ...p, shape: inputShape }),
});

const diagEmbedDef: ShapeDef<DiagonalParams & { shape: Shape }> = shapeOp({
  name: 'diagEmbed',
  forward(x, p) {
    const out = emptyLike(p.shape, x.dtype);
    const d = diagonalLayout(out._shape, out._strides, 0, p);
    copyStrided(x.storage.data, x.offset, x._strides, out.storage.data, d.offset, d.strides, d.shape);
    return out;
  },
  // The output is zero off the diagonal: only the diagonal's gradient reaches x.
  backward: (g, p) => apply(diagonalDef, [g], { offset: p.offset, axis1: p.axis1, axis2: p.axis2 }),
});

/** Two distinct axes of a tensor of `rank`, or an error naming `op`. */
function axisPair(op: string, axis1: unknown, axis2: unknown, rank: number): [number, number] {
  const a1 = normalizeAxis(op, axis1, rank);
  const a2 = normalizeAxis(op, axis2, rank);
  if (a1 === a2) {
    throw new ArgumentError(
      op,
      `axis1 ${safeString(axis1)} and axis2 ${safeString(axis2)} are the same axis ${a1}; the diagonal runs across two different axes`,
    );
  }
  return [a1, a2];
}

/** Options of {@link diagonal} and {@link diagEmbed}. */
export interface DiagonalOptions {
  /** 0 for the main diagonal, k > 0 for the k-th above it, k < 0 below (default 0). */
  offset?: number;
  /** The axis the diagonal's row index runs along. */
  axis1?: number;
  /** The axis the diagonal's column index runs along. */
  axis2?: number;
}

const diagonalKeys = { offset: true, axis1: true, axis2: true } as const satisfies OptionKeys<DiagonalOptions>;

function diagonalOf(op: string, t: Tensor, offset: unknown, axis1: unknown, axis2: unknown): Tensor {
  const k = integerArgument(op, 'offset', offset);
  if (t.ndim < 2) {
    throw new ShapeError(op, `the diagonal needs a tensor of rank ≥ 2, got shape ${formatShape(t._shape)}`);
  }
  const [a1, a2] = axisPair(op, axis1, axis2, t.ndim);
  return apply(diagonalDef, [t], { offset: k, axis1: a1, axis2: a2 });
}

/**
 * The diagonal of the matrices spanned by `axis1` (rows) and `axis2`
 * (columns), default 0 and 1, as a view: those two axes are removed and the
 * diagonal becomes the last axis. An offset past the matrix gives an empty
 * diagonal. PyTorch's `diagonal(input, offset, dim1, dim2)`.
 *
 * @example
 * diagonal(tensor([[1, 2], [3, 4]]));                // [1, 4]
 * diagonal(tensor([[1, 2], [3, 4]]), { offset: 1 }); // [2]
 * diagonal(batch, { axis1: -2, axis2: -1 });          // [..., n, n] → [..., n]
 */
export function diagonal(x: TensorLike, options?: DiagonalOptions): Tensor {
  const t = asTensor('diagonal', x);
  const { offset = 0, axis1 = 0, axis2 = 1 } = optionsObject('diagonal', options, diagonalKeys);
  return diagonalOf('diagonal', t, offset, axis1, axis2);
}

function embed(op: string, t: Tensor, offset: unknown, axis1: unknown, axis2: unknown): Tensor {
  const k = integerArgument(op, 'offset', offset);
  if (t.ndim < 1)
    throw new ShapeError(op, 'expected a tensor of rank ≥ 1 (its last axis becomes the diagonal), got a 0-d tensor');
  const rank = t.ndim + 1;
  const [a1, a2] = axisPair(op, axis1, axis2, rank);
  const n = (t._shape[t.ndim - 1] as number) + Math.abs(k);
  const batch = t._shape.slice(0, -1);
  const shape: number[] = [];
  for (let i = 0, b = 0; i < rank; i++) shape.push(i === a1 || i === a2 ? n : (batch[b++] as number));
  checkShape(op, shape);
  checkSize(op, shape);
  return apply(diagEmbedDef, [t], { offset: k, axis1: a1, axis2: a2, shape });
}

/**
 * Matrices with the last axis of `x` on their diagonal and zeros elsewhere:
 * [..., n] → [..., m, m] with m = n + |offset|, the two new axes at `axis1`
 * and `axis2` of the output (default -2 and -1). PyTorch's `diag_embed`;
 * {@link diagonal} with the same options reads `x` back.
 *
 * @example
 * diagEmbed(tensor([1, 2]));                // [[1, 0], [0, 2]]
 * diagEmbed(tensor([1, 2]), { offset: 1 }); // [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
 */
export function diagEmbed(x: TensorLike, options?: DiagonalOptions): Tensor {
  const t = asTensor('diagEmbed', x);
  const { offset = 0, axis1 = -2, axis2 = -1 } = optionsObject('diagEmbed', options, diagonalKeys);
  return embed('diagEmbed', t, offset, axis1, axis2);
}

/**
 * A vector's square matrix or a matrix's diagonal, as PyTorch's `diag`: for
 * a vector of n, the (n + |k|)² matrix with it on diagonal k; for a matrix,
 * its k-th diagonal as a view (empty when k is past the matrix).
 *
 * NOTE: PyTorch 1.13 raises "integer multiplication overflow" for a matrix
 * and a k past it; later versions return an empty vector, as this does.
 *
 * @example
 * diag(tensor([1, 2]));                 // [[1, 0], [0, 2]]
 * diag(tensor([[1, 2], [3, 4]]), -1);   // [3]
 */
export function diag(x: TensorLike, diagonal = 0): Tensor {
  const t = asTensor('diag', x);
  if (t.ndim === 1) return embed('diag', t, diagonal, 0, 1);
  if (t.ndim === 2) return diagonalOf('diag', t, diagonal, 0, 1);
  integerArgument('diag', 'diagonal', diagonal);
  throw new ShapeError(
    'diag',
    `expected a vector or a matrix, got shape ${formatShape(t._shape)} (use diagonal or diagEmbed for batches)`,
  );
}

/**
 * The sum of a matrix's main diagonal (of its min(m, n) diagonal elements;
 * 0 for an empty matrix), as a 0-d tensor.
 *
 * NOTE: as {@link sum}, the trace of an integer or bool matrix is int32,
 * exact and wrapping modulo 2^32 (PyTorch's is int64).
 *
 * @example
 * trace(tensor([[1, 2], [3, 4]])); // 5
 */
export function trace(x: TensorLike): Tensor {
  const t = asTensor('trace', x);
  if (t.ndim !== 2) throw new ShapeError('trace', `expected a matrix, got shape ${formatShape(t._shape)}`);
  const d = apply(diagonalDef, [t], { offset: 0, axis1: 0, axis2: 1 });
  return sum(d);
}

/** The rows of the shape toolbox's table defined here. */
export const triangularOps = { tril: trilDef, triu: triuDef, diagonal: diagonalDef, diagEmbed: diagEmbedDef };
