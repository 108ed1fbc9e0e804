// WebAssembly SIMD float32 kernels of two activation functions
// (src/ops/activations.ts), built on elementwise.ts's exp and σ: silu,
// x·σ(x), and PyTorch's tanh form of gelu, x·σ(w) with
// w = k·x·(1 + c·x²). Each is compared with its JavaScript row kernel
// (float64, rounded once) by test/kernels/activations-simd.test.ts.
import { expv, sigmoidv } from './elementwise';

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
function geluTanhv(x: v128): v128 {
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
