/**
 * fast-check arbitraries for gradient tests: shapes (alone, broadcasting
 * together, fitting a matmul), axes, and tensors whose values stay inside an
 * op's domain and away from its kinks. Every arbitrary shrinks toward small
 * shapes and values near 0, so a failure ends as a small counterexample;
 * tensors print as code that rebuilds them exactly.
 */
import fc, { type Arbitrary } from 'fast-check';
import { ArgumentError, Tensor, tensor, value, type FloatDType, type Shape, type Value } from '../index';
import { tensorSource } from './numbers';

/** Bounds of {@link arbShape}. */
export interface ShapeOptions {
  /** Fewest dimensions (default 0: scalars included). */
  minRank?: number;
  /** Most dimensions (default 3). */
  maxRank?: number;
  /** Smallest size of a dimension (default 1; 0 allows empty tensors). */
  minDim?: number;
  /** Largest size of a dimension (default 4). */
  maxDim?: number;
}

function integerOption(op: string, name: string, v: number | undefined, fallback: number, min: number): number {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < min)
    throw new ArgumentError(op, `${name} must be an integer ≥ ${min}, got ${String(v)}`);
  return x;
}

function shapeBounds(op: string, o: ShapeOptions) {
  const minRank = integerOption(op, 'minRank', o.minRank, 0, 0);
  const maxRank = integerOption(op, 'maxRank', o.maxRank, Math.max(3, minRank), 0);
  const minDim = integerOption(op, 'minDim', o.minDim, 1, 0);
  const maxDim = integerOption(op, 'maxDim', o.maxDim, Math.max(4, minDim), 0);
  if (minRank > maxRank) throw new ArgumentError(op, `minRank ${minRank} is above maxRank ${maxRank}`);
  if (minDim > maxDim) throw new ArgumentError(op, `minDim ${minDim} is above maxDim ${maxDim}`);
  return { minRank, maxRank, minDim, maxDim };
}

/**
 * Shapes: lists of `minRank..maxRank` sizes in `minDim..maxDim`.
 *
 * @example
 * arbShape({ minRank: 1, maxRank: 2, maxDim: 3 }); // [2], [3,1], [1,1], ...
 */
export function arbShape(options: ShapeOptions = {}): Arbitrary<number[]> {
  const { minRank, maxRank, minDim, maxDim } = shapeBounds('arbShape', options);
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/**
 * `n` shapes that broadcast together (NumPy's rules): each is the trailing
 * part of one common shape with some sizes replaced by 1.
 *
 * @example
 * arbBroadcastableShapes(2); // [[2,3], [3]], [[4,1,2], [3,1]], ...
 */
export function arbBroadcastableShapes<N extends number>(
  n: N,
  options: ShapeOptions = {},
): Arbitrary<TupleOf<number[], N>> {
  const count = integerOption('arbBroadcastableShapes', 'n', n, 2, 1);
  const bounds = shapeBounds('arbBroadcastableShapes', options);
  const rank = bounds.maxRank;
  const variant = fc.tuple(fc.nat(rank), fc.array(fc.boolean(), { minLength: rank, maxLength: rank }));
  return fc.tuple(arbShape(options), fc.array(variant, { minLength: count, maxLength: count })).map(
    ([full, variants]) =>
      variants.map(([drop, ones]) => {
        // Drop leading axes (never below minRank) and set some sizes to 1.
        const d = Math.min(drop, full.length - Math.min(bounds.minRank, full.length));
        return full.slice(d).map((size, i) => (ones[i + d] === true ? 1 : size));
      }) as TupleOf<number[], N>,
  );
}

/** `[T, T, T]` for N = 3 (T[] when N is not a literal). */
export type TupleOf<T, N extends number, R extends T[] = []> = number extends N
  ? T[]
  : R['length'] extends N
    ? R
    : TupleOf<T, N, [...R, T]>;

/** Options of {@link arbMatmulShapes}. */
export interface MatmulShapeOptions {
  /** Largest m, k, n and batch size (default 4). */
  maxDim?: number;
  /** Most batch axes (default 2; they broadcast between the operands). */
  maxBatchRank?: number;
  /** Whether 1-D operands (vector-matrix, matrix-vector, dot) appear (default true). */
  vectors?: boolean;
}

/**
 * Pairs of shapes `[a, b]` that `matmul(a, b)` accepts with PyTorch's rules:
 * inner dimensions agree, batch axes broadcast, and either side may be 1-D.
 *
 * @example
 * arbMatmulShapes(); // [[2,3], [3,4]], [[3], [2,3,1]], [[5,2,3], [1,3,2]], ...
 */
export function arbMatmulShapes(options: MatmulShapeOptions = {}): Arbitrary<[number[], number[]]> {
  const maxDim = integerOption('arbMatmulShapes', 'maxDim', options.maxDim, 4, 1);
  const maxBatchRank = integerOption('arbMatmulShapes', 'maxBatchRank', options.maxBatchRank, 2, 0);
  const size = fc.integer({ min: 1, max: maxDim });
  const vector = options.vectors === false ? fc.constant(false) : fc.boolean();
  return fc
    .record({
      m: size,
      k: size,
      n: size,
      batch: arbBroadcastableShapes(2, { maxRank: maxBatchRank, maxDim }),
      leftVector: vector,
      rightVector: vector,
    })
    .map(({ m, k, n, batch: [ba, bb], leftVector, rightVector }): [number[], number[]] => [
      leftVector ? [k] : [...(ba ?? []), m, k],
      rightVector ? [k] : [...(bb ?? []), k, n],
    ]);
}

/** An axis of a tensor of this rank, negative ones (counting from the end) included. */
export function arbAxis(rank: number): Arbitrary<number> {
  const r = Math.max(integerOption('arbAxis', 'rank', rank, 0, 0), 1);
  return fc.integer({ min: -r, max: r - 1 });
}

/** A non-empty sorted list of distinct axes of this rank, each written positive or negative ([] for rank 0). */
export function arbAxes(rank: number): Arbitrary<number[]> {
  const r = integerOption('arbAxes', 'rank', rank, 0, 0);
  if (r === 0) return fc.constant([]);
  const flags = fc.array(fc.boolean(), { minLength: r, maxLength: r });
  return fc.tuple(flags, flags).map(([pick, negative]) => {
    const axes = pick.flatMap((p, i) => (p ? [i] : []));
    if (axes.length === 0) axes.push(0);
    return axes.map((a) => (negative[a] === true ? a - r : a));
  });
}

/** Where and how the elements of a generated tensor (or Value) lie. */
export interface ValueRange {
  /** Smallest value (default -3). */
  min?: number;
  /** Largest value (default 3). */
  max?: number;
  /** Points to keep away from: kinks (0 for relu and abs), poles, bounds of clamp. */
  avoid?: readonly number[];
  /** How far from each `avoid` point every element stays (default 1e-3). */
  margin?: number;
}

/** Options of {@link arbTensor}. */
export interface TensorOptions extends ValueRange {
  /** A fixed shape, or an arbitrary of shapes (default `arbShape()`). */
  shape?: Shape | Arbitrary<Shape>;
  /** Element type (default 'float64', what gradient checks need). */
  dtype?: FloatDType;
  /** Every two elements differ by at least this much (no ties, for max/min); values then lie on a grid of this step. */
  minGap?: number;
  /** Make the tensors leaves that require grad (default false). */
  requiresGrad?: boolean;
}

interface Domain {
  min: number;
  max: number;
  /** Disjoint open intervals no element may fall in, sorted. */
  holes: [number, number][];
}

function domain(op: string, o: ValueRange): Domain {
  const min = o.min ?? -3;
  const max = o.max ?? 3;
  const margin = o.margin ?? 1e-3;
  if (
    typeof min !== 'number' ||
    typeof max !== 'number' ||
    !Number.isFinite(min) ||
    !Number.isFinite(max) ||
    min > max
  ) {
    throw new ArgumentError(
      op,
      `min and max must be finite numbers with min ≤ max, got ${String(o.min)} and ${String(o.max)}`,
    );
  }
  if (typeof margin !== 'number' || !(margin >= 0) || !Number.isFinite(margin)) {
    throw new ArgumentError(op, `margin must be a finite number ≥ 0, got ${String(o.margin)}`);
  }
  const points = o.avoid ?? [];
  if (!Array.isArray(points) || points.some((p) => typeof p !== 'number' || !Number.isFinite(p))) {
    throw new ArgumentError(op, `avoid must be a list of finite numbers, got ${JSON.stringify(o.avoid)}`);
  }
  const holes: [number, number][] = [];
  for (const p of [...points].sort((a, b) => a - b)) {
    const last = holes[holes.length - 1];
    if (last !== undefined && p - margin < last[1]) last[1] = p + margin;
    else holes.push([p - margin, p + margin]);
  }
  if (margin > 0 && holes.some(([lo, hi]) => lo < min && hi > max)) {
    throw new ArgumentError(
      op,
      `every value in [${min}, ${max}] is within ${margin} of a point to avoid (${points.join(', ')})`,
    );
  }
  return { min, max, holes: margin > 0 ? holes : [] };
}

/** Moves v out of any hole to the hole's nearer edge inside [min, max]. */
function pushOut(v: number, d: Domain): number {
  for (const [lo, hi] of d.holes) {
    if (v > lo && v < hi) {
      const up = hi <= d.max;
      const down = lo >= d.min;
      if (up && (!down || hi - v <= v - lo)) return hi;
      return lo;
    }
  }
  return v;
}

/**
 * Numbers spread evenly over [min, max]: multiples of a power-of-two step
 * about 2⁻²⁰ of the range. NOTE: not fc.double, which draws evenly over the
 * bit patterns of doubles, so most of its draws are tiny (1e-200) and would
 * check every op near 0 only. Integers shrink toward 0 (or the bound nearest
 * it), and the grid values are exact in float32 as well.
 */
function scalars(d: Domain): Arbitrary<number> {
  if (d.min === d.max) return fc.constant(pushOut(d.min, d));
  const step = 2 ** Math.floor(Math.log2((d.max - d.min) / 2 ** 20));
  const lo = Math.ceil(d.min / step);
  const hi = Math.floor(d.max / step);
  return fc.integer({ min: lo, max: hi }).map((k) => pushOut(k * step, d));
}

function distinctValues(op: string, count: number, d: Domain, gap: number): Arbitrary<number[]> {
  const lo = Math.ceil(d.min / gap);
  const hi = Math.floor(d.max / gap);
  const allowed = (k: number) => pushOut(k * gap, d) === k * gap;
  let capacity = 0;
  for (let k = lo; k <= hi && capacity < count; k++) if (allowed(k)) capacity++;
  if (capacity < count) {
    throw new ArgumentError(
      op,
      `cannot place ${count} values at least ${gap} apart in [${d.min}, ${d.max}] outside the avoided points; lower minGap or widen the range`,
    );
  }
  const steps = fc.integer({ min: lo, max: hi }).filter(allowed);
  return fc.uniqueArray(steps, { minLength: count, maxLength: count }).map((ks) => ks.map((k) => k * gap));
}

function printable<T extends object>(x: T, source: () => string): T {
  Object.defineProperty(x, fc.toStringMethod, { value: source });
  return x;
}

function sizeOf(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Tensors with values in [min, max], at least `margin` away from every
 * point in `avoid`; float64 unless `dtype` says otherwise.
 *
 * @example
 * arbTensor({ min: 0.1, max: 10 });                 // inputs of log
 * arbTensor({ shape: [3, 4], avoid: [0] });          // inputs of relu, not at its kink
 * arbTensor({ shape: arbShape({ minRank: 1 }), minGap: 1e-3 }); // no ties for max
 */
export function arbTensor(options: TensorOptions = {}): Arbitrary<Tensor> {
  const op = 'arbTensor';
  const d = domain(op, options);
  const dtype = options.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new ArgumentError(op, `dtype must be 'float32' or 'float64', got ${String(dtype)}`);
  const gap = options.minGap;
  if (gap !== undefined && (typeof gap !== 'number' || !(gap > 0) || !Number.isFinite(gap))) {
    throw new ArgumentError(op, `minGap must be a finite number > 0, got ${String(gap)}`);
  }
  const make = (shape: Shape, list: readonly number[]) => {
    const size = sizeOf(shape);
    const data = new Float64Array(size);
    for (let i = 0; i < size; i++) data[i] = list[i % list.length] as number;
    const t = tensor(data, { shape, dtype, requiresGrad: options.requiresGrad ?? false });
    return printable(t, () => tensorSource(t));
  };
  const given = options.shape;
  if (given !== undefined && !isArbitrary(given)) {
    const count = sizeOf(given);
    const values =
      gap === undefined
        ? fc.array(scalars(d), { minLength: count, maxLength: count })
        : distinctValues(op, count, d, gap);
    return values.map((list) => make(given, list));
  }
  const shapes = given ?? arbShape();
  if (gap !== undefined)
    return shapes.chain((shape) => distinctValues(op, sizeOf(shape), d, gap).map((list) => make(shape, list)));
  // Shape and values are drawn independently (no chain), so each shrinks on
  // its own: dropping values moves a failing one to the front, and the shape
  // can then shrink to a single element. Tensors larger than the list repeat
  // it; ties are then possible, which is what minGap is for.
  const values = fc.array(scalars(d), { minLength: 1, maxLength: valueListLength, size: 'max' });
  return fc.tuple(shapes, values).map(([shape, list]) => make(shape, list));
}

/** How many values a tensor of generated shape draws (larger tensors repeat them). */
const valueListLength = 64;

/**
 * Several tensors at once, with shapes from one arbitrary (such as
 * `arbBroadcastableShapes(2)` or `arbMatmulShapes()`); `options` applies to
 * all of them, or is given per tensor.
 *
 * @example
 * arbTensors(arbMatmulShapes()); // [a, b] that matmul accepts
 */
export function arbTensors<S extends readonly Shape[]>(
  shapes: Arbitrary<S>,
  options: Omit<TensorOptions, 'shape'> | readonly Omit<TensorOptions, 'shape'>[] = {},
): Arbitrary<{ -readonly [K in keyof S]: Tensor }> {
  // The tuple of tensors has one entry per shape, which is what the mapped type says.
  return shapes.chain(
    (list) =>
      fc.tuple(
        ...list.map((shape, i) => arbTensor({ ...(Array.isArray(options) ? options[i] : options), shape })),
      ) as Arbitrary<{
        -readonly [K in keyof S]: Tensor;
      }>,
  );
}

/**
 * Values (scalar graph leaves) in [min, max], away from the `avoid` points.
 *
 * @example
 * gradientProperty((a, b) => a.mul(b).tanh(), [arbValue(), arbValue()]);
 */
export function arbValue(options: ValueRange = {}): Arbitrary<Value> {
  return scalars(domain('arbValue', options)).map((x) => {
    const v = value(x);
    return printable(v, () => `value(${Object.is(x, -0) ? '-0' : String(x)})`);
  });
}

function isArbitrary(x: unknown): x is Arbitrary<Shape> {
  return x instanceof fc.Arbitrary;
}
