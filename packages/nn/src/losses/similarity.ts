/**
 * Cosine similarity (PyTorch's F.cosine_similarity) and the loss built on
 * it (CosineEmbeddingLoss), plus the ±1 targets the pair losses share.
 */
import { ArgumentError, DTypeError, IndexError, ShapeError, Tensor, clamp, tensor, where } from '@chainrule/core';
import { checkOptionKeys, describeValue, sameShape } from '@chainrule/core/internal';
import {
  checkSameShapes,
  clampMinStraightThrough,
  describeTensorArgument,
  floatTensor,
  numberOption,
  reduce,
  reductionOf,
  type ReductionOptions,
} from './common';

/** Options of `cosineSimilarity`. */
export interface CosineSimilarityOptions {
  /** The axis the vectors lie along (default 1, as PyTorch; negative counts from the end). */
  axis?: number;
  /** The smallest norm divided by: each norm is clamped to at least eps (default 1e-8), a number ≥ 0. */
  eps?: number;
}

/** Options of `cosineEmbeddingLoss`. */
export interface CosineEmbeddingOptions extends ReductionOptions {
  /** For dissimilar pairs (target -1), cosines above margin are penalised: a finite number (default 0; PyTorch suggests 0 to 0.5). */
  margin?: number;
}

/**
 * Cosine similarity of `x1` and `x2` along `axis` (default 1):
 * Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)), computed as PyTorch does, as the
 * sum of products of the vectors each divided by its clamped norm first, so
 * the result stays in [-1, 1]. x1 and x2 broadcast together (as PyTorch);
 * the result has their broadcast shape without `axis`.
 * NOTE: PyTorch 1.13 clamps Σ x² at eps² under no_grad, so the gradient of a
 * norm below eps is x/eps (0 for a zero vector, whose x1-gradient is then
 * x2/(eps·‖x2‖)); the same here. It also squares before summing, so vectors
 * longer than ~1e154 give 0 there; here their norms are exact and the cosine 1.
 *
 * @example
 * cosineSimilarity(tensor([[1, 0], [1, 1]]), tensor([[0, 1], [2, 2]])); // [0, 1]
 * cosineSimilarity(a, b, { axis: -1 });                               // along the last axis
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  const op = 'cosineSimilarity';
  checkOptionKeys(op, options, ['axis', 'eps']);
  const eps = numberOption(op, 'eps', options.eps, 1e-8, (v) => v >= 0 && v < Infinity, 'a finite number ≥ 0');
  const a = floatTensor(op, 'x1', x1);
  const b = floatTensor(op, 'x2', x2);
  const shape = broadcastShape(op, a.shape, b.shape);
  const axis = axisOption(op, options.axis, shape.length);
  const u = a.broadcastTo(shape);
  const v = b.broadcastTo(shape);
  return u
    .div(clampedNorm(u, axis, eps))
    .mul(v.div(clampedNorm(v, axis, eps)))
    .sum(axis);
}

/**
 * max(‖x‖, eps) along `axis` (kept), with the gradient of √max(Σ x², eps²)
 * where the clamp passes the gradient through: x/‖x‖ above eps, x/eps below.
 */
function clampedNorm(x: Tensor, axis: number, eps: number): Tensor {
  const n = x.norm(2, axis, true);
  // Below eps, Σ x² cannot overflow; above it, core's norm is exact where Σ x² would overflow.
  const small = clampMinStraightThrough(x.square().sum(axis, true), eps * eps).sqrt();
  return where(n.ge(eps), n, small);
}

/**
 * Cosine embedding loss (PyTorch's CosineEmbeddingLoss) of vector pairs
 * `x1`, `x2` (shape [N, D], with `target` of shape [N]; or [D] with a 0-d
 * target) against targets of 1 (similar) or -1 (dissimilar): 1 - cos for a
 * target 1, max(0, cos - margin) for -1, where cos = Σ x1·x2 /
 * √((Σ x1² + 1e-12)(Σ x2² + 1e-12)) as in PyTorch (not cosineSimilarity's
 * clamp). `target` is a tensor (int32 or float), an array of numbers, or a
 * number for one pair.
 * NOTE: PyTorch silently gives 0 for targets other than ±1 (0/1 labels would
 * train nothing on the 0s); they are refused here.
 *
 * @example
 * cosineEmbeddingLoss(tensor([[1, 0]]), tensor([[1, 1]]), [1]); // 1 - 1/√2
 */
export function cosineEmbeddingLoss(
  x1: Tensor,
  x2: Tensor,
  target: Tensor | readonly number[] | number,
  options: CosineEmbeddingOptions = {},
): Tensor {
  const op = 'cosineEmbeddingLoss';
  const reduction = reductionOf(op, options, ['reduction', 'margin']);
  const margin = numberOption(op, 'margin', options.margin, 0, Number.isFinite, 'a finite number');
  const a = floatTensor(op, 'x1', x1);
  const b = floatTensor(op, 'x2', x2);
  checkSameShapes(op, [a, b], ['x1', 'x2']);
  if (a.ndim !== 1 && a.ndim !== 2) {
    throw new ShapeError(
      op,
      `x1 and x2 must be pairs of vectors, shape [N, D] (or [D] for one pair), got [${a.shape.join(',')}]`,
    );
  }
  const axis = a.ndim - 1;
  const y = pairTarget(op, target, a.shape.slice(0, axis), a.dtype, (v, i) => {
    if (v !== 1 && v !== -1) {
      throw new ArgumentError(op, `the target must hold 1 (similar) or -1 (dissimilar), element ${i} is ${v}`);
    }
  });
  // PyTorch's EPSILON in cosine_embedding_loss, a float constant (1e-12 rounded to float32):
  // it keeps a zero vector's cosine 0 instead of 0/0.
  const tiny = Math.fround(1e-12);
  const dot = a.mul(b).sum(axis);
  const cos = dot.div(a.square().sum(axis).add(tiny).mul(b.square().sum(axis).add(tiny)).sqrt());
  // d(1 - cos) = -dcos; d max(0, cos - margin) = dcos where cos ≥ margin (the kink counts as inside, as PyTorch's clamp_min).
  const losses = where(y.eq(1), cos.neg().add(1), clamp(cos.sub(margin), 0));
  return reduce(losses, reduction);
}

/**
 * A pair loss's target: a float or int32 tensor, an array of numbers, or a
 * number (for a 0-d target), of `shape`; int32 and arrays become `dtype`.
 * `check` sees every value first: everything is checked before anything is made.
 */
export function pairTarget(
  op: string,
  target: unknown,
  shape: readonly number[],
  dtype: Tensor['dtype'],
  check: (value: number, i: number) => void = () => {},
): Tensor {
  let given: readonly number[];
  let values: ArrayLike<number>;
  if (target instanceof Tensor) {
    if (target.dtype !== 'int32' && target.dtype !== 'float32' && target.dtype !== 'float64') {
      throw new DTypeError(op, `the target must be a float32, float64 or int32 tensor, got ${target.dtype}`);
    }
    given = target.shape;
    values = target.data();
  } else if (typeof target === 'number' || Array.isArray(target)) {
    const list: unknown[] = typeof target === 'number' ? [target] : target;
    for (let i = 0; i < list.length; i++) {
      if (!(i in list) || typeof list[i] !== 'number') {
        throw new ArgumentError(
          op,
          `the target must hold numbers, element ${i} is ${i in list ? describeTensorArgument(list[i]) : 'a hole in the array'}`,
        );
      }
    }
    given = typeof target === 'number' ? [] : [list.length];
    values = list as number[];
  } else {
    throw new ArgumentError(
      op,
      `the target must be a tensor, an array of numbers or a number, got ${describeTensorArgument(target)}`,
    );
  }
  if (!sameShape(given, shape)) {
    throw new ShapeError(op, `the target must have shape [${shape.join(',')}], got [${given.join(',')}]`);
  }
  for (let i = 0; i < values.length; i++) check(values[i] as number, i);
  if (target instanceof Tensor) return target.dtype === 'int32' ? target.to(dtype) : target;
  return typeof target === 'number' ? tensor(target, { dtype }) : tensor(values as number[], { dtype });
}

/** The broadcast shape of two shapes (NumPy's rules), or a ShapeError naming `op`. */
function broadcastShape(op: string, s1: readonly number[], s2: readonly number[]): number[] {
  const rank = Math.max(s1.length, s2.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d1 = s1[s1.length - rank + i] ?? 1;
    const d2 = s2[s2.length - rank + i] ?? 1;
    if (d1 !== d2 && d1 !== 1 && d2 !== 1) {
      throw new ShapeError(
        op,
        `x1 of shape [${s1.join(',')}] and x2 of shape [${s2.join(',')}] do not broadcast together (axis ${i} of the result: ${d1} vs ${d2})`,
      );
    }
    out.push(d1 === 1 ? d2 : d1);
  }
  return out;
}

/** The axis option: 1 when absent; an integer in [-rank, rank) (a 0-d result of rank 0 takes 0 or -1, as PyTorch). */
function axisOption(op: string, value: unknown, rank: number): number {
  const axis = value === undefined ? 1 : value;
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ArgumentError(op, `option 'axis' must be an integer, got ${describeValue(axis)}`);
  }
  const r = Math.max(rank, 1);
  if (axis < -r || axis >= r) {
    const hint = value === undefined ? ' (the default axis is 1, as PyTorch; pass { axis: -1 } for the last axis)' : '';
    throw new IndexError(
      op,
      `axis ${axis} is out of range for inputs of rank ${rank} (expected ${-r} to ${r - 1})${hint}`,
    );
  }
  return axis < 0 ? axis + r : axis;
}
