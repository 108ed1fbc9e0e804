/**
 * Fuzzing the activations of issue 19 as untyped JavaScript would call them
 * (see fuzz.test.ts for the contract): every name Dense takes, on inputs of
 * any values, against its plain-loop float64 reference (fuzz/reference.ts);
 * and every activation module, made from settings that are valid or junk
 * and applied to any argument, either refusing with a typed error that
 * names it (or the core op it calls) or matching a reference: a plain-loop
 * one for what nn writes itself (Softplus with beta, GLU, PReLU, RReLU), the
 * core function with the same settings for the rest, whose values core's
 * own suites check.
 */
import { describe, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import {
  Generator,
  Tensor,
  celu,
  elu,
  gelu,
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  leakyRelu,
  logSigmoid,
  logSoftmax,
  mish,
  relu6,
  selu,
  silu,
  softmax,
  softshrink,
  softsign,
  tanhshrink,
  threshold,
} from '@chainrule/core';
import {
  CELU,
  Dense,
  ELU,
  GELU,
  GLU,
  Hardshrink,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LogSigmoid,
  LogSoftmax,
  Mish,
  PReLU,
  ReLU6,
  RReLU,
  SELU,
  SiLU,
  Softmax2d,
  Softmin,
  Softplus,
  Softshrink,
  Softsign,
  Tanhshrink,
  Threshold,
  type Module,
} from '../src/index';
import { attempt, attemptExpecting, expectNumbersClose, tolerance } from './fuzz/contract';
import { activationReference, denseActivationNames, denseReference, expectMatches } from './fuzz/reference';
import {
  arbFloatTensorOf,
  arbGenerator,
  arbOptions,
  arbTensorArgument,
  field,
  isOptionsObject,
  validOrJunk,
} from './fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 80) };

describe('fuzz: Dense with each activation by name', () => {
  for (const name of denseActivationNames) {
    it(`'${name}' matches its float64 reference on inputs of any values`, () => {
      const arbCase = fc
        .record({
          inF: fc.integer({ min: 1, max: 4 }),
          outF: fc.integer({ min: 1, max: 4 }),
          batch: fc.integer({ min: 0, max: 3 }),
          dtype: fc.constantFrom('float32', 'float64' as const),
          seed: fc.integer({ min: 0, max: 1000 }),
        })
        .chain((spec) => fc.tuple(fc.constant(spec), arbFloatTensorOf([spec.batch, spec.inF])));
      fc.assert(
        fc.property(arbCase, ([{ inF, outF, dtype, seed }, x]) => {
          const layer = new Dense(inF, outF, { activation: name, dtype, generator: new Generator(seed) });
          const z = denseReference(x, layer.weight, layer.bias);
          expectMatches(layer.forward(x), activationReference(name, z, outF), `Dense(${inF}, ${outF}, '${name}')`, [x]);
        }),
        { numRuns: Math.ceil(runs.numRuns / 2) },
      );
    });
  }
});

interface ModuleCase {
  /** The arbitrary settings: an options object (valid or junk fields, foreign keys) or junk. */
  options: Arbitrary<unknown>;
  make: (options: unknown) => Module;
  /** Whether the settings are valid, by the documented rules. */
  valid: (options: unknown) => boolean;
  /** Whether a float input must be accepted (the axis or shape rules). */
  fits?: (m: Module, x: Tensor) => boolean;
  /** The expected output, or null when only the contract is checked. */
  expected: (m: Module, x: Tensor) => { values: Float64Array | Tensor; exact: boolean } | null;
  /** The core ops whose name an error may carry besides the module's. */
  ops: string[];
}

const number = (v: unknown): v is number => typeof v === 'number';
const finite = (v: unknown): v is number => number(v) && Number.isFinite(v);
const notNaN = (v: unknown): v is number => number(v) && !Number.isNaN(v);
const keysOk = (o: unknown, keys: string[]) => isOptionsObject(o, keys);
/** An option's value, the default only when it is absent (undefined): null is a value, and refused. */
const get = (o: unknown, key: string, fallback: unknown): unknown =>
  field(o, key) === undefined ? fallback : field(o, key);
const arbSetting = validOrJunk(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0, 0.5, 1)));
const arbBound = validOrJunk(
  fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(-Infinity, Infinity)),
);
const arbAxis = validOrJunk(fc.integer({ min: -4, max: 4 }));
const noSettings = fc.constant(undefined);

/** The same elementwise function of core with the module's settings: equal to the last bit. */
const sameAs =
  (f: (x: Tensor, m: Module) => Tensor) =>
  (m: Module, x: Tensor): { values: Tensor; exact: boolean } => ({ values: f(x, m), exact: true });

function rankOk(axis: number, x: Tensor): boolean {
  const rank = Math.max(x.ndim, 1);
  return axis >= -rank && axis < rank;
}

function values(x: Tensor): Float64Array {
  return Float64Array.from(x.data(), Number);
}

const sigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));

const cases: Record<string, ModuleCase> = {
  SiLU: { options: noSettings, make: () => new SiLU(), valid: () => true, expected: sameAs(silu), ops: ['silu'] },
  Mish: { options: noSettings, make: () => new Mish(), valid: () => true, expected: sameAs(mish), ops: ['mish'] },
  SELU: { options: noSettings, make: () => new SELU(), valid: () => true, expected: sameAs(selu), ops: ['selu'] },
  Hardswish: {
    options: noSettings,
    make: () => new Hardswish(),
    valid: () => true,
    expected: sameAs(hardswish),
    ops: ['hardswish'],
  },
  Hardsigmoid: {
    options: noSettings,
    make: () => new Hardsigmoid(),
    valid: () => true,
    expected: sameAs(hardsigmoid),
    ops: ['hardsigmoid'],
  },
  ReLU6: { options: noSettings, make: () => new ReLU6(), valid: () => true, expected: sameAs(relu6), ops: ['relu6'] },
  Softsign: {
    options: noSettings,
    make: () => new Softsign(),
    valid: () => true,
    expected: sameAs(softsign),
    ops: ['softsign'],
  },
  Tanhshrink: {
    options: noSettings,
    make: () => new Tanhshrink(),
    valid: () => true,
    expected: sameAs(tanhshrink),
    ops: ['tanhshrink'],
  },
  LogSigmoid: {
    options: noSettings,
    make: () => new LogSigmoid(),
    valid: () => true,
    expected: sameAs(logSigmoid),
    ops: ['logSigmoid'],
  },
  GELU: {
    options: arbOptions({ approximate: validOrJunk(fc.constantFrom('none', 'tanh')) }),
    make: (o) => new GELU(o as never),
    valid: (o) => keysOk(o, ['approximate']) && ['none', 'tanh'].includes(get(o, 'approximate', 'none') as string),
    expected: sameAs((x, m) => gelu(x, { approximate: (m as GELU).approximate })),
    ops: ['gelu'],
  },
  ELU: {
    options: arbOptions({ alpha: arbSetting }),
    make: (o) => new ELU(o as never),
    valid: (o) => keysOk(o, ['alpha']) && finite(get(o, 'alpha', 1)),
    expected: sameAs((x, m) => elu(x, (m as ELU).alpha)),
    ops: ['elu'],
  },
  CELU: {
    options: arbOptions({ alpha: arbSetting }),
    make: (o) => new CELU(o as never),
    valid: (o) => keysOk(o, ['alpha']) && finite(get(o, 'alpha', 1)) && get(o, 'alpha', 1) !== 0,
    expected: sameAs((x, m) => celu(x, (m as CELU).alpha)),
    ops: ['celu'],
  },
  Hardtanh: {
    options: arbOptions({ minVal: arbBound, maxVal: arbBound }),
    make: (o) => new Hardtanh(o as never),
    valid: (o) => {
      const lo = get(o, 'minVal', -1);
      const hi = get(o, 'maxVal', 1);
      return keysOk(o, ['minVal', 'maxVal']) && notNaN(lo) && notNaN(hi) && lo <= hi;
    },
    expected: sameAs((x, m) => hardtanh(x, (m as Hardtanh).minVal, (m as Hardtanh).maxVal)),
    ops: ['hardtanh'],
  },
  Softplus: {
    options: arbOptions({ beta: arbSetting, threshold: arbBound }),
    make: (o) => new Softplus(o as never),
    valid: (o) => {
      const beta = get(o, 'beta', 1);
      return keysOk(o, ['beta', 'threshold']) && finite(beta) && beta !== 0 && notNaN(get(o, 'threshold', 20));
    },
    // PyTorch's formula: x where beta·x > threshold, log(1 + e^(beta·x))/beta elsewhere; for a
    // float32 result (float32 or integer input) beta, beta·x, the threshold and the result are float32 numbers.
    expected: (m, x) => {
      const f32 = x.dtype !== 'float64';
      const round = f32 ? Math.fround : (v: number) => v;
      const beta = round((m as Softplus).beta);
      const t = round((m as Softplus).threshold);
      const out = values(x).map((v) => {
        const bx = round(beta * v);
        return round(bx > t ? v : (Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta);
      });
      return { values: out, exact: false };
    },
    ops: ['softplus', 'mul', 'div', 'gt', 'where'],
  },
  Softshrink: {
    options: arbOptions({ lambd: arbSetting }),
    make: (o) => new Softshrink(o as never),
    valid: (o) => keysOk(o, ['lambd']) && finite(get(o, 'lambd', 0.5)) && (get(o, 'lambd', 0.5) as number) >= 0,
    expected: sameAs((x, m) => softshrink(x, (m as Softshrink).lambd)),
    ops: ['softshrink'],
  },
  Hardshrink: {
    options: arbOptions({ lambd: arbSetting }),
    make: (o) => new Hardshrink(o as never),
    valid: (o) => keysOk(o, ['lambd']) && finite(get(o, 'lambd', 0.5)) && (get(o, 'lambd', 0.5) as number) >= 0,
    expected: sameAs((x, m) => hardshrink(x, (m as Hardshrink).lambd)),
    ops: ['hardshrink'],
  },
  Threshold: {
    options: fc.tuple(arbBound, arbBound),
    make: (o) => new Threshold(...(o as [number, number])),
    valid: (o) => notNaN((o as unknown[])[0]) && notNaN((o as unknown[])[1]),
    expected: sameAs((x, m) => threshold(x, (m as Threshold).threshold, (m as Threshold).value)),
    ops: ['threshold'],
  },
  LogSoftmax: {
    options: arbOptions({ axis: arbAxis }),
    make: (o) => new LogSoftmax(o as never),
    valid: (o) => keysOk(o, ['axis']) && Number.isSafeInteger(get(o, 'axis', -1)),
    fits: (m, x) => rankOk((m as LogSoftmax).axis, x),
    expected: sameAs((x, m) => logSoftmax(x, (m as LogSoftmax).axis)),
    ops: ['logSoftmax'],
  },
  Softmin: {
    options: arbOptions({ axis: arbAxis }),
    make: (o) => new Softmin(o as never),
    valid: (o) => keysOk(o, ['axis']) && Number.isSafeInteger(get(o, 'axis', -1)),
    fits: (m, x) => rankOk((m as Softmin).axis, x),
    expected: sameAs((x, m) => softmax(x.neg(), (m as Softmin).axis)),
    ops: ['softmax', 'neg'],
  },
  Softmax2d: {
    options: noSettings,
    make: () => new Softmax2d(),
    valid: () => true,
    fits: (_, x) => x.ndim === 3 || x.ndim === 4,
    expected: sameAs((x) => softmax(x, -3)),
    ops: ['softmax'],
  },
  GLU: {
    options: arbOptions({ axis: arbAxis }),
    make: (o) => new GLU(o as never),
    valid: (o) => keysOk(o, ['axis']) && Number.isSafeInteger(get(o, 'axis', -1)),
    fits: (m, x) => {
      const axis = (m as GLU).axis;
      return x.ndim > 0 && rankOk(axis, x) && (x.shape.at(axis) as number) % 2 === 0;
    },
    // a·σ(b) with a, b the halves along the axis, by index arithmetic.
    expected: (m, x) => {
      const axis = (m as GLU).axis < 0 ? (m as GLU).axis + x.ndim : (m as GLU).axis;
      const size = x.shape[axis] as number;
      const inner = x.shape.slice(axis + 1).reduce((p, d) => p * d, 1);
      const outer = x.shape.slice(0, axis).reduce((p, d) => p * d, 1);
      const v = values(x);
      const half = size / 2;
      const out = new Float64Array(outer * half * inner);
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < half; j++)
          for (let i = 0; i < inner; i++) {
            const a = v[(o * size + j) * inner + i] as number;
            const b = v[(o * size + j + half) * inner + i] as number;
            out[(o * half + j) * inner + i] = a * sigmoid(b);
          }
      return { values: out, exact: false };
    },
    ops: ['narrow', 'sigmoid', 'mul'],
  },
  PReLU: {
    options: arbOptions({
      numParameters: validOrJunk(fc.integer({ min: 0, max: 4 })),
      init: arbSetting,
      dtype: validOrJunk(fc.constantFrom('float32', 'float64', 'int32')),
    }),
    make: (o) => new PReLU(o as never),
    valid: (o) => {
      const n = get(o, 'numParameters', 1);
      return (
        keysOk(o, ['numParameters', 'init', 'dtype']) &&
        Number.isSafeInteger(n) &&
        (n as number) >= 1 &&
        // Junk's 1e12 and 2^53 are positive integers too, but no memory holds that many weights.
        (n as number) <= 1000 &&
        finite(get(o, 'init', 0.25)) &&
        ['float32', 'float64'].includes(get(o, 'dtype', 'float32') as string)
      );
    },
    fits: (m, x) => (m as PReLU).numParameters === 1 || (x.ndim >= 2 && x.shape[1] === (m as PReLU).numParameters),
    // x for x > 0, w[c]·x otherwise, c the index along axis 1 (or the one weight).
    expected: (m, x) => {
      const w = values((m as PReLU).weight);
      const inner = x.shape.slice(2).reduce((p, d) => p * d, 1);
      const channels = w.length;
      const out = values(x).map((v, k) =>
        v > 0 || Number.isNaN(v) ? v : (w[channels === 1 ? 0 : Math.floor(k / inner) % channels] as number) * v,
      );
      return { values: out, exact: false };
    },
    ops: ['gt', 'mul', 'where', 'reshape'],
  },
  RReLU: {
    options: arbOptions({ lower: arbSetting, upper: arbSetting, generator: arbGenerator }),
    make: (o) => new RReLU(o as never),
    valid: (o) => {
      const lower = get(o, 'lower', 1 / 8);
      const upper = get(o, 'upper', 1 / 3);
      const g = field(o, 'generator');
      return (
        keysOk(o, ['lower', 'upper', 'generator']) &&
        finite(lower) &&
        finite(upper) &&
        lower <= upper &&
        (g === undefined || g instanceof Generator)
      );
    },
    // Checked element by element below (the slopes are random).
    expected: () => null,
    ops: ['mul', 'where', 'le', 'to', 'leakyRelu'],
  },
};

/** Checks RReLU's training output: x where x > 0 (or NaN), x times a slope in [lower, upper] elsewhere. */
function checkRReLU(m: RReLU, x: Tensor, y: Tensor): void {
  const xs = values(x);
  const ys = values(y);
  const slack = y.dtype === 'float32' ? 1e-6 : 1e-15;
  xs.forEach((v, i) => {
    const out = ys[i] as number;
    if (v > 0 || Number.isNaN(v)) {
      if (!Object.is(out, y.dtype === 'float32' ? Math.fround(v) : v) && !(Number.isNaN(v) && Number.isNaN(out)))
        throw new Error(`RReLU changed ${v} to ${out}`);
      return;
    }
    if (v === 0 || !Number.isFinite(v) || Math.abs(v) < 1e-30) return;
    const slope = out / v;
    if (slope < m.lower - slack * Math.abs(m.lower) - slack || slope > m.upper + slack * Math.abs(m.upper) + slack)
      throw new Error(`RReLU slope ${slope} for ${v} outside [${m.lower}, ${m.upper}]`);
  });
}

describe('fuzz: activation modules', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: made from any settings, applied to any argument, refuses with a typed error or matches`, () => {
      fc.assert(
        fc.property(c.options, arbTensorArgument, fc.boolean(), (options, x, training) => {
          const made = attemptExpecting(c.valid(options), [name, 'full'], () => c.make(options));
          if (!made.ok) return;
          const m = made.value.train(training);
          const isFloat = x instanceof Tensor && (x.dtype === 'float32' || x.dtype === 'float64');
          const mustWork = isFloat && (c.fits?.(m, x as Tensor) ?? true);
          const ops = [name, ...c.ops];
          const out = isFloat
            ? attemptExpecting(mustWork, ops, () => m.forward(x as Tensor))
            : attempt(ops, () => m.forward(x as Tensor));
          if (!out.ok) return;
          if (!(x instanceof Tensor)) throw new Error(`${name} accepted a non-tensor`);
          if (m instanceof RReLU && training) {
            checkRReLU(m, x, out.value);
            return;
          }
          const expected =
            m instanceof RReLU
              ? sameAs((t, r) => hardLeaky(t, r as RReLU))(m, x)
              : (c.expected(m, x) as NonNullable<ReturnType<ModuleCase['expected']>>);
          const actual = values(out.value);
          if (expected.values instanceof Tensor) {
            const e = values(expected.values);
            const same =
              e.length === actual.length && e.every((v, i) => Object.is(v, actual[i]) || (v === 0 && actual[i] === 0));
            if (!same) throw new Error(`${name}${m.extraRepr()} on [${x.shape}] differs from core's function`);
          } else {
            expectNumbersClose(
              actual,
              expected.values,
              tolerance(out.value.dtype),
              `${name}(${m.extraRepr()}) on [${x.shape}]`,
            );
          }
        }),
        runs,
      );
    });
  }
});

/** RReLU in evaluation is core's leaky relu with the mean slope. */
function hardLeaky(x: Tensor, m: RReLU): Tensor {
  return leakyRelu(x, (m.lower + m.upper) / 2);
}
