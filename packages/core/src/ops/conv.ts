/**
 * Convolutions with PyTorch's semantics (torch.nn.functional.conv1d/2d/3d
 * and conv_transpose1d/2d/3d), channels first: the argument checks, and the
 * calls of the three convolution ops (conv-primitives.ts). A convolution is
 * W·cols(x) per sample and channel group (cols = unfold, im2col), so it runs
 * on the GEMM kernels (WebAssembly SIMD with threads for float32); its input
 * gradient is col2im(Wᵀ·g), a transposed convolution, and its weight
 * gradient Σ g·cols(x)ᵀ. A transposed convolution is the input gradient of
 * the convolution it transposes. Each of the three ops' gradients are the
 * others, so derivatives of any order exist.
 *
 * Groups split the channels: input channel block j meets only weight block j.
 */
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { checkSize, formatShape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { conv, convInput } from './conv-primitives';
import { poolOps } from './pool';
import { unpoolOps } from './unpool';
import { padOps } from './pad';
import { add } from './binary';
import { traced } from './trace';
import { unfoldOps, windowCount, type WindowGeometry } from './unfold';
import {
  floatTensor,
  formatSizes,
  optionalBias,
  perDim,
  productOf,
  windowInput,
  windowOptions,
  type SizeArg,
} from './window-args';

/**
 * The convolution family's table: its primitives (unfold and fold, the
 * average pools, the unpools, constant padding). The max pools, border
 * padding and interpolation are built from these and from takeFlat and
 * indexSelect; the convolutions are ops of their own (conv-primitives.ts),
 * reached by the suites through conv1d/2d/3d and convTranspose1d/2d/3d.
 * Tests reach every row through it.
 */
export const convOps = { ...unfoldOps, ...poolOps, ...unpoolOps, ...padOps };

/** Options of conv1d/conv2d/conv3d: PyTorch's keyword arguments. */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: SizeArg;
  /**
   * Zeros added on both sides of each spatial dimension (default 0), or
   * `'valid'` (none) or `'same'` (the output keeps the input's size; stride 1
   * only).
   */
  padding?: SizeArg | 'valid' | 'same';
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Channel groups (default 1): input and output channels split into this many independent blocks. */
  groups?: number;
}

const convKeys = ['stride', 'padding', 'dilation', 'groups'] as const;

const kernelLayouts = ['', 'kL', 'kH, kW', 'kD, kH, kW'];

/** A positive integer `groups`. */
function groupsOf(op: string, groups: unknown): number {
  const g = groups ?? 1;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 1 || g > 2 ** 31 - 1) {
    throw new ArgumentError(op, `groups must be a positive integer, got ${describeValue(groups)}`);
  }
  return g;
}

/**
 * The padding before each spatial dimension, and the total padding that the
 * kernel must fit in. NOTE: 'same' pads dilation·(k − 1) in all, half before
 * (rounded down) and the rest after: for an even kernel the extra zero goes
 * on the right/bottom, as in PyTorch.
 */
function convPadding(op: string, padding: unknown, dims: number, kernel: number[], dilation: number[]) {
  if (padding === 'same') {
    const total = kernel.map((k, i) => (dilation[i] as number) * (k - 1));
    return { before: total.map((t) => Math.floor(t / 2)), total, same: true };
  }
  if (padding === 'valid')
    return { before: new Array<number>(dims).fill(0), total: new Array<number>(dims).fill(0), same: false };
  if (typeof padding === 'string') {
    throw new ArgumentError(
      op,
      `padding must be 'valid', 'same' or non-negative integers, got ${describeValue(padding)}`,
    );
  }
  const before = perDim(op, 'padding', padding ?? 0, dims, 0);
  return { before, total: before.map((p) => 2 * p), same: false };
}

interface ConvPlan {
  x: Tensor;
  w: Tensor;
  bias: Tensor | null;
  batched: boolean;
  groups: number;
  geometry: WindowGeometry;
}

/** Every check of conv1d/2d/3d, before anything is computed. */
function planConv(
  op: string,
  dims: number,
  input: unknown,
  weight: unknown,
  bias: unknown,
  options: unknown,
): ConvPlan {
  const o = windowOptions(op, options as ConvOptions | undefined, convKeys);
  // NOTE: PyTorch refuses empty channel and spatial dimensions (N may be 0), and so does chainrule.
  const { x, batched } = windowInput(op, input, dims, true);
  const w = floatTensor(op, weight, 'the weight');
  if (w.ndim !== dims + 2) {
    throw new ShapeError(
      op,
      `the weight must be ${dims + 2}-D [outChannels, inChannels / groups, ${kernelLayouts[dims]}], got shape ${formatShape(w._shape)}`,
    );
  }
  const stride = perDim(op, 'stride', o.stride ?? 1, dims, 1);
  const dilation = perDim(op, 'dilation', o.dilation ?? 1, dims, 1);
  const groups = groupsOf(op, o.groups);
  const outChannels = w._shape[0] as number;
  const perGroup = w._shape[1] as number;
  const kernel = w._shape.slice(2);
  if (kernel.some((k) => k === 0)) {
    throw new ShapeError(op, `the kernel sizes must be positive, got a weight of shape ${formatShape(w._shape)}`);
  }
  const channels = x._shape[1] as number;
  if (outChannels === 0 || outChannels % groups !== 0) {
    throw new ShapeError(
      op,
      `the weight's ${outChannels} output channels must be a positive multiple of groups = ${groups} (weight shape ${formatShape(w._shape)})`,
    );
  }
  if (perGroup * groups !== channels) {
    throw new ShapeError(
      op,
      `with groups = ${groups}, a weight of shape ${formatShape(w._shape)} expects ${perGroup * groups} input channels, but the input ${formatShape(batched ? x._shape : x._shape.slice(1))} has ${channels}`,
    );
  }
  const pad = convPadding(op, o.padding, dims, kernel, dilation);
  if (pad.same && stride.some((s) => s !== 1)) {
    throw new ArgumentError(
      op,
      `padding 'same' needs stride 1 in every dimension, got stride ${formatSizes(stride)} (PyTorch refuses strided 'same' convolutions too); give the padding as numbers`,
    );
  }
  const inSize = x._shape.slice(2);
  const padded = inSize.map((n, i) => n + (pad.total[i] as number));
  const reach = kernel.map((k, i) => (dilation[i] as number) * (k - 1) + 1);
  if (padded.some((n, i) => n < (reach[i] as number))) {
    throw new ShapeError(
      op,
      `the padded input ${formatSizes(padded)} is smaller than the ${dilation.some((d) => d > 1) ? 'dilated ' : ''}kernel ${formatSizes(reach)} (input shape ${formatShape(x._shape.slice(batched ? 0 : 1))}, weight shape ${formatShape(w._shape)})`,
    );
  }
  const outSize = pad.same
    ? inSize.slice()
    : inSize.map((n, i) =>
        windowCount(n, kernel[i] as number, stride[i] as number, dilation[i] as number, pad.before[i] as number),
      );
  const b = optionalBias(op, bias, outChannels);
  const n = x._shape[0] as number;
  checkSize(op, [n, channels * productOf(kernel), productOf(outSize)]);
  checkSize(op, [n, outChannels, ...outSize]);
  return {
    x,
    w,
    bias: b,
    batched,
    groups,
    geometry: { inSize, outSize, kernel, stride, dilation, padBefore: pad.before },
  };
}

/** Bias `[C]` added along the channel axis of `[N, C, ...spatial]`. */
function addBias(out: Tensor, bias: Tensor | null, dims: number): Tensor {
  return bias === null ? out : add(out, bias.reshape([bias._shape[0] as number, ...new Array<number>(dims).fill(1)]));
}

function convolve(op: string, p: ConvPlan): Tensor {
  const inputs = p.bias === null ? [p.x, p.w] : [p.x, p.w, p.bias];
  // Traced whole so an exporter writes one convolution, not its primitives.
  return traced(op, inputs, { groups: p.groups, geometry: p.geometry, batched: p.batched }, () => {
    const out = conv(p.x, p.w, p.bias, { geometry: p.geometry, groups: p.groups });
    return p.batched ? out : out.reshape(out._shape.slice(1));
  });
}

/**
 * 1-D convolution (cross-correlation, as in PyTorch's
 * `torch.nn.functional.conv1d`) of an input `[N, C, L]` (or unbatched
 * `[C, L]`) with a weight `[outChannels, C / groups, kL]` and an optional
 * bias `[outChannels]`; the result is `[N, outChannels, Lout]` with
 * Lout = ⌊(L + 2·padding − dilation·(kL − 1) − 1) / stride⌋ + 1.
 *
 * @example
 * const signal = randn([8, 1, 100]);            // 8 mono clips of 100 samples
 * const w = randn([4, 1, 5]);                   // 4 filters of 5 taps
 * conv1d(signal, w, null, { padding: 'same' }).shape; // [8, 4, 100]
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convolve('conv1d', planConv('conv1d', 1, input, weight, bias, options));
}

/**
 * 2-D convolution (cross-correlation, as in PyTorch's
 * `torch.nn.functional.conv2d`) of an input `[N, C, H, W]` (or unbatched
 * `[C, H, W]`) with a weight `[outChannels, C / groups, kH, kW]` and an
 * optional bias `[outChannels]`. stride, padding and dilation take one number
 * or one per dimension; `groups: C` with `outChannels = m·C` is a depthwise
 * convolution.
 *
 * @example
 * const images = randn([32, 1, 28, 28]);
 * const w = randn([6, 1, 5, 5]).requireGrad();
 * const b = zeros([6]).requireGrad();
 * const y = conv2d(images, w, b, { padding: 2 });   // [32, 6, 28, 28]
 * y.relu().sum().backward();                         // w.grad: [6, 1, 5, 5]
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convolve('conv2d', planConv('conv2d', 2, input, weight, bias, options));
}

/**
 * 3-D convolution (cross-correlation, as in PyTorch's
 * `torch.nn.functional.conv3d`) of an input `[N, C, D, H, W]` (or unbatched
 * `[C, D, H, W]`) with a weight `[outChannels, C / groups, kD, kH, kW]` and
 * an optional bias `[outChannels]`.
 *
 * @example
 * const volume = randn([2, 3, 8, 16, 16]);
 * conv3d(volume, randn([4, 3, 3, 3, 3]), null, { stride: [1, 2, 2], padding: 1 }).shape; // [2, 4, 8, 8, 8]
 */
export function conv3d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: ConvOptions): Tensor {
  return convolve('conv3d', planConv('conv3d', 3, input, weight, bias, options));
}

/** Options of convTranspose1d/2d/3d: PyTorch's keyword arguments. */
export interface ConvTransposeOptions {
  /** The stride of the convolution this is the transpose of (default 1). */
  stride?: SizeArg;
  /** The padding of that convolution: dilation·(k − 1) − padding zeros are added around the input (default 0). */
  padding?: SizeArg;
  /** Extra size at the end of each output dimension (default 0), below the stride or the dilation. */
  outputPadding?: SizeArg;
  /** Channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
}

const convTransposeKeys = ['stride', 'padding', 'outputPadding', 'groups', 'dilation'] as const;

interface ConvTransposePlan extends ConvPlan {
  outChannels: number;
}

/** Every check of convTranspose1d/2d/3d, before anything is computed. */
function planConvTranspose(
  op: string,
  dims: number,
  input: unknown,
  weight: unknown,
  bias: unknown,
  options: unknown,
): ConvTransposePlan {
  const o = windowOptions(op, options as ConvTransposeOptions | undefined, convTransposeKeys);
  const { x, batched } = windowInput(op, input, dims, true);
  const w = floatTensor(op, weight, 'the weight');
  if (w.ndim !== dims + 2) {
    throw new ShapeError(
      op,
      `the weight must be ${dims + 2}-D [inChannels, outChannels / groups, ${kernelLayouts[dims]}], got shape ${formatShape(w._shape)}`,
    );
  }
  const stride = perDim(op, 'stride', o.stride ?? 1, dims, 1);
  const dilation = perDim(op, 'dilation', o.dilation ?? 1, dims, 1);
  if (typeof o.padding === 'string') {
    throw new ArgumentError(
      op,
      `padding must be non-negative integers (transposed convolutions take no 'same' or 'valid', as in PyTorch), got ${describeValue(o.padding)}`,
    );
  }
  const padding = perDim(op, 'padding', o.padding ?? 0, dims, 0);
  const outputPadding = perDim(op, 'outputPadding', o.outputPadding ?? 0, dims, 0);
  const groups = groupsOf(op, o.groups);
  const inChannels = w._shape[0] as number;
  const kernel = w._shape.slice(2);
  if (kernel.some((k) => k === 0) || w._shape[1] === 0) {
    throw new ShapeError(op, `the weight must not be empty, got shape ${formatShape(w._shape)}`);
  }
  if (inChannels % groups !== 0) {
    throw new ShapeError(
      op,
      `the weight's ${inChannels} input channels must be a multiple of groups = ${groups} (weight shape ${formatShape(w._shape)})`,
    );
  }
  const channels = x._shape[1] as number;
  if (inChannels !== channels) {
    throw new ShapeError(
      op,
      `a weight of shape ${formatShape(w._shape)} expects ${inChannels} input channels, but the input ${formatShape(batched ? x._shape : x._shape.slice(1))} has ${channels}`,
    );
  }
  // NOTE: output padding only extends the last window's reach, so PyTorch bounds it by the stride or the dilation.
  if (outputPadding.some((p, i) => p >= (stride[i] as number) && p >= (dilation[i] as number))) {
    throw new ArgumentError(
      op,
      `outputPadding ${formatSizes(outputPadding)} must be smaller than the stride ${formatSizes(stride)} or the dilation ${formatSizes(dilation)} in each dimension`,
    );
  }
  const inSize = x._shape.slice(2);
  const outSize = inSize.map(
    (n, i) =>
      (n - 1) * (stride[i] as number) -
      2 * (padding[i] as number) +
      (dilation[i] as number) * ((kernel[i] as number) - 1) +
      (outputPadding[i] as number) +
      1,
  );
  if (outSize.some((n) => n < 1)) {
    throw new ShapeError(
      op,
      `for an input of spatial size ${formatSizes(inSize)} the output would be ${formatSizes(outSize)}; each size must be at least 1 (less padding, or a larger stride or kernel)`,
    );
  }
  const outChannels = (w._shape[1] as number) * groups;
  const b = optionalBias(op, bias, outChannels);
  const n = x._shape[0] as number;
  checkSize(op, [n, outChannels * productOf(kernel), productOf(inSize)]);
  checkSize(op, [n, outChannels, ...outSize]);
  return {
    x,
    w,
    bias: b,
    batched,
    groups,
    outChannels,
    // The windows of the convolution this transposes: the output is its input, the input its output.
    geometry: { inSize: outSize, outSize: inSize, kernel, stride, dilation, padBefore: padding },
  };
}

function convolveTransposed(p: ConvTransposePlan): Tensor {
  // A transposed convolution is the input gradient of the convolution whose windows the plan holds.
  const image = convInput(p.x, p.w, { geometry: p.geometry, groups: p.groups });
  const out = addBias(image, p.bias, p.geometry.inSize.length);
  return p.batched ? out : out.reshape(out._shape.slice(1));
}

/**
 * 1-D transposed convolution (PyTorch's `torch.nn.functional.conv_transpose1d`,
 * the gradient of conv1d with respect to its input, sometimes called
 * "deconvolution"): an input `[N, C, L]` (or unbatched `[C, L]`), a weight
 * `[C, outChannels / groups, kL]` and an optional bias `[outChannels]` give
 * `[N, outChannels, Lout]` with
 * Lout = (L − 1)·stride − 2·padding + dilation·(kL − 1) + outputPadding + 1.
 *
 * @example
 * const z = randn([4, 8, 25]);
 * convTranspose1d(z, randn([8, 1, 4]), null, { stride: 2, padding: 1 }).shape; // [4, 1, 50]
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: ConvTransposeOptions,
): Tensor {
  return convolveTransposed(planConvTranspose('convTranspose1d', 1, input, weight, bias, options));
}

/**
 * 2-D transposed convolution (PyTorch's `torch.nn.functional.conv_transpose2d`):
 * an input `[N, C, H, W]` (or unbatched `[C, H, W]`), a weight
 * `[C, outChannels / groups, kH, kW]` and an optional bias `[outChannels]`.
 * With the stride, padding and dilation of a conv2d it maps that conv2d's
 * output size back to its input size (`outputPadding` picks among the input
 * sizes a strided conv2d maps to the same output size).
 *
 * @example
 * const features = randn([16, 64, 7, 7]);
 * const up = convTranspose2d(features, randn([64, 32, 4, 4]), zeros([32]), { stride: 2, padding: 1 });
 * up.shape; // [16, 32, 14, 14]
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: ConvTransposeOptions,
): Tensor {
  return convolveTransposed(planConvTranspose('convTranspose2d', 2, input, weight, bias, options));
}

/**
 * 3-D transposed convolution (PyTorch's `torch.nn.functional.conv_transpose3d`):
 * an input `[N, C, D, H, W]` (or unbatched `[C, D, H, W]`), a weight
 * `[C, outChannels / groups, kD, kH, kW]` and an optional bias `[outChannels]`.
 *
 * @example
 * convTranspose3d(randn([1, 4, 2, 3, 3]), randn([4, 2, 2, 2, 2]), null, { stride: 2 }).shape; // [1, 2, 4, 6, 6]
 */
export function convTranspose3d(
  input: Tensor,
  weight: Tensor,
  bias?: Tensor | null,
  options?: ConvTransposeOptions,
): Tensor {
  return convolveTransposed(planConvTranspose('convTranspose3d', 3, input, weight, bias, options));
}
