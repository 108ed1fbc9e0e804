/**
 * Fuzzing optim's public API as untyped JavaScript would call it: random
 * parameters (0-d, empty, 0-sized axes, float32/float64, and junk), options
 * (valid, out of range, NaN, wrong types, unknown keys), gradients (right,
 * NaN/±Infinity, huge, wrong shape or dtype, junk), schedulers, clipping and
 * state dicts, alone and in random sequences. Each call returns a result that
 * matches a float64 reference (fuzz/reference.ts) or throws a ChainruleError
 * naming the function; a refused call changes nothing (fuzz/contract.ts).
 */
import { describe, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import { Tensor, tensor, type DType } from '@chainrule/core';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  NonFiniteGradientError,
  ReduceLROnPlateau,
  SGD,
  StepLR,
  clipGradNorm,
  clipGradValue,
} from '../src/index';
import { attempt, attemptExpecting, snapshot } from './fuzz/contract';
import { isNum, junk, make, nonNeg, resolve, rules, tables, validOrJunk, type AnyOptimizer } from './fuzz/optimizers';
import { referenceStep, type RefParam, type Rule } from './fuzz/reference';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60) };

const arbShape = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 });
const arbParam = fc
  .record({
    shape: arbShape,
    dtype: fc.constantFrom<DType>('float32', 'float64'),
    values: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 27, maxLength: 27 }),
  })
  .map(({ shape, dtype, values }) =>
    tensor(
      Float64Array.from(
        values.slice(
          0,
          shape.reduce((a, d) => a * d, 1),
        ),
      ),
      { shape, dtype, requiresGrad: true },
    ),
  );
/** A leaf whose three elements are one memory location: it cannot be updated in place, so it must be refused. */
function expandedLeaf(): Tensor {
  const t = tensor([1]).expand([3]);
  t.requiresGrad = true;
  return t;
}
const sharesMemory = (p: Tensor): boolean => p.size > 0 && p.shape.some((d, i) => d > 1 && p.strides[i] === 0);
const arbParams: Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.array(arbParam, { minLength: 1, maxLength: 3 }) },
  {
    weight: 1,
    arbitrary: fc.array(
      fc.oneof(
        arbParam,
        junk,
        fc.constant(tensor([1, 2], { dtype: 'int32' })),
        fc.constant(tensor([1], { requiresGrad: true }).mul(2)),
        fc.constant(expandedLeaf()),
      ),
      { maxLength: 3 },
    ),
  },
  { weight: 1, arbitrary: junk },
);
function arbOptions(rule: Rule): Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(tables[rule]).map(([k, v]) => [k, v.arb]));
  const record = fc.record(
    { ...fields, nonFinite: validOrJunk(fc.constantFrom('throw', 'skip')) },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 6, arbitrary: record },
    { weight: 1, arbitrary: record.map((r) => ({ ...r, lrr: 0.1 })) },
    { weight: 1, arbitrary: junk },
  );
}
const paramsValid = (params: unknown): params is Tensor[] =>
  Array.isArray(params) &&
  params.length > 0 &&
  new Set(params).size === params.length &&
  params.every(
    (p) => p instanceof Tensor && p.isLeaf && (p.dtype === 'float32' || p.dtype === 'float64') && !sharesMemory(p),
  );

/** A gradient for `p`: usually right (finite values, sometimes huge or non-finite), sometimes malformed. */
function arbGrad(p: Tensor): Arbitrary<unknown> {
  const n = p.size;
  const right = (values: Arbitrary<number>) =>
    fc
      .array(values, { minLength: n, maxLength: n })
      .map((xs) => tensor(Float64Array.from(xs), { shape: p.shape, dtype: p.dtype }));
  return fc.oneof(
    { weight: 8, arbitrary: right(fc.double({ min: -3, max: 3, noNaN: true })) },
    {
      weight: 1,
      arbitrary: right(
        fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity, 1e30, 3e38)),
      ),
    },
    { weight: 1, arbitrary: fc.constant(null) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constant(tensor([1, 2, 3, 4, 5])),
        fc.constant(
          tensor(Float64Array.from({ length: n }), {
            shape: p.shape,
            dtype: p.dtype === 'float32' ? 'float64' : 'float32',
          }),
        ),
        junk,
      ),
    },
  );
}

describe('fuzz: optimizers', () => {
  const arbCase = fc.constantFrom(...rules).chain((rule) =>
    fc.record({
      rule: fc.constant(rule),
      params: arbParams,
      options: arbOptions(rule),
      steps: fc.integer({ min: 1, max: 3 }),
      seed: fc.integer({ min: 0, max: 1e6 }),
    }),
  );

  it('construct from any arguments; each step matches the reference update or throws a typed error and changes nothing', () => {
    fc.assert(
      fc.property(arbCase, ({ rule, params, options, steps, seed }) => {
        const resolved = resolve(rule, options);
        const made = attemptExpecting(paramsValid(params) && resolved !== null, [rule], () =>
          make(rule, params, options),
        );
        if (!made.ok) return;
        const opt = made.value;
        const ps = params as Tensor[];
        const refs: RefParam[] = ps.map((p) => ({
          p: Array.from(p.data()),
          state: {},
          round: p.dtype === 'float32' ? Math.fround : (x: number) => x,
        }));
        const skip = (options as { nonFinite?: string } | undefined)?.nonFinite === 'skip';
        for (let s = 0; s < steps; s++) {
          const grads = ps.map((p, i) => fc.sample(arbGrad(p), { seed: seed + 7 * s + i, numRuns: 1 })[0]);
          const isMalformed = (g: unknown, p: Tensor) =>
            g !== null &&
            !(g instanceof Tensor && g.shape.join() === p.shape.join() && g.ndim === p.ndim && g.dtype === p.dtype);
          const malformed = grads.some((g, i) => isMalformed(g, ps[i] as Tensor));
          if (malformed) {
            // Core's .grad setter refuses a malformed gradient where it is
            // assigned (typed, naming 'grad'), leaving the old one: no step sees it.
            ps.forEach((p, i) => {
              const previous = p.grad;
              const assigned = attemptExpecting(
                !isMalformed(grads[i], p),
                ['grad'],
                () => ((p as { grad: unknown }).grad = grads[i]),
              );
              if (!assigned.ok && p.grad !== previous)
                throw new Error(`a refused .grad assignment changed the gradient: ${assigned.error.message}`);
            });
            continue;
          }
          ps.forEach((p, i) => ((p as { grad: unknown }).grad = grads[i]));
          const nonFinite = !malformed && grads.some((g) => g instanceof Tensor && !g.data().every(Number.isFinite));
          const before = snapshot(opt);
          const out = attemptExpecting(!malformed && !(nonFinite && !skip), [`${rule}.step`], () => opt.step());
          if (!out.ok) {
            if (nonFinite && !(out.error instanceof NonFiniteGradientError))
              throw new Error(`expected a NonFiniteGradientError, got ${out.error.name}`);
            if (snapshot(opt) !== before) throw new Error(`a refused step changed the optimizer: ${out.error.message}`);
            continue;
          }
          if (nonFinite) {
            if (out.value !== false || snapshot(opt) !== before)
              throw new Error('a skipped step must return false and change nothing');
            continue;
          }
          ps.forEach((p, i) => {
            const g = grads[i];
            if (g instanceof Tensor)
              referenceStep(rule, resolved as Record<string, unknown>, refs[i] as RefParam, Array.from(g.data()));
            const got = Array.from(p.data());
            const want = (refs[i] as RefParam).p;
            const tol = p.dtype === 'float32' ? 1e-6 : 1e-12;
            const bad = got.findIndex(
              (v, k) =>
                !(
                  v === want[k] ||
                  Math.abs(v - (want[k] as number)) <= tol * (1 + Math.abs(want[k] as number)) ||
                  (Number.isNaN(v) && Number.isNaN(want[k]))
                ),
            );
            if (bad >= 0)
              throw new Error(
                `${rule} step ${s + 1}, param ${i} [${p.shape}] element ${bad}: got ${got[bad]}, reference ${want[bad]}`,
              );
          });
        }
      }),
      runs,
    );
  });

  it('stateDict → loadStateDict restores the same optimizer, also after steps whose state overflowed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...rules),
        fc.array(arbParam, { minLength: 1, maxLength: 2 }),
        fc.array(fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(1e20, 3e38, -3e38)), {
          minLength: 3,
          maxLength: 3,
        }),
        (rule, params, gradValues) => {
          const settings = {
            SGD: { lr: 0.1, momentum: 0.9 },
            Adam: { amsgrad: true },
            AdamW: { amsgrad: true },
            RMSprop: { centered: true, momentum: 0.5 },
            Adagrad: { lrDecay: 0.1 },
          };
          const opt = make(rule, params, settings[rule]);
          for (const g of gradValues) {
            for (const p of params)
              p.grad = tensor(new Float64Array(p.size).fill(g), { shape: p.shape, dtype: p.dtype });
            attempt([`${rule}.step`], () => opt.step());
          }
          const dict = opt.stateDict();
          const copies = params.map((p) => tensor(p.data(), { shape: p.shape, dtype: p.dtype, requiresGrad: true }));
          const other = make(rule, copies, { lr: 0.5 });
          const loaded = attempt([`${rule}.loadStateDict`], () => other.loadStateDict(dict));
          // A NaN in the state (a parameter that diverged to ±∞ first) is refused; anything else must load.
          const hasNaN = JSON.stringify(JSON.parse(snapshot(opt)).state).includes('"NaN"');
          if (!loaded.ok) {
            if (!hasNaN) throw new Error(`a state dict from stateDict() was refused: ${loaded.error.message}`);
            return;
          }
          const strip = (s: string) => JSON.parse(s).state;
          if (JSON.stringify(strip(snapshot(other))) !== JSON.stringify(strip(snapshot(opt))))
            throw new Error('the loaded state differs from the saved one');
        },
      ),
      runs,
    );
  });
});

describe('fuzz: schedulers', () => {
  type Kind = 'StepLR' | 'MultiStepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearLR' | 'ReduceLROnPlateau';
  const kinds: Kind[] = [
    'StepLR',
    'MultiStepLR',
    'ExponentialLR',
    'CosineAnnealingLR',
    'LinearLR',
    'ReduceLROnPlateau',
  ];
  const arbSettings: Record<Kind, Arbitrary<unknown>> = {
    StepLR: fc.record(
      {
        stepSize: validOrJunk(fc.integer({ min: 1, max: 4 })),
        gamma: validOrJunk(fc.constantFrom(0.1, 0.5, 2, 1e200)),
      },
      { requiredKeys: [] },
    ),
    MultiStepLR: fc.record(
      {
        milestones: validOrJunk(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 3 })),
        gamma: validOrJunk(fc.constantFrom(0.1, 3)),
      },
      { requiredKeys: [] },
    ),
    ExponentialLR: fc.record({ gamma: validOrJunk(fc.constantFrom(0.5, 0.9, 1e100, 1e-200)) }, { requiredKeys: [] }),
    CosineAnnealingLR: fc.record(
      { tMax: validOrJunk(fc.integer({ min: 1, max: 4 })), etaMin: validOrJunk(fc.constantFrom(0, 0.001)) },
      { requiredKeys: [] },
    ),
    LinearLR: fc.record(
      {
        startFactor: validOrJunk(fc.constantFrom(0.1, 1 / 3, 1)),
        endFactor: validOrJunk(fc.constantFrom(0, 0.5, 1)),
        totalIters: validOrJunk(fc.integer({ min: 1, max: 4 })),
      },
      { requiredKeys: [] },
    ),
    ReduceLROnPlateau: fc.record(
      {
        factor: validOrJunk(fc.constantFrom(0.1, 0.5)),
        patience: validOrJunk(fc.integer({ min: 0, max: 2 })),
        mode: validOrJunk(fc.constantFrom('min', 'max')),
      },
      { requiredKeys: [] },
    ),
  };
  const positive = (x: unknown) => isNum(x) && x > 0;
  const int = (min: number) => (x: unknown) => Number.isSafeInteger(x) && (x as number) >= min;
  const checks: Record<Kind, Record<string, (x: unknown) => boolean>> = {
    StepLR: { stepSize: int(1), gamma: positive },
    MultiStepLR: { milestones: (x) => Array.isArray(x) && x.every(int(0)), gamma: positive },
    ExponentialLR: { gamma: positive },
    CosineAnnealingLR: { tMax: int(1), etaMin: nonNeg },
    LinearLR: {
      startFactor: (x) => isNum(x) && x > 0 && x <= 1,
      endFactor: (x) => isNum(x) && x >= 0 && x <= 1,
      totalIters: int(1),
    },
    ReduceLROnPlateau: {
      factor: (x) => isNum(x) && x >= 0 && x < 1,
      patience: int(0),
      mode: (x) => x === 'min' || x === 'max',
    },
  };
  const required: Partial<Record<Kind, string>> = {
    StepLR: 'stepSize',
    MultiStepLR: 'milestones',
    ExponentialLR: 'gamma',
    CosineAnnealingLR: 'tMax',
  };

  function schedule(kind: Kind, opt: AnyOptimizer, o: unknown): { step(metric?: number): void } {
    const options = o as never;
    switch (kind) {
      case 'StepLR':
        return new StepLR(opt, options);
      case 'MultiStepLR':
        return new MultiStepLR(opt, options);
      case 'ExponentialLR':
        return new ExponentialLR(opt, options);
      case 'CosineAnnealingLR':
        return new CosineAnnealingLR(opt, options);
      case 'LinearLR':
        return new LinearLR(opt, options);
      case 'ReduceLROnPlateau': {
        const plateau = new ReduceLROnPlateau(opt, options);
        return { step: (metric = 1) => plateau.step(metric) };
      }
    }
  }

  /** The lr at epoch t (0-based) when nothing else changes it: the closed forms in the README. */
  function closedForm(kind: Kind, o: Record<string, unknown>, lr0: number, t: number): number | null {
    const gamma = (o['gamma'] as number | undefined) ?? 0.1;
    switch (kind) {
      case 'StepLR':
        return lr0 * gamma ** Math.floor(t / (o['stepSize'] as number));
      case 'MultiStepLR':
        return lr0 * gamma ** (o['milestones'] as number[]).filter((m) => m <= t).length;
      case 'ExponentialLR':
        return lr0 * (o['gamma'] as number) ** t;
      case 'CosineAnnealingLR': {
        const etaMin = (o['etaMin'] as number | undefined) ?? 0;
        // NOTE: with etaMin far above lr₀ (a junk value such as 2⁵³), the recursive form PyTorch
        // uses absorbs lr₀ in lr - etaMin; the closed form is then not what either computes.
        if (etaMin > lr0) return null;
        return etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * t) / (o['tMax'] as number)))) / 2;
      }
      case 'LinearLR': {
        const start = (o['startFactor'] as number | undefined) ?? 1 / 3;
        const end = (o['endFactor'] as number | undefined) ?? 1;
        const total = (o['totalIters'] as number | undefined) ?? 5;
        return lr0 * (start + ((end - start) * Math.min(t, total)) / total);
      }
      case 'ReduceLROnPlateau':
        return null;
    }
  }

  it('construct from any settings; every epoch sets the closed-form lr, or throws a typed error and changes nothing', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...kinds)
          .chain((kind) =>
            fc.tuple(
              fc.constant(kind),
              fc.oneof({ weight: 5, arbitrary: arbSettings[kind] }, { weight: 1, arbitrary: junk }),
            ),
          ),
        fc.oneof(fc.constantFrom(0.1, 1), fc.constant(NaN)),
        fc.integer({ min: 1, max: 8 }),
        ([kind, o], lr0, epochs) => {
          const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
          opt.paramGroups[0]!.lr = lr0;
          const given = o === undefined || o === null ? {} : o;
          const settingsValid =
            typeof given === 'object' &&
            !Array.isArray(given) &&
            Object.entries(given as object).every(
              ([k, v]) =>
                v === undefined || (Object.hasOwn(checks[kind], k) && (checks[kind][k] as (x: unknown) => boolean)(v)),
            );
          const hasRequired =
            required[kind] === undefined || (given as Record<string, unknown>)[required[kind] as string] !== undefined;
          const made = attemptExpecting(settingsValid && hasRequired && Number.isFinite(lr0), [kind], () =>
            schedule(kind, opt, o),
          );
          if (!made.ok) {
            if (opt.paramGroups[0]!.initialLr !== undefined) throw new Error('a refused scheduler set initialLr');
            return;
          }
          const settings = given as Record<string, unknown>;
          for (let t = 1; t <= epochs; t++) {
            const before = snapshot(opt);
            const expected = closedForm(kind, settings, lr0, t);
            const out = attempt([`${kind}.step`], () => made.value.step());
            const lr = opt.paramGroups[0]!.lr;
            if (!out.ok) {
              if (snapshot(opt) !== before) throw new Error('a refused scheduler step changed the optimizer');
              if (expected !== null && Number.isFinite(expected))
                throw new Error(`epoch ${t} refused although its lr ${expected} is finite: ${out.error.message}`);
              return;
            }
            if (!(Number.isFinite(lr) && lr >= 0)) throw new Error(`epoch ${t} set the lr to ${lr}`);
            if (expected !== null && !(Math.abs(lr - expected) <= 1e-12 * Math.max(1, Math.abs(expected))))
              throw new Error(`${kind} epoch ${t}: lr ${lr}, closed form ${expected}`);
          }
        },
      ),
      runs,
    );
  });
});

describe('fuzz: gradient clipping', () => {
  const arbGradParam = fc
    .record({
      dtype: fc.constantFrom<DType>('float32', 'float64'),
      values: fc.array(
        fc.oneof(
          fc.double({ min: -3, max: 3, noNaN: true }),
          fc.constantFrom(1e200, -1e200, 1e-200, 3e38, NaN, Infinity),
        ),
        { maxLength: 4 },
      ),
    })
    .map(({ dtype, values }) => {
      const p = tensor(new Float64Array(values.length), { dtype, requiresGrad: true });
      p.grad = tensor(Float64Array.from(values), { dtype });
      return p;
    });

  /** The p-norm of all values in float64, each divided by the largest first (so nothing overflows). */
  function referenceNorm(values: number[], p: number): number {
    const abs = values.map(Math.abs);
    if (abs.some(Number.isNaN)) return NaN;
    const largest = Math.max(0, ...abs);
    if (p === Infinity || largest === 0 || largest === Infinity)
      return p === Infinity || largest === 0 ? largest : Infinity;
    return largest * abs.reduce((s, x) => s + (x / largest) ** p, 0) ** (1 / p);
  }

  it('clipGradNorm returns the total norm and scales every gradient by min(1, maxNorm / (total + 1e-6)); clipGradValue clamps', () => {
    fc.assert(
      fc.property(
        fc.array(arbGradParam, { maxLength: 3 }),
        validOrJunk(fc.constantFrom(0, 0.5, 1, 1e10)),
        validOrJunk(fc.constantFrom(1, 2, 0.5, 3, Infinity)),
        fc.oneof(fc.constant(undefined), fc.record({ errorIfNonfinite: validOrJunk(fc.boolean()) })),
        fc.boolean(),
        (params, maxNorm, normArg, options, byValue) => {
          const normType = normArg === undefined ? 2 : normArg; // the default
          const grads = params.map((p) => Array.from((p.grad as Tensor).data()));
          if (byValue) {
            const valid = typeof maxNorm === 'number' && maxNorm >= 0;
            const out = attemptExpecting(valid, ['clipGradValue'], () => clipGradValue(params, maxNorm as number));
            if (!out.ok) return;
            params.forEach((p, i) => {
              const want = (grads[i] as number[]).map((g) =>
                g > (maxNorm as number) ? (maxNorm as number) : g < -(maxNorm as number) ? -(maxNorm as number) : g,
              );
              if (
                JSON.stringify(Array.from((p.grad as Tensor).data()).map(String)) !==
                JSON.stringify(want.map((w) => String(p.dtype === 'float32' ? Math.fround(w) : w)))
              )
                throw new Error('clipGradValue did not clamp');
            });
            return;
          }
          const errorFlag = (options as { errorIfNonfinite?: unknown } | undefined)?.errorIfNonfinite;
          const valid =
            typeof maxNorm === 'number' &&
            maxNorm >= 0 &&
            typeof normType === 'number' &&
            normType > 0 &&
            (errorFlag === undefined || typeof errorFlag === 'boolean');
          const total = valid ? referenceNorm(grads.flat(), normType as number) : NaN;
          const refuses = errorFlag === true && !Number.isFinite(total);
          const out = attemptExpecting(valid && !refuses, ['clipGradNorm'], () =>
            clipGradNorm(params, maxNorm as number, normArg as number, options as never),
          );
          if (!out.ok) {
            if (
              params.some(
                (p, i) =>
                  JSON.stringify(Array.from((p.grad as Tensor).data()).map(String)) !==
                  JSON.stringify((grads[i] as number[]).map(String)),
              )
            )
              throw new Error('a refused clip changed a gradient');
            return;
          }
          if (
            !(
              out.value === total ||
              Math.abs(out.value - total) <= 1e-12 * total ||
              (Number.isNaN(out.value) && Number.isNaN(total))
            )
          )
            throw new Error(`total norm ${out.value}, reference ${total}`);
          const coef = Math.min((maxNorm as number) / (total + 1e-6), 1);
          params.forEach((p, i) => {
            const got = Array.from((p.grad as Tensor).data());
            const want = (grads[i] as number[]).map((g) => g * coef);
            const close = got.every((v, k) => {
              const w = p.dtype === 'float32' ? Math.fround(want[k] as number) : (want[k] as number);
              return v === w || (Number.isNaN(v) && Number.isNaN(w)) || Math.abs(v - w) <= 1e-6 * Math.abs(w);
            });
            if (!close) throw new Error(`gradient ${i}: got ${got}, expected ${want}`);
          });
        },
      ),
      runs,
    );
  });
});

describe('fuzz: random sequences of calls on one optimizer', () => {
  type Call = {
    op:
      | 'grads'
      | 'step'
      | 'zeroGrad'
      | 'setLr'
      | 'addGroup'
      | 'save'
      | 'load'
      | 'loadJunk'
      | 'option'
      | 'clip'
      | 'schedule';
    arg: unknown;
  };
  const arbCall: Arbitrary<Call> = fc.oneof(
    fc.record({ op: fc.constant('grads' as const), arg: fc.integer({ min: 0, max: 1e6 }) }),
    fc.record({
      op: fc.constantFrom(
        'step' as const,
        'zeroGrad' as const,
        'save' as const,
        'addGroup' as const,
        'schedule' as const,
      ),
      arg: fc.constant(null),
    }),
    fc.record({
      op: fc.constant('setLr' as const),
      arg: fc.tuple(
        validOrJunk(fc.double({ min: 0, max: 1, noNaN: true })),
        fc.oneof(fc.constant(undefined), fc.integer({ min: -1, max: 2 }), junk),
      ),
    }),
    fc.record({ op: fc.constant('load' as const), arg: fc.integer({ min: 0, max: 5 }) }),
    fc.record({
      op: fc.constant('loadJunk' as const),
      arg: fc.oneof(junk, fc.constant({ state: {}, paramGroups: [] })),
    }),
    fc.record({
      op: fc.constant('option' as const),
      arg: fc.tuple(fc.constantFrom('lr', 'weightDecay', 'maximize', 'eps'), junk),
    }),
    fc.record({ op: fc.constant('clip' as const), arg: validOrJunk(fc.constantFrom(0.1, 1, 10)) }),
  );

  it('every call returns or throws a typed error naming it; a refused call changes nothing; a saved state dict loads back exactly', () => {
    fc.assert(
      fc.property(fc.constantFrom(...rules), fc.array(arbCall, { minLength: 1, maxLength: 12 }), (rule, calls) => {
        const params = [param([0.5, -1]), param([2], 'float64')];
        const opt = make(rule, params, { lr: 0.05 });
        const scheduler = new StepLR(opt, { stepSize: 2, gamma: 0.5 });
        const saved: { dict: ReturnType<AnyOptimizer['stateDict']>; state: string }[] = [];
        const all = () => opt.paramGroups.flatMap((g) => (Array.isArray(g.params) ? g.params : []));
        for (const { op, arg } of calls) {
          const before = snapshot(opt);
          const out = attempt(
            [
              `${rule}.step`,
              `${rule}.zeroGrad`,
              `${rule}.setLr`,
              `${rule}.addParamGroup`,
              `${rule}.loadStateDict`,
              'clipGradNorm',
              'StepLR.step',
            ],
            () => {
              switch (op) {
                case 'grads':
                  // Each assignment on its own: core refuses a malformed one (naming 'grad') and keeps the old gradient.
                  return all().forEach((p, i) =>
                    attempt(
                      ['grad'],
                      () =>
                        ((p as { grad: unknown }).grad = fc.sample(arbGrad(p), {
                          seed: (arg as number) + i,
                          numRuns: 1,
                        })[0]),
                    ),
                  );
                case 'step':
                  return opt.step();
                case 'zeroGrad':
                  return opt.zeroGrad();
                case 'setLr':
                  return opt.setLr(...(arg as [number, number]));
                case 'addGroup':
                  return opt.addParamGroup({ params: [param([1, 2, 3])] });
                case 'save':
                  return saved.push({ dict: opt.stateDict(), state: JSON.stringify(JSON.parse(snapshot(opt)).state) });
                case 'load': {
                  const entry = saved[(arg as number) % Math.max(saved.length, 1)];
                  if (entry === undefined) return undefined;
                  opt.loadStateDict(entry.dict);
                  // Groups added since the save make the load refuse; otherwise the state must be the saved one.
                  if (JSON.stringify(JSON.parse(snapshot(opt)).state) !== entry.state)
                    throw new Error('a loaded state dict differs from the saved one');
                  return undefined;
                }
                case 'loadJunk':
                  return opt.loadStateDict(arg as never);
                case 'option': {
                  const [key, value] = arg as [string, unknown];
                  if (Object.hasOwn(opt.paramGroups[0] as object, key))
                    (opt.paramGroups[0] as Record<string, unknown>)[key] = value;
                  return undefined;
                }
                case 'clip':
                  return clipGradNorm(all(), arg as number);
                case 'schedule':
                  return scheduler.step();
              }
            },
          );
          if (!out.ok && snapshot(opt) !== before)
            throw new Error(`a refused ${op} changed the optimizer: ${out.error.message}`);
          if (op === 'loadJunk' && out.ok && !(typeof arg === 'object' && arg !== null && 'state' in arg))
            throw new Error('loadStateDict accepted junk');
        }
      }),
      runs,
    );
  });
});

function param(values: number[], dtype: DType = 'float32'): Tensor {
  return tensor(values, { dtype, requiresGrad: true });
}
