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

/** The convolution family's entries. */
export const convFunctions: ApiEntry[] = [
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
