/**
 * JAX-style gradient transforms: `grad(f)` is a function that returns the
 * gradient of f, so transforms compose (`grad(grad(f))`), and nothing is
 * written into any tensor's `.grad`.
 */
import { ArgumentError, GraphError, safeString } from '../errors';
import { checkOptionKeys } from '../internal/options';
import { enableGrad } from '../autograd/grad-mode';
import { gradients } from '../tensor/backward';
import { formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';
import {
  asArgument,
  checkFunction,
  checkOutput,
  needsCreateGraph,
  normalizeArgnums,
  primal,
  type TensorFunction,
} from './inputs';

/** Options of {@link grad} and {@link valueAndGrad}. */
export interface GradOptions {
  /** Which argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
}

type GradResult<O extends GradOptions> = O extends { argnums: readonly number[] } ? Tensor[] : Tensor;

/**
 * The value of f and its gradient with respect to the chosen arguments. With
 * a list `argnums` the gradient is a list too.
 *
 * @example
 * const [loss, dw] = valueAndGrad((w, x) => x.matmul(w).square().mean())(w, x);
 */
export function valueAndGrad<O extends GradOptions = GradOptions>(
  f: TensorFunction,
  options?: O,
): (...args: (Tensor | number)[]) => [Tensor, GradResult<O>] {
  return valueAndGradAs('grad', f, options);
}

/** @internal valueAndGrad whose errors name `op`: hessian is built on it. */
export function valueAndGradAs<O extends GradOptions = GradOptions>(
  op: string,
  f: TensorFunction,
  options?: O,
): (...args: (Tensor | number)[]) => [Tensor, GradResult<O>] {
  checkFunction(op, f);
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError(op, `options must be an object like { argnums: [0, 1] }, got ${safeString(options)}`);
    }
    checkOptionKeys(op, options, ['argnums']);
  }
  const argnums = options?.argnums ?? 0;
  return (...rawArgs) => {
    const nums = normalizeArgnums(op, argnums, rawArgs.length);
    const args = rawArgs.map((a, i) => asArgument(op, a, i));
    // NOTE: one primal per distinct argument: argnums [0, 0] asks for the
    // same gradient twice (as JAX answers), not for two copies of x of which
    // f sees only the last (the first then got a zero gradient).
    const distinct = [...new Set(nums)];
    const inputs = distinct.map((i) => primal(op, args[i] as Tensor, i));
    distinct.forEach((argIndex, k) => (args[argIndex] = inputs[k] as Tensor));
    const out: unknown = enableGrad(() => f(...args));
    checkOutput(op, out);
    if (out.size !== 1) {
      throw new GraphError(
        op,
        `the function must return a scalar (one element) tensor, got shape ${formatShape(out._shape)}; use vjp for other outputs`,
      );
    }
    const value = out.requiresGrad ? out : out.detach();
    const createGraph = needsCreateGraph(value, inputs);
    const grads = value.requiresGrad
      ? gradients(value, inputs, { createGraph, retainGraph: createGraph })
      : inputs.map(() => null);
    const byArgument = grads.map((g, k) => g ?? zerosLike(inputs[k] as Tensor));
    // A repeated argument's gradient comes back as a copy: results are
    // mutable (optimizers update them in place) and must not alias each other.
    const result = nums.map((i, pos) => {
      const g = byArgument[distinct.indexOf(i)] as Tensor;
      return nums.indexOf(i) === pos ? g : g.clone();
    });
    const shown = createGraph ? value : value.detach();
    return [shown, (Array.isArray(argnums) ? result : result[0]) as GradResult<O>];
  };
}

/**
 * The gradient of a scalar function with respect to its first argument (or
 * the ones `argnums` names).
 *
 * @example
 * const f = (x: Tensor) => x.pow(3).sum();
 * grad(f)(tensor([2]));        // [12]  = 3x²
 * grad(grad(f))(tensor([2]));  // [12]  = 6x
 */
export function grad<O extends GradOptions = GradOptions>(
  f: TensorFunction,
  options?: O,
): (...args: (Tensor | number)[]) => GradResult<O> {
  const both = valueAndGrad(f, options);
  return (...args) => both(...args)[1];
}
