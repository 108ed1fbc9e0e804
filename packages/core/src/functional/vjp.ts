/** Vector-Jacobian and Jacobian-vector products, and the matrices built from them. */
import { ArgumentError, ShapeError } from '../autograd/errors';
import { enableGrad } from '../autograd/grad-mode';
import { gradients } from '../tensor/backward';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describeValue } from '../ops/define';
import { zerosLike } from '../tensor/create';
import { reshape, stack } from '../ops/shape';
import { asArgument, checkFunction, checkOutput, needsCreateGraph, primal, type TensorFunction } from './inputs';
import { valueAndGradAs } from './grad';

/** Given a cotangent of f's output, the cotangents of f's inputs. */
export type VjpFunction = (cotangent: Tensor) => Tensor[];

interface Linearized {
  /** f's output, still attached to the graph. */
  out: Tensor;
  back: VjpFunction;
  /** Whether the output depends on tensors outside this call that require grad. */
  nested: boolean;
}

function vjpWith(op: string, f: TensorFunction, rawPrimals: readonly (Tensor | number)[], forceGraph: boolean): Linearized {
  checkFunction(op, f);
  const args = rawPrimals.map((p, i) => asArgument(op, p, i));
  const inputs = args.map((a, i) => primal(op, a, i));
  const out: unknown = enableGrad(() => f(...inputs));
  checkOutput(op, out);
  const nested = needsCreateGraph(out, inputs);
  const createGraph = forceGraph || nested;
  const back: VjpFunction = (cotangent) => {
    if (!(cotangent instanceof Tensor)) {
      throw new ArgumentError(op, `the cotangent must be a Tensor of the output's shape ${formatShape(out.shape)}, got ${describeValue(cotangent)}`);
    }
    if (!sameShape(cotangent.shape, out.shape)) {
      throw new ShapeError(op, `the cotangent must have the output's shape ${formatShape(out.shape)}, got ${formatShape(cotangent.shape)}`);
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

/**
 * f's output and its directional derivative J·t along `tangents` (JAX's
 * jvp), computed by the double-vjp trick: the vjp is linear in its cotangent
 * u, and the vjp of u ↦ uᵀJ at t is Jt.
 *
 * @example
 * const [y, dy] = jvp((x) => x.square(), [tensor([3])], [tensor([1])]); // dy = 6
 */
export function jvp(f: TensorFunction, primals: readonly (Tensor | number)[], tangents: readonly Tensor[]): [Tensor, Tensor] {
  if (!Array.isArray(primals) || !Array.isArray(tangents) || primals.length !== tangents.length || primals.length === 0) {
    throw new ArgumentError('jvp', 'primals and tangents must be non-empty arrays of the same length');
  }
  tangents.forEach((t, i) => {
    const p = asArgument('jvp', primals[i], i);
    if (!(t instanceof Tensor)) {
      throw new ArgumentError('jvp', `tangent ${i} must be a Tensor of its primal's shape ${formatShape(p.shape)}, got ${describeValue(t)}`);
    }
    if (!sameShape(t.shape, p.shape)) {
      throw new ShapeError('jvp', `tangent ${i} must have its primal's shape ${formatShape(p.shape)}, got ${formatShape(t.shape)}`);
    }
  });
  const { out, back, nested } = vjpWith('jvp', f, primals, true);
  if (!out.requiresGrad) return [out.detach(), zerosLike(out)];
  const u = zerosLike(out).requireGrad();
  const parts = back(u);
  const total = enableGrad(() =>
    parts.map((g, i) => g.mul(tangents[i] as Tensor).sum()).reduce((a, b) => a.add(b)),
  );
  const tangentOut = total.requiresGrad
    ? enableGrad(() => gradients(total, [u], { createGraph: nested, retainGraph: nested }))[0]
    : null;
  return [nested ? out : out.detach(), tangentOut ?? zerosLike(out)];
}

/**
 * The Jacobian of f at x: shape [...out.shape, ...x.shape], one vjp per
 * output element (for small outputs).
 */
export function jacobian(f: (x: Tensor) => Tensor): (x: Tensor | number) => Tensor {
  return jacobianOf('jacobian', f);
}

function jacobianOf(op: string, f: (x: Tensor) => Tensor): (x: Tensor | number) => Tensor {
  checkFunction(op, f);
  return (x) => {
    const { out: attached, back, nested } = vjpWith(op, f, [x], false);
    const out = nested ? attached : attached.detach();
    const size = out.size;
    const rows: Tensor[] = [];
    for (let i = 0; i < size; i++) {
      const e = zerosLike(out);
      e.storage.data[i] = 1;
      rows.push(back(e)[0] as Tensor);
    }
    const input = asArgument(op, x, 0);
    if (size === 0) return zerosLike(reshape(input, [0, ...input.shape]));
    return reshape(stack(rows, 0), [...out.shape, ...input.shape]);
  };
}

/**
 * The Hessian of a scalar function at x, shape [...x.shape, ...x.shape]
 * (the Jacobian of its gradient; for small inputs).
 *
 * @example
 * hessian((x) => x.pow(3).sum())(tensor([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor | number) => Tensor {
  checkFunction('hessian', f);
  return jacobianOf('hessian', (x) => valueAndGradAs('hessian', f)(x)[1]);
}
