/**
 * Bitwise ops on integer and bool tensors (no gradient: their results are
 * integers). Operands promote as in arithmetic (`uint8 & int8` is int16); a
 * floating operand is refused, as in PyTorch.
 */
import * as KI from '../kernels/integer';
import { DTypeError } from '../errors';
import { isFloat } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import type { BinaryRow } from '../kernels/binary';
import { tracedWhole } from './trace';
import { asTensor, mapBinary, mapUnary, operands, resultTypeOf, type TensorLike } from './define';

function bitwise(name: string, row: BinaryRow, boolRow: BinaryRow = row, shift = false) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [x, y] = operands(name, a, b);
    for (const t of [x, y]) {
      if (isFloat(t.dtype)) {
        throw new DTypeError(
          name,
          `${t.dtype} is not an integer or bool dtype; ${name} takes uint8, int8, int16, int32 or bool tensors (and integers)`,
        );
      }
    }
    const dtype = resultTypeOf([x, y]);
    // NOTE: shifting bools shifts their 0 and 1 as integers (PyTorch's result is int64; ours int32).
    const run =
      dtype === 'bool' && shift
        ? () => mapBinary(name, x, y, row, 'int32')
        : () => mapBinary(name, x, y, dtype === 'bool' ? boolRow : row, dtype);
    return tracedWhole(name, [x, y], undefined, run);
  };
}

/** a AND b, bit by bit (logical AND for bools). @example bitwiseAnd(tensor([12], { dtype: 'int32' }), 10); // [8] */
export const bitwiseAnd = bitwise('bitwiseAnd', KI.bitwiseAnd);
/** a OR b, bit by bit (logical OR for bools). */
export const bitwiseOr = bitwise('bitwiseOr', KI.bitwiseOr);
/** a XOR b, bit by bit (logical XOR for bools). */
export const bitwiseXor = bitwise('bitwiseXor', KI.bitwiseXor);
/**
 * a shifted left by b bits, wrapping to a's width (int8 1 << 7 is -128).
 * NOTE: the shift amount is taken modulo 32, as PyTorch 1.13 does on x86
 * for int32 (1 << 32 is 1).
 */
export const bitwiseLeftShift = bitwise('bitwiseLeftShift', KI.leftShift, KI.leftShift, true);
/** a shifted right by b bits, arithmetically (the sign is kept): -8 >> 1 is -4. */
export const bitwiseRightShift = bitwise('bitwiseRightShift', KI.rightShift, KI.rightShift, true);

/** NOT x, bit by bit (logical NOT for bools): uint8 0 becomes 255, int32 0 becomes -1. */
export function bitwiseNot(x: TensorLike): Tensor {
  const t = asTensor('bitwiseNot', x, 'int32');
  if (isFloat(t.dtype)) {
    throw new DTypeError(
      'bitwiseNot',
      `${t.dtype} is not an integer or bool dtype; bitwiseNot takes uint8, int8, int16, int32 or bool tensors`,
    );
  }
  return tracedWhole('bitwiseNot', [t], undefined, () =>
    mapUnary(t, t.dtype === 'bool' ? KI.boolNot : KI.bitwiseNot, t.dtype),
  );
}

/** The bitwise ops by name (integer results, no gradient); the suites iterate over it. */
export const bitwiseOps = { bitwiseAnd, bitwiseOr, bitwiseXor, bitwiseLeftShift, bitwiseRightShift };
