/**
 * Argument lists of the convolution family for the op table
 * (gradient-cases.ts): random window configurations (sizes, kernels, strides,
 * dilations, paddings that leave at least one window), small enough for
 * finite differences, which evaluate the op twice per input element.
 */
import fc from 'fast-check';
import type { Tensor } from '../../src/index';
import { arbTensor } from '../../src/testing/index';

/** One spatial dimension of a sliding window. */
export interface Dim {
  size: number;
  kernel: number;
  stride: number;
  dilation: number;
  padding: number;
}

/** PyTorch's number of windows along a dimension. */
export const windows = (d: Dim) =>
  Math.floor((d.size + 2 * d.padding - d.dilation * (d.kernel - 1) - 1) / d.stride) + 1;

export interface DimOptions {
  maxSize?: number;
  maxKernel?: number;
  maxStride?: number;
  maxDilation?: number;
  maxPadding?: number;
  /** Padding at most half the kernel (the pools' rule). */
  halfKernelPadding?: boolean;
}

/** One dimension with at least one window. */
export function arbDim(o: DimOptions = {}): fc.Arbitrary<Dim> {
  return fc
    .record({
      size: fc.integer({ min: 1, max: o.maxSize ?? 4 }),
      kernel: fc.integer({ min: 1, max: o.maxKernel ?? 3 }),
      stride: fc.integer({ min: 1, max: o.maxStride ?? 2 }),
      dilation: fc.integer({ min: 1, max: o.maxDilation ?? 2 }),
      padding: fc.integer({ min: 0, max: o.maxPadding ?? 1 }),
    })
    .filter((d) => windows(d) >= 1 && (o.halfKernelPadding !== true || d.padding <= Math.floor(d.kernel / 2)));
}

/** `dims` dimensions of windows. */
export const arbDims = (dims: number, o: DimOptions = {}) => fc.array(arbDim(o), { minLength: dims, maxLength: dims });

const field = (ds: readonly Dim[], key: keyof Dim) => ds.map((d) => d[key]);

/** unfold's input [N, C, H, W] (or unbatched [C, H, W]), kernel size and options. */
export const unfoldArgs = fc
  .tuple(arbDims(2), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }))
  .chain(([ds, c, n]) =>
    fc.tuple(
      arbTensor({ shape: [...(n === 0 ? [] : [n]), c, ...field(ds, 'size')] }),
      fc.constant(field(ds, 'kernel')),
      fc.constant({ stride: field(ds, 'stride'), dilation: field(ds, 'dilation'), padding: field(ds, 'padding') }),
    ),
  );

/** fold's input [N, C·kH·kW, L] (or unbatched), output size, kernel size and options. */
export const foldArgs = fc
  .tuple(arbDims(2), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 0, max: 2 }))
  .chain(([ds, c, n]) => {
    const k = ds.reduce((p, d) => p * d.kernel, 1);
    const l = ds.reduce((p, d) => p * windows(d), 1);
    return fc.tuple(
      arbTensor({ shape: [...(n === 0 ? [] : [n]), c * k, l] }),
      fc.constant(field(ds, 'size')),
      fc.constant(field(ds, 'kernel')),
      fc.constant({ stride: field(ds, 'stride'), dilation: field(ds, 'dilation'), padding: field(ds, 'padding') }),
    );
  });

export type UnfoldCall = [Tensor, number[], { stride: number[]; dilation: number[]; padding: number[] }];
