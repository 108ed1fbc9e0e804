// WebAssembly SIMD erf for float32, imported by index.ts; its pieces (the
// small-argument fit, the fit near 1 and the erfc tail) are exported to
// activations.ts, whose exact GELU needs erfc itself in the left tail.
// Each float32 is widened to float64 and erf computed there in two-lane
// vectors with the same interval scheme and fdlibm coefficients as the
// JavaScript kernel (src/kernels/special.ts): x + x·P(x²)/Q(x²) below
// 0.84375, erf(1) + P(s)/Q(s) up to 1.25, 1 - e^(-x² - 0.5625 + R/S)/x up
// to 6, and ±1 beyond. Every lane computes every branch and keeps its own;
// the float64 result (error below 1e-13) is rounded once to float32, so it is
// the JavaScript kernel's float32 value except, rarely, at a rounding tie.
// e^t uses 2^n · e^r with |r| ≤ ln 2 / 2 and e^r's Taylor polynomial to
// degree 11 (error below 3e-14).

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;
/** 1.5·2⁵²: adding it leaves an integer-valued n in the low bits of the sum's mantissa. */
const ROUND_MAGIC: f64 = 6755399441055744.0;

@inline
export function c(v: f64): v128 {
  return f64x2.splat(v);
}

@inline
function fma(a: v128, b: v128, s: v128): v128 {
  return f64x2.add(f64x2.mul(a, b), s);
}

/** e^t for t in [-1022 ln 2, 0] (the tails' exponents, and tanh's e^-2|x|), in both float64 lanes. */
@inline
export function expd(t: v128): v128 {
  const n = f64x2.nearest(f64x2.mul(t, c(LOG2E)));
  const r = f64x2.sub(f64x2.sub(t, f64x2.mul(n, c(LN2_HI))), f64x2.mul(n, c(LN2_LO)));
  let p = c(1.0 / 39916800.0);
  p = fma(p, r, c(1.0 / 3628800.0));
  p = fma(p, r, c(1.0 / 362880.0));
  p = fma(p, r, c(1.0 / 40320.0));
  p = fma(p, r, c(1.0 / 5040.0));
  p = fma(p, r, c(1.0 / 720.0));
  p = fma(p, r, c(1.0 / 120.0));
  p = fma(p, r, c(1.0 / 24.0));
  p = fma(p, r, c(1.0 / 6.0));
  p = fma(p, r, c(0.5));
  p = fma(p, r, c(1.0));
  p = fma(p, r, c(1.0));
  // 2^n from the integer n: its bits, shifted into the exponent field.
  const ni = i64x2.sub(f64x2.add(n, c(ROUND_MAGIC)), c(ROUND_MAGIC));
  const scale = i64x2.shl(i64x2.add(ni, i64x2.splat(1023)), 52);
  return f64x2.mul(p, scale);
}

/** Picks a where mask is set, b elsewhere: per-lane coefficients of the two tail fits. */
@inline
function pick(a: f64, b: f64, mask: v128): v128 {
  return v128.bitselect(c(a), c(b), mask);
}

/** erf(x) for |x| < 0.84375: x + x·P(z)/Q(z), z = x² (both lanes). */
@inline
export function erfSmalld(x: v128): v128 {
  const z = f64x2.mul(x, x);
  let pp = c(-2.3763016656650163e-5);
  pp = fma(pp, z, c(-0.005770270296489442));
  pp = fma(pp, z, c(-0.02848174957559851));
  pp = fma(pp, z, c(-0.3250421072470015));
  pp = fma(pp, z, c(0.12837916709551256));
  let qq = c(-3.960228278775368e-6);
  qq = fma(qq, z, c(1.3249473800432164e-4));
  qq = fma(qq, z, c(0.005081306281875766));
  qq = fma(qq, z, c(0.06502224998876729));
  qq = fma(qq, z, c(0.39791722395915535));
  qq = fma(qq, z, c(1.0));
  return fma(x, f64x2.div(pp, qq), x);
}

/** erf(1) to float precision, the constant of the fit near 1: erf(a) = ERX + P(s)/Q(s) there. */
export const ERX: f64 = 0.8450629115104675;

/** P(s)/Q(s) with s = a - 1, for 0.84375 ≤ a < 1.25: erf(a) - ERX, and ERX's complement 1 - ERX - it is erfc(a). */
@inline
export function erfNearOned(a: v128): v128 {
  const s = f64x2.sub(a, c(1.0));
  let pa = c(-0.0021663755948687908);
  pa = fma(pa, s, c(0.035478304325618236));
  pa = fma(pa, s, c(-0.11089469428239668));
  pa = fma(pa, s, c(0.31834661990116175));
  pa = fma(pa, s, c(-0.3722078760357013));
  pa = fma(pa, s, c(0.41485611868374833));
  pa = fma(pa, s, c(-0.0023621185607526594));
  let qa = c(0.011984499846799107);
  qa = fma(qa, s, c(0.013637083912029051));
  qa = fma(qa, s, c(0.12617121980876164));
  qa = fma(qa, s, c(0.07182865441419627));
  qa = fma(qa, s, c(0.5403979177021710));
  qa = fma(qa, s, c(0.10642088040084423));
  qa = fma(qa, s, c(1.0));
  return f64x2.div(pa, qa);
}

/**
 * erfc(t) = e^(-t² - 0.5625 + R(w)/S(w))/t, w = 1/t², for 1.25 ≤ t < 28,
 * with the [1.25, 1/0.35) or [1/0.35, 28) fit per lane (the second has one
 * term less). The exponent must stay above -1022 ln 2 (t below about 26.6)
 * for expd's power of two.
 */
@inline
export function erfcTaild(t: v128): v128 {
  const w = f64x2.div(c(1.0), f64x2.mul(t, t));
  const first = f64x2.lt(t, c(1.0 / 0.35));
  let r = pick(-9.814329344169145, 0.0, first);
  r = fma(r, w, pick(-81.2874355063066, -483.5191916086514, first));
  r = fma(r, w, pick(-184.60509290671104, -1025.0951316110772, first));
  r = fma(r, w, pick(-162.39666946257347, -637.5664433683896, first));
  r = fma(r, w, pick(-62.375332450326006, -160.63638485582192, first));
  r = fma(r, w, pick(-10.558626225323291, -17.757954917754752, first));
  r = fma(r, w, pick(-0.6938585727071818, -0.799283237680523, first));
  r = fma(r, w, pick(-0.009864944034847148, -0.0098649429247001, first));
  let q = pick(-0.0604244152148581, 0.0, first);
  q = fma(q, w, pick(6.570249770319282, -22.44095244658582, first));
  q = fma(q, w, pick(108.63500554177944, 474.52854120695537, first));
  q = fma(q, w, pick(429.00814002756783, 2553.0504064331644, first));
  q = fma(q, w, pick(645.3872717332679, 3199.8582195085955, first));
  q = fma(q, w, pick(434.56587747522923, 1536.729586084437, first));
  q = fma(q, w, pick(137.65775414351904, 325.7925129965739, first));
  q = fma(q, w, pick(19.651271667439257, 30.338060743482458, first));
  q = fma(q, w, c(1.0));
  const exponent = f64x2.add(f64x2.sub(f64x2.neg(f64x2.mul(t, t)), c(0.5625)), f64x2.div(r, q));
  return f64x2.div(expd(exponent), t);
}

@inline
function erfd(x: v128): v128 {
  const a = f64x2.abs(x);
  const small = erfSmalld(x);
  // 0.84375 ≤ |x| < 1.25: erf(1) (to float precision) + P(s)/Q(s), s = |x| - 1
  const nearOne = f64x2.add(c(ERX), erfNearOned(a));
  // 1.25 ≤ |x| < 6: 1 - erfc(|x|); past 6, erf is ±1 to double precision.
  const tail = f64x2.sub(c(1.0), erfcTaild(f64x2.min(a, c(6.0))));
  // Magnitudes from 0.84375 on, then x's sign; the small branch carries its own.
  const big = v128.bitselect(nearOne, v128.bitselect(tail, c(1.0), f64x2.lt(a, c(6.0))), f64x2.lt(a, c(1.25)));
  const signed = v128.or(big, v128.and(x, c(-0.0)));
  const out = v128.bitselect(small, signed, f64x2.lt(a, c(0.84375)));
  // NaN failed every comparison above and took ±1: put it back.
  return v128.bitselect(x, out, f64x2.ne(x, x));
}

/** erf of four float32 lanes, widened to float64 two at a time. */
@inline
function erf4(v: v128): v128 {
  const lo = erfd(f64x2.promote_low_f32x4(v));
  const hi = erfd(f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)));
  return v128.shuffle<u64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** out[i] = erf(x[i]) for i < n (x and out are byte pointers to float32). */
export function erff32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), erf4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(erf4(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}
