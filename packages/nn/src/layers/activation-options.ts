/**
 * The checks the activation modules share for their settings, worded as
 * core's option messages (`ELU: option 'alpha' must be a finite number,
 * got NaN`), and the axis check of the ones that work along an axis.
 */
import { ArgumentError, IndexError, type Tensor } from '@chainrule/core';
import { badOptionMessage, formatShape } from '@chainrule/core/internal';

export function finiteOption(op: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArgumentError(op, badOptionMessage(key, 'a finite number', v));
  return v;
}

/** A number where ±Infinity means "no bound" (hardtanh's and threshold's). */
export function numberOption(op: string, key: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new ArgumentError(op, badOptionMessage(key, 'a number (±Infinity allowed)', v));
  return v;
}

export function axisOption(op: string, v: unknown): number {
  if (!Number.isSafeInteger(v)) throw new ArgumentError(op, badOptionMessage('axis', 'an integer', v));
  return v as number;
}

export function lambdOption(op: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0) || v === Number.POSITIVE_INFINITY)
    throw new ArgumentError(op, badOptionMessage('lambd', 'a finite number ≥ 0', v));
  return v;
}

/**
 * An axis of `x` as 0..rank-1, or an IndexError naming the op. A 0-d input
 * counts as rank 1 (axis 0 or -1), as PyTorch's softmax family takes it.
 */
export function axisOf(op: string, axis: number, x: Tensor): number {
  const rank = Math.max(x.ndim, 1);
  if (axis < -rank || axis >= rank)
    throw new IndexError(
      op,
      `axis ${axis} is out of range for an input of shape ${formatShape(x.shape)} (expected ${-rank} to ${rank - 1})`,
    );
  return axis < 0 ? axis + rank : axis;
}
