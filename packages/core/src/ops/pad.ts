/**
 * Padding with PyTorch's semantics (torch.nn.functional.pad): `pads` lists
 * (before, after) pairs from the last dimension backwards, negative values
 * crop. Constant padding is one op whose gradient is the same op with the
 * pads negated and zeros (cropping is padding's transpose, and the other way
 * round), so any order works. Reflect, replicate and circular padding read
 * every output element from one input element: an index map and takeFlat, so
 * their gradients add back into the elements that were read (putFlat).
 */
import { copyStrided } from '../kernels/strided';
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { allocate } from '../tensor/dtype';
import { checkSize, contiguousStrides, formatShape, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, describeOperand, emptyLike, type OpDef, type Unary } from './define';
import { takeFlat } from './index-ops';
import { windowOptions } from './window-args';

/** Zeros (or `value`) added before and after each dimension; negative amounts crop. */
export interface ConstantPadding {
  before: readonly number[];
  after: readonly number[];
  value: number;
}

const padDef: OpDef<Unary, ConstantPadding> = {
  name: 'pad',
  forward([x], { before, after, value }) {
    const shape = x._shape.map((n, i) => n + (before[i] as number) + (after[i] as number));
    const out = emptyLike(shape, x.dtype);
    if (value !== 0) out.storage.data.fill(x.dtype === 'bool' ? Number(value !== 0) : value);
    // The kept part of x: what the crops leave, placed after the padding.
    const kept = x._shape.map((n, i) => n - Math.max(-(before[i] as number), 0) - Math.max(-(after[i] as number), 0));
    if (kept.some((n) => n <= 0)) return out;
    let from = x.offset;
    let to = 0;
    x._shape.forEach((_, i) => {
      from += Math.max(-(before[i] as number), 0) * (x._strides[i] as number);
      to += Math.max(before[i] as number, 0) * (out._strides[i] as number);
    });
    copyStrided(x.storage.data, from, x._strides, out.storage.data, to, out._strides, kept);
    return out;
  },
  // Padding's transpose crops what it added and pads (with zeros) what it cropped.
  backward: (g, { params: { before, after } }) => [
    apply(padDef, [g], { before: before.map((p) => -p), after: after.map((p) => -p), value: 0 }),
  ],
};

/** The padding rows of the convolution family's table. */
export const padOps = { pad: padDef };

/** How {@link pad} fills the border. */
export type PadMode = 'constant' | 'reflect' | 'replicate' | 'circular';

/** Options of {@link pad}: PyTorch's keyword arguments. */
export interface PadOptions {
  /** 'constant' (default) fills with `value`; 'reflect' mirrors without repeating the edge, 'replicate' repeats the edge, 'circular' wraps around. */
  mode?: PadMode;
  /** The fill of 'constant' padding (default 0). */
  value?: number;
}

const padKeys = ['mode', 'value'] as const;
const modes: readonly string[] = ['constant', 'reflect', 'replicate', 'circular'];

/** For one dimension of size n padded by (p, q): the input index each output index reads. */
function indexMap(mode: PadMode, n: number, p: number, q: number): Int32Array {
  const out = new Int32Array(n + p + q);
  // NOTE: reflect and replicate count from the original input (PyTorch's kernels); circular wraps the part
  // the crops keep (PyTorch's _pad_circular copies from the cropped core).
  const start = Math.max(-p, 0);
  const core = n - start - Math.max(-q, 0);
  for (let j = 0; j < out.length; j++) {
    const i = j - p;
    if (mode === 'reflect') out[j] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    else if (mode === 'replicate') out[j] = Math.min(Math.max(i, 0), n - 1);
    else out[j] = start + ((((j - Math.max(p, 0)) % core) + core) % core);
  }
  return out;
}

/** Positions in x (contiguous) read by each output element, given one index map per dimension. */
function gatherIndex(shape: Shape, maps: readonly Int32Array[]): Tensor {
  const outShape = maps.map((m) => m.length);
  const strides = contiguousStrides(shape);
  const size = outShape.reduce((a, b) => a * b, 1);
  const flat = allocate('int32', size);
  const at = new Array<number>(outShape.length).fill(0);
  for (let o = 0; o < size; o++) {
    let position = 0;
    for (let d = 0; d < at.length; d++)
      position += ((maps[d] as Int32Array)[at[d] as number] as number) * (strides[d] as number);
    flat[o] = position;
    for (let d = at.length - 1; d >= 0; d--) {
      if (((at[d] as number) += 1) < (outShape[d] as number)) break;
      at[d] = 0;
    }
  }
  return Tensor.fromData(flat, outShape, 'int32');
}

/** Checks the pads list and turns it into (before, after) per dimension of x. */
function padsOf(x: Tensor, pads: unknown): { before: number[]; after: number[]; dims: number } {
  if (
    !Array.isArray(pads) ||
    pads.some((p) => typeof p !== 'number' || !Number.isInteger(p) || Math.abs(p) > 2 ** 31 - 1)
  ) {
    throw new ArgumentError(
      'pad',
      `pads must be a list of integers (last dimension first), got ${describeValue(pads)}`,
    );
  }
  if (pads.length % 2 !== 0) {
    throw new ArgumentError(
      'pad',
      `pads must hold (before, after) pairs, an even number of integers, got ${pads.length}`,
    );
  }
  const dims = pads.length / 2;
  if (dims > x.ndim) {
    throw new ShapeError(
      'pad',
      `${pads.length} pads cover ${dims} dimensions, but the input ${formatShape(x._shape)} has ${x.ndim}`,
    );
  }
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let k = 0; k < dims; k++) {
    before[x.ndim - 1 - k] = pads[2 * k] as number;
    after[x.ndim - 1 - k] = pads[2 * k + 1] as number;
  }
  return { before, after, dims };
}

/** The checks of reflect, replicate and circular padding (PyTorch's ranks and bounds). */
function checkBorderModes(x: Tensor, mode: PadMode, before: number[], after: number[], dims: number): void {
  const ranks = mode === 'circular' ? [dims + 2] : [dims + 1, dims + 2];
  if (dims < 1 || dims > 3 || !ranks.includes(x.ndim)) {
    throw new ShapeError(
      'pad',
      `'${mode}' padding of the last ${dims} dimensions takes a ${ranks.map((r) => `${r}-D`).join(' or ')} input (1 to 3 padded dimensions after N${mode === 'circular' ? ' and C' : ' (optional) and C'}), got shape ${formatShape(x._shape)}`,
    );
  }
  const padded = x._shape.map((_, i) => i >= x.ndim - dims);
  x._shape.forEach((n, i) => {
    if ((i > 0 || x.ndim === dims + 1) && n === 0) {
      throw new ShapeError(
        'pad',
        `'${mode}' padding needs non-empty dimensions after N, got shape ${formatShape(x._shape)}`,
      );
    }
    if (!padded[i]) return;
    const p = before[i] as number;
    const q = after[i] as number;
    const core = n - Math.max(-p, 0) - Math.max(-q, 0);
    // NOTE: PyTorch's bounds: reflect pads stay below the size (the edge is not repeated), circular ones
    // wrap at most once (and here within the part the crops keep, where PyTorch would read garbage).
    const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? Math.min(n, core) : Number.POSITIVE_INFINITY;
    if (p > limit || q > limit || core < 0) {
      throw new ArgumentError(
        'pad',
        `'${mode}' pads (${p}, ${q}) do not fit dimension ${i} of size ${n} (${mode === 'reflect' ? 'each pad must be smaller than the size' : mode === 'circular' ? 'each pad can wrap around at most once' : 'crops must leave elements'})`,
      );
    }
  });
}

/**
 * Pads (or, with negative amounts, crops) a tensor, as PyTorch's
 * `torch.nn.functional.pad`. `pads` lists (before, after) pairs starting
 * with the last dimension: `[left, right]` pads the last one,
 * `[left, right, top, bottom]` the last two. Modes: 'constant' (any
 * dimensions, filled with `value`), and for the last 1-3 dimensions of a
 * batched or unbatched input 'reflect' (mirrored without repeating the
 * edge), 'replicate' (the edge repeated) and 'circular' (wrapped around;
 * batched inputs only, as in PyTorch 1.13).
 *
 * @example
 * const x = tensor([[[1, 2, 3, 4]]]);
 * pad(x, [2, 1]).toArray();                        // [[[0, 0, 1, 2, 3, 4, 0]]]
 * pad(x, [2, 1], { mode: 'reflect' }).toArray();   // [[[3, 2, 1, 2, 3, 4, 3]]]
 * pad(x, [-1, 2], { mode: 'replicate' }).toArray(); // [[[2, 3, 4, 4, 4]]]: cropped on the left
 */
export function pad(input: Tensor, pads: readonly number[], options?: PadOptions): Tensor {
  if (!(input instanceof Tensor)) {
    throw new ArgumentError('pad', `the input must be a Tensor, got ${describeOperand(input)}`);
  }
  const o = windowOptions('pad', options, padKeys);
  const mode = o.mode ?? 'constant';
  if (typeof mode !== 'string' || !modes.includes(mode)) {
    throw new ArgumentError(
      'pad',
      `mode must be one of ${modes.map((m) => `'${m}'`).join(', ')}, got ${describeValue(o.mode)}`,
    );
  }
  if (o.value !== undefined && typeof o.value !== 'number') {
    throw new ArgumentError('pad', `value must be a number, got ${describeValue(o.value)}`);
  }
  if (mode !== 'constant' && o.value !== undefined && o.value !== 0) {
    throw new ArgumentError('pad', `'${mode}' padding takes no value (only 'constant' fills with one), got ${o.value}`);
  }
  const { before, after, dims } = padsOf(input, pads);
  const shape = input._shape.map((n, i) => n + (before[i] as number) + (after[i] as number));
  if (mode === 'constant') {
    if (shape.some((n) => n < 0)) {
      throw new ShapeError(
        'pad',
        `pads ${describeValue(pads)} crop more than the input ${formatShape(input._shape)} has (the result would be ${formatShape(shape)})`,
      );
    }
    checkSize('pad', shape);
    return apply(padDef, [input], { before, after, value: o.value ?? 0 });
  }
  checkBorderModes(input, mode as PadMode, before, after, dims);
  checkSize('pad', shape);
  const maps = input._shape.map((n, i) =>
    i < input.ndim - dims
      ? Int32Array.from({ length: n }, (_, j) => j)
      : indexMap(mode as PadMode, n, before[i] as number, after[i] as number),
  );
  return takeFlat(input, gatherIndex(input._shape, maps));
}
