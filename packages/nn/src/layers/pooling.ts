/**
 * Pooling layers with PyTorch's constructor arguments: MaxPool1d/2d/3d,
 * AvgPool1d/2d/3d, AdaptiveAvgPool1d/2d/3d and AdaptiveMaxPool1d/2d, on
 * core's pooling ops. They hold no parameters; what they add to the ops is
 * the checks at construction (where PyTorch checks only when the layer
 * runs) and messages that name the layer.
 */
import {
  ArgumentError,
  ShapeError,
  Tensor,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  maxPool1d,
  maxPool1dWithIndices,
  maxPool2d,
  maxPool2dWithIndices,
  maxPool3d,
  maxPool3dWithIndices,
  noGrad,
  takeAlongDim,
  tensor,
  type AdaptiveSize,
  type PoolWithIndices,
  type SizeArg,
} from '@chainrule/core';
import {
  booleanOption,
  checkOptionKeys,
  describeValue,
  optionsObject,
  type OptionKeys,
} from '@chainrule/core/internal';
import { Module } from '../module';
import { formatSizes, showSize, sizeAsGiven, sizesOf, spatialSizes, windowInput } from './window-options';

/** Options of the max-pooling layers: PyTorch's keyword arguments in camelCase. */
export interface MaxPoolLayerOptions<R extends boolean = boolean> {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg | null;
  /** -Infinity added on both sides of each spatial dimension, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Count windows with ⌈⌉ instead of ⌊⌋, keeping a partial window at the end (default false). */
  ceilMode?: boolean;
  /** Also return where each maximum was (`{ values, indices }`, int32 positions in each input plane), for MaxUnpool (default false). */
  returnIndices?: R;
}

/** Options of the average-pooling layers: PyTorch's keyword arguments in camelCase. */
export interface AvgPoolLayerOptions {
  /** Step between windows (default: the kernel size). */
  stride?: SizeArg | null;
  /** Zeros added on both sides of each spatial dimension, at most half the kernel (default 0). */
  padding?: SizeArg;
  /** Count windows with ⌈⌉ instead of ⌊⌋ (default false). */
  ceilMode?: boolean;
  /** Count the padded zeros in each window's divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/** AvgPool2d's and AvgPool3d's options: also PyTorch's divisorOverride. */
export interface AvgPool2dLayerOptions extends AvgPoolLayerOptions {
  /** Divide every window's sum by this instead of its size (default null: the size). */
  divisorOverride?: number | null;
}

/** What a max pool returns: the maxima, or with `returnIndices: true` the maxima and their positions. */
export type MaxPoolOutput<R extends boolean> = R extends true ? PoolWithIndices : Tensor;

const maxPoolKeys: OptionKeys<MaxPoolLayerOptions> = {
  stride: true,
  padding: true,
  dilation: true,
  ceilMode: true,
  returnIndices: true,
};
const avgPoolKeys: OptionKeys<AvgPoolLayerOptions> = {
  stride: true,
  padding: true,
  ceilMode: true,
  countIncludePad: true,
};
const avgPool2dKeys: OptionKeys<AvgPool2dLayerOptions> = { ...avgPoolKeys, divisorOverride: true };

/** The checked window settings of a pool, as given and per dimension. */
interface Window {
  kernelSize: SizeArg;
  stride: SizeArg;
  padding: SizeArg;
  dilation: SizeArg;
  ceilMode: boolean;
  perDim: { kernel: number[]; stride: number[]; padding: number[]; dilation: number[] };
}

function windowSettings(
  op: string,
  dims: number,
  kernelSize: unknown,
  o: { stride?: unknown; padding?: unknown; dilation?: unknown; ceilMode?: unknown },
): Window {
  const kernel = sizeAsGiven(op, 'kernelSize', kernelSize, dims, 1);
  // NOTE: stride defaults to the kernel size (PyTorch: stride=None or an empty list).
  const noStride = o.stride === undefined || o.stride === null || (Array.isArray(o.stride) && o.stride.length === 0);
  const stride = noStride ? kernel : sizeAsGiven(op, 'stride', o.stride, dims, 1);
  const padding = sizeAsGiven(op, 'padding', o.padding ?? 0, dims, 0);
  const dilation = sizeAsGiven(op, 'dilation', o.dilation ?? 1, dims, 1);
  const perDim = {
    kernel: sizesOf(op, 'kernelSize', kernel, dims, 1),
    stride: sizesOf(op, 'stride', stride, dims, 1),
    padding: sizesOf(op, 'padding', padding, dims, 0),
    dilation: sizesOf(op, 'dilation', dilation, dims, 1),
  };
  // NOTE: PyTorch bounds the padding by half the kernel (not the dilated kernel), so no window is all padding.
  if (perDim.padding.some((p, i) => p > Math.floor((perDim.kernel[i] as number) / 2))) {
    throw new ArgumentError(
      op,
      `padding ${formatSizes(perDim.padding)} must be at most half the kernel size ${formatSizes(perDim.kernel)} in each dimension`,
    );
  }
  return {
    kernelSize: kernel,
    stride,
    padding,
    dilation,
    ceilMode: booleanOption(op, 'ceilMode', o.ceilMode, false),
    perDim,
  };
}

/**
 * The input checked against the window: its rank, non-empty spatial sizes
 * and at least one window per dimension. The count is PyTorch's
 * pooling_output_shape: ⌊(n + 2p − d(k − 1) − 1 (+ s − 1 with ceilMode)) / s⌋ + 1,
 * less one when ceil mode would start the last window in the right padding.
 */
function checkPoolInput(op: string, input: unknown, dims: number, w: Window): Tensor {
  const { x } = windowInput(op, input, dims);
  const size = spatialSizes(op, x, dims);
  const { kernel, stride, padding, dilation } = w.perDim;
  const out = size.map((n, i) => {
    const [k, s, p, d] = [kernel[i], stride[i], padding[i], dilation[i]] as [number, number, number, number];
    let count = Math.floor((n + 2 * p - d * (k - 1) - 1 + (w.ceilMode ? s - 1 : 0)) / s) + 1;
    if (w.ceilMode && (count - 1) * s >= n + p) count -= 1;
    return count;
  });
  if (out.some((n) => n < 1)) {
    throw new ShapeError(
      op,
      `the input's spatial size ${formatSizes(size)} is smaller than one window (kernelSize ${formatSizes(kernel)}, dilation ${formatSizes(dilation)}, padding ${formatSizes(padding)}); give a larger input or a smaller kernel`,
    );
  }
  return x;
}

type MaxPoolFunction = (x: Tensor, k: SizeArg, o: Parameters<typeof maxPool2d>[2]) => Tensor;
type MaxPoolIndicesFunction = (x: Tensor, k: SizeArg, o: Parameters<typeof maxPool2d>[2]) => PoolWithIndices;

/**
 * What the max-pooling layers share (PyTorch's `_MaxPoolNd`). With
 * `returnIndices: true` the forward returns `{ values, indices }` (PyTorch's
 * tuple; the indices are int32 here), and the type says so.
 */
export abstract class MaxPoolNd<R extends boolean = false> extends Module<[Tensor], MaxPoolOutput<R>> {
  readonly kernelSize: SizeArg;
  readonly stride: SizeArg;
  readonly padding: SizeArg;
  readonly dilation: SizeArg;
  readonly ceilMode: boolean;
  readonly returnIndices: R;
  readonly #op: string;
  readonly #window: Window;
  readonly #pool: MaxPoolFunction;
  readonly #poolWithIndices: MaxPoolIndicesFunction;

  protected constructor(
    op: string,
    dims: number,
    pools: [MaxPoolFunction, MaxPoolIndicesFunction],
    kernelSize: SizeArg,
    options: MaxPoolLayerOptions<R>,
  ) {
    super();
    const o = optionsObject(op, options, maxPoolKeys);
    this.#window = windowSettings(op, dims, kernelSize, o);
    this.returnIndices = booleanOption(op, 'returnIndices', o.returnIndices, false) as R;
    this.#op = op;
    [this.#pool, this.#poolWithIndices] = pools;
    this.kernelSize = this.#window.kernelSize;
    this.stride = this.#window.stride;
    this.padding = this.#window.padding;
    this.dilation = this.#window.dilation;
    this.ceilMode = this.#window.ceilMode;
  }

  /** The maxima over each window of `x` (`[N, C, ...spatial]` or unbatched `[C, ...spatial]`). */
  forward(input: Tensor): MaxPoolOutput<R> {
    const x = checkPoolInput(this.#op, input, this.#window.perDim.kernel.length, this.#window);
    const settings = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    const out = this.returnIndices
      ? this.#poolWithIndices(x, this.kernelSize, settings)
      : this.#pool(x, this.kernelSize, settings);
    return out as MaxPoolOutput<R>;
  }

  /** Like PyTorch's: `kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false`. */
  override extraRepr(): string {
    return `kernelSize=${showSize(this.kernelSize)}, stride=${showSize(this.stride)}, padding=${showSize(this.padding)}, dilation=${showSize(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/**
 * 1-D max pooling (PyTorch's nn.MaxPool1d) over `[N, C, L]` or `[C, L]`;
 * the gradient goes to each window's maximum (the first of equal maxima).
 *
 * @example
 * new MaxPool1d(2).forward(tensor([[[1, 3, 2, 5, 4]]])).toArray(); // [[[3, 5]]]
 */
export class MaxPool1d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: SizeArg, options: MaxPoolLayerOptions<R> = {}) {
    super('MaxPool1d', 1, [maxPool1d, maxPool1dWithIndices], kernelSize, options);
  }
}

/**
 * 2-D max pooling (PyTorch's nn.MaxPool2d) over `[N, C, H, W]` or `[C, H, W]`;
 * stride defaults to the kernel size.
 *
 * @example
 * new MaxPool2d(2).forward(randn([64, 6, 28, 28])).shape;          // [64, 6, 14, 14]
 * const { values, indices } = new MaxPool2d(2, { returnIndices: true }).forward(x); // for MaxUnpool
 */
export class MaxPool2d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: SizeArg, options: MaxPoolLayerOptions<R> = {}) {
    super('MaxPool2d', 2, [maxPool2d, maxPool2dWithIndices], kernelSize, options);
  }
}

/**
 * 3-D max pooling (PyTorch's nn.MaxPool3d) over `[N, C, D, H, W]` or `[C, D, H, W]`.
 *
 * @example
 * new MaxPool3d([1, 2, 2]).forward(randn([1, 2, 4, 8, 8])).shape; // [1, 2, 4, 4, 4]
 */
export class MaxPool3d<R extends boolean = false> extends MaxPoolNd<R> {
  constructor(kernelSize: SizeArg, options: MaxPoolLayerOptions<R> = {}) {
    super('MaxPool3d', 3, [maxPool3d, maxPool3dWithIndices], kernelSize, options);
  }
}

type AvgPoolFunction = (x: Tensor, k: SizeArg, o: Parameters<typeof avgPool2d>[2]) => Tensor;

/** What the average-pooling layers share (PyTorch's `_AvgPoolNd`). */
export abstract class AvgPoolNd extends Module {
  readonly kernelSize: SizeArg;
  readonly stride: SizeArg;
  readonly padding: SizeArg;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  /** The divisor of every window (null: the window's size). */
  readonly divisorOverride: number | null;
  readonly #op: string;
  readonly #window: Window;
  readonly #pool: AvgPoolFunction;

  protected constructor(
    op: string,
    dims: number,
    pool: AvgPoolFunction,
    kernelSize: SizeArg,
    options: AvgPool2dLayerOptions,
    accepted: readonly string[],
  ) {
    super();
    // AvgPool1d takes no divisorOverride (as PyTorch's), so the accepted keys come from the subclass.
    checkOptionKeys(op, options, accepted);
    const o: Partial<AvgPool2dLayerOptions> = options;
    this.#window = windowSettings(op, dims, kernelSize, o);
    this.countIncludePad = booleanOption(op, 'countIncludePad', o.countIncludePad, true);
    const divisor = o.divisorOverride ?? null;
    if (divisor !== null && (typeof divisor !== 'number' || !Number.isInteger(divisor) || divisor < 1)) {
      throw new ArgumentError(
        op,
        `divisorOverride must be a positive integer or null, got ${describeValue(o.divisorOverride)}`,
      );
    }
    this.divisorOverride = divisor;
    this.#op = op;
    this.#pool = pool;
    this.kernelSize = this.#window.kernelSize;
    this.stride = this.#window.stride;
    this.padding = this.#window.padding;
    this.ceilMode = this.#window.ceilMode;
  }

  /** The mean of each window of `x` (`[N, C, ...spatial]` or unbatched `[C, ...spatial]`). */
  forward(input: Tensor): Tensor {
    const x = checkPoolInput(this.#op, input, this.#window.perDim.kernel.length, this.#window);
    return this.#pool(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  /** Like PyTorch's: `kernelSize=3, stride=2, padding=1`. */
  override extraRepr(): string {
    return `kernelSize=${showSize(this.kernelSize)}, stride=${showSize(this.stride)}, padding=${showSize(this.padding)}`;
  }
}

/**
 * 1-D average pooling (PyTorch's nn.AvgPool1d) over `[N, C, L]` or `[C, L]`.
 *
 * @example
 * new AvgPool1d(2).forward(tensor([[[1, 2, 3, 4, 5]]])).toArray(); // [[[1.5, 3.5]]]
 */
export class AvgPool1d extends AvgPoolNd {
  constructor(kernelSize: SizeArg, options: AvgPoolLayerOptions = {}) {
    super('AvgPool1d', 1, avgPool1d, kernelSize, options, Object.keys(avgPoolKeys));
  }
}

/**
 * 2-D average pooling (PyTorch's nn.AvgPool2d) over `[N, C, H, W]` or
 * `[C, H, W]`; padded zeros count in the divisor unless `countIncludePad: false`.
 *
 * @example
 * new AvgPool2d(3, { stride: 2, padding: 1 }).forward(randn([8, 16, 32, 32])).shape; // [8, 16, 16, 16]
 */
export class AvgPool2d extends AvgPoolNd {
  constructor(kernelSize: SizeArg, options: AvgPool2dLayerOptions = {}) {
    super('AvgPool2d', 2, avgPool2d, kernelSize, options, Object.keys(avgPool2dKeys));
  }
}

/**
 * 3-D average pooling (PyTorch's nn.AvgPool3d) over `[N, C, D, H, W]` or `[C, D, H, W]`.
 *
 * @example
 * new AvgPool3d(2).forward(randn([1, 2, 4, 4, 4])).shape; // [1, 2, 2, 2, 2]
 */
export class AvgPool3d extends AvgPoolNd {
  constructor(kernelSize: SizeArg, options: AvgPool2dLayerOptions = {}) {
    super('AvgPool3d', 3, avgPool3d, kernelSize, options, Object.keys(avgPool2dKeys));
  }
}

/** An adaptive pool's output size checked: one entry per dimension, null keeping the input's size. */
function adaptiveSize(op: string, outputSize: unknown, dims: number): AdaptiveSize {
  const list = Array.isArray(outputSize) ? (outputSize as unknown[]) : [outputSize];
  const fits =
    (list.length === 1 || list.length === dims) &&
    list.every((v) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1)) &&
    (Array.isArray(outputSize) || outputSize !== null);
  if (!fits) {
    throw new ArgumentError(
      op,
      `outputSize must be a non-negative integer or a list of ${dims} of them (null keeps the input's size), got ${describeValue(outputSize)}`,
    );
  }
  return Array.isArray(outputSize) ? (outputSize as (number | null)[]).slice() : (outputSize as number);
}

/** `[5, None]` as PyTorch shows it, `[5, null]` here. */
const showAdaptive = (size: AdaptiveSize): string =>
  typeof size === 'number' ? String(size) : `[${size.map((v) => (v === null ? 'null' : String(v))).join(', ')}]`;

/** What the adaptive pools share: the output size and the input check. */
export abstract class AdaptivePoolNd<Out> extends Module<[Tensor], Out> {
  /** The output's spatial size as given (null entries keep the input's size). */
  readonly outputSize: AdaptiveSize;
  protected readonly op: string;
  protected readonly dims: number;

  protected constructor(op: string, dims: number, outputSize: AdaptiveSize) {
    super();
    this.outputSize = adaptiveSize(op, outputSize, dims);
    this.op = op;
    this.dims = dims;
  }

  protected checkedInput(input: unknown): Tensor {
    const { x } = windowInput(this.op, input, this.dims);
    spatialSizes(this.op, x, this.dims);
    return x;
  }

  /** Like PyTorch's: `outputSize=[5, null]`. */
  override extraRepr(): string {
    return `outputSize=${showAdaptive(this.outputSize)}`;
  }
}

type AdaptiveFunction = (x: Tensor, size: AdaptiveSize) => Tensor;

/** What the adaptive average pools share. */
export abstract class AdaptiveAvgPoolNd extends AdaptivePoolNd<Tensor> {
  readonly #pool: AdaptiveFunction;

  protected constructor(op: string, dims: number, pool: AdaptiveFunction, outputSize: AdaptiveSize) {
    super(op, dims, outputSize);
    this.#pool = pool;
  }

  /** The input averaged over `outputSize` windows per dimension, window o covering [⌊o·n/out⌋, ⌈(o + 1)·n/out⌉). */
  forward(input: Tensor): Tensor {
    return this.#pool(this.checkedInput(input), this.outputSize);
  }
}

/**
 * 1-D adaptive average pooling (PyTorch's nn.AdaptiveAvgPool1d): any length
 * to `outputSize`.
 *
 * @example
 * new AdaptiveAvgPool1d(3).forward(tensor([[[1, 2, 3, 4, 5]]])).toArray(); // [[[1.5, 3, 4.5]]]
 */
export class AdaptiveAvgPool1d extends AdaptiveAvgPoolNd {
  constructor(outputSize: AdaptiveSize) {
    super('AdaptiveAvgPool1d', 1, adaptiveAvgPool1d, outputSize);
  }
}

/**
 * 2-D adaptive average pooling (PyTorch's nn.AdaptiveAvgPool2d): any image
 * size to `outputSize`; `new AdaptiveAvgPool2d(1)` is global average pooling.
 *
 * @example
 * new AdaptiveAvgPool2d(1).forward(randn([8, 512, 7, 7])).shape;         // [8, 512, 1, 1]
 * new AdaptiveAvgPool2d([5, null]).forward(randn([1, 3, 10, 6])).shape;  // [1, 3, 5, 6]
 */
export class AdaptiveAvgPool2d extends AdaptiveAvgPoolNd {
  constructor(outputSize: AdaptiveSize) {
    super('AdaptiveAvgPool2d', 2, adaptiveAvgPool2d, outputSize);
  }
}

/**
 * 3-D adaptive average pooling (PyTorch's nn.AdaptiveAvgPool3d).
 *
 * @example
 * new AdaptiveAvgPool3d([1, 2, 3]).forward(randn([2, 4, 5, 6, 7])).shape; // [2, 4, 1, 2, 3]
 */
export class AdaptiveAvgPool3d extends AdaptiveAvgPoolNd {
  constructor(outputSize: AdaptiveSize) {
    super('AdaptiveAvgPool3d', 3, adaptiveAvgPool3d, outputSize);
  }
}

/** Options of the adaptive max pools. */
export interface AdaptiveMaxPoolLayerOptions<R extends boolean = boolean> {
  /** Also return where each maximum was (`{ values, indices }`, int32 positions in each input plane; default false). */
  returnIndices?: R;
}

/**
 * What the adaptive max pools share. core's adaptive max pools return the
 * values only, so the indices are found here, with PyTorch's rule (the first
 * of equal maxima; a NaN wins, the last NaN of a window), and the values are
 * read at them (takeAlongDim), so values, indices and gradient agree.
 */
export abstract class AdaptiveMaxPoolNd<R extends boolean = false> extends AdaptivePoolNd<MaxPoolOutput<R>> {
  readonly returnIndices: R;
  readonly #pool: AdaptiveFunction;

  protected constructor(
    op: string,
    dims: number,
    pool: AdaptiveFunction,
    outputSize: AdaptiveSize,
    options: AdaptiveMaxPoolLayerOptions<R>,
  ) {
    super(op, dims, outputSize);
    const o = optionsObject(op, options, { returnIndices: true });
    this.returnIndices = booleanOption(op, 'returnIndices', o.returnIndices, false) as R;
    this.#pool = pool;
  }

  /** The maximum over each of `outputSize` windows per dimension. */
  forward(input: Tensor): MaxPoolOutput<R> {
    const x = this.checkedInput(input);
    if (!this.returnIndices) return this.#pool(x, this.outputSize) as MaxPoolOutput<R>;
    const batched = x.ndim === this.dims + 2;
    const xb = batched ? x : x.unsqueeze(0);
    const inSize = xb.shape.slice(2);
    const outSize = inSize.map((n, i) => {
      const v = typeof this.outputSize === 'number' ? this.outputSize : this.outputSize[i];
      return v === null || v === undefined ? n : v;
    });
    const indices = noGrad(() => adaptiveMaxIndices(xb, outSize));
    const planes = [...xb.shape.slice(0, 2), -1];
    const values = takeAlongDim(xb.reshape(planes), indices.reshape(planes), 2).reshape(indices.shape);
    const result: PoolWithIndices = batched
      ? { values, indices }
      : { values: values.squeeze(0), indices: indices.squeeze(0) };
    return result as MaxPoolOutput<R>;
  }
}

/**
 * The position of each window's maximum within its input plane (row-major),
 * for `x` of shape [N, C, ...spatial] with 1 or 2 spatial dimensions. Window
 * o of a dimension of size n covers [⌊o·n/out⌋, ⌈(o + 1)·n/out⌉).
 * NOTE: PyTorch's CPU kernel takes a value when it is greater than the best
 * so far or NaN: the first of equal maxima, the last NaN.
 */
function adaptiveMaxIndices(x: Tensor, outSize: readonly number[]): Tensor {
  const [n, c] = x.shape as [number, number];
  const [h, w] = x.ndim === 4 ? (x.shape.slice(2) as [number, number]) : [1, x.shape[2] as number];
  const [oh, ow] = outSize.length === 2 ? (outSize as [number, number]) : [1, outSize[0] as number];
  const data = x.data();
  const out = new Int32Array(n * c * oh * ow);
  let k = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let i = 0; i < oh; i++) {
      const [h0, h1] = [Math.floor((i * h) / oh), Math.ceil(((i + 1) * h) / oh)];
      for (let j = 0; j < ow; j++) {
        const [w0, w1] = [Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow)];
        let best = h0 * w + w0;
        let max = Number.NEGATIVE_INFINITY;
        for (let r = h0; r < h1; r++) {
          for (let s = w0; s < w1; s++) {
            const v = Number(data[base + r * w + s]);
            if (v > max || Number.isNaN(v)) {
              max = v;
              best = r * w + s;
            }
          }
        }
        out[k++] = best;
      }
    }
  }
  return tensor(out, { shape: [n, c, ...outSize] });
}

/**
 * 1-D adaptive max pooling (PyTorch's nn.AdaptiveMaxPool1d).
 *
 * @example
 * new AdaptiveMaxPool1d(2).forward(tensor([[[1, 5, 2, 4, 3]]])).toArray(); // [[[5, 4]]]
 */
export class AdaptiveMaxPool1d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R> = {}) {
    super('AdaptiveMaxPool1d', 1, adaptiveMaxPool1d, outputSize, options);
  }
}

/**
 * 2-D adaptive max pooling (PyTorch's nn.AdaptiveMaxPool2d): any image size
 * to `outputSize`, the maximum of each window.
 *
 * @example
 * new AdaptiveMaxPool2d([2, 3]).forward(randn([4, 8, 9, 9])).shape; // [4, 8, 2, 3]
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends AdaptiveMaxPoolNd<R> {
  constructor(outputSize: AdaptiveSize, options: AdaptiveMaxPoolLayerOptions<R> = {}) {
    super('AdaptiveMaxPool2d', 2, adaptiveMaxPool2d, outputSize, options);
  }
}
