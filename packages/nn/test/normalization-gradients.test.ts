/**
 * Gradient properties of the normalization layers in training mode, float64,
 * over random small configurations: the input gradient (which runs through
 * the batch or instance statistics) to second order through the layers
 * themselves, the weight and bias gradients to second order through the
 * functional forms the layers call, and the layers' own parameter gradients
 * against finite differences.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { type Tensor, noGrad, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import {
  BatchNorm1d,
  BatchNorm2d,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
  batchNorm,
  groupNorm,
  instanceNorm,
} from '../src/index';
import { expectParameterGradientMatches } from './helpers';

/** Each property runs dozens of first- and second-order checks: seconds on a loaded machine, beyond vitest's 5 s default. */
const slow = 60_000;

/** Distinct values (gap 0.1) keep every variance well above 0, where finite differences are accurate. */
const arbInput = (shape: number[]) => arbTensor({ shape, min: -6, max: 6, minGap: 0.1 });
const arbAffine = (c: number) => fc.tuple(arbTensor({ shape: [c], min: 0.5, max: 2 }), arbTensor({ shape: [c] }));

/** A shape [N, C, ...spatial] with N in [minN, 3], C in [1, 3] and each spatial size in [1, 3]. */
const arbShape = (spatial: number, minN = 1) =>
  fc.tuple(
    fc.integer({ min: minN, max: 3 }),
    fc.integer({ min: 1, max: 3 }),
    fc.array(fc.integer({ min: 1, max: 3 }), { minLength: spatial, maxLength: spatial }),
  );

/** Loads γ and β into a layer's weight and bias. */
function setAffine(layer: { weight: Tensor | null; bias: Tensor | null }, w: Tensor, b: Tensor): void {
  noGrad(() => {
    layer.weight?.copyFrom(w);
    layer.bias?.copyFrom(b);
  });
}

const checkBoth = (f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]) => {
  assertGradcheck(f, inputs);
  assertGradgradcheck(f, inputs);
};

describe('BatchNorm gradients in training mode', () => {
  it(
    'BatchNorm1d and BatchNorm2d: input to second order through the batch statistics',
    () => {
      const config = fc
        .tuple(fc.integer({ min: 0, max: 2 }), arbShape(2, 2), fc.boolean(), fc.constantFrom(0.1, null))
        .filter(([, [n, , s]]) => n * s.reduce((a, b) => a * b, 1) > 1)
        .chain(([spatial, [n, c, s], track, momentum]) => {
          const shape = spatial === 2 ? [n, c, ...s] : [n, c, ...s.slice(0, spatial)];
          return fc.tuple(fc.constant(shape), fc.constant(track), fc.constant(momentum), arbInput(shape), arbAffine(c));
        });
      fc.assert(
        fc.property(config, ([shape, track, momentum, x, [w, b]]) => {
          const c = shape[1] as number;
          const options = { dtype: 'float64', trackRunningStats: track, momentum } as const;
          const layer = shape.length === 4 ? new BatchNorm2d(c, options) : new BatchNorm1d(c, options);
          setAffine(layer, w, b);
          checkBoth((input) => layer.forward(input), [x]);
        }),
        { numRuns: 12 },
      );
    },
    slow,
  );

  it(
    'batchNorm: input, weight and bias to second order',
    () => {
      const config = arbShape(1, 2).chain(([n, c, s]) => fc.tuple(arbInput([n, c, ...s]), arbAffine(c)));
      fc.assert(
        fc.property(config, ([x, [w, b]]) => {
          checkBoth((input, weight, bias) => batchNorm(input, null, null, { weight, bias, training: true }), [x, w, b]);
        }),
        { numRuns: 10 },
      );
    },
    slow,
  );

  it("BatchNorm2d's own weight and bias match finite differences", () => {
    const layer = new BatchNorm2d(2, { dtype: 'float64' });
    const x = tensor(
      Array.from({ length: 16 }, (_, i) => Math.sin(3 * i) * 2),
      { shape: [2, 2, 2, 2], dtype: 'float64' },
    );
    const v = tensor(
      Array.from({ length: 16 }, (_, i) => Math.cos(i)),
      { shape: [2, 2, 2, 2], dtype: 'float64' },
    );
    setAffine(layer, tensor([1.5, 0.5], { dtype: 'float64' }), tensor([0.2, -0.3], { dtype: 'float64' }));
    const loss = () => layer.forward(x).mul(v).square().sum();
    expectParameterGradientMatches(loss, layer.weight as Tensor);
    expectParameterGradientMatches(loss, layer.bias as Tensor);
  });
});

describe('InstanceNorm gradients in training mode', () => {
  it(
    'InstanceNorm1d and InstanceNorm2d (affine, batched or not): input to second order',
    () => {
      const config = fc
        .tuple(fc.integer({ min: 1, max: 2 }), arbShape(2), fc.boolean())
        .filter(([spatial, [, , s]]) => s.slice(0, spatial).reduce((a, b) => a * b, 1) > 1)
        .chain(([spatial, [n, c, s], batched]) => {
          const shape = [...(batched ? [n] : []), c, ...s.slice(0, spatial)];
          return fc.tuple(fc.constant(spatial), fc.constant(shape), arbInput(shape), arbAffine(c));
        });
      fc.assert(
        fc.property(config, ([spatial, shape, x, [w, b]]) => {
          const c = shape[shape.length - spatial - 1] as number;
          const options = { dtype: 'float64', affine: true, trackRunningStats: true } as const;
          const layer = spatial === 2 ? new InstanceNorm2d(c, options) : new InstanceNorm1d(c, options);
          setAffine(layer, w, b);
          checkBoth((input) => layer.forward(input), [x]);
        }),
        { numRuns: 12 },
      );
    },
    slow,
  );

  it(
    'instanceNorm: input, weight and bias to second order',
    () => {
      const config = fc
        .tuple(arbShape(1), fc.integer({ min: 2, max: 3 }))
        .chain(([[n, c], l]) => fc.tuple(arbInput([n, c, l]), arbAffine(c)));
      fc.assert(
        fc.property(config, ([x, [w, b]]) => {
          checkBoth((input, weight, bias) => instanceNorm(input, { weight, bias }), [x, w, b]);
        }),
        { numRuns: 10 },
      );
    },
    slow,
  );
});

describe('GroupNorm gradients', () => {
  const config = fc
    .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), arbShape(1))
    .filter(([groups, per, [n, , s]]) => n * per * s.reduce((a, b) => a * b, 1) > 1 && groups > 0)
    .chain(([groups, per, [n, , s]]) => {
      const shape = [n, groups * per, ...s];
      return fc.tuple(fc.constant(groups), arbInput(shape), arbAffine(groups * per));
    });

  it(
    'GroupNorm: input to second order',
    () => {
      fc.assert(
        fc.property(config, ([groups, x, [w, b]]) => {
          const layer = new GroupNorm(groups, x.shape[1] as number, { dtype: 'float64' });
          setAffine(layer, w, b);
          checkBoth((input) => layer.forward(input), [x]);
        }),
        { numRuns: 12 },
      );
    },
    slow,
  );

  it(
    'groupNorm: input, weight and bias to second order',
    () => {
      fc.assert(
        fc.property(config, ([groups, x, [w, b]]) => {
          checkBoth((input, weight, bias) => groupNorm(input, groups, { weight, bias }), [x, w, b]);
        }),
        { numRuns: 10 },
      );
    },
    slow,
  );
});
