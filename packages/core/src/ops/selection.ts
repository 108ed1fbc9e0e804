/**
 * What the sorting and cumulative ops share: their options, a tensor seen
 * as lines along one axis, and the op that returns input elements picked by
 * their index along that axis (sort's values, topk's, cummax's...), whose
 * gradient goes back to the picked positions (PyTorch's
 * value_selecting_reduction_backward and cummaxmin_backward). The picking
 * is done by the caller's kernel; the op only reads the values and scatters
 * the gradient.
 */
import { take } from '../kernels/gather';
import { ArgumentError } from '../errors';
import { describeValue } from '../internal/describe';
import { checkOptionKeys } from '../internal/options';
import type { Lines } from '../kernels/sort';
import { normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { allocate } from '../tensor/dtype';
import { apply, asTensor, emptyLike, type OpDef, type Unary } from './define';
import { putFlat } from './index-ops';
import { contiguous } from './shape';

/** `op`'s options object (undefined for none), checked for unknown keys. */
export function optionsOf(op: string, options: unknown, accepted: readonly string[]): object {
  if (options === undefined) return {};
  checkOptionKeys(op, options, accepted);
  return options as object;
}

/** A boolean option of `op`, `fallback` when absent. */
export function flag(op: string, options: object, key: string, fallback: boolean): boolean {
  const v = (options as Record<string, unknown>)[key];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') {
    throw new ArgumentError(op, `option '${key}' must be true or false, got ${describeValue(v)}`);
  }
  return v;
}

/** A tensor ready for a line kernel: contiguous, its axis, and its lines. */
export interface AlongAxis {
  /** The input, contiguous (a differentiable copy of a strided view; the same tensor otherwise). */
  x: Tensor;
  axis: number;
  lines: Lines;
}

/** The lines of `shape` along `axis`; a 0-d tensor is one line of one element, as PyTorch sees it. */
export function linesOf(shape: Shape, axis: number): Lines {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i] as number;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i] as number;
  return { outer, n: shape.length === 0 ? 1 : (shape[axis] as number), inner };
}

/**
 * Checks `x` and `axis` for `op`, runs the op's own checks (`validate`, given
 * the tensor, the axis and the line length), and only then lays x out for a
 * line kernel, so a refused call copies nothing.
 */
export function alongAxis(
  op: string,
  x: unknown,
  axis: unknown,
  validate?: (t: Tensor, axis: number, n: number) => void,
): AlongAxis {
  const t = asTensor(op, x);
  const a = normalizeAxis(op, axis, t.ndim);
  const lines = linesOf(t._shape, a);
  validate?.(t, a, lines.n);
  return { x: t.isContiguous ? t : contiguous(t), axis: a, lines };
}

/** Row-major positions in the input of picks made along the axis: `along` holds m picks per line. */
export function flatPositions(along: Int32Array, lines: Lines, m: number, shape: Shape): Tensor {
  const { outer, n, inner } = lines;
  const flat = allocate('int32', along.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const row = (o * m + j) * inner;
      for (let q = 0; q < inner; q++) flat[row + q] = (o * n + (along[row + q] as number)) * inner + q;
    }
  }
  return Tensor.fromData(flat, shape, 'int32');
}

/** The params of a selection: row-major positions in the (contiguous) input, shaped like the output. */
export type Picks = Tensor;

/** The OpDef of a selection. */
export type SelectionDef = OpDef<Unary, Picks>;

/**
 * An op named `name` that returns the input's elements at given positions.
 * NOTE: the gradient goes to the position picked: among tied values, to the
 * one whose index the op returned, as in PyTorch; picks of the same position
 * (cummax's running maximum) add up.
 */
export function selectionOp(name: string): SelectionDef {
  return {
    name,
    forward([x], picks) {
      const out = emptyLike(picks._shape, x.dtype);
      take(x.storage.data, x.offset, picks.storage.data as Int32Array, out.storage.data);
      return out;
    },
    backward: (g, { params: picks, inputShapes: [shape] }) => [putFlat(g, picks, shape as Shape)],
  };
}

/** The values of x (contiguous) at `picks`, differentiable. */
export function select(def: SelectionDef, x: Tensor, picks: Picks): Tensor {
  return apply(def, [x], picks);
}
