/**
 * User-defined ops, in the manner of torch.autograd.Function and
 * jax.custom_vjp: the user writes forward and backward, and the op then works
 * with everything the built-in ops do (backward, noGrad, the functional
 * transforms, graph drawings, version checks on saved tensors). A custom op
 * is built on the very OpDef the built-in ops use.
 */
import { ArgumentError, GraphError } from '../errors';
import { noGrad } from '../autograd/grad-mode';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, type Inputs, type OpDef, type TensorLike } from './define';

/** What a custom op's forward can do besides computing. */
export interface ForwardContext {
  /** Keeps tensors for backward (inputs or the output); they must not be changed in place before backward. */
  save(...tensors: Tensor[]): void;
}

/** What a custom op's backward is given. */
export interface CustomBackwardContext {
  /** The tensors forward saved, in order. */
  readonly saved: readonly Tensor[];
  /** Per input: whether its gradient is wanted (return null for the others). */
  readonly needsInputGrad: readonly boolean[];
}

/** The definition of a custom op. */
export interface CustomOpSpec {
  /** Shown in errors and graph drawings. */
  name: string;
  /** Computes the output from the inputs. Runs without recording a graph. */
  forward(ctx: ForwardContext, ...inputs: Tensor[]): Tensor;
  /**
   * The gradients of the inputs given the output's gradient `g`: a Tensor for
   * a one-input op, else one entry per input (null for none). Written with
   * Tensor ops, it is differentiable again under `createGraph`.
   */
  backward(ctx: CustomBackwardContext, g: Tensor): Tensor | null | readonly (Tensor | null)[];
}

/**
 * Defines a new differentiable op from a forward and a backward.
 *
 * The op's output is always a new tensor: a forward that returns one of its
 * inputs, or any tensor that existed before, gets a fresh tensor over the
 * same data, so no existing tensor's place in the graph is ever changed.
 * What backward returns belongs to the user: the engine never recycles it,
 * and a gradient that carries a graph is detached unless the backward pass
 * records one (`createGraph`).
 *
 * @example
 * // Swish, x·σ(x), with its hand-derived gradient σ(x)(1 + x(1 - σ(x))).
 * const swish = customOp({
 *   name: 'swish',
 *   forward(ctx, x) {
 *     ctx.save(x);
 *     return x.mul(x.sigmoid());
 *   },
 *   backward({ saved: [x] }, g) {
 *     const s = x!.sigmoid();
 *     return g.mul(s.mul(x!.mul(s.neg().add(1)).add(1)));
 *   },
 * });
 * swish(tensor([1, -2], { requiresGrad: true })).sum().backward();
 */
export function customOp(spec: CustomOpSpec): (...inputs: TensorLike[]) => Tensor {
  if (typeof spec?.name !== 'string' || typeof spec.forward !== 'function' || typeof spec.backward !== 'function') {
    throw new ArgumentError('customOp', 'expected { name: string, forward(ctx, ...inputs), backward(ctx, g) }');
  }
  const def: OpDef<Inputs, undefined> = {
    name: spec.name,
    userCode: true,
    forward(inputs, _params, saver) {
      const ctx: ForwardContext = {
        save: (...tensors) => {
          tensors.forEach((t, i) => {
            if (!(t instanceof Tensor))
              throw new ArgumentError(spec.name, `ctx.save takes Tensors only; argument ${i} is ${describeOperand(t)}`);
          });
          saver.save(...tensors);
        },
      };
      const out: unknown = noGrad(() => spec.forward(ctx, ...inputs));
      if (!(out instanceof Tensor)) {
        throw new ArgumentError(spec.name, `forward must return a Tensor, got ${describeOperand(out)}`);
      }
      // The output becomes a node of the graph: a fresh tensor object, never
      // one the user already holds (an input, a parameter, an earlier result).
      return out.detach();
    },
    backward(g, { saved, needs }) {
      const grads: unknown = spec.backward({ saved, needsInputGrad: needs }, g);
      const list: unknown = grads instanceof Tensor || grads === null ? [grads] : grads;
      if (!Array.isArray(list) || list.length !== needs.length) {
        throw new GraphError(
          spec.name,
          `backward returned ${Array.isArray(list) ? `${list.length} gradients` : describeOperand(list)} for ${needs.length} input(s); ` +
            'return one Tensor per input (null for none), or a Tensor for a one-input op',
        );
      }
      list.forEach((entry: unknown, i) => {
        if (entry !== null && !(entry instanceof Tensor)) {
          throw new GraphError(
            spec.name,
            `backward returned ${describeOperand(entry)} as the gradient of input ${i}; expected a Tensor or null`,
          );
        }
      });
      return list as (Tensor | null)[];
    },
  };
  return (...inputs) =>
    apply(
      def,
      inputs.map((x, i) => asTensor(spec.name, x, 'float32', `input ${i}`)),
      undefined,
    );
}
