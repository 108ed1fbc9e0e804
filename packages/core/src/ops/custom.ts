/**
 * User-defined ops, in the manner of torch.autograd.Function and
 * jax.custom_vjp: the user writes forward and backward, and the op then works
 * with everything the built-in ops do (backward, noGrad, the functional
 * transforms, graph drawings, version checks on saved tensors). A custom op
 * is built on the very OpDef the built-in ops use.
 */
import { ArgumentError, GraphError } from '../autograd/errors';
import { noGrad } from '../autograd/grad-mode';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeValue, type OpDef, type TensorLike } from './define';

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

interface Call {
  saved: Tensor[];
}

/**
 * Defines a new differentiable op from a forward and a backward.
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
  const def: OpDef<Call, readonly Tensor[]> = {
    name: spec.name,
    // The user's backward may stash g somewhere: never recycle it.
    mayKeepGradient: true,
    forward(inputs, call) {
      const ctx: ForwardContext = {
        save: (...tensors) => {
          for (const t of tensors) {
            if (!(t instanceof Tensor)) throw new ArgumentError(spec.name, 'ctx.save takes Tensors only');
          }
          call.saved.push(...tensors);
        },
      };
      const out = noGrad(() => spec.forward(ctx, ...inputs));
      if (!(out instanceof Tensor)) {
        throw new ArgumentError(spec.name, `forward must return a Tensor, got ${out === null ? 'null' : typeof out}`);
      }
      // The output becomes a graph node: never let that be one of the inputs.
      return inputs.includes(out) ? out.detach() : out;
    },
    save: (_inputs, _out, call) => call.saved,
    backward(g, { saved, needs }) {
      const grads: unknown = spec.backward({ saved, needsInputGrad: needs }, g);
      const list: unknown = grads instanceof Tensor || grads === null ? [grads] : grads;
      if (!Array.isArray(list) || list.length !== needs.length) {
        throw new GraphError(
          spec.name,
          `backward returned ${Array.isArray(list) ? `${list.length} gradients` : describeValue(list)} for ${needs.length} input(s); ` +
            'return one Tensor per input (null for none), or a Tensor for a one-input op',
        );
      }
      list.forEach((entry: unknown, i) => {
        if (entry !== null && !(entry instanceof Tensor)) {
          throw new GraphError(spec.name, `backward returned ${describeValue(entry)} as the gradient of input ${i}; expected a Tensor or null`);
        }
      });
      return list as (Tensor | null)[];
    },
  };
  return (...inputs) => apply(def, inputs.map((x, i) => asTensor(spec.name, x, 'float32', `input ${i}`)), { saved: [] });
}
