/**
 * Parameters are ordinary leaf Tensors that a module marks with
 * `parameter(t)`, as PyTorch marks them with `nn.Parameter`. The mark is what
 * makes `Module` find them: a tensor a module merely caches (an input, a mask)
 * is not state to train or save.
 */
import { ArgumentError, DTypeError, Tensor } from '@chainrule/core';
import { describeValue, notWritable } from '@chainrule/core/internal';

const marked = new WeakSet<Tensor>();

/**
 * Marks `t` as a trainable parameter: it requires grad from now on, and a
 * Module holding it in a property lists it in `parameters()` and
 * `stateDict()`. Returns `t`. A tensor that cannot be updated in place is
 * refused here, where the mistake is made, rather than by an optimizer step
 * or a load that would find out after changing the other parameters: an
 * int32 or bool tensor (DTypeError), or an expanded view whose elements
 * share memory (ArgumentError; pass a `clone()` of it).
 *
 * @example
 * class Scale extends Module {
 *   readonly gain = parameter(ones([4]));
 *   forward(x: Tensor) { return x.mul(this.gain); }
 * }
 */
export function parameter(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) {
    throw new ArgumentError('parameter', `expected a Tensor, got ${describeValue(t)}`);
  }
  const problem = notWritable(t);
  if (problem !== null) {
    const ErrorType = problem.kind === 'dtype' ? DTypeError : ArgumentError;
    throw new ErrorType('parameter', `the tensor ${problem.reason}`);
  }
  // Throws a GraphError for a tensor computed by an op (not a leaf).
  t.requiresGrad = true;
  marked.add(t);
  return t;
}

/** True when `x` is a Tensor marked by {@link parameter}. */
export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && marked.has(x);
}
