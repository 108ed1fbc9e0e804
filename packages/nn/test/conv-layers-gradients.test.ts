/**
 * Gradient properties of the convolution, pooling and resampling layers
 * over random small configurations, in float64: the input's gradient
 * against finite differences (gradcheck), the second derivatives of a
 * non-linear function of the output (gradgradcheck), and each parameter's
 * gradient against finite differences taken by nudging the parameter in
 * place.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Generator, randn, type InterpolateMode, type Tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  MaxPool1d,
  MaxPool2d,
  Upsample,
  type AnyModule,
  type PaddingMode,
} from '../src/index';
import { expectParameterGradientMatches } from './helpers';
import { cotangent, run } from './window-layer-fixtures';

const runs = { numRuns: Number(process.env['GRAD_RUNS'] ?? 12) };
const random = (shape: number[], seed: number): Tensor =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed) });

/** Checks the input's first and second derivatives and every parameter's gradient. */
function checkLayer(layer: AnyModule, x: Tensor): void {
  const out = (t: Tensor) => run(layer, t, null).values;
  assertGradcheck(out, [x]);
  assertGradgradcheck((t: Tensor) => out(t).square(), [x]);
  const shape = out(x).shape;
  for (const [, p] of layer.namedParameters()) {
    expectParameterGradientMatches(() => out(x).mul(cotangent(shape)).sum(), p);
  }
}

describe('convolution layers', () => {
  const config = fc.record({
    dims: fc.constantFrom(1, 2, 3),
    groups: fc.constantFrom(1, 2),
    inPer: fc.integer({ min: 1, max: 2 }),
    outPer: fc.integer({ min: 1, max: 2 }),
    kernel: fc.integer({ min: 1, max: 3 }),
    stride: fc.integer({ min: 1, max: 2 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('same' as const, 'valid' as const)),
    paddingMode: fc.constantFrom<PaddingMode>('zeros', 'reflect', 'replicate', 'circular'),
    bias: fc.boolean(),
    batched: fc.boolean(),
    extra: fc.integer({ min: 0, max: 1 }),
    seed: fc.integer({ min: 0, max: 10_000 }),
  });

  it('Conv1d/2d/3d: gradients for the input (first and second order) and for weight and bias', () => {
    fc.assert(
      fc.property(config, (c) => {
        // 3-D stays small (one unbatched channel, kernel ≤ 2): gradcheck differentiates through every input element.
        const small = c.dims === 3;
        const kernel = small ? Math.min(c.kernel, 2) : c.kernel;
        const dilation = small ? 1 : c.dilation;
        const groups = small ? 1 : c.groups;
        const inChannels = small ? 1 : groups * c.inPer;
        const stride = c.padding === 'same' ? 1 : c.stride;
        const reach = dilation * (kernel - 1) + 1;
        const pad = c.padding === 'same' ? reach - 1 : c.padding === 'valid' ? 0 : c.padding;
        // Long enough for the kernel and for a reflected border (which must be shorter than the input).
        const n = Math.max(reach, pad + 1) + c.extra;
        const Layer = [Conv1d, Conv2d, Conv3d][c.dims - 1] as typeof Conv2d;
        const layer = new Layer(inChannels, groups * c.outPer, kernel, {
          stride,
          dilation,
          padding: c.padding,
          paddingMode: c.paddingMode,
          groups,
          bias: c.bias,
          dtype: 'float64',
          generator: new Generator(c.seed),
        });
        const shape = [...(c.batched && !small ? [2] : []), inChannels, ...new Array<number>(c.dims).fill(n)];
        checkLayer(layer, random(shape, c.seed + 1));
      }),
      runs,
    );
  }, 60_000);

  it('ConvTranspose1d/2d: gradients for the input (first and second order) and for weight and bias', () => {
    const transposed = fc.record({
      dims: fc.constantFrom(1, 2),
      groups: fc.constantFrom(1, 2),
      inPer: fc.integer({ min: 1, max: 2 }),
      outPer: fc.integer({ min: 1, max: 2 }),
      kernel: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      padding: fc.integer({ min: 0, max: 1 }),
      outputPadding: fc.integer({ min: 0, max: 1 }),
      bias: fc.boolean(),
      batched: fc.boolean(),
      n: fc.integer({ min: 2, max: 3 }),
      seed: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(transposed, (c) => {
        const outputPadding = c.outputPadding < Math.max(c.stride, c.dilation) ? c.outputPadding : 0;
        // The output (n − 1)·stride − 2·padding + dilation·(k − 1) + outputPadding + 1 must be at least 1.
        const padding = (c.n - 1) * c.stride + c.dilation * (c.kernel - 1) + 1 > 2 * c.padding ? c.padding : 0;
        const Layer = c.dims === 1 ? ConvTranspose1d : ConvTranspose2d;
        const layer = new Layer(c.groups * c.inPer, c.groups * c.outPer, c.kernel, {
          stride: c.stride,
          dilation: c.dilation,
          padding,
          outputPadding,
          groups: c.groups,
          bias: c.bias,
          dtype: 'float64',
          generator: new Generator(c.seed),
        });
        const shape = [...(c.batched ? [2] : []), c.groups * c.inPer, ...new Array<number>(c.dims).fill(c.n)];
        checkLayer(layer, random(shape, c.seed + 1));
      }),
      runs,
    );
  }, 60_000);
});

describe('pooling and resampling layers', () => {
  it('MaxPool1d/2d and AvgPool1d/2d: the input gradient, first and second order', () => {
    const pools = fc.record({
      dims: fc.constantFrom(1, 2),
      max: fc.boolean(),
      kernel: fc.integer({ min: 1, max: 3 }),
      stride: fc.integer({ min: 1, max: 2 }),
      dilation: fc.integer({ min: 1, max: 2 }),
      padding: fc.integer({ min: 0, max: 1 }),
      ceilMode: fc.boolean(),
      countIncludePad: fc.boolean(),
      batched: fc.boolean(),
      extra: fc.integer({ min: 0, max: 2 }),
      seed: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(pools, (c) => {
        const padding = Math.min(c.padding, Math.floor(c.kernel / 2));
        const dilation = c.max ? c.dilation : 1;
        const n = dilation * (c.kernel - 1) + 1 + c.extra;
        const options = { stride: c.stride, padding, ceilMode: c.ceilMode };
        const layer = c.max
          ? new (c.dims === 1 ? MaxPool1d : MaxPool2d)(c.kernel, { ...options, dilation })
          : new (c.dims === 1 ? AvgPool1d : AvgPool2d)(c.kernel, { ...options, countIncludePad: c.countIncludePad });
        const shape = [...(c.batched ? [2] : []), 2, ...new Array<number>(c.dims).fill(n)];
        checkLayer(layer, random(shape, c.seed));
      }),
      runs,
    );
  }, 60_000);

  it('AdaptiveAvgPool and AdaptiveMaxPool (with and without indices): the input gradient', () => {
    const adaptive = fc.record({
      dims: fc.constantFrom(1, 2),
      kind: fc.constantFrom('avg', 'max', 'max with indices'),
      n: fc.integer({ min: 1, max: 6 }),
      out: fc.integer({ min: 1, max: 4 }),
      batched: fc.boolean(),
      seed: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(adaptive, (c) => {
        const returnIndices = c.kind === 'max with indices';
        const layer =
          c.kind === 'avg'
            ? new (c.dims === 1 ? AdaptiveAvgPool1d : AdaptiveAvgPool2d)(c.out)
            : new (c.dims === 1 ? AdaptiveMaxPool1d : AdaptiveMaxPool2d)(c.out, { returnIndices });
        const shape = [...(c.batched ? [2] : []), 2, ...new Array<number>(c.dims).fill(c.n)];
        checkLayer(layer, random(shape, c.seed));
      }),
      runs,
    );
  }, 60_000);

  it('Upsample in every mode: the input gradient, first and second order', () => {
    // Each mode with the number of spatial dimensions it takes.
    const modes: Record<InterpolateMode, number> = {
      nearest: 1,
      'nearest-exact': 2,
      area: 2,
      linear: 1,
      bilinear: 2,
      bicubic: 2,
      trilinear: 3,
    };
    const upsample = fc.record({
      mode: fc.constantFrom(...(Object.keys(modes) as InterpolateMode[])),
      bySize: fc.boolean(),
      size: fc.integer({ min: 1, max: 5 }),
      scale: fc.constantFrom(0.5, 1.5, 2, 3),
      alignCorners: fc.boolean(),
      n: fc.integer({ min: 2, max: 3 }),
      seed: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(upsample, (c) => {
        const mode = c.mode;
        const dims = modes[mode];
        const cornered = mode === 'linear' || mode === 'bilinear' || mode === 'bicubic' || mode === 'trilinear';
        const layer = new Upsample({
          mode,
          ...(c.bySize ? { size: c.size } : { scaleFactor: c.scale }),
          ...(cornered ? { alignCorners: c.alignCorners } : {}),
        });
        const n = Math.max(c.n, c.bySize ? 1 : Math.ceil(1 / c.scale));
        checkLayer(layer, random([1, 2, ...new Array<number>(dims).fill(n)], c.seed));
      }),
      runs,
    );
  }, 60_000);
});
