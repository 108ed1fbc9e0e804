/**
 * unfold (im2col) and fold (col2im): the two linear maps every convolution
 * is made of. unfold lays each receptive field out as a column, fold adds
 * columns back into an image; each is the other's transpose, so each one's
 * backward is the other and gradients of any order stay within the pair.
 * The ops here take any window geometry over 1-3 spatial dimensions (conv1d,
 * conv3d and the transposed convolutions use them too); the public `unfold`
 * and `fold` are PyTorch's 2-D ones.
 */
import { col2im, im2col, type WindowGeometry } from '../kernels/im2col';
import { ArgumentError, ShapeError } from '../errors';
import { isFloat, type FloatArray } from '../tensor/dtype';
import { checkSize, formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, describeOperand, emptyLike, type OpDef, type Unary } from './define';
import { copyOf } from './shape';
import { to } from './cast';
import { formatSizes, perDim, productOf, windowInput, windowOptions, type SizeArg } from './window-args';

export type { WindowGeometry } from '../kernels/im2col';

const contiguousData = (x: Tensor): Tensor => (x.isContiguous ? x : copyOf(x));

const unfoldDef: OpDef<Unary, WindowGeometry> = {
  name: 'unfold',
  forward([x], geometry) {
    const src = contiguousData(x);
    const n = x._shape[0] as number;
    const c = x._shape[1] as number;
    const out = emptyLike([n, c * productOf(geometry.kernel), productOf(geometry.outSize)], x.dtype);
    im2col(src.storage.data as FloatArray, src.offset, out.storage.data as FloatArray, n * c, geometry);
    return out;
  },
  // unfold is linear, and its transpose is fold over the same windows.
  backward: (g, { params, inputShapes: [shape] }) => [foldWindows(g, params, (shape as number[])[1] as number)],
};

const foldDef: OpDef<Unary, WindowGeometry> = {
  name: 'fold',
  forward([cols], geometry) {
    const src = contiguousData(cols);
    const n = cols._shape[0] as number;
    const c = (cols._shape[1] as number) / productOf(geometry.kernel);
    const out = emptyLike([n, c, ...geometry.inSize], cols.dtype);
    col2im(src.storage.data as FloatArray, src.offset, out.storage.data as FloatArray, n * c, geometry);
    return out;
  },
  // fold is linear, and its transpose is unfold over the same windows.
  backward: (g, { params }) => [unfoldWindows(g, params)],
};

/** The rows of the convolution family's table that are primitives of their own (see pool.ts for the rest). */
export const unfoldOps = { unfold: unfoldDef, fold: foldDef };

/** @internal The columns `[N, C·K, L]` of x `[N, C, ...inSize]` for checked windows. */
export function unfoldWindows(x: Tensor, geometry: WindowGeometry): Tensor {
  return apply(unfoldDef, [x], geometry);
}

/** @internal Columns `[N, C·K, L]` added back into `[N, C, ...inSize]` for checked windows. */
export function foldWindows(cols: Tensor, geometry: WindowGeometry, channels: number): Tensor {
  checkSize('fold', [cols._shape[0] as number, channels, ...geometry.inSize]);
  return apply(foldDef, [cols], geometry);
}

/** Options of {@link unfold} and {@link fold}: PyTorch's keyword arguments. */
export interface UnfoldOptions {
  /** Spacing between kernel taps (default 1). */
  dilation?: SizeArg;
  /** Zeros added on both sides of each spatial dimension (default 0). */
  padding?: SizeArg;
  /** Step between windows (default 1). */
  stride?: SizeArg;
}

const unfoldKeys = ['dilation', 'padding', 'stride'] as const;

/** Windows along each dimension: ⌊(in + 2·pad − dilation·(k − 1) − 1) / stride⌋ + 1, as PyTorch counts them. */
export function windowCount(inSize: number, kernel: number, stride: number, dilation: number, pad: number): number {
  return Math.floor((inSize + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

interface Parsed {
  kernel: number[];
  dilation: number[];
  padding: number[];
  stride: number[];
}

function parseUnfold(op: string, kernelSize: unknown, options: UnfoldOptions | undefined): Parsed {
  const o = windowOptions(op, options, unfoldKeys);
  return {
    kernel: perDim(op, 'kernelSize', kernelSize, 2, 1),
    dilation: perDim(op, 'dilation', o.dilation ?? 1, 2, 1),
    padding: perDim(op, 'padding', o.padding ?? 0, 2, 0),
    stride: perDim(op, 'stride', o.stride ?? 1, 2, 1),
  };
}

function blocksOf(op: string, inSize: readonly number[], p: Parsed): number[] {
  const blocks = inSize.map((n, i) =>
    windowCount(n, p.kernel[i] as number, p.stride[i] as number, p.dilation[i] as number, p.padding[i] as number),
  );
  if (blocks.some((b) => b < 1)) {
    throw new ShapeError(
      op,
      `for spatial size ${formatSizes(inSize)}, kernelSize ${formatSizes(p.kernel)}, dilation ${formatSizes(p.dilation)}, padding ${formatSizes(p.padding)} and stride ${formatSizes(p.stride)} there are ${formatSizes(blocks)} windows; each must be at least 1 (the dilated kernel must fit in the padded input)`,
    );
  }
  return blocks;
}

/**
 * Extracts sliding local blocks (im2col), as PyTorch's
 * `torch.nn.functional.unfold`: for an input `[N, C, H, W]` (or unbatched
 * `[C, H, W]`) the result is `[N, C·kH·kW, L]`, where column l holds the
 * block at window position l (row-major over the output grid) and its rows
 * run over channels, then kernel rows, then kernel columns. Padding reads as
 * zeros. The gradient is {@link fold}.
 *
 * @example
 * const x = arange(16).reshape([1, 1, 4, 4]);
 * unfold(x, 2, { stride: 2 }).shape; // [1, 4, 4]: four 2×2 blocks, one per column
 */
export function unfold(input: Tensor, kernelSize: SizeArg, options?: UnfoldOptions): Tensor {
  const op = 'unfold';
  const { x, batched } = windowInput(op, input, 2, true);
  const p = parseUnfold(op, kernelSize, options);
  const inSize = x._shape.slice(2);
  const outSize = blocksOf(op, inSize, p);
  const n = x._shape[0] as number;
  const c = x._shape[1] as number;
  checkSize(op, [n, c * productOf(p.kernel), productOf(outSize)]);
  const geometry = { inSize, outSize, kernel: p.kernel, stride: p.stride, dilation: p.dilation, padBefore: p.padding };
  const out = unfoldWindows(x, geometry);
  return batched ? out : out.reshape(out._shape.slice(1));
}

/**
 * Combines sliding local blocks into an image (col2im), as PyTorch's
 * `torch.nn.functional.fold`: the adjoint of {@link unfold}. The input is
 * `[N, C·kH·kW, L]` (or unbatched `[C·kH·kW, L]`), L must be the number of
 * windows that fit `outputSize`, and the result `[N, C, ...outputSize]` is
 * the sum, at each pixel, of every block entry that covers it (entries that
 * fall into the padding are dropped). `fold(unfold(x))` is x times the number
 * of blocks covering each pixel.
 *
 * @example
 * const cols = ones([1, 4, 4]);         // four 2×2 blocks of ones
 * fold(cols, [3, 3], 2).toArray();      // [[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]: overlaps add up
 */
export function fold(input: Tensor, outputSize: SizeArg, kernelSize: SizeArg, options?: UnfoldOptions): Tensor {
  const op = 'fold';
  if (!(input instanceof Tensor))
    throw new ArgumentError(op, `the input must be a Tensor, got ${describeOperand(input)}`);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new ShapeError(
      op,
      `expected a 3-D input [N, C·kH·kW, L] or a 2-D unbatched one [C·kH·kW, L], got shape ${formatShape(input._shape)}`,
    );
  }
  if (input._shape.slice(input.ndim - 2).some((d) => d === 0)) {
    throw new ShapeError(
      op,
      `the input's last two dimensions must be non-empty, got shape ${formatShape(input._shape)}`,
    );
  }
  const size = perDim(op, 'outputSize', outputSize, 2, 1);
  const p = parseUnfold(op, kernelSize, options);
  const batched = input.ndim === 3;
  const x0 = isFloat(input.dtype) ? input : to(input, 'float32');
  const x = batched ? x0 : x0.reshape([1, ...x0._shape]);
  const rows = x._shape[1] as number;
  const k = productOf(p.kernel);
  if (rows % k !== 0) {
    throw new ShapeError(
      op,
      `the input's dimension ${batched ? 1 : 0} (${rows}) must be a multiple of the kernel's ${formatSizes(p.kernel)} = ${k} elements, got shape ${formatShape(input._shape)}`,
    );
  }
  const outSize = blocksOf(op, size, p);
  const blocks = productOf(outSize);
  if (x._shape[2] !== blocks) {
    throw new ShapeError(
      op,
      `outputSize ${formatSizes(size)} holds ${formatSizes(outSize)} = ${blocks} windows, so the input's last dimension must be ${blocks}, got shape ${formatShape(input._shape)}`,
    );
  }
  const geometry = {
    inSize: size,
    outSize,
    kernel: p.kernel,
    stride: p.stride,
    dilation: p.dilation,
    padBefore: p.padding,
  };
  const out = foldWindows(x, geometry, rows / k);
  return batched ? out : out.reshape(out._shape.slice(1));
}
