/**
 * softmax and logSoftmax, built from primitives: the max is subtracted first
 * (cut from the graph: the result does not depend on it) so large inputs do
 * not overflow exp.
 */
import { noGrad } from '../autograd/grad-mode';
import type { Tensor } from '../tensor/tensor';
import { normalizeAxis } from '../tensor/shape';
import { isFloat } from '../tensor/dtype';
import { asTensor, type TensorLike } from './define';
import { max } from './reduce';
import { traced } from './trace';

/**
 * An integer or bool input as float32: the max subtracted first keeps its
 * dtype (max of an int32 tensor is int32), and two bools cannot be
 * subtracted. NOTE: PyTorch refuses integer softmax; chainrule computes it
 * in float32, as it always has.
 */
function floatInput(t: Tensor): Tensor {
  return isFloat(t.dtype) ? t : t.to('float32');
}

/**
 * exp(x) / Σ exp(x) along `axis` (default: the last). Rows of -Infinity give NaN, as in PyTorch.
 *
 * @example
 * softmax(tensor([1, 2, 3])); // [0.0900, 0.2447, 0.6652]
 */
export function softmax(x: TensorLike, axis = -1): Tensor {
  const t = floatInput(asTensor('softmax', x));
  const a = normalizeAxis('softmax', axis, t.ndim);
  // NOTE: an empty axis has no max to subtract; the result is empty, as in PyTorch.
  if (t._shape[a] === 0) return t.exp();
  // The max is subtracted even when infinite, so a row holding +∞ is all NaN
  // (∞ - ∞), as in PyTorch, rather than part NaN and part 0.
  return traced('softmax', [t], { axis: a }, () => {
    const shift = noGrad(() => max(t.detach(), a, true));
    const e = t.sub(shift).exp();
    return e.div(e.sum(a, true));
  });
}

/**
 * log(softmax(x)) along `axis`, as (x - m) - log Σ exp(x - m) with m the max:
 * exact where softmax underflows to 0. NOTE: not x - logsumexp(x), which
 * rounds m + log Σ to the precision of m first: in float32, logits of 1e4
 * would lose about 1e-3 of every log-probability.
 */
export function logSoftmax(x: TensorLike, axis = -1): Tensor {
  const t = floatInput(asTensor('logSoftmax', x));
  const a = normalizeAxis('logSoftmax', axis, t.ndim);
  if (t._shape[a] === 0) return t.exp(); // empty, as in PyTorch
  // The max is subtracted even when infinite, so a row holding +∞ is all NaN
  // (∞ - ∞), as in PyTorch, rather than part NaN and part 0.
  return traced('logSoftmax', [t], { axis: a }, () => {
    const shift = noGrad(() => max(t.detach(), a, true));
    const shifted = t.sub(shift);
    return shifted.sub(shifted.exp().sum(a, true).log());
  });
}
