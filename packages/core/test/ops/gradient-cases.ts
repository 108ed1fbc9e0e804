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
import { type GradcheckOptions } from '../../src/testing/index';
import {
  arbBroadcastableShapes,
  arbMatmulShapes,
  arbShape,
  arbTensors,
  arbValue,
  gradientProperty,
  type ArgumentArbitraries,
} from '../../src/testing/properties';
import * as inputs from './gradient-inputs';
import * as convInputs from './conv-gradient-inputs';
import { anyTensor, float32Exact, pairOf, reductionArgs, strided, withAxis } from './gradient-inputs';
import type { notDifferentiable } from './not-differentiable';
import * as toolbox from './gradient-inputs-shape-toolbox';
import * as ix from './indexing-inputs';
import * as la from './gradient-inputs-linalg';

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
/** Products of up to 27 elements of [-1.5, 1.5] stay within a few thousand. */
const moderate = { min: -1.5, max: 1.5 };

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
  // ---- The reductions of issue 17 (ops/reductions.ts).
  prod: [
    reduction('prod(axis?, keepDims) on [-1.5, 1.5]', (x, axis, keep) => x.prod(axis, keep), reductionArgs(moderate)),
    // Its gradient and second derivative have a rule of their own at zeros.
    reduction(
      'prod with exact zeros (none, one or several per slice)',
      (x, axis, keep) => x.prod(axis, keep),
      inputs.prodWithZerosArgs,
    ),
    check('prod of a strided view', (x: Tensor, axis: number) => strided(x).prod(axis), withAxis(1, moderate)),
  ],
  // NOTE: amax and amin have no derivative at ties (they share it, as PyTorch; the fixture checks that).
  amax: [
    reduction(
      'amax(axis?, keepDims) without ties',
      (x, axis, keep) => x.amax(axis, keep),
      reductionArgs({ minGap: 0.01 }),
    ),
  ],
  amin: [
    reduction(
      'amin(axis?, keepDims) without ties',
      (x, axis, keep) => x.amin(axis, keep),
      reductionArgs({ minGap: 0.01 }),
    ),
  ],
  norm: [
    check(
      "norm(p) for p ≥ 1 ('fro', 2, 3, 1.5, 1) away from 0",
      (x: Tensor, p: number | 'fro', axis: AxisArg, keep: boolean) => x.norm(p, axis, keep),
      inputs.normArgs(['fro', 2, 3, 1.5, 1], { avoid: [0], margin: 0.1 }),
    ),
    check(
      'norm(p) for p < 1 (0.5, -1, -0.5, and 0, the count: gradient 0) away from 0',
      (x: Tensor, p: number | 'fro', axis: AxisArg, keep: boolean) => x.norm(p, axis, keep),
      inputs.normArgs([0.5, -1, -0.5, 0], { avoid: [0], margin: 0.1 }),
    ),
    check(
      'norm(±Infinity) of values of both signs whose |x| never tie',
      (x: Tensor, p: number | 'fro', axis: AxisArg, keep: boolean) =>
        x.mul(inputs.alternatingSigns(x)).norm(p, axis, keep),
      inputs.normArgs([Infinity, -Infinity], { min: 0.1, max: 3, minGap: 0.01 }),
    ),
  ],
  std: [
    check(
      'std(axis?, keepDims, { correction })',
      (x: Tensor, axis: AxisArg, keep: boolean, c: number) => x.std(axis, keep, { correction: c }),
      inputs.varianceArgs,
    ),
  ],
  varMean: [
    check(
      'varMean: var + 2·mean',
      (x: Tensor, axis: AxisArg, keep: boolean, c: number) => {
        const r = x.varMean(axis, keep, { correction: c });
        return r.var.add(r.mean.mul(2));
      },
      inputs.varianceArgs,
    ),
  ],
  stdMean: [
    check(
      'stdMean: std + 2·mean',
      (x: Tensor, axis: AxisArg, keep: boolean, c: number) => {
        const r = x.stdMean(axis, keep, { correction: c });
        return r.std.add(r.mean.mul(2));
      },
      inputs.varianceArgs,
    ),
  ],
  nansum: [
    reduction(
      'nansum with NaN where x > 1 (those get gradient 0)',
      (x, axis, keep) => core.where(x.gt(1), Number.NaN, x).nansum(axis, keep),
      reductionArgs({ avoid: [1] }),
    ),
  ],
  // The NaN-skipping is nansum's (above); nanmean of a slice of NaNs has no value to difference.
  nanmean: [reduction('nanmean(axis?, keepDims) of numbers', (x, axis, keep) => x.nanmean(axis, keep))],
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
    // The fused activations (relu's kink is left to linear-fused.test.ts, which
    // checks every activation against the unfused ops to the bit).
    ...(['sigmoid', 'tanh', 'gelu', 'geluTanh'] as const).map((activation) =>
      check(
        `linear fused with ${activation}`,
        (x: Tensor, w: Tensor, b: Tensor) => core.linear(x, w, b, { activation }),
        inputs.linearArgs,
      ),
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

// Special functions and rounding (ops/special.ts, ops/rounding.ts): each on a domain away
// from its poles, branch points and jumps (the finite differences need a smooth neighbourhood).
const integers = [-3, -2, -1, 0, 1, 2, 3];
const halves = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5];
const specialCases = {
  erf: [unary('erf', (x) => x.erf())],
  erfc: [unary('erfc', (x) => x.erfc())],
  erfinv: [unary('erfinv on [-0.95, 0.95]', (x) => x.erfinv(), { min: -0.95, max: 0.95 })],
  tan: [unary('tan on [-1.4, 1.4]', (x) => x.tan(), { min: -1.4, max: 1.4 })],
  asin: [unary('asin on [-0.9, 0.9]', (x) => x.asin(), { min: -0.9, max: 0.9 })],
  acos: [unary('acos on [-0.9, 0.9]', (x) => x.acos(), { min: -0.9, max: 0.9 })],
  atan: [unary('atan', (x) => x.atan())],
  sinh: [unary('sinh', (x) => x.sinh())],
  cosh: [unary('cosh', (x) => x.cosh())],
  asinh: [unary('asinh', (x) => x.asinh())],
  acosh: [unary('acosh on [1.1, 10]', (x) => x.acosh(), { min: 1.1, max: 10 })],
  atanh: [unary('atanh on [-0.9, 0.9]', (x) => x.atanh(), { min: -0.9, max: 0.9 })],
  log2: [unary('log2 on [0.1, 10]', (x) => x.log2(), { min: 0.1, max: 10 })],
  log10: [unary('log10 on [0.1, 10]', (x) => x.log10(), { min: 0.1, max: 10 })],
  expm1: [unary('expm1', (x) => x.expm1())],
  exp2: [unary('exp2', (x) => x.exp2())],
  rsqrt: [unary('rsqrt on [0.1, 10]', (x) => x.rsqrt(), { min: 0.1, max: 10 })],
  sinc: [
    unary('sinc', (x) => x.sinc()),
    unary('sinc near 0 (its series branch)', (x) => x.sinc(), { min: -0.01, max: 0.01 }),
  ],
  lgamma: [
    unary('lgamma on [0.1, 10]', (x) => x.lgamma(), { min: 0.1, max: 10 }),
    unary('lgamma of negative x between the poles', (x) => x.lgamma(), {
      min: -3,
      max: -0.1,
      avoid: integers,
      margin: 0.1,
    }),
  ],
  digamma: [
    unary('digamma on [0.1, 10]', (x) => x.digamma(), { min: 0.1, max: 10 }),
    unary('digamma of negative x between the poles', (x) => x.digamma(), {
      min: -3,
      max: -0.1,
      avoid: integers,
      margin: 0.1,
    }),
  ],
  // NOTE: zero gradients (frac: one) everywhere but the jumps, which are kept a margin away.
  floor: [unary('floor away from the integers', (x) => x.floor(), { avoid: integers, margin: 0.01 })],
  ceil: [unary('ceil away from the integers', (x) => x.ceil(), { avoid: integers, margin: 0.01 })],
  round: [
    unary('round away from the half-integers', (x) => x.round(), { avoid: halves, margin: 0.01 }),
    unary('round(x, 1)', (x) => x.round(1), { avoid: halves.map((h) => h / 10), margin: 1e-4, min: -0.3, max: 0.3 }),
  ],
  trunc: [unary('trunc away from the integers', (x) => x.trunc(), { avoid: integers, margin: 0.01 })],
  frac: [unary('frac away from the integers', (x) => x.frac(), { avoid: integers, margin: 0.01 })],
};

// Binary math ops, lerp, nanToNum and clamp with tensor bounds (issue 17).
const binaryMathCases = {
  atan2: [
    check(
      'atan2, broadcasting, a kept away from 0 (the origin, and the cut along b < 0)',
      (a: Tensor, b: Tensor) => a.atan2(b),
      pairOf({ avoid: [0], margin: 0.1 }, {}),
    ),
    unary('atan2 of a number and x, |x| ≥ 0.1', (x) => core.atan2(1.5, x), { avoid: [0], margin: 0.1 }),
  ],
  copysign: [
    check(
      'copysign, broadcasting, away from 0 in both (the kink of |a|, the jump at b = 0)',
      (a: Tensor, b: Tensor) => a.copysign(b),
      pairOf({ avoid: [0] }),
    ),
  ],
  hypot: [
    check(
      'hypot, broadcasting, a kept away from 0 (the origin)',
      (a: Tensor, b: Tensor) => a.hypot(b),
      pairOf({ avoid: [0], margin: 0.1 }, {}),
    ),
  ],
  logaddexp: [
    check('logaddexp, broadcasting', (a: Tensor, b: Tensor) => a.logaddexp(b), pairOf()),
    check(
      'logaddexp of large operands (e^a overflows)',
      (a: Tensor, b: Tensor) => a.logaddexp(b),
      pairOf({ min: 700, max: 710 }),
    ),
  ],
  logaddexp2: [check('logaddexp2, broadcasting', (a: Tensor, b: Tensor) => a.logaddexp2(b), pairOf())],
  xlogy: [
    check(
      'xlogy, broadcasting, b on [0.1, 10]',
      (a: Tensor, b: Tensor) => a.xlogy(b),
      pairOf({}, { min: 0.1, max: 10 }),
    ),
  ],
  remainder: [
    check(
      'remainder, broadcasting, a/b away from integers (its jumps)',
      (a: Tensor, b: Tensor) => a.remainder(b),
      inputs.quotientArgs,
    ),
  ],
  fmod: [
    check(
      'fmod, broadcasting, a/b away from integers (its jumps)',
      (a: Tensor, b: Tensor) => a.fmod(b),
      inputs.quotientArgs,
    ),
  ],
  floorDivide: [
    check(
      'floorDivide, broadcasting, a/b away from integers (gradient 0)',
      (a: Tensor, b: Tensor) => a.floorDivide(b),
      inputs.quotientArgs,
    ),
  ],
  // NOTE: fmax and fmin have no derivative where a = b; those draws are left out.
  fmax: [check('fmax, broadcasting, without ties', (a: Tensor, b: Tensor) => a.fmax(b), noTies)],
  fmin: [check('fmin, broadcasting, without ties', (a: Tensor, b: Tensor) => a.fmin(b), noTies)],
  lerp: [
    check(
      'lerp(start, end, weight), all three broadcasting',
      (s: Tensor, e: Tensor, w: Tensor) => s.lerp(e, w),
      arbTensors(arbBroadcastableShapes(3, inputs.small)),
    ),
    check('lerp with a number weight', (s: Tensor, e: Tensor) => s.lerp(e, 0.75), pairOf()),
  ],
  nanToNum: [unary('nanToNum of finite values (the identity)', (x) => x.nanToNum())],
  clamp: [
    ...unaryCases.clamp,
    check(
      'clamp(x, min, max) with tensor bounds, all three broadcasting, x and the bounds apart',
      (x: Tensor, lo: Tensor, hi: Tensor) => x.clamp(lo, hi),
      inputs.clampTensorArgs,
    ),
    check(
      'clamp with a tensor min only, apart from x',
      (x: Tensor, lo: Tensor) => x.clamp(lo),
      pairOf().filter((p) => inputs.apart(p, 1e-3)),
    ),
    check(
      'clamp with a tensor max only, apart from x',
      (x: Tensor, hi: Tensor) => x.clamp(null, hi),
      pairOf().filter((p) => inputs.apart(p, 1e-3)),
    ),
  ],
};

// Indexing (ops/indexing.ts, ops/scatter.ts, ops/masked.ts): random indices with repeats, negative
// indices and steps, and masks, from indexing-inputs.ts.
const scatterReduceCase = (reduce: core.ScatterReduction, includeSelf: boolean) =>
  check(
    `scatterReduce '${reduce}', includeSelf ${includeSelf}, values apart (no ties) and off 0`,
    (x: Tensor, axis: number, index: Tensor, src: Tensor) => x.scatterReduce(axis, index, src, reduce, { includeSelf }),
    ix.scatterReduceArgs,
  );

const indexingCases = {
  index: [
    check(
      'index with random integers, slices (negative steps too), null, an ellipsis and index arrays (repeats)',
      (x: Tensor, list: core.IndexItem[]) => x.index(list),
      ix.indexArgs,
    ),
    check('index by a bool mask', (x: Tensor, list: core.IndexItem[]) => x.index(list), ix.maskIndexArgs),
    unary('index of a strided view, reversed', (x) => strided(x).index([{ step: -1 }, [0, 0]]), {
      shape: { minRank: 2, ...wide },
    }),
  ],
  indexPut: [
    check(
      'indexPut(indices, values, { accumulate }), repeated indices, values broadcast or not',
      (x: Tensor, list: core.IndexItem[], values: Tensor, accumulate: boolean) =>
        x.indexPut(list, values, { accumulate }),
      ix.indexPutArgs,
    ),
  ],
  select: [
    check('select(axis, i), negative i too', (x: Tensor, a: number, i: number) => x.select(a, i), ix.selectArgs),
  ],
  narrow: [
    check(
      'narrow(axis, start, length), negative start too',
      (x: Tensor, a: number, start: number, length: number) => x.narrow(a, start, length),
      ix.narrowArgs,
    ),
  ],
  take: [check('take(index), negative and repeated indices', (x: Tensor, i: Tensor) => x.take(i), ix.takeArgs)],
  takeAlongDim: [
    check(
      'takeAlongDim(indices, axis?), broadcasting, repeats',
      (x: Tensor, i: Tensor, a: number | undefined) => x.takeAlongDim(i, a),
      ix.takeAlongDimArgs,
    ),
  ],
  scatter: [
    check(
      'scatter(axis, index, src), repeated indices, src larger than the index',
      (x: Tensor, a: number, i: Tensor, src: Tensor) => x.scatter(a, i, src),
      ix.scatterArgs,
    ),
    check(
      'scatter(axis, index, a number)',
      (x: Tensor, a: number, i: Tensor) => x.scatter(a, i, 0.5),
      ix.scatterNumberArgs,
    ),
  ],
  scatterAdd: [
    check(
      'scatterAdd(axis, index, src), repeated indices, src larger than the index',
      (x: Tensor, a: number, i: Tensor, src: Tensor) => x.scatterAdd(a, i, src),
      ix.scatterArgs,
    ),
  ],
  scatterReduce: (['sum', 'prod', 'mean', 'amax', 'amin'] as const).flatMap((r) =>
    [true, false].map((includeSelf) => scatterReduceCase(r, includeSelf)),
  ),
  indexAdd: [
    check(
      'indexAdd(axis, index, source, { alpha }), repeated indices',
      (x: Tensor, a: number, i: number[], source: Tensor) => x.indexAdd(a, i, source, { alpha: -0.5 }),
      ix.indexAddArgs,
    ),
  ],
  indexCopy: [
    check(
      'indexCopy(axis, index, source), repeated indices (the last wins)',
      (x: Tensor, a: number, i: number[], source: Tensor) => x.indexCopy(a, i, source),
      ix.indexAddArgs,
    ),
  ],
  indexFill: [
    check(
      'indexFill(axis, index, a 0-d tensor), negative and repeated indices',
      (x: Tensor, a: number, i: number[], value: Tensor) => x.indexFill(a, i, value),
      ix.indexFillArgs,
    ),
  ],
  maskedFill: [
    check(
      'maskedFill(mask, a 0-d tensor), broadcasting',
      (x: Tensor, mask: Tensor, value: Tensor) => x.maskedFill(mask, value),
      ix.maskedFillArgs,
    ),
  ],
  maskedSelect: [
    check('maskedSelect(mask), broadcasting', (x: Tensor, mask: Tensor) => x.maskedSelect(mask), ix.maskArgs),
  ],
  maskedScatter: [
    check(
      'maskedScatter(mask, source), broadcasting, a larger source',
      (x: Tensor, mask: Tensor, source: Tensor) => x.maskedScatter(mask, source),
      ix.maskedScatterArgs,
    ),
  ],
};

// Cumulative and sorting ops (issue 18). Ops that return picked elements (sort, topk, cummax, ...) are checked
// without ties (a tie has no derivative); cumprod also at exact zeros, where it is still polynomial.
const sortCumulativeCases = {
  cumsum: [
    check('cumsum(axis), negative axes included', (x: Tensor, axis: number) => x.cumsum(axis), withAxis(0)),
    check('cumsum of a strided view', (x: Tensor, axis: number) => strided(x).cumsum(axis), withAxis(1)),
  ],
  cumprod: [
    check('cumprod(axis)', (x: Tensor, axis: number) => x.cumprod(axis), withAxis(0)),
    check(
      'cumprod with exact zeros, one or several per line',
      (x: Tensor, axis: number) => x.cumprod(axis),
      inputs.zerosArgs,
    ),
    check('cumprod of a strided view', (x: Tensor, axis: number) => strided(x).cumprod(axis), withAxis(1)),
  ],
  logcumsumexp: [
    check('logcumsumexp(axis)', (x: Tensor, axis: number) => x.logcumsumexp(axis), withAxis(0)),
    check(
      'logcumsumexp of large and widely spread inputs',
      (x: Tensor, axis: number) => x.logcumsumexp(axis),
      withAxis(1, { min: -200, max: 800 }),
    ),
  ],
  cummax: [
    check('cummax(axis) without ties', (x: Tensor, axis: number) => x.cummax(axis).values, inputs.apartWithAxis()),
  ],
  cummin: [
    check('cummin(axis) without ties', (x: Tensor, axis: number) => x.cummin(axis).values, inputs.apartWithAxis()),
  ],
  sort: [
    check(
      'sort(axis, { descending }) without ties',
      (x: Tensor, axis: number, descending: boolean) => x.sort(axis, { descending }).values,
      inputs.sortArgs,
    ),
    check('sort of a strided view', (x: Tensor, axis: number) => strided(x).sort(axis).values, inputs.apartWithAxis(1)),
  ],
  topk: [
    check(
      'topk(k, axis, { largest, sorted }) without ties',
      (x: Tensor, k: number, axis: number, largest: boolean, sorted: boolean) =>
        x.topk(k, axis, { largest, sorted }).values,
      inputs.topkArgs,
    ),
  ],
  kthvalue: [
    check(
      'kthvalue(k, axis, keepDims) without ties',
      (x: Tensor, k: number, axis: number, keep: boolean) => x.kthvalue(k, axis, keep).values,
      inputs.kthvalueArgs,
    ),
  ],
  median: [
    unary('median() of the whole tensor, without ties', (x) => x.median(), { minGap: 0.01 }),
    check(
      'median(axis, keepDims) without ties',
      (x: Tensor, axis: number, keep: boolean) => x.median(axis, keep).values,
      inputs.axisKeepArgs,
    ),
  ],
  mode: [
    check(
      'mode(axis, keepDims) of distinct values (the smallest)',
      (x: Tensor, axis: number, keep: boolean) => x.mode(axis, keep).values,
      inputs.axisKeepArgs,
    ),
  ],
};

// The shape toolbox (ops/shape-toolbox.ts and the files beside it). Functions returning several
// tensors are checked through one: their parts, each scaled differently, flattened and joined.
const joined = (parts: readonly Tensor[]) => core.concat(parts.map((p, i) => p.mul(i + 1).flatten()));

const shapeToolboxCases = {
  flip: [
    check(
      'flip(axes): none, one or several, negative included',
      (x: Tensor, axes: number | number[]) => x.flip(axes),
      toolbox.flipArgs,
    ),
    unary('flip of a strided view', (x) => strided(x).flip(0), { shape: wide }),
  ],
  roll: [
    check(
      'roll(shifts, axes): axes repeated, shifts negative and past the size',
      (x: Tensor, shifts: number[], axes: number[]) => x.roll(shifts, axes),
      toolbox.rollArgs,
    ),
    unary('roll of the flattened tensor', (x) => x.roll(-2)),
  ],
  tril: [
    check('tril(diagonal), offsets past the matrix', (x: Tensor, k: number) => x.tril(k), toolbox.triangleArgs),
    unary('tril of a transposed view', (x) => x.transpose(0, 1).tril(), { shape: { minRank: 2, maxRank: 2 } }),
  ],
  triu: [check('triu(diagonal), offsets past the matrix', (x: Tensor, k: number) => x.triu(k), toolbox.triangleArgs)],
  diag: [
    check('diag(k) of a vector (embed) and of a matrix (read)', (x: Tensor, k: number) => x.diag(k), toolbox.diagArgs),
  ],
  diagonal: [
    check(
      'diagonal({ offset, axis1, axis2 })',
      (x: Tensor, offset: number, [axis1, axis2]: [number, number]) => x.diagonal({ offset, axis1, axis2 }),
      toolbox.diagonalArgs,
    ),
  ],
  diagEmbed: [
    check(
      'diagEmbed({ offset, axis1, axis2 })',
      (x: Tensor, offset: number, [axis1, axis2]: [number, number]) => x.diagEmbed({ offset, axis1, axis2 }),
      toolbox.diagEmbedArgs,
    ),
  ],
  trace: [check('trace of a matrix', (x: Tensor) => x.trace(), toolbox.traceArgs)],
  repeat: [
    check(
      'repeat(reps), with 0s and a new leading axis',
      (x: Tensor, reps: number[]) => x.repeat(reps),
      toolbox.repeatArgs,
    ),
    unary('repeat of a strided view', (x) => strided(x).repeat([2, ...strided(x).shape.map(() => 2)]), { shape: wide }),
  ],
  tile: [check('tile(reps) with fewer reps than axes', (x: Tensor, reps: number[]) => x.tile(reps), toolbox.tileArgs)],
  repeatInterleave: [
    check(
      'repeatInterleave(repeats, axis?) by a number, a list or an int32 tensor',
      (x: Tensor, repeats: number | number[] | Tensor, axis: number | undefined) => x.repeatInterleave(repeats, axis),
      toolbox.repeatInterleaveArgs,
    ),
  ],
  split: [
    check(
      'split(size or sizes, axis), parts joined',
      (x: Tensor, sections: number | number[], axis: number) => joined(x.split(sections, axis)),
      toolbox.splitArgs,
    ),
  ],
  chunk: [
    check(
      'chunk(chunks, axis), parts joined',
      (x: Tensor, n: number, axis: number) => joined(x.chunk(n, axis)),
      toolbox.chunkArgs,
    ),
  ],
  unbind: [
    check('unbind(axis), parts joined', (x: Tensor, axis: number) => joined(x.unbind(axis)), toolbox.unbindArgs),
  ],
  movedim: [
    check(
      'movedim(source, destination), one axis or lists',
      (x: Tensor, source: number | number[], destination: number | number[]) => x.movedim(source, destination),
      toolbox.movedimArgs,
    ),
  ],
  swapaxes: [
    check('swapaxes(axis0, axis1)', (x: Tensor, a: number, b: number) => x.swapaxes(a, b), toolbox.swapaxesArgs),
  ],
  unflatten: [
    check(
      'unflatten(axis, sizes) with -1',
      (x: Tensor, axis: number, sizes: number[]) => x.unflatten(axis, sizes),
      toolbox.unflattenArgs,
    ),
    unary('unflatten of a transposed view (still a view)', (x) => x.transpose(0, -1).unflatten(0, [1, -1]), {
      shape: { minRank: 2 },
    }),
  ],
  broadcastTo: [
    check(
      'broadcastTo(shape) with -1 and new axes',
      (x: Tensor, shape: number[]) => x.broadcastTo(shape),
      toolbox.broadcastToArgs,
    ),
  ],
  broadcastTensors: [
    check(
      'broadcastTensors of two tensors, outputs joined',
      (a: Tensor, b: Tensor) => joined(core.broadcastTensors(a, b)),
      pairOf(),
    ),
  ],
  meshgrid: [
    check(
      "meshgrid of 1-3 vectors or scalars, 'ij' and 'xy', outputs joined",
      (indexing: 'ij' | 'xy', ...xs: Tensor[]) => joined(core.meshgrid(...xs, { indexing })),
      toolbox.meshgridArgs,
    ),
  ],
  atleast1d: [unary('atleast1d', (x) => core.atleast1d(x))],
  atleast2d: [unary('atleast2d (a view of a strided vector too)', (x) => core.atleast2d(strided(x)), { shape: wide })],
  atleast3d: [unary('atleast3d (a view of a strided vector too)', (x) => core.atleast3d(strided(x)), { shape: wide })],
  hstack: [
    check(
      'hstack of 1-3 tensors',
      (...xs: Tensor[]) => core.hstack(xs),
      toolbox.stackingArgs((rank) => (rank === 0 ? -1 : rank === 1 ? 0 : 1)),
    ),
  ],
  vstack: [
    check(
      'vstack of 1-3 tensors',
      (...xs: Tensor[]) => core.vstack(xs),
      toolbox.stackingArgs((rank) => (rank < 2 ? -1 : 0)),
    ),
  ],
  dstack: [
    check(
      'dstack of 1-3 tensors',
      (...xs: Tensor[]) => core.dstack(xs),
      toolbox.stackingArgs((rank) => (rank < 3 ? -1 : 2)),
    ),
  ],
};

// Activation functions (ops/activations.ts): kinks and jumps kept a margin away (second derivatives jump at
// 0 for elu, selu, celu and softsign too); parameters drawn from a few values of each sign that PyTorch allows.
const activationCases = {
  relu6: [unary('relu6 away from its kinks at 0 and 6', (x) => x.relu6(), { min: -2, max: 8, avoid: [0, 6] })],
  elu: [
    unary('elu with the default alpha, away from 0', (x) => x.elu(), { avoid: [0] }),
    check('elu(alpha), alpha of either sign', (x: Tensor, alpha: number) => x.elu(alpha), [
      anyTensor({ avoid: [0] }),
      fc.constantFrom(0.5, 2, -0.75),
    ]),
  ],
  selu: [unary('selu away from 0', (x) => x.selu(), { avoid: [0] })],
  celu: [
    check('celu(alpha), away from 0', (x: Tensor, alpha: number) => x.celu(alpha), [
      anyTensor({ avoid: [0] }),
      fc.constantFrom(1, 0.5, 2.5),
    ]),
  ],
  gelu: [
    unary('gelu (exact)', (x) => x.gelu()),
    unary('gelu (tanh form)', (x) => x.gelu({ approximate: 'tanh' })),
    unary('gelu (exact) on [-6, 6]', (x) => x.gelu(), { min: -6, max: 6 }),
  ],
  silu: [unary('silu on [-8, 8]', (x) => x.silu(), { min: -8, max: 8 })],
  mish: [unary('mish on [-8, 8]', (x) => x.mish(), { min: -8, max: 8 })],
  hardswish: [unary('hardswish away from its kinks at ±3', (x) => x.hardswish(), { min: -5, max: 5, avoid: [-3, 3] })],
  hardsigmoid: [
    unary('hardsigmoid away from its kinks at ±3', (x) => x.hardsigmoid(), { min: -5, max: 5, avoid: [-3, 3] }),
  ],
  hardtanh: [
    unary('hardtanh away from ±1', (x) => x.hardtanh(), { avoid: [-1, 1] }),
    unary('hardtanh(-2.5, 0.5) away from its bounds', (x) => x.hardtanh(-2.5, 0.5), { avoid: [-2.5, 0.5] }),
  ],
  softsign: [unary('softsign away from 0', (x) => x.softsign(), { avoid: [0] })],
  logSigmoid: [unary('logSigmoid on [-8, 8]', (x) => x.logSigmoid(), { min: -8, max: 8 })],
  tanhshrink: [unary('tanhshrink (its small-|x| polynomial included)', (x) => x.tanhshrink())],
  softshrink: [
    unary('softshrink away from ±0.5', (x) => x.softshrink(), { avoid: [-0.5, 0.5] }),
    unary('softshrink(1.5) away from ±1.5', (x) => x.softshrink(1.5), { avoid: [-1.5, 1.5] }),
  ],
  hardshrink: [
    unary('hardshrink away from its jumps at ±0.5', (x) => x.hardshrink(), { avoid: [-0.5, 0.5] }),
    unary('hardshrink(0) away from 0', (x) => x.hardshrink(0), { avoid: [0] }),
  ],
  threshold: [
    unary('threshold(0.5, -2) away from its jump', (x) => x.threshold(0.5, -2), { avoid: [0.5] }),
    unary('threshold(-1, 3) away from its jump', (x) => x.threshold(-1, 3), { avoid: [-1] }),
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

// Contractions and linear algebra (issue 18): ops/einsum.ts, ops/contractions.ts, ops/linalg-extra.ts.
const linalgExtraCases = {
  einsum: [
    check("einsum 'bij,bjk->bik'", (a: Tensor, b: Tensor) => core.einsum('bij,bjk->bik', a, b), la.batchedProductArgs),
    check(
      "einsum 'iij,j->i' (a diagonal)",
      (a: Tensor, b: Tensor) => core.einsum('iij,j->i', a, b),
      la.diagonalProductArgs,
    ),
    check(
      "einsum '...ij,...jk' (broadcast batches)",
      (a: Tensor, b: Tensor) => core.einsum('...ij,...jk', a, b),
      la.broadcastProductArgs,
    ),
    check(
      "einsum 'ij,jk,kl->il' and 'ji' (implicit)",
      (a: Tensor, b: Tensor, c: Tensor) => core.einsum('ij,jk,kl->il', a, b, c).add(core.einsum('ji', a).sum()),
      la.chainArgs,
    ),
  ],
  tensordot: [
    check('tensordot over two axes', (a: Tensor, b: Tensor) => core.tensordot(a, b, 2), la.tensordotArgs),
    check(
      'tensordot with axis pairs',
      (a: Tensor, b: Tensor) =>
        core.tensordot(a, b, [
          [2, 1],
          [1, 0],
        ]),
      la.tensordotArgs,
    ),
  ],
  bmm: [check('bmm', (a: Tensor, b: Tensor) => core.bmm(a, b), la.batchedProductArgs)],
  kron: [check('kron of rank ≤ 2 tensors', (a: Tensor, b: Tensor) => core.kron(a, b), la.kronArgs)],
  cross: [check('cross along the last axis', (a: Tensor, b: Tensor) => core.cross(a, b), la.crossArgs)],
  cdist: [
    check('cdist p = 2 between separated point sets', (a: Tensor, b: Tensor) => core.cdist(a, b), la.pointSetArgs),
    check(
      'cdist p = 1 and p = 3',
      (a: Tensor, b: Tensor) => core.cdist(a, b, 1).add(core.cdist(a, b, 3)),
      la.pointSetArgs,
    ),
  ],
  linalg: [
    check('linalg.det of a well-conditioned batch', (x: Tensor) => core.linalg.det(la.well(x)), la.squareArgs),
    check(
      'linalg.slogdet logabsdet (sign ±1 there)',
      (x: Tensor) => core.linalg.slogdet(la.well(x).mul(-1)).logabsdet,
      la.squareArgs,
    ),
    check('linalg.inv', (x: Tensor) => core.linalg.inv(la.well(x)), la.squareArgs),
    check('linalg.solve, batch broadcast', (x: Tensor, b: Tensor) => core.linalg.solve(la.well(x), b), la.solveArgs),
    check(
      'linalg.solve with a vector',
      (x: Tensor, b: Tensor) => core.linalg.solve(la.well(x), b.slice(-1, 0, 1).squeeze(-1)),
      la.solveArgs,
    ),
    check(
      'linalg.cholesky of X Xᵀ + (n+1)·I (symmetric by construction)',
      (x: Tensor) => core.linalg.cholesky(la.spd(x)),
      la.squareArgs,
    ),
    check(
      'linalg.solveTriangular lower and upper',
      (x: Tensor, b: Tensor) =>
        core.linalg
          .solveTriangular(la.well(x), b, { upper: false })
          .add(core.linalg.solveTriangular(la.well(x), b, { upper: true })),
      la.solveArgs,
    ),
    check(
      'linalg.solveTriangular on the right, unitriangular',
      (x: Tensor, b: Tensor) =>
        core.linalg.solveTriangular(x, b.transpose(-2, -1), { upper: true, left: false, unitriangular: true }),
      la.solveArgs,
    ),
    check(
      "linalg.matrixNorm 'fro', 1 and -Infinity",
      (x: Tensor) =>
        core.linalg.matrixNorm(x).add(core.linalg.matrixNorm(x, 1)).add(core.linalg.matrixNorm(x, -Infinity)),
      la.matrixArgs,
    ),
    check(
      'linalg.vectorNorm 2 and 3',
      (x: Tensor) => core.linalg.vectorNorm(x).add(core.linalg.vectorNorm(x, 3)),
      la.matrixArgs,
    ),
    check(
      'linalg.matrixPower 3 and -2',
      (x: Tensor) => core.linalg.matrixPower(la.well(x), 3).add(core.linalg.matrixPower(la.well(x), -2)),
      la.squareArgs,
    ),
    check(
      'linalg.qr of a tall full-rank matrix (Q and R)',
      (x: Tensor) => {
        const { Q, R } = core.linalg.qr(x);
        return core.concat([Q.flatten(), R.flatten()]);
      },
      la.tallArgs,
    ),
    // V ∘ V: finite differences must not see an eigenvector's arbitrary sign flip.
    check(
      'linalg.eigh of a symmetric matrix with separated eigenvalues (eigenvalues and V ∘ V)',
      (x: Tensor) => {
        const { eigenvalues, eigenvectors } = core.linalg.eigh(la.separated(x));
        return core.concat([eigenvalues.flatten(), eigenvectors.mul(eigenvectors).flatten()]);
      },
      la.squareArgs,
    ),
    check(
      'linalg.svd (reduced) of a tall, square or wide matrix with separated singular values (S, U ∘ U, Vh ∘ Vh)',
      (x: Tensor) => {
        const { U, S, Vh } = core.linalg.svd(la.separatedRect(x), { fullMatrices: false });
        return core.concat([S.flatten(), U.mul(U).flatten(), Vh.mul(Vh).flatten()]);
      },
      la.rectArgs,
    ),
    check(
      "linalg.matrixNorm 'nuc', 2 and -2 (through svd)",
      (x: Tensor) => {
        const a = la.separatedRect(x);
        return core.linalg.matrixNorm(a, 'nuc').add(core.linalg.matrixNorm(a, 2)).add(core.linalg.matrixNorm(a, -2));
      },
      la.rectArgs,
    ),
    check(
      'linalg.pinv of a full-rank tall, square or wide matrix',
      (x: Tensor) => core.linalg.pinv(la.separatedRect(x)),
      la.rectArgs,
    ),
    // Issue 18's leftovers: qr of wide matrices (reduced and complete agree there), svd with full matrices.
    check(
      "linalg.qr of a wide full-rank matrix (Q and R, modes 'reduced' and 'complete')",
      (x: Tensor) => {
        const { Q, R } = core.linalg.qr(x);
        const full = core.linalg.qr(x, { mode: 'complete' });
        return core.concat([Q.flatten(), R.flatten(), full.Q.flatten(), full.R.flatten()]);
      },
      la.wideArgs,
    ),
    // The completing columns of a full U (rows of Vh) carry no gradient, as PyTorch's: only the first k are checked.
    check(
      'linalg.svd with full matrices (S, U₁ ∘ U₁, Vh₁ ∘ Vh₁ of the first k columns and rows)',
      (x: Tensor) => {
        const { U, S, Vh } = core.linalg.svd(la.separatedRect(x));
        const k = S.shape[S.ndim - 1] as number;
        const u1 = U.slice(-1, 0, k);
        const vh1 = Vh.slice(-2, 0, k);
        return core.concat([S.flatten(), u1.mul(u1).flatten(), vh1.mul(vh1).flatten()]);
      },
      la.rectArgs,
    ),
  ],
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
  ...specialCases,
  ...binaryMathCases,
  ...shapeToolboxCases,
  ...activationCases,
  ...sortCumulativeCases,
  ...indexingCases,
  ...convCases,
  ...linalgExtraCases,
} satisfies Record<DifferentiableExport | MethodOnly, readonly OpCase[]>;

/** Methods of Tensor named differently from their export. */
export const methodToExport: Readonly<Record<string, keyof typeof tensorOpCases>> = {
  var: 'variance',
  // The linalg Tensor methods (issue 18) delegate to the linalg namespace, whose cases check them;
  // linalg-extra.test.ts checks that each method gives the function's values and gradients.
  det: 'linalg',
  slogdet: 'linalg',
  inverse: 'linalg',
  pinverse: 'linalg',
  matrixPower: 'linalg',
  cholesky: 'linalg',
  qr: 'linalg',
};

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
