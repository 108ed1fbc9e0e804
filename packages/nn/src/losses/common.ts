/** What every loss shares: argument checks and PyTorch's three reductions. */
import { ArgumentError, DTypeError, ShapeError, Tensor, where } from '@chainrule/core';
import { badOptionMessage, checkOptionKeys, describeValue, sameShape, valueOr } from '@chainrule/core/internal';

/** How per-element losses are combined: their mean (default), their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';

/** The `reduction` option every loss takes. */
export interface ReductionOptions {
  reduction?: Reduction;
}

/**
 * Checks a loss's options object (its keys against `accepted`, which always
 * includes 'reduction') and returns the reduction.
 */
export function reductionOf(
  op: string,
  options: ReductionOptions | undefined,
  accepted: readonly string[] = ['reduction'],
): Reduction {
  if (options !== undefined) checkOptionKeys(op, options, accepted);
  const r: unknown = valueOr(options?.reduction, 'mean');
  if (r !== 'mean' && r !== 'sum' && r !== 'none') {
    throw new ArgumentError(op, `reduction must be 'mean', 'sum' or 'none', got ${describeValue(r)}`);
  }
  return r;
}

/** Applies the reduction to per-element losses. */
export function reduce(losses: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  return reduction === 'sum' ? losses.sum() : losses.mean();
}

/** Throws unless `x` is a floating Tensor. */
export function floatTensor(op: string, what: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `${what} must be a Tensor, got ${describeTensorArgument(x)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new DTypeError(op, `${what} must be a float32 or float64 tensor, got ${x.dtype}`);
  }
  return x;
}

/**
 * Throws unless prediction and target have the same shape. NOTE: stricter
 * than PyTorch, which broadcasts with a warning: a [n, 1] prediction against
 * a [n] target would silently broadcast to [n, n].
 */
export function checkSameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.shape.length !== target.shape.length || input.shape.some((d, i) => d !== target.shape[i])) {
    throw new ShapeError(
      op,
      `the prediction has shape [${input.shape.join(',')}] and the target [${target.shape.join(',')}]; they must match (reshape one, e.g. target.reshape([-1, 1]))`,
    );
  }
}

/** Checks an optional elementwise weight that must broadcast to `shape`. */
export function checkWeight(op: string, what: string, weight: unknown, shape: readonly number[]): Tensor | undefined {
  if (weight === undefined) return undefined;
  const w = floatTensor(op, what, weight);
  const fits = w.ndim <= shape.length && w.shape.every((d, i) => d === 1 || d === shape[shape.length - w.ndim + i]);
  if (!fits) {
    throw new ShapeError(
      op,
      `${what} of shape [${w.shape.join(',')}] does not broadcast to the loss shape [${shape.join(',')}]`,
    );
  }
  return w;
}

/** Describes a value given where a tensor was expected. */
export function describeTensorArgument(x: unknown): string {
  return Array.isArray(x) ? `${describeValue(x)} (wrap it with tensor(...))` : describeValue(x);
}

// ---- Shared by the losses of issue 19 (nll, robust, divergence, similarity, ranking, likelihood).

/**
 * A number option: `fallback` when absent, else a number for which `ok`
 * holds; `accepts` says what would be accepted (`'a number > 0'`).
 */
export function numberOption(
  op: string,
  key: string,
  value: unknown,
  fallback: number,
  ok: (v: number) => boolean,
  accepts: string,
): number {
  const v = valueOr(value, fallback);
  if (typeof v !== 'number' || !ok(v)) throw new ArgumentError(op, badOptionMessage(key, accepts, v));
  return v;
}

/** Throws unless the tensors all have the shape of the first; `names` says what each one is. */
export function checkSameShapes(op: string, tensors: readonly Tensor[], names: readonly string[]): void {
  const first = tensors[0] as Tensor;
  if (tensors.every((t) => sameShape(t.shape, first.shape))) return;
  const shapes = tensors.map((t, i) => `${names[i]} [${t.shape.join(',')}]`).join(', ');
  throw new ShapeError(op, `${shapes}: they must have the same shape (PyTorch would broadcast them)`);
}

/**
 * `x` where x ≥ `min`, else `min`, with the gradient of the identity
 * everywhere. NOTE: PyTorch clamps the variance of GaussianNLLLoss and the
 * norms of cosine_similarity in place under no_grad, so the gradient flows
 * as if nothing had been clamped; (x - x) + min is `min` exactly.
 */
export function clampMinStraightThrough(x: Tensor, min: number): Tensor {
  return where(x.ge(min), x, x.sub(x.detach()).add(min));
}
