/** Jacobians and Hessians, one vjp per output element (for small outputs). */
import type { Tensor } from '../tensor/tensor';
import { zerosLike } from '../tensor/create';
import { reshape, stack } from '../ops/shape';
import { asArgument, checkFunction } from './inputs';
import { valueAndGradAs } from './grad';
import { vjpWith } from './vjp';

/**
 * The Jacobian of f at x: shape [...out._shape, ...x._shape], one vjp per
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
    if (size === 0) return zerosLike(reshape(input, [0, ...input._shape]));
    return reshape(stack(rows, 0), [...out._shape, ...input._shape]);
  };
}

/**
 * The Hessian of a scalar function at x, shape [...x._shape, ...x._shape]
 * (the Jacobian of its gradient; for small inputs).
 *
 * @example
 * hessian((x) => x.pow(3).sum())(tensor([1, 2])); // [[6, 0], [0, 12]]
 */
export function hessian(f: (x: Tensor) => Tensor): (x: Tensor | number) => Tensor {
  checkFunction('hessian', f);
  return jacobianOf('hessian', (x) => valueAndGradAs('hessian', f)(x)[1]);
}
