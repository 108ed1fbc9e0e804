/**
 * Options objects, checked the same way in core, nn and optim: anything but
 * a plain object (or undefined) is refused, and so is a key the function does
 * not know. A misspelt option (`{ batchsize: 2 }`, `{ reducton: 'sum' }`)
 * would otherwise be ignored without a word, and the run would silently use
 * the default.
 */
import { ArgumentError } from '../errors';
import { describeValue } from './describe';

/**
 * The keys an options type accepts, as an object with one entry per key: a
 * key missing from the object does not compile, so the list cannot fall
 * behind the type.
 *
 * @example
 * const accepted = { batchSize: true, shuffle: true } as const satisfies OptionKeys<LoaderOptions>;
 */
export type OptionKeys<T> = { readonly [K in keyof Required<T>]: true };

/** The message for a key the function does not take: `unknown option 'reducton'; accepted: reduction, weight`. */
export function unknownOptionMessage(key: string, accepted: readonly string[], where = ''): string {
  return `unknown option ${describeValue(key).replace(/^"|"$/g, "'")}${where}; accepted: ${accepted.length === 0 ? 'none' : accepted.join(', ')}`;
}

/** The message for an option of the wrong value: `option 'shuffle' must be true or false, got "yes"`. */
export function badOptionMessage(key: string, accepts: string, value: unknown, where = ''): string {
  return `option '${key}' must be ${accepts}${where}, got ${describeValue(value)}`;
}

/** True for what may stand as an options object: any non-null object that is not an array. */
export function isOptionsObject(x: unknown): x is object {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

/**
 * Throws an ArgumentError naming `op` unless `options` is an object whose own
 * keys are all in `accepted`.
 */
export function checkOptionKeys(op: string, options: unknown, accepted: readonly string[], where = ''): void {
  if (!isOptionsObject(options)) {
    throw new ArgumentError(
      op,
      `options must be an object like { name: value }${where}, got ${describeValue(options)}; accepted: ${accepted.join(', ')}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) throw new ArgumentError(op, unknownOptionMessage(key, accepted, where));
  }
}

/**
 * The options argument as a record: undefined gives `{}`; anything that is
 * not a plain object (null, a string, a number, an array), or that holds a
 * key not in `accepted`, is refused with an ArgumentError naming `op`.
 */
export function optionsObject<T extends object>(
  op: string,
  options: T | undefined,
  accepted: OptionKeys<T>,
): Partial<T> {
  if (options === undefined) return {};
  checkOptionKeys(op, options, Object.keys(accepted));
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

/** An optional boolean option: undefined when absent, else it must be true or false (`'yes'` and 1 are refused). */
export function optionalBoolean(op: string, key: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean')
    throw new ArgumentError(op, badOptionMessage(key, 'true or false', value));
  return value;
}

/** A boolean option: `fallback` when absent, else it must be true or false (`'yes'` and 1 are refused). */
export function booleanOption(op: string, key: string, value: unknown, fallback: boolean): boolean {
  const v = valueOr(value, fallback);
  if (typeof v !== 'boolean') throw new ArgumentError(op, badOptionMessage(key, 'true or false', v));
  return v;
}
