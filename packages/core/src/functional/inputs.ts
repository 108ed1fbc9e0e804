/**
 * What the transforms share: turning arguments into the tensors to
 * differentiate with respect to, and deciding whether the result must stay
 * differentiable (it must when an enclosing transform, or any other tensor
 * that requires grad, flows into it: that is how grad(grad(f)) works).
 */
import { ArgumentError, DTypeError, safeString } from '../errors';
import { isGradEnabled } from '../autograd/grad-mode';
import type { Node } from '../tensor/node';
import { arrayInputs, topologicalOrder } from '../autograd/toposort';
import { isFloat } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { apply, describeOperand, scalarTensor, type OpDef, type Unary } from '../ops/define';

/** A function the transforms accept: tensors in, a tensor out. */
export type TensorFunction = (...args: Tensor[]) => Tensor;

const noEdges: readonly (Node | null)[] = [];

const inputDef: OpDef<Unary, undefined> = {
  name: 'input',
  forward: ([x]) => x.detach(),
  backward: (g) => [g],
};

/** Throws unless `f` can be called (transforms are often given the result of f by mistake). */
export function checkFunction(op: string, f: unknown): void {
  if (typeof f !== 'function') {
    throw new ArgumentError(op, `expected a function of tensors, got ${describeOperand(f)}`);
  }
}

/** Throws unless f returned a Tensor. */
export function checkOutput(op: string, out: unknown): asserts out is Tensor {
  if (!(out instanceof Tensor)) {
    throw new ArgumentError(op, `the function must return a Tensor, got ${describeOperand(out)}`);
  }
}

/** Argument `i` as a tensor (numbers become float32 scalars). */
export function asArgument(op: string, x: unknown, i: number): Tensor {
  if (typeof x === 'number') return scalarTensor(x, 'float32');
  if (!(x instanceof Tensor))
    throw new ArgumentError(op, `argument ${i} must be a Tensor or a number, got ${describeOperand(x)}`);
  return x;
}

/**
 * The tensor a transform differentiates with respect to. An argument that is
 * already part of a recorded graph gets a fresh node of its own (so its
 * gradient is this transform's alone, yet flows on to the outer graph); any
 * other becomes a new leaf sharing its data.
 */
export function primal(op: string, x: Tensor, i: number): Tensor {
  if (!isFloat(x.dtype)) {
    throw new DTypeError(op, `argument ${i} is ${x.dtype}; only float32 and float64 arguments can be differentiated`);
  }
  if (x.requiresGrad && isGradEnabled()) return apply(inputDef, [x], undefined);
  return x.detach().requireGrad();
}

/** The argument positions to differentiate: one number or a list, each within the arguments. */
export function normalizeArgnums(op: string, argnums: number | readonly number[], count: number): number[] {
  const list = typeof argnums === 'number' ? [argnums] : Array.isArray(argnums) ? argnums : null;
  if (list === null || list.length === 0)
    throw new ArgumentError(op, `argnums must be an index or a non-empty list of indices, got ${safeString(argnums)}`);
  return list.map((a) => {
    if (!Number.isInteger(a) || a < -count || a >= count) {
      throw new ArgumentError(op, `argnums ${safeString(a)} is out of range for ${count} argument(s)`);
    }
    return a < 0 ? a + count : a;
  });
}

/**
 * Whether `out` depends, besides through `inputs`, on tensors that require
 * grad: then its gradients must be recorded to stay differentiable.
 */
export function needsCreateGraph(out: Tensor, inputs: readonly Tensor[]): boolean {
  if (!isGradEnabled()) return false;
  const root = out._gradNode();
  if (root === null) return false;
  const own = new Set(inputs.map((t) => t._gradNode()));
  for (const node of topologicalOrder<Node>(
    root,
    arrayInputs((n) => (own.has(n) ? noEdges : n.inputs)),
  )) {
    if (own.has(node)) {
      if (node.inputs.some((e) => e !== null)) return true;
    } else if (node.isLeaf) {
      return true;
    }
  }
  return false;
}
