/** Jacobian-vector products (JAX's jvp), by the double-vjp trick. */
import { ArgumentError, ShapeError } from '../errors';
import { enableGrad } from '../autograd/grad-mode';
import { gradients } from '../tensor/backward';
import { formatShape, sameShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describeOperand } from '../ops/define';
import { zerosLike } from '../tensor/create';
import { asArgument, type TensorFunction } from './inputs';
import { vjpWith } from './vjp';

/**
 * f's output and its directional derivative J·t along `tangents` (JAX's
 * jvp), computed by the double-vjp trick: the vjp is linear in its cotangent
 * u, and the vjp of u ↦ uᵀJ at t is Jt.
 *
 * @example
 * const [y, dy] = jvp((x) => x.square(), [tensor([3])], [tensor([1])]); // dy = 6
 */
export function jvp(
  f: TensorFunction,
  primals: readonly (Tensor | number)[],
  tangents: readonly Tensor[],
): [Tensor, Tensor] {
  if (
    !Array.isArray(primals) ||
    !Array.isArray(tangents) ||
    primals.length !== tangents.length ||
    primals.length === 0
  ) {
    throw new ArgumentError('jvp', 'primals and tangents must be non-empty arrays of the same length');
  }
  tangents.forEach((t, i) => {
    const p = asArgument('jvp', primals[i], i);
    if (!(t instanceof Tensor)) {
      throw new ArgumentError(
        'jvp',
        `tangent ${i} must be a Tensor of its primal's shape ${formatShape(p._shape)}, got ${describeOperand(t)}`,
      );
    }
    if (!sameShape(t._shape, p._shape)) {
      throw new ShapeError(
        'jvp',
        `tangent ${i} must have its primal's shape ${formatShape(p._shape)}, got ${formatShape(t._shape)}`,
      );
    }
  });
  const { out, back, nested } = vjpWith('jvp', f, primals, true);
  if (!out.requiresGrad) return [out.detach(), zerosLike(out)];
  const u = zerosLike(out).requireGrad();
  const parts = back(u);
  const total = enableGrad(() => parts.map((g, i) => g.mul(tangents[i] as Tensor).sum()).reduce((a, b) => a.add(b)));
  const tangentOut = total.requiresGrad
    ? enableGrad(() => gradients(total, [u], { createGraph: nested, retainGraph: nested }))[0]
    : null;
  return [nested ? out : out.detach(), tangentOut ?? zerosLike(out)];
}
