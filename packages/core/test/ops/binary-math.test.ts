/**
 * The binary math ops, lerp, clamp with tensor bounds and the value tests
 * against PyTorch 1.13 (fixtures/binary-math.json, written by
 * fixtures/binary-math.py): float64 values to a few ulps, float32 values,
 * and float64 gradients for PyTorch's upstream gradient, on grids of special
 * values (±0, ±Infinity, NaN, huge, tiny, subnormal), broadcasting shapes, and
 * random operands over many orders of magnitude.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  ShapeError,
  atan2,
  binaryMathOps,
  clamp,
  copysign,
  floorDivide,
  fmax,
  fmin,
  fmod,
  hypot,
  isclose,
  isfinite,
  isinf,
  isnan,
  isneginf,
  isposinf,
  lerp,
  logaddexp,
  logaddexp2,
  maximum,
  minimum,
  nanToNum,
  remainder,
  tensor,
  xlogy,
  type DType,
  type Tensor,
} from '../../src/index';
import fixture from './fixtures/binary-math.json';

type Packed = { shape: number[]; data: (number | string)[] };
type Arg = Packed | string | number | null;
type Params = Record<string, number | boolean>;
interface Case {
  op: string;
  kind: string;
  args: Arg[];
  params?: Params;
  float64: Packed;
  float32?: Packed;
  gout?: Packed;
  grads?: (Packed | null)[];
  exact?: Packed;
  signedZeros?: boolean;
}

const cases = fixture.cases as Case[];
const inputs = fixture.inputs as Record<string, Packed>;

/** A fixture number: "NaN", "Infinity" and "-Infinity" are strings in JSON. */
const numberOf = (v: number | string): number => (typeof v === 'string' ? Number(v) : v);
const valuesOf = (p: Packed): number[] => p.data.map(numberOf);

function build(arg: Arg, dtype: DType, requiresGrad: boolean): Tensor | number | null {
  if (arg === null || typeof arg === 'number') return arg;
  const p = typeof arg === 'string' ? (inputs[arg] as Packed) : arg;
  return tensor(new Float64Array(valuesOf(p)), { shape: p.shape, dtype, requiresGrad });
}

type Operand = Tensor | number | null;
function t(x: Operand | undefined): Tensor | number {
  if (x === null || x === undefined) throw new Error('the fixture lacks an operand');
  return x;
}

/** How chainrule calls each op of the fixture. */
const calls: Record<string, (args: Operand[], params: Params) => Tensor> = {
  atan2: ([a, b]) => atan2(t(a), t(b)),
  copysign: ([a, b]) => copysign(t(a), t(b)),
  hypot: ([a, b]) => hypot(t(a), t(b)),
  logaddexp: ([a, b]) => logaddexp(t(a), t(b)),
  logaddexp2: ([a, b]) => logaddexp2(t(a), t(b)),
  xlogy: ([a, b]) => xlogy(t(a), t(b)),
  remainder: ([a, b]) => remainder(t(a), t(b)),
  fmod: ([a, b]) => fmod(t(a), t(b)),
  floorDivide: ([a, b]) => floorDivide(t(a), t(b)),
  maximum: ([a, b]) => maximum(t(a), t(b)),
  minimum: ([a, b]) => minimum(t(a), t(b)),
  fmax: ([a, b]) => fmax(t(a), t(b)),
  fmin: ([a, b]) => fmin(t(a), t(b)),
  lerp: ([s, e, w], p) => lerp(t(s), t(e), w === undefined ? (p.weight as number) : t(w)),
  clamp: ([x, lo, hi]) => clamp(t(x), lo ?? null, hi ?? null),
  isnan: ([x]) => isnan(t(x)),
  isinf: ([x]) => isinf(t(x)),
  isfinite: ([x]) => isfinite(t(x)),
  isposinf: ([x]) => isposinf(t(x)),
  isneginf: ([x]) => isneginf(t(x)),
  isclose: ([a, b], p) => isclose(t(a), t(b), p),
  nanToNum: ([x], p) => nanToNum(t(x), p),
};

/**
 * Allowed distance from PyTorch in ulps, for float64 values, float32 values
 * and float64 gradients, and from the true value (random cases). 0 where
 * both compute the same IEEE operations (fmod, comparisons, one rounding);
 * more where a libm function (atan2, log, exp) of JavaScript and of
 * glibc/SLEEF may round differently, or where gradients are summed over
 * broadcast axes in another order.
 */
interface Tolerance {
  f64: number;
  f32: number;
  grad: number;
  exact?: number;
  /**
   * |∂f/∂xᵢ| for element i's operands: these ops add a small correction to
   * an operand, and where the two nearly cancel (logaddexp2(-3.6, -0.115) =
   * 0.0073) an ulp of the correction is many ulps of the result, which the
   * problem's own condition allows. So the allowed error is also `ulps` times
   * Σ |∂f/∂xᵢ|·ulp(xᵢ): what an ulp of change in the operands moves f by.
   */
  sensitivity?: (operands: number[]) => number[];
  /**
   * An absolute error PyTorch's own result may have: 1.13's logaddexp
   * computes log(1 + e^-|a-b|), whose rounding of 1 + x costs up to 2⁻⁵³ (so
   * its logaddexp(0, -40) is 0, where chainrule's log1p gives 4.2e-18, the
   * true value); in float32, 2⁻²⁴.
   */
  pytorchAbs?: [f64: number, f32: number];
}

const softmaxWeights =
  (base: number) =>
  ([a, b]: number[]) => {
    const wa = 1 / (1 + base ** ((b as number) - (a as number)));
    return [wa, 1 - wa];
  };

const tolerances: Record<string, Tolerance> = {
  atan2: { f64: 1, f32: 1, grad: 2, exact: 1 },
  copysign: { f64: 0, f32: 0, grad: 0, exact: 0 },
  hypot: { f64: 0, f32: 1, grad: 2, exact: 0 },
  logaddexp: {
    f64: 1,
    f32: 1,
    grad: 2,
    exact: 1,
    sensitivity: softmaxWeights(Math.E),
    pytorchAbs: [2 ** -52, 2 ** -23],
  },
  logaddexp2: { f64: 1, f32: 1, grad: 2, exact: 2, sensitivity: softmaxWeights(2), pytorchAbs: [2 ** -51, 2 ** -22] },
  xlogy: { f64: 2, f32: 1, grad: 2, exact: 2 },
  remainder: { f64: 0, f32: 0, grad: 0, exact: 0 },
  fmod: { f64: 0, f32: 0, grad: 0, exact: 0 },
  // float32: PyTorch divides in float32, chainrule in float64 (rounded once): 1 float32 ulp apart for quotients past 2²³.
  floorDivide: { f64: 0, f32: 1, grad: 0, exact: 0 },
  maximum: { f64: 0, f32: 0, grad: 0 },
  minimum: { f64: 0, f32: 0, grad: 0 },
  fmax: { f64: 0, f32: 0, grad: 0 },
  fmin: { f64: 0, f32: 0, grad: 0 },
  // float32: PyTorch rounds end - start and 1 - w to float32, chainrule keeps them in float64.
  lerp: {
    f64: 0,
    f32: 2,
    grad: 2,
    sensitivity: ([s, e, w]) => [
      Math.abs(1 - (w as number)),
      Math.abs(w as number),
      Math.abs((e as number) - (s as number)),
    ],
  },
  clamp: { f64: 0, f32: 0, grad: 0 },
  nanToNum: { f64: 0, f32: 0, grad: 0 },
};

const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Doubles (or floats) as integers in their order, so the difference of two is their distance in ulps. */
function ordered(x: number, single: boolean): bigint {
  if (single) {
    f32[0] = x;
    const i = i32[0] as number;
    return BigInt(i < 0 ? -(i & 0x7fffffff) : i);
  }
  f64[0] = x;
  const i = i64[0] as bigint;
  return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
}

/** Distance in ulps; Infinity when one side is NaN or infinite and the other differs. */
function ulpDistance(actual: number, expected: number, single: boolean): number {
  if (Number.isNaN(expected) || Number.isNaN(actual))
    return Number.isNaN(expected) && Number.isNaN(actual) ? 0 : Infinity;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return actual === expected ? 0 : Infinity;
  const d = ordered(actual, single) - ordered(expected, single);
  return Number(d < 0n ? -d : d);
}

interface Mismatch {
  index: number;
  actual: number;
  expected: number;
}

/** The spacing of float64 (or float32) numbers at x, an ulp; 0 for 0 and non-finite x. */
function ulpOf(x: number, single = false): number {
  if (x === 0 || !Number.isFinite(x)) return 0;
  return 2 ** (Math.floor(Math.log2(Math.abs(x))) - (single ? 23 : 52));
}

/** What may separate element i from its expected value besides `ulps` ulps: an absolute error. */
type Slack = (index: number) => number;

/** Elements of `actual` farther than `ulps` (and than `slack`) from `expected`, -0 told from +0 when `signed`. */
function mismatches(actual: Tensor, expected: Packed, ulps: number, slack: Slack, signed: boolean): Mismatch[] {
  expect(actual.shape).toEqual(expected.shape);
  const single = actual.dtype === 'float32';
  const got = Array.from(actual.data());
  const want = valuesOf(expected).map((v) => (single ? Math.fround(v) : v));
  const bad: Mismatch[] = [];
  want.forEach((e, index) => {
    const a = got[index] as number;
    const zeroSign = signed && e === 0 && !Object.is(a, e);
    const far = ulpDistance(a, e, single) > ulps && !(Math.abs(a - e) <= slack(index));
    if (zeroSign || far) bad.push({ index, actual: a, expected: e });
  });
  return bad;
}

/** The operands that element i of the (broadcast) result of a case reads. */
function operandValues(c: Case, i: number): (number | null)[] {
  const shape = c.float64.shape;
  const coords: number[] = [];
  for (let d = shape.length - 1, rest = i; d >= 0; d--) {
    const n = shape[d] as number;
    coords[d] = rest % n;
    rest = Math.floor(rest / n);
  }
  return c.args.map((arg) => {
    if (arg === null || typeof arg === 'number') return arg;
    const p = typeof arg === 'string' ? (inputs[arg] as Packed) : arg;
    const lead = shape.length - p.shape.length;
    let flat = 0;
    p.shape.forEach((n, d) => {
      flat = flat * n + (n === 1 ? 0 : (coords[d + lead] as number));
    });
    return numberOf(p.data[flat] as number | string);
  });
}

function operandsAt(c: Case, i: number): string {
  return operandValues(c, i)
    .map((v) => (Object.is(v, -0) ? '-0' : String(v)))
    .join(', ');
}

/** Element i's error allowed by the op's condition (see Tolerance.sensitivity), plus `abs`. */
function conditionSlack(c: Case, tol: Tolerance, ulps: number, single: boolean, abs = 0): Slack {
  const weights = tol.sensitivity;
  if (weights === undefined) return () => abs;
  return (i) => {
    const xs = operandValues(c, i).map((v) => v ?? 0);
    const w = weights(xs);
    const moved = xs.reduce((sum, x, j) => sum + (w[j] as number) * ulpOf(x, single), 0);
    return ulps * moved + abs;
  };
}

const none: Slack = () => 0;

function expectMatch(c: Case, what: string, actual: Tensor, expected: Packed, ulps: number, slack = none): void {
  const bad = mismatches(actual, expected, ulps, slack, c.signedZeros !== false);
  const shown = bad
    .slice(0, 5)
    .map((m) => `#${m.index} (${operandsAt(c, m.index)}): got ${m.actual}, expected ${m.expected}`);
  expect(shown, `${c.op} ${c.kind} ${what}, ${bad.length} elements off`).toEqual([]);
}

const isBool = (c: Case) => !(c.op in tolerances);

describe('the fixture covers every op', () => {
  it('has cases for every row of binaryMathOps, lerp, clamp, the value tests and nanToNum', () => {
    const ops = new Set(cases.map((c) => c.op));
    const wanted = [...Object.keys(binaryMathOps), 'maximum', 'minimum', 'lerp', 'clamp', 'nanToNum'];
    wanted.push('isnan', 'isinf', 'isfinite', 'isposinf', 'isneginf', 'isclose');
    expect(wanted.filter((op) => !ops.has(op))).toEqual([]);
    expect([...ops].filter((op) => !(op in calls))).toEqual([]);
    expect(fixture.torch.startsWith('1.13')).toBe(true);
  });
});

const noTolerance: Tolerance = { f64: 0, f32: 0, grad: 0 };

describe('values match PyTorch 1.13', () => {
  it.each(cases.map((c, i) => [`${c.op} ${c.kind} #${i}`, c] as const))('%s', (_name, c) => {
    const call = calls[c.op] as (args: Operand[], params: Params) => Tensor;
    const params = c.params ?? {};
    const tol = tolerances[c.op] ?? noTolerance;
    const out64 = call(
      c.args.map((a) => build(a, 'float64', false)),
      params,
    );
    expect(out64.dtype).toBe(isBool(c) ? 'bool' : 'float64');
    const [abs64, abs32] = tol.pytorchAbs ?? [0, 0];
    expectMatch(c, 'float64 vs PyTorch', out64, c.float64, tol.f64, conditionSlack(c, tol, tol.f64, false, abs64));
    if (c.exact !== undefined) {
      const ulps = tol.exact ?? 0;
      expectMatch(c, 'float64 vs the true value', out64, c.exact, ulps, conditionSlack(c, tol, ulps, false));
    }
    if (c.float32 !== undefined) {
      const out32 = call(
        c.args.map((a) => build(a, 'float32', false)),
        params,
      );
      expect(out32.dtype).toBe(isBool(c) ? 'bool' : 'float32');
      expectMatch(c, 'float32 vs PyTorch', out32, c.float32, tol.f32, conditionSlack(c, tol, tol.f32, true, abs32));
    }
  });
});

describe('gradients match PyTorch 1.13 (float64)', () => {
  const withGrads = cases.filter((c) => c.grads !== undefined);
  it.each(withGrads.map((c, i) => [`${c.op} ${c.kind} #${i}`, c] as const))('%s', (_name, c) => {
    const call = calls[c.op] as (args: Operand[], params: Params) => Tensor;
    const leaves = c.args.map((a) => build(a, 'float64', true));
    const out = call(leaves, c.params ?? {});
    out.backward(build(c.gout as Packed, 'float64', false) as Tensor);
    const tolerance = (tolerances[c.op] ?? noTolerance).grad;
    // Broadcast operands' gradients are sums of up to 24 terms of size ≤ 10, added in another order than
    // PyTorch's: a few ulps of the terms, which can be many ulps of a sum that cancels.
    const slack: Slack = c.kind === 'broadcast' ? () => 1e-13 : none;
    (c.grads ?? []).forEach((expected, i) => {
      const leaf = leaves[i];
      if (expected === null || !(leaf instanceof Object)) return;
      const grad = (leaf as Tensor).grad;
      expect(grad, `${c.op} ${c.kind}: gradient of argument ${i}`).not.toBeNull();
      expectMatch(c, `gradient of argument ${i}`, grad as Tensor, expected, tolerance, slack);
    });
  });
});

describe('dtypes, numbers and refusals', () => {
  it('integer operands stay integers in the division ops, float64 wins, numbers take the tensor dtype', () => {
    const ints = tensor(new Int32Array([-5, 5]));
    // remainder(-5, 3) = 1 and remainder(5, 3) = 2 (the divisor's sign), exact in int32 as PyTorch.
    const r = remainder(ints, 3);
    expect(r.dtype).toBe('int32');
    expect(Array.from(r.data())).toEqual([1, 2]);
    // A bool tensor and an integer number promote to an integer (PyTorch: int64; here int32).
    expect(fmod(tensor([true, false]), 2).dtype).toBe('int32');
    // Ops without integer kernels (hypot, atan2, ...) compute integers in float32.
    expect(hypot(ints, 1).dtype).toBe('float32');
    expect(hypot(tensor([3], { dtype: 'float32' }), tensor([4], { dtype: 'float64' })).dtype).toBe('float64');
    // A number on either side: atan2(1, -1) = 3π/4; floorDivide(7, -2) = ⌊-3.5⌋ = -4.
    expect(atan2(tensor([1], { dtype: 'float64' }), -1).item()).toBe((3 * Math.PI) / 4);
    expect(floorDivide(7, tensor([-2], { dtype: 'float64' })).item()).toBe(-4);
    expect(lerp(0, 10, tensor([0.25], { dtype: 'float64' })).dtype).toBe('float64');
    expect(isnan(tensor(new Int32Array([1, 2]))).toArray()).toEqual([0, 0]);
    expect(isfinite(tensor([true])).toArray()).toEqual([1]);
  });

  it('nanToNum defaults to the extreme finite values of the dtype, and int32 input gives float32', () => {
    // float32's largest finite value is (2 - 2⁻²³)·2¹²⁷.
    const big32 = (2 - 2 ** -23) * 2 ** 127;
    expect(Array.from(nanToNum(tensor([NaN, Infinity, -Infinity])).data())).toEqual([0, big32, -big32]);
    const x64 = tensor([Infinity, -Infinity], { dtype: 'float64' });
    expect(Array.from(nanToNum(x64).data())).toEqual([Number.MAX_VALUE, -Number.MAX_VALUE]);
    expect(nanToNum(tensor(new Int32Array([3]))).dtype).toBe('float32');
  });

  it('floorDivide has zero gradients, also where the upstream gradient is infinite', () => {
    const a = tensor([7, -7], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2], { dtype: 'float64', requiresGrad: true });
    floorDivide(a, b).backward(tensor([Infinity, 1], { dtype: 'float64' }));
    expect(a.grad?.toArray()).toEqual([0, 0]);
    expect(b.grad?.toArray()).toEqual([0]);
  });

  it('clamp: number bounds with min > max are refused, tensor bounds take max there (as PyTorch)', () => {
    expect(() => clamp(tensor([1]), 2, 1)).toThrow(/^clamp: min 2 is greater than max 1/);
    // min(max(1, 2), 1) = 1, and 5 → min(max(5, 2), 1) = 1.
    expect(clamp(tensor([1, 5]), tensor([2]), tensor([1])).toArray()).toEqual([1, 1]);
    // A number and a tensor bound mix; the number is a constant.
    expect(clamp(tensor([-3, 0, 3]), -1, tensor([2])).toArray()).toEqual([-1, 0, 2]);
    expect(() => clamp(tensor([1]), {} as never, tensor([1]))).toThrow(
      /^clamp: min must be a number \(not NaN\), a Tensor, null or undefined, got/,
    );
    expect(() => clamp(tensor([1]), Number.NaN, tensor([1]))).toThrow(ArgumentError);
  });

  it('refuses bad options and shapes by name, before computing anything', () => {
    expect(() => isclose(tensor([1]), 1, { rtol: -1 })).toThrow("isclose: option 'rtol' must be a number ≥ 0, got -1");
    expect(() => isclose(tensor([1]), 1, { atol: Number.NaN })).toThrow(ArgumentError);
    expect(() => isclose(tensor([1]), 1, { equalNan: 1 as never })).toThrow(/^isclose: option 'equalNan'/);
    expect(() => isclose(tensor([1]), 1, { rtl: 1 } as never)).toThrow(/^isclose: unknown option 'rtl'/);
    expect(() => nanToNum(tensor([1]), { nan: '0' as never })).toThrow(
      `nanToNum: option 'nan' must be a number, got "0"`,
    );
    expect(() => lerp(tensor([1, 2]), tensor([1, 2, 3]), 0.5)).toThrow(ShapeError);
    expect(() => clamp(tensor([1, 2]), tensor([0, 0, 0]), tensor([1]))).toThrow(ShapeError);
    expect(() => lerp(tensor([1]), tensor([2]), 'half' as never)).toThrow(/^lerp: weight must be a Tensor or a number/);
  });

  it('xlogy keeps entropy finite where a probability is 0', () => {
    // -Σ p log p for p = [0, 0.5, 0.5] is ln 2: the 0 term is 0, not 0·(-∞) = NaN.
    const p = tensor([0, 0.5, 0.5], { dtype: 'float64' });
    expect(xlogy(p, p).sum().neg().item()).toBeCloseTo(Math.LN2, 15);
  });
});
