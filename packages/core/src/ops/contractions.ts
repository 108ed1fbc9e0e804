/**
 * Tensor contractions and products beyond matmul — tensordot, bmm, kron,
 * cross and cdist — as PyTorch defines them, each composed of
 * differentiable ops (permute, reshape, matmul, mul, slice, norm), so their
 * gradients of any order follow.
 */
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { broadcastShapes, formatShape, normalizeAxis } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { operands } from './define';
import { mul, sub } from './binary';
import { matmul } from './linalg';
import { norm } from './reductions';
import { concat, expand, permute, reshape, slice, unsqueeze } from './shape';

const product = (xs: readonly number[]): number => xs.reduce((p, n) => p * n, 1);

function axisList(op: string, what: string, axes: unknown, rank: number): number[] {
  if (!Array.isArray(axes)) {
    throw new ArgumentError(op, `${what} must be a list of axes, got ${describeValue(axes)}`);
  }
  const out = axes.map((a) => normalizeAxis(op, a, rank));
  if (new Set(out).size !== out.length) {
    throw new ArgumentError(op, `${what} [${axes.join(', ')}] names an axis twice`);
  }
  return out;
}

/**
 * Sums the products of `a` and `b` over pairs of axes: with a number n, the
 * last n axes of a against the first n of b; with `[axesA, axesB]`, those
 * axes pairwise. The result has a's remaining axes, then b's. PyTorch's
 * `torch.tensordot`, computed as one matmul.
 *
 * @example
 * tensordot(a, b, 1);                 // a [2, 3], b [3, 4] → matmul, [2, 4]
 * tensordot(a, b, 0);                 // outer product, shape [...a, ...b]
 * tensordot(a, b, [[0, 2], [2, 0]]);  // a [2, 3, 4], b [4, 5, 2] → [3, 5]
 */
export function tensordot(
  a: Tensor,
  b: Tensor,
  axes: number | readonly [readonly number[], readonly number[]] = 2,
): Tensor {
  const [x, y] = operands('tensordot', a, b);
  let ax: number[];
  let bx: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new ArgumentError(
        'tensordot',
        `axes must be an integer from 0 to ${Math.min(x.ndim, y.ndim)} (the smaller rank of shapes ${formatShape(x._shape)} and ${formatShape(y._shape)}), got ${axes}`,
      );
    }
    ax = Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    bx = Array.from({ length: axes }, (_, i) => i);
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) {
      throw new ArgumentError(
        'tensordot',
        `axes must be a number or a pair of axis lists [axesA, axesB], got ${describeValue(axes)}`,
      );
    }
    ax = axisList('tensordot', 'axesA', axes[0], x.ndim);
    bx = axisList('tensordot', 'axesB', axes[1], y.ndim);
    if (ax.length !== bx.length) {
      throw new ArgumentError('tensordot', `axesA and axesB must pair up, got ${ax.length} and ${bx.length} axes`);
    }
  }
  ax.forEach((i, k) => {
    const j = bx[k] as number;
    if (x._shape[i] !== y._shape[j]) {
      throw new ShapeError(
        'tensordot',
        `contracted axes need equal sizes: axis ${i} of a ${formatShape(x._shape)} has ${x._shape[i]}, axis ${j} of b ${formatShape(y._shape)} has ${y._shape[j]}`,
      );
    }
  });
  const freeA = x._shape.map((_, i) => i).filter((i) => !ax.includes(i));
  const freeB = y._shape.map((_, i) => i).filter((i) => !bx.includes(i));
  const k = product(ax.map((i) => x._shape[i] as number));
  const sa = freeA.map((i) => x._shape[i] as number);
  const sb = freeB.map((i) => y._shape[i] as number);
  const am = reshape(permute(x, [...freeA, ...ax]), [product(sa), k]);
  const bm = reshape(permute(y, [...bx, ...freeB]), [k, product(sb)]);
  return reshape(matmul(am, bm), [...sa, ...sb]);
}

/**
 * The batched product of [b, n, m] and [b, m, p] tensors, [b, n, p]; unlike
 * {@link matmul}, both must be 3-D with the same batch (PyTorch's
 * `torch.bmm`, which does not broadcast).
 *
 * @example
 * bmm(randn([8, 2, 3]), randn([8, 3, 4])); // [8, 2, 4]
 */
export function bmm(a: Tensor, b: Tensor): Tensor {
  const [x, y] = operands('bmm', a, b);
  if (x.ndim !== 3 || y.ndim !== 3) {
    throw new ShapeError(
      'bmm',
      `expected two 3-D tensors [batch, n, m] and [batch, m, p], got shapes ${formatShape(x._shape)} and ${formatShape(y._shape)}`,
    );
  }
  if (x._shape[0] !== y._shape[0] || x._shape[2] !== y._shape[1]) {
    throw new ShapeError(
      'bmm',
      `shapes ${formatShape(x._shape)} and ${formatShape(y._shape)} do not multiply: the batches must be equal and a's last axis must equal b's middle one`,
    );
  }
  return matmul(x, y);
}

/**
 * The Kronecker product: for shapes padded to one rank with leading 1s,
 * out[i·sb + j] = a[i] · b[j] along every axis, of shape a·b elementwise.
 * PyTorch's `torch.kron`.
 *
 * @example
 * kron(eye(2), tensor([[1, 2], [3, 4]])); // the 4 × 4 block-diagonal matrix
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const [x, y] = operands('kron', a, b);
  const rank = Math.max(x.ndim, y.ndim);
  const pad = (s: readonly number[]) => [...Array<number>(rank - s.length).fill(1), ...s];
  const sa = pad(x._shape);
  const sb = pad(y._shape);
  // Interleave the axes: a's on the even positions, b's on the odd ones, then merge each pair.
  const xa = reshape(
    x,
    sa.flatMap((n) => [n, 1]),
  );
  const yb = reshape(
    y,
    sb.flatMap((n) => [1, n]),
  );
  return reshape(
    mul(xa, yb),
    sa.map((n, i) => n * (sb[i] as number)),
  );
}

/**
 * The cross product of 3-vectors along `axis` (default -1), the other axes
 * broadcast: PyTorch's `torch.linalg.cross`.
 *
 * NOTE: the default axis is -1, as `torch.linalg.cross`; the older
 * `torch.cross` without a dim picks the first axis of size 3 instead.
 *
 * @example
 * cross(tensor([1, 0, 0]), tensor([0, 1, 0])); // [0, 0, 1]
 */
export function cross(a: Tensor, b: Tensor, axis = -1): Tensor {
  const [x0, y0] = operands('cross', a, b);
  if (x0.ndim !== y0.ndim) {
    throw new ShapeError(
      'cross',
      `the operands must have the same rank, got shapes ${formatShape(x0._shape)} and ${formatShape(y0._shape)}`,
    );
  }
  const shape = broadcastShapes('cross', x0._shape, y0._shape);
  const ax = normalizeAxis('cross', axis, shape.length);
  if (x0._shape[ax] !== 3 || y0._shape[ax] !== 3) {
    throw new ShapeError(
      'cross',
      `axis ${axis} must have size 3 in both operands, got shapes ${formatShape(x0._shape)} and ${formatShape(y0._shape)}`,
    );
  }
  const x = expand(x0, shape);
  const y = expand(y0, shape);
  const at = (t: Tensor, i: number) => slice(t, ax, i, i + 1);
  const component = (i: number, j: number) => sub(mul(at(x, i), at(y, j)), mul(at(x, j), at(y, i)));
  return concat([component(1, 2), component(2, 0), component(0, 1)], ax);
}

/**
 * The p-norm distances between the rows of x1 [..., m, d] and of x2
 * [..., n, d], [..., m, n] (batch axes broadcast): p ≥ 0 or Infinity, 2 by
 * default. PyTorch's `torch.cdist`.
 *
 * NOTE: the gradient of a zero distance is 0, as PyTorch's.
 *
 * @example
 * cdist(tensor([[0, 0]]), tensor([[3, 4], [1, 0]])); // [[5, 1]]
 */
export function cdist(x1: Tensor, x2: Tensor, p = 2): Tensor {
  const [a, b] = operands('cdist', x1, x2);
  if (typeof p !== 'number' || !(p >= 0)) {
    throw new ArgumentError('cdist', `p must be a number ≥ 0 (Infinity included), got ${describeValue(p)}`);
  }
  if (a.ndim < 2 || b.ndim < 2 || a._shape[a.ndim - 1] !== b._shape[b.ndim - 1]) {
    throw new ShapeError(
      'cdist',
      `expected x1 [..., m, d] and x2 [..., n, d] with the same d, got shapes ${formatShape(a._shape)} and ${formatShape(b._shape)}`,
    );
  }
  broadcastShapes('cdist', a._shape.slice(0, -2), b._shape.slice(0, -2));
  const diff = sub(unsqueeze(a, -2), unsqueeze(b, -3));
  return norm(diff, p, -1);
}
