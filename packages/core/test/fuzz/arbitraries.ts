/**
 * What the fuzzers feed the public API. Arguments are generated as `Thunk`s:
 * a recipe that builds a fresh argument for each call (tensors get mutated
 * by in-place ops) and prints as the code that builds it, so a shrunk
 * counterexample reads as a call one can paste.
 */
import fc from 'fast-check';
import { ChainruleError, Tensor, tensor, value, type DType } from '../../src/index';
import { CallbackError } from './contract';

/** A recipe for one argument, printed as the code that makes it. */
export interface Thunk {
  make(): unknown;
  readonly code: string;
}

export function thunk(code: string, make: () => unknown): Thunk {
  return { make, code, [fc.toStringMethod]: () => code } as Thunk;
}

const literal = (x: unknown, code: string) => thunk(code, () => x);

export const dtypes: readonly DType[] = ['float32', 'float64', 'int32', 'int16', 'int8', 'uint8', 'bool'];

/** A tensor description: shape, dtype, row-major values, requiresGrad. */
export interface TensorSpec {
  shape: number[];
  dtype: DType;
  values: number[];
  requiresGrad: boolean;
}

export function build(spec: TensorSpec): Tensor {
  // The values are small integers for the integer dtypes and 0/1 for bool,
  // so converting them from float64 is exact.
  return tensor(Float64Array.from(spec.values), {
    shape: spec.shape,
    dtype: spec.dtype,
    requiresGrad: spec.requiresGrad,
  });
}

export function specCode(s: TensorSpec): string {
  const values = `[${s.values.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(', ')}]`;
  return `tensor(${values}, { shape: ${JSON.stringify(s.shape)}, dtype: '${s.dtype}'${s.requiresGrad ? ', requiresGrad: true' : ''} })`;
}

const special = fc.constantFrom(NaN, Infinity, -Infinity, 0, -0);

/** An element of a float tensor: mostly small and exact, sometimes any double, sometimes NaN/±Infinity/±0. */
export const arbElement = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -8, max: 8 }).map((k) => k / 2) },
  { weight: 2, arbitrary: fc.double({ min: -20, max: 20, noNaN: true }) },
  { weight: 1, arbitrary: special },
);

/** Elements of a tensor full of NaN, ±Infinity and ±0 (half of them): NaN-handling bugs show in a few runs. */
const arbSpecialHeavy = fc.oneof(arbElement, special);

function valuesFor(dtype: DType, size: number): fc.Arbitrary<number[]> {
  const of = (element: fc.Arbitrary<number>) => fc.array(element, { minLength: size, maxLength: size });
  if (dtype === 'bool') return of(fc.constantFrom(0, 1));
  if (dtype === 'uint8') return of(fc.integer({ min: 0, max: 10 }));
  if (dtype === 'int32' || dtype === 'int16' || dtype === 'int8') return of(fc.integer({ min: -5, max: 5 }));
  return fc.oneof({ weight: 3, arbitrary: of(arbElement) }, { weight: 1, arbitrary: of(arbSpecialHeavy) });
}

export interface SpecOptions {
  maxRank?: number;
  maxDim?: number;
  /** Only these dtypes (default: all four). */
  dtypes?: readonly DType[];
  /** Probability-ish weight of requiresGrad on float tensors (default: half of them). */
  grad?: boolean;
}

/** A small tensor of any dtype and rank, 0-sized dimensions included. */
export function arbSpec(options: SpecOptions = {}): fc.Arbitrary<TensorSpec> {
  const { maxRank = 3, maxDim = 3, dtypes: allowed = dtypes, grad = true } = options;
  const dim = fc.oneof(
    { weight: 1, arbitrary: fc.constant(0) },
    { weight: 6, arbitrary: fc.integer({ min: 1, max: maxDim }) },
  );
  return fc
    .tuple(fc.array(dim, { maxLength: maxRank }), fc.constantFrom(...allowed), fc.boolean())
    .chain(([shape, dtype, requiresGrad]) =>
      valuesFor(
        dtype,
        shape.reduce((a, b) => a * b, 1),
      ).map((values) => ({
        shape,
        dtype,
        values,
        requiresGrad: grad && requiresGrad && (dtype === 'float32' || dtype === 'float64'),
      })),
    );
}

export function arbTensorThunk(options: SpecOptions = {}): fc.Arbitrary<Thunk> {
  return arbSpec(options).map((s) => thunk(specCode(s), () => build(s)));
}

/** An int32 index tensor (values -1..4, so some are out of range). */
export const arbIndexThunk = fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }).chain((shape) => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.integer({ min: -1, max: 4 }), { minLength: size, maxLength: size })
    .map((values) =>
      thunk(`tensor(new Int32Array(${JSON.stringify(values)}), { shape: ${JSON.stringify(shape)} })`, () =>
        tensor(Int32Array.from(values), { shape }),
      ),
    );
});

/**
 * A plausible number argument: a small multiple of 1/4. (Tiny doubles are
 * left to the hostile values: as arange's step they ask for 10⁸ elements,
 * which is allowed and merely slow.)
 */
export const arbNumberThunk = fc.integer({ min: -16, max: 16 }).map((k) => literal(k / 4, String(k / 4)));

/** A plausible axis. */
export const arbAxisThunk = fc.integer({ min: -4, max: 3 }).map((a) => literal(a, String(a)));

/** A plausible shape argument (-1 allowed: reshape and expand take it). */
export const arbShapeThunk = fc
  .array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 })
  .map((s) => thunk(JSON.stringify(s), () => s.slice()));

export const arbBoolThunk = fc.boolean().map((b) => literal(b, String(b)));

const named = (code: string, make: () => unknown) => fc.constant(thunk(code, make));

/**
 * Arguments an untyped JavaScript caller might pass by mistake: every
 * primitive kind, non-finite and fractional and huge numbers, arrays that
 * are not tensors (ragged, rank 40, of strings), objects with wrong fields,
 * functions, Values where tensors are expected, tensors where numbers are
 * expected, and typed arrays of kinds chainrule does not store.
 */
export const arbHostile: fc.Arbitrary<Thunk> = fc.oneof(
  fc.constantFrom(
    ...(
      [
        ['x', "'x'"],
        ['', "''"],
        ['3', "'3'"],
        ['float16', "'float16'"],
        [null, 'null'],
        [undefined, 'undefined'],
        [true, 'true'],
        [false, 'false'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        [-Infinity, '-Infinity'],
        [-1, '-1'],
        [0.5, '0.5'],
        [-0, '-0'],
        // 2³² rather than 2³¹: arange(33, 2³¹) asks for 2³¹ - 33 elements, which is allowed (8 GB, and
        // seconds to fill): a size past the limit must be refused, one under it honoured.
        [2 ** 32, '2 ** 32'],
        [2 ** 53, '2 ** 53'],
        [1e300, '1e300'],
        [33, '33'],
        [-40, '-40'],
        [1n, '1n'],
        [Symbol('s'), "Symbol('s')"],
      ] as const
    ).map(([x, code]) => literal(x, code)),
  ),
  fc.constantFrom(
    thunk('[]', () => []),
    thunk('[1, 2]', () => [1, 2]),
    thunk('[[1], [2, 3]]', () => [[1], [2, 3]]),
    thunk('[-1]', () => [-1]),
    thunk('[0.5]', () => [0.5]),
    thunk('[NaN]', () => [NaN]),
    thunk("['a']", () => ['a']),
    thunk('[null]', () => [null]),
    thunk('[1n]', () => [1n]),
    thunk('Array(40).fill(1)', () => new Array<number>(40).fill(1)),
    thunk('[2 ** 31]', () => [2 ** 31]),
    thunk('{}', () => ({})),
    thunk("{ dtype: 'float16' }", () => ({ dtype: 'float16' })),
    thunk("{ requiresGrad: 'yes' }", () => ({ requiresGrad: 'yes' })),
    thunk('{ shape: [-1] }', () => ({ shape: [-1] })),
    thunk('{ maxNodes: -1 }', () => ({ maxNodes: -1 })),
    thunk("{ argnums: 'x' }", () => ({ argnums: 'x' })),
    thunk("{ gradOutput: 'x' }", () => ({ gradOutput: 'x' })),
    thunk('{ generator: {} }', () => ({ generator: {} })),
    thunk('Object.create(null)', () => Object.create(null) as unknown),
    thunk('new Map()', () => new Map()),
    thunk('new Date(0)', () => new Date(0)),
    thunk('new Float32Array(3)', () => new Float32Array(3)),
    thunk('new Int8Array(2)', () => new Int8Array(2)),
    thunk('new BigInt64Array(1)', () => new BigInt64Array(1)),
    thunk('() => 1', () => () => 1),
    thunk('() => undefined', () => () => undefined),
    thunk('(x) => x', () => (x: unknown) => x),
    thunk('() => { throw new CallbackError() }', () => () => {
      throw new CallbackError('thrown by a fuzzer callback');
    }),
    thunk('value(1)', () => value(1)),
    thunk('value(-2).log()', () => value(-2).log()),
    thunk('tensor(1)', () => tensor(1)),
    thunk('tensor([])', () => tensor([])),
    thunk('tensor([true, false])', () => tensor([true, false])),
    thunk('tensor(new Int32Array([1, 2]))', () => tensor(new Int32Array([1, 2]))),
    thunk("tensor([[1, 2]], { dtype: 'float64', requiresGrad: true })", () =>
      tensor([[1, 2]], { dtype: 'float64', requiresGrad: true }),
    ),
    thunk('tensor([1, 2], { requiresGrad: true }).mul(2)', () => tensor([1, 2], { requiresGrad: true }).mul(2)),
    thunk('tensor([NaN, Infinity])', () => tensor([NaN, Infinity])),
    thunk("[zeros([2]), 'x']", () => [tensor([0, 0]), 'x']),
  ),
);

/** A slot that is usually a plausible argument and sometimes a hostile one. */
export function slot(plausible: fc.Arbitrary<Thunk>): fc.Arbitrary<Thunk> {
  return fc.oneof({ weight: 2, arbitrary: plausible }, { weight: 1, arbitrary: arbHostile });
}

/**
 * A fuzzer's callback (a function given to grad, noGrad, a custom op). What
 * chainrule throws at the ops it calls is the callback's own business, so it
 * leaves as a CallbackError; anything raw stays raw and still fails the
 * contract.
 */
export function callback<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return f(...args);
    } catch (e) {
      if (e instanceof ChainruleError) throw new CallbackError(e.message);
      throw e;
    }
  };
}

/** A callback argument, printed as its source. */
export function callbackThunk<A extends unknown[], R>(code: string, f: (...args: A) => R): fc.Arbitrary<Thunk> {
  return named(code, () => callback(f));
}
