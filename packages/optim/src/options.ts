/**
 * Option tables: each optimizer declares, per option, what it accepts and its
 * default, once. The same table validates the constructor's options, every
 * parameter group, the groups again at each step (users may have changed
 * them), and the groups of a loaded state dict, so all four refuse the same
 * values with the same message.
 */
import { ArgumentError } from '@chainrule/core';
import { badOptionMessage, checkOptionKeys } from '@chainrule/core/internal';

/** What one option accepts: a test, the words for the error message, and a default. */
export interface OptionRule<V> {
  /** Completes "must be ...", e.g. "a finite number ≥ 0". */
  readonly accepts: string;
  readonly test: (value: unknown) => boolean;
  /** Absent when the option is required. */
  readonly default?: V;
}

/** One rule per option of O; a missing rule does not compile. */
export type OptionTable<O> = { readonly [K in keyof O]-?: OptionRule<O[K]> };

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A finite number ≥ 0 (learning rates, momentum, weight decay, eps, ...). */
export function nonNegative(defaultValue?: number): OptionRule<number> {
  return withDefault({ accepts: 'a finite number ≥ 0', test: (v) => isFiniteNumber(v) && v >= 0 }, defaultValue);
}

/** Any finite number. */
export function finiteNumber(defaultValue?: number): OptionRule<number> {
  return withDefault({ accepts: 'a finite number', test: isFiniteNumber }, defaultValue);
}

/** A finite number in [0, 1]. */
export function unitInterval(defaultValue?: number): OptionRule<number> {
  return withDefault(
    { accepts: 'a number in [0, 1]', test: (v) => isFiniteNumber(v) && v >= 0 && v <= 1 },
    defaultValue,
  );
}

/** A finite number > 0. */
export function positive(defaultValue?: number): OptionRule<number> {
  return withDefault({ accepts: 'a finite number > 0', test: (v) => isFiniteNumber(v) && v > 0 }, defaultValue);
}

/** An integer ≥ min (counts of epochs, steps, ...). */
export function integerAtLeast(min: number, defaultValue?: number): OptionRule<number> {
  return withDefault(
    { accepts: `an integer ≥ ${min}`, test: (v) => Number.isSafeInteger(v) && (v as number) >= min },
    defaultValue,
  );
}

/** One of a few strings. */
export function oneOf<V extends string>(values: readonly V[], defaultValue: V): OptionRule<V> {
  return {
    accepts: values.map((v) => JSON.stringify(v)).join(' or '),
    test: (v) => typeof v === 'string' && (values as readonly string[]).includes(v),
    default: defaultValue,
  };
}

/** true or false (worded as core's and nn's boolean options are). */
export function flag(defaultValue: boolean): OptionRule<boolean> {
  return { accepts: 'true or false', test: (v) => typeof v === 'boolean', default: defaultValue };
}

/** Adam's [beta1, beta2]: two numbers in [0, 1). */
export function betaPair(defaultValue: readonly [number, number]): OptionRule<readonly [number, number]> {
  const inRange = (v: unknown) => isFiniteNumber(v) && v >= 0 && v < 1;
  return {
    accepts: 'a pair [beta1, beta2] of numbers in [0, 1)',
    test: (v) => Array.isArray(v) && v.length === 2 && v.every(inRange),
    default: defaultValue,
  };
}

function withDefault<V>(rule: OptionRule<V>, defaultValue: V | undefined): OptionRule<V> {
  return defaultValue === undefined ? rule : { ...rule, default: defaultValue };
}

/** Copies an option value, so no two groups (or a group and a state dict) share an array. */
export function copyValue<V>(value: V): V {
  return (Array.isArray(value) ? [...(value as unknown[])] : value) as V;
}

/** Where an option came from, for messages: "", " (param group 1)", ... */
export type Where = string;

/** The option table of an optimizer or scheduler, and its cross-option check. */
export interface OptionRules<O> {
  readonly options: OptionTable<O>;
  /** What is wrong across options, or null (method syntax keeps rules of different O assignable to one type). */
  check?(options: O): string | null;
}

function rulesOf<O>(rules: OptionRules<O>): [string, OptionRule<unknown>][] {
  return Object.entries(rules.options) as [string, OptionRule<unknown>][];
}

/**
 * The full options of one group: each key from `given`, else from `fallback`,
 * else the table's default; every value checked. `given` may hold only the
 * table's keys.
 */
export function resolveOptions<O extends object>(
  op: string,
  rules: OptionRules<O>,
  given: object,
  fallback: Partial<O>,
  where: Where,
  alsoAccepted: readonly string[] = [],
): O {
  // `alsoAccepted`: keys the caller has taken out of `given` already (the
  // constructor's nonFinite), listed so that the message names every option.
  checkOptionKeys(op, given, [...Object.keys(rules.options), ...alsoAccepted], where);
  const out: Record<string, unknown> = {};
  for (const [key, rule] of rulesOf(rules)) {
    const value = firstDefined(
      (given as Record<string, unknown>)[key],
      (fallback as Record<string, unknown>)[key],
      rule.default,
    );
    if (value === undefined)
      throw new ArgumentError(op, `option '${key}' is required${where}; it must be ${rule.accepts}`);
    if (!rule.test(value)) throw new ArgumentError(op, badOptionMessage(key, rule.accepts, value, where));
    out[key] = copyValue(value);
  }
  const options = out as O;
  const problem = rules.check?.(options) ?? null;
  if (problem !== null) throw new ArgumentError(op, `${problem}${where}`);
  return options;
}

// Only undefined means "absent": an explicit null is a value, and is refused.
function firstDefined(...values: unknown[]): unknown {
  return values.find((v) => v !== undefined);
}

/** Checks the values a group holds now (they are public and mutable), without copying. */
export function checkOptions<O extends object>(op: string, rules: OptionRules<O>, group: O, where: Where): void {
  for (const [key, rule] of rulesOf(rules)) {
    const value = (group as Record<string, unknown>)[key];
    if (!rule.test(value)) throw new ArgumentError(op, badOptionMessage(key, rule.accepts, value, where));
  }
  const problem = rules.check?.(group) ?? null;
  if (problem !== null) throw new ArgumentError(op, `${problem}${where}`);
}
