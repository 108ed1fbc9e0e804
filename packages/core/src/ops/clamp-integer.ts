/**
 * clamp of integer and bool tensors by integer bounds: computed in the
 * dtype PyTorch's promotion gives (the tensor's own dtype for number
 * bounds; e.g. int16 for a uint8 tensor clamped by an int8 tensor), exactly,
 * with no float32 in between (which would round values past 2^24). A
 * fractional or infinite number bound, or a float tensor bound, makes the
 * result a float and goes the float way (ops/unary.ts, ops/value-tests.ts).
 */
import * as KM from '../kernels/binary-math';
import { ArgumentError, DTypeError } from '../errors';
import { integerRange, isInteger, type DType } from '../tensor/dtype';
import { numberDType, promoteOperands, type Operand } from '../tensor/promotion';
import { Tensor } from '../tensor/tensor';
import { mapBinary, scalarTensor } from './define';
import { mapTernary } from './binary-math';
import { tracedWhole } from './trace';

/** A bound as clamp takes it: a number, a Tensor, or absent. */
export type Bound = number | Tensor | null | undefined;

const present = (b: Bound): b is number | Tensor => b !== null && b !== undefined;

/** The dtype clamp computes in: PyTorch's promotion of x and the bounds given (a number counts as int32 or float32). */
export function clampDType(x: Tensor, min: Bound, max: Bound): DType {
  const operands: Operand[] = [x, min, max]
    .filter(present)
    .map((b) =>
      b instanceof Tensor
        ? { dtype: b.dtype, kind: b.ndim === 0 ? 'scalar' : 'tensor' }
        : { dtype: numberDType(b), kind: 'number', plain: true },
    );
  return promoteOperands(operands);
}

/** A number bound as a 0-d tensor of `dtype`, refused when it does not fit the dtype. */
function numberBound(which: string, v: number, dtype: DType): Tensor {
  if (isInteger(dtype)) {
    const [lo, hi] = integerRange[dtype];
    // NOTE: PyTorch refuses a bound past a signed dtype's range, but wraps a
    // negative one into uint8's (clamp(u8, -1) is all 255); both are refused here.
    if (v < lo || v > hi) {
      throw new ArgumentError('clamp', `${which} ${v} is outside the range of ${dtype} [${lo}, ${hi}]`);
    }
  }
  return scalarTensor(v, dtype);
}

/**
 * clamp(x, min, max) in the integer `dtype` (clampDType's answer for
 * integer and bool operands): exact, broadcasting tensor bounds, and where
 * min > max the result is max, as PyTorch. No gradient (an integer result).
 */
export function integerClamp(x: Tensor, min: Bound, max: Bound, dtype: DType): Tensor {
  // NOTE: PyTorch refuses a clamp without bounds; chainrule copies, as it does for floats.
  if (!present(min) && !present(max)) return x.clone();
  if (dtype === 'bool') {
    throw new DTypeError(
      'clamp',
      "a bool tensor with bool bounds is not accepted (PyTorch has no bool clamp); convert them with .to('int32')",
    );
  }
  const lo = present(min) ? (min instanceof Tensor ? min : numberBound('min', min, dtype)) : null;
  const hi = present(max) ? (max instanceof Tensor ? max : numberBound('max', max, dtype)) : null;
  // Traced whole, saying which bounds it has: the inputs alone cannot tell a lone min from a lone max.
  if (lo !== null && hi !== null) {
    return tracedWhole('clamp', [x, lo, hi], { bounds: 'both' }, () =>
      mapTernary('clamp', [x, lo, hi], KM.clampBoth, dtype),
    );
  }
  if (lo !== null)
    return tracedWhole('clamp', [x, lo], { bounds: 'min' }, () => mapBinary('clamp', x, lo, KM.clampMin, dtype));
  const top = hi as Tensor;
  return tracedWhole('clamp', [x, top], { bounds: 'max' }, () => mapBinary('clamp', x, top, KM.clampMax, dtype));
}
