/**
 * The ops the sequence fuzzer applies, each with its reference (reference.ts)
 * and how closely its values must match. Arguments are drawn from a list of
 * small integers (`Draw`), so they shrink to the simplest call, and include
 * values NumPy/PyTorch refuse (axes out of range, shapes that do not
 * broadcast): the reference says `invalid` and chainrule must throw.
 */
import * as core from '../../src/index';
import type { DType, Tensor } from '../../src/index';
import type { binaryOps as binaryTable, unaryOps as unaryTable } from '../../src/index';
import {
  axesOf,
  axisOf,
  elementwise,
  floatOf,
  invalid,
  isInvalid,
  make,
  isIntDType,
  resultTypeRef,
  type Kind,
  reduce,
  type Ref,
  type RefResult,
} from './reference';

/** Arguments drawn from a fixed list of integers (cycled), so shrinking simplifies them. */
export class Draw {
  private i = 0;
  constructor(private readonly seeds: readonly number[]) {}

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    const s = this.seeds.length === 0 ? 0 : (this.seeds[this.i++ % this.seeds.length] as number);
    return lo + (s % (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)] as T;
  }

  /**
   * An axis for a tensor of `rank` (+ `extra` for ops that add one), negative
   * or not; one time in five just out of range, so refusals are tried too.
   */
  axis(rank: number, extra = 0): number {
    const r = Math.max(rank, 1) + extra;
    return this.oneIn(5) ? this.pick([-r - 1, r]) : this.int(-r, r - 1);
  }

  /** True about one time in `n`. */
  oneIn(n: number): boolean {
    return this.int(0, n - 1) === 0;
  }
}

/** How a result is compared with the reference. */
export type Compare = 'exact' | 'close' | 'shape';

export interface Planned {
  /** The call, as code (inputs named t0, t1, ...). */
  code: string;
  call(): unknown;
  expected: RefResult;
  compare: Compare;
}

export interface SeqOp {
  /** The names a refusal may give. */
  names: readonly string[];
  /** How many tensors of the pool it takes. */
  arity: number;
  plan(xs: readonly Tensor[], refs: readonly Ref[], d: Draw, names: readonly string[]): Planned;
}

export const refOf = (t: Tensor): Ref => ({ shape: t.shape.slice(), dtype: t.dtype, data: Array.from(t.data()) });

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

/** A number operand: a 0-d tensor of the dtype the op computes in (so uint8 + 300 wraps the 300, as PyTorch). */
function numberRef(x: number, computed: DType): Ref {
  return make([], computed, () => x);
}

/** The unary ops that keep an integer input's dtype (exactly, wrapping), as PyTorch; the rest compute integers in float32. */
const keepsIntegers: Record<string, true> = { neg: true, abs: true, sign: true, relu: true, square: true };

type Fn1 = (x: number) => number;

/**
 * The elementwise functions, from their definitions (not chainrule's
 * kernels): one per row of the unary table (a missing one does not compile;
 * leakyRelu and clamp, which take parameters, have generators of their own
 * below).
 */
const unaryRefs = {
  neg: [(x) => -x, 'exact'],
  exp: [Math.exp, 'exact'],
  log: [Math.log, 'exact'],
  log1p: [Math.log1p, 'exact'],
  sqrt: [Math.sqrt, 'exact'],
  abs: [Math.abs, 'exact'],
  sign: [Math.sign, 'exact'],
  sin: [Math.sin, 'exact'],
  cos: [Math.cos, 'exact'],
  tanh: [Math.tanh, 'exact'],
  // 1 / (1 + e⁻ˣ) in double is within an ulp of any stable form.
  sigmoid: [(x) => 1 / (1 + Math.exp(-x)), 'close'],
  // NaN stays NaN, as in PyTorch.
  relu: [(x) => (x > 0 || Number.isNaN(x) ? x : 0), 'exact'],
  // log(1 + eˣ); past e⁷⁰⁹ (overflow) it equals x to double precision.
  softplus: [(x) => (Number.isFinite(Math.exp(x)) ? Math.log1p(Math.exp(x)) : x), 'close'],
  square: [(x) => x * x, 'exact'],
  reciprocal: [(x) => 1 / x, 'exact'],
} satisfies Record<Exclude<keyof typeof unaryTable, 'leakyRelu' | 'clamp'>, [Fn1, Compare]>;

const unaryOps: Record<string, SeqOp> = Object.fromEntries(
  Object.entries(unaryRefs).map(([name, [f, compare]]) => [
    name,
    {
      names: [name],
      arity: 1,
      plan: ([x], [r], _d, [n]) => {
        const dtype = (r as Ref).dtype;
        const exact = keepsIntegers[name] === true && isIntDType(dtype);
        return {
          code: `${n}.${name}()`,
          call: () =>
            ((core as unknown as Record<string, (t: Tensor) => Tensor>)[name] as (t: Tensor) => Tensor)(x as Tensor),
          expected:
            name === 'neg' && dtype === 'bool'
              ? invalid('neg of a bool tensor')
              : exact
                ? elementwise([r as Ref], dtype, (v) => Number(BigInt.asIntN(32, exactUnary(name, BigInt(v)))))
                : elementwise([r as Ref], floatOf(dtype), f),
          compare,
        };
      },
    },
  ]),
);

const leakyRelu: SeqOp = {
  names: ['leakyRelu'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const slope = d.pick([0.01, 0.5, 0, -1]);
    return {
      code: `${n}.leakyRelu(${slope})`,
      call: () => (x as Tensor).leakyRelu(slope),
      expected: elementwise([r as Ref], floatOf((r as Ref).dtype), (v) => (v > 0 ? v : v * slope)),
      compare: 'exact',
    };
  },
};

const clamp: SeqOp = {
  names: ['clamp'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const lo = d.pick([null, -1, 0, 0.5, 2]);
    const hi = d.pick([null, -1, 0, 0.5, 2]);
    const a = lo ?? -Infinity;
    const b = hi ?? Infinity;
    return {
      code: `${n}.clamp(${lo}, ${hi})`,
      call: () => (x as Tensor).clamp(lo, hi),
      expected:
        a > b
          ? invalid('min above max')
          : elementwise([r as Ref], floatOf((r as Ref).dtype), (v) => Math.min(Math.max(v, a), b)),
      compare: 'exact',
    };
  },
};

/** The integer forms of the unary ops that keep integers, exact in BigInt (the store wraps them). */
function exactUnary(name: string, x: bigint): bigint {
  if (name === 'neg') return -x;
  if (name === 'abs') return x < 0n ? -x : x;
  if (name === 'sign') return x > 0n ? 1n : x < 0n ? -1n : 0n;
  if (name === 'relu') return x > 0n ? x : 0n;
  return x * x;
}

/**
 * The integer forms of the binary ops, exact in BigInt. NOTE: integer pow
 * with a negative exponent is 0 except for bases ±1, as PyTorch gives for a
 * tensor of exponents.
 */
const integerRefs: Record<string, (a: bigint, b: bigint) => bigint> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  pow: (a, b) => (b >= 0n ? a ** b : a === 1n ? 1n : a === -1n ? (b % 2n === 0n ? 1n : -1n) : 0n),
  maximum: (a, b) => (a > b ? a : b),
  minimum: (a, b) => (a < b ? a : b),
};

/** Two bool operands: add is OR and mul is AND (as PyTorch); sub is refused; the rest compute as integers. */
const boolRefs: Record<string, ((a: number, b: number) => number) | 'refused'> = {
  add: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  mul: (a, b) => a * b,
  maximum: Math.max,
  minimum: Math.min,
  sub: 'refused',
};

/**
 * The reference result of arithmetic op `name` on operands promoting to
 * `computed`: floats as f in double, integers exact, bools by boolRefs, and
 * what has no integer form (div) in float32.
 */
function arithmetic(
  name: string,
  refs: readonly Ref[],
  computed: DType,
  f: (a: number, b: number) => number,
): RefResult {
  if (computed === 'float32' || computed === 'float64') return elementwise(refs, computed, f);
  if (computed === 'bool') {
    const g = boolRefs[name];
    if (g === 'refused') return invalid(`${name} of two bool operands`);
    if (g !== undefined) return elementwise(refs, 'bool', g);
    computed = integerRefs[name] === undefined ? 'float32' : 'int32';
    if (computed === 'float32') return elementwise(refs, 'float32', f);
  }
  const exact = integerRefs[name];
  if (exact === undefined) return elementwise(refs, 'float32', f);
  // Reduced to 32 bits while still a BigInt (a Number would round 3³⁰⁰); the store wraps further.
  return elementwise(refs, computed, (a, b) => Number(BigInt.asIntN(32, exact(BigInt(a), BigInt(b)))));
}

/** One per row of the binary table (a missing one does not compile). */
const binaryRefs = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  // NaN propagates from either side, as in PyTorch.
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
} satisfies Record<keyof typeof binaryTable, (a: number, b: number) => number>;

const compareRefs: Record<string, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  // Nonzero (NaN included) counts as true.
  logicalAnd: (a, b) => a !== 0 && b !== 0,
  logicalOr: (a, b) => a !== 0 || b !== 0,
};

/** An operand: a pool tensor (with its reference and name) or a number (a 0-d tensor of the dtype the op computes in). */
interface Operand {
  arg: Tensor | number;
  ref: Ref;
  code: string;
  kind: Kind;
}

const kindOf = (r: Ref): Kind => (r.shape.length === 0 ? 'scalar' : 'tensor');

/** A binary op on two pool tensors, a tensor with itself, or a tensor and a number on either side. */
function binary(name: string, f: (a: number, b: number) => number, bool: boolean): SeqOp {
  const call = core[name as 'add'] as (a: Tensor | number, b: Tensor | number) => Tensor;
  return {
    names: [name],
    arity: 2,
    plan: ([x, y], [rx, ry], d, [nx, ny]) => {
      const first: Operand = { arg: x as Tensor, ref: rx as Ref, code: nx as string, kind: kindOf(rx as Ref) };
      const second: Operand = { arg: y as Tensor, ref: ry as Ref, code: ny as string, kind: kindOf(ry as Ref) };
      const k = d.pick([0, 2, -0.5, 3, 300]);
      const numberDType: DType = Number.isInteger(k) ? 'int32' : 'float32';
      const [a, b] = d.pick([
        [first, second],
        [first, 'number'],
        ['number', first],
        [first, first],
      ] as const);
      const computed = resultTypeRef(
        [a, b].map((o) =>
          o === 'number' ? { dtype: numberDType, kind: 'number' as const } : { dtype: o.ref.dtype, kind: o.kind },
        ),
      );
      const operand = (o: Operand | 'number'): Operand =>
        o === 'number' ? { arg: k, ref: numberRef(k, computed), code: String(k), kind: 'number' } : o;
      const [p, q] = [operand(a), operand(b)];
      // A number exponent of an integer pow must fit the dtype (PyTorch refuses 300 for uint8).
      const refused =
        name === 'pow' &&
        b === 'number' &&
        isIntDType(computed) &&
        k > (computed === 'int32' ? 2 ** 31 - 1 : computed === 'int16' ? 32767 : computed === 'int8' ? 127 : 255);
      return {
        code: `core.${name}(${p.code}, ${q.code})`,
        call: () => call(p.arg, q.arg),
        expected: refused
          ? invalid(`pow: exponent ${k} out of ${computed}'s range`)
          : bool
            ? elementwise([p.ref, q.ref], 'bool', f)
            : arithmetic(name, [p.ref, q.ref], computed, f),
        compare: 'exact',
      };
    },
  };
}

const where: SeqOp = {
  names: ['where'],
  arity: 3,
  plan: ([c, x, y], [rc, rx, ry], _d, [nc, nx, ny]) => {
    const cond = elementwise([rc as Ref], 'bool', (v) => (v > 0 ? 1 : 0));
    return {
      code: `core.where(${nc}.gt(0), ${nx}, ${ny})`,
      call: () => core.where((c as Tensor).gt(0), x as Tensor, y as Tensor),
      expected:
        'invalid' in cond
          ? cond
          : elementwise(
              [cond, rx as Ref, ry as Ref],
              resultTypeRef([rx as Ref, ry as Ref].map((r) => ({ dtype: r.dtype, kind: kindOf(r) }))),
              (k, u, v) => (k !== 0 ? u : v),
            ),
      compare: 'exact',
    };
  },
};

const logicalNot: SeqOp = {
  names: ['logicalNot'],
  arity: 1,
  plan: ([x], [r], _d, [n]) => ({
    code: `${n}.logicalNot()`,
    call: () => (x as Tensor).logicalNot(),
    expected: elementwise([r as Ref], 'bool', (v) => (v === 0 ? 1 : 0)),
    compare: 'exact',
  }),
};

/** An axis argument for a reduction: all, one (maybe out of range), or a list (maybe repeating). */
function drawAxes(d: Draw, rank: number): number | number[] | undefined {
  const form = d.int(0, 3);
  if (form === 0) return undefined;
  if (form === 1) return d.axis(rank);
  return Array.from({ length: d.int(0, 2) }, () => d.axis(rank));
}

const sumOf = (g: number[]) => g.reduce((s, v) => s + v, 0);
const maxOf = (g: number[]) => (g.some(Number.isNaN) ? NaN : Math.max(...g));
const minOf = (g: number[]) => (g.some(Number.isNaN) ? NaN : Math.min(...g));

function logsumexpOf(g: number[]): number {
  if (g.length === 0) return -Infinity;
  const m = maxOf(g);
  const shift = Number.isFinite(m) ? m : 0;
  return shift + Math.log(sumOf(g.map((v) => Math.exp(v - shift))));
}

const reductionRefs: Record<string, [(g: number[]) => number, Compare, boolean]> = {
  sum: [sumOf, 'close', false],
  // The mean of no elements is 0/0 = NaN, as in NumPy.
  mean: [(g) => sumOf(g) / g.length, 'close', false],
  max: [maxOf, 'exact', true],
  min: [minOf, 'exact', true],
  logsumexp: [logsumexpOf, 'close', false],
  // Unbiased: Σ(x - mean)² / (n - 1), and n - 1 ≤ 0 divides by 0.
  var: [(g) => sumOf(g.map((v) => (v - sumOf(g) / g.length) ** 2)) / Math.max(g.length - 1, 0), 'close', false],
};

function reduction(name: string): SeqOp {
  const [f, compare, refusesEmpty] = reductionRefs[name] as [(g: number[]) => number, Compare, boolean];
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const ref = r as Ref;
      const axis = drawAxes(d, ref.shape.length);
      const keepDims = d.oneIn(2);
      const axes = axesOf(axis, ref.shape.length);
      const t = x as Tensor;
      let expected: RefResult;
      if (axes === null) expected = invalid(`axis ${show(axis)} for rank ${ref.shape.length}`);
      else if (refusesEmpty && axes.some((a) => ref.shape[a] === 0)) expected = invalid(`${name} over an empty axis`);
      else expected = reduce(ref, axes, keepDims, floatOf(ref.dtype), f);
      return {
        code: `${n}.${name}(${show(axis)}, ${keepDims})`,
        call: () => (name === 'var' ? t.var(axis, keepDims) : t[name as 'sum'](axis, keepDims)),
        expected,
        compare,
      };
    },
  };
}

function argExtreme(name: 'argmax' | 'argmin'): SeqOp {
  const better = name === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  // The first NaN, else the first extreme element (ties go to the first), as PyTorch.
  const index = (g: number[]) => {
    const nan = g.findIndex(Number.isNaN);
    if (nan >= 0) return nan;
    return g.reduce((best, v, i) => (better(v, g[best] as number) ? i : best), 0);
  };
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const ref = r as Ref;
      const axis = d.oneIn(3) ? undefined : d.axis(ref.shape.length);
      const keepDims = d.oneIn(2);
      let expected: RefResult;
      if (axis === undefined) {
        expected =
          ref.data.length === 0
            ? invalid(`${name} of an empty tensor`)
            : reduce(
                ref,
                ref.shape.map((_, i) => i),
                keepDims,
                'int32',
                index,
              );
      } else {
        const a = axisOf(axis, ref.shape.length);
        if (a === null) expected = invalid(`axis ${axis}`);
        else if (ref.shape.length > 0 && ref.shape[a] === 0) expected = invalid(`${name} over an empty axis`);
        else expected = reduce(ref, ref.shape.length === 0 ? [] : [a], keepDims, 'int32', index);
      }
      return {
        code: `${n}.${name}(${show(axis)}, ${keepDims})`,
        call: () => (x as Tensor)[name](axis, keepDims),
        expected,
        compare: 'exact',
      };
    },
  };
}

/** softmax and logSoftmax over one axis, from the definition with the max subtracted (an empty axis: empty). */
function softmaxLike(name: 'softmax' | 'logSoftmax'): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const ref = r as Ref;
      const axis = d.axis(ref.shape.length);
      const a = axisOf(axis, ref.shape.length);
      let expected: RefResult = invalid(`axis ${axis}`);
      if (a !== null) {
        const axes = ref.shape.length === 0 ? [] : [a];
        // PyTorch's definition: s = x - max x, with the max subtracted even when
        // infinite (a row holding +∞ is all NaN); softmax = exp(s - log Σ exp s),
        // log-softmax = s - log Σ exp s. In double, rounded once.
        const m = reduce(ref, axes, true, 'float64', maxOf);
        const shifted = elementwise([ref, m], 'float64', (v, top) => v - top);
        if (isInvalid(shifted)) throw new Error('a row and its own max always broadcast');
        const logSum = reduce(shifted, axes, true, 'float64', (g) => Math.log(sumOf(g.map(Math.exp))));
        const f = name === 'softmax' ? (v: number, l: number) => Math.exp(v - l) : (v: number, l: number) => v - l;
        expected = elementwise([shifted, logSum], floatOf(ref.dtype), f);
      }
      return { code: `${n}.${name}(${axis})`, call: () => (x as Tensor)[name](axis), expected, compare: 'close' };
    },
  };
}

export const elementwiseOps: Record<string, SeqOp> = {
  ...unaryOps,
  leakyRelu,
  clamp,
  ...Object.fromEntries(Object.entries(binaryRefs).map(([name, f]) => [name, binary(name, f, false)])),
  ...Object.fromEntries(
    Object.entries(compareRefs).map(([name, f]) => [name, binary(name, (a, b) => (f(a, b) ? 1 : 0), true)]),
  ),
  logicalNot,
  where,
};

export const reductionOps: Record<string, SeqOp> = {
  ...Object.fromEntries(Object.keys(reductionRefs).map((name) => [name, reduction(name)])),
  argmax: argExtreme('argmax'),
  argmin: argExtreme('argmin'),
  softmax: softmaxLike('softmax'),
  logSoftmax: softmaxLike('logSoftmax'),
};
