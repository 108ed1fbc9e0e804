/**
 * Fuzzing the initializers of issue 19 (truncNormal, orthogonal, dirac,
 * init.eye/zeros/ones, kaiming*) as untyped JavaScript would call them: any
 * tensor or junk, any options. Each call either fills the tensor and returns
 * it, with what the initializer promises (inside [a, b]; orthonormal rows or
 * columns times the gain; a Dirac delta; an identity), or throws a typed
 * error naming it and leaves the tensor as it was.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { Generator, Tensor } from '@chainrule/core';
import { dirac, init, kaimingNormal, kaimingUniform, orthogonal, truncNormal } from '../src/index';
import { attemptExpecting, snapshotTensors } from './fuzz/contract';
import {
  arbAnyTensor,
  arbFinite,
  arbGenerator,
  arbJunk,
  arbOptions,
  field,
  isFloat,
  isOptionsObject,
  validOrJunk,
} from './fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60) };
const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const notNaN = (x: unknown): x is number => typeof x === 'number' && !Number.isNaN(x);
const or = (x: unknown, d: unknown): unknown => (x === undefined ? d : x);
const generatorOk = (o: unknown) => field(o, 'generator') === undefined || field(o, 'generator') instanceof Generator;
const arbTarget = fc.oneof({ weight: 4, arbitrary: arbAnyTensor }, { weight: 1, arbitrary: arbJunk });

interface Case {
  options: fc.Arbitrary<unknown>;
  call: (t: Tensor, o: unknown) => Tensor;
  /** Whether the call must succeed, for a float tensor t. */
  valid: (t: Tensor, o: unknown) => boolean;
  /** Throws unless the filled values keep the promise. */
  check: (t: Tensor, o: unknown) => void;
  ops: string[];
}

function fail(what: string, t: Tensor): never {
  throw new Error(`${what}: got ${JSON.stringify(Array.from(t.data()))} for shape [${t.shape}]`);
}

/** The [rows, cols] matrix W of t, and W Wᵀ or Wᵀ W (whichever is the smaller), in float64. */
function gram(t: Tensor): { k: number; g: Float64Array } {
  const rows = t.shape[0] as number;
  const cols = t.size / rows;
  const w = Float64Array.from(t.data(), Number);
  const wide = rows < cols;
  const k = Math.min(rows, cols);
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let r = 0; r < (wide ? cols : rows); r++)
        s += wide
          ? (w[i * cols + r] as number) * (w[j * cols + r] as number)
          : (w[r * cols + i] as number) * (w[r * cols + j] as number);
      g[i * k + j] = s;
    }
  return { k, g };
}

const cases: Record<string, Case> = {
  truncNormal: {
    options: arbOptions({
      mean: validOrJunk(arbFinite),
      std: validOrJunk(fc.oneof(fc.double({ min: 0, max: 3, noNaN: true }), fc.constantFrom(0, 1e-320))),
      a: validOrJunk(
        fc.oneof(fc.double({ min: -6, max: 6, noNaN: true }), fc.constantFrom(-Infinity, Infinity, 1e200)),
      ),
      b: validOrJunk(
        fc.oneof(fc.double({ min: -6, max: 12, noNaN: true }), fc.constantFrom(-Infinity, Infinity, 2e200)),
      ),
      generator: arbGenerator,
    }),
    call: (t, o) => truncNormal(t, o as never),
    valid: (_, o) => {
      const [mean, std, a, b] = [
        or(field(o, 'mean'), 0),
        or(field(o, 'std'), 1),
        or(field(o, 'a'), -2),
        or(field(o, 'b'), 2),
      ];
      return (
        isOptionsObject(o, ['mean', 'std', 'a', 'b', 'generator']) &&
        generatorOk(o) &&
        finite(mean) &&
        finite(std) &&
        std >= 0 &&
        notNaN(a) &&
        notNaN(b) &&
        a <= b &&
        a < Infinity &&
        b > -Infinity
      );
    },
    check: (t, o) => {
      const f32 = t.dtype === 'float32' ? Math.fround : (v: number) => v;
      const [a, b] = [f32(or(field(o, 'a'), -2) as number), f32(or(field(o, 'b'), 2) as number)];
      if (!Array.from(t.data()).every((v) => v >= a && v <= b)) fail(`truncNormal outside [${a}, ${b}]`, t);
    },
    ops: ['truncNormal'],
  },
  orthogonal: {
    options: arbOptions({ gain: validOrJunk(arbFinite), generator: arbGenerator }),
    call: (t, o) => orthogonal(t, o as never),
    valid: (t, o) =>
      t.ndim >= 2 && isOptionsObject(o, ['gain', 'generator']) && generatorOk(o) && finite(or(field(o, 'gain'), 1)),
    check: (t, o) => {
      if (t.size === 0) return;
      const gain = or(field(o, 'gain'), 1) as number;
      const { k, g } = gram(t);
      const tol = (t.dtype === 'float32' ? 1e-5 : 1e-12) * Math.max(gain * gain, 1);
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++)
          if (Math.abs((g[i * k + j] as number) - (i === j ? gain * gain : 0)) > tol)
            fail(`orthogonal (gain ${gain}) is not orthogonal`, t);
    },
    ops: ['orthogonal'],
  },
  dirac: {
    options: arbOptions({ groups: validOrJunk(fc.integer({ min: 0, max: 4 })) }),
    call: (t, o) => dirac(t, o as never),
    valid: (t, o) => {
      const groups = or(field(o, 'groups'), 1);
      return (
        isOptionsObject(o, ['groups']) &&
        Number.isSafeInteger(groups) &&
        (groups as number) >= 1 &&
        t.ndim >= 3 &&
        t.ndim <= 5 &&
        (t.shape[0] as number) % (groups as number) === 0
      );
    },
    check: (t, o) => {
      const groups = or(field(o, 'groups'), 1) as number;
      const xs = Array.from(t.data());
      const ones = t.size === 0 ? 0 : groups * Math.min((t.shape[0] as number) / groups, t.shape[1] as number);
      if (!xs.every((v) => v === 0 || v === 1) || xs.filter((v) => v === 1).length !== ones)
        fail(`dirac(groups ${groups}) must hold ${ones} ones and zeros elsewhere`, t);
    },
    ops: ['dirac'],
  },
  'init.eye': {
    options: fc.constant(undefined),
    call: (t) => init.eye(t),
    valid: (t) => t.ndim === 2,
    check: (t) => {
      const cols = t.shape[1] as number;
      if (!Array.from(t.data()).every((v, i) => v === (i % cols === Math.floor(i / cols) ? 1 : 0))) fail('init.eye', t);
    },
    ops: ['init.eye'],
  },
  'init.zeros': {
    options: fc.constant(undefined),
    call: (t) => init.zeros(t),
    valid: () => true,
    check: (t) => {
      if (!Array.from(t.data()).every((v) => v === 0)) fail('init.zeros', t);
    },
    ops: ['init.zeros'],
  },
  'init.ones': {
    options: fc.constant(undefined),
    call: (t) => init.ones(t),
    valid: () => true,
    check: (t) => {
      if (!Array.from(t.data()).every((v) => v === 1)) fail('init.ones', t);
    },
    ops: ['init.ones'],
  },
};

// kaiming*: heUniform and heNormal under PyTorch's names, fuzzed as such in fuzz-data.test.ts;
// here, that the two names accept and refuse alike, and name themselves.
const kaimingOptions = arbOptions({
  a: validOrJunk(fc.double({ min: 0, max: 1, noNaN: true })),
  mode: validOrJunk(fc.constantFrom('fanIn', 'fanOut')),
  nonlinearity: validOrJunk(fc.constantFrom('leakyRelu', 'relu', 'tanh', 'conv2d', 'leaky_relu')),
  generator: arbGenerator,
});
const nonlinearities = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'convTranspose1d',
  'convTranspose2d',
  'convTranspose3d',
];
for (const [name, f] of [
  ['kaimingUniform', kaimingUniform],
  ['kaimingNormal', kaimingNormal],
] as const) {
  cases[name] = {
    options: kaimingOptions,
    call: (t, o) => f(t, o as never),
    valid: (t, o) =>
      t.ndim >= 2 &&
      isOptionsObject(o, ['a', 'mode', 'nonlinearity', 'generator']) &&
      generatorOk(o) &&
      finite(or(field(o, 'a'), 0)) &&
      ['fanIn', 'fanOut'].includes(or(field(o, 'mode'), 'fanIn') as string) &&
      [...nonlinearities, 'sigmoid', 'tanh', 'relu', 'leakyRelu', 'selu', 'softmax'].includes(
        or(field(o, 'nonlinearity'), 'leakyRelu') as string,
      ),
    check: (t) => {
      if (!Array.from(t.data()).every(Number.isFinite)) fail(`${name} gave a non-finite value`, t);
    },
    ops: [name, 'fans'],
  };
}

describe('fuzz: the initializers of issue 19', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: fills as promised and returns the tensor, or throws a typed error and changes nothing`, () => {
      fc.assert(
        fc.property(arbTarget, c.options, (t, o) => {
          const valid = t instanceof Tensor && isFloat(t) && c.valid(t, o);
          const before = t instanceof Tensor ? snapshotTensors([t]) : null;
          const out = attemptExpecting(valid, c.ops, () => c.call(t as Tensor, o));
          if (!out.ok) {
            if (before !== null && JSON.stringify(snapshotTensors([t as Tensor])) !== JSON.stringify(before))
              throw new Error(`${name} threw but changed the tensor`);
            return;
          }
          if (out.value !== t) throw new Error(`${name} must return the tensor it filled`);
          c.check(out.value, o);
        }),
        runs,
      );
    });
  }
});
