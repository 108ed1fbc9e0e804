/**
 * THE table of differentiable ops: for every op the engine exports, the
 * functions whose gradients are checked and the inputs they are checked on
 * (each op's domain: log on [0.1, 10], div with |b| ≥ 0.1, kinks and ties
 * kept a margin away). gradients.test.ts checks first derivatives and
 * second-order.test.ts second derivatives over it; the table's type makes a
 * missing op a compile error, and a meta-test makes it a test failure.
 */
import fc from 'fast-check';
import * as core from '../../src/index';
import { noGrad, tensor, type AxisArg, type Tensor, type Value } from '../../src/index';
import {
  arbAxes,
  arbAxis,
  arbBroadcastableShapes,
  arbMatmulShapes,
  arbShape,
  arbTensor,
  arbTensors,
  arbValue,
  gradientProperty,
  type ArgumentArbitraries,
  type GradcheckOptions,
  type TensorOptions,
} from '../../src/testing/index';

/** One checked function of an op, with its inputs. */
export interface OpCase {
  /** What is checked, for the test's name. */
  label: string;
  /** Whether second derivatives exist to check (not for Values, which are first-order). */
  secondOrder: boolean;
  /** Runs the gradient property (and, when `second`, the second-order one) `numRuns` times. */
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

// Shapes are kept small: finite differences evaluate f twice per element.
const small = { maxRank: 3, maxDim: 3 } as const;
const anyTensor = (o: TensorOptions = {}) => arbTensor({ shape: arbShape(small), ...o });
const pairOf = (a: TensorOptions = {}, b: TensorOptions = a) => arbTensors(arbBroadcastableShapes(2, small), [a, b]);
const unary = (label: string, f: (x: Tensor) => Tensor, o: TensorOptions = {}) => check(label, f, [anyTensor(o)]);

/** No two broadcast elements of a and b within `gap` of each other (no ties for maximum/minimum). */
function apart([a, b]: readonly Tensor[], gap: number): boolean {
  return noGrad(() => (a as Tensor).sub(b as Tensor).abs().data().every((d) => d > gap));
}

/** A tensor of some shape, an axis argument for a reduction over it (none, one or several axes), and keepDims. */
function reductionArgs(o: TensorOptions = {}, shape = arbShape(small)) {
  return shape.chain((s) =>
    fc.tuple(
      arbTensor({ ...o, shape: s }),
      fc.oneof(fc.constant(undefined), arbAxis(s.length), arbAxes(s.length)) as fc.Arbitrary<AxisArg>,
      fc.boolean(),
    ),
  );
}

/** A tensor of rank ≥ `minRank` and an axis of it. */
function withAxis(minRank: number, o: TensorOptions = {}) {
  return arbShape({ ...small, minRank }).chain((s) => fc.tuple(arbTensor({ ...o, shape: s }), arbAxis(s.length)));
}

/** The shape several shapes broadcast to (NumPy's rule). */
function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => Math.max(...shapes.map((s) => s[s.length - rank + i] ?? 1)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * A non-contiguous view of x: first and last axes swapped, every other row of
 * the (new) first axis. Ops read strides and offsets from it instead of a
 * plain row-major buffer.
 */
const strided = (x: Tensor) => (x.ndim === 0 ? x : x.transpose(0, -1).slice(0, 0, undefined, 2));
const size = fc.integer({ min: 1, max: 3 });

/** Values on a 2⁻⁸ grid: x ± 2⁻⁸ is then exact in float32, so a float32 round trip loses nothing. */
const float32Exact = { minGap: 2 ** -8, min: -2, max: 2 };

const shapeCases = {
  reshape: [
    check('reshape to the reversed shape, one size inferred (-1)', (x: Tensor, target: number[]) => x.reshape(target), arbShape(small).chain((s) => {
      const target = s.slice().reverse();
      if (target.length > 0) target[0] = -1;
      return fc.tuple(arbTensor({ shape: s }), fc.constant(target));
    })),
    check('reshape of a non-contiguous (transposed) view', (x: Tensor) => x.transpose(0, -1).reshape([-1]), [anyTensor({ shape: arbShape({ ...small, minRank: 2 }) })]),
  ],
  flatten: [
    check('flatten(start, end)', (x: Tensor, start: number, end: number) => x.flatten(start, end), arbShape({ ...small, minRank: 1 }).chain((s) =>
      fc.tuple(fc.nat(s.length - 1), fc.nat(s.length - 1)).chain(([i, j]) => fc.tuple(arbTensor({ shape: s }), fc.constant(Math.min(i, j)), fc.constant(Math.max(i, j) - s.length))),
    )),
  ],
  permute: [
    check('permute', (x: Tensor, axes: number[]) => x.permute(axes), arbShape(small).chain((s) =>
      fc.tuple(arbTensor({ shape: s }), fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length })),
    )),
  ],
  transpose: [
    check('transpose(dim0, dim1), negative dims included', (x: Tensor, a: number, b: number) => x.transpose(a, b), arbShape(small).chain((s) =>
      fc.tuple(arbTensor({ shape: s }), arbAxis(s.length), arbAxis(s.length)),
    )),
  ],
  T: [check('T of a matrix, vector or scalar', (x: Tensor) => x.T, [anyTensor({ shape: arbShape({ ...small, maxRank: 2 }) })])],
  squeeze: [
    check('squeeze() of every size-1 axis', (x: Tensor) => x.squeeze(), [anyTensor({ shape: arbShape({ ...small, maxDim: 2 }) })]),
    check('squeeze(axis) of one size-1 axis', (x: Tensor, axis: number) => x.squeeze(axis), arbShape(small).chain((s) =>
      fc.tuple(fc.nat(s.length), fc.boolean()).chain(([at, negative]) => {
        const shape = [...s.slice(0, at), 1, ...s.slice(at)];
        return fc.tuple(arbTensor({ shape }), fc.constant(negative ? at - shape.length : at));
      }),
    )),
  ],
  unsqueeze: [
    check('unsqueeze(axis), negative axes included', (x: Tensor, axis: number) => x.unsqueeze(axis), arbShape(small).chain((s) =>
      fc.tuple(arbTensor({ shape: s }), arbAxis(s.length + 1)),
    )),
  ],
  expand: [
    check('expand to a broadcast shape (new leading axes, size-1 axes stretched, -1 kept)', (x: Tensor, target: number[]) => x.expand(target), arbBroadcastableShapes(2, small).chain(([s, t]) => {
      const target = broadcastShape([s, t]);
      const lead = target.length - s.length;
      return fc.tuple(arbTensor({ shape: s }), fc.constant(target.map((d, i) => (i >= lead && s[i - lead] === d && d > 1 ? -1 : d))));
    })),
  ],
  slice: [
    check('slice(axis, start, end, step) with negative and out-of-range bounds', (x: Tensor, axis: number, start: number, end: number | undefined, step: number) => x.slice(axis, start, end, step), arbShape({ ...small, minRank: 1 }).chain((s) =>
      arbAxis(s.length).chain((axis) => {
        const size = s[axis < 0 ? axis + s.length : axis] as number;
        const bound = fc.integer({ min: -size - 1, max: size + 1 });
        return fc.tuple(arbTensor({ shape: s }), fc.constant(axis), bound, fc.option(bound, { nil: undefined }), fc.integer({ min: 1, max: 3 }));
      }),
    )),
  ],
  concat: [
    check('concat of 1-3 tensors along an axis', (axis: number, ...xs: Tensor[]) => core.concat(xs, axis), arbShape({ ...small, minRank: 1 }).chain((s) =>
      fc.tuple(arbAxis(s.length), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })).chain(([axis, sizes]) => {
        const a = axis < 0 ? axis + s.length : axis;
        const parts = sizes.map((n) => arbTensor({ shape: s.map((d, i) => (i === a ? n : d)) }));
        return fc.tuple(fc.constant(axis), ...parts);
      }),
    )),
  ],
  stack: [
    check('stack of 1-3 tensors along a new axis', (axis: number, ...xs: Tensor[]) => core.stack(xs, axis), arbShape(small).chain((s) =>
      fc.tuple(arbAxis(s.length + 1), fc.integer({ min: 1, max: 3 })).chain(([axis, n]) =>
        fc.tuple(fc.constant(axis), ...range(n).map(() => arbTensor({ shape: s }))),
      ),
    )),
  ],
  contiguous: [
    check('contiguous of a contiguous tensor', (x: Tensor) => x.contiguous(), [anyTensor()]),
    check('contiguous of a transposed view', (x: Tensor) => x.transpose(0, -1).contiguous(), [anyTensor({ shape: arbShape({ ...small, minRank: 2 }) })]),
  ],
  clone: [check('clone', (x: Tensor) => x.clone(), [anyTensor()])],
};

const indexCases = {
  gather: [
    check('gather(axis, index) with repeated indices', (x: Tensor, axis: number, index: Tensor) => x.gather(axis, index), arbShape({ ...small, minRank: 1 }).chain((s) =>
      arbAxis(s.length).chain((axis) => {
        const a = axis < 0 ? axis + s.length : axis;
        const indexShape = fc.tuple(...s.map((d, i) => fc.integer({ min: 1, max: i === a ? 3 : d })));
        return indexShape.chain((shape) => {
          const count = shape.reduce((p, d) => p * d, 1);
          const values = fc.array(fc.nat((s[a] as number) - 1), { minLength: count, maxLength: count });
          return fc.tuple(arbTensor({ shape: s }), fc.constant(axis), values.map((v) => tensor(v, { shape, dtype: 'int32' })));
        });
      }),
    )),
  ],
  indexSelect: [
    check('indexSelect(axis, indices) with repeats, as an int32 tensor or a list', (x: Tensor, axis: number, indices: Tensor | number[]) => x.indexSelect(axis, indices), arbShape({ ...small, minRank: 1 }).chain((s) =>
      arbAxis(s.length).chain((axis) => {
        const size = s[axis < 0 ? axis + s.length : axis] as number;
        const list = fc.array(fc.nat(size - 1), { minLength: 1, maxLength: 4 });
        const indices = fc.oneof(list, list.map((v) => tensor(v, { dtype: 'int32' })));
        return fc.tuple(arbTensor({ shape: s }), fc.constant(axis), indices);
      }),
    )),
    check('indexSelect from a strided view', (x: Tensor) => strided(x).indexSelect(-1, [0, 0]), [anyTensor({ shape: arbShape({ ...small, minRank: 1, maxDim: 4 }) })]),
  ],
};

const reductionCases = {
  sum: [
    check('sum(axis?, keepDims)', (x: Tensor, axis: AxisArg, keep: boolean) => x.sum(axis, keep), reductionArgs()),
    check('sum over axes of a strided view', (x: Tensor, axis: AxisArg, keep: boolean) => strided(x).sum(axis, keep), reductionArgs({}, arbShape({ ...small, maxDim: 4 }))),
  ],
  mean: [check('mean(axis?, keepDims)', (x: Tensor, axis: AxisArg, keep: boolean) => x.mean(axis, keep), reductionArgs())],
  // NOTE: max and min have no derivative at ties; minGap keeps elements apart.
  max: [
    check('max(axis?, keepDims) without ties', (x: Tensor, axis: AxisArg, keep: boolean) => x.max(axis, keep), reductionArgs({ minGap: 0.01 })),
    check('max of a strided view', (x: Tensor, axis: number) => strided(x).max(axis), withAxis(1, { minGap: 0.01 })),
  ],
  min: [check('min(axis?, keepDims) without ties', (x: Tensor, axis: AxisArg, keep: boolean) => x.min(axis, keep), reductionArgs({ minGap: 0.01 }))],
  logsumexp: [
    check('logsumexp(axis?, keepDims)', (x: Tensor, axis: AxisArg, keep: boolean) => x.logsumexp(axis, keep), reductionArgs()),
    check('logsumexp of large inputs (the shift keeps exp from overflowing)', (x: Tensor, axis: AxisArg, keep: boolean) => x.logsumexp(axis, keep), reductionArgs({ min: 700, max: 710 })),
  ],
  // Reduced axes of size ≥ 2, so N - correction > 0.
  variance: [
    check('var(axis?, keepDims, { correction })', (x: Tensor, axis: AxisArg, keep: boolean, correction: number) => x.var(axis, keep, { correction }), fc
      .tuple(reductionArgs({}, arbShape({ ...small, minRank: 1, minDim: 2 })), fc.constantFrom(0, 1))
      .map(([[x, axis, keep], correction]): [Tensor, AxisArg, boolean, number] => [x, axis, keep, correction])),
  ],
  softmax: [check('softmax(axis)', (x: Tensor, axis: number) => x.softmax(axis), withAxis(0))],
  logSoftmax: [
    check('logSoftmax(axis)', (x: Tensor, axis: number) => x.logSoftmax(axis), withAxis(0)),
    check('logSoftmax of widely spread inputs (softmax underflows to 0 there)', (x: Tensor, axis: number) => x.logSoftmax(axis), withAxis(1, { min: -200, max: 200 })),
  ],
};

const unaryCases = {
  neg: [unary('neg', (x) => x.neg())],
  exp: [unary('exp', (x) => x.exp()), unary('exp of a strided, transposed view', (x) => strided(x).exp(), { shape: arbShape({ ...small, maxDim: 4 }) })],
  log: [unary('log on [0.1, 10]', (x) => x.log(), { min: 0.1, max: 10 })],
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
    check('leakyRelu(slope)', (x: Tensor, slope: number) => x.leakyRelu(slope), [anyTensor({ avoid: [0] }), fc.constantFrom(0, 0.2, -0.5, 1.5)]),
  ],
  softplus: [unary('softplus on [-8, 8]', (x) => x.softplus(), { min: -8, max: 8 })],
  square: [unary('square', (x) => x.square())],
  reciprocal: [unary('reciprocal with |x| ≥ 0.1', (x) => x.reciprocal(), { avoid: [0], margin: 0.1 })],
  clamp: [
    check('clamp(min, max) away from both bounds', (x: Tensor, lo: number, hi: number) => x.clamp(lo, hi), fc
      .tuple(fc.integer({ min: -8, max: 0 }), fc.integer({ min: 1, max: 8 }))
      .chain(([i, j]) => fc.tuple(anyTensor({ avoid: [i / 4, j / 4] }), fc.constant(i / 4), fc.constant(j / 4)))),
    unary('clamp with only a min', (x) => x.clamp(-0.5), { avoid: [-0.5] }),
    unary('clamp with only a max', (x) => x.clamp(null, 0.5), { avoid: [0.5] }),
  ],
};

const binaryCases = {
  add: [
    check('add, broadcasting', (a: Tensor, b: Tensor) => a.add(b), pairOf()),
    unary('add a number', (x) => core.add(1.5, x)),
    check('add of an expanded (stride 0) view and a strided view', (a: Tensor, b: Tensor) => a.expand([2, ...strided(b).shape]).add(strided(b)), arbShape({ ...small, maxDim: 4 }).chain((s) =>
      fc.tuple(arbTensor({ shape: s.map(() => 1) }), arbTensor({ shape: s })),
    )),
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
    check('div, broadcasting, with |b| ≥ 0.1', (a: Tensor, b: Tensor) => a.div(b), pairOf({}, { avoid: [0], margin: 0.1 })),
    unary('div a number by x, |x| ≥ 0.1', (x) => core.div(2, x), { avoid: [0], margin: 0.1 }),
  ],
  pow: [
    check('pow, broadcasting, positive base', (a: Tensor, b: Tensor) => a.pow(b), pairOf({ min: 0.1, max: 3 }, { min: -2, max: 2 })),
    check('pow(x, n) for a number n, any sign of x', (x: Tensor, n: number) => x.pow(n), [anyTensor({ avoid: [0], margin: 0.1 }), fc.constantFrom(2, 3, -1, -2)]),
    unary('pow(2, x)', (x) => core.pow(2, x)),
  ],
  // NOTE: maximum and minimum have no derivative where a = b; those draws are left out.
  maximum: [check('maximum, broadcasting, without ties', (a: Tensor, b: Tensor) => a.maximum(b), pairOf().filter((p) => apart(p, 1e-3)))],
  minimum: [check('minimum, broadcasting, without ties', (a: Tensor, b: Tensor) => a.minimum(b), pairOf().filter((p) => apart(p, 1e-3)))],
  where: [
    check('where(cond, a, b), all three broadcasting', (c: Tensor, a: Tensor, b: Tensor) => core.where(c, a, b), arbBroadcastableShapes(3, small).chain(([sc, sa, sb]) => {
      const count = sc.reduce((p, d) => p * d, 1);
      const cond = fc.array(fc.boolean(), { minLength: count, maxLength: count }).map((v) => tensor(v, { shape: sc }));
      return fc.tuple(cond, arbTensor({ shape: sa }), arbTensor({ shape: sb }));
    })),
    check('where(cond, x, number)', (x: Tensor) => core.where(x.gt(0), x, 0.5), [anyTensor({ avoid: [0] })]),
  ],
};

const linalgCases = {
  matmul: [
    check('matmul with PyTorch\'s 1-D, 2-D and batched broadcast rules', (a: Tensor, b: Tensor) => a.matmul(b), arbTensors(arbMatmulShapes({ maxDim: 3 }))),
    check('matmul of transposed (column-major) operands', (a: Tensor, b: Tensor) => a.T.matmul(b.T), fc.tuple(size, size, size).chain(([m, k, n]) =>
      fc.tuple(arbTensor({ shape: [k, m] }), arbTensor({ shape: [n, k] })),
    )),
    check('batched matmul of a permuted and a strided operand', (a: Tensor, b: Tensor) => a.permute([2, 0, 1]).matmul(b.slice(1, 0, undefined, 2)), fc.tuple(size, size, size, size).chain(([batch, m, k, n]) =>
      fc.tuple(arbTensor({ shape: [m, k, batch] }), arbTensor({ shape: [batch, 2 * k, n] })),
    )),
  ],
  dot: [check('dot', (a: Tensor, b: Tensor) => a.dot(b), fc.integer({ min: 1, max: 5 }).chain((k) => fc.tuple(arbTensor({ shape: [k] }), arbTensor({ shape: [k] }))))],
  outer: [check('outer', (a: Tensor, b: Tensor) => core.outer(a, b), [anyTensor({ shape: arbShape({ minRank: 1, maxRank: 1 }) }), anyTensor({ shape: arbShape({ minRank: 1, maxRank: 1 }) })])],
  to: [
    // x ± eps stays exact in float32 on this grid, so the round trip is checked, not float32 rounding.
    check('to(float32) and back, with eps 2⁻⁸', (x: Tensor) => x.to('float32').mul(3).to('float64'), [anyTensor(float32Exact)], { eps: 2 ** -8 }),
    check('to(float64) of a float32 tensor', (x: Tensor) => x.to('float32').to('float64').square(), [anyTensor(float32Exact)], { eps: 2 ** -8 }),
    // Mixed operands compute in float64; each gradient must come back in its input's dtype. First order
    // only: the float32 gradient is rounded, which differences of it with this eps would amplify.
    check('float32 with float64 operands (mul, matmul, concat), gradients back in float32', (a: Tensor, b: Tensor, c: Tensor) => {
      const a32 = a.to('float32');
      return core.concat([a32.mul(b), a32.matmul(c)], 0);
    }, fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).chain(([m, n]) =>
      fc.tuple(arbTensor({ shape: [m, n], ...float32Exact }), arbTensor({ shape: [m, n] }), arbTensor({ shape: [n, n] })),
    ), { eps: 2 ** -8, firstOrderOnly: true }),
  ],
};

/**
 * Exports of @chainrule/core that are not differentiable ops, and why. Every
 * other export must have an entry in `tensorOpCases`.
 */
export const notDifferentiable = {
  ChainruleError: 'error class',
  ShapeError: 'error class',
  DTypeError: 'error class',
  GraphError: 'error class',
  ArgumentError: 'error class',
  IndexError: 'error class',
  AnomalyError: 'error class',
  detectAnomaly: 'mode switch',
  isAnomalyEnabled: 'mode query',
  noGrad: 'mode switch',
  enableGrad: 'mode switch',
  isGradEnabled: 'mode query',
  gradients: 'the backward driver itself',
  Value: 'class; its ops are in valueOpCases',
  value: 'creates a leaf',
  Tensor: 'class; its methods are the ops below',
  Generator: 'random numbers',
  manualSeed: 'random numbers',
  defaultGenerator: 'random numbers',
  tensor: 'creation',
  zeros: 'creation',
  ones: 'creation',
  full: 'creation',
  zerosLike: 'creation',
  onesLike: 'creation',
  fullLike: 'creation',
  eye: 'creation',
  arange: 'creation',
  linspace: 'creation',
  rand: 'creation',
  randn: 'creation',
  randLike: 'creation',
  randnLike: 'creation',
  randperm: 'creation',
  unaryOps: 'the table of unary op definitions (each key is checked below)',
  binaryOps: 'the table of binary op definitions (each key is checked below)',
  eq: 'comparison: bool result',
  ne: 'comparison: bool result',
  gt: 'comparison: bool result',
  ge: 'comparison: bool result',
  lt: 'comparison: bool result',
  le: 'comparison: bool result',
  logicalAnd: 'logical: bool result',
  logicalOr: 'logical: bool result',
  logicalNot: 'logical: bool result',
  argmax: 'index result',
  argmin: 'index result',
  oneHot: 'builds a constant from indices',
  addInPlace: 'in-place update (no graph)',
  subInPlace: 'in-place update (no graph)',
  mulInPlace: 'in-place update (no graph)',
  copyFrom: 'in-place update (no graph)',
  fill: 'in-place update (no graph)',
  customOp: 'makes ops; checked in test/testing',
  grad: 'transform; tested in test/functional',
  valueAndGrad: 'transform; tested in test/functional',
  vjp: 'transform; tested in test/functional',
  jvp: 'transform; tested in test/functional',
  jacobian: 'transform; tested in test/functional',
  hessian: 'transform; tested in test/functional',
  toDot: 'drawing',
  toMermaid: 'drawing',
  setBackend: 'kernel selection',
  getBackend: 'kernel selection',
  setNumThreads: 'kernel configuration',
  getNumThreads: 'kernel configuration',
} as const;

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
} satisfies Record<DifferentiableExport | MethodOnly, readonly OpCase[]>;

/** Methods of Tensor named differently from their export. */
export const methodToExport: Readonly<Record<string, keyof typeof tensorOpCases>> = { var: 'variance' };

const valueCheck = (label: string, f: (...args: Value[]) => Value, ranges: Parameters<typeof arbValue>[0][]) =>
  check(label, f, ranges.map((r) => arbValue(r)), { firstOrderOnly: true });

/** The ops of the scalar Value graph, keyed by method name. */
export const valueOpCases = {
  add: [valueCheck('Value add (and a number)', (a, b) => a.add(b).add(2), [{}, {}])],
  sub: [valueCheck('Value sub (and from a number)', (a, b) => a.sub(b).sub(2), [{}, {}])],
  mul: [valueCheck('Value mul, also of a Value by itself', (a, b) => a.mul(b).mul(a), [{}, {}])],
  div: [valueCheck('Value div with |b| ≥ 0.1', (a, b) => a.div(b), [{}, { avoid: [0], margin: 0.1 }])],
  pow: [
    check('Value pow(n) for a number n', (a: Value, n: number) => a.pow(n), [arbValue({ avoid: [0], margin: 0.1 }), fc.constantFrom(2, 3, -1, 0)], { firstOrderOnly: true }),
    valueCheck('Value pow(0.5) on [0.1, 10]', (a) => a.pow(0.5), [{ min: 0.1, max: 10 }]),
  ],
  neg: [valueCheck('Value neg', (a) => a.neg(), [{}])],
  exp: [valueCheck('Value exp', (a) => a.exp(), [{}])],
  log: [valueCheck('Value log on [0.1, 10]', (a) => a.log(), [{ min: 0.1, max: 10 }])],
  tanh: [valueCheck('Value tanh', (a) => a.tanh(), [{}])],
  sigmoid: [valueCheck('Value sigmoid on [-8, 8]', (a) => a.sigmoid(), [{ min: -8, max: 8 }])],
  relu: [valueCheck('Value relu away from 0', (a) => a.relu(), [{ avoid: [0] }])],
} satisfies Record<string, readonly OpCase[]>;

/** Methods of Value and Tensor that are not ops. */
export const notOpMethods = {
  value: ['constructor', 'inputs', 'op', 'isLeaf', 'detach', 'zeroGrad', 'backward', 'toString'],
  tensor: [
    'constructor', 'ndim', 'size', 'buffer', 'isContiguous', 'requiresGrad', 'requireGrad', 'isLeaf', '_gradNode', 'retainGrad',
    'backward', 'detach', 'item', 'toArray', 'data', 'toString',
    'eq', 'ne', 'gt', 'ge', 'lt', 'le', 'logicalAnd', 'logicalOr', 'logicalNot', 'argmax', 'argmin',
    'addInPlace', 'subInPlace', 'mulInPlace', 'copyFrom', 'fill',
  ],
} as const;
