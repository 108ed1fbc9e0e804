/**
 * Checks shared by nn's public functions for arguments that untyped
 * JavaScript may pass: an options argument that is not an object, a
 * generator that is not a Generator, and a way to show any value in an error
 * message. `String(x)` and `JSON.stringify(x)` are not safe for that: they
 * throw a TypeError for a null-prototype object (String), a Symbol inside a
 * template, or a BigInt (JSON), which would hide the real mistake.
 */
import { ArgumentError, Generator } from '@chainrule/core';

const shownLength = 60;

/**
 * A short, never-throwing description of any value for an error message:
 * numbers, booleans, null and undefined as themselves, strings quoted,
 * arrays and objects by kind.
 */
export function describe(x: unknown): string {
  switch (typeof x) {
    case 'number':
      return Object.is(x, -0) ? '-0' : String(x);
    case 'string':
      return JSON.stringify(x.length > shownLength ? `${x.slice(0, shownLength)}…` : x);
    case 'bigint':
      return `the BigInt ${x.toString()}n`;
    case 'symbol':
      return x.toString();
    case 'boolean':
    case 'undefined':
      return String(x);
    case 'function':
      return 'a function';
    default:
      return describeObject(x as object | null);
  }
}

function describeObject(x: object | null): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  const ctor: unknown = Object.getPrototypeOf(x)?.constructor;
  const name = typeof ctor === 'function' ? ctor.name : '';
  return name === '' || name === 'Object' ? 'an object' : `a ${name}`;
}

/** A list of numbers for a message, shortened past a few entries: `[1, 2, …, 9] (40 entries)`. */
export function describeList(xs: readonly unknown[]): string {
  const shown = xs.length > 8 ? [...xs.slice(0, 6).map(describe), '…', describe(xs[xs.length - 1])] : xs.map(describe);
  return `[${shown.join(', ')}]${xs.length > 8 ? ` (${xs.length} entries)` : ''}`;
}

/**
 * The options argument as a record: undefined gives `{}`; anything that is
 * not a plain object (null, a string, a number, an array) is refused.
 */
export function optionsObject<T extends object>(op: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError(op, `options must be an object like { name: value }, got ${describe(options)}`);
  }
  return options;
}

/**
 * An option's value, or `fallback` when it is absent. Only undefined means
 * absent: an explicit null is a value, and the option's check refuses it
 * (as `??` would not).
 */
export function valueOr<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** Throws unless `generator` is undefined or a core Generator. */
export function checkGenerator(op: string, generator: unknown): Generator | undefined {
  if (generator === undefined || generator instanceof Generator) return generator;
  throw new ArgumentError(op, `generator must be a Generator from @chainrule/core (new Generator(seed)), got ${describe(generator)}`);
}
