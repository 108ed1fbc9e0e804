/**
 * Layer normalization and RMS normalization as functions (PyTorch's
 * `F.layer_norm` and `F.rms_norm`): statistics over the trailing
 * `normalizedShape` axes of each sample, never over the batch, so training
 * and evaluation compute the same thing and there is no running state.
 * Both are written with core ops, so their gradients (of any order) come
 * from core.
 */
import { ArgumentError, ShapeError, type Tensor, type FloatDType } from '@chainrule/core';
import { describeList, describeValue, optionsObject, valueOr } from '@chainrule/core/internal';
import { floatTensor } from '../losses/common';

/** Options of the functional `layerNorm`. */
export interface LayerNormOptions {
  /** γ, of shape `normalizedShape`, multiplied in after normalizing (default: none). */
  weight?: Tensor | null;
  /** β, of shape `normalizedShape`, added last (default: none). */
  bias?: Tensor | null;
  /** Added to the variance before the square root (default 1e-5, as PyTorch). */
  eps?: number;
}

/** Options of the functional `rmsNorm`. */
export interface RmsNormOptions {
  /** γ, of shape `normalizedShape` (default: none). */
  weight?: Tensor | null;
  /** Added to the mean square; default (undefined or null): the machine epsilon of the input's dtype, as PyTorch 2.x. */
  eps?: number | null;
}

/**
 * Checks a `normalizedShape` argument: a positive integer or a non-empty
 * array of them (PyTorch takes an int or a list). Returns it as an array.
 */
export function checkNormalizedShape(op: string, shape: unknown): number[] {
  const list = typeof shape === 'number' ? [shape] : shape;
  if (!Array.isArray(list) || list.length === 0 || !list.every((d) => Number.isSafeInteger(d) && (d as number) >= 1)) {
    const got = Array.isArray(shape) ? describeList(shape) : describeValue(shape);
    throw new ArgumentError(
      op,
      `normalizedShape must be a positive integer or a non-empty array of them (the sizes of the last axes), got ${got}`,
    );
  }
  return [...(list as number[])];
}

/** Checks eps: a finite number ≥ 0. */
export function checkEps(op: string, eps: unknown): number {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new ArgumentError(op, `eps must be a finite number ≥ 0, got ${describeValue(eps)}`);
  }
  return eps;
}

/**
 * Checks that `x` is a float tensor whose shape ends with `normalizedShape`,
 * and returns the axes to normalize over (the last `normalizedShape.length`).
 */
export function normalizedAxes(op: string, x: unknown, normalizedShape: readonly number[]): number[] {
  const t = floatTensor(op, 'the input', x);
  const k = normalizedShape.length;
  const tail = t.shape.slice(t.ndim - k);
  if (t.ndim < k || tail.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(
      op,
      `the input has shape [${t.shape.join(',')}], which does not end with normalizedShape [${normalizedShape.join(',')}]; expected [..., ${normalizedShape.join(', ')}]`,
    );
  }
  return Array.from({ length: k }, (_, i) => t.ndim - k + i);
}

/** Checks an optional affine tensor: null/undefined, or a float tensor of exactly `normalizedShape`. */
function affine(op: string, what: string, t: unknown, normalizedShape: readonly number[]): Tensor | null {
  if (t === undefined || t === null) return null;
  const a = floatTensor(op, what, t);
  if (a.ndim !== normalizedShape.length || a.shape.some((d, i) => d !== normalizedShape[i])) {
    throw new ShapeError(
      op,
      `${what} has shape [${a.shape.join(',')}]; it must have the normalized shape [${normalizedShape.join(',')}]`,
    );
  }
  return a;
}

/** The machine epsilon of a float dtype (PyTorch's `torch.finfo(dtype).eps`). */
export function machineEpsilon(dtype: FloatDType): number {
  return dtype === 'float64' ? Number.EPSILON : 2 ** -23;
}

/**
 * Layer normalization: over the last `normalizedShape.length` axes of x,
 * `(x - mean) / √(var + eps) · weight + bias`, with the biased variance (divided
 * by the count, not the count - 1), as PyTorch's `F.layer_norm`.
 *
 * @example
 * layerNorm(x, [x.shape.at(-1)!]);                    // each row to mean 0, variance ≈ 1
 * layerNorm(x, [4], { weight: gamma, bias: beta, eps: 1e-6 });
 * @throws ShapeError when x's shape does not end with normalizedShape, or weight/bias is not of that shape
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  options: LayerNormOptions = {},
): Tensor {
  const op = 'layerNorm';
  const shape = checkNormalizedShape(op, normalizedShape);
  const o = optionsObject(op, options, { weight: true, bias: true, eps: true });
  const eps = checkEps(op, valueOr<unknown>(o.eps, 1e-5));
  const axes = normalizedAxes(op, x, shape);
  const weight = affine(op, 'weight', o.weight, shape);
  const bias = affine(op, 'bias', o.bias, shape);
  return layerNormUnchecked(x, axes, eps, weight, bias);
}

/** layerNorm after the checks (the LayerNorm module checks with its own name). */
export function layerNormUnchecked(
  x: Tensor,
  axes: readonly number[],
  eps: number,
  weight: Tensor | null,
  bias: Tensor | null,
): Tensor {
  const centred = x.sub(x.mean(axes, true));
  // The biased variance of the centred values: one pass over d, reused below.
  const variance = centred.square().mean(axes, true);
  let y = centred.mul(variance.add(eps).rsqrt());
  if (weight !== null) y = y.mul(weight);
  if (bias !== null) y = y.add(bias);
  return y;
}

/**
 * Root-mean-square normalization (PyTorch 2.4's `F.rms_norm`): over the last
 * `normalizedShape.length` axes, `x / √(mean(x²) + eps) · weight`. No
 * centring, no bias. eps defaults to the machine epsilon of x's dtype
 * (2⁻²³ for float32, 2⁻⁵² for float64), as PyTorch's `eps=None`.
 *
 * @example
 * rmsNorm(x, [512], { weight: gamma });
 * @throws ShapeError when x's shape does not end with normalizedShape, or the weight is not of that shape
 */
export function rmsNorm(x: Tensor, normalizedShape: number | readonly number[], options: RmsNormOptions = {}): Tensor {
  const op = 'rmsNorm';
  const shape = checkNormalizedShape(op, normalizedShape);
  const o = optionsObject(op, options, { weight: true, eps: true });
  const eps = o.eps === undefined || o.eps === null ? null : checkEps(op, o.eps);
  const axes = normalizedAxes(op, x, shape);
  const weight = affine(op, 'weight', o.weight, shape);
  return rmsNormUnchecked(x, axes, eps, weight);
}

/** rmsNorm after the checks; a null eps is the input dtype's machine epsilon. */
export function rmsNormUnchecked(
  x: Tensor,
  axes: readonly number[],
  eps: number | null,
  weight: Tensor | null,
): Tensor {
  const e = eps ?? machineEpsilon(x.dtype as FloatDType);
  const y = x.mul(x.square().mean(axes, true).add(e).rsqrt());
  return weight === null ? y : y.mul(weight);
}
