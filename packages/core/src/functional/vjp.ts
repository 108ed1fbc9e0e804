/** Vector-Jacobian products (JAX's vjp), and the linearisation jvp and jacobian are built on. */
import { ArgumentError, ShapeError } from '../errors';
import { enableGrad } from '../autograd/grad-mode';
import { gradients } from '../tensor/backward';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describeOperand } from '../ops/define';
import { zerosLike } from '../tensor/create';
import { asArgument, checkFunction, checkOutput, needsCreateGraph, primal, type TensorFunction } from './inputs';

/** Given a cotangent of f's output, the cotangents of f's inputs. */
export type VjpFunction = (cotangent: Tensor) => Tensor[];

export interface Linearized {
  /** f's output, still attached to the graph. */
  out: Tensor;
  back: VjpFunction;
  /** Whether the output depends on tensors outside this call that require grad. */
  nested: boolean;
}

/** @internal f linearised at the primals: its output and the vjp function (shared with jvp and jacobian). */
export function vjpWith(
  op: string,
  f: TensorFunction,
  rawPrimals: readonly (Tensor | number)[],
  forceGraph: boolean,
): Linearized {
  checkFunction(op, f);
  const args = rawPrimals.map((p, i) => asArgument(op, p, i));
  const inputs = args.map((a, i) => primal(op, a, i));
  const out: unknown = enableGrad(() => f(...inputs));
  checkOutput(op, out);
  const nested = needsCreateGraph(out, inputs);
  const createGraph = forceGraph || nested;
  const back: VjpFunction = (cotangent) => {
    if (!(cotangent instanceof Tensor)) {
      throw new ArgumentError(
        op,
        `the cotangent must be a Tensor of the output's shape ${formatShape(out._shape)}, got ${describeOperand(cotangent)}`,
      );
    }
    if (!sameShape(cotangent._shape, out._shape)) {
      throw new ShapeError(
        op,
        `the cotangent must have the output's shape ${formatShape(out._shape)}, got ${formatShape(cotangent._shape)}`,
      );
    }
    if (!out.requiresGrad) return inputs.map((x) => zerosLike(x));
    const grads = enableGrad(() => gradients(out, inputs, { gradOutput: cotangent, createGraph, retainGraph: true }));
    return grads.map((g, i) => g ?? zerosLike(inputs[i] as Tensor));
  };
  return { out, back, nested };
}

/**
 * f's output and a function mapping an output cotangent v to vᵀJ, one
 * cotangent per input (JAX's vjp). The function can be called many times.
 *
 * @example
 * const [y, back] = vjp((x) => x.sin(), x);
 * const [dx] = back(onesLike(y));  // cos(x)
 */
export function vjp(f: TensorFunction, ...primals: (Tensor | number)[]): [Tensor, VjpFunction] {
  const { out, back, nested } = vjpWith('vjp', f, primals, false);
  return [nested ? out : out.detach(), back];
}
