/**
 * The argument checks that the convolution, pooling and resampling layers
 * share: sizes given once or once per spatial dimension, the parameter
 * dtype, and the input's layout ([N, C, ...spatial] or unbatched
 * [C, ...spatial]). Layers check in their constructor what PyTorch checks
 * only when the layer first runs, so a mistake is reported where it is made.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, type FloatDType, type SizeArg } from '@chainrule/core';
import { describeValue, formatShape } from '@chainrule/core/internal';

/** A size list in messages and `extraRepr`: `(5 x 5)`. */
export const formatSizes = (sizes: readonly number[]): string => `(${sizes.join(' x ')})`;

/** A size as given, for `extraRepr`: `2` or `[2, 3]`. */
export const showSize = (size: number | readonly number[]): string =>
  typeof size === 'number' ? String(size) : `[${size.join(', ')}]`;

/**
 * `value` as `dims` integers of at least `min`: a number stands for every
 * dimension, and so does a list of one (as PyTorch's `_pair` expands it).
 */
export function sizesOf(op: string, name: string, value: unknown, dims: number, min: number): number[] {
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  const fits =
    list !== null &&
    (list.length === 1 || list.length === dims) &&
    list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 2 ** 31 - 1);
  if (!fits) {
    const kind = min === 1 ? 'positive' : 'non-negative';
    throw new ArgumentError(
      op,
      `${name} must be a ${kind} integer or a list of ${dims} of them (one per spatial dimension), got ${describeValue(value)}`,
    );
  }
  const ints = list as number[];
  return ints.length === dims ? ints.slice() : new Array<number>(dims).fill(ints[0] as number);
}

/** A size option kept as given (a number or a copied list) after checking it with {@link sizesOf}. */
export function sizeAsGiven(op: string, name: string, value: unknown, dims: number, min: number): SizeArg {
  sizesOf(op, name, value, dims, min);
  return typeof value === 'number' ? value : (value as number[]).slice();
}

/** A positive integer argument such as inChannels. */
export function positiveInteger(op: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1)
    throw new ArgumentError(op, `${name} must be a positive integer, got ${describeValue(value)}`);
  return value;
}

/** The dtype of a layer's parameters (default float32). */
export function parameterDType(op: string, dtype: unknown): FloatDType {
  const d = dtype === undefined ? 'float32' : dtype;
  if (d !== 'float32' && d !== 'float64')
    throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(dtype)}`);
  return d;
}

const layouts = ['', 'L', 'H, W', 'D, H, W'];

/**
 * Checks that `x` is a Tensor of rank dims + 2 ([N, C, ...spatial]) or
 * dims + 1 (unbatched [C, ...spatial]); returns whether it is batched.
 */
export function windowInput(op: string, x: unknown, dims: number): { x: Tensor; batched: boolean } {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
    throw new ShapeError(
      op,
      `expected a ${dims + 2}-D input [N, C, ${layouts[dims]}] or a ${dims + 1}-D unbatched one [C, ${layouts[dims]}], got shape ${formatShape(x.shape)}`,
    );
  }
  return { x, batched: x.ndim === dims + 2 };
}

/** Throws unless the input's channel axis holds `expected` channels. */
export function checkChannels(op: string, x: Tensor, batched: boolean, expected: number): void {
  const channels = x.shape[batched ? 1 : 0] as number;
  if (channels !== expected) {
    throw new ShapeError(
      op,
      `input has ${channels} channels, this layer expects ${expected} (inChannels); the input's shape is ${formatShape(x.shape)}, channels ${batched ? 'second' : 'first'}`,
    );
  }
}

/** The input's spatial sizes, refusing empty ones (as PyTorch's convolutions and pools do). */
export function spatialSizes(op: string, x: Tensor, dims: number): number[] {
  const sizes = x.shape.slice(x.ndim - dims);
  if (sizes.some((n) => n === 0))
    throw new ShapeError(op, `the input's spatial dimensions must be non-empty, got shape ${formatShape(x.shape)}`);
  return sizes;
}
