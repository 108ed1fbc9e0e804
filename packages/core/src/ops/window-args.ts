/**
 * The argument checks that convolution, pooling and unfold share: sizes given
 * as one number or one per spatial dimension, the input's layout (batched
 * N·C·spatial or unbatched C·spatial), options objects. Every check runs
 * before anything is allocated, and every message starts with the op's name.
 */
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { checkOptionKeys } from '../internal/options';
import { isFloat } from '../tensor/dtype';
import { formatShape, sizeOf } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describeOperand } from './define';
import { to } from './cast';

/** A size given once for every spatial dimension, or once per dimension (`[kH, kW]`). */
export type SizeArg = number | readonly number[];

const layouts = ['', 'L', 'H, W', 'D, H, W'];

/** `[N, C, H, W]` for two spatial dimensions. */
export function layoutOf(dims: number): string {
  return `[N, C, ${layouts[dims]}]`;
}

/**
 * `value` as `dims` integers of at least `min`. A number stands for every
 * dimension, and so does a list of one (as PyTorch expands it).
 */
export function perDim(op: string, name: string, value: unknown, dims: number, min: number): number[] {
  const list = typeof value === 'number' ? [value] : Array.isArray(value) ? (value as unknown[]) : null;
  const fits =
    list !== null &&
    (list.length === 1 || list.length === dims) &&
    list.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 2 ** 31 - 1);
  if (!fits) {
    const kind = min === 1 ? 'positive' : min === 0 ? 'non-negative' : `≥ ${min}`;
    throw new ArgumentError(
      op,
      `${name} must be a ${kind} integer or a list of ${dims} of them (one per spatial dimension), got ${describeValue(value)}`,
    );
  }
  const ints = list as number[];
  return ints.length === dims ? ints.slice() : new Array<number>(dims).fill(ints[0] as number);
}

/** The options object (undefined gives `{}`), refusing anything else and unknown keys. */
export function windowOptions<T extends object>(op: string, options: T | undefined, accepted: readonly string[]): T {
  if (options === undefined) return {} as T;
  checkOptionKeys(op, options, accepted);
  return options;
}

/** The input, checked and ready for a batched kernel. */
export interface WindowInput {
  /** `[N, C, ...spatial]`, a float tensor (int32 and bool inputs become float32, as in arithmetic). */
  x: Tensor;
  /** False when the caller passed `[C, ...spatial]`: the result loses its N again. */
  batched: boolean;
}

/**
 * Checks that `x` is a Tensor of rank dims + 2 (or dims + 1, unbatched) and
 * gives it a batch axis. `nonEmpty` refuses zero-sized channel or spatial
 * dimensions (unfold and the pools, as PyTorch does); N may always be 0.
 * NOTE: int32 and bool inputs are computed in float32, as chainrule's
 * arithmetic does (PyTorch refuses integer inputs to these ops).
 */
export function windowInput(op: string, x: unknown, dims: number, nonEmpty = false): WindowInput {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeOperand(x)}`);
  if (x.ndim !== dims + 1 && x.ndim !== dims + 2) {
    throw new ShapeError(
      op,
      `expected a ${dims + 2}-D input ${layoutOf(dims)} or a ${dims + 1}-D unbatched one ${layoutOf(dims).replace('N, ', '')}, got shape ${formatShape(x._shape)}`,
    );
  }
  const batched = x.ndim === dims + 2;
  if (nonEmpty && x._shape.slice(batched ? 1 : 0).some((d) => d === 0)) {
    throw new ShapeError(
      op,
      `the input's channel and spatial dimensions must be non-empty, got shape ${formatShape(x._shape)}`,
    );
  }
  const float = isFloat(x.dtype) ? x : to(x, 'float32');
  return { x: batched ? float : float.reshape([1, ...float._shape]), batched };
}

/** A weight or bias argument: a float Tensor. */
export function floatTensor(op: string, x: unknown, what: string): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `${what} must be a Tensor, got ${describeOperand(x)}`);
  if (!isFloat(x.dtype)) {
    throw new DTypeError(op, `${what} must be float32 or float64, got ${x.dtype} (convert it with .to('float32'))`);
  }
  return x;
}

/** The optional bias: undefined or null for none. */
export function optionalBias(op: string, bias: unknown, channels: number): Tensor | null {
  if (bias === undefined || bias === null) return null;
  const b = floatTensor(op, bias, 'the bias');
  if (b.ndim !== 1 || b._shape[0] !== channels) {
    throw new ShapeError(
      op,
      `the bias must have shape [${channels}] (one per output channel), got ${formatShape(b._shape)}`,
    );
  }
  return b;
}

/** `[a x b]`, as the sizes of spatial dimensions are shown in messages. */
export function formatSizes(sizes: readonly number[]): string {
  return `(${sizes.join(' x ')})`;
}

/** The product of the sizes. */
export const productOf = (sizes: readonly number[]): number => sizeOf(sizes);
