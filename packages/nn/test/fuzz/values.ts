/**
 * fast-check arbitraries for fuzzing a public API from untyped JavaScript:
 * tensors of any small shape (0-d, 0-sized axes) and dtype holding any
 * number (NaN, ±Infinity, -0, huge), and the other values a caller can pass
 * where a tensor, a size or an options object is expected.
 */
import fc, { type Arbitrary } from 'fast-check';
import { Generator, Tensor, tensor, type DType } from '@chainrule/core';

export const dtypes: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

/** Numbers a float tensor may hold, biased toward ordinary ones but with every special value. */
export const arbNumber: Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -4, max: 4, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e30, -1e30, 3e38, 1e-45, 1e4, -1e4) },
  { weight: 1, arbitrary: fc.double() },
);

/** Finite, moderate numbers, for values whose reference must not overflow. */
export const arbFinite: Arbitrary<number> = fc.double({ min: -4, max: 4, noNaN: true });

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** A shape of rank 0..maxRank with axes of size minDim..4. */
export function arbShape(options: { minRank?: number; maxRank?: number; minDim?: number } = {}): Arbitrary<number[]> {
  return fc.array(fc.integer({ min: options.minDim ?? 0, max: 4 }), {
    minLength: options.minRank ?? 0,
    maxLength: options.maxRank ?? 3,
  });
}

/** A tensor of `shape` and `dtype` with values from `values` (0/1 for bool, truncated for int32). */
export function arbTensorOf(
  shape: readonly number[],
  dtype: DType,
  values: Arbitrary<number> = arbNumber,
): Arbitrary<Tensor> {
  const n = sizeOf(shape);
  const element =
    dtype === 'bool' ? fc.constantFrom(0, 1) : dtype === 'int32' ? fc.integer({ min: -5, max: 5 }) : values;
  return fc.array(element, { minLength: n, maxLength: n }).map((xs) => tensor(Float64Array.from(xs), { shape, dtype }));
}

/** A float tensor (float32 or float64) of `shape`. */
export function arbFloatTensorOf(shape: readonly number[], values: Arbitrary<number> = arbNumber): Arbitrary<Tensor> {
  return fc.constantFrom<DType>('float32', 'float64').chain((dtype) => arbTensorOf(shape, dtype, values));
}

/** Any tensor: any small shape, any dtype, any values. */
export const arbAnyTensor: Arbitrary<Tensor> = fc
  .tuple(arbShape(), fc.constantFrom(...dtypes))
  .chain(([shape, dtype]) => arbTensorOf(shape, dtype));

/** Values an untyped caller may pass instead of the right thing (never a Tensor). */
export const arbJunk: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    undefined,
    true,
    false,
    '',
    'abc',
    '2',
    'mean',
    0,
    -1,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 53,
    1e12,
    -0,
  ),
  fc.constant(10n),
  fc.constant(Symbol('junk')),
  fc.constant(() => 1),
  fc.constant([]),
  fc.constant([1, 2]),
  fc.constant([
    [1, 2],
    [3, 4],
  ]),
  fc.constant({}),
  fc.constant({ shape: [2], data: [1, 2] }),
  fc.constant(Object.create(null) as object),
  fc.constant(new Float32Array(2)),
  fc.constant(new Map()),
  fc.constant(new Date(0)),
);

/** A tensor argument from an untyped caller: a tensor of any kind, or junk. */
export const arbTensorArgument: Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: arbAnyTensor },
  { weight: 1, arbitrary: arbJunk },
);

/** A layer size: mostly valid (1..4), otherwise zero, negative, fractional, huge, NaN or not a number. */
export const arbSize: Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 1, arbitrary: arbJunk },
);

/** Keys no nn function takes: a misspelt option, and names of Object.prototype's members. */
const arbForeignKey = fc.constantFrom('reducton', 'batchsize', 'activaton', 'toString', 'constructor');

/**
 * An options argument: absent, an object built from `fields`, the same with
 * a key the function does not take, or junk in its place.
 */
export function arbOptions<T extends object>(fields: { [K in keyof T]: Arbitrary<unknown> }): Arbitrary<unknown> {
  const record = fc.record(fields as Record<string, Arbitrary<unknown>>, { requiredKeys: [] });
  const withForeign = fc.tuple(record, arbForeignKey).map(([r, key]) => ({ ...r, [key]: 1 }));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 4, arbitrary: record },
    { weight: 1, arbitrary: withForeign },
    { weight: 1, arbitrary: arbJunk },
  );
}

/** A plain object keeps only the keys `keep` allows (so that a property's valid cases stay common); anything else is returned as it is. */
export function filterKeys(x: unknown, keep: (key: string) => boolean): unknown {
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return x;
  return Object.fromEntries(Object.entries(x).filter(([k]) => keep(k)));
}

/** A valid value most of the time, junk otherwise. */
export function validOrJunk<T>(valid: Arbitrary<T>): Arbitrary<unknown> {
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: arbJunk });
}

/** A generator option: a seeded Generator, or junk. */
export const arbGenerator: Arbitrary<unknown> = validOrJunk(
  fc.integer({ min: 0, max: 1000 }).map((seed) => new Generator(seed)),
);

/**
 * True for undefined or a non-array, non-null object whose own keys are all
 * in `accepted`: what an options argument may be (the documented rule:
 * an unknown key is refused, not ignored).
 */
export function isOptionsObject(x: unknown, accepted: readonly string[]): x is Record<string, unknown> | undefined {
  if (x === undefined) return true;
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).every((k) => accepted.includes(k));
}

/** The field `key` of options that passed {@link isOptionsObject}. */
export function field(options: unknown, key: string): unknown {
  const plain = options !== null && typeof options === 'object' && !Array.isArray(options);
  return plain ? (options as Record<string, unknown>)[key] : undefined;
}

export function isFloat(t: Tensor): boolean {
  return t.dtype === 'float32' || t.dtype === 'float64';
}

export function isPositiveInteger(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1;
}
