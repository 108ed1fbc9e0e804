/**
 * The optimizers as the fuzz tests see them: each one's options with an
 * arbitrary (valid values or junk), the rule from the README's "Accepted
 * options" that says whether a value is valid, and its default; and the
 * junk values an untyped caller may pass anywhere.
 */
import fc, { type Arbitrary } from 'fast-check';
import type { Tensor } from '@chainrule/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD, type Optimizer } from '../../src/index';
import type { Rule } from './reference';

export type AnyOptimizer = Optimizer<{ lr: number }, object>;
export const junk: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, true, '', 'abc', -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -0),
  fc.constant(10n),
  fc.constant(Symbol('junk')),
  fc.constant(() => 1),
  fc.constant([1, 2]),
  fc.constant({}),
  fc.constant(Object.create(null) as object),
);
export const validOrJunk = <T>(a: Arbitrary<T>): Arbitrary<unknown> =>
  fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: junk });
export const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
export const nonNeg = (x: unknown) => isNum(x) && x >= 0;
export const flag = (x: unknown) => typeof x === 'boolean';

/** Per optimizer: its options (README "Accepted options"), each with an arbitrary, a test and a default. */
export type Table = Record<string, { arb: Arbitrary<unknown>; ok: (x: unknown) => boolean; default: unknown }>;
const small = fc.double({ min: 0, max: 0.5, noNaN: true });
const common = {
  lr: { arb: validOrJunk(fc.double({ min: 0, max: 1, noNaN: true })), ok: nonNeg, default: 1e-2 },
  weightDecay: { arb: validOrJunk(small), ok: nonNeg, default: 0 },
  maximize: { arb: validOrJunk(fc.boolean()), ok: flag, default: false },
};
export const tables: Record<Rule, Table> = {
  SGD: {
    ...common,
    momentum: { arb: validOrJunk(fc.constantFrom(0, 0.5, 0.9)), ok: nonNeg, default: 0 },
    dampening: { arb: validOrJunk(fc.constantFrom(0, 0.1, -0.5)), ok: isNum, default: 0 },
    nesterov: { arb: validOrJunk(fc.boolean()), ok: flag, default: false },
  },
  Adam: {
    ...common,
    lr: { ...common.lr, default: 1e-3 },
    betas: {
      arb: validOrJunk(
        fc.tuple(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true })),
      ),
      ok: (b) => Array.isArray(b) && b.length === 2 && b.every((x) => isNum(x) && x >= 0 && x < 1),
      default: [0.9, 0.999],
    },
    eps: { arb: validOrJunk(fc.constantFrom(1e-8, 0.1, 0)), ok: nonNeg, default: 1e-8 },
    amsgrad: { arb: validOrJunk(fc.boolean()), ok: flag, default: false },
  },
  AdamW: {} as Table,
  RMSprop: {
    ...common,
    alpha: {
      arb: validOrJunk(fc.double({ min: 0, max: 1, noNaN: true })),
      ok: (x) => isNum(x) && x >= 0 && x <= 1,
      default: 0.99,
    },
    eps: { arb: validOrJunk(fc.constantFrom(1e-8, 0.1)), ok: nonNeg, default: 1e-8 },
    momentum: { arb: validOrJunk(fc.constantFrom(0, 0.5)), ok: nonNeg, default: 0 },
    centered: { arb: validOrJunk(fc.boolean()), ok: flag, default: false },
  },
  Adagrad: {
    ...common,
    lrDecay: { arb: validOrJunk(small), ok: nonNeg, default: 0 },
    initialAccumulatorValue: { arb: validOrJunk(small), ok: nonNeg, default: 0 },
    eps: { arb: validOrJunk(fc.constantFrom(1e-10, 0.1)), ok: nonNeg, default: 1e-10 },
  },
};
tables.AdamW = { ...tables.Adam, weightDecay: { ...common.weightDecay, default: 1e-2 } };
export const rules = Object.keys(tables) as Rule[];

export function make(rule: Rule, params: unknown, options: unknown): AnyOptimizer {
  const p = params as Tensor[];
  const o = options as { lr: number };
  switch (rule) {
    case 'SGD':
      return new SGD(p, o);
    case 'Adam':
      return new Adam(p, o);
    case 'AdamW':
      return new AdamW(p, o);
    case 'RMSprop':
      return new RMSprop(p, o);
    case 'Adagrad':
      return new Adagrad(p, o);
  }
}

/** The options a group ends up with when `given` passed the table's checks, or null when they do not. */
export function resolve(rule: Rule, options: unknown): Record<string, unknown> | null {
  // Every optimizer but SGD (whose lr is required) defaults its options argument to {}.
  const given = options === undefined && rule !== 'SGD' ? {} : options;
  if (given === null || typeof given !== 'object' || Array.isArray(given)) return null;
  const table = tables[rule];
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) if (!Object.hasOwn(table, key) && key !== 'nonFinite') return null;
  for (const [key, rule_] of Object.entries(table)) {
    const v = (given as Record<string, unknown>)[key];
    const value = v === undefined ? (key === 'lr' && rule === 'SGD' ? undefined : rule_.default) : v;
    if (value === undefined || !rule_.ok(value)) return null;
    out[key] = value;
  }
  if (rule === 'SGD' && out['nesterov'] === true && ((out['momentum'] as number) <= 0 || out['dampening'] !== 0))
    return null;
  const nonFinite = (given as Record<string, unknown>)['nonFinite'];
  if (nonFinite !== undefined && nonFinite !== 'throw' && nonFinite !== 'skip') return null;
  return out;
}
