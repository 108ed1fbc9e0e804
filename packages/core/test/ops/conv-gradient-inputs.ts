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

/** Options of a convolution, as drawn. */
export interface ConvDraw {
  stride?: number[];
  padding?: number[] | 'same' | 'valid';
  dilation?: number[];
  groups?: number;
}

/**
 * A convolution's input `[N, C, ...]` (or unbatched), weight
 * `[O, C / groups, ...kernel]`, bias `[O]` or null, and options: numeric
 * padding, 'valid', or 'same' (with stride 1); 1-2 groups.
 */
export function convArgs(dims: number, maxSize = 4) {
  const shape = fc.record({
    n: fc.integer({ min: 0, max: 2 }),
    groups: fc.integer({ min: 1, max: 2 }),
    perGroup: fc.integer({ min: 1, max: 2 }),
    outPerGroup: fc.integer({ min: 1, max: 2 }),
    padding: fc.constantFrom('numbers', 'same', 'valid'),
    bias: fc.boolean(),
  });
  return fc.tuple(shape, arbDims(dims, { maxSize, maxPadding: 2 })).chain(([s, ds]) => {
    const options: ConvDraw = { dilation: field(ds, 'dilation'), groups: s.groups };
    if (s.padding === 'same') options.padding = 'same';
    else {
      options.stride = field(ds, 'stride');
      options.padding = s.padding === 'valid' ? 'valid' : field(ds, 'padding');
    }
    // The dilated kernel must fit the padded input ('same' pads dilation·(k − 1) in all).
    const fits = ds.every((d) => {
      const reach = d.dilation * (d.kernel - 1) + 1;
      const pad = s.padding === 'same' ? reach - 1 : s.padding === 'valid' ? 0 : 2 * d.padding;
      return d.size + pad >= reach;
    });
    const c = s.groups * s.perGroup;
    const o = s.groups * s.outPerGroup;
    const size = fits
      ? field(ds, 'size')
      : field(ds, 'size').map((v, i) => Math.max(v, (ds[i] as Dim).dilation * ((ds[i] as Dim).kernel - 1) + 1));
    return fc.tuple(
      arbTensor({ shape: [...(s.n === 0 ? [] : [s.n]), c, ...size] }),
      arbTensor({ shape: [o, s.perGroup, ...field(ds, 'kernel')] }),
      s.bias ? arbTensor({ shape: [o] }) : fc.constant(null),
      fc.constant(options),
    );
  });
}

/**
 * A transposed convolution's input, weight `[C, O / groups, ...kernel]`,
 * bias `[O]` or null, and options, with an output padding below the stride
 * or the dilation and an output of at least one element per dimension.
 */
export function convTransposeArgs(dims: number, maxSize = 3) {
  const shape = fc.record({
    n: fc.integer({ min: 0, max: 2 }),
    groups: fc.integer({ min: 1, max: 2 }),
    perGroup: fc.integer({ min: 1, max: 2 }),
    outPerGroup: fc.integer({ min: 1, max: 2 }),
    bias: fc.boolean(),
    extra: fc.array(fc.nat(2), { minLength: dims, maxLength: dims }),
  });
  const dim = fc
    .record({
      size: fc.integer({ min: 1, max: maxSize }),
      kernel: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 3 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      padding: fc.integer({ min: 0, max: 1 }),
    })
    .filter((d) => (d.size - 1) * d.stride - 2 * d.padding + d.dilation * (d.kernel - 1) + 1 >= 1);
  return fc.tuple(shape, fc.array(dim, { minLength: dims, maxLength: dims })).chain(([s, ds]) => {
    const c = s.groups * s.perGroup;
    const o = s.groups * s.outPerGroup;
    const options = {
      stride: field(ds, 'stride'),
      padding: field(ds, 'padding'),
      dilation: field(ds, 'dilation'),
      groups: s.groups,
      outputPadding: ds.map((d, i) => Math.min(s.extra[i] as number, Math.max(d.stride, d.dilation) - 1)),
    };
    return fc.tuple(
      arbTensor({ shape: [...(s.n === 0 ? [] : [s.n]), c, ...field(ds, 'size')] }),
      arbTensor({ shape: [c, s.outPerGroup, ...field(ds, 'kernel')] }),
      s.bias ? arbTensor({ shape: [o] }) : fc.constant(null),
      fc.constant(options),
    );
  });
}
