/**
 * Argument lists of the convolution family for the op table
 * (gradient-cases.ts): random window configurations (sizes, kernels, strides,
 * dilations, paddings that leave at least one window), small enough for
 * finite differences, which evaluate the op twice per input element.
 */
import fc from 'fast-check';
import { tensor, type Tensor } from '../../src/index';
import { arbTensor } from '../../src/testing/properties';

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

/** PyTorch's pool output size along a dimension (ceilMode drops a last window starting in the right padding). */
function poolWindows(d: Dim, ceilMode: boolean): number {
  let out =
    Math.floor((d.size + 2 * d.padding - d.dilation * (d.kernel - 1) - 1 + (ceilMode ? d.stride - 1 : 0)) / d.stride) +
    1;
  if (ceilMode && (out - 1) * d.stride >= d.size + d.padding) out--;
  return out;
}

/** Every window has a tap inside the input (a dilated one can fall into the padding only, which is refused). */
function everyWindowReads(d: Dim, ceilMode: boolean): boolean {
  for (let o = 0; o < poolWindows(d, ceilMode); o++) {
    const start = o * d.stride - d.padding;
    let reads = false;
    for (let j = 0; j < d.kernel; j++) reads ||= start + j * d.dilation >= 0 && start + j * d.dilation < d.size;
    if (!reads) return false;
  }
  return true;
}

/** A pool's input (N and C of 1-2, or unbatched), kernel size and dimensions with at least one window. */
function poolInput(dims: number, o: DimOptions & { dilation: boolean; minGap?: number }) {
  return fc
    .tuple(
      arbDims(dims, {
        maxSize: 5,
        maxKernel: 3,
        maxStride: 3,
        maxDilation: o.dilation ? 2 : 1,
        halfKernelPadding: true,
      }),
      fc.integer({ min: 0, max: 2 }),
      fc.integer({ min: 1, max: 2 }),
      fc.boolean(),
    )
    .filter(([ds, , , ceil]) => ds.every((d) => poolWindows(d, ceil) >= 1 && everyWindowReads(d, ceil)))
    .chain(([ds, n, c, ceilMode]) =>
      fc.tuple(
        arbTensor({
          shape: [...(n === 0 ? [] : [n]), c, ...field(ds, 'size')],
          ...(o.minGap === undefined ? {} : { minGap: o.minGap, min: -4, max: 4 }),
        }),
        fc.constant(ds),
        fc.constant(ceilMode),
      ),
    );
}

/** A max pool's input without ties (minGap), kernel size and options (stride, padding ≤ k/2, dilation, ceilMode). */
export const maxPoolArgs = (dims: number) =>
  poolInput(dims, { dilation: true, minGap: 1e-3 }).map(
    ([x, ds, ceilMode]): [
      Tensor,
      number[],
      { stride: number[]; padding: number[]; dilation: number[]; ceilMode: boolean },
    ] => [
      x,
      field(ds, 'kernel'),
      { stride: field(ds, 'stride'), padding: field(ds, 'padding'), dilation: field(ds, 'dilation'), ceilMode },
    ],
  );

/** An average pool's input, kernel size and options, countIncludePad and divisorOverride included. */
export const avgPoolArgs = (dims: number) =>
  fc.tuple(poolInput(dims, { dilation: false }), fc.boolean(), fc.constantFrom(null, 3, -2)).map(
    ([[x, ds, ceilMode], countIncludePad, divisorOverride]) =>
      [
        x,
        field(ds, 'kernel'),
        { stride: field(ds, 'stride'), padding: field(ds, 'padding'), ceilMode, countIncludePad, divisorOverride },
      ] as [
        Tensor,
        number[],
        {
          stride: number[];
          padding: number[];
          ceilMode: boolean;
          countIncludePad: boolean;
          divisorOverride: number | null;
        },
      ],
  );

/** An adaptive pool's input (any values, or without ties) and output size (numbers, or null to keep a size). */
export const adaptiveArgs = (dims: number, minGap?: number) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: dims, maxLength: dims }),
      fc.array(fc.option(fc.integer({ min: 1, max: 4 }), { nil: null, freq: 4 }), { minLength: dims, maxLength: dims }),
      fc.integer({ min: 0, max: 2 }),
    )
    .chain(([size, out, n]) =>
      fc.tuple(
        arbTensor({
          shape: [...(n === 0 ? [] : [n]), 2, ...size],
          ...(minGap === undefined ? {} : { minGap, min: -4, max: 4 }),
        }),
        fc.constant(out),
      ),
    );

/**
 * maxUnpool's input, indices (distinct within each plane, so every value
 * lands on a place of its own and the function is differentiable), kernel
 * size and stride.
 */
export const maxUnpoolArgs = (dims: number) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: dims, maxLength: dims }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: dims, maxLength: dims }),
      fc.integer({ min: 0, max: 2 }),
    )
    .chain(([size, kernel, n]) => {
      const planes = Math.max(n, 1) * 2;
      const inPlane = size.reduce((p, v) => p * v, 1);
      const outPlane = size.reduce((p, v, i) => p * ((v - 1) * (kernel[i] as number) + (kernel[i] as number)), 1);
      const positions = Array.from({ length: outPlane }, (_, i) => i);
      const shape = [...(n === 0 ? [] : [n]), 2, ...size];
      return fc.tuple(
        arbTensor({ shape }),
        fc
          .array(fc.shuffledSubarray(positions, { minLength: inPlane, maxLength: inPlane }), {
            minLength: planes,
            maxLength: planes,
          })
          .map((lists) => tensor(Int32Array.from(lists.flat()), { shape })),
        fc.constant(kernel),
      );
    });

/** Constant padding: a tensor of rank 1-3, pads for 1..rank dimensions (crops included), a value. */
export const constantPadArgs = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
  fc.integer({ min: 1, max: shape.length }).chain((dims) =>
    fc.tuple(
      arbTensor({ shape }),
      fc
        .array(fc.integer({ min: -1, max: 2 }), { minLength: 2 * dims, maxLength: 2 * dims })
        .filter((pads) =>
          Array.from(
            { length: dims },
            (_, k) => (shape[shape.length - 1 - k] as number) + (pads[2 * k] as number) + (pads[2 * k + 1] as number),
          ).every((n) => n >= 0),
        ),
      fc.constantFrom(0, 1.5),
    ),
  ),
);

/** Reflect, replicate or circular padding of 1-3 dimensions, within PyTorch's bounds, crops included. */
export const borderPadArgs = fc
  .tuple(
    fc.constantFrom('reflect' as const, 'replicate' as const, 'circular' as const),
    fc.integer({ min: 1, max: 3 }),
    fc.boolean(),
  )
  .chain(([mode, dims, batched]) => {
    const lead = mode === 'circular' || batched ? [1, 2] : [2];
    const sizes = fc.array(fc.integer({ min: 2, max: dims === 3 ? 3 : 4 }), { minLength: dims, maxLength: dims });
    return sizes.chain((s) => {
      // Pads per dimension, last first, each within what the mode allows for a size of s.
      const bound = (n: number) => (mode === 'reflect' ? n - 1 : mode === 'circular' ? n - 1 : n + 1);
      const pairs = s
        .slice()
        .reverse()
        .map((n) =>
          fc
            .tuple(fc.integer({ min: -1, max: bound(n) }), fc.integer({ min: -1, max: bound(n) }))
            .filter(([p, q]) => mode !== 'circular' || Math.max(p, q) <= n - Math.max(-p, 0) - Math.max(-q, 0)),
        );
      return fc.tuple(
        arbTensor({ shape: [...lead, ...s] }),
        fc.tuple(...pairs).map((ps) => ps.flat()),
        fc.constant(mode),
      );
    });
  });

const interpolateRank: Record<string, number> = { linear: 1, bilinear: 2, bicubic: 2, trilinear: 3 };

/** interpolate's options as drawn. */
export interface InterpolateDraw {
  mode: 'nearest' | 'nearest-exact' | 'area' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear';
  size?: number[];
  scaleFactor?: number[];
  alignCorners?: boolean;
}

/** interpolate's input [N, C, ...] and options: every mode, size or scaleFactor, alignCorners where it applies. */
export const interpolateArgs = fc
  .constantFrom('nearest', 'nearest-exact', 'area', 'linear', 'bilinear', 'bicubic', 'trilinear' as const)
  .chain((mode) =>
    fc
      .tuple(
        interpolateRank[mode] === undefined
          ? fc.integer({ min: 1, max: 3 })
          : fc.constant(interpolateRank[mode] as number),
        fc.integer({ min: 1, max: 2 }),
        fc.boolean(),
        fc.option(fc.boolean(), { nil: undefined }),
      )
      .chain(([dims, n, bySize, alignCorners]) =>
        fc
          .tuple(
            fc.array(fc.integer({ min: 1, max: dims === 3 ? 3 : 4 }), { minLength: dims, maxLength: dims }),
            fc.array(fc.integer({ min: 1, max: 5 }), { minLength: dims, maxLength: dims }),
            fc.array(fc.constantFrom(0.5, 1.5, 2, 2.5), { minLength: dims, maxLength: dims }),
          )
          .chain(([size, out, factors]) => {
            const linearish = mode === 'linear' || mode === 'bilinear' || mode === 'bicubic' || mode === 'trilinear';
            const options: InterpolateDraw = { mode };
            if (bySize) options.size = out;
            else options.scaleFactor = factors.map((f, i) => (Math.floor((size[i] as number) * f) >= 1 ? f : 2));
            if (linearish && alignCorners !== undefined) options.alignCorners = alignCorners;
            return fc.tuple(arbTensor({ shape: [n, 2, ...size] }), fc.constant(options));
          }),
      ),
  );
