/**
 * Anomaly mode's checks on tensors (the mode itself, and the same checks on
 * Values, live in autograd/anomaly.ts): the first NaN or ±Infinity in an
 * op's output or in a gradient a rule returned, reported with the op, the
 * shapes and where the op was called.
 */
import { AnomalyError, isAnomalyEnabled, isInBackwardPass, recordStack, stackNote } from '../autograd/anomaly';
import { forEachRow } from '../kernels/strided';
import { firstNonFinite } from '../internal/numbers';
import { formatShape, type Shape } from './shape';
import type { Tensor } from './tensor';
import { elementAt } from './format';

/** The row-major position of the first NaN or ±Infinity of `t` (any layout), or -1. */
export function firstNonFiniteElement(t: Tensor): number {
  // Integers and booleans are always finite.
  if (t.dtype !== 'float32' && t.dtype !== 'float64') return -1;
  const data = t.storage.data as Float32Array | Float64Array;
  let found = -1;
  forEachRow(t._shape, [t._strides], [t.offset], (off, n, inner, start) => {
    if (found >= 0) return;
    const o = off[0] as number;
    const s = inner[0] as number;
    if (s === 1) {
      const k = firstNonFinite(data, o, n);
      if (k >= 0) found = start + k;
      return;
    }
    for (let k = 0; k < n; k++) {
      const v = data[o + k * s] as number;
      if (v - v !== 0) {
        found = start + k;
        return;
      }
    }
  });
  return found;
}

function shapes(inputs: readonly Shape[]): string {
  return `input shapes ${inputs.length === 0 ? 'none' : inputs.map(formatShape).join(', ')}`;
}

/**
 * @internal Throws when an op's forward output holds a NaN or ±Infinity
 * (anomaly mode, outside backward). Says whether an input held one already:
 * then it came from outside the ops (data, a leaf, an in-place update).
 */
export function checkForward(op: string, inputs: readonly Tensor[], out: Tensor): void {
  if (!isAnomalyEnabled() || isInBackwardPass() || (out.dtype !== 'float32' && out.dtype !== 'float64')) return;
  const bad = firstNonFiniteElement(out);
  if (bad < 0) return;
  const given = inputs.findIndex((t) => firstNonFiniteElement(t) >= 0);
  const cause =
    given < 0
      ? 'from finite inputs'
      : `because input ${given} already held ${elementAt(inputs[given] as Tensor, firstNonFiniteElement(inputs[given] as Tensor))} ` +
        '(made outside the recorded ops: data, a leaf, or an in-place update)';
  throw new AnomalyError(
    op,
    `forward produced ${elementAt(out, bad)} at element ${bad} of its output of shape ${formatShape(out._shape)} ${cause}; ` +
      shapes(inputs.map((t) => t._shape)) +
      stackNote(recordStack(), 'called'),
  );
}

/** @internal Throws when a backward rule returned a gradient holding a NaN or ±Infinity (anomaly mode). */
export function checkGradient(
  op: string,
  input: number,
  inputShapes: readonly Shape[],
  g: Tensor,
  stack: string | undefined,
): void {
  if (!isAnomalyEnabled()) return;
  const bad = firstNonFiniteElement(g);
  if (bad < 0) return;
  throw new AnomalyError(
    op,
    `backward produced ${elementAt(g, bad)} in the gradient of input ${input} (shape ${formatShape(g._shape)}, element ${bad}) ` +
      `from a finite incoming gradient; ${shapes(inputShapes)}` +
      stackNote(stack, 'created'),
  );
}

/** @internal Throws when the gradient backward starts from (gradOutput) holds a NaN or ±Infinity (anomaly mode). */
export function checkSeed(op: string, seed: Tensor): void {
  if (!isAnomalyEnabled()) return;
  const bad = firstNonFiniteElement(seed);
  if (bad < 0) return;
  throw new AnomalyError(
    op,
    `gradOutput holds ${elementAt(seed, bad)} at element ${bad} (shape ${formatShape(seed._shape)})`,
  );
}
