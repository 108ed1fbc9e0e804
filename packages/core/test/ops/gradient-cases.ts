/**
 * THE table of differentiable ops: for every op the engine exports, the
 * functions whose gradients are checked and the inputs they are checked on
 * (each op's domain: log on [0.1, 10], div with |b| ≥ 0.1, kinks and ties
 * kept a margin away; argument lists in gradient-inputs.ts).
 * gradients.test.ts checks first derivatives over it and second-order.test.ts
 * second derivatives. The table's type makes a missing op a compile error
 * (everything exported must be here or in not-differentiable.ts), and a
 * meta-test makes it a test failure.
 */
import fc from 'fast-check';
import * as core from '../../src/index';
import type { AxisArg, Tensor, Value } from '../../src/index';
import {
  arbMatmulShapes,
  arbShape,
  arbTensors,
  arbValue,
  gradientProperty,
  type ArgumentArbitraries,
  type GradcheckOptions,
} from '../../src/testing/index';
import * as inputs from './gradient-inputs';
import * as convInputs from './conv-gradient-inputs';
import { anyTensor, float32Exact, pairOf, reductionArgs, strided, withAxis } from './gradient-inputs';
import type { notDifferentiable } from './not-differentiable';

/** One checked function of an op, with its inputs. */
export interface OpCase {
  /** What is checked, for the test's name. */
  label: string;
  /** Whether second derivatives exist to check (not for Values, which are first-order). */
  secondOrder: boolean;
  /** Runs the gradient property (with `second`, the second-order one too) `numRuns` times. */
  run(numRuns: number, second: boolean): void;
}

function check<A extends unknown[]>(
  label: string,
  f: (...args: A) => Tensor | Value,
  args: ArgumentArbitraries<A>,
  options: GradcheckOptions & { firstOrderOnly?: boolean } = {},
): OpCase {
  const { firstOrderOnly, ...gradcheckOptions } = options;
  return {
    label,
    secondOrder: firstOrderOnly !== true,
    run(numRuns, second) {
      fc.assert(gradientProperty(f, args, { ...gradcheckOptions, secondOrder: second }), { numRuns });
    },
  };
}

type Reduction = (x: Tensor, axis: AxisArg, keep: boolean) => Tensor;
const unary = (label: string, f: (x: Tensor) => Tensor, o: Parameters<typeof anyTensor>[0] = {}) =>
  check(label, f, [anyTensor(o)]);
const reduction = (label: string, f: Reduction, args = reductionArgs()) => check(label, f, args);
const noTies = pairOf().filter((p) => inputs.apart(p, 1e-3));
const vector = anyTensor({ shape: { minRank: 1, maxRank: 1 } });
const wide = { maxDim: 4 };

const unaryCases = {
  neg: [unary('neg', (x) => x.neg())],
  exp: [
    unary('exp', (x) => x.exp()),
    unary('exp of a strided, transposed view', (x) => strided(x).exp(), { shape: wide }),
  ],
  log: [unary('log on [0.1, 10]', (x) => x.log(), { min: 0.1, max: 10 })],
  log1p: [unary('log1p on [-0.9, 10]', (x) => x.log1p(), { min: -0.9, max: 10 })],
  sqrt: [unary('sqrt on [0.1, 10]', (x) => x.sqrt(), { min: 0.1, max: 10 })],
  abs: [unary('abs away from its kink at 0', (x) => x.abs(), { avoid: [0] })],
  sign: [unary('sign away from its jump at 0 (gradient 0)', (x) => x.sign(), { avoid: [0] })],
  sin: [unary('sin', (x) => x.sin())],
  cos: [unary('cos', (x) => x.cos())],
  tanh: [unary('tanh', (x) => x.tanh())],
  sigmoid: [unary('sigmoid on [-8, 8]', (x) => x.sigmoid(), { min: -8, max: 8 })],
  relu: [unary('relu away from its kink at 0', (x) => x.relu(), { avoid: [0] })],
  leakyRelu: [
    unary('leakyRelu with the default slope', (x) => x.leakyRelu(), { avoid: [0] }),
    check('leakyRelu(slope)', (x: Tensor, slope: number) => x.leakyRelu(slope), [
      anyTensor({ avoid: [0] }),
      fc.constantFrom(0, 0.2, -0.5, 1.5),
    ]),
  ],
  softplus: [unary('softplus on [-8, 8]', (x) => x.softplus(), { min: -8, max: 8 })],
  square: [unary('square', (x) => x.square())],
  reciprocal: [unary('reciprocal with |x| ≥ 0.1', (x) => x.reciprocal(), { avoid: [0], margin: 0.1 })],
  clamp: [
    check(
      'clamp(min, max) away from both bounds',
      (x: Tensor, lo: number, hi: number) => x.clamp(lo, hi),
      inputs.clampArgs,
    ),
    unary('clamp with only a min', (x) => x.clamp(-0.5), { avoid: [-0.5] }),
    unary('clamp with only a max', (x) => x.clamp(null, 0.5), { avoid: [0.5] }),
  ],
};

const binaryCases = {
  add: [
    check('add, broadcasting', (a: Tensor, b: Tensor) => a.add(b), pairOf()),
    unary('add a number', (x) => core.add(1.5, x)),
    check(
      'add of an expanded (stride 0) view and a strided view',
      (a: Tensor, b: Tensor) => a.expand([2, ...strided(b).shape]).add(strided(b)),
      inputs.expandedAndStridedArgs,
    ),
  ],
  sub: [
    check('sub, broadcasting', (a: Tensor, b: Tensor) => a.sub(b), pairOf()),
    unary('sub from a number', (x) => core.sub(1.5, x)),
  ],
  mul: [
    check('mul, broadcasting', (a: Tensor, b: Tensor) => a.mul(b), pairOf()),
    check('mul of a tensor by itself (gradients from both operands add up)', (a: Tensor) => a.mul(a), [anyTensor()]),
  ],
  div: [
    check(
      'div, broadcasting, with |b| ≥ 0.1',
      (a: Tensor, b: Tensor) => a.div(b),
      pairOf({}, { avoid: [0], margin: 0.1 }),
    ),
    unary('div a number by x, |x| ≥ 0.1', (x) => core.div(2, x), { avoid: [0], margin: 0.1 }),
  ],
  pow: [
    check(
      'pow, broadcasting, positive base',
      (a: Tensor, b: Tensor) => a.pow(b),
      pairOf({ min: 0.1, max: 3 }, { min: -2, max: 2 }),
    ),
    check('pow(x, n) for a number n, any sign of x', (x: Tensor, n: number) => x.pow(n), [
      anyTensor({ avoid: [0], margin: 0.1 }),
      fc.constantFrom(2, 3, -1, -2),
    ]),
    unary('pow(2, x)', (x) => core.pow(2, x)),
  ],
  // NOTE: maximum and minimum have no derivative where a = b; those draws are left out.
  maximum: [check('maximum, broadcasting, without ties', (a: Tensor, b: Tensor) => a.maximum(b), noTies)],
  minimum: [check('minimum, broadcasting, without ties', (a: Tensor, b: Tensor) => a.minimum(b), noTies)],
  where: [
    check(
      'where(cond, a, b), all three broadcasting',
      (c: Tensor, a: Tensor, b: Tensor) => core.where(c, a, b),
      inputs.whereArgs,
    ),
    check('where(cond, x, number)', (x: Tensor) => core.where(x.gt(0), x, 0.5), [anyTensor({ avoid: [0] })]),
  ],
};

const reductionCases = {
  sum: [
    reduction('sum(axis?, keepDims)', (x, axis, keep) => x.sum(axis, keep)),
    reduction(
      'sum over axes of a strided view',
      (x, axis, keep) => strided(x).sum(axis, keep),
      reductionArgs({}, arbShape(wide)),
    ),
  ],
  mean: [reduction('mean(axis?, keepDims)', (x, axis, keep) => x.mean(axis, keep))],
  // NOTE: max and min have no derivative at ties; minGap keeps elements apart.
  max: [
    reduction(
      'max(axis?, keepDims) without ties',
      (x, axis, keep) => x.max(axis, keep),
      reductionArgs({ minGap: 0.01 }),
    ),
    check('max of a strided view', (x: Tensor, axis: number) => strided(x).max(axis), withAxis(1, { minGap: 0.01 })),
  ],
  min: [
    reduction(
      'min(axis?, keepDims) without ties',
      (x, axis, keep) => x.min(axis, keep),
      reductionArgs({ minGap: 0.01 }),
    ),
  ],
  logsumexp: [
    reduction('logsumexp(axis?, keepDims)', (x, axis, keep) => x.logsumexp(axis, keep)),
    reduction(
      'logsumexp of large inputs (the shift keeps exp from overflowing)',
      (x, axis, keep) => x.logsumexp(axis, keep),
      reductionArgs({ min: 700, max: 710 }),
    ),
  ],
  variance: [
    check(
      'var(axis?, keepDims, { correction })',
      (x: Tensor, axis: AxisArg, keep: boolean, c: number) => x.var(axis, keep, { correction: c }),
      inputs.varianceArgs,
    ),
  ],
  softmax: [check('softmax(axis)', (x: Tensor, axis: number) => x.softmax(axis), withAxis(0))],
  logSoftmax: [
    check('logSoftmax(axis)', (x: Tensor, axis: number) => x.logSoftmax(axis), withAxis(0)),
    check(
      'logSoftmax of widely spread inputs (softmax underflows to 0 there)',
      (x: Tensor, axis: number) => x.logSoftmax(axis),
      withAxis(1, { min: -200, max: 200 }),
    ),
  ],
};

const shapeCases = {
  reshape: [
    check(
      'reshape to the reversed shape, one size inferred (-1)',
      (x: Tensor, target: number[]) => x.reshape(target),
      inputs.reshapeArgs,
    ),
    unary('reshape of a non-contiguous (transposed) view', (x) => x.transpose(0, -1).reshape([-1]), {
      shape: { minRank: 2 },
    }),
  ],
  flatten: [
    check('flatten(start, end)', (x: Tensor, start: number, end: number) => x.flatten(start, end), inputs.flattenArgs),
  ],
  permute: [check('permute', (x: Tensor, axes: number[]) => x.permute(axes), inputs.permuteArgs)],
  transpose: [
    check(
      'transpose(dim0, dim1), negative dims included',
      (x: Tensor, a: number, b: number) => x.transpose(a, b),
      inputs.transposeArgs,
    ),
  ],
  T: [unary('T of a matrix, vector or scalar', (x) => x.T, { shape: { maxRank: 2 } })],
  squeeze: [
    unary('squeeze() of every size-1 axis', (x) => x.squeeze(), { shape: { maxDim: 2 } }),
    check('squeeze(axis) of one size-1 axis', (x: Tensor, axis: number) => x.squeeze(axis), inputs.squeezeAxisArgs),
  ],
  unsqueeze: [
    check(
      'unsqueeze(axis), negative axes included',
      (x: Tensor, axis: number) => x.unsqueeze(axis),
      inputs.unsqueezeArgs,
    ),
  ],
  expand: [
    check(
      'expand to a broadcast shape (new leading axes, size-1 axes stretched, -1 kept)',
      (x: Tensor, target: number[]) => x.expand(target),
      inputs.expandArgs,
    ),
  ],
  slice: [
    check(
      'slice(axis, start, end, step) with negative and out-of-range bounds',
      (x: Tensor, axis: number, start: number, end: number | undefined, step: number) =>
        x.slice(axis, start, end, step),
      inputs.sliceArgs,
    ),
  ],
  concat: [
    check(
      'concat of 1-3 tensors along an axis',
      (axis: number, ...xs: Tensor[]) => core.concat(xs, axis),
      inputs.concatArgs,
    ),
  ],
  stack: [
    check(
      'stack of 1-3 tensors along a new axis',
      (axis: number, ...xs: Tensor[]) => core.stack(xs, axis),
      inputs.stackArgs,
    ),
  ],
  contiguous: [
    unary('contiguous of a contiguous tensor', (x) => x.contiguous()),
    unary('contiguous of a transposed view', (x) => x.transpose(0, -1).contiguous(), { shape: { minRank: 2 } }),
  ],
  clone: [unary('clone', (x) => x.clone())],
};

const indexCases = {
  gather: [
    check(
      'gather(axis, index) with repeated indices',
      (x: Tensor, axis: number, index: Tensor) => x.gather(axis, index),
      inputs.gatherArgs,
    ),
  ],
  indexSelect: [
    check(
      'indexSelect(axis, indices) with repeats, as an int32 tensor or a list',
      (x: Tensor, axis: number, indices: Tensor | number[]) => x.indexSelect(axis, indices),
      inputs.indexSelectArgs,
    ),
    unary('indexSelect from a strided view', (x) => strided(x).indexSelect(-1, [0, 0]), {
      shape: { minRank: 1, ...wide },
    }),
  ],
};

const linalgCases = {
  matmul: [
    check(
      "matmul with PyTorch's 1-D, 2-D and batched broadcast rules",
      (a: Tensor, b: Tensor) => a.matmul(b),
      arbTensors(arbMatmulShapes({ maxDim: 3 })),
    ),
    check(
      'matmul of transposed (column-major) operands',
      (a: Tensor, b: Tensor) => a.T.matmul(b.T),
      inputs.transposedMatmulArgs,
    ),
    check(
      'batched matmul of a permuted and a strided operand',
      (a: Tensor, b: Tensor) => a.permute([2, 0, 1]).matmul(b.slice(1, 0, undefined, 2)),
      inputs.viewedBatchMatmulArgs,
    ),
  ],
  dot: [check('dot', (a: Tensor, b: Tensor) => a.dot(b), inputs.dotArgs)],
  linear: [
    check(
      'linear x·Wᵀ + b over 0-2 batch axes',
      (x: Tensor, w: Tensor, b: Tensor) => core.linear(x, w, b),
      inputs.linearArgs,
    ),
    check(
      'linear without a bias on a transposed input view',
      (x: Tensor, w: Tensor) => core.linear(x.T, w),
      inputs.linearTransposedArgs,
    ),
  ],
  outer: [check('outer', (a: Tensor, b: Tensor) => core.outer(a, b), [vector, vector])],
  to: [
    // x ± eps stays exact in float32 on this grid, so the round trip is checked, not float32 rounding.
    check(
      'to(float32) and back, with eps 2⁻⁸',
      (x: Tensor) => x.to('float32').mul(3).to('float64'),
      [anyTensor(float32Exact)],
      { eps: 2 ** -8 },
    ),
    check(
      'to(float64) of a float32 tensor',
      (x: Tensor) => x.to('float32').to('float64').square(),
      [anyTensor(float32Exact)],
      { eps: 2 ** -8 },
    ),
    // Mixed operands compute in float64; each gradient must come back in its input's dtype. First order
    // only: the float32 gradient is rounded, which differences of it with this eps would amplify.
    check(
      'float32 with float64 operands (mul, matmul, concat), gradients back in float32',
      (a: Tensor, b: Tensor, c: Tensor) => {
        const a32 = a.to('float32');
        return core.concat([a32.mul(b), a32.matmul(c)], 0);
      },
      inputs.mixedDTypeArgs,
      { eps: 2 ** -8, firstOrderOnly: true },
    ),
  ],
};

// Convolution, pooling and unfold (issue 16); argument lists in conv-gradient-inputs.ts.
type Conv = (x: Tensor, w: Tensor, b: Tensor | null, o: core.ConvOptions) => Tensor;
const convCase = (name: string, f: Conv, args: ReturnType<typeof convInputs.convArgs>) =>
  check(
    `${name}(x, w, b?, { stride, padding (numbers, 'same', 'valid'), dilation, groups }), batched and unbatched`,
    f,
    args,
  );
type ConvTranspose = (x: Tensor, w: Tensor, b: Tensor | null, o: core.ConvTransposeOptions) => Tensor;
const convTransposeCase = (name: string, f: ConvTranspose, args: ReturnType<typeof convInputs.convTransposeArgs>) =>
  check(`${name}(x, w, b?, { stride, padding, outputPadding, dilation, groups }), batched and unbatched`, f, args);
type MaxPool = (x: Tensor, k: number[], o: core.MaxPoolOptions) => Tensor;
const maxPoolCase = (name: string, f: MaxPool, dims: number) =>
  check(
    `${name}(x, kernelSize, { stride, padding, dilation, ceilMode }) without ties`,
    f,
    convInputs.maxPoolArgs(dims),
  );
type AvgPool = (x: Tensor, k: number[], o: core.AvgPoolOptions) => Tensor;
const avgPoolCase = (name: string, f: AvgPool, dims: number) =>
  check(
    `${name}(x, kernelSize, { stride, padding, ceilMode, countIncludePad, divisorOverride })`,
    f,
    convInputs.avgPoolArgs(dims),
  );
type Adaptive = (x: Tensor, size: (number | null)[]) => Tensor;
const adaptiveCase = (name: string, f: Adaptive, dims: number, minGap?: number) =>
  check(`${name}(x, outputSize), shrinking, growing and kept sizes`, f, convInputs.adaptiveArgs(dims, minGap));
type Unpool = (x: Tensor, indices: Tensor, k: number[]) => Tensor;
const unpoolCase = (name: string, f: Unpool, dims: number) =>
  check(`${name}(x, indices, kernelSize) with distinct indices`, f, convInputs.maxUnpoolArgs(dims));
const convCases = {
  maxPool1d: [maxPoolCase('maxPool1d', core.maxPool1d, 1)],
  maxPool2d: [maxPoolCase('maxPool2d', core.maxPool2d, 2)],
  maxPool3d: [maxPoolCase('maxPool3d', core.maxPool3d, 3)],
  maxPool1dWithIndices: [
    maxPoolCase('maxPool1dWithIndices', (x, k, o) => core.maxPool1dWithIndices(x, k, o).values, 1),
  ],
  maxPool2dWithIndices: [
    maxPoolCase('maxPool2dWithIndices', (x, k, o) => core.maxPool2dWithIndices(x, k, o).values, 2),
  ],
  maxPool3dWithIndices: [
    maxPoolCase('maxPool3dWithIndices', (x, k, o) => core.maxPool3dWithIndices(x, k, o).values, 3),
  ],
  avgPool1d: [avgPoolCase('avgPool1d', core.avgPool1d, 1)],
  avgPool2d: [avgPoolCase('avgPool2d', core.avgPool2d, 2)],
  avgPool3d: [avgPoolCase('avgPool3d', core.avgPool3d, 3)],
  adaptiveAvgPool1d: [adaptiveCase('adaptiveAvgPool1d', core.adaptiveAvgPool1d, 1)],
  adaptiveAvgPool2d: [adaptiveCase('adaptiveAvgPool2d', core.adaptiveAvgPool2d, 2)],
  adaptiveAvgPool3d: [adaptiveCase('adaptiveAvgPool3d', core.adaptiveAvgPool3d, 3)],
  adaptiveMaxPool1d: [adaptiveCase('adaptiveMaxPool1d', core.adaptiveMaxPool1d, 1, 1e-3)],
  adaptiveMaxPool2d: [adaptiveCase('adaptiveMaxPool2d', core.adaptiveMaxPool2d, 2, 1e-3)],
  maxUnpool1d: [unpoolCase('maxUnpool1d', core.maxUnpool1d, 1)],
  maxUnpool2d: [unpoolCase('maxUnpool2d', core.maxUnpool2d, 2)],
  interpolate: [
    check(
      'interpolate(x, { size | scaleFactor, mode, alignCorners }), every mode',
      (x: Tensor, o: core.InterpolateOptions) => core.interpolate(x, o),
      convInputs.interpolateArgs,
    ),
  ],
  pad: [
    check(
      'pad constant (value 0 or 1.5), negative pads crop',
      (x: Tensor, pads: number[], value: number) => core.pad(x, pads, { value }),
      convInputs.constantPadArgs,
    ),
    check(
      "pad 'reflect', 'replicate', 'circular' of 1-3 dimensions, crops included",
      (x: Tensor, pads: number[], mode: core.PadMode) => core.pad(x, pads, { mode }),
      convInputs.borderPadArgs,
    ),
  ],
  unfold: [
    check(
      'unfold(x, kernelSize, { stride, dilation, padding }), batched and unbatched',
      (x: Tensor, k: number[], o: core.UnfoldOptions) => core.unfold(x, k, o),
      convInputs.unfoldArgs,
    ),
  ],
  fold: [
    check(
      'fold(cols, outputSize, kernelSize, { stride, dilation, padding }), batched and unbatched',
      (x: Tensor, size: number[], k: number[], o: core.UnfoldOptions) => core.fold(x, size, k, o),
      convInputs.foldArgs,
    ),
  ],
  conv1d: [convCase('conv1d', core.conv1d, convInputs.convArgs(1, 5))],
  conv2d: [convCase('conv2d', core.conv2d, convInputs.convArgs(2))],
  conv3d: [convCase('conv3d', core.conv3d, convInputs.convArgs(3, 3))],
  convTranspose1d: [convTransposeCase('convTranspose1d', core.convTranspose1d, convInputs.convTransposeArgs(1, 4))],
  convTranspose2d: [convTransposeCase('convTranspose2d', core.convTranspose2d, convInputs.convTransposeArgs(2))],
  convTranspose3d: [convTransposeCase('convTranspose3d', core.convTranspose3d, convInputs.convTransposeArgs(3, 2))],
};

/** Tensor ops that are only methods (no function export). */
type MethodOnly = 'T';

type DifferentiableExport = Exclude<keyof typeof core, keyof typeof notDifferentiable>;

/** Every differentiable op, keyed by its export name (method name for `T`). */
export const tensorOpCases = {
  ...unaryCases,
  ...binaryCases,
  ...reductionCases,
  ...shapeCases,
  ...indexCases,
  ...linalgCases,
  ...convCases,
} satisfies Record<DifferentiableExport | MethodOnly, readonly OpCase[]>;

/** Methods of Tensor named differently from their export. */
export const methodToExport: Readonly<Record<string, keyof typeof tensorOpCases>> = { var: 'variance' };

const valueCheck = (label: string, f: (...args: Value[]) => Value, ranges: Parameters<typeof arbValue>[0][]) =>
  check(
    label,
    f,
    ranges.map((r) => arbValue(r)),
    { firstOrderOnly: true },
  );

/** The ops of the scalar Value graph, keyed by method name. */
export const valueOpCases = {
  add: [valueCheck('Value add (and a number)', (a, b) => a.add(b).add(2), [{}, {}])],
  sub: [valueCheck('Value sub (and from a number)', (a, b) => a.sub(b).sub(2), [{}, {}])],
  mul: [valueCheck('Value mul, also of a Value by itself', (a, b) => a.mul(b).mul(a), [{}, {}])],
  div: [valueCheck('Value div with |b| ≥ 0.1', (a, b) => a.div(b), [{}, { avoid: [0], margin: 0.1 }])],
  pow: [
    check(
      'Value pow(n) for a number n',
      (a: Value, n: number) => a.pow(n),
      [arbValue({ avoid: [0], margin: 0.1 }), fc.constantFrom(2, 3, -1, 0)],
      {
        firstOrderOnly: true,
      },
    ),
    valueCheck('Value pow(0.5) on [0.1, 10]', (a) => a.pow(0.5), [{ min: 0.1, max: 10 }]),
  ],
  neg: [valueCheck('Value neg', (a) => a.neg(), [{}])],
  exp: [valueCheck('Value exp', (a) => a.exp(), [{}])],
  log: [valueCheck('Value log on [0.1, 10]', (a) => a.log(), [{ min: 0.1, max: 10 }])],
  tanh: [valueCheck('Value tanh', (a) => a.tanh(), [{}])],
  sigmoid: [valueCheck('Value sigmoid on [-8, 8]', (a) => a.sigmoid(), [{ min: -8, max: 8 }])],
  relu: [valueCheck('Value relu away from 0', (a) => a.relu(), [{ avoid: [0] }])],
} satisfies Record<string, readonly OpCase[]>;
