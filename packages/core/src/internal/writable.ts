/**
 * Whether a tensor can be updated in place element by element, as an
 * optimizer step or a state-dict load does. Checked when a tensor becomes a
 * parameter and again before any update starts: an update that found out
 * half-way would leave some parameters changed and others not.
 */
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../tensor/shape';

/** Why a tensor cannot be written in place: its dtype, or elements that share memory. */
export interface NotWritable {
  /** 'dtype' calls for a DTypeError, 'overlap' for an ArgumentError. */
  readonly kind: 'dtype' | 'overlap';
  /** Completes "<the tensor> ...", e.g. "is int32; ...". */
  readonly reason: string;
}

/**
 * Why `t` cannot be written in place, or null when it can: a dtype other
 * than float32/float64 (no gradient step applies to it), or memory shared
 * between its own elements (a stride of 0 on an axis longer than 1, as an
 * `expand()`ed view has), where each update would land on one location
 * several times (core's in-place ops refuse such a target too).
 */
export function notWritable(t: Tensor): NotWritable | null {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    return { kind: 'dtype', reason: `is ${t.dtype}; only float32 and float64 tensors can be updated in place` };
  }
  // NOTE: a tensor with no elements shares none, whatever its strides ([3, 0] has strides [0, 1]).
  if (t.size > 0 && t.shape.some((d, i) => d > 1 && t.strides[i] === 0)) {
    return {
      kind: 'overlap',
      reason:
        `is an expanded view of shape ${formatShape(t.shape)} (strides ${formatShape(t.strides)}) whose elements share memory, ` +
        'so it cannot be updated in place; use a clone() of it',
    };
  }
  return null;
}
