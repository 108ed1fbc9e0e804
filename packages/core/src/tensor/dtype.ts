/**
 * Data types. Floating tensors carry gradients. The integer dtypes (`uint8`
 * for image bytes, `int8`, `int16`, `int32` for indices, labels and counts)
 * compute exactly and wrap on overflow, as PyTorch's; `bool` holds masks
 * (comparison results, `where` conditions). Each is stored in its own typed
 * array.
 */
import { pooledFrom, takeRecycled } from './pool';
import { DTypeError, ShapeError, safeJson } from '../errors';

/** The element types a Tensor can hold. */
export type DType = 'float32' | 'float64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** The floating dtypes, the only ones that carry gradients. */
export type FloatDType = 'float32' | 'float64';

/** The integer dtypes: exact arithmetic, wrapping on overflow. */
export type IntDType = 'int32' | 'int16' | 'int8' | 'uint8';

/** The typed array behind each dtype. */
export interface ArrayOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  int16: Int16Array;
  int8: Int8Array;
  uint8: Uint8Array;
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
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
} as const;

/** Every dtype, in the order of PyTorch's promotion lattice (bool, then the integers, then the floats). */
export const dtypes: readonly DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

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
  return typeof x === 'string' && (dtypes as readonly string[]).includes(x);
}

/** The smallest and largest value of each integer dtype. */
export const integerRange: Record<IntDType, readonly [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int16: [-(2 ** 15), 2 ** 15 - 1],
  int8: [-128, 127],
  uint8: [0, 255],
};

/** True for the integer dtypes (not bool). */
export function isInteger(dtype: DType): dtype is IntDType {
  return dtype === 'int32' || dtype === 'int16' || dtype === 'int8' || dtype === 'uint8';
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * The dtype a typed array stores, or undefined for arrays we do not take.
 * NOTE: a Uint8Array (or a Uint8ClampedArray, as canvas image data) holds
 * bytes, so it makes a `uint8` tensor; a mask from one takes
 * `{ dtype: 'bool' }`.
 */
export function dtypeOfArray(array: unknown): DType | undefined {
  if (array instanceof Float32Array) return 'float32';
  if (array instanceof Float64Array) return 'float64';
  if (array instanceof Int32Array) return 'int32';
  if (array instanceof Int16Array) return 'int16';
  if (array instanceof Int8Array) return 'int8';
  if (array instanceof Uint8Array || array instanceof Uint8ClampedArray) return 'uint8';
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
    throw new DTypeError(
      op,
      `unknown dtype ${safeJson(dtype)}; expected one of ${dtypes.map((d) => `'${d}'`).join(', ')}`,
    );
  }
  return dtype;
}
