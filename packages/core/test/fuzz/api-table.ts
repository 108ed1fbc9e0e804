/**
 * Every public function and method of @chainrule/core, with the arguments a
 * careful caller would pass in each position. The hostile-argument fuzzer
 * replaces any of them with something an untyped caller might pass instead.
 */
import fc from 'fast-check';
import * as core from '../../src/index';
import { Generator, Tensor, tensor, value, type Value } from '../../src/index';
import { adamUpdateF32 } from '../../src/internal/index';
import { bitwiseNames, comparisonNames, opTables, valueTestNames } from '../../src/ops/tables';
import {
  arbAxisThunk,
  arbBoolThunk,
  arbIndexThunk,
  arbNumberThunk,
  arbShapeThunk,
  arbTensorThunk,
  callbackThunk,
  thunk,
  type Thunk,
} from './arbitraries';
// Convolution, pooling and unfold (issue 16).
import { convFunctions } from './api-table-conv';

export interface ApiEntry {
  /** The names an error may give: the function called (and, for methods, the op it is). */
  names: readonly string[];
  /** Slot 0 is the receiver of a method call: always plausible, never replaced. */
  receiver?: boolean;
  /** Plausible arguments, position by position. */
  slots: readonly fc.Arbitrary<Thunk>[];
  call(args: unknown[]): unknown;
  /**
   * True for a call that asks for a legal but huge tensor (arange(0, 2³²,
   * 2.25) is 1.9e9 elements: allowed, and seconds to fill). Honouring those
   * is not the fuzzer's business; refusing sizes past the limit is.
   */
  huge?(args: unknown[]): boolean;
  /** Checks an accepted call's result, beyond well-formed tensors: null when right. */
  check?(args: unknown[], result: unknown): string | null;
}

type Loose = (...args: unknown[]) => unknown;
const loose = (f: unknown): Loose => f as Loose;

const T = arbTensorThunk();
const F = arbTensorThunk({ dtypes: ['float32', 'float64'] });
const N = arbNumberThunk;
const A = arbAxisThunk;
const S = arbShapeThunk;
const B = arbBoolThunk;
const I = arbIndexThunk;
const D = fc.constantFrom('float32', 'float64', 'int32', 'bool').map((d) => thunk(`'${d}'`, () => d));
const O = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk("{ dtype: 'float64' }", () => ({ dtype: 'float64' })),
  thunk('{ requiresGrad: true }', () => ({ requiresGrad: true })),
  thunk("{ dtype: 'int32' }", () => ({ dtype: 'int32' })),
);
const Fn = fc.oneof(
  callbackThunk('(x) => x.sum()', (x: Tensor) => x.sum()),
  callbackThunk('(x) => x.square().sum()', (x: Tensor) => x.square().sum()),
  callbackThunk('(x) => x.mul(2)', (x: Tensor) => x.mul(2)),
  callbackThunk('(x, y) => x.mul(y).sum()', (x: Tensor, y: Tensor) => x.mul(y).sum()),
);
/** Callbacks of noGrad/enableGrad/detectAnomaly, which are called with no arguments. */
const Thunked = fc.oneof(
  callbackThunk('() => tensor([1, 2], { requiresGrad: true }).log().sum()', () =>
    tensor([1, 2], { requiresGrad: true }).log().sum(),
  ),
  callbackThunk('() => 3', () => 3),
);
/** gelu's options. */
const Approximate = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk("{ approximate: 'none' }", () => ({ approximate: 'none' })),
  thunk("{ approximate: 'tanh' }", () => ({ approximate: 'tanh' })),
);
const List = fc
  .array(F, { minLength: 1, maxLength: 3 })
  .map((ts) => thunk(`[${ts.map((t) => t.code).join(', ')}]`, () => ts.map((t) => t.make())));
// The shape toolbox's options objects.
const Diagonal = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ offset: 1 }', () => ({ offset: 1 })),
  thunk('{ offset: -2, axis1: -1, axis2: 0 }', () => ({ offset: -2, axis1: -1, axis2: 0 })),
);
const Indexing = fc.constantFrom(
  thunk("{ indexing: 'ij' }", () => ({ indexing: 'ij' })),
  thunk("{ indexing: 'xy' }", () => ({ indexing: 'xy' })),
);
const V = fc.double({ min: -3, max: 3, noNaN: true }).map((x) => thunk(`value(${x})`, () => value(x)));
const Vl = fc.oneof(V, N);

// Options of isclose and nanToNum (issue 17).
const IscloseOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ rtol: 0.1, atol: 0 }', () => ({ rtol: 0.1, atol: 0 })),
  thunk('{ equalNan: true }', () => ({ equalNan: true })),
);
const NanToNumOptions = fc.constantFrom(
  thunk('{}', () => ({})),
  thunk('{ nan: 1, posinf: 2, neginf: -2 }', () => ({ nan: 1, posinf: 2, neginf: -2 })),
);

// Indexing: an index list (integers, slices, null, the ellipsis, index tensors and arrays, masks), options.
const IndexEntry = fc.oneof(
  arbIndexThunk,
  fc.integer({ min: -3, max: 3 }).map((k) => thunk(String(k), () => k)),
  fc.constantFrom(
    thunk('null', () => null),
    thunk("'...'", () => '...'),
    thunk('{}', () => ({})),
    thunk('{ start: 1 }', () => ({ start: 1 })),
    thunk('{ start: -1, step: -1 }', () => ({ start: -1, step: -1 })),
    thunk('{ stop: 2, step: 2 }', () => ({ stop: 2, step: 2 })),
    thunk('[0, -1]', () => [0, -1]),
    thunk('[true, false]', () => [true, false]),
    thunk('tensor([true, false])', () => tensor([true, false])),
    thunk('tensor(true)', () => tensor(true)),
  ),
);
const IndexList = fc
  .array(IndexEntry, { maxLength: 4 })
  .map((es) => thunk(`[${es.map((e) => e.code).join(', ')}]`, () => es.map((e) => e.make())));
const Mask = fc.constantFrom(
  thunk('tensor([true, false])', () => tensor([true, false])),
  thunk('tensor([[true], [false]])', () => tensor([[true], [false]])),
  thunk('tensor(false)', () => tensor(false)),
);
const Reduction = fc.constantFrom('sum', 'prod', 'mean', 'amax', 'amin').map((r) => thunk(`'${r}'`, () => r));
const PutOptions = fc.constantFrom(
  thunk('{ accumulate: true }', () => ({ accumulate: true })),
  thunk('{}', () => ({})),
);
const ReduceOptions = fc.constantFrom(
  thunk('{ includeSelf: false }', () => ({ includeSelf: false })),
  thunk('{}', () => ({})),
);
const AddOptions = fc.constantFrom(
  thunk('{ alpha: 2 }', () => ({ alpha: 2 })),
  thunk('{}', () => ({})),
);

/** A count of elements that is legal (under 2³¹) but too many to fill in a unit test. */
function hugeCount(span: unknown, step: unknown = 1): boolean {
  if (typeof span !== 'number' || typeof step !== 'number') return false;
  const n = Math.ceil(span / step);
  return n > 1e7 && n < 2 ** 31;
}

const fn = (names: string | readonly string[], f: unknown, ...slots: fc.Arbitrary<Thunk>[]): ApiEntry => ({
  names: typeof names === 'string' ? [names] : names,
  slots,
  call: (args) => loose(f)(...args),
});

/** A method called on a plausible receiver (slot 0 is always the receiver, never hostile). */
const method = (name: string, op: string, ...slots: fc.Arbitrary<Thunk>[]): ApiEntry => ({
  names: [op],
  receiver: true,
  slots: [F, ...slots],
  call: ([self, ...rest]) => loose((self as Record<string, unknown>)[name]).apply(self, rest),
});

// From the op tables (leakyRelu and clamp take parameters: their entries are below), so a
// new unary or binary op is fuzzed here without a list to update.
const withParameters = new Set<string>(['leakyRelu', 'clamp']);
const unary = [
  ...(Object.keys(opTables.unary) as (keyof typeof opTables.unary)[]).filter((name) => !withParameters.has(name)),
  'contiguous',
  'clone',
  'logicalNot',
] as const;
const binary = [
  ...(Object.keys(opTables.binary) as (keyof typeof opTables.binary)[]),
  ...comparisonNames,
  ...bitwiseNames,
] as const;
const reductions = [
  ['sum', 'sum'],
  ['mean', 'mean'],
  ['max', 'max'],
  ['min', 'min'],
  ['logsumexp', 'logsumexp'],
  ['variance', 'var'],
] as const;

// ---- The reductions of issue 17: an axis or a list of axes; std's options; norm's p.
const issue17Reductions = ['prod', 'amax', 'amin', 'nansum', 'nanmean', 'any', 'all', 'countNonzero'] as const;
const Axes = fc.oneof(
  A,
  fc.array(A, { maxLength: 3 }).map((a) => thunk(JSON.stringify(a), () => a)),
);
const Correction = fc.constantFrom(
  thunk('{ correction: 0 }', () => ({ correction: 0 })),
  thunk('{ correction: 2 }', () => ({ correction: 2 })),
);
const P = fc.constantFrom(
  ...[2, 1, 0, 3, 0.5, -1, Infinity, -Infinity].map((p) => thunk(String(p), () => p)),
  thunk("'fro'", () => 'fro'),
);
// Cumulative, sorting and search ops (issue 18): plausible options, and the functions and methods that take them.
const options = (...list: object[]) => fc.constantFrom(...list.map((o) => thunk(JSON.stringify(o), () => ({ ...o }))));
const SortO = options({}, { descending: true }, { stable: true }, { descending: true, stable: true });
const TopkO = options({}, { largest: false }, { sorted: false });
const UniqueO = options({}, { sorted: false }, { returnInverse: true, returnCounts: true }, { axis: 0 });
const SearchO = options({}, { right: true }, { side: 'right' }, { side: 'left' });
const K = fc.integer({ min: -1, max: 4 }).map((k) => thunk(String(k), () => k));

/** The free functions of the public surface. */
export const functions: ApiEntry[] = [
  ...unary.map((name) => fn(name, core[name], T)),
  fn('leakyRelu', core.leakyRelu, T, N),
  fn('clamp', core.clamp, T, N, N),
  ...binary.map((name) => fn(name, core[name], T, fc.oneof(T, N))),
  ...reductions.map(([f, name]) =>
    fn(
      name,
      core[f],
      T,
      fc.oneof(
        A,
        fc.array(A, { maxLength: 3 }).map((a) => thunk(JSON.stringify(a), () => a)),
      ),
      B,
    ),
  ),
  fn('var', core.variance, T, A, B, fc.constant(thunk('{ correction: 0 }', () => ({ correction: 0 })))),
  fn('argmax', core.argmax, T, A, B),
  fn('argmin', core.argmin, T, A, B),
  fn('softmax', core.softmax, T, A),
  fn('logSoftmax', core.logSoftmax, T, A),
  fn(
    'where',
    core.where,
    fc.constant(thunk('tensor([true, false])', () => tensor([true, false]))),
    fc.oneof(T, N),
    fc.oneof(T, N),
  ),
  fn('reshape', core.reshape, T, S),
  fn('flatten', core.flatten, T, A, A),
  fn('permute', core.permute, T, S),
  fn('transpose', core.transpose, T, A, A),
  fn('squeeze', core.squeeze, T, A),
  fn('unsqueeze', core.unsqueeze, T, A),
  fn('expand', core.expand, T, S),
  fn('slice', core.slice, T, A, N, N, N),
  fn('concat', core.concat, List, A),
  fn('stack', core.stack, List, A),
  fn('gather', core.gather, T, A, I),
  fn('indexSelect', core.indexSelect, T, A, I),
  fn('oneHot', core.oneHot, I, N),
  fn('matmul', core.matmul, T, T),
  fn('dot', core.dot, T, T),
  fn('outer', core.outer, T, T),
  fn('addInPlace', core.addInPlace, T, fc.oneof(T, N), N),
  fn('subInPlace', core.subInPlace, T, fc.oneof(T, N), N),
  fn('mulInPlace', core.mulInPlace, T, fc.oneof(T, N)),
  fn('copyFrom', core.copyFrom, T, fc.oneof(T, N)),
  fn('fill', core.fill, T, N),
  fn('to', core.to, T, D),
  fn(
    'tensor',
    core.tensor,
    fc.constantFrom(
      thunk('[[1, 2], [3, 4]]', () => [
        [1, 2],
        [3, 4],
      ]),
      thunk('3', () => 3),
      thunk('[true]', () => [true]),
    ),
    O,
  ),
  fn('zeros', core.zeros, S, O),
  fn('ones', core.ones, S, O),
  fn('full', core.full, S, N, O),
  fn('zerosLike', core.zerosLike, T, O),
  fn('onesLike', core.onesLike, T, O),
  fn('fullLike', core.fullLike, T, N, O),
  fn('eye', core.eye, N, N, O),
  {
    ...fn('arange', core.arange, N, N, N, O),
    huge: ([a, b, step = 1]) =>
      b === undefined ? hugeCount(a) : typeof a === 'number' && typeof b === 'number' && hugeCount(b - a, step),
  },
  { ...fn('linspace', core.linspace, N, N, N, O), huge: ([, , steps]) => hugeCount(steps) },
  fn('rand', core.rand, S, O),
  fn('randn', core.randn, S, O),
  fn('randLike', core.randLike, F, O),
  fn('randnLike', core.randnLike, F, O),
  fn('randperm', core.randperm, N),
  fn('manualSeed', core.manualSeed, N),
  fn('value', core.value, N, fc.constant(thunk("{ label: 'w' }", () => ({ label: 'w' })))),
  fn('noGrad', core.noGrad, Thunked),
  fn('enableGrad', core.enableGrad, Thunked),
  fn('detectAnomaly', core.detectAnomaly, Thunked),
  fn(
    'gradients',
    (y: unknown, xs: unknown, o: unknown) => core.gradients(y as Tensor, xs as Tensor[], o as object),
    fc.constant(thunk('y', () => tensor([1, 2], { requiresGrad: true }).square().sum())),
    fc.constant(thunk('[]', () => [])),
    O,
  ),
  fn(
    'grad',
    (f: unknown, x: unknown, o: unknown) => core.grad(f as core.TensorFunction, o as core.GradOptions)(x as Tensor),
    Fn,
    F,
    fc.constant(thunk('{ argnums: 0 }', () => ({ argnums: 0 }))),
  ),
  fn('grad', (f: unknown, x: unknown) => core.valueAndGrad(f as core.TensorFunction)(x as Tensor), Fn, F),
  fn(
    'vjp',
    (f: unknown, x: unknown, v: unknown) => core.vjp(f as core.TensorFunction, x as Tensor)[1](v as Tensor),
    Fn,
    F,
    F,
  ),
  fn(
    'jvp',
    (f: unknown, x: unknown, t: unknown) => core.jvp(f as core.TensorFunction, [x as Tensor], [t as Tensor]),
    Fn,
    F,
    F,
  ),
  fn('jacobian', (f: unknown, x: unknown) => core.jacobian(f as (x: Tensor) => Tensor)(x as Tensor), Fn, F),
  fn('hessian', (f: unknown, x: unknown) => core.hessian(f as (x: Tensor) => Tensor)(x as Tensor), Fn, F),
  fn(
    'customOp',
    core.customOp,
    fc.constant(
      thunk('{ name: "twice", forward: (ctx, x) => x.mul(2), backward: (ctx, g) => g.mul(2) }', () => ({
        name: 'twice',
        forward: (_ctx: unknown, x: Tensor) => x.mul(2),
        backward: (_ctx: unknown, g: Tensor) => g.mul(2),
      })),
    ),
  ),
  fn('toDot', core.toDot, T, fc.constant(thunk('{ maxNodes: 3 }', () => ({ maxNodes: 3 })))),
  fn('toMermaid', core.toMermaid, T, fc.constant(thunk('{ maxElements: 2 }', () => ({ maxElements: 2 })))),
  fn(
    'setBackend',
    core.setBackend,
    fc.constantFrom(
      thunk("'js'", () => 'js'),
      thunk('null', () => null),
    ),
  ),
  fn(
    'setNumThreads',
    core.setNumThreads,
    fc.constantFrom(
      thunk('1', () => 1),
      thunk('4', () => 4),
    ),
  ),
  fn(
    'adamUpdateF32',
    adamUpdateF32,
    fc.constant(
      thunk('{ p, po: 0, g, go: 0, m, v, vmax: null, n: 3 }', () => ({
        p: new Float32Array(3),
        po: 0,
        g: new Float32Array([1, 2, 3]),
        go: 0,
        m: new Float32Array(3),
        v: new Float32Array(3),
        vmax: null,
        n: 3,
      })),
    ),
    fc.constant(
      thunk('{ sign: 1, l2: 0, shrink: 1, beta1: 0.9, ... }', () => ({
        sign: 1,
        l2: 0,
        shrink: 1,
        beta1: 0.9,
        beta2: 0.999,
        stepSize: 0.01,
        bc2Sqrt: 0.04,
        eps: 1e-8,
      })),
    ),
  ),
  // new Generator(seed) checks the seed with manualSeed, and says so.
  fn('manualSeed', (seed: unknown) => new Generator(seed as number), N),
  // Special functions and rounding: round is the one with a parameter (decimals).
  fn('round', core.round, T, N),
  // Binary math ops (above, from the table), lerp, clamp with tensor bounds and the value tests (issue 17).
  fn('lerp', core.lerp, T, fc.oneof(T, N), fc.oneof(T, N)),
  fn('clamp', core.clamp, T, fc.oneof(F, N), fc.oneof(F, N)),
  ...valueTestNames.map((name) => fn(name, core[name], T)),
  fn('isclose', core.isclose, T, fc.oneof(T, N), IscloseOptions),
  fn('nanToNum', core.nanToNum, T, NanToNumOptions),
  // The reductions of issue 17.
  ...issue17Reductions.map((name) => fn(name, core[name], T, Axes, B)),
  ...(['std', 'varMean', 'stdMean'] as const).map((name) => fn(name, core[name], T, A, B, Correction)),
  fn('norm', core.norm, T, P, Axes, B),
  // The shape toolbox.
  fn('flip', core.flip, T, fc.oneof(A, S)),
  fn('roll', core.roll, T, fc.oneof(A, S), fc.oneof(A, S)),
  fn('tril', core.tril, T, A),
  fn('triu', core.triu, T, A),
  fn('diag', core.diag, T, A),
  fn('diagonal', core.diagonal, T, Diagonal),
  fn('diagEmbed', core.diagEmbed, T, Diagonal),
  fn('trace', core.trace, T),
  fn('repeat', core.repeat, T, S),
  fn('tile', core.tile, T, S),
  fn('repeatInterleave', core.repeatInterleave, T, fc.oneof(A, S, I), A),
  fn('split', core.split, T, fc.oneof(A, S), A),
  fn('chunk', core.chunk, T, A, A),
  fn('unbind', core.unbind, T, A),
  fn('movedim', core.movedim, T, fc.oneof(A, S), fc.oneof(A, S)),
  fn('swapaxes', core.swapaxes, T, A, A),
  fn('unflatten', core.unflatten, T, A, S),
  fn('broadcastTo', core.broadcastTo, T, S),
  fn('broadcastTensors', core.broadcastTensors, T, T),
  fn('meshgrid', core.meshgrid, T, T, Indexing),
  fn('atleast1d', core.atleast1d, fc.oneof(T, List)),
  fn('atleast2d', core.atleast2d, fc.oneof(T, List)),
  fn('atleast3d', core.atleast3d, fc.oneof(T, List)),
  fn('hstack', core.hstack, List),
  fn('vstack', core.vstack, List),
  fn('dstack', core.dstack, List),
  // The activation functions with parameters (each is also called with the tensor alone, from the unary table).
  fn('elu', core.elu, T, N),
  fn('celu', core.celu, T, N),
  fn('gelu', core.gelu, T, Approximate),
  fn('hardtanh', core.hardtanh, T, N, N),
  fn('softshrink', core.softshrink, T, N),
  fn('hardshrink', core.hardshrink, T, N),
  fn('threshold', core.threshold, T, N, N),
  // Cumulative, sorting and search ops (issue 18).
  ...sortCumulativeFunctions(),
  // Indexing: index lists mix integers, slices, null, the ellipsis and index tensors.
  fn('index', core.index, T, IndexList),
  fn('indexPut', core.indexPut, T, IndexList, fc.oneof(T, N), PutOptions),
  fn('select', core.select, T, A, N),
  fn('narrow', core.narrow, T, A, N, N),
  fn('take', core.take, T, I),
  fn('takeAlongDim', core.takeAlongDim, T, I, A),
  fn('scatter', core.scatter, T, A, I, fc.oneof(T, N)),
  fn('scatterAdd', core.scatterAdd, T, A, I, T),
  fn('scatterReduce', core.scatterReduce, T, A, I, T, Reduction, ReduceOptions),
  fn('indexAdd', core.indexAdd, T, A, I, T, AddOptions),
  fn('indexCopy', core.indexCopy, T, A, I, T),
  fn('indexFill', core.indexFill, T, A, I, fc.oneof(T, N)),
  fn('maskedFill', core.maskedFill, T, Mask, fc.oneof(T, N)),
  fn('maskedSelect', core.maskedSelect, T, Mask),
  fn('maskedScatter', core.maskedScatter, T, Mask, T),
  fn('nonzero', core.nonzero, T),
  fn('argwhere', core.argwhere, T),
  // Convolution, pooling and unfold (issue 16).
  ...convFunctions,
];

function sortCumulativeFunctions(): ApiEntry[] {
  return [
    ...(['cumsum', 'cumprod', 'logcumsumexp', 'cummax', 'cummin'] as const).map((name) => fn(name, core[name], T, A)),
    fn('sort', core.sort, T, A, SortO),
    fn('argsort', core.argsort, T, A, SortO),
    fn('topk', core.topk, T, K, A, TopkO),
    fn('kthvalue', core.kthvalue, T, K, A, B),
    fn('median', core.median, T, A, B),
    fn('mode', core.mode, T, A, B),
    fn('unique', core.unique, T, UniqueO),
    fn('searchsorted', core.searchsorted, T, fc.oneof(T, N), SearchO),
    fn('bucketize', core.bucketize, fc.oneof(T, N), T, options({}, { right: true })),
  ];
}

function sortCumulativeMethods(): ApiEntry[] {
  return [
    ...['cumsum', 'cumprod', 'logcumsumexp', 'cummax', 'cummin'].map((m) => method(m, m, A)),
    method('sort', 'sort', A, SortO),
    method('argsort', 'argsort', A, SortO),
    method('topk', 'topk', K, A, TopkO),
    method('kthvalue', 'kthvalue', K, A, B),
    method('median', 'median', A, B),
    method('mode', 'mode', A, B),
    method('unique', 'unique', UniqueO),
  ];
}

/** A method of a Value (the receiver, or a node computed from it by `prepare`). */
function valueMethod(name: string, arg: fc.Arbitrary<Thunk>, prepare: (v: Value) => Value = (v) => v): ApiEntry {
  return {
    names: [name],
    receiver: true,
    slots: [V, arg],
    call: ([v, x]) => {
      const self = prepare(v as Value);
      return loose((self as unknown as Record<string, unknown>)[name]).call(self, x);
    },
  };
}

/** Methods of Tensor, Value and Generator. */
export const methods: ApiEntry[] = [
  ...binary.map((m) => method(m, m, fc.oneof(T, N))),
  ...['sum', 'mean', 'max', 'min', 'logsumexp'].map((m) => method(m, m, A, B)),
  method('var', 'var', A, B),
  method('argmax', 'argmax', A, B),
  method('softmax', 'softmax', A),
  method('leakyRelu', 'leakyRelu', N),
  method('clamp', 'clamp', N, N),
  method('to', 'to', D),
  method('reshape', 'reshape', S),
  method('flatten', 'flatten', A, A),
  method('permute', 'permute', S),
  method('transpose', 'transpose', A, A),
  method('squeeze', 'squeeze', A),
  method('unsqueeze', 'unsqueeze', A),
  method('expand', 'expand', S),
  method('slice', 'slice', A, N, N, N),
  method('gather', 'gather', A, I),
  method('indexSelect', 'indexSelect', A, I),
  method('matmul', 'matmul', T),
  method('dot', 'dot', T),
  method('outer', 'outer', T),
  method('addInPlace', 'addInPlace', fc.oneof(T, N), N),
  method('copyFrom', 'copyFrom', fc.oneof(T, N)),
  method('fill', 'fill', N),
  method('requireGrad', 'requiresGrad', B),
  method('backward', 'backward', fc.oneof(T, N), O),
  method('item', 'item'),
  { names: ['T'], receiver: true, slots: [T], call: ([t]) => (t as Tensor).T },
  // Value: ops take a Value or a number; pow only a number.
  ...['add', 'sub', 'mul', 'div'].map((m): ApiEntry => ({ ...valueMethod(m, Vl) })),
  valueMethod('pow', N),
  valueMethod('backward', O, (v) => v.mul(2)),
  // Generator: its own stream, so the global one is not disturbed.
  {
    names: ['integer'],
    slots: [N],
    call: ([n]) => new Generator(1).integer(n as number),
    check: ([n], r) =>
      Number.isInteger(r) && (r as number) >= 0 && (r as number) < (n as number)
        ? null
        : `integer(${String(n)}) gave ${String(r)}`,
  },
  { names: ['permutation'], slots: [N], call: ([n]) => new Generator(1).permutation(n as number) },
  { names: ['manualSeed'], slots: [N], call: ([n]) => new Generator(1).manualSeed(n as number) },
  // Lerp, clamp with tensor bounds and the value tests (issue 17).
  method('lerp', 'lerp', fc.oneof(T, N), fc.oneof(T, N)),
  method('clamp', 'clamp', fc.oneof(F, N), fc.oneof(F, N)),
  ...valueTestNames.map((name) => method(name, name)),
  method('isclose', 'isclose', fc.oneof(T, N), IscloseOptions),
  method('nanToNum', 'nanToNum', NanToNumOptions),
  // The reductions of issue 17.
  ...issue17Reductions.map((m) => method(m, m, Axes, B)),
  ...(['std', 'varMean', 'stdMean'] as const).map((m) => method(m, m, A, B, Correction)),
  method('norm', 'norm', P, Axes, B),
  // The shape toolbox.
  method('flip', 'flip', fc.oneof(A, S)),
  method('roll', 'roll', A, A),
  method('tril', 'tril', A),
  method('triu', 'triu', A),
  method('diag', 'diag', A),
  method('diagonal', 'diagonal', Diagonal),
  method('diagEmbed', 'diagEmbed', Diagonal),
  method('trace', 'trace'),
  method('repeat', 'repeat', S),
  method('tile', 'tile', S),
  method('repeatInterleave', 'repeatInterleave', fc.oneof(A, S, I), A),
  method('split', 'split', fc.oneof(A, S), A),
  method('chunk', 'chunk', A, A),
  method('unbind', 'unbind', A),
  method('movedim', 'movedim', A, A),
  method('swapaxes', 'swapaxes', A, A),
  method('unflatten', 'unflatten', A, S),
  method('broadcastTo', 'broadcastTo', S),
  // The activation functions with parameters, as methods.
  method('elu', 'elu', N),
  method('celu', 'celu', N),
  method('gelu', 'gelu', Approximate),
  method('hardtanh', 'hardtanh', N, N),
  method('softshrink', 'softshrink', N),
  method('hardshrink', 'hardshrink', N),
  method('threshold', 'threshold', N, N),
  // Cumulative, sorting and search ops (issue 18).
  ...sortCumulativeMethods(),
  // Indexing.
  method('index', 'index', IndexList),
  method('indexPut', 'indexPut', IndexList, fc.oneof(T, N), PutOptions),
  method('select', 'select', A, N),
  method('narrow', 'narrow', A, N, N),
  method('take', 'take', I),
  method('takeAlongDim', 'takeAlongDim', I, A),
  method('scatter', 'scatter', A, I, fc.oneof(T, N)),
  method('scatterReduce', 'scatterReduce', A, I, T, Reduction, ReduceOptions),
  method('indexFill', 'indexFill', A, I, fc.oneof(T, N)),
  method('maskedFill', 'maskedFill', Mask, fc.oneof(T, N)),
  method('maskedScatter', 'maskedScatter', Mask, T),
  method('nonzero', 'nonzero'),
];
