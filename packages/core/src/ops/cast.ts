/** Conversion between dtypes. */
import { copy } from '../kernels/unary';
import { checkDType, isFloat, type DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply, asTensor, mapUnary, type OpDef } from './define';
import { ne } from './compare';

const castDef: OpDef<DType, readonly Tensor[]> = {
  name: 'to',
  forward([x], dtype) {
    return mapUnary(x as Tensor, copy, dtype);
  },
  // The gradient of a change of precision is the gradient, in the input's precision.
  backward: (g, { inputDTypes }) => [isFloat(inputDTypes[0] as DType) ? g.to(inputDTypes[0] as DType) : null],
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
