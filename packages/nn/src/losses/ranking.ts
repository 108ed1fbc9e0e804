/**
 * Margin losses on relative order: PyTorch's MarginRankingLoss (which of two
 * scores should be higher) and TripletMarginLoss (an anchor nearer its
 * positive than its negative).
 */
import { ShapeError, clamp, minimum, type Tensor } from '@chainrule/core';
import { booleanOption } from '@chainrule/core/internal';
import { checkSameShapes, floatTensor, numberOption, reduce, reductionOf, type ReductionOptions } from './common';
import { pairTarget } from './similarity';

/** Options of `marginRankingLoss`. */
export interface MarginRankingOptions extends ReductionOptions {
  /** How far the right score must lead: a finite number (default 0). */
  margin?: number;
}

/** Options of `tripletMarginLoss`. */
export interface TripletMarginOptions extends ReductionOptions {
  /** How much nearer the positive must be than the negative: a finite number (default 1). */
  margin?: number;
  /** The order of the distance's norm: a number > 0, Infinity included (default 2). */
  p?: number;
  /** Added to each difference before its norm, as PyTorch's pairwise_distance: a finite number (default 1e-6). */
  eps?: number;
  /** Use min(d(a, n), d(p, n)) as the negative distance (the "distance swap" of Balntas et al.; default false). */
  swap?: boolean;
}

/**
 * Margin ranking loss (PyTorch's MarginRankingLoss): max(0, -y·(x1 - x2) +
 * margin) per element, for targets y = 1 (x1 should rank higher) or -1 (x2
 * should). `target` is a float or int32 tensor, an array of numbers, or a
 * number for 0-d scores; it enters the formula as a number, as in PyTorch
 * (a float target gets a gradient too).
 * NOTE: at the kink (-y·(x1 - x2) + margin = 0) the gradient is that of the
 * linear side, as PyTorch's clamp_min. The three arguments must have one
 * shape (PyTorch would broadcast them).
 *
 * @example
 * marginRankingLoss(tensor([3, 1]), tensor([1, 2]), [1, 1], { margin: 1 }); // mean(0, 2) = 1
 */
export function marginRankingLoss(
  x1: Tensor,
  x2: Tensor,
  target: Tensor | readonly number[] | number,
  options: MarginRankingOptions = {},
): Tensor {
  const op = 'marginRankingLoss';
  const reduction = reductionOf(op, options, ['reduction', 'margin']);
  const margin = numberOption(op, 'margin', options.margin, 0, Number.isFinite, 'a finite number');
  const a = floatTensor(op, 'x1', x1);
  const b = floatTensor(op, 'x2', x2);
  checkSameShapes(op, [a, b], ['x1', 'x2']);
  const y = pairTarget(op, target, a.shape, a.dtype);
  return reduce(clamp(y.neg().mul(a.sub(b)).add(margin), 0), reduction);
}

/**
 * Triplet margin loss (PyTorch's TripletMarginLoss): max(0, margin + d(a, p)
 * - d(a, n)) for each anchor a, positive p and negative n (rows of shape
 * [N, D], or one triplet of shape [D]; any further leading axes too), where
 * d(u, v) = ‖u - v + eps‖_p over the last axis, as PyTorch's
 * pairwise_distance. With `swap`, d(a, n) is replaced by min(d(a, n), d(p, n)).
 * NOTE: at the kink the gradient is that of the linear side, as PyTorch's
 * clamp_min; ties of the swap's min share the gradient, as PyTorch's minimum.
 *
 * @example
 * tripletMarginLoss(anchors, positives, negatives, { margin: 0.5 });
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginOptions = {},
): Tensor {
  const op = 'tripletMarginLoss';
  const reduction = reductionOf(op, options, ['reduction', 'margin', 'p', 'eps', 'swap']);
  const margin = numberOption(op, 'margin', options.margin, 1, Number.isFinite, 'a finite number');
  // NOTE: PyTorch also computes p ≤ 0 (the 0-"norm" counts non-zeros), which is no distance; refused here.
  const p = numberOption(op, 'p', options.p, 2, (v) => v > 0, 'a number > 0 (Infinity for the largest difference)');
  const eps = numberOption(op, 'eps', options.eps, 1e-6, Number.isFinite, 'a finite number');
  const swap = booleanOption(op, 'swap', options.swap, false);
  const a = floatTensor(op, 'the anchor', anchor);
  const pos = floatTensor(op, 'the positive', positive);
  const neg = floatTensor(op, 'the negative', negative);
  checkSameShapes(op, [a, pos, neg], ['the anchor', 'the positive', 'the negative']);
  if (a.ndim === 0) {
    throw new ShapeError(op, 'the anchor, positive and negative must be vectors, shape [N, D] or [D], got scalars');
  }
  // NOTE: vectors of length 0 are at distance 0, as PyTorch (whose ∞-norm of nothing is 0 here too).
  const empty = a.shape[a.ndim - 1] === 0;
  const distance = (u: Tensor, v: Tensor): Tensor => (empty ? u.sum(-1) : u.sub(v).add(eps).norm(p, -1));
  const toNegative = swap ? minimum(distance(a, neg), distance(pos, neg)) : distance(a, neg);
  return reduce(clamp(distance(a, pos).add(margin).sub(toNegative), 0), reduction);
}
