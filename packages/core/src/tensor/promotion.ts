/**
 * Type promotion, as PyTorch's: which dtype an op on tensors (and plain
 * numbers) of different dtypes computes in.
 *
 * Two dtypes promote along the lattice bool < uint8, int8 < int16 < int32 <
 * float32 < float64, with uint8 and int8 meeting at int16 (neither holds the
 * other's range). Which operands take part depends on their kind, again as
 * PyTorch: tensors with dimensions decide first; a 0-d tensor, and then a
 * plain number, changes the result only when it is of a higher category
 * (bool < integer < floating point) than the tensors before it. So
 * `int32 + 2` stays int32, `int32 + 2.5` becomes float32, `float32 + 2.5`
 * stays float32, and a float32 tensor times a float64 0-d tensor is float32.
 */
import type { DType } from './dtype';

const level: Record<DType, number> = { bool: 0, uint8: 1, int8: 1, int16: 2, int32: 3, float32: 4, float64: 5 };

/** 0 for bool, 1 for the integers, 2 for the floats. */
function category(d: DType): number {
  return d === 'bool' ? 0 : d === 'float32' || d === 'float64' ? 2 : 1;
}

/**
 * The smallest dtype both `a` and `b` convert to without losing their kind,
 * as torch.promote_types.
 *
 * @example
 * promoteTypes('uint8', 'int8'); // 'int16'
 * promoteTypes('int32', 'float32'); // 'float32'
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if ((a === 'uint8' && b === 'int8') || (a === 'int8' && b === 'uint8')) return 'int16';
  return level[a] >= level[b] ? a : b;
}

/** The dtype a plain JavaScript number stands for: int32 when it is an integer, float32 otherwise (NaN and ±Infinity included). */
export function numberDType(x: number): DType {
  return Number.isInteger(x) ? 'int32' : 'float32';
}

/** PyTorch's rule for mixing a higher-priority result with a lower-priority one. */
function combine(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (category(higher) === 2) return higher;
  if (higher === 'bool' || category(lower) === 2) return promoteTypes(higher, lower);
  return higher;
}

/** One operand of an op as promotion sees it. */
export interface Operand {
  readonly dtype: DType;
  /** 'number' for a plain number, 'scalar' for a 0-d tensor, 'tensor' for one with dimensions. */
  readonly kind: 'tensor' | 'scalar' | 'number';
  /**
   * True for a JavaScript number itself; false (or absent) for a number an
   * earlier op wrapped into a 0-d tensor, whose dtype is then real (a
   * backward rule computing with it keeps float64).
   */
  readonly plain?: boolean;
}

/**
 * The dtype an op computes in for these operands. Plain JavaScript numbers
 * alone make float32 (as `tensor(2)` is float32); numbers wrapped by an
 * earlier op keep their dtype and rank just above plain ones.
 */
export function promoteOperands(operands: readonly Operand[]): DType {
  const groups: Record<'tensor' | 'scalar' | 'wrapped' | 'plain', DType | undefined> = {
    tensor: undefined,
    scalar: undefined,
    wrapped: undefined,
    plain: undefined,
  };
  for (const { dtype, kind, plain } of operands) {
    const group = kind !== 'number' ? kind : plain === true ? 'plain' : 'wrapped';
    const soFar = groups[group];
    groups[group] = soFar === undefined ? dtype : promoteTypes(soFar, dtype);
  }
  if (groups.tensor === undefined && groups.scalar === undefined && groups.wrapped === undefined) return 'float32';
  return combine(groups.tensor, combine(groups.scalar, combine(groups.wrapped, groups.plain))) as DType;
}
