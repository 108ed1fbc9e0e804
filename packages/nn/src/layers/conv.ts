/**
 * Convolution layers with PyTorch's constructor arguments, state-dict names
 * (`weight`, `bias`), initialization and border modes: Conv1d/2d/3d and
 * ConvTranspose1d/2d/3d, on core's conv and convTranspose ops (im2col and
 * the matrix product). A weight is `[outChannels, inChannels / groups, ...kernel]`
 * for a convolution and `[inChannels, outChannels / groups, ...kernel]` for a
 * transposed one, as in PyTorch, so state dicts move between the two as they are.
 */
import {
  ArgumentError,
  ShapeError,
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  defaultGenerator,
  pad,
  zeros,
  type FloatDType,
  type Generator,
  type SizeArg,
  type Tensor,
} from '@chainrule/core';
import { booleanOption, describeValue, formatShape, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { uniform } from '../init';
import { Module } from '../module';
import { parameter } from '../parameter';
import {
  checkChannels,
  formatSizes,
  parameterDType,
  positiveInteger,
  sizesOf,
  spatialSizes,
  windowInput,
} from './window-options';

/**
 * How a convolution fills the border before sliding its kernel: 'zeros'
 * (PyTorch's default), 'reflect' (mirrored without repeating the edge),
 * 'replicate' (the edge repeated) or 'circular' (wrapped around).
 */
export type PaddingMode = 'zeros' | 'reflect' | 'replicate' | 'circular';

/** Options of Conv1d, Conv2d and Conv3d: PyTorch's keyword arguments in camelCase. */
export interface ConvLayerOptions {
  /** Step between windows (default 1), once or per spatial dimension. */
  stride?: SizeArg;
  /**
   * Border added on both sides of each spatial dimension (default 0), or
   * 'valid' (none) or 'same' (the output keeps the input's size; stride 1
   * only; for an even reach the extra element goes after, as in PyTorch).
   */
  padding?: SizeArg | 'same' | 'valid';
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Channel groups (default 1); inChannels and outChannels must both be multiples of it. */
  groups?: number;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  /** What the padding holds (default 'zeros'). */
  paddingMode?: PaddingMode;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream of the initialization (default: the global generator). */
  generator?: Generator;
}

/** Options of ConvTranspose1d/2d/3d: PyTorch's keyword arguments in camelCase. */
export interface ConvTransposeLayerOptions {
  /** The stride of the convolution this is the transpose of (default 1). */
  stride?: SizeArg;
  /** The padding of that convolution: the output loses this much on each side (default 0). */
  padding?: SizeArg;
  /** Extra size at the end of each output dimension (default 0), smaller than the stride or the dilation. */
  outputPadding?: SizeArg;
  /** Channel groups (default 1). */
  groups?: number;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream of the initialization (default: the global generator). */
  generator?: Generator;
}

const convKeys: OptionKeys<ConvLayerOptions> = {
  stride: true,
  padding: true,
  dilation: true,
  groups: true,
  bias: true,
  paddingMode: true,
  dtype: true,
  generator: true,
};

const convTransposeKeys: OptionKeys<ConvTransposeLayerOptions> = {
  stride: true,
  padding: true,
  outputPadding: true,
  groups: true,
  bias: true,
  dilation: true,
  dtype: true,
  generator: true,
};

const paddingModes: readonly string[] = ['zeros', 'reflect', 'replicate', 'circular'];

type ConvFunction = (x: Tensor, w: Tensor, b: Tensor | null, o: Parameters<typeof conv2d>[3]) => Tensor;
type ConvTransposeFunction = (
  x: Tensor,
  w: Tensor,
  b: Tensor | null,
  o: Parameters<typeof convTranspose2d>[3],
) => Tensor;

const list = (sizes: readonly number[]): string => `[${sizes.join(', ')}]`;

/** The settings both kinds of convolution share, checked, and their parameters. */
interface Common {
  inChannels: number;
  outChannels: number;
  kernelSize: number[];
  stride: number[];
  dilation: number[];
  groups: number;
  useBias: boolean;
  dtype: FloatDType;
  generator: Generator;
}

function commonSettings(
  op: string,
  dims: number,
  inChannels: unknown,
  outChannels: unknown,
  kernelSize: unknown,
  o: { stride?: unknown; dilation?: unknown; groups?: unknown; bias?: unknown; dtype?: unknown; generator?: unknown },
): Common {
  const inC = positiveInteger(op, 'inChannels', inChannels);
  const outC = positiveInteger(op, 'outChannels', outChannels);
  const kernel = sizesOf(op, 'kernelSize', kernelSize, dims, 1);
  const stride = sizesOf(op, 'stride', o.stride ?? 1, dims, 1);
  const dilation = sizesOf(op, 'dilation', o.dilation ?? 1, dims, 1);
  const groups = positiveInteger(op, 'groups', o.groups ?? 1);
  if (inC % groups !== 0)
    throw new ArgumentError(
      op,
      `inChannels ${inC} is not divisible by groups ${groups}; each group takes an equal share`,
    );
  if (outC % groups !== 0)
    throw new ArgumentError(
      op,
      `outChannels ${outC} is not divisible by groups ${groups}; each group makes an equal share`,
    );
  return {
    inChannels: inC,
    outChannels: outC,
    kernelSize: kernel,
    stride,
    dilation,
    groups,
    useBias: booleanOption(op, 'bias', o.bias, true),
    dtype: parameterDType(op, o.dtype),
    generator: checkGenerator(op, o.generator) ?? defaultGenerator,
  };
}

/**
 * PyTorch's default initialization of a convolution (`_ConvNd.reset_parameters`):
 * the weight from kaiming_uniform with a = √5, which is U(-b, b) with
 * b = √(6 / (1 + 5)) · √(3 / fanIn) = 1 / √fanIn, and the bias from the same
 * U(-b, b); fanIn = weight.shape[1] · kernel size, for both kinds (for a
 * transposed convolution that is outChannels / groups · kernel size).
 * Weight first, then bias, from one generator.
 */
function initialized(
  module: Module,
  weightShape: readonly number[],
  c: Common,
): { weight: Tensor; bias: Tensor | null } {
  const fanIn = (weightShape[1] as number) * c.kernelSize.reduce((a, b) => a * b, 1);
  const bound = 1 / Math.sqrt(fanIn);
  const w = uniform(zeros(weightShape, { dtype: c.dtype }), { low: -bound, high: bound, generator: c.generator });
  const weight = module.registerParameter('weight', parameter(w));
  const b = c.useBias
    ? uniform(zeros([c.outChannels], { dtype: c.dtype }), { low: -bound, high: bound, generator: c.generator })
    : null;
  const bias = module.registerParameter('bias', b === null ? null : parameter(b));
  return { weight, bias };
}

/** The parts of PyTorch's conv extra_repr after the channels and kernel: what differs from the defaults. */
/** PyTorch's repr of a convolution layer: channels, kernel size, then the settings that differ from the defaults. */
function convRepr(
  c: Parameters<typeof settingsRepr>[0] & {
    inChannels: number;
    outChannels: number;
    kernelSize: readonly number[];
  },
): string {
  return [`${c.inChannels}, ${c.outChannels}`, `kernelSize=${list(c.kernelSize)}`, ...settingsRepr(c)].join(', ');
}

function settingsRepr(c: {
  stride: readonly number[];
  padding: readonly number[] | string;
  dilation: readonly number[];
  outputPadding?: readonly number[];
  groups: number;
  bias: Tensor | null;
  paddingMode?: PaddingMode;
}): string[] {
  const parts = [`stride=${list(c.stride)}`];
  if (typeof c.padding === 'string') parts.push(`padding=${c.padding}`);
  else if (c.padding.some((p) => p !== 0)) parts.push(`padding=${list(c.padding)}`);
  if (c.dilation.some((d) => d !== 1)) parts.push(`dilation=${list(c.dilation)}`);
  if (c.outputPadding?.some((p) => p !== 0)) parts.push(`outputPadding=${list(c.outputPadding)}`);
  if (c.groups !== 1) parts.push(`groups=${c.groups}`);
  if (c.bias === null) parts.push('bias=false');
  if (c.paddingMode !== undefined && c.paddingMode !== 'zeros') parts.push(`paddingMode=${c.paddingMode}`);
  return parts;
}

/**
 * What Conv1d, Conv2d and Conv3d share (PyTorch's `_ConvNd`): the settings,
 * the parameters, the input checks and the border modes.
 */
export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  /** One size per spatial dimension, e.g. [5, 5]. */
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  /** One size per spatial dimension, or 'same' / 'valid' as given. */
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly dilation: readonly number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** `[outChannels, inChannels / groups, ...kernelSize]`. */
  readonly weight: Tensor;
  /** `[outChannels]`, or null without bias. */
  readonly bias: Tensor | null;
  readonly #op: string;
  readonly #convolve: ConvFunction;
  /** The border before and after each spatial dimension, as the kernel sees it. */
  readonly #before: number[];
  readonly #after: number[];

  protected constructor(
    op: string,
    dims: number,
    convolve: ConvFunction,
    inChannels: number,
    outChannels: number,
    kernelSize: SizeArg,
    options: ConvLayerOptions,
  ) {
    super();
    const o = optionsObject(op, options, convKeys);
    const c = commonSettings(op, dims, inChannels, outChannels, kernelSize, o);
    const padding = o.padding ?? 0;
    const paddingMode = o.paddingMode ?? 'zeros';
    if (typeof paddingMode !== 'string' || !paddingModes.includes(paddingMode)) {
      throw new ArgumentError(
        op,
        `paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got ${describeValue(o.paddingMode)}`,
      );
    }
    let before: number[];
    let after: number[];
    if (padding === 'same') {
      // NOTE: as PyTorch, 'same' needs stride 1, and an odd total dilation·(k − 1) puts the extra element after.
      if (c.stride.some((s) => s !== 1))
        throw new ArgumentError(
          op,
          `padding 'same' needs stride 1 in every dimension, got stride ${list(c.stride)} (PyTorch refuses strided 'same' convolutions too); give the padding as numbers`,
        );
      const total = c.kernelSize.map((k, i) => (c.dilation[i] as number) * (k - 1));
      before = total.map((t) => Math.floor(t / 2));
      after = total.map((t, i) => t - (before[i] as number));
    } else if (padding === 'valid') {
      before = new Array<number>(dims).fill(0);
      after = before.slice();
    } else if (typeof padding === 'string') {
      throw new ArgumentError(
        op,
        `padding must be 'same', 'valid' or non-negative integers, got ${describeValue(padding)}`,
      );
    } else {
      before = sizesOf(op, 'padding', padding, dims, 0);
      after = before.slice();
    }
    this.#op = op;
    this.#convolve = convolve;
    this.#before = before;
    this.#after = after;
    this.inChannels = c.inChannels;
    this.outChannels = c.outChannels;
    this.kernelSize = c.kernelSize;
    this.stride = c.stride;
    this.padding = typeof padding === 'string' ? padding : before.slice();
    this.dilation = c.dilation;
    this.groups = c.groups;
    this.paddingMode = paddingMode as PaddingMode;
    const { weight, bias } = initialized(this, [c.outChannels, c.inChannels / c.groups, ...c.kernelSize], c);
    this.weight = weight;
    this.bias = bias;
  }

  /** Convolves `x` of shape `[N, inChannels, ...spatial]` (or unbatched `[inChannels, ...spatial]`). */
  forward(input: Tensor): Tensor {
    const op = this.#op;
    const dims = this.kernelSize.length;
    const { x, batched } = windowInput(op, input, dims);
    checkChannels(op, x, batched, this.inChannels);
    const size = spatialSizes(op, x, dims);
    const mode = this.paddingMode;
    if (mode !== 'zeros') {
      size.forEach((n, i) => {
        const p = Math.max(this.#before[i] as number, this.#after[i] as number);
        // NOTE: PyTorch's bounds: a reflected border must be shorter than the input (the edge is not repeated), a circular one can wrap at most once.
        if ((mode === 'reflect' && p >= n) || (mode === 'circular' && p > n)) {
          throw new ShapeError(
            op,
            `'${mode}' padding of ${p} does not fit spatial dimension ${i} of size ${n} (input shape ${formatShape(x.shape)}); ${mode === 'reflect' ? 'it must be smaller than the size' : 'it can wrap around at most once'}`,
          );
        }
      });
    }
    const padded = size.map((n, i) => n + (this.#before[i] as number) + (this.#after[i] as number));
    const reach = this.kernelSize.map((k, i) => (this.dilation[i] as number) * (k - 1) + 1);
    if (padded.some((n, i) => n < (reach[i] as number))) {
      throw new ShapeError(
        op,
        `the input's spatial size ${formatSizes(size)}, padded to ${formatSizes(padded)}, is smaller than the ${this.dilation.some((d) => d > 1) ? 'dilated ' : ''}kernel ${formatSizes(reach)}; give a larger input or more padding`,
      );
    }
    const settings = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (mode === 'zeros') return this.#convolve(x, this.weight, this.bias, { ...settings, padding: this.padding });
    // Border modes: pad first, then convolve without padding (as PyTorch). pad's circular mode takes batched
    // inputs only (PyTorch 1.13's limit), so an unbatched input borrows a batch axis for the padding.
    const pads = this.#before.flatMap((_, k) => {
      const i = dims - 1 - k;
      return [this.#before[i] as number, this.#after[i] as number];
    });
    const filled = pad(batched ? x : x.unsqueeze(0), pads, { mode });
    const out = this.#convolve(filled, this.weight, this.bias, settings);
    return batched ? out : out.squeeze(0);
  }

  /** Like PyTorch's: `1, 6, kernelSize=[5, 5], stride=[1, 1], padding=[2, 2]`. */
  override extraRepr(): string {
    return convRepr(this);
  }
}

/**
 * A 1-D convolution layer (PyTorch's nn.Conv1d): for x of shape `[N, inChannels, L]`
 * (or unbatched `[inChannels, L]`), `conv1d(x, weight, bias)` with the layer's
 * stride, padding, dilation and groups; weight `[outChannels, inChannels / groups, kL]`.
 * Initialized as PyTorch: weight and bias from U(-1/√fanIn, 1/√fanIn).
 *
 * @example
 * const conv = new Conv1d(2, 8, 3, { padding: 'same', paddingMode: 'circular' });
 * conv.forward(randn([4, 2, 100])).shape; // [4, 8, 100]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvLayerOptions = {}) {
    super('Conv1d', 1, conv1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * A 2-D convolution layer (PyTorch's nn.Conv2d): for images x of shape
 * `[N, inChannels, H, W]` (or unbatched `[inChannels, H, W]`),
 * `conv2d(x, weight, bias)` with the layer's stride, padding, dilation,
 * groups and padding mode; weight `[outChannels, inChannels / groups, kH, kW]`.
 * Initialized as PyTorch: weight and bias from U(-1/√fanIn, 1/√fanIn),
 * fanIn = inChannels / groups · kH · kW.
 *
 * @example
 * const conv = new Conv2d(1, 6, 5, { padding: 2 });   // LeNet-5's first layer
 * conv.forward(randn([64, 1, 28, 28])).shape;          // [64, 6, 28, 28]
 * Object.keys(conv.stateDict());                       // ['weight', 'bias'], as PyTorch
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvLayerOptions = {}) {
    super('Conv2d', 2, conv2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * A 3-D convolution layer (PyTorch's nn.Conv3d) over `[N, inChannels, D, H, W]`
 * (or unbatched `[inChannels, D, H, W]`); weight
 * `[outChannels, inChannels / groups, kD, kH, kW]`.
 *
 * @example
 * new Conv3d(2, 4, [1, 3, 3], { padding: [0, 1, 1] }).forward(randn([1, 2, 5, 8, 8])).shape; // [1, 4, 5, 8, 8]
 */
export class Conv3d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvLayerOptions = {}) {
    super('Conv3d', 3, conv3d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * What ConvTranspose1d/2d/3d share (PyTorch's `_ConvTransposeNd`). The
 * forward takes an optional `outputSize`, as PyTorch's does: a strided
 * convolution maps several input sizes to one output size, and the
 * transpose picks among them with it (setting the output padding).
 */
export abstract class ConvTransposeNd extends Module<[input: Tensor, outputSize?: readonly number[]]> {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
  /** `[inChannels, outChannels / groups, ...kernelSize]` (PyTorch's layout for transposed convolutions). */
  readonly weight: Tensor;
  /** `[outChannels]`, or null without bias. */
  readonly bias: Tensor | null;
  readonly #op: string;
  readonly #convolve: ConvTransposeFunction;

  protected constructor(
    op: string,
    dims: number,
    convolve: ConvTransposeFunction,
    inChannels: number,
    outChannels: number,
    kernelSize: SizeArg,
    options: ConvTransposeLayerOptions,
  ) {
    super();
    const o = optionsObject(op, options, convTransposeKeys);
    const c = commonSettings(op, dims, inChannels, outChannels, kernelSize, o);
    if (typeof o.padding === 'string') {
      throw new ArgumentError(
        op,
        `padding must be non-negative integers (transposed convolutions take no 'same' or 'valid', as in PyTorch), got ${describeValue(o.padding)}`,
      );
    }
    const padding = sizesOf(op, 'padding', o.padding ?? 0, dims, 0);
    const outputPadding = sizesOf(op, 'outputPadding', o.outputPadding ?? 0, dims, 0);
    // NOTE: output padding only lengthens the last window's reach, so PyTorch bounds it by the stride or the dilation.
    if (outputPadding.some((p, i) => p >= (c.stride[i] as number) && p >= (c.dilation[i] as number))) {
      throw new ArgumentError(
        op,
        `outputPadding ${list(outputPadding)} must be smaller than the stride ${list(c.stride)} or the dilation ${list(c.dilation)} in each dimension`,
      );
    }
    this.#op = op;
    this.#convolve = convolve;
    this.inChannels = c.inChannels;
    this.outChannels = c.outChannels;
    this.kernelSize = c.kernelSize;
    this.stride = c.stride;
    this.padding = padding;
    this.outputPadding = outputPadding;
    this.dilation = c.dilation;
    this.groups = c.groups;
    const { weight, bias } = initialized(this, [c.inChannels, c.outChannels / c.groups, ...c.kernelSize], c);
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * The transposed convolution of `x` (`[N, inChannels, ...spatial]` or
   * unbatched). With `outputSize` (the spatial sizes, or the whole shape),
   * the output padding is chosen to give that size instead of the layer's.
   */
  forward(input: Tensor, outputSize?: readonly number[]): Tensor {
    const op = this.#op;
    const dims = this.kernelSize.length;
    const { x, batched } = windowInput(op, input, dims);
    checkChannels(op, x, batched, this.inChannels);
    const size = spatialSizes(op, x, dims);
    // The output size with no output padding: the smallest this input can give.
    const smallest = size.map(
      (n, i) =>
        (n - 1) * (this.stride[i] as number) -
        2 * (this.padding[i] as number) +
        (this.dilation[i] as number) * ((this.kernelSize[i] as number) - 1) +
        1,
    );
    const outputPadding =
      outputSize === undefined ? this.outputPadding : this.#paddingFor(outputSize, smallest, x.ndim - dims);
    const out = smallest.map((n, i) => n + (outputPadding[i] as number));
    if (out.some((n) => n < 1)) {
      throw new ShapeError(
        op,
        `for an input of spatial size ${formatSizes(size)} the output would be ${formatSizes(out)}; each size must be at least 1 (less padding, or a larger input, stride or kernel)`,
      );
    }
    return this.#convolve(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }

  /** PyTorch's `_output_padding`: the output padding that makes the output `outputSize`. */
  #paddingFor(outputSize: unknown, smallest: readonly number[], leading: number): number[] {
    const op = this.#op;
    const dims = smallest.length;
    const sizes = Array.isArray(outputSize) ? (outputSize as unknown[]) : null;
    if (
      sizes === null ||
      (sizes.length !== dims && sizes.length !== dims + leading) ||
      !sizes.every(Number.isInteger)
    ) {
      throw new ArgumentError(
        op,
        `outputSize must be a list of ${dims} spatial sizes (or the whole output shape, ${dims + leading} sizes), got ${describeValue(outputSize)}`,
      );
    }
    const spatial = (sizes as number[]).slice(sizes.length - dims);
    const largest = smallest.map((n, i) => n + (this.stride[i] as number) - 1);
    if (spatial.some((n, i) => n < (smallest[i] as number) || n > (largest[i] as number))) {
      throw new ArgumentError(
        op,
        `outputSize ${formatSizes(spatial)} cannot come from this input: each size must be between ${formatSizes(smallest)} and ${formatSizes(largest)}`,
      );
    }
    return spatial.map((n, i) => n - (smallest[i] as number));
  }

  /** Like PyTorch's: `4, 6, kernelSize=[3, 3], stride=[2, 2], outputPadding=[1, 1], groups=2`. */
  override extraRepr(): string {
    return convRepr(this);
  }
}

/**
 * A 1-D transposed convolution layer (PyTorch's nn.ConvTranspose1d, the
 * gradient of Conv1d with respect to its input): `[N, inChannels, L]` to
 * `[N, outChannels, (L − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1]`.
 *
 * @example
 * new ConvTranspose1d(8, 4, 4, { stride: 2, padding: 1 }).forward(randn([2, 8, 25])).shape; // [2, 4, 50]
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvTransposeLayerOptions = {}) {
    super('ConvTranspose1d', 1, convTranspose1d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * A 2-D transposed convolution layer (PyTorch's nn.ConvTranspose2d): with the
 * stride, padding and dilation of a Conv2d it maps that layer's output size
 * back to its input size — the upsampling step of decoders and U-Nets.
 *
 * @example
 * const up = new ConvTranspose2d(64, 32, 4, { stride: 2, padding: 1 });
 * up.forward(randn([16, 64, 7, 7])).shape;               // [16, 32, 14, 14]
 * up.forward(randn([16, 64, 7, 7]), [15, 15]).shape;     // [16, 32, 15, 15]: outputSize picks the size
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvTransposeLayerOptions = {}) {
    super('ConvTranspose2d', 2, convTranspose2d, inChannels, outChannels, kernelSize, options);
  }
}

/**
 * A 3-D transposed convolution layer (PyTorch's nn.ConvTranspose3d) over
 * `[N, inChannels, D, H, W]` (or unbatched `[inChannels, D, H, W]`).
 *
 * @example
 * new ConvTranspose3d(4, 2, 2, { stride: 2 }).forward(randn([1, 4, 2, 3, 3])).shape; // [1, 2, 4, 6, 6]
 */
export class ConvTranspose3d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SizeArg, options: ConvTransposeLayerOptions = {}) {
    super('ConvTranspose3d', 3, convTranspose3d, inChannels, outChannels, kernelSize, options);
  }
}
