/** Conversion between dtypes. */
import { copy } from '../kernels/unary';
import { checkDType, type DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply, asTensor, mapUnary, type OpDef, type Unary } from './define';
import { ne } from './compare';

const castDef: OpDef<Unary, DType> = {
  name: 'to',
  forward: ([x], dtype) => mapUnary(x, copy, dtype),
  // The gradient of a change of precision is the gradient (the driver casts
  // it back to the input's precision, as it does for every op).
  backward: (g) => [g],
};

/**
 * `x` converted to `dtype`; `x` itself when it already has that dtype. To
 * int32, values are truncated toward zero; to bool, nonzero becomes true.
 */
export function to(x: Tensor, dtype: DType): Tensor {
  const t = asTensor('to', x);
  const target = checkDType('to', dtype);
  if (t.dtype === target) return t;
  if (target === 'bool') return ne(t, 0);
  return apply(castDef, [t], target);
}
