/**
 * The convolution family's entries of the hostile-argument fuzzer
 * (api-table.ts): plausible images, kernels and options in every position,
 * any of which the fuzzer may replace with something hostile.
 */
import fc from 'fast-check';
import * as core from '../../src/index';
import { randn } from '../../src/index';
import { thunk, type Thunk } from './arbitraries';
import type { ApiEntry } from './api-table';

type Loose = (...args: unknown[]) => unknown;

const fn = (name: string, f: unknown, ...slots: fc.Arbitrary<Thunk>[]): ApiEntry => ({
  names: [name],
  slots,
  call: (args) => (f as Loose)(...args),
});

const shapeThunk = (shape: number[], dtype: 'float32' | 'float64' = 'float32') =>
  thunk(`randn(${JSON.stringify(shape)}, { dtype: '${dtype}' })`, () => randn(shape, { dtype }));

/** A batched or unbatched image of `dims` spatial dimensions. */
const image = (dims: number) =>
  fc.constantFrom(
    shapeThunk([2, 2, ...new Array<number>(dims).fill(4)]),
    shapeThunk([2, ...new Array<number>(dims).fill(3)], 'float64'),
  );

const kernel = fc.constantFrom(
  thunk('2', () => 2),
  thunk('1', () => 1),
  thunk('[2, 1]', () => [2, 1]),
);

const unfoldOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 2 }', () => ({ stride: 2 })),
  thunk('{ padding: 1, dilation: 2 }', () => ({ padding: 1, dilation: 2 })),
);

const convOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 2, padding: 1 }', () => ({ stride: 2, padding: 1 })),
  thunk("{ padding: 'same', dilation: 2 }", () => ({ padding: 'same', dilation: 2 })),
  thunk('{ groups: 2 }', () => ({ groups: 2 })),
);

/** A weight [2, 2, 2...] or [4, 1, 3...] (depthwise with groups 2). */
const weight = (dims: number) =>
  fc.constantFrom(
    shapeThunk([2, 2, ...new Array<number>(dims).fill(2)]),
    shapeThunk([4, 1, ...new Array<number>(dims).fill(3)], 'float64'),
  );

const bias = fc.constantFrom(
  thunk('null', () => null),
  shapeThunk([2]),
  shapeThunk([4], 'float64'),
);

const convTransposeOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 2, padding: 1, outputPadding: 1 }', () => ({ stride: 2, padding: 1, outputPadding: 1 })),
  thunk('{ dilation: 2, outputPadding: 1 }', () => ({ dilation: 2, outputPadding: 1 })),
  thunk('{ groups: 2 }', () => ({ groups: 2 })),
);

const poolOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 1, padding: 1, ceilMode: true }', () => ({ stride: 1, padding: 1, ceilMode: true })),
  thunk('{ dilation: 2 }', () => ({ dilation: 2 })),
);

const avgPoolOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 1, padding: 1, countIncludePad: false }', () => ({ stride: 1, padding: 1, countIncludePad: false })),
  thunk('{ ceilMode: true, divisorOverride: 3 }', () => ({ ceilMode: true, divisorOverride: 3 })),
);

const outputSize = fc.constantFrom(
  thunk('2', () => 2),
  thunk('[3, null]', () => [3, null]),
  thunk('0', () => 0),
);

/** Values and indices of a max pool of kernel 2 over a [2, 2, 4...] input (unbatched sometimes). */
const pooled = (dims: number) =>
  fc.constantFrom(true, false).map((batched) => {
    const shape = [...(batched ? [2] : []), 2, ...new Array<number>(dims).fill(2)];
    const count = shape.reduce((a, b) => a * b, 1);
    return {
      values: shapeThunk(shape),
      indices: thunk(
        `tensor(Int32Array.from({ length: ${count} }, (_, i) => i % 4), { shape: ${JSON.stringify(shape)} })`,
        () =>
          core.tensor(
            Int32Array.from({ length: count }, (_, i) => i % 4),
            { shape },
          ),
      ),
    };
  });

const unpoolOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ stride: 2, padding: 0 }', () => ({ stride: 2, padding: 0 })),
  thunk('{ outputSize: [5, 5] }', () => ({ outputSize: [5, 5] })),
);

const pads = fc.constantFrom(
  thunk('[1, 2]', () => [1, 2]),
  thunk('[-1, 1, 1, 0]', () => [-1, 1, 1, 0]),
  thunk('[]', () => []),
);

const padOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk("{ mode: 'reflect' }", () => ({ mode: 'reflect' })),
  thunk("{ mode: 'circular' }", () => ({ mode: 'circular' })),
  thunk("{ mode: 'replicate' }", () => ({ mode: 'replicate' })),
  thunk('{ value: 2.5 }', () => ({ value: 2.5 })),
);

const interpolateOptions = fc.constantFrom(
  thunk('{ size: 3 }', () => ({ size: 3 })),
  thunk("{ scaleFactor: 1.5, mode: 'bilinear' }", () => ({ scaleFactor: 1.5, mode: 'bilinear' })),
  thunk("{ size: [5, 2], mode: 'bicubic', alignCorners: true }", () => ({
    size: [5, 2],
    mode: 'bicubic',
    alignCorners: true,
  })),
  thunk("{ scaleFactor: 0.5, mode: 'area' }", () => ({ scaleFactor: 0.5, mode: 'area' })),
);

/** The convolution family's entries. */
export const convFunctions: ApiEntry[] = [
  fn('interpolate', core.interpolate, image(2), interpolateOptions),
  fn('pad', core.pad, image(2), pads, padOptions),
  ...(
    [
      'maxPool1d',
      'maxPool2d',
      'maxPool3d',
      'maxPool1dWithIndices',
      'maxPool2dWithIndices',
      'maxPool3dWithIndices',
    ] as const
  ).map((name, i) => fn(name, core[name], image((i % 3) + 1), kernel, poolOptions)),
  ...(['avgPool1d', 'avgPool2d', 'avgPool3d'] as const).map((name, i) =>
    fn(name, core[name], image(i + 1), kernel, avgPoolOptions),
  ),
  ...(
    ['adaptiveAvgPool1d', 'adaptiveAvgPool2d', 'adaptiveAvgPool3d', 'adaptiveMaxPool1d', 'adaptiveMaxPool2d'] as const
  ).map((name, i) => fn(name, core[name], image((i % 3) + 1), outputSize)),
  ...(['maxUnpool1d', 'maxUnpool2d'] as const).map((name, i) => ({
    ...fn(name, core[name]),
    slots: [pooled(i + 1).map((p) => p.values), pooled(i + 1).map((p) => p.indices), kernel, unpoolOptions],
  })),
  ...(['convTranspose1d', 'convTranspose2d', 'convTranspose3d'] as const).map((name, i) =>
    fn(name, core[name], image(i + 1), weight(i + 1), bias, convTransposeOptions),
  ),
  ...(['conv1d', 'conv2d', 'conv3d'] as const).map((name, i) =>
    fn(name, core[name], image(i + 1), weight(i + 1), bias, convOptions),
  ),
  fn('unfold', core.unfold, image(2), kernel, unfoldOptions),
  fn(
    'fold',
    core.fold,
    fc.constantFrom(shapeThunk([2, 8, 9]), shapeThunk([4, 16], 'float64')),
    fc.constantFrom(
      thunk('[4, 4]', () => [4, 4]),
      thunk('5', () => 5),
    ),
    kernel,
    unfoldOptions,
  ),
];
