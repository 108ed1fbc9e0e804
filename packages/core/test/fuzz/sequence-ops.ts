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
import type { roundingOps as roundingTable, specialOps as specialTable } from '../../src/index';
import * as S from './special-references';
import type { binaryMathOps as binaryMathTable } from '../../src/index';
import {
  axesOf,
  axisOf,
  elementwise,
  exactProductOf,
  exactSumOf,
  floatOf,
  floatOnly,
  sumDTypeOf,
  invalid,
  isInvalid,
  make,
  isIntDType,
  resultTypeRef,
  store,
  type Kind,
  reduce,
  type Ref,
  type RefResult,
} from './reference';
import { activationSeqOps } from './sequence-activations';

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
    const ref = r as Ref;
    // PyTorch's promotion: integral number bounds keep an integer dtype (a bool tensor becomes int32,
    // PyTorch's int64), a fractional one makes float32; a bound must fit an integer dtype's range. No bounds:
    // a copy (PyTorch refuses the call).
    const bounds = [lo, hi].filter((v): v is number => v !== null);
    const integral = bounds.every(Number.isInteger);
    const dtype = !integral ? floatOf(ref.dtype) : ref.dtype === 'bool' && bounds.length > 0 ? 'int32' : ref.dtype;
    const outside = isIntDType(dtype) && bounds.some((v) => store(dtype, v) !== v);
    return {
      code: `${n}.clamp(${lo}, ${hi})`,
      call: () => (x as Tensor).clamp(lo, hi),
      expected:
        a > b
          ? invalid('min above max')
          : outside
            ? invalid(`a bound outside ${dtype}`)
            : elementwise([ref], dtype, (v) => Math.min(Math.max(v, a), b)),
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
  fmax: (a, b) => (a > b ? a : b),
  fmin: (a, b) => (a < b ? a : b),
  // BigInt division truncates; floor and the divisor's sign as Python.
  floorDivide: (a, b) => a / b - (a % b !== 0n && a < 0n !== b < 0n ? 1n : 0n),
  remainder: (a, b) => (a % b !== 0n && a < 0n !== b < 0n ? (a % b) + b : a % b),
  fmod: (a, b) => a % b,
};

/** Integer division ops: an integer divisor of 0 is refused (PyTorch: ZeroDivisionError). */
const dividing = new Set(['floorDivide', 'remainder', 'fmod']);

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
  if (dividing.has(name) && (refs[1] as Ref).data.includes(0)) return invalid(`${name}: integer division by zero`);
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

/**
 * A reduction's reference: f of each slice (given the input's dtype), how exactly it compares, whether an
 * empty axis is refused, and the result's dtype (null: PyTorch refuses the input's dtype).
 */
interface ReductionRef {
  f: (dtype: DType) => (g: number[]) => number;
  compare: Compare;
  refusesEmpty: boolean;
  dtypeOf: (d: DType) => DType | null;
}

const reductionRefs: Record<string, ReductionRef> = {
  // Integers and bools sum exactly in int32 (wrapping), floats in their own dtype.
  sum: { f: (dt) => (g) => exactSumOf(dt, g), compare: 'close', refusesEmpty: false, dtypeOf: sumDTypeOf },
  // The mean of no elements is 0/0 = NaN, as in NumPy; integers and bools are refused, as PyTorch.
  mean: {
    f: () => (g) => sumOf(g) / g.length,
    compare: 'close',
    refusesEmpty: false,
    dtypeOf: (d) => (floatOnly(d) ? null : d),
  },
  // max and min keep the input's dtype, as PyTorch.
  max: { f: () => maxOf, compare: 'exact', refusesEmpty: true, dtypeOf: (d) => d },
  min: { f: () => minOf, compare: 'exact', refusesEmpty: true, dtypeOf: (d) => d },
  logsumexp: { f: () => logsumexpOf, compare: 'close', refusesEmpty: false, dtypeOf: floatOf },
  // Unbiased: Σ(x - mean)² / (n - 1), and n - 1 ≤ 0 divides by 0. Floats only, as PyTorch.
  var: {
    f: () => (g) => sumOf(g.map((v) => (v - sumOf(g) / g.length) ** 2)) / Math.max(g.length - 1, 0),
    compare: 'close',
    refusesEmpty: false,
    dtypeOf: (d) => (floatOnly(d) ? null : d),
  },
};

function reduction(name: string): SeqOp {
  const { f, compare, refusesEmpty, dtypeOf } = reductionRefs[name] as ReductionRef;
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const ref = r as Ref;
      const axis = drawAxes(d, ref.shape.length);
      const keepDims = d.oneIn(2);
      const axes = axesOf(axis, ref.shape.length);
      const t = x as Tensor;
      const dtype = dtypeOf(ref.dtype);
      let expected: RefResult;
      if (dtype === null) expected = invalid(`${name} of a ${ref.dtype} tensor`);
      else if (axes === null) expected = invalid(`axis ${show(axis)} for rank ${ref.shape.length}`);
      else if (refusesEmpty && axes.some((a) => ref.shape[a] === 0)) expected = invalid(`${name} over an empty axis`);
      else expected = reduce(ref, axes, keepDims, dtype, f(ref.dtype));
      return {
        code: `${n}.${name}(${show(axis)}, ${keepDims})`,
        call: () => (name === 'var' ? t.var(axis, keepDims) : t[name as 'sum'](axis, keepDims)),
        expected,
        // Integer results are exact.
        compare: dtype !== null && floatOnly(dtype) ? 'exact' : compare,
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

// Special functions and rounding (ops/special.ts, ops/rounding.ts), one per row of their
// tables (a missing one does not compile). References: Math where it has the function,
// otherwise special-references.ts, written from the definitions ('close'). Rounding an
// int32 gives int32 (as PyTorch keeps integer dtypes).
const specialRefs = {
  erf: [S.erfRef, 'close'],
  erfc: [S.erfcRef, 'close'],
  erfinv: [S.erfinvRef, 'close'],
  tan: [Math.tan, 'exact'],
  asin: [Math.asin, 'exact'],
  acos: [Math.acos, 'exact'],
  atan: [Math.atan, 'exact'],
  sinh: [Math.sinh, 'exact'],
  cosh: [Math.cosh, 'exact'],
  asinh: [Math.asinh, 'exact'],
  acosh: [Math.acosh, 'exact'],
  atanh: [Math.atanh, 'exact'],
  log2: [Math.log2, 'exact'],
  log10: [Math.log10, 'exact'],
  expm1: [Math.expm1, 'exact'],
  exp2: [(x) => 2 ** x, 'exact'],
  rsqrt: [(x) => 1 / Math.sqrt(x), 'exact'],
  sinc: [S.sincRef, 'close'],
  lgamma: [S.lgammaRef, 'close'],
  digamma: [S.digammaRef, 'close'],
} satisfies Record<keyof typeof specialTable, [Fn1, Compare]>;

const roundingRefs = {
  floor: Math.floor,
  ceil: Math.ceil,
  round: S.roundRef,
  trunc: Math.trunc,
  frac: (x) => x - Math.trunc(x),
} satisfies Record<keyof typeof roundingTable, Fn1>;

function unaryRefOp(name: string, f: Fn1, compare: Compare, dtypeOf: (d: DType) => DType): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], _d, [n]) => ({
      code: `${n}.${name}()`,
      call: () => ((x as Tensor)[name as keyof Tensor] as () => Tensor).call(x),
      expected: elementwise([r as Ref], dtypeOf((r as Ref).dtype), f),
      compare,
    }),
  };
}

const specialSequenceOps: Record<string, SeqOp> = {
  ...Object.fromEntries(Object.entries(specialRefs).map(([k, [f, c]]) => [k, unaryRefOp(k, f, c, floatOf)])),
  ...Object.fromEntries(
    Object.entries(roundingRefs).map(([k, f]) => [
      k,
      unaryRefOp(k, f, 'exact', (d) => (d === 'int32' ? 'int32' : floatOf(d))),
    ]),
  ),
};

// ---------------------------------------------------------------- binary math ops, lerp, value tests (issue 17)

const bits = new Float64Array(1);
const bitsAsInteger = new BigUint64Array(bits.buffer);

/** A finite nonzero double as an exact integer times a power of two. */
function decompose(x: number): [bigint, number] {
  bits[0] = x;
  const word = bitsAsInteger[0] as bigint;
  const biased = Number((word >> 52n) & 0x7ffn);
  const fraction = word & 0xfffffffffffffn;
  const m = biased === 0 ? fraction : fraction | (1n << 52n);
  return [x < 0 ? -m : m, biased === 0 ? -1074 : biased - 1075];
}

/** Python's remainder on floats, as PyTorch defines it: fmod, moved by one divisor when the signs differ. */
function remainderRef(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}

/** ⌊a / b⌋ of the exact rational quotient (BigInt arithmetic), rounded once to a double. */
function floorDivideRef(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b) || b === 0) return a / b;
  if (!Number.isFinite(a)) return NaN;
  if (!Number.isFinite(b)) return a === 0 || a < 0 === b < 0 ? 0 : -1;
  if (a === 0) return 0;
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  let num = ea >= eb ? ma << BigInt(ea - eb) : ma;
  let den = ea >= eb ? mb : mb << BigInt(eb - ea);
  if (den < 0n) [num, den] = [-num, -den];
  const q = num / den;
  return Number(num % den !== 0n && num < 0n ? q - 1n : q);
}

/** log(eᵃ + eᵇ) (base e or 2), shifted by the larger operand so nothing overflows. */
function logAddExpRef(base: number) {
  return (a: number, b: number): number => {
    if (Number.isNaN(a) || Number.isNaN(b)) return NaN;
    const m = Math.max(a, b);
    // +Infinity wins; -Infinity as the larger means both are -Infinity (a sum of zeros).
    if (!Number.isFinite(m)) return m;
    return m + Math.log(base ** (a - m) + base ** (b - m)) / Math.log(base);
  };
}

/** One per row of binaryMathOps (a missing one does not compile), with how closely it must match. */
const binaryMathRefs = {
  atan2: [Math.atan2, 'exact'],
  // -0 counts as negative; NaN as positive (JavaScript keeps no NaN sign).
  copysign: [(a, b) => (b < 0 || Object.is(b, -0) ? -Math.abs(a) : Math.abs(a)), 'exact'],
  // Math.hypot is within an ulp of chainrule's; Infinity beats NaN in both.
  hypot: [Math.hypot, 'close'],
  logaddexp: [logAddExpRef(Math.E), 'close'],
  logaddexp2: [logAddExpRef(2), 'close'],
  xlogy: [(a, b) => (Number.isNaN(b) ? NaN : a === 0 ? 0 : a * Math.log(b)), 'exact'],
  remainder: [remainderRef, 'exact'],
  fmod: [(a, b) => a % b, 'exact'],
  floorDivide: [floorDivideRef, 'close'],
  fmax: [(a, b) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b)), 'exact'],
  fmin: [(a, b) => (Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.min(a, b)), 'exact'],
} satisfies Record<keyof typeof binaryMathTable, [(a: number, b: number) => number, Compare]>;

/** A binary op's plan with another comparison. */
const comparedBy = (op: SeqOp, compare: Compare): SeqOp => ({
  ...op,
  plan: (...args) => ({ ...op.plan(...args), compare }),
});

/** PyTorch's two-sided formula, one rounding per step (chainrule fuses the multiply-add: 'close'). */
const lerpRef = (s: number, e: number, w: number) => (w < 0.5 ? s + w * (e - s) : e - (e - s) * (1 - w));

const lerp: SeqOp = {
  names: ['lerp'],
  arity: 3,
  plan: ([x, y, z], [rx, ry, rz], d, [nx, ny, nz]) => {
    const k = d.pick([null, 0, 0.25, 1, 1.5]);
    // lerp computes in PyTorch's promotion of the three, always a float (ternaryDType).
    const weight = k === null ? (rz as Ref) : numberRef(k, floatOf((rx as Ref).dtype));
    const kinds = [rx as Ref, ry as Ref].map((r) => ({ dtype: r.dtype, kind: kindOf(r) }));
    kinds.push(
      k === null
        ? { dtype: (rz as Ref).dtype, kind: kindOf(rz as Ref) }
        : { dtype: Number.isInteger(k) ? 'int32' : 'float32', kind: 'number' },
    );
    const promoted = resultTypeRef(kinds);
    const dtype = promoted === 'float64' || promoted === 'float32' ? promoted : 'float32';
    return {
      code: `core.lerp(${nx}, ${ny}, ${k ?? nz})`,
      call: () => core.lerp(x as Tensor, y as Tensor, k ?? (z as Tensor)),
      expected: elementwise([rx as Ref, ry as Ref, weight], dtype, lerpRef),
      compare: 'close',
    };
  },
};

/** clamp with one or two tensor bounds: NaN anywhere gives NaN; min > max gives max. */
const clampTensors: SeqOp = {
  names: ['clamp'],
  arity: 3,
  plan: ([x, lo, hi], [rx, rlo, rhi], d, [nx, nlo, nhi]) => {
    const which = d.pick(['both', 'min', 'max'] as const);
    const min = which === 'max' ? null : (lo as Tensor);
    const max = which === 'min' ? null : (hi as Tensor);
    const refs = [rx as Ref, ...(min === null ? [] : [rlo as Ref]), ...(max === null ? [] : [rhi as Ref])];
    // PyTorch's promotion (a 0-d bound does not widen x): integer operands stay integers, exactly, and
    // bool ones are refused (PyTorch has no bool clamp). A float x never meets integer kernels: an integer x
    // with float bounds computes in the float.
    const promoted = resultTypeRef(refs.map((r) => ({ dtype: r.dtype, kind: kindOf(r) })));
    const intX = isIntDType((rx as Ref).dtype) || (rx as Ref).dtype === 'bool';
    const dtype = promoted === 'float64' || promoted === 'float32' || intX ? promoted : 'float32';
    const f = (...v: number[]) => {
      if (v.some(Number.isNaN)) return NaN;
      const [value, first, second] = v as [number, number, number];
      if (which === 'both') return Math.min(Math.max(value, first), second);
      return which === 'min' ? Math.max(value, first) : Math.min(value, first);
    };
    return {
      code: `${nx}.clamp(${min === null ? 'null' : nlo}, ${max === null ? 'null' : nhi})`,
      call: () => (x as Tensor).clamp(min, max),
      expected: dtype === 'bool' ? invalid('a bool clamp') : elementwise(refs, dtype, f),
      compare: 'exact',
    };
  },
};

const largestFinite = (dtype: DType) => (dtype === 'float64' ? Number.MAX_VALUE : 3.4028234663852886e38);

const nanToNum: SeqOp = {
  names: ['nanToNum'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const options = d.pick([{}, { nan: 1.5 }, { posinf: 5, neginf: -5 }]);
    const dtype = floatOf((r as Ref).dtype);
    const o = { nan: 0, posinf: largestFinite(dtype), neginf: -largestFinite(dtype), ...options };
    return {
      code: `${n}.nanToNum(${JSON.stringify(options)})`,
      call: () => (x as Tensor).nanToNum(options),
      expected: elementwise([r as Ref], dtype, (v) =>
        Number.isNaN(v) ? o.nan : v === Infinity ? o.posinf : v === -Infinity ? o.neginf : v,
      ),
      compare: 'exact',
    };
  },
};

/** One per value test (bool results). */
const valueTestRefs: Record<string, (v: number) => boolean> = {
  isnan: Number.isNaN,
  isinf: (v) => v === Infinity || v === -Infinity,
  isfinite: Number.isFinite,
  isposinf: (v) => v === Infinity,
  isneginf: (v) => v === -Infinity,
};

const valueTestOps: Record<string, SeqOp> = Object.fromEntries(
  Object.entries(valueTestRefs).map(([name, f]) => [
    name,
    {
      names: [name],
      arity: 1,
      plan: ([x], [r], _d, [n]) => ({
        code: `${n}.${name}()`,
        call: () => core[name as 'isnan'](x as Tensor),
        expected: elementwise([r as Ref], 'bool', (v) => (f(v) ? 1 : 0)),
        compare: 'exact',
      }),
    },
  ]),
);

const isclose: SeqOp = {
  names: ['isclose'],
  arity: 2,
  plan: ([x, y], [rx, ry], d, [nx, ny]) => {
    const options = d.pick([{}, { equalNan: true }, { rtol: 0.5, atol: 0.25 }]);
    const {
      rtol = 1e-5,
      atol = 1e-8,
      equalNan = false,
    } = options as { rtol?: number; atol?: number; equalNan?: boolean };
    // An infinite difference is never within tolerance (isclose(-∞, ∞) is false, though ∞ ≤ rtol·∞).
    const within = (a: number, b: number) => Number.isFinite(a - b) && Math.abs(a - b) <= atol + rtol * Math.abs(b);
    const close = (a: number, b: number) => a === b || (equalNan && Number.isNaN(a) && Number.isNaN(b)) || within(a, b);
    return {
      code: `core.isclose(${nx}, ${ny}, ${JSON.stringify(options)})`,
      call: () => core.isclose(x as Tensor, y as Tensor, options),
      expected: elementwise([rx as Ref, ry as Ref], 'bool', (a, b) => (close(a, b) ? 1 : 0)),
      compare: 'exact',
    };
  },
};

/** The ops of issue 17, for elementwiseOps below. */
const binaryMathSeqOps: Record<string, SeqOp> = {
  ...Object.fromEntries(
    Object.entries(binaryMathRefs).map(([name, [f, compare]]) => [name, comparedBy(binary(name, f, false), compare)]),
  ),
  lerp,
  'clamp (tensor bounds)': clampTensors,
  nanToNum,
  ...valueTestOps,
  isclose,
};

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
  ...specialSequenceOps,
  ...binaryMathSeqOps,
  // The activation functions (ops/activations.ts), with their references.
  ...activationSeqOps,
};

// ---- The reductions of issue 17 (ops/reductions.ts): references from their definitions.

// NaN is not 0, so it counts; -0 is 0.
const nonzeroCountOf = (g: number[]) => g.filter((v) => v !== 0).length;
const withoutNaN = (g: number[]) => g.filter((v) => !Number.isNaN(v));
const squaredDeviationsOf = (g: number[]) => sumOf(g.map((v) => (v - sumOf(g) / g.length) ** 2));

/** (Σ |x|^p)^(1/p); p = 0 counts the non-zeros, ±Infinity is the max/min of |x| (NaN wins). */
function pNormOf(p: number): (g: number[]) => number {
  return (g) => {
    const a = g.map(Math.abs);
    if (p === 0) return nonzeroCountOf(g);
    if (p === Infinity) return maxOf(a);
    if (p === -Infinity) return minOf(a);
    return sumOf(a.map((v) => v ** p)) ** (1 / p);
  };
}

type AxisDraw = ReturnType<typeof drawAxes>;

/** One drawn form of a reduction call. */
interface ReductionCall {
  /** The call as code, given the tensor's name, axis and keepDims as code. */
  code(n: string, axis: string, keepDims: boolean): string;
  call(t: Tensor, axis: AxisDraw, keepDims: boolean): Tensor;
  /** The reference of a slice; two for varMean/stdMean, whose results the call stacks. */
  refs: ((g: number[]) => number)[];
  /** Whether PyTorch refuses a reduced axis of size 0 (there is no identity). */
  refusesEmpty: boolean;
}

/** Results of one shape stacked along a new first axis, as core.stack(..., 0). */
function stackedRefs(refs: readonly Ref[]): Ref {
  if (refs.length === 1) return refs[0] as Ref;
  const first = refs[0] as Ref;
  return { shape: [refs.length, ...first.shape], dtype: first.dtype, data: refs.flatMap((r) => r.data) };
}

/** A reduction's result dtype; null where PyTorch refuses the input's dtype (the float-only reductions). */
const floatOnlyOf = (d: DType): DType | null => (floatOnly(d) ? null : d);

function reductionOf(
  name: string,
  compare: Compare,
  dtypeOf: (d: DType) => DType | null,
  draw: (d: Draw, dtype: DType) => ReductionCall,
): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const ref = r as Ref;
      const axis = drawAxes(d, ref.shape.length);
      const keepDims = d.oneIn(2);
      const form = draw(d, ref.dtype);
      const axes = axesOf(axis, ref.shape.length);
      const dtype = dtypeOf(ref.dtype);
      let expected: RefResult;
      if (dtype === null) expected = invalid(`${name} of a ${ref.dtype} tensor`);
      else if (axes === null) expected = invalid(`axis ${show(axis)} for rank ${ref.shape.length}`);
      else if (form.refusesEmpty && axes.some((a) => ref.shape[a] === 0))
        expected = invalid(`${name} over an empty axis`);
      else expected = stackedRefs(form.refs.map((f) => reduce(ref, axes, keepDims, dtype, f)));
      return {
        code: form.code(n as string, show(axis), keepDims),
        call: () => form.call(x as Tensor, axis, keepDims),
        expected,
        // Integer results are exact.
        compare: dtype !== 'float32' && dtype !== 'float64' ? 'exact' : compare,
      };
    },
  };
}

/** A reduction called as t.name(axis, keepDims); f is given the input's dtype. */
const plainReduction =
  (
    name: 'prod' | 'amax' | 'amin' | 'nansum' | 'nanmean' | 'any' | 'all' | 'countNonzero',
    f: (g: number[], dtype: DType) => number,
    refusesEmpty = false,
  ) =>
  (_d: Draw, dtype: DType): ReductionCall => ({
    code: (n, axis, keepDims) => `${n}.${name}(${axis}, ${keepDims})`,
    call: (t, axis, keepDims) => t[name](axis, keepDims),
    refs: [(g) => f(g, dtype)],
    refusesEmpty,
  });

const corrections = [0, 1, 2] as const;
const varianceOf = (c: number) => (g: number[]) => squaredDeviationsOf(g) / Math.max(g.length - c, 0);
const meanOf = (g: number[]) => sumOf(g) / g.length;

const issue17Reductions: Record<string, SeqOp> = {
  // Integers and bools multiply in int32 (wrapping); max and min keep the dtype; the rest refuse integers.
  prod: reductionOf(
    'prod',
    'close',
    sumDTypeOf,
    plainReduction('prod', (g, dt) => exactProductOf(dt, g)),
  ),
  amax: reductionOf('amax', 'exact', (d) => d, plainReduction('amax', maxOf, true)),
  amin: reductionOf('amin', 'exact', (d) => d, plainReduction('amin', minOf, true)),
  norm: reductionOf('norm', 'close', floatOnlyOf, (d) => {
    const p = d.pick([2, 1, 0, 3, 0.5, -1, -0.5, Infinity, -Infinity, 'fro'] as const);
    const order = p === 'fro' ? 2 : p;
    return {
      code: (n, axis, keepDims) => `${n}.norm(${p === 'fro' ? "'fro'" : p}, ${axis}, ${keepDims})`,
      call: (t, axis, keepDims) => t.norm(p, axis, keepDims),
      refs: [pNormOf(order)],
      // No identity for the max or for negative powers, as PyTorch.
      refusesEmpty: order < 0 || order === Infinity,
    };
  }),
  std: reductionOf('std', 'close', floatOnlyOf, (d) => {
    const c = d.pick(corrections);
    return {
      code: (n, axis, keepDims) => `${n}.std(${axis}, ${keepDims}, { correction: ${c} })`,
      call: (t, axis, keepDims) => t.std(axis, keepDims, { correction: c }),
      refs: [(g) => Math.sqrt(varianceOf(c)(g))],
      refusesEmpty: false,
    };
  }),
  varMean: reductionOf('varMean', 'close', floatOnlyOf, (d) => {
    const c = d.pick(corrections);
    return {
      code: (n, axis, keepDims) =>
        `((r) => core.stack([r.var, r.mean]))(${n}.varMean(${axis}, ${keepDims}, { correction: ${c} }))`,
      call: (t, axis, keepDims) => {
        const r = t.varMean(axis, keepDims, { correction: c });
        return core.stack([r.var, r.mean]);
      },
      refs: [varianceOf(c), meanOf],
      refusesEmpty: false,
    };
  }),
  stdMean: reductionOf('stdMean', 'close', floatOnlyOf, (d) => {
    const c = d.pick(corrections);
    return {
      code: (n, axis, keepDims) =>
        `((r) => core.stack([r.std, r.mean]))(${n}.stdMean(${axis}, ${keepDims}, { correction: ${c} }))`,
      call: (t, axis, keepDims) => {
        const r = t.stdMean(axis, keepDims, { correction: c });
        return core.stack([r.std, r.mean]);
      },
      refs: [(g) => Math.sqrt(varianceOf(c)(g)), meanOf],
      refusesEmpty: false,
    };
  }),
  nansum: reductionOf(
    'nansum',
    'close',
    sumDTypeOf,
    plainReduction('nansum', (g, dt) => exactSumOf(dt, withoutNaN(g))),
  ),
  // A slice of NaNs has no mean: 0/0 = NaN, as PyTorch.
  nanmean: reductionOf(
    'nanmean',
    'close',
    floatOnlyOf,
    plainReduction('nanmean', (g) => meanOf(withoutNaN(g))),
  ),
  any: reductionOf(
    'any',
    'exact',
    () => 'bool',
    plainReduction('any', (g) => (nonzeroCountOf(g) > 0 ? 1 : 0)),
  ),
  all: reductionOf(
    'all',
    'exact',
    () => 'bool',
    plainReduction('all', (g) => (nonzeroCountOf(g) === g.length ? 1 : 0)),
  ),
  countNonzero: reductionOf('countNonzero', 'exact', () => 'int32', plainReduction('countNonzero', nonzeroCountOf)),
};

export const reductionOps: Record<string, SeqOp> = {
  ...Object.fromEntries(Object.keys(reductionRefs).map((name) => [name, reduction(name)])),
  argmax: argExtreme('argmax'),
  argmin: argExtreme('argmin'),
  softmax: softmaxLike('softmax'),
  logSoftmax: softmaxLike('logSoftmax'),
  // The reductions of issue 17.
  ...issue17Reductions,
};
