/**
 * Pooling with PyTorch's semantics (torch.nn.functional.max_pool1d/2d/3d,
 * avg_pool1d/2d/3d, adaptive_avg_pool1d/2d/3d, adaptive_max_pool1d/2d),
 * channels first. The windows along each dimension are tabulated once per
 * call (kernels/pool.ts runs every kind of pool as the same loop over them).
 *
 * Max pools find each window's maximum and its position in one pass (one op,
 * maxPool); their gradient is putFlat (gradients added at the picked
 * positions) and its gradient takeFlat again: any order works. Average pools
 * are linear: each is one op whose backward is its transpose, whose backward
 * is the pool again.
 */
import { meanPool, meanPoolAdjoint, maxPool, type MeanAxis, type PoolAxis } from '../kernels/pool';
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { booleanOption } from '../internal/options';
import { allocate, type FloatArray } from '../tensor/dtype';
import { checkSize, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, emptyLike, type OpDef, type Unary } from './define';
import { putFlat } from './index-ops';
import { copyOf } from './shape';
import { traced } from './trace';
import { formatSizes, perDim, windowInput, windowOptions, type SizeArg } from './window-args';

const contiguousData = (x: Tensor): Tensor => (x.isContiguous ? x : copyOf(x));

/** The tables of an average pool, and what its transpose needs to allocate. */
export interface MeanWindows {
  axes: readonly MeanAxis[];
  /** The divisor of every window when not 0 (divisorOverride). */
  override: number;
  inSize: readonly number[];
  outSize: readonly number[];
}

/**
 * An average pool as an op: forward averages every window, backward is the
 * transpose (each window's gradient spread over its box), and the transpose's
 * backward is the pool again.
 */
function meanPoolOp(name: string): OpDef<Unary, MeanWindows> {
  const transpose: OpDef<Unary, MeanWindows> = {
    name: `${name}Backward`,
    forward([g], w) {
      const src = contiguousData(g);
      const n = g._shape[0] as number;
      const c = g._shape[1] as number;
      const out = emptyLike([n, c, ...w.inSize], g.dtype);
      meanPoolAdjoint(
        src.storage.data as FloatArray,
        src.offset,
        out.storage.data as FloatArray,
        n * c,
        w.axes,
        w.override,
      );
      return out;
    },
    backward: (gg, { params }) => [apply(pool, [gg], params)],
  };
  const pool: OpDef<Unary, MeanWindows> = {
    name,
    forward([x], w) {
      const src = contiguousData(x);
      const n = x._shape[0] as number;
      const c = x._shape[1] as number;
      const out = emptyLike([n, c, ...w.outSize], x.dtype);
      meanPool(src.storage.data as FloatArray, src.offset, out.storage.data as FloatArray, n * c, w.axes, w.override);
      return out;
    },
    // Pooling is linear: the gradient is the transpose applied to g.
    backward: (g, { params }) => [apply(transpose, [g], params)],
  };
  return pool;
}

/** The average pools' rows of the convolution family's table (the unpools are in unpool.ts). */
export const poolOps = {
  avgPool1d: meanPoolOp('avgPool1d'),
  avgPool2d: meanPoolOp('avgPool2d'),
  avgPool3d: meanPoolOp('avgPool3d'),
  adaptiveAvgPool1d: meanPoolOp('adaptiveAvgPool1d'),
  adaptiveAvgPool2d: meanPoolOp('adaptiveAvgPool2d'),
  adaptiveAvgPool3d: meanPoolOp('adaptiveAvgPool3d'),
};

// ---------------------------------------------------------------- windows

/**
 * The number of windows along a dimension, PyTorch's pooling_output_shape:
 * ⌊(in + 2p − d(k − 1) − 1 (+ s − 1 with ceilMode)) / s⌋ + 1. NOTE: with
 * ceilMode the last window must still start inside the input or the left
 * padding; one that would start in the right padding is dropped, as in
 * PyTorch.
 */
export function poolCount(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  let out = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out--;
  return out;
}

/** A max pool's windows along one dimension, clipped to the input. */
function maxAxis(n: number, out: number, k: number, s: number, p: number, d: number): PoolAxis {
  const first = new Int32Array(out);
  const count = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const lo = start >= 0 ? 0 : Math.ceil(-start / d);
    const hi = n - 1 - start < 0 ? 0 : Math.min(k, Math.floor((n - 1 - start) / d) + 1);
    first[o] = start + lo * d;
    count[o] = Math.max(hi - lo, 0);
  }
  return { inSize: n, first, count, step: d };
}

/**
 * An average pool's boxes along one dimension. NOTE: PyTorch's divisor: the
 * window clipped to the padded input (in + p on the right, so a ceil-mode
 * window reaching past it counts only the padding it covers) with
 * countIncludePad, else the elements of the input inside it.
 */
function meanAxis(n: number, out: number, k: number, s: number, p: number, countIncludePad: boolean): MeanAxis {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const divisor = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, n + p);
    lo[o] = Math.max(start, 0);
    hi[o] = Math.min(end, n);
    divisor[o] = countIncludePad ? end - start : (hi[o] as number) - (lo[o] as number);
  }
  return { inSize: n, lo, hi, divisor };
}

/** ⌊a·c / b⌋ and ⌈(a + 1)·c / b⌉ without forming a·c, as PyTorch computes adaptive windows. */
const adaptiveStart = (a: number, b: number, c: number) => Math.floor(a / b) * c + Math.floor(((a % b) * c) / b);
const adaptiveEnd = (a: number, b: number, c: number) => 1 + Math.floor(((a + 1) * c - 1) / b);

/** Adaptive windows: output o of `out` covers input [⌊o·n/out⌋, ⌈(o + 1)·n/out⌉). */
function adaptiveMeanAxis(n: number, out: number): MeanAxis {
  const lo = new Int32Array(out);
  const hi = new Int32Array(out);
  const divisor = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    lo[o] = adaptiveStart(o, out, n);
    hi[o] = adaptiveEnd(o, out, n);
    divisor[o] = (hi[o] as number) - (lo[o] as number);
  }
  return { inSize: n, lo, hi, divisor };
}

function adaptiveMaxAxis(n: number, out: number): PoolAxis {
  const m = adaptiveMeanAxis(n, out);
  return { inSize: n, first: m.lo, count: m.divisor, step: 1 };
}

// ---------------------------------------------------------------- arguments

/** Kernel, stride, padding and dilation of a pool, checked. */
interface PoolArgs {
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  ceilMode: boolean;
}

function poolArgs(op: string, dims: number, kernelSize: unknown, o: Record<string, unknown>): PoolArgs {
  const kernel = perDim(op, 'kernelSize', kernelSize, dims, 1);
  // NOTE: stride defaults to the kernel size (PyTorch: stride=None or an empty list).
  const noStride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0);
  const stride = noStride ? kernel.slice() : perDim(op, 'stride', o.stride, dims, 1);
  const padding = perDim(op, 'padding', o.padding ?? 0, dims, 0);
  const dilation = perDim(op, 'dilation', o.dilation ?? 1, dims, 1);
  // NOTE: PyTorch bounds the padding by half the kernel (not the dilated kernel), so no window is all padding.
  if (padding.some((p, i) => p > Math.floor((kernel[i] as number) / 2))) {
    throw new ArgumentError(
      op,
      `padding ${formatSizes(padding)} must be at most half the kernel size ${formatSizes(kernel)} in each dimension`,
    );
  }
  return { kernel, stride, padding, dilation, ceilMode: booleanOption(op, 'ceilMode', o.ceilMode, false) };
}

/** The output's spatial size, refusing an empty one. */
function poolOutSize(op: string, inSize: readonly number[], a: PoolArgs): number[] {
  const out = inSize.map((n, i) =>
    poolCount(
      n,
      a.kernel[i] as number,
      a.stride[i] as number,
      a.padding[i] as number,
      a.dilation[i] as number,
      a.ceilMode,
    ),
  );
  if (out.some((n) => n < 1)) {
    throw new ShapeError(
      op,
      `for an input of spatial size ${formatSizes(inSize)}, kernelSize ${formatSizes(a.kernel)}, stride ${formatSizes(a.stride)}, padding ${formatSizes(a.padding)} and dilation ${formatSizes(a.dilation)} the output would be ${formatSizes(out)}; each size must be at least 1 (the dilated kernel must fit in the padded input)`,
    );
  }
  return out;
}

/** The batch axis taken away again from an unbatched call's result. */
const unbatch = (t: Tensor, batched: boolean): Tensor => (batched ? t : t.reshape(t._shape.slice(1)));

// ---------------------------------------------------------------- max pools

/** Options of the max pools: PyTorch's keyword arguments. */
export interface MaxPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg | null;
  /** -Infinity added on both sides of each spatial dimension, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Count windows with ⌈⌉ instead of ⌊⌋, so a partial window at the end is kept (default false). */
  ceilMode?: boolean;
}

const maxPoolKeys = ['stride', 'padding', 'dilation', 'ceilMode'] as const;

/** A max pool's values and, per window, the position of its maximum within its input plane. */
export interface PoolWithIndices {
  values: Tensor;
  /** int32, shaped like `values`: row-major positions in each input plane (PyTorch's numbering). */
  indices: Tensor;
}

/**
 * A max pool's windows, and where its forward writes the position of each
 * window's maximum over the whole input (what the gradient is added at).
 */
interface MaxWindows {
  axes: readonly PoolAxis[];
  outShape: readonly number[];
  flat: Tensor;
}

/**
 * The maxima over windows, values and positions in one pass of the kernel.
 * Its gradient adds g at the maxima's positions (putFlat), whose own
 * gradient reads them again (takeFlat): any order works.
 */
const maxPoolDef: OpDef<Unary, MaxWindows> = {
  name: 'maxPool',
  forward([x], w) {
    const src = contiguousData(x);
    const out = emptyLike(w.outShape, x.dtype);
    const planes = (x._shape[0] as number) * (x._shape[1] as number);
    maxPool(
      src.storage.data as FloatArray,
      src.offset,
      planes,
      w.axes,
      out.storage.data as FloatArray,
      w.flat.storage.data as Int32Array,
    );
    return out;
  },
  backward: (g, { params, inputShapes: [shape] }) => [putFlat(g, params.flat, shape as Shape)],
};

/** A max pool's values, and the positions of the maxima over the whole input `[N, C, ...]` (int32, shaped like the values). */
interface MaxResult {
  values: Tensor;
  flat: Tensor;
}

/** The maxima over windows given by `axes` (still batched). */
function maxOver(op: string, x: Tensor, axes: readonly PoolAxis[], outSize: readonly number[]): MaxResult {
  const n = x._shape[0] as number;
  const c = x._shape[1] as number;
  const shape = [n, c, ...outSize];
  checkSize(op, shape);
  // NOTE: a dilated window can fall entirely into the padding (taps at -1 and 1 of a 1-element row);
  // PyTorch then returns -Infinity and an index outside the plane, which its own unpool and backward
  // misread. chainrule refuses such a window.
  if (axes.some((a) => a.count.some((k) => k === 0))) {
    throw new ShapeError(
      op,
      `with this padding and dilation a window holds no element of the input (input spatial size ${formatSizes(x._shape.slice(2))}); use less padding or dilation`,
    );
  }
  const flat = Tensor.fromData(allocate('int32', sizeOf(shape)), shape, 'int32');
  return { values: apply(maxPoolDef, [x], { axes, outShape: shape, flat }), flat };
}

/** The values and, for the *WithIndices variants, each maximum's position within its plane (PyTorch's numbering). */
function withIndices(r: MaxResult, x: Tensor, batched: boolean): PoolWithIndices {
  const planeSize = sizeOf(x._shape.slice(2));
  const windows = sizeOf(r.flat._shape.slice(2));
  const flat = r.flat.storage.data as Int32Array;
  const inPlane = allocate('int32', flat.length);
  for (let p = 0, i = 0; i < flat.length; p++) {
    const start = p * planeSize;
    for (let end = i + windows; i < end; i++) inPlane[i] = (flat[i] as number) - start;
  }
  const indices = Tensor.fromData(inPlane, r.flat._shape, 'int32');
  return { values: unbatch(r.values, batched), indices: unbatch(indices, batched) };
}

/** A max pool's checked call: the batched input, whether the caller's was, and the result. */
interface MaxPoolCall {
  x: Tensor;
  batched: boolean;
  r: MaxResult;
}

function maxPoolNd(
  op: string,
  dims: number,
  input: unknown,
  kernelSize: unknown,
  options: MaxPoolOptions | undefined,
): MaxPoolCall {
  const o = windowOptions(op, options, maxPoolKeys) as Record<string, unknown>;
  const { x, batched } = windowInput(op, input, dims, true);
  const a = poolArgs(op, dims, kernelSize, o);
  const inSize = x._shape.slice(2);
  const outSize = poolOutSize(op, inSize, a);
  const axes = inSize.map((n, i) =>
    maxAxis(
      n,
      outSize[i] as number,
      a.kernel[i] as number,
      a.stride[i] as number,
      a.padding[i] as number,
      a.dilation[i] as number,
    ),
  );
  return { x, batched, r: maxOver(op, x, axes, outSize) };
}

/** A max pool's values, traced as one op (exporters map it whole). */
function maxPoolValues(
  op: string,
  dims: number,
  input: unknown,
  kernelSize: unknown,
  options?: MaxPoolOptions,
): Tensor {
  const o = windowOptions(op, options, maxPoolKeys) as Record<string, unknown>;
  const { x, batched } = windowInput(op, input, dims, true);
  const a = poolArgs(op, dims, kernelSize, o);
  const params = { ...a, batched, inSize: x._shape.slice(2), outSize: poolOutSize(op, x._shape.slice(2), a) };
  return traced(op, [x], params, () => valuesOf(maxPoolNd(op, dims, input, kernelSize, options)));
}

/** A max pool's values, without the batch axis again when the caller's input had none. */
const valuesOf = (call: MaxPoolCall): Tensor => unbatch(call.r.values, call.batched);

/** A max pool's values and indices (the *WithIndices variants). */
const indexedOf = (call: MaxPoolCall): PoolWithIndices => withIndices(call.r, call.x, call.batched);

/**
 * 1-D max pooling (PyTorch's `torch.nn.functional.max_pool1d`) over an input
 * `[N, C, L]` (or unbatched `[C, L]`). The gradient goes to the element that
 * was the maximum (the first of equal maxima).
 *
 * @example
 * maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), 2).toArray(); // [[[3, 5]]]
 */
export function maxPool1d(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): Tensor {
  return maxPoolValues('maxPool1d', 1, input, kernelSize, options);
}

/**
 * 2-D max pooling (PyTorch's `torch.nn.functional.max_pool2d`) over an input
 * `[N, C, H, W]` (or unbatched `[C, H, W]`); stride defaults to the kernel
 * size. NaN counts as the maximum, as in PyTorch.
 *
 * @example
 * const features = randn([64, 6, 28, 28]);
 * maxPool2d(features, 2).shape; // [64, 6, 14, 14]
 */
export function maxPool2d(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): Tensor {
  return maxPoolValues('maxPool2d', 2, input, kernelSize, options);
}

/**
 * 3-D max pooling (PyTorch's `torch.nn.functional.max_pool3d`) over an input
 * `[N, C, D, H, W]` (or unbatched `[C, D, H, W]`).
 *
 * @example
 * maxPool3d(randn([1, 2, 4, 8, 8]), [1, 2, 2]).shape; // [1, 2, 4, 4, 4]
 */
export function maxPool3d(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): Tensor {
  return maxPoolValues('maxPool3d', 3, input, kernelSize, options);
}

/**
 * {@link maxPool1d} with the position of each maximum in its input row
 * (PyTorch's `return_indices=True`), as int32; maxUnpool1d takes them.
 *
 * @example
 * const { values, indices } = maxPool1dWithIndices(tensor([[[1, 3, 2, 5, 4]]]), 2);
 * indices.toArray(); // [[[1, 3]]]
 */
export function maxPool1dWithIndices(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): PoolWithIndices {
  return indexedOf(maxPoolNd('maxPool1dWithIndices', 1, input, kernelSize, options));
}

/**
 * {@link maxPool2d} with the position of each maximum in its input plane,
 * row-major (h·W + w), as PyTorch numbers them (int32 here).
 *
 * @example
 * const { values, indices } = maxPool2dWithIndices(x, 2);
 * const restored = maxUnpool2d(values, indices, 2); // the maxima back in place, zeros elsewhere
 */
export function maxPool2dWithIndices(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): PoolWithIndices {
  return indexedOf(maxPoolNd('maxPool2dWithIndices', 2, input, kernelSize, options));
}

/**
 * {@link maxPool3d} with the position of each maximum in its input volume,
 * row-major (d·H·W + h·W + w), as int32.
 *
 * @example
 * maxPool3dWithIndices(randn([1, 1, 2, 2, 2]), 2).indices.shape; // [1, 1, 1, 1, 1]
 */
export function maxPool3dWithIndices(input: Tensor, kernelSize: SizeArg, options?: MaxPoolOptions): PoolWithIndices {
  return indexedOf(maxPoolNd('maxPool3dWithIndices', 3, input, kernelSize, options));
}

// ---------------------------------------------------------------- average pools

/** Options of the average pools: PyTorch's keyword arguments. */
export interface AvgPoolOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg | null;
  /** Zeros added on both sides of each spatial dimension, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Count windows with ⌈⌉ instead of ⌊⌋, so a partial window at the end is kept (default false). */
  ceilMode?: boolean;
  /** Whether the padding counts in each window's divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this nonzero integer instead (default: none). */
  divisorOverride?: number | null;
}

const avgPoolKeys = ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'] as const;

function avgPoolNd(op: keyof typeof poolOps, dims: number, input: unknown, kernelSize: unknown, options: unknown) {
  const o = windowOptions(op, options as AvgPoolOptions | undefined, avgPoolKeys) as Record<string, unknown>;
  const { x, batched } = windowInput(op, input, dims, true);
  const a = poolArgs(op, dims, kernelSize, { ...o, dilation: 1 });
  const countIncludePad = booleanOption(op, 'countIncludePad', o.countIncludePad, true);
  const override = o.divisorOverride ?? 0;
  if (
    typeof override !== 'number' ||
    !Number.isInteger(override) ||
    Math.abs(override) > 2 ** 31 - 1 ||
    (o.divisorOverride !== undefined && o.divisorOverride !== null && override === 0)
  ) {
    throw new ArgumentError(
      op,
      `divisorOverride must be a nonzero integer or null, got ${describeValue(o.divisorOverride)}`,
    );
  }
  const inSize = x._shape.slice(2);
  const outSize = poolOutSize(op, inSize, a);
  const axes = inSize.map((n, i) =>
    meanAxis(
      n,
      outSize[i] as number,
      a.kernel[i] as number,
      a.stride[i] as number,
      a.padding[i] as number,
      countIncludePad,
    ),
  );
  checkSize(op, [x._shape[0] as number, x._shape[1] as number, ...outSize]);
  // Traced whole (the row's params hold window tables, not the kernel exporters need).
  const params = { ...a, countIncludePad, divisorOverride: override, inSize, outSize, batched };
  return traced(op, [x], params, () => unbatch(apply(poolOps[op], [x], { axes, override, inSize, outSize }), batched));
}

/**
 * 1-D average pooling (PyTorch's `torch.nn.functional.avg_pool1d`) over an
 * input `[N, C, L]` (or unbatched `[C, L]`). NOTE: PyTorch's avg_pool1d has
 * no divisorOverride; here it is accepted and means what it means for
 * avg_pool2d.
 *
 * @example
 * avgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 2).toArray(); // [[[1.5, 3.5]]]
 */
export function avgPool1d(input: Tensor, kernelSize: SizeArg, options?: AvgPoolOptions): Tensor {
  return avgPoolNd('avgPool1d', 1, input, kernelSize, options);
}

/**
 * 2-D average pooling (PyTorch's `torch.nn.functional.avg_pool2d`) over an
 * input `[N, C, H, W]` (or unbatched `[C, H, W]`); stride defaults to the
 * kernel size, padded zeros count in the divisor unless
 * `countIncludePad: false`.
 *
 * @example
 * avgPool2d(randn([8, 16, 32, 32]), 3, { stride: 2, padding: 1 }).shape; // [8, 16, 16, 16]
 */
export function avgPool2d(input: Tensor, kernelSize: SizeArg, options?: AvgPoolOptions): Tensor {
  return avgPoolNd('avgPool2d', 2, input, kernelSize, options);
}

/**
 * 3-D average pooling (PyTorch's `torch.nn.functional.avg_pool3d`) over an
 * input `[N, C, D, H, W]` (or unbatched `[C, D, H, W]`).
 *
 * @example
 * avgPool3d(randn([1, 2, 4, 4, 4]), 2).shape; // [1, 2, 2, 2, 2]
 */
export function avgPool3d(input: Tensor, kernelSize: SizeArg, options?: AvgPoolOptions): Tensor {
  return avgPoolNd('avgPool3d', 3, input, kernelSize, options);
}

// ---------------------------------------------------------------- adaptive pools

/** An adaptive pool's output size: one number for every dimension, or one per dimension (null keeps the input's). */
export type AdaptiveSize = number | readonly (number | null)[];

function adaptiveSize(op: string, outputSize: unknown, inSize: readonly number[]): number[] {
  const dims = inSize.length;
  const list = Array.isArray(outputSize) ? (outputSize as unknown[]) : [outputSize];
  const fits =
    (list.length === 1 || list.length === dims) &&
    list.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1));
  if (!fits || (list.length === 1 && list[0] === null && !Array.isArray(outputSize))) {
    throw new ArgumentError(
      op,
      `outputSize must be a non-negative integer or a list of ${dims} of them (null keeps the input's size), got ${describeValue(outputSize)}`,
    );
  }
  const full = list.length === dims ? list : new Array<unknown>(dims).fill(list[0]);
  return full.map((v, i) => (v === null ? (inSize[i] as number) : (v as number)));
}

function adaptiveAvgPoolNd(op: keyof typeof poolOps, dims: number, input: unknown, outputSize: unknown): Tensor {
  const { x, batched } = windowInput(op, input, dims, true);
  const inSize = x._shape.slice(2);
  const outSize = adaptiveSize(op, outputSize, inSize);
  checkSize(op, [x._shape[0] as number, x._shape[1] as number, ...outSize]);
  const axes = inSize.map((n, i) => adaptiveMeanAxis(n, outSize[i] as number));
  return unbatch(apply(poolOps[op], [x], { axes, override: 0, inSize, outSize }), batched);
}

/**
 * 1-D adaptive average pooling (PyTorch's `adaptive_avg_pool1d`): the input
 * `[N, C, L]` (or `[C, L]`) averaged over `outputSize` windows, window o
 * covering [⌊o·L/out⌋, ⌈(o + 1)·L/out⌉).
 *
 * @example
 * adaptiveAvgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 3).toArray(); // [[[1.5, 3, 4.5]]]
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptiveAvgPool1d', 1, input, outputSize);
}

/**
 * 2-D adaptive average pooling (PyTorch's `adaptive_avg_pool2d`): any
 * `[N, C, H, W]` (or `[C, H, W]`) to `[N, C, ...outputSize]`.
 *
 * @example
 * adaptiveAvgPool2d(randn([8, 512, 7, 7]), 1).shape;     // [8, 512, 1, 1]: global average pooling
 * adaptiveAvgPool2d(randn([1, 3, 10, 6]), [5, null]).shape; // [1, 3, 5, 6]
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptiveAvgPool2d', 2, input, outputSize);
}

/**
 * 3-D adaptive average pooling (PyTorch's `adaptive_avg_pool3d`).
 *
 * @example
 * adaptiveAvgPool3d(randn([2, 4, 5, 6, 7]), [1, 2, 3]).shape; // [2, 4, 1, 2, 3]
 */
export function adaptiveAvgPool3d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveAvgPoolNd('adaptiveAvgPool3d', 3, input, outputSize);
}

function adaptiveMaxPoolNd(op: string, dims: number, input: unknown, outputSize: unknown): Tensor {
  const { x, batched } = windowInput(op, input, dims, true);
  const inSize = x._shape.slice(2);
  const outSize = adaptiveSize(op, outputSize, inSize);
  const axes = inSize.map((n, i) => adaptiveMaxAxis(n, outSize[i] as number));
  return unbatch(maxOver(op, x, axes, outSize).values, batched);
}

/**
 * 1-D adaptive max pooling (PyTorch's `adaptive_max_pool1d`): the maximum
 * over each of `outputSize` windows of `[N, C, L]` (or `[C, L]`).
 *
 * @example
 * adaptiveMaxPool1d(tensor([[[1, 5, 2, 4, 3]]]), 2).toArray(); // [[[5, 4]]]
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveMaxPoolNd('adaptiveMaxPool1d', 1, input, outputSize);
}

/**
 * 2-D adaptive max pooling (PyTorch's `adaptive_max_pool2d`).
 *
 * @example
 * adaptiveMaxPool2d(randn([4, 8, 9, 9]), [2, 3]).shape; // [4, 8, 2, 3]
 */
export function adaptiveMaxPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  return adaptiveMaxPoolNd('adaptiveMaxPool2d', 2, input, outputSize);
}
