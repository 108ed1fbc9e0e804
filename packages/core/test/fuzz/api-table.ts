/**
 * Every public function and method of @chainrule/core, with the arguments a
 * careful caller would pass in each position. The hostile-argument fuzzer
 * replaces any of them with something an untyped caller might pass instead.
 */
import fc from 'fast-check';
import * as core from '../../src/index';
import { Generator, Tensor, tensor, value, type Value } from '../../src/index';
import { adamUpdateF32 } from '../../src/internal/index';
import { comparisonNames, opTables } from '../../src/ops/tables';
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
const List = fc
  .array(F, { minLength: 1, maxLength: 3 })
  .map((ts) => thunk(`[${ts.map((t) => t.code).join(', ')}]`, () => ts.map((t) => t.make())));
const V = fc.double({ min: -3, max: 3, noNaN: true }).map((x) => thunk(`value(${x})`, () => value(x)));
const Vl = fc.oneof(V, N);

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
const binary = [...(Object.keys(opTables.binary) as (keyof typeof opTables.binary)[]), ...comparisonNames] as const;
const reductions = [
  ['sum', 'sum'],
  ['mean', 'mean'],
  ['max', 'max'],
  ['min', 'min'],
  ['logsumexp', 'logsumexp'],
  ['variance', 'var'],
] as const;

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
  // Convolution, pooling and unfold (issue 16).
  ...convFunctions,
];

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
];
