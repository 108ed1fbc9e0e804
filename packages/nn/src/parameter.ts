/**
 * Parameters are ordinary leaf Tensors that a module marks with
 * `parameter(t)`, as PyTorch marks them with `nn.Parameter`. The mark is what
 * makes `Module` find them: a tensor a module merely caches (an input, a mask)
 * is not state to train or save.
 */
import { ArgumentError, Tensor } from '@chainrule/core';

const marked = new WeakSet<Tensor>();

/**
 * Marks `t` as a trainable parameter: it requires grad from now on, and a
 * Module holding it in a property lists it in `parameters()` and
 * `stateDict()`. Returns `t`.
 *
 * @example
 * class Scale extends Module {
 *   readonly gain = parameter(ones([4]));
 *   forward(x: Tensor) { return x.mul(this.gain); }
 * }
 */
export function parameter(t: Tensor): Tensor {
  if (!(t instanceof Tensor)) {
    throw new ArgumentError('parameter', `expected a Tensor, got ${t === null ? 'null' : typeof t}`);
  }
  // Throws a DTypeError for integer tensors and a GraphError for non-leaves.
  t.requiresGrad = true;
  marked.add(t);
  return t;
}

/** True when `x` is a Tensor marked by {@link parameter}. */
export function isParameter(x: unknown): x is Tensor {
  return x instanceof Tensor && marked.has(x);
}
