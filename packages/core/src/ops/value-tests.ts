/**
 * Tests of values (isnan, isinf, isfinite, isposinf, isneginf, isclose: bool
 * results, no gradient), nanToNum, and clamp with tensor bounds, PyTorch's
 * clamp(Tensor, Tensor min, Tensor max), which ops/unary.ts's clamp hands
 * over to when a bound is not a number.
 */
import * as K from '../kernels/value-tests';
import * as KM from '../kernels/binary-math';
import type { UnaryRow } from '../kernels/unary';
import { ArgumentError } from '../errors';
import { describeValue } from '../internal/describe';
import { badOptionMessage, optionsObject, valueOr, type OptionKeys } from '../internal/options';
import type { FloatDType } from '../tensor/dtype';
import { isFloat, resultFloatDType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { tracedWhole } from './trace';
import {
  apply,
  asTensor,
  binaryOp,
  floatDTypeOf,
  mapBinary,
  mapUnary,
  operands,
  type Binary,
  type OpDef,
  type TensorLike,
  type Unary,
} from './define';
import { where } from './compare';
import { fitTernary, mapTernary, ternaryDType, ternaryOperands, type Ternary } from './binary-math';
import { clampDType, integerClamp, type Bound } from './clamp-integer';

// A number is tested as a float64 (isinf(1e300) is false), not rounded to float32 first.
const valueTest =
  (name: string, row: UnaryRow) =>
  (x: TensorLike): Tensor => {
    const t = asTensor(name, x, 'float64');
    return tracedWhole(name, [t], undefined, () => mapUnary(t, row, 'bool'));
  };

/** True where x is NaN, as a bool tensor (never for int32 and bool tensors). */
export const isnan = valueTest('isnan', K.isnan);
/** True where x is +Infinity or -Infinity, as a bool tensor. */
export const isinf = valueTest('isinf', K.isinf);
/** True where x is neither NaN nor ±Infinity, as a bool tensor. */
export const isfinite = valueTest('isfinite', K.isfinite);
/** True where x is +Infinity, as a bool tensor. */
export const isposinf = valueTest('isposinf', K.isposinf);
/** True where x is -Infinity, as a bool tensor. */
export const isneginf = valueTest('isneginf', K.isneginf);

/** The one-operand value tests by name (bool results, no gradient); the suites iterate over it. */
export const valueTests = { isnan, isinf, isfinite, isposinf, isneginf };

/** Options of {@link isclose}. */
export interface IscloseOptions {
  /** Relative tolerance, times |b| (default 1e-5, as PyTorch). */
  rtol?: number;
  /** Absolute tolerance (default 1e-8, as PyTorch). */
  atol?: number;
  /** Count NaN as close to NaN (default false). */
  equalNan?: boolean;
}

const iscloseKeys = { rtol: true, atol: true, equalNan: true } as const satisfies OptionKeys<IscloseOptions>;

function tolerance(key: string, v: unknown, fallback: number): number {
  const t = valueOr(v, fallback);
  if (typeof t !== 'number' || !(t >= 0)) {
    throw new ArgumentError('isclose', badOptionMessage(key, 'a number ≥ 0', t));
  }
  return t;
}

/**
 * True where |a - b| ≤ atol + rtol·|b| (not symmetric: the tolerance scales
 * with b, as PyTorch and NumPy), or a equals b (equal infinities are close),
 * or both are NaN and `equalNan` is set; broadcasting. Computed in the
 * operands' dtype: for float32 every step rounds to float32, so the boundary
 * is PyTorch's. NOTE: PyTorch refuses operands of different dtypes; here they
 * promote as in every binary op.
 *
 * @example
 * isclose(tensor([1, 1.001]), 1, { rtol: 1e-3 }); // [true, true]
 */
export function isclose(a: TensorLike, b: TensorLike, options?: IscloseOptions): Tensor {
  const o = optionsObject('isclose', options, iscloseKeys);
  const rtol = tolerance('rtol', o.rtol, 1e-5);
  const atol = tolerance('atol', o.atol, 1e-8);
  const equalNan = valueOr<unknown>(o.equalNan, false);
  if (typeof equalNan !== 'boolean')
    throw new ArgumentError('isclose', badOptionMessage('equalNan', 'true or false', equalNan));
  const [x, y] = operands('isclose', a, b);
  const float32 = resultFloatDType(x.dtype, y.dtype) === 'float32';
  const row = K.isclose(rtol, atol, equalNan, float32);
  return tracedWhole('isclose', [x, y], { rtol, atol, equalNan }, () => mapBinary('isclose', x, y, row, 'bool'));
}

// ---------------------------------------------------------------- nanToNum

/** Options of {@link nanToNum}. */
export interface NanToNumOptions {
  /** What NaN becomes (default 0). */
  nan?: number;
  /** What +Infinity becomes (default the dtype's largest finite value). */
  posinf?: number;
  /** What -Infinity becomes (default the dtype's most negative finite value). */
  neginf?: number;
}

const nanToNumKeys = { nan: true, posinf: true, neginf: true } as const satisfies OptionKeys<NanToNumOptions>;

/** The largest finite value of each float dtype. */
const largest: Record<FloatDType, number> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

type Replacements = readonly [nan: number, posinf: number, neginf: number];

// The identity where x is finite, a constant elsewhere: d/dx = 1 where x is finite, 0 elsewhere (as PyTorch).
const nanToNumDef: OpDef<Unary, Replacements, Unary> = {
  name: 'nanToNum',
  forward([x], [nan, posinf, neginf], ctx) {
    const out = mapUnary(x, K.nanToNum(nan, posinf, neginf), floatDTypeOf(x));
    ctx.save(x);
    return out;
  },
  backward: (g, { saved: [x] }) => [g.mul(isfinite(x))],
};

function replacement(key: string, v: unknown, fallback: number): number {
  const r = valueOr(v, fallback);
  if (typeof r !== 'number') throw new ArgumentError('nanToNum', badOptionMessage(key, 'a number', r));
  return r;
}

/**
 * x with NaN, +Infinity and -Infinity replaced by finite numbers: by default
 * 0 and the dtype's largest and most negative finite values (±3.4e38 for
 * float32, ±1.8e308 for float64), as PyTorch's nan_to_num. The gradient
 * passes where x is finite and is 0 at the replaced elements.
 *
 * @example
 * nanToNum(tensor([NaN, Infinity, 1]), { posinf: 1e6 }); // [0, 1e6, 1]
 */
export function nanToNum(x: TensorLike, options?: NanToNumOptions): Tensor {
  const o = optionsObject('nanToNum', options, nanToNumKeys);
  const t = asTensor('nanToNum', x);
  const top = largest[floatDTypeOf(t)];
  const params: Replacements = [
    replacement('nan', o.nan, 0),
    replacement('posinf', o.posinf, top),
    replacement('neginf', o.neginf, -top),
  ];
  return apply(nanToNumDef, [t], params);
}

// ---------------------------------------------------------------- clamp with tensor bounds

// Both bounds: the gradient goes to whichever of x, min and max the output is.
// NOTE: as PyTorch, x keeps it on a bound (min ≤ x ≤ max counts as inside);
// where min > max the output is max, and max takes the gradient.
const clampBothDef: OpDef<Ternary, undefined, Ternary> = {
  name: 'clamp',
  forward(inputs, _params, ctx) {
    const out = mapTernary('clamp', inputs, KM.clampBoth, ternaryDType(inputs));
    ctx.save(...inputs);
    return out;
  },
  backward: (g, { saved: [x, lo, hi], needs, inputShapes }) =>
    fitTernary(
      [
        needs[0] ? where(x.ge(lo).logicalAnd(x.le(hi)), g, 0) : null,
        needs[1] ? where(x.lt(lo).logicalAnd(lo.lt(hi)), g, 0) : null,
        needs[2] ? where(x.gt(hi).logicalOr(hi.lt(lo)), g, 0) : null,
      ],
      needs,
      inputShapes,
    ),
};

// One bound: x keeps the gradient on the bound, the bound takes it past.
const clampMinDef = binaryOp<Binary>({
  name: 'clamp',
  row: KM.clampMin,
  save: (ctx, x, lo) => ctx.save(x, lo),
  backward: (g, [x, lo], needs) => [needs[0] ? where(x.ge(lo), g, 0) : null, needs[1] ? where(x.lt(lo), g, 0) : null],
});

const clampMaxDef = binaryOp<Binary>({
  name: 'clamp',
  row: KM.clampMax,
  save: (ctx, x, hi) => ctx.save(x, hi),
  backward: (g, [x, hi], needs) => [needs[0] ? where(x.le(hi), g, 0) : null, needs[1] ? where(x.gt(hi), g, 0) : null],
});

function checkBound(which: string, v: unknown): void {
  if (v === null || v === undefined || v instanceof Tensor || (typeof v === 'number' && !Number.isNaN(v))) return;
  throw new ArgumentError(
    'clamp',
    `${which} must be a number (not NaN), a Tensor, null or undefined, got ${describeValue(v)}`,
  );
}

/**
 * clamp where a bound is a tensor: the bounds broadcast with x, a number
 * bound is a constant 0-d tensor, and the gradient reaches tensor bounds.
 * Unlike number bounds, min > max is allowed elementwise (the result is max).
 */
export function clampWithTensors(x: TensorLike, min: unknown, max: unknown): Tensor {
  checkBound('min', min);
  checkBound('max', max);
  const hasMin = min !== null && min !== undefined;
  const hasMax = max !== null && max !== undefined;
  // Integer operands that promote to an integer stay in it, exactly (ops/clamp-integer.ts).
  if (x instanceof Tensor && !isFloat(x.dtype)) {
    const bounds = [min, max] as [Bound, Bound];
    const dtype = clampDType(x, ...bounds);
    if (!isFloat(dtype)) return integerClamp(x, ...bounds, dtype);
  }
  if (hasMin && hasMax) {
    return apply(
      clampBothDef,
      ternaryOperands('clamp', [x, min, max] as const, ['the input', 'min', 'max']),
      undefined,
    );
  }
  // Neither bound: the caller passes a tensor bound, so this is for completeness (a copy, as clamp(x)).
  if (!hasMin && !hasMax) return asTensor('clamp', x).clone();
  const which = hasMin ? 'min' : 'max';
  const inputs = ternaryOperands('clamp', [x, hasMin ? min : max] as const, ['the input', which]);
  return apply(hasMin ? clampMinDef : clampMaxDef, inputs, undefined);
}
