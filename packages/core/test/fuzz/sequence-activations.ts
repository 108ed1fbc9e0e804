/**
 * The activation functions (ops/activations.ts) in the random op-sequence
 * fuzzer: each with its reference written from PyTorch's definition (not
 * chainrule's kernels, which use other formulas for accuracy: hence 'close'
 * for the smooth ones), and parameters drawn from values PyTorch accepts and
 * a few it or chainrule refuses. One entry per row of the table (a missing
 * one does not compile); sequence-ops.ts adds them to the elementwise ops.
 */
import * as core from '../../src/index';
import type { Tensor } from '../../src/index';
import type { activationOps } from '../../src/ops/activations';
import { elementwise, floatOf, invalid, type Ref, type RefResult } from './reference';
import type { Compare, Draw, SeqOp } from './sequence-ops';

/**
 * erf(z), simply: its Taylor series up to |z| = 3 (terms reach 56 there, so
 * about 1e-14 is lost to cancellation) and the continued fraction of erfc
 * beyond, evaluated from 60 levels deep.
 */
function erf(z: number): number {
  if (Number.isNaN(z)) return z;
  if (Math.abs(z) >= 3) return Math.sign(z) * (1 - erfcLarge(Math.abs(z)));
  let term = z;
  let sum = z;
  for (let n = 1; n < 60; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc(z) for z ≥ 3: e^(-z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))). */
function erfcLarge(z: number): number {
  if (z === Infinity) return 0;
  let f = z;
  for (let k = 60; k >= 1; k--) f = z + k / 2 / f;
  return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
}

/** Φ(x) = erfc(-x/√2)/2. */
const normalCdf = (x: number): number => {
  const z = -x / Math.SQRT2;
  return 0.5 * (z >= 3 ? erfcLarge(z) : 1 - erf(z));
};

// SELU's constants, PyTorch's 32 digits rounded to doubles.
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

type Fn1 = (x: number) => number;

/** The ops without parameters, from their definitions in PyTorch's documentation. */
const plainRefs = {
  relu6: [(x) => (x < 0 ? 0 : x > 6 ? 6 : x), 'exact'],
  selu: [(x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1)), 'close'],
  silu: [(x) => x / (1 + Math.exp(-x)), 'close'],
  mish: [(x) => x * Math.tanh(Math.log1p(Math.exp(x))), 'close'],
  hardswish: [(x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6, 'close'],
  hardsigmoid: [(x) => Math.min(Math.max(x + 3, 0), 6) / 6, 'exact'],
  softsign: [(x) => x / (1 + Math.abs(x)), 'exact'],
  logSigmoid: [(x) => -Math.log1p(Math.exp(-x)), 'close'],
  tanhshrink: [(x) => x - Math.tanh(x), 'close'],
} satisfies Record<string, [Fn1, Compare]>;

/** An op with parameters: the call (as code and as a function) and the reference, or why it is refused. */
interface Variant {
  code: string;
  call(x: Tensor): Tensor;
  f: Fn1 | string;
  compare: Compare;
}

const withParameters = {
  elu: (d) => {
    const alpha = d.pick([1, 0.5, -0.75, 2]);
    return {
      code: `elu(${alpha})`,
      call: (x) => x.elu(alpha),
      f: (x) => (x > 0 ? x : alpha * (Math.exp(x) - 1)),
      compare: 'close',
    };
  },
  celu: (d) => {
    const alpha = d.pick([1, 0.5, 2.5, 0]);
    return {
      code: `celu(${alpha})`,
      call: (x) => x.celu(alpha),
      f: alpha === 0 ? 'celu with alpha 0' : (x) => Math.max(0, x) + Math.min(0, alpha * (Math.exp(x / alpha) - 1)),
      compare: 'close',
    };
  },
  gelu: (d) => {
    const approximate = d.pick(['none', 'tanh'] as const);
    const k = Math.sqrt(2 / Math.PI);
    return {
      code: `gelu({ approximate: '${approximate}' })`,
      call: (x) => x.gelu({ approximate }),
      f:
        approximate === 'none'
          ? (x) => x * normalCdf(x)
          : (x) => 0.5 * x * (1 + Math.tanh(k * (x + 0.044715 * x ** 3))),
      compare: 'close',
    };
  },
  hardtanh: (d) => {
    const [lo, hi] = d.pick([
      [-1, 1],
      [-2.5, 0.5],
      [0, 0],
      [1, -1],
    ]) as [number, number];
    return {
      code: `hardtanh(${lo}, ${hi})`,
      call: (x) => x.hardtanh(lo, hi),
      f: lo > hi ? 'hardtanh with minVal > maxVal' : (x) => (x < lo ? lo : x > hi ? hi : x),
      compare: 'exact',
    };
  },
  softshrink: (d) => {
    const l = d.pick([0.5, 0, 2, -1]);
    return {
      code: `softshrink(${l})`,
      call: (x) => x.softshrink(l),
      // NaN gives 0: neither test holds (PyTorch 1.13).
      f: l < 0 ? 'softshrink with lambd < 0' : (x) => (x > l ? x - l : x < -l ? x + l : 0),
      compare: 'exact',
    };
  },
  hardshrink: (d) => {
    const l = d.pick([0.5, 0, 2, -1]);
    return {
      code: `hardshrink(${l})`,
      call: (x) => x.hardshrink(l),
      f: l < 0 ? 'hardshrink with lambd < 0' : (x) => (Number.isNaN(x) || Math.abs(x) > l ? x : 0),
      compare: 'exact',
    };
  },
  threshold: (d) => {
    const th = d.pick([0, 0.5, -1]);
    const value = d.pick([0, -2, 3]);
    return {
      code: `threshold(${th}, ${value})`,
      call: (x) => x.threshold(th, value),
      f: (x) => (x <= th ? value : x),
      compare: 'exact',
    };
  },
} satisfies Record<string, (d: Draw) => Variant>;

function seqOp(name: string, variant: (d: Draw) => Variant): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const v = variant(d);
      const ref = r as Ref;
      const expected: RefResult = typeof v.f === 'string' ? invalid(v.f) : elementwise([ref], floatOf(ref.dtype), v.f);
      return { code: `${n}.${v.code}`, call: () => v.call(x as Tensor), expected, compare: v.compare };
    },
  };
}

const refs = {
  ...Object.fromEntries(
    Object.entries(plainRefs).map(([name, [f, compare]]) => [
      name,
      (): Variant => ({
        code: `${name}()`,
        call: (x) => (core as unknown as Record<string, (t: Tensor) => Tensor>)[name]!(x),
        f,
        compare,
      }),
    ]),
  ),
  ...withParameters,
} as Record<keyof typeof plainRefs | keyof typeof withParameters, (d: Draw) => Variant>;

/** One sequence op per activation (the `satisfies` makes a missing one a compile error). */
export const activationSeqOps = Object.fromEntries(
  Object.entries(refs satisfies Record<keyof typeof activationOps, (d: Draw) => Variant>).map(([name, variant]) => [
    name,
    seqOp(name, variant),
  ]),
) as Record<keyof typeof activationOps, SeqOp>;
