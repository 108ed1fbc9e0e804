/** Conversion between dtypes. */
import { copy } from '../kernels/unary';
import { floatToInt, floatToUint8 } from '../kernels/integer';
import type { UnaryRow } from '../kernels/unary';
import { checkDType, isFloat, type DType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply, asTensor, mapUnary, type OpDef, type Unary } from './define';
import { ne } from './compare';

/** The kernel converting `from` to `to`: a plain store, except from a float to an integer (see kernels/integer.ts). */
function castRow(from: DType, to: DType): UnaryRow {
  if (!isFloat(from)) return copy;
  if (to === 'uint8') return floatToUint8;
  if (to === 'int8' || to === 'int16' || to === 'int32') return floatToInt;
  return copy;
}

const castDef: OpDef<Unary, DType> = {
  name: 'to',
  forward: ([x], dtype) => mapUnary(x, castRow(x.dtype, dtype), dtype),
  // The gradient of a change of precision is the gradient (the driver casts
  // it back to the input's precision, as it does for every op).
  backward: (g) => [g],
};

/**
 * `x` converted to `dtype`; `x` itself when it already has that dtype. As
 * PyTorch 1.13 on x86: floats to an integer dtype are truncated toward
 * zero; to int32, int16 and int8 they go through int32, where NaN,
 * ±Infinity and values out of its range become -2³¹, and then wrap to the
 * narrower width (40000 → int16 -25536, 1e10 → 0); to uint8 they go through
 * int64 and wrap modulo 256 (300 → 44, -1 → 255; NaN → 0). Between integer
 * dtypes values wrap the same way. To bool, nonzero (NaN included) becomes
 * true.
 *
 * @example
 * tensor([3.7, -3.7]).to('int32'); // [3, -3]
 * tensor([300, -1]).to('uint8'); // [44, 255]
 */
export function to(x: Tensor, dtype: DType): Tensor {
  const t = asTensor('to', x);
  const target = checkDType('to', dtype);
  if (t.dtype === target) return t;
  if (target === 'bool') return ne(t, 0);
  return apply(castDef, [t], target);
}
