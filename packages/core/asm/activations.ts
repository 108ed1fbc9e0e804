// WebAssembly SIMD float32 kernels of four activation functions
// (src/ops/activations.ts): silu, x·σ(x), and PyTorch's tanh form of gelu,
// x·σ(w) with w = k·x·(1 + c·x²), built on elementwise.ts's exp and σ; and
// exact gelu, x·Φ(x), and tanh, built on special.ts's pieces in float64. Each is
// compared with its JavaScript row kernel (float64, rounded once) by
// test/kernels/activations-simd.test.ts.
import { expv, sigmoidv } from './elementwise';
import { c, erfcTaild, erfNearOned, erfSmalld, ERX, expd } from './special';

// 2√(2/π) and 0.044715.
const K: f64 = 1.5957691216057308;
const C: f64 = 0.044715;

// Below w = -80, σ(w) = eʷ to float32 precision, and x·eʷ nears the subnormal
// range (1.2e-38), where a factor that is itself subnormal before the last
// product would carry a large relative error into it. There the kernels
// compute 2³²·x·eʷ = x·e^(w + 32·LN2_HI)·e^(32·LN2_LO), normal, and scale by
// 2⁻³² last. w + 22.1875 is exact in float32 for -128 < w < -64 (both are
// multiples of 2⁻¹⁷); below that the result rounds to 0 anyway.
const TAIL: f32 = -80.0;
const SHIFT: f32 = 22.1875; // 32 · 0.693359375
const SHIFT_LO: f32 = 0.9932327794; // e^(32·(ln 2 - 0.693359375))
const SCALE_DOWN: f32 = 2.3283064365386963e-10; // 2⁻³²

/** x·eʷ·(1 + d) by the scaled route above (for the lanes where w < -80). */
@inline
function tailv(x: v128, w: v128, d: v128): v128 {
  const e = expv(f32x4.add(w, f32x4.splat(SHIFT)));
  const y = f32x4.mul(f32x4.mul(x, e), f32x4.add(f32x4.splat(1.0), d));
  return f32x4.mul(f32x4.mul(y, f32x4.splat(SHIFT_LO)), f32x4.splat(SCALE_DOWN));
}

@inline
function siluv(x: v128): v128 {
  const y = f32x4.mul(x, sigmoidv(x));
  const low = f32x4.lt(x, f32x4.splat(TAIL));
  if (!v128.any_true(low)) return y;
  return v128.bitselect(tailv(x, x, f32x4.splat(0.0)), y, low);
}

/** out[i] = x[i]·σ(x[i]) for i < n (x and out are byte pointers to float32). */
export function siluf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), siluv(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(siluv(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

/** k·x·(1 + c·x²) in float64, two lanes. */
@inline
function argument(x: v128): v128 {
  const inner = f64x2.add(f64x2.splat(1.0), f64x2.mul(f64x2.splat(C), f64x2.mul(x, x)));
  return f64x2.mul(f64x2.mul(f64x2.splat(K), x), inner);
}

// w in float32 is off by up to half an ulp of w, and σ(w) by |w| times that
// relative (10 float32 ulps at x = -3). So w is computed in float64, rounded
// to float32 for σ, and what the rounding dropped, d, is put back to first
// order: σ(w + d) = σ(w) + σ(w)(1 - σ(w))·d.
@inline
export function geluTanhv(x: v128): v128 {
  const w0 = argument(f64x2.promote_low_f32x4(x));
  const w1 = argument(f64x2.promote_low_f32x4(v128.shuffle<u32>(x, x, 2, 3, 0, 1)));
  const w = v128.shuffle<u64>(f32x4.demote_f64x2_zero(w0), f32x4.demote_f64x2_zero(w1), 0, 2);
  const d0 = f64x2.sub(w0, f64x2.promote_low_f32x4(w));
  const d1 = f64x2.sub(w1, f64x2.promote_low_f32x4(v128.shuffle<u32>(w, w, 2, 3, 0, 1)));
  let d = v128.shuffle<u64>(f32x4.demote_f64x2_zero(d0), f32x4.demote_f64x2_zero(d1), 0, 2);
  // Where w overflowed float32 (|x| past 1e13), d is ±∞ or NaN: σ(w) is 0 or 1 and needs no correction.
  d = v128.bitselect(d, f32x4.splat(0.0), f32x4.lt(f32x4.abs(w), f32x4.splat(Infinity)));
  const s = sigmoidv(w);
  const corrected = f32x4.add(s, f32x4.mul(f32x4.mul(s, f32x4.sub(f32x4.splat(1.0), s)), d));
  const y = f32x4.mul(x, corrected);
  const low = f32x4.lt(w, f32x4.splat(TAIL));
  if (!v128.any_true(low)) return y;
  return v128.bitselect(tailv(x, w, d), y, low);
}

/** out[i] = x[i]·σ(k·x[i]·(1 + c·x[i]²)) for i < n: gelu's tanh form, x/2·(1 + tanh(w/2)). */
export function geluTanhf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), geluTanhv(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(geluTanhv(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

// Exact gelu, x·Φ(x) with Φ(x) = ½(1 + erf(z)), z = x/√2, in float64 per
// lane. NOTE: in the left tail 1 + erf(z) cancels (at x = -5 it is 6e-7 of
// terms near 1, so an erf good to 1e-16 leaves 1e-10 relative, and past
// x = -8.5 nothing), which is PyTorch's float32 error there. Below
// z = -0.84375 Φ is computed as ½·erfc(|z|) instead, from the fit near 1 or
// the tail e^(-z² - 0.5625 + R/S)/|z|, whose relative error stays near 1e-14
// to the end of float32's range: x·Φ(x) is below its smallest subnormal past
// x = -14.2 (z = -10), and Φ is taken as 0 from z = -12 on.

const SQRT1_2: f64 = 0.7071067811865476;
/** 1 - erf(1) to float precision: erfc(a) = ONE_MINUS_ERX - P(s)/Q(s) near 1, as fdlibm's erfc. */
const ONE_MINUS_ERX: f64 = 1.0 - ERX;

@inline
function gelud(x: v128): v128 {
  const z = f64x2.mul(x, c(SQRT1_2));
  const a = f64x2.abs(z);
  // |z| < 0.84375: ½ + ½·erf(z).
  const middle = f64x2.add(c(0.5), f64x2.mul(c(0.5), erfSmalld(z)));
  // |z| ≥ 0.84375: erfc(|z|), then Φ = 1 - ½·erfc for z > 0 and ½·erfc for z < 0.
  const nearOne = f64x2.sub(c(ONE_MINUS_ERX), erfNearOned(a));
  const tail = v128.bitselect(erfcTaild(f64x2.min(a, c(12.0))), c(0.0), f64x2.lt(a, c(12.0)));
  const erfc = v128.bitselect(nearOne, tail, f64x2.lt(a, c(1.25)));
  const half = f64x2.mul(c(0.5), erfc);
  const outer = v128.bitselect(f64x2.sub(c(1.0), half), half, f64x2.gt(z, c(0.0)));
  const phi = v128.bitselect(middle, outer, f64x2.lt(a, c(0.84375)));
  // NOTE: -Infinity gives -Infinity·0 = NaN, and NaN stays NaN (x·Φ), as PyTorch and the JS kernel.
  return f64x2.mul(x, phi);
}

/** gelu of four float32 lanes, widened to float64 two at a time and rounded once. */
@inline
export function gelu4(v: v128): v128 {
  const lo = gelud(f64x2.promote_low_f32x4(v));
  const hi = gelud(f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)));
  return v128.shuffle<u64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/** out[i] = x[i]·Φ(x[i]) for i < n: exact gelu (x and out are byte pointers to float32). */
export function geluf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), gelu4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(gelu4(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

// tanh in float64 per lane, rounded once: (1 - e)/(1 + e) with e = e^(-2|x|)
// ≤ 1 (no overflow; |x| is capped at 20, where tanh is 1 to float64
// precision), and the sign put back. 1 - e cancels for small |x|: the error
// of e (3e-14) becomes 3e-14/(2|x|) relative, 6e-11 at |x| = 2⁻¹², far inside
// float32's 6e-8; below 2⁻¹² the series x(1 - x²/3) is used, its first
// dropped term 2x⁵/15 being 5e-16 relative there. So the float32 result is
// Math.tanh's rounded value except, rarely, at a rounding tie.
const TANH_SERIES_BELOW: f64 = 0.000244140625; // 2⁻¹²

@inline
function tanhd(x: v128): v128 {
  const a = f64x2.min(f64x2.abs(x), c(20.0));
  const e = expd(f64x2.mul(a, c(-2.0)));
  const big = f64x2.div(f64x2.sub(c(1.0), e), f64x2.add(c(1.0), e));
  const small = f64x2.mul(a, f64x2.sub(c(1.0), f64x2.mul(f64x2.mul(a, a), c(1.0 / 3.0))));
  const t = v128.bitselect(small, big, f64x2.lt(a, c(TANH_SERIES_BELOW)));
  // tanh is odd: x's sign bit (so -0 stays -0).
  return v128.or(t, v128.and(x, c(-0.0)));
}

/** tanh of four float32 lanes (NaN lanes kept as they are). */
@inline
export function tanh4(v: v128): v128 {
  const lo = tanhd(f64x2.promote_low_f32x4(v));
  const hi = tanhd(f64x2.promote_low_f32x4(v128.shuffle<u32>(v, v, 2, 3, 0, 1)));
  const t = v128.shuffle<u64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
  return v128.bitselect(v, t, f32x4.ne(v, v));
}

/** out[i] = tanh(x[i]) for i < n (x and out are byte pointers to float32). */
export function tanhf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), tanh4(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(tanh4(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}
