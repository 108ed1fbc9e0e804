/**
 * Row kernels of the transcendental unary ops (ops/special.ts), and the
 * float64 error function family JavaScript's Math lacks: erf, erfc, erfinv.
 *
 * erf and erfc follow the interval scheme of Sun's fdlibm (a rational fit in
 * x² below 0.84375, one around 1, and erfc(x) = e^(-x²)·R(1/x²)/x above),
 * with its published coefficients; glibc, and so PyTorch's CPU kernels, use
 * the same scheme. erfinv refines a closed-form first guess with Halley steps
 * on erf, or on erfc in the tails, where 1 - |y| is exact.
 */
import type { NumArray } from './arrays';
import { digamma, lgamma, polygamma } from './gamma';
import type { UnaryRow } from './unary';

/** erf(1) rounded to float32 precision: the fit on [0.84375, 1.25) is relative to it. */
const ERX = 0.8450629115104675;
/** 8·(2/√π - 1): erf(x) = x + (2/√π - 1)·x below 2⁻²⁸, computed 8 times larger so subnormal x keep their digits. */
const EFX8 = 1.0270333367641007;

// erf(x) = x + x·P(x²)/Q(x²) for |x| < 0.84375
const PP0 = 0.12837916709551256;
const PP1 = -0.3250421072470015;
const PP2 = -0.02848174957559851;
const PP3 = -0.005770270296489442;
const PP4 = -0.000023763016656650163;
const QQ1 = 0.39791722395915535;
const QQ2 = 0.0650222499887673;
const QQ3 = 0.005081306281875766;
const QQ4 = 0.00013249473800432164;
const QQ5 = -0.000003960228278775368;

// erf(1 + s) = ERX + P(s)/Q(s) for 0.84375 ≤ |x| < 1.25
const PA0 = -0.0023621185607526594;
const PA1 = 0.41485611868374833;
const PA2 = -0.3722078760357013;
const PA3 = 0.31834661990116175;
const PA4 = -0.11089469428239668;
const PA5 = 0.035478304325618236;
const PA6 = -0.002166375594868791;
const QA1 = 0.10642088040084423;
const QA2 = 0.540397917702171;
const QA3 = 0.07182865441419627;
const QA4 = 0.12617121980876164;
const QA5 = 0.01363708391202905;
const QA6 = 0.011984499846799107;

// erfc(x) = e^(-x² - 0.5625 + R(s)/S(s)) / x, s = 1/x², for 1.25 ≤ x < 1/0.35
const RA0 = -0.009864944034847148;
const RA1 = -0.6938585727071818;
const RA2 = -10.558626225323291;
const RA3 = -62.375332450326006;
const RA4 = -162.39666946257347;
const RA5 = -184.60509290671104;
const RA6 = -81.2874355063066;
const RA7 = -9.814329344169145;
const SA1 = 19.651271667439257;
const SA2 = 137.65775414351904;
const SA3 = 434.56587747522923;
const SA4 = 645.3872717332679;
const SA5 = 429.00814002756783;
const SA6 = 108.63500554177944;
const SA7 = 6.570249770319282;
const SA8 = -0.0604244152148581;

// the same for 1/0.35 ≤ x < 28
const RB0 = -0.0098649429247001;
const RB1 = -0.799283237680523;
const RB2 = -17.757954917754752;
const RB3 = -160.63638485582192;
const RB4 = -637.5664433683896;
const RB5 = -1025.0951316110772;
const RB6 = -483.5191916086514;
const SB1 = 30.33806074348246;
const SB2 = 325.7925129965739;
const SB3 = 1536.729586084437;
const SB4 = 3199.8582195085955;
const SB5 = 2553.0504064331644;
const SB6 = 474.52854120695537;
const SB7 = -22.44095244658582;

/** erf(x)/x - 1 for |x| < 0.84375, from z = x². */
function smallRatio(z: number): number {
  const p = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
  const q = 1 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
  return p / q;
}

/** erf(1 + s) - ERX for -0.15625 ≤ s < 0.25. */
function nearOne(s: number): number {
  const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
  const q = 1 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
  return p / q;
}

/** erfc(a) for 1.25 ≤ a < 28. */
function erfcTail(a: number): number {
  const s = 1 / (a * a);
  let r: number;
  if (a < 1 / 0.35) {
    const p = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    const q = 1 + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
    r = p / q;
  } else {
    const p = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    const q = 1 + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
    r = p / q;
  }
  // e^(-a²) loses a²'s rounding error times a² (up to 784): split a = h + (a - h)
  // with h of 26 bits (Veltkamp), so h² and h² + 0.5625 are exact and only the
  // small product (h - a)(h + a) rounds.
  const c = 134217729 * a;
  const h = c - (c - a);
  return (Math.exp(-h * h - 0.5625) * Math.exp((h - a) * (h + a) + r)) / a;
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt in float64. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -28) return 0.125 * (8 * x + EFX8 * x);
    return x + x * smallRatio(x * x);
  }
  let magnitude: number;
  if (a < 1.25) magnitude = ERX + nearOne(a - 1);
  else if (a < 6) magnitude = 1 - erfcTail(a);
  else magnitude = 1;
  return x < 0 ? -magnitude : magnitude;
}

/** The complementary error function erfc(x) = 1 - erf(x) in float64, accurate far into the right tail. */
export function erfc(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a < 0.84375) {
    if (a < 2 ** -56) return 1 - x;
    const y = smallRatio(x * x);
    // Above 1/4, 1 - erf(x) would lose a bit to cancellation: 1/2 - (x·y + (x - 1/2)) keeps it.
    return a < 0.25 ? 1 - (x + x * y) : 0.5 - (x * y + (x - 0.5));
  }
  if (a < 1.25) {
    const d = nearOne(a - 1);
    return x > 0 ? 1 - ERX - d : 1 + (ERX + d);
  }
  if (x > 0) return a < 28 ? erfcTail(a) : 0;
  return a < 6 ? 2 - erfcTail(a) : 2;
}

const SQRT_PI_2 = 0.886226925452758; // √π / 2

/**
 * The inverse error function in float64: erf(erfinv(y)) = y for |y| ≤ 1.
 * NOTE: ±Infinity at ±1, NaN outside [-1, 1], as in PyTorch.
 */
export function erfinv(y: number): number {
  if (y !== y) return y;
  const a = Math.abs(y);
  if (a >= 1) return a === 1 ? y * Infinity : NaN;
  // erfinv(y) = (√π/2)(y + π y³/12 + …): the cubic term is below half an ulp here.
  if (a < 2 ** -27) return SQRT_PI_2 * y;
  // A first guess within 2e-3 (Winitzki's closed form), from ln(1 - a²) = ln((1 - a)(1 + a)).
  const l = Math.log((1 - a) * (1 + a));
  const b = 2 / (Math.PI * 0.147) + l / 2;
  let x = Math.sqrt(Math.sqrt(b * b - l / 0.147) - b);
  // Halley's method on f(x) = erf(x) - a, f' = (2/√π)e^(-x²), f'' = -2x·f'; in the tail
  // f = (1 - a) - erfc(x) instead, with 1 - a exact, so f keeps its digits near 1.
  const tail = a > 0.5;
  const complement = 1 - a;
  for (let k = 0; k < 3; k++) {
    const f = tail ? complement - erfc(x) : erf(x) - a;
    const step = (f * SQRT_PI_2) / Math.exp(-x * x);
    x -= step / (1 + x * step);
  }
  return y < 0 ? -x : x;
}

/**
 * sin(πx)/(πx), with sinc(0) = 1. NOTE: computed as PyTorch does (π·x rounded,
 * then Math.sin), so sinc at a nonzero integer is ±3.9e-17/n rather than 0,
 * as there; NaN at ±Infinity, as there.
 */
export function sinc(x: number): number {
  if (x === 0) return 1;
  const p = Math.PI * x;
  return Math.sin(p) / p;
}

/** A row kernel applying a float64 scalar function. */
function rowOf(f: (x: number) => number): UnaryRow {
  return (x: NumArray, xi: number, xs: number, o: NumArray, oi: number, n: number) => {
    for (let k = 0; k < n; k++) o[oi + k] = f(x[xi + k * xs] as number);
  };
}

// One explicit loop per Math function, as in unary.ts, so each compiles for its own call.
export const tan: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.tan(x[xi + k * xs] as number);
};
export const asin: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.asin(x[xi + k * xs] as number);
};
export const acos: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.acos(x[xi + k * xs] as number);
};
export const atan: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.atan(x[xi + k * xs] as number);
};
export const sinh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.sinh(x[xi + k * xs] as number);
};
export const cosh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.cosh(x[xi + k * xs] as number);
};
export const asinh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.asinh(x[xi + k * xs] as number);
};
export const acosh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.acosh(x[xi + k * xs] as number);
};
export const atanh: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.atanh(x[xi + k * xs] as number);
};
export const log2: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.log2(x[xi + k * xs] as number);
};
export const log10: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.log10(x[xi + k * xs] as number);
};
// NOTE: Math.expm1 keeps its accuracy near 0, where exp(x) - 1 loses it to cancellation.
export const expm1: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.expm1(x[xi + k * xs] as number);
};
export const exp2: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = 2 ** (x[xi + k * xs] as number);
};
// NOTE: 1/√x rounds twice (≤ 1 ulp), as PyTorch's CPU kernel does; rsqrt(-0) = -Infinity.
export const rsqrt: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = 1 / Math.sqrt(x[xi + k * xs] as number);
};

export const erfRow = rowOf(erf);
export const erfcRow = rowOf(erfc);
export const erfinvRow = rowOf(erfinv);
export const sincRow = rowOf(sinc);
export const lgammaRow = rowOf(lgamma);
export const digammaRow = rowOf(digamma);

/** ψ⁽ⁿ⁾ with n in the kernel's first parameter (digamma's derivatives, for its backward). */
export const polygammaRow: UnaryRow = (x, xi, xs, o, oi, n, order) => {
  for (let k = 0; k < n; k++) o[oi + k] = polygamma(order, x[xi + k * xs] as number);
};

/**
 * sin(πx)/(πx)'s derivative, (πx·cos(πx) - sin(πx)) / (πx²), with 0 at x = 0
 * (PyTorch's formula); near 0 its Taylor series -π²x/3 + π⁴x³/30 keeps the
 * digits the formula loses to cancellation.
 */
export function sincDerivative(x: number): number {
  if (x === 0) return 0;
  if (Math.abs(x) < 1e-3) {
    const p2 = Math.PI * Math.PI * x * x;
    return ((-Math.PI * Math.PI * x) / 3) * (1 - p2 / 10 + (p2 * p2) / 280);
  }
  const p = Math.PI * x;
  return (p * Math.cos(p) - Math.sin(p)) / (p * x);
}

export const sincDerivativeRow = rowOf(sincDerivative);
