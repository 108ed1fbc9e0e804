// WebAssembly SIMD elementwise kernels for float32 (imported by gemm.ts into
// one module). exp is computed as 2^n · e^r with n = round(x / ln 2) and
// |r| ≤ ln 2 / 2 (ln 2 split in two parts so r keeps its precision), e^r by
// its Taylor polynomial to degree 6 (error below r⁷/7! ≈ 1.2e-7 relative,
// about one float32 ulp), and 2^n applied in two halves so results that are
// subnormal or overflow come out as IEEE says (0 < e^x below -103, Infinity
// above 88.7). NaN stays NaN.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

@inline
export function expv(x: v128): v128 {
  const y = f32x4.max(f32x4.min(x, f32x4.splat(89.0)), f32x4.splat(-104.0));
  const n = f32x4.nearest(f32x4.mul(y, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(y, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  // 2^n = 2^h · 2^(n-h) with h = n >> 1: each factor is a normal float even
  // when 2^n alone would not be.
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const h = i32x4.shr_s(ni, 1);
  const bias = i32x4.splat(127);
  const s1 = i32x4.shl(i32x4.add(h, bias), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, h), bias), 23);
  const out = f32x4.mul(f32x4.mul(p, s1), s2);
  // The clamp above turned NaN inputs into numbers: put NaN back.
  return v128.bitselect(x, out, f32x4.ne(x, x));
}

/** out[i] = e^(x[i]) for i < n (x and out are byte pointers to float32). */
export function expf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), expv(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(expv(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

// σ(x) from e = e^-|x| ≤ 1 (never overflows): 1/(1+e) for x ≥ 0, e/(1+e) below.
@inline
export function sigmoidv(x: v128): v128 {
  const e = expv(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(f32x4.splat(1.0), e);
  const positive = f32x4.ge(x, f32x4.splat(0.0));
  const s = v128.bitselect(f32x4.div(f32x4.splat(1.0), d), f32x4.div(e, d), positive);
  return v128.bitselect(x, s, f32x4.ne(x, x));
}

/** out[i] = σ(x[i]) for i < n. */
export function sigmoidf32(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), sigmoidv(v128.load(x + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), f32x4.extract_lane(sigmoidv(f32x4.splat(load<f32>(x + (<usize>i << 2)))), 0));
}

/**
 * y[i] += a · x[i] for i < n, computed in float64 and rounded to float32 once
 * when stored: exactly what the JavaScript loop `y[i] += a * x[i]` does on a
 * Float32Array, two lanes at a time (optimizer updates are this loop).
 */
export function addScaledf32(y: usize, x: usize, a: f64, n: i32): void {
  const av = f64x2.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i << 2;
    const yv = v128.load(y + at);
    const xv = v128.load(x + at);
    const lo = f64x2.add(f64x2.promote_low_f32x4(yv), f64x2.mul(av, f64x2.promote_low_f32x4(xv)));
    const yh = v128.shuffle<u32>(yv, yv, 2, 3, 0, 1);
    const xh = v128.shuffle<u32>(xv, xv, 2, 3, 0, 1);
    const hi = f64x2.add(f64x2.promote_low_f32x4(yh), f64x2.mul(av, f64x2.promote_low_f32x4(xh)));
    v128.store(y + at, v128.shuffle<u64>(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2));
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    store<f32>(y + at, <f32>(<f64>load<f32>(y + at) + a * <f64>load<f32>(x + at)));
  }
}
