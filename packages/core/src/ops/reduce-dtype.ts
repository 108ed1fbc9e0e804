/**
 * The dtype of sums and products, and PyTorch's `dtype=` option of sum,
 * nansum, prod, mean, cumsum and cumprod.
 *
 * Integer and bool inputs sum and multiply in int32 (exact, wrapping modulo
 * 2^32). NOTE: PyTorch widens them to int64; chainrule has no int64, so a
 * result past ±2^31 differs from PyTorch's by a multiple of 2^32 (pass
 * `{ dtype: 'float64' }` for a sum exact to 2^53).
 */
import { ArgumentError, DTypeError } from '../errors';
import { optionsObject, type OptionKeys } from '../internal/options';
import { allocate, checkDType, isFloat, type DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { to } from './cast';
import type { AxisArg } from './reduce';

/** Options of sum, nansum, prod, mean, cumsum and cumprod. */
export interface ReduceOptions {
  /**
   * The dtype to compute in and return. The input is converted to it first,
   * as PyTorch's `dtype=` does: `sum(x, { dtype: 'float64' })` sums a
   * float32 or int32 tensor in float64.
   */
  dtype?: DType;
}

const reduceOptionKeys = { dtype: true } as const satisfies OptionKeys<ReduceOptions>;

/** The `dtype` option, checked; undefined when absent. */
export function requestedDType(op: string, options: ReduceOptions | undefined): DType | undefined {
  const { dtype } = optionsObject(op, options, reduceOptionKeys);
  return dtype === undefined ? undefined : checkDType(op, dtype);
}

/** A plain `{ ... }` object (not an array, a Tensor or another class's instance). */
function isPlainObject(x: unknown): x is object {
  if (x === null || typeof x !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * A reduction's `(axis, keepDims, options)` arguments, where the options may
 * also stand in place of the axis, as PyTorch's `sum(x, dtype=...)`:
 * `sum(x, { dtype })` is `sum(x, undefined, undefined, { dtype })`.
 */
export function reduceArguments(
  op: string,
  axis: AxisArg | ReduceOptions,
  keepDims: boolean | undefined,
  options: ReduceOptions | undefined,
): { axis: AxisArg; keepDims: boolean | undefined; dtype: DType | undefined } {
  if (isPlainObject(axis)) {
    if (keepDims !== undefined || options !== undefined) {
      throw new ArgumentError(
        op,
        'options in place of the axis must be the last argument (write (axis, keepDims, options) to give them all)',
      );
    }
    return { axis: undefined, keepDims: undefined, dtype: requestedDType(op, axis as ReduceOptions) };
  }
  return { axis: axis as AxisArg, keepDims, dtype: requestedDType(op, options) };
}

/** `t` converted to the requested dtype (a differentiable cast between floats), or `t` when none is. */
export function convertedTo(t: Tensor, dtype: DType | undefined): Tensor {
  return dtype === undefined || dtype === t.dtype ? t : to(t, dtype);
}

/** The dtype a sum or product of `t` (already converted to any requested dtype) returns. */
export function sumDType(t: Tensor, requested: DType | undefined): DType {
  return requested ?? (isFloat(t.dtype) ? t.dtype : 'int32');
}

/**
 * The int32 sums or products in `acc` as a tensor of the integer or bool
 * `dtype`: narrower integers wrap again (exactly what summing in them would
 * give, as 2^8 and 2^16 divide 2^32), bool is true where the result is
 * non-zero (a sum of bools is their OR, a product their AND).
 */
export function integerResult(acc: Int32Array, shape: Shape, dtype: DType): Tensor {
  if (dtype === 'int32') return Tensor.fromData(acc, shape, 'int32');
  const out = allocate(dtype, acc.length);
  if (dtype === 'bool') for (let i = 0; i < acc.length; i++) out[i] = acc[i] === 0 ? 0 : 1;
  else out.set(acc);
  return Tensor.fromData(out, shape, dtype);
}

/**
 * Refuses an integer or bool input of `op`, which PyTorch computes only in
 * floats (mean, var, std, norm...), naming what to write instead.
 */
export function checkFloatInput(op: string, t: Tensor, hint: string): void {
  if (!isFloat(t.dtype)) {
    throw new DTypeError(op, `input dtype ${t.dtype} is not a float dtype (float32 or float64); ${hint}`);
  }
}
