/**
 * Data types. Floating tensors carry gradients; `int32` holds indices (class
 * labels, argmax results, gather indices) and `bool` holds masks (comparison
 * results, `where` conditions).
 */
import { pooledFrom, takeRecycled } from './pool';
import { DTypeError, ShapeError, safeJson } from '../errors';

/** The element types a Tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The floating dtypes, the only ones that carry gradients. */
export type FloatDType = 'float32' | 'float64';

/** The typed array behind each dtype. */
export interface ArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any array a Tensor can be stored in. */
export type DataArray = ArrayOf[DType];

/** The arrays of floating tensors: what arithmetic kernels read and write. */
export type FloatArray = ArrayOf[FloatDType];

const constructors = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  bool: Uint8Array,
} as const;

/** The default dtype of new tensors, as in PyTorch. */
export const defaultDType: FloatDType = 'float32';

/**
 * A zero-filled array of `size` elements of `dtype`. Shapes are checked to
 * hold at most 2**31 - 1 elements before this is called; what is left is the
 * machine running out of memory, which is refused as a ShapeError naming `op`
 * instead of a raw RangeError.
 */
export function allocate<D extends DType>(dtype: D, size: number, op = 'allocate'): ArrayOf[D] {
  const type = constructors[dtype];
  const reused = size >= pooledFrom ? takeRecycled(type.name, size) : undefined;
  if (reused !== undefined) return reused as ArrayOf[D];
  try {
    return new type(size) as ArrayOf[D];
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ShapeError(
      op,
      `cannot allocate ${size} ${dtype} elements (${size * type.BYTES_PER_ELEMENT} bytes): ${e.message}`,
    );
  }
}

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'float64' || x === 'int32' || x === 'bool';
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/** The dtype a typed array stores, or undefined for arrays we do not take. */
export function dtypeOfArray(array: unknown): DType | undefined {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Uint8Array) return 'bool';
  return undefined;
}

/**
 * The dtype arithmetic computes in. NOTE: the promotion rule is deliberately
 * small: float64 wins over float32; integer and boolean operands are computed
 * in float32 (chainrule's arithmetic is floating point; int32 and bool exist
 * for indices and masks). Plain numbers take the other operand's dtype.
 */
export function resultFloatDType(a: DType, b: DType): FloatDType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** Throws unless `dtype` is one of the names chainrule knows. */
export function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) {
    throw new DTypeError(op, `unknown dtype ${safeJson(dtype)}; expected 'float32', 'float64', 'int32' or 'bool'`);
  }
  return dtype;
}
