/**
 * Max unpooling (PyTorch's torch.nn.functional.max_unpool1d/2d): the values
 * of a max pool put back at the positions its indices name, zeros elsewhere.
 * One op writes them; its backward reads g at the same positions (takeFlat),
 * whose backward adds into them (putFlat), so any order works.
 */
import { place } from '../kernels/pool';
import { ArgumentError, DTypeError, IndexError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { allocate, type FloatArray } from '../tensor/dtype';
import { checkSize, formatShape, sameShape, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, describeOperand, emptyLike, type OpDef, type Unary } from './define';
import { takeFlat } from './index-ops';
import { copyOf } from './shape';
import { formatSizes, perDim, windowInput, windowOptions, type SizeArg } from './window-args';

export interface Placement {
  /** For each input element, its position in the (contiguous) output: int32, shaped like the input. */
  index: Tensor;
  shape: Shape;
}

function unpoolOp(name: string): OpDef<Unary, Placement> {
  return {
    name,
    forward([x], { index, shape }) {
      const src = x.isContiguous ? x : copyOf(x);
      const out = emptyLike(shape, x.dtype);
      place(
        src.storage.data as FloatArray,
        src.offset,
        index.storage.data as Int32Array,
        out.storage.data as FloatArray,
      );
      return out;
    },
    // Each input element went to one place: its gradient is g read there.
    backward: (g, { params: { index } }) => [takeFlat(g, index)],
  };
}

/** The unpools' rows of the convolution family's table. */
export const unpoolOps = { maxUnpool1d: unpoolOp('maxUnpool1d'), maxUnpool2d: unpoolOp('maxUnpool2d') };

/** Options of maxUnpool1d/2d: PyTorch's keyword arguments. */
export interface MaxUnpoolOptions {
  /** The max pool's stride (default: the kernel size). */
  stride?: SizeArg | null;
  /** The max pool's padding (default 0). */
  padding?: SizeArg;
  /**
   * The size of the max pool's input (one number per spatial dimension, or
   * the whole shape with N and C), to choose among the sizes that pool to the
   * same output; default (in − 1)·stride − 2·padding + kernel.
   */
  outputSize?: readonly number[] | null;
}

const unpoolKeys = ['stride', 'padding', 'outputSize'] as const;

function unpoolSize(op: string, given: unknown, defaults: readonly number[], stride: readonly number[]): number[] {
  const dims = defaults.length;
  if (given === undefined || given === null) {
    if (defaults.some((d) => d < 1)) {
      throw new ShapeError(
        op,
        `the output would be ${formatSizes(defaults)}; each size must be at least 1 (less padding)`,
      );
    }
    return defaults.slice();
  }
  const list = Array.isArray(given) && given.length === dims + 2 ? given.slice(2) : given;
  const sizes = perDim(op, 'outputSize', list, dims, 0);
  if (!Array.isArray(list) || list.length !== dims) {
    throw new ArgumentError(
      op,
      `outputSize must list ${dims} sizes (or ${dims + 2} with N and C), got ${describeValue(given)}`,
    );
  }
  // NOTE: PyTorch accepts the sizes a max pool of this stride maps to the input's size: strictly within a stride of the default.
  sizes.forEach((n, i) => {
    const d = defaults[i] as number;
    const s = stride[i] as number;
    if (!(n > d - s && n < d + s)) {
      throw new ArgumentError(
        op,
        `outputSize ${formatSizes(sizes)} is not one a max pool of this kernel, stride and padding maps to the input: dimension ${i} must be between ${d - s + 1} and ${d + s - 1}`,
      );
    }
  });
  return sizes;
}

function maxUnpoolNd(
  op: string,
  dims: number,
  input: unknown,
  indices: unknown,
  kernelSize: unknown,
  options: unknown,
) {
  const o = windowOptions(op, options as MaxUnpoolOptions | undefined, unpoolKeys) as Record<string, unknown>;
  const { x, batched } = windowInput(op, input, dims, true);
  if (!(indices instanceof Tensor)) {
    throw new ArgumentError(op, `indices must be an int32 Tensor, got ${describeOperand(indices)}`);
  }
  if (indices.dtype !== 'int32') {
    throw new DTypeError(op, `indices must be int32 (as max pooling's WithIndices returns them), got ${indices.dtype}`);
  }
  const given = (input as Tensor)._shape;
  if (!sameShape(indices._shape, given)) {
    throw new ShapeError(
      op,
      `indices must have the input's shape ${formatShape(given)}, got ${formatShape(indices._shape)}`,
    );
  }
  const kernel = perDim(op, 'kernelSize', kernelSize, dims, 1);
  const noStride = o.stride === undefined || o.stride === null;
  const stride = noStride ? kernel.slice() : perDim(op, 'stride', o.stride, dims, 1);
  const padding = perDim(op, 'padding', o.padding ?? 0, dims, 0);
  const inSize = x._shape.slice(2);
  const defaults = inSize.map(
    (n, i) => (n - 1) * (stride[i] as number) - 2 * (padding[i] as number) + (kernel[i] as number),
  );
  const outSize = unpoolSize(op, o.outputSize, defaults, stride);
  const n = x._shape[0] as number;
  const c = x._shape[1] as number;
  const shape = [n, c, ...outSize];
  checkSize(op, shape);
  const plane = sizeOf(outSize);
  const inPlane = sizeOf(inSize);
  const src = (indices.isContiguous ? indices : copyOf(indices)).storage.data as Int32Array;
  const start = indices.isContiguous ? indices.offset : 0;
  const flat = allocate('int32', x.size);
  for (let i = 0; i < flat.length; i++) {
    const at = src[start + i] as number;
    if (at < 0 || at >= plane) {
      throw new IndexError(
        op,
        `index ${at} is out of range for an output plane of ${formatSizes(outSize)} = ${plane} elements (expected 0 to ${plane - 1})`,
      );
    }
    flat[i] = at + Math.floor(i / inPlane) * plane;
  }
  const out = apply(unpoolOps[op as keyof typeof unpoolOps], [x], {
    index: Tensor.fromData(flat, x._shape, 'int32'),
    shape,
  });
  return batched ? out : out.reshape(out._shape.slice(1));
}

/**
 * Undoes a 1-D max pool where it can (PyTorch's `max_unpool1d`): each value
 * of `input` `[N, C, L]` (or `[C, L]`) goes to the position in its row that
 * `indices` (from {@link maxPool1dWithIndices}) names, zeros elsewhere.
 *
 * @example
 * const { values, indices } = maxPool1dWithIndices(tensor([[[1, 3, 2, 5]]]), 2);
 * maxUnpool1d(values, indices, 2).toArray(); // [[[0, 3, 0, 5]]]
 */
export function maxUnpool1d(input: Tensor, indices: Tensor, kernelSize: SizeArg, options?: MaxUnpoolOptions): Tensor {
  return maxUnpoolNd('maxUnpool1d', 1, input, indices, kernelSize, options);
}

/**
 * Undoes a 2-D max pool where it can (PyTorch's `max_unpool2d`): each value
 * of `input` `[N, C, H, W]` (or `[C, H, W]`) goes to the position in its
 * plane that `indices` (from {@link maxPool2dWithIndices}) names, zeros
 * elsewhere; `outputSize` picks the size when several pool to the same one.
 *
 * @example
 * const { values, indices } = maxPool2dWithIndices(x, 2);     // x: [1, 1, 5, 5]
 * maxUnpool2d(values, indices, 2, { outputSize: [5, 5] }).shape; // [1, 1, 5, 5]
 */
export function maxUnpool2d(input: Tensor, indices: Tensor, kernelSize: SizeArg, options?: MaxUnpoolOptions): Tensor {
  return maxUnpoolNd('maxUnpool2d', 2, input, indices, kernelSize, options);
}
