/**
 * The catalogue of ops random programs draw from: one entry per row of the
 * op tables (ops/tables.ts). program.test.ts types it against them, so a row
 * added to a table does not compile until it says how programs call it (its
 * arguments, its domain, its kinks), and fails if an entry is missing at run
 * time.
 * Domains and kinks are those the gradient cases check each op on
 * (test/ops/gradient-cases.ts).
 */
import * as cr from './core-namespace';
import { Tensor, type Value } from '../index';
import type { OpPlan, ProgramDraw, ProgramOp, ProgramParam, ProgramShape } from './program';

/** A row programs leave out, with the reason. */
export interface ExcludedRow {
  /** Why programs do not call it. */
  readonly excluded: string;
}

const numel = (s: ProgramShape): number => s.reduce((p, d) => p * d, 1);
const dataOf = (t: Tensor): Float64Array => Float64Array.from(t.data() as ArrayLike<number>);
const minOf = (xs: ArrayLike<number>, f: (x: number) => number): number => {
  let m = Number.POSITIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) m = Math.min(m, f(xs[i] as number));
  return m;
};

/** Distance of the first input's elements from the points the op bends or jumps at. */
const at =
  (...points: number[]) =>
  (xs: readonly Tensor[]): number =>
    minOf(dataOf(xs[0] as Tensor), (x) => minOf(points, (p) => Math.abs(x - p)));
/** Distance from the nearest integer (+ offset): floor, ceil, trunc, frac jump there; round at the halves. */
const nearInteger =
  (offset: number) =>
  (xs: readonly Tensor[]): number =>
    minOf(dataOf(xs[0] as Tensor), (x) => Math.abs(x - offset - Math.round(x - offset)));
/** Smallest gap between two elements of the first input: sorting, max and friends have no derivative at ties. */
const ties = (xs: readonly Tensor[]): number => {
  const d = Array.from(dataOf(xs[0] as Tensor)).sort((a, b) => a - b);
  let m = Number.POSITIVE_INFINITY;
  for (let i = 1; i < d.length; i++) m = Math.min(m, (d[i] as number) - (d[i - 1] as number));
  return m;
};
/** |a − b| after broadcasting: maximum, minimum, fmax, fmin at a = b. */
const apart = (xs: readonly Tensor[]): number => minOf(dataOf(cr.sub(xs[0] as Tensor, xs[1] as Tensor)), Math.abs);

const axisPlan =
  (extra: (shape: ProgramShape, d: ProgramDraw, axis: number) => ProgramParam[] = () => []) =>
  ([s]: readonly ProgramShape[], d: ProgramDraw): OpPlan | null => {
    const shape = s as ProgramShape;
    if (shape.length === 0) return null;
    const axis = d.axis(shape.length);
    return { params: [axis, ...extra(shape, d, axis)] };
  };

/** axis (or all, undefined) and keepDims, as the reductions take them. */
const reducePlan = ([s]: readonly ProgramShape[], d: ProgramDraw): OpPlan => {
  const shape = s as ProgramShape;
  const axis = shape.length === 0 || d.int(0, 2) === 0 ? undefined : d.axis(shape.length);
  return { params: [axis, d.bool()] };
};

const pick =
  (...choices: ProgramParam[][]) =>
  (_: readonly ProgramShape[], d: ProgramDraw): OpPlan => ({ params: d.pick(choices) });

const sizeAt = (shape: ProgramShape, axis: number): number => shape[axis < 0 ? axis + shape.length : axis] as number;
const positive = (lo: number, hi: number): readonly [number, number] => [lo, hi];
const ints = (n: number, f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
const int32 = (values: readonly number[], shape: ProgramShape): ProgramParam => ({
  $tensor: values,
  shape,
  dtype: 'int32',
});
const boolMask = (values: readonly number[], shape: ProgramShape): ProgramParam => ({
  $tensor: values,
  shape,
  dtype: 'bool',
});

/** An op of one input. */
const u = (name: string, o: Partial<ProgramOp> = {}): ProgramOp => ({ name, arity: 1, ...o });
/** An elementwise op of two broadcasting inputs. */
const b = (name: string, o: Partial<ProgramOp> = {}): ProgramOp => ({ name, arity: 2, broadcast: true, ...o });
/** exp-like ops, kept where chained ones stay finite. */
const moderate = [positive(-3, 3)] as const;
const positiveDomain = [positive(0.1, 10)] as const;
const unit = [positive(-0.9, 0.9)] as const;
const valueMethod =
  <K extends 'neg' | 'exp' | 'log' | 'tanh' | 'sigmoid' | 'relu'>(k: K) =>
  (xs: readonly Value[]): Value =>
    (xs[0] as Value)[k]();
const reductionLength = ([s]: readonly ProgramShape[]): number => Math.max(1, numel(s as ProgramShape));

const unaryRows = {
  neg: u('neg', { value: valueMethod('neg') }),
  exp: u('exp', { domain: moderate, value: valueMethod('exp') }),
  log: u('log', { domain: positiveDomain, value: valueMethod('log') }),
  log1p: u('log1p', { domain: [positive(-0.9, 10)] }),
  sqrt: u('sqrt', { domain: positiveDomain }),
  abs: u('abs', { kinkDistance: at(0) }),
  sign: u('sign', { kinkDistance: at(0) }),
  sin: u('sin'),
  cos: u('cos'),
  tanh: u('tanh', { value: valueMethod('tanh') }),
  sigmoid: u('sigmoid', { value: valueMethod('sigmoid') }),
  relu: u('relu', { kinkDistance: at(0), value: valueMethod('relu') }),
  leakyRelu: u('leakyRelu', { plan: pick([0.01], [0.2], [-0.5]), kinkDistance: at(0) }),
  softplus: u('softplus'),
  square: u('square'),
  reciprocal: u('reciprocal', { domain: [positive(0.2, 5)] }),
  clamp: u('clamp', {
    plan: pick([-0.5, 0.5], [null, 0.5], [-0.5, null]),
    kinkDistance: at(-0.5, 0.5),
  }),
  erf: u('erf'),
  erfc: u('erfc'),
  erfinv: u('erfinv', { domain: [positive(-0.95, 0.95)] }),
  tan: u('tan', { domain: [positive(-1.4, 1.4)] }),
  asin: u('asin', { domain: unit }),
  acos: u('acos', { domain: unit }),
  atan: u('atan'),
  sinh: u('sinh', { domain: moderate }),
  cosh: u('cosh', { domain: moderate }),
  asinh: u('asinh'),
  acosh: u('acosh', { domain: [positive(1.1, 10)] }),
  atanh: u('atanh', { domain: unit }),
  log2: u('log2', { domain: positiveDomain }),
  log10: u('log10', { domain: positiveDomain }),
  expm1: u('expm1', { domain: moderate }),
  exp2: u('exp2', { domain: moderate }),
  rsqrt: u('rsqrt', { domain: positiveDomain }),
  sinc: u('sinc'),
  lgamma: u('lgamma', { domain: positiveDomain }),
  digamma: u('digamma', { domain: positiveDomain }),
  floor: u('floor', { kinkDistance: nearInteger(0) }),
  ceil: u('ceil', { kinkDistance: nearInteger(0) }),
  round: u('round', { kinkDistance: nearInteger(0.5) }),
  trunc: u('trunc', { kinkDistance: nearInteger(0) }),
  frac: u('frac', { kinkDistance: nearInteger(0) }),
  relu6: u('relu6', { kinkDistance: at(0, 6) }),
  // elu, celu and softsign are smooth once but their second derivative jumps at 0; selu jumps in the first.
  elu: u('elu', { plan: pick([1], [0.5]), kinkDistance: at(0) }),
  selu: u('selu', { kinkDistance: at(0) }),
  celu: u('celu', { plan: pick([1], [0.5]), kinkDistance: at(0) }),
  gelu: u('gelu', { plan: pick([], [{ approximate: 'tanh' }]) }),
  silu: u('silu'),
  mish: u('mish'),
  hardswish: u('hardswish', { kinkDistance: at(-3, 3) }),
  hardsigmoid: u('hardsigmoid', { kinkDistance: at(-3, 3) }),
  hardtanh: u('hardtanh', { kinkDistance: at(-1, 1) }),
  softsign: u('softsign', { kinkDistance: at(0) }),
  logSigmoid: u('logSigmoid'),
  tanhshrink: u('tanhshrink'),
  softshrink: u('softshrink', { kinkDistance: at(-0.5, 0.5) }),
  hardshrink: u('hardshrink', { kinkDistance: at(-0.5, 0.5) }),
  threshold: u('threshold', { plan: pick([0.1, -1]), kinkDistance: at(0.1) }),
};

/** a / b kept a margin from the integers, where remainder, fmod and floorDivide jump. */
const quotientKink = (xs: readonly Tensor[]): number => {
  const q = dataOf(cr.div(xs[0] as Tensor, xs[1] as Tensor));
  return minOf(q, (x) => Math.abs(x - Math.round(x)));
};
const valueBinary =
  (k: 'add' | 'sub' | 'mul' | 'div') =>
  (xs: readonly Value[]): Value =>
    (xs[0] as Value)[k](xs[1] as Value);

const binaryRows = {
  add: b('add', { value: valueBinary('add') }),
  sub: b('sub', { value: valueBinary('sub') }),
  mul: b('mul', { value: valueBinary('mul') }),
  div: b('div', { domain: [undefined, positive(0.5, 3)], value: valueBinary('div') }),
  pow: b('pow', { domain: [positive(0.2, 3), positive(-2, 2)] }),
  maximum: b('maximum', { kinkDistance: apart }),
  minimum: b('minimum', { kinkDistance: apart }),
  // a kept off 0: the origin and the cut along b < 0.
  atan2: b('atan2', { domain: [positive(0.2, 3)] }),
  copysign: b('copysign', {
    kinkDistance: (xs) => Math.min(at(0)([xs[0] as Tensor]), at(0)([xs[1] as Tensor])),
  }),
  hypot: b('hypot', { domain: [positive(0.2, 3)] }),
  logaddexp: b('logaddexp'),
  logaddexp2: b('logaddexp2'),
  xlogy: b('xlogy', { domain: [undefined, positiveDomain[0]] }),
  remainder: b('remainder', { domain: [undefined, positive(0.5, 2)], kinkDistance: quotientKink }),
  fmod: b('fmod', { domain: [undefined, positive(0.5, 2)], kinkDistance: quotientKink }),
  floorDivide: b('floorDivide', { domain: [undefined, positive(0.5, 2)], kinkDistance: quotientKink }),
  fmax: b('fmax', { kinkDistance: apart }),
  fmin: b('fmin', { kinkDistance: apart }),
};

const reduction = (name: string, o: Partial<ProgramOp> = {}): ProgramOp =>
  u(name, { plan: reducePlan, roundings: reductionLength, ...o });

const reduceRows = {
  sum: reduction('sum'),
  max: reduction('max', { kinkDistance: ties }),
  min: reduction('min', { kinkDistance: ties }),
  prod: reduction('prod', { domain: [positive(-1.5, 1.5)] }),
  amax: reduction('amax', { kinkDistance: ties }),
  amin: reduction('amin', { kinkDistance: ties }),
  norm: reduction('norm', {
    plan: (shapes, d) => {
      const p = d.pick<number | string>([2, 1, 3]);
      return { params: [p, ...(reducePlan(shapes, d).params as ProgramParam[])] };
    },
    kinkDistance: at(0),
  }),
  // std of a single element divides by zero, and sqrt bends at a zero variance.
  std: reduction('std', {
    plan: (shapes, d) => {
      const plan = reducePlan(shapes, d);
      const [axis] = plan.params as [number | undefined];
      const s = shapes[0] as ProgramShape;
      return (axis === undefined ? numel(s) : sizeAt(s, axis)) < 2 ? null : plan;
    },
    kinkDistance: (_xs, _p, out) => minOf(dataOf(out), Math.abs),
  }),
  nansum: reduction('nansum'),
};

const permutation = (n: number, d: ProgramDraw): number[] => {
  const axes = ints(n, (i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = d.int(0, i);
    [axes[i], axes[j]] = [axes[j] as number, axes[i] as number];
  }
  return axes;
};

const shapeRows = {
  contiguous: u('contiguous'),
  clone: u('clone'),
  reshape: u('reshape', {
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      return { params: [d.pick<number[]>([[-1], shape.slice().reverse(), [1, ...shape]])] };
    },
  }),
  permute: u('permute', { plan: ([s], d) => ({ params: [permutation((s as ProgramShape).length, d)] }) }),
  expand: u('expand', {
    plan: ([s], d) => ({ params: [[d.int(1, 3), ...(s as ProgramShape).map((n) => (n === 1 ? d.int(1, 3) : n))]] }),
  }),
  slice: u('slice', {
    plan: axisPlan((shape, d, axis) => {
      const n = sizeAt(shape, axis);
      const start = d.int(0, n - 1);
      return [start, d.int(start + 1, n), d.int(1, 2)];
    }),
  }),
  concat: {
    name: 'concat',
    arity: 2,
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      const other = shape.slice();
      other[axis < 0 ? axis + shape.length : axis] = d.int(1, 3);
      return { params: [axis], inputShapes: [undefined, other] };
    },
    call: (xs, [axis]) => cr.concat(xs, axis as number),
    source: (xs, [axis]) => `cr.concat([${xs.join(', ')}], ${axis})`,
  } satisfies ProgramOp,
  flip: u('flip', { plan: axisPlan(), rank: [1, 4] }),
  unflatten: u('unflatten', {
    rank: [1, 4],
    plan: axisPlan((shape, d, axis) => {
      const n = sizeAt(shape, axis);
      return [
        n % 2 === 0 && d.bool()
          ? [2, n / 2]
          : d.pick([
              [1, n],
              [n, 1],
            ]),
      ];
    }),
  }),
  tril: u('tril', { rank: [2, 4], plan: pick([0], [1], [-1]) }),
  triu: u('triu', { rank: [2, 4], plan: pick([0], [1], [-1]) }),
  diagonal: u('diagonal', { rank: [2, 4], plan: pick([], [{ offset: 1 }], [{ offset: -1, axis1: -1, axis2: 0 }]) }),
  diagEmbed: u('diagEmbed', { rank: [1, 3], plan: pick([], [{ offset: 1 }]) }),
  repeat: u('repeat', { plan: ([s], d) => ({ params: [(s as ProgramShape).map(() => d.int(1, 2))] }) }),
};

const cumulativeRows = {
  cumsum: u('cumsum', { rank: [1, 4], plan: axisPlan() }),
  cumprod: u('cumprod', { rank: [1, 4], plan: axisPlan(), domain: [positive(-1.5, 1.5)] }),
  logcumsumexp: u('logcumsumexp', { rank: [1, 4], plan: axisPlan() }),
  cummax: u('cummax', { rank: [1, 4], plan: axisPlan(), values: true, kinkDistance: ties }),
  cummin: u('cummin', { rank: [1, 4], plan: axisPlan(), values: true, kinkDistance: ties }),
};

const sortRows = {
  sort: u('sort', {
    rank: [1, 4],
    plan: axisPlan((_s, d) => (d.bool() ? [{ descending: true }] : [])),
    values: true,
    kinkDistance: ties,
  }),
  topk: u('topk', {
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      return { params: [d.int(1, sizeAt(shape, axis)), axis] };
    },
    values: true,
    kinkDistance: ties,
  }),
  kthvalue: u('kthvalue', {
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      return { params: [d.int(1, sizeAt(shape, axis)), axis, d.bool()] };
    },
    values: true,
    kinkDistance: ties,
  }),
  median: u('median', { kinkDistance: ties }),
  // Distinct values all occur once, so mode picks the smallest: a tie-free choice.
  mode: u('mode', { rank: [1, 4], plan: axisPlan(), values: true, kinkDistance: ties }),
};

/** `count` indices below `n` from the draws (repeats allowed). */
const indices = (count: number, n: number, d: ProgramDraw): number[] => ints(count, () => d.int(0, n - 1));
/** An index tensor of `shape` into an axis of size n: a permutation along it when repeats are refused. */
const alongAxis = (shape: ProgramShape, axis: number, n: number, d: ProgramDraw, repeats: boolean): ProgramParam => {
  const ax = axis < 0 ? axis + shape.length : axis;
  const strides = shape.map((_, i) => numel(shape.slice(i + 1)));
  const shift = d.int(0, n - 1);
  const values = ints(numel(shape), (flat) => {
    const j = Math.floor(flat / (strides[ax] as number)) % (shape[ax] as number);
    return repeats ? d.int(0, n - 1) : (j + shift) % n;
  });
  return int32(values, shape);
};
const axisSized = (shape: ProgramShape, axis: number, size: number): number[] =>
  shape.map((s, i) => (i === (axis < 0 ? axis + shape.length : axis) ? size : s));

const indexingRows = {
  index: u('index', {
    rank: [1, 4],
    plan: ([s], d) => {
      const n = (s as ProgramShape)[0] as number;
      return { params: [d.pick<ProgramParam[]>([[d.int(-n, n - 1)], [indices(3, n, d)]])] };
    },
  }),
  indexPut: {
    name: 'indexPut',
    arity: 2,
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const n = shape[0] as number;
      const accumulate = d.bool();
      // Without accumulate a repeated index keeps one write: distinct indices keep the gradient defined.
      const list = accumulate ? indices(2, n, d) : [d.int(0, n - 1)];
      return { params: [[list], { accumulate }], inputShapes: [undefined, shape.slice(1)] };
    },
    call: (xs, [list, options]) =>
      cr.indexPut(xs[0] as Tensor, list as cr.IndexItem[], xs[1] as Tensor, options as { accumulate: boolean }),
    source: (xs, [list, options]) => `cr.indexPut(${xs[0]}, ${list}, ${xs[1]}, ${options})`,
  } satisfies ProgramOp,
  select: u('select', {
    plan: axisPlan((shape, d, axis) => [d.int(-sizeAt(shape, axis), sizeAt(shape, axis) - 1)]),
  }),
  narrow: u('narrow', {
    plan: axisPlan((shape, d, axis) => {
      const n = sizeAt(shape, axis);
      const start = d.int(0, n - 1);
      return [start, d.int(1, n - start)];
    }),
  }),
  take: u('take', {
    plan: ([s], d) => {
      const n = numel(s as ProgramShape);
      const picks = ints(d.int(1, 4), () => d.int(-n, n - 1));
      return { params: [int32(picks, [picks.length])] };
    },
  }),
  takeAlongDim: u('takeAlongDim', {
    rank: [1, 4],
    plan: axisPlan((shape, d, axis) => {
      const n = sizeAt(shape, axis);
      const idxShape = axisSized(shape, axis, d.int(1, 3));
      return [alongAxis(idxShape, axis, n, d, true)];
    }),
    source: (xs, [axis, i]) => `cr.takeAlongDim(${xs[0]}, ${i}, ${axis})`,
    call: (xs, [axis, i]) => cr.takeAlongDim(xs[0] as Tensor, i as Tensor, axis as number),
  }),
  scatter: scatterLike('scatter', false),
  scatterAdd: scatterLike('scatterAdd', true),
  scatterReduce: scatterLike('scatterReduce', true),
  indexAdd: indexLike('indexAdd', true),
  indexCopy: indexLike('indexCopy', false),
  indexFill: {
    name: 'indexFill',
    arity: 2,
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      return { params: [axis, indices(2, sizeAt(shape, axis), d)], inputShapes: [undefined, []] };
    },
    call: (xs, [axis, index]) => cr.indexFill(xs[0] as Tensor, axis as number, index as number[], xs[1] as Tensor),
    source: (xs, [axis, index]) => `cr.indexFill(${xs[0]}, ${axis}, ${index}, ${xs[1]})`,
  } satisfies ProgramOp,
  maskedFill: {
    name: 'maskedFill',
    arity: 2,
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      return {
        params: [
          boolMask(
            ints(numel(shape), () => d.int(0, 1)),
            shape,
          ),
        ],
        inputShapes: [undefined, []],
      };
    },
    call: (xs, [mask]) => cr.maskedFill(xs[0] as Tensor, mask as Tensor, xs[1] as Tensor),
    source: (xs, [mask]) => `cr.maskedFill(${xs[0]}, ${mask}, ${xs[1]})`,
  } satisfies ProgramOp,
  maskedSelect: u('maskedSelect', {
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      return {
        params: [
          boolMask(
            ints(numel(shape), (i) => (i === 0 ? 1 : d.int(0, 1))),
            shape,
          ),
        ],
      };
    },
  }),
  maskedScatter: {
    name: 'maskedScatter',
    arity: 2,
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      return {
        params: [
          boolMask(
            ints(numel(shape), () => d.int(0, 1)),
            shape,
          ),
        ],
        inputShapes: [undefined, shape],
      };
    },
    call: (xs, [mask]) => cr.maskedScatter(xs[0] as Tensor, mask as Tensor, xs[1] as Tensor),
    source: (xs, [mask]) => `cr.maskedScatter(${xs[0]}, ${mask}, ${xs[1]})`,
  } satisfies ProgramOp,
};

function scatterLike(name: 'scatter' | 'scatterAdd' | 'scatterReduce', repeats: boolean): ProgramOp {
  return {
    name,
    arity: 2,
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      const n = sizeAt(shape, axis);
      const index = alongAxis(shape, axis, n, d, repeats);
      const extra: ProgramParam[] =
        name === 'scatterReduce' ? [d.pick(['sum', 'mean']), { includeSelf: d.bool() }] : [];
      return { params: [axis, index, ...extra], inputShapes: [undefined, shape] };
    },
    call: (xs, [axis, index, reduce, options]) => {
      const [x, src] = xs as [Tensor, Tensor];
      if (name === 'scatterReduce')
        return cr.scatterReduce(
          x,
          axis as number,
          index as Tensor,
          src,
          reduce as cr.ScatterReduction,
          options as { includeSelf: boolean },
        );
      return (name === 'scatter' ? cr.scatter : cr.scatterAdd)(x, axis as number, index as Tensor, src);
    },
    source: (xs, ps) => `cr.${name}(${xs[0]}, ${ps[0]}, ${ps[1]}, ${[xs[1], ...ps.slice(2)].join(', ')})`,
  };
}

function indexLike(name: 'indexAdd' | 'indexCopy', repeats: boolean): ProgramOp {
  return {
    name,
    arity: 2,
    rank: [1, 4],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const axis = d.axis(shape.length);
      const n = sizeAt(shape, axis);
      const index = repeats ? indices(d.int(1, 3), n, d) : [d.int(0, n - 1)];
      return { params: [axis, index], inputShapes: [undefined, axisSized(shape, axis, index.length)] };
    },
    call: (xs, [axis, index]) =>
      (name === 'indexAdd' ? cr.indexAdd : cr.indexCopy)(
        xs[0] as Tensor,
        axis as number,
        index as number[],
        xs[1] as Tensor,
      ),
    source: (xs, [axis, index]) => `cr.${name}(${xs[0]}, ${axis}, ${index}, ${xs[1]})`,
  };
}

/** Pooling-style ops on (N, C, ...spatial) inputs with kernels of 1 on all but the last spatial axis. */
const lastKernel = (rank: number, k: number): number[] => [...new Array<number>(rank - 3).fill(1), k];

const convRows = {
  unfold: u('unfold', {
    rank: [4, 4],
    plan: ([s], d) => ({ params: [[1, d.int(1, (s as ProgramShape)[3] as number)]] }),
  }),
  fold: u('fold', {
    rank: [3, 3],
    plan: ([s]) => ({
      params: [
        [1, (s as ProgramShape)[2] as number],
        [1, 1],
      ],
    }),
  }),
  avgPool1d: pool('avgPool1d', 3),
  avgPool2d: pool('avgPool2d', 4),
  avgPool3d: pool('avgPool3d', 5),
  adaptiveAvgPool1d: adaptive('adaptiveAvgPool1d', 3),
  adaptiveAvgPool2d: adaptive('adaptiveAvgPool2d', 4),
  adaptiveAvgPool3d: adaptive('adaptiveAvgPool3d', 5),
  maxUnpool1d: unpool('maxUnpool1d', 3),
  maxUnpool2d: unpool('maxUnpool2d', 4),
  pad: u('pad', { plan: (_s, d) => ({ params: [[d.int(0, 2), d.int(0, 2)]] }) }),
};

function pool(name: string, rank: number): ProgramOp {
  return u(name, {
    rank: [rank, rank],
    plan: ([s], d) => ({ params: [lastKernel(rank, d.int(1, (s as ProgramShape)[rank - 1] as number))] }),
  });
}

function adaptive(name: string, rank: number): ProgramOp {
  return u(name, {
    rank: [rank, rank],
    plan: ([s], d) => ({ params: [lastKernel(rank, d.int(1, (s as ProgramShape)[rank - 1] as number))] }),
  });
}

/** maxUnpool of the (N, C, ..., L) input with valid indices: position j of the last axis came from j·k + r. */
function unpool(name: 'maxUnpool1d' | 'maxUnpool2d', rank: number): ProgramOp {
  return u(name, {
    rank: [rank, rank],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      const k = d.int(1, 2);
      const last = shape[rank - 1] as number;
      const rows = rank === 4 ? (shape[2] as number) : 1;
      const values = ints(numel(shape), (flat) => {
        const j = flat % last;
        const h = Math.floor(flat / last) % rows;
        return h * last * k + j * k + d.int(0, k - 1);
      });
      return { params: [int32(values, shape), lastKernel(rank, k)] };
    },
    call: (xs, [index, kernel]) =>
      (name === 'maxUnpool1d' ? cr.maxUnpool1d : cr.maxUnpool2d)(xs[0] as Tensor, index as Tensor, kernel as number[]),
    source: (xs, [index, kernel]) => `cr.${name}(${xs[0]}, ${index}, ${kernel})`,
  });
}

const rows = {
  ...unaryRows,
  ...binaryRows,
  ...reduceRows,
  ...shapeRows,
  ...cumulativeRows,
  ...sortRows,
  ...indexingRows,
  ...convRows,
} satisfies Record<string, ProgramOp | ExcludedRow>;

/**
 * Every op-table row, as programs call it, or the reason they leave it out.
 * program.test.ts types it against the op tables, so a new row does not
 * compile until it is here (the published declarations do not name the
 * tables), and checks it at run time too.
 */
export const programOpRows: { readonly [K in keyof typeof rows]: ProgramOp | ExcludedRow } = rows;

/** Ops outside the tables that programs also call: matmul's contractions and the composite reductions. */
export const programExtraOps: readonly ProgramOp[] = [
  {
    name: 'matmul',
    arity: 2,
    rank: [1, 3],
    plan: ([s], d) => {
      const shape = s as ProgramShape;
      return { params: [], inputShapes: [undefined, [shape[shape.length - 1] as number, d.int(1, 3)]] };
    },
    roundings: ([s]) => (s as ProgramShape)[(s as ProgramShape).length - 1] as number,
  },
  reduction('mean'),
  reduction('logsumexp', { plan: (shapes, d) => ({ params: [...(reducePlan(shapes, d).params as ProgramParam[])] }) }),
  u('softmax', { rank: [1, 4], plan: axisPlan() }),
  u('transpose', {
    rank: [2, 4],
    plan: ([s], d) => ({ params: [d.axis((s as ProgramShape).length), d.axis((s as ProgramShape).length)] }),
  }),
];

/** The ops programs draw from by default: every callable op-table row, then the extras. */
export const programOps: readonly ProgramOp[] = [
  ...Object.values(programOpRows).filter((o): o is ProgramOp => !('excluded' in o)),
  ...programExtraOps,
];

/** The ops with a Value version, for scalar programs. */
export const scalarProgramOps: readonly ProgramOp[] = programOps.filter((o) => o.value !== undefined);
