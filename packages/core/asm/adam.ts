// Adam's update for float32 parameters, two lanes at a time in float64: every
// operation in the order of optim's JavaScript loop (packages/optim/src/adam.ts),
// and every value rounded to float32 exactly where that loop stores it into a
// Float32Array, so the results are bit for bit the same. Pointers are byte
// addresses of float32 arrays of n elements; vmax is 0 unless AMSGrad is on.
//
//   d ← sign·g (+ l2·p)        p ← p·shrink (AdamW)
//   m ← β1·m + (1 - β1)·d      v ← β2·v + (1 - β2)·d·d      (each rounded to float32)
//   s ← v, or vmax ← max(vmax, v) and s ← vmax
//   p ← p - (stepSize·m) / (√s / bc2Sqrt + eps)

export function adamf32(
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  vmax: usize,
  n: i32,
  sign: f64,
  l2: f64,
  shrink: f64,
  beta1: f64,
  oneMinusBeta1: f64,
  beta2: f64,
  oneMinusBeta2: f64,
  stepSize: f64,
  bc2Sqrt: f64,
  eps: f64,
): void {
  const signV = f64x2.splat(sign);
  const l2V = f64x2.splat(l2);
  const shrinkV = f64x2.splat(shrink);
  const b1 = f64x2.splat(beta1);
  const c1 = f64x2.splat(oneMinusBeta1);
  const b2 = f64x2.splat(beta2);
  const c2 = f64x2.splat(oneMinusBeta2);
  const stepV = f64x2.splat(stepSize);
  const bcV = f64x2.splat(bc2Sqrt);
  const epsV = f64x2.splat(eps);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const at = <usize>i << 2;
    let pk = f64x2.promote_low_f32x4(v128.load64_zero(p + at));
    let d = f64x2.mul(signV, f64x2.promote_low_f32x4(v128.load64_zero(g + at)));
    if (l2 != 0) d = f64x2.add(d, f64x2.mul(l2V, pk));
    if (shrink != 1) pk = f64x2.mul(pk, shrinkV);
    const mOld = f64x2.promote_low_f32x4(v128.load64_zero(m + at));
    const vOld = f64x2.promote_low_f32x4(v128.load64_zero(v + at));
    const m32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b1, mOld), f64x2.mul(c1, d)));
    const v32 = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b2, vOld), f64x2.mul(f64x2.mul(c2, d), d)));
    v128.store64_lane(m + at, m32, 0);
    v128.store64_lane(v + at, v32, 0);
    let second = f64x2.promote_low_f32x4(v32);
    if (vmax != 0) {
      const top = f64x2.promote_low_f32x4(v128.load64_zero(vmax + at));
      // As the loop's `if (v > vmax) vmax = v`: a comparison with NaN keeps vmax.
      second = v128.bitselect(second, top, f64x2.gt(second, top));
      v128.store64_lane(vmax + at, f32x4.demote_f64x2_zero(second), 0);
    }
    const denom = f64x2.add(f64x2.div(f64x2.sqrt(second), bcV), epsV);
    const next = f64x2.sub(pk, f64x2.div(f64x2.mul(stepV, f64x2.promote_low_f32x4(m32)), denom));
    v128.store64_lane(p + at, f32x4.demote_f64x2_zero(next), 0);
  }
  for (; i < n; i++) {
    const at = <usize>i << 2;
    let pk = <f64>load<f32>(p + at);
    let d = sign * <f64>load<f32>(g + at);
    if (l2 != 0) d += l2 * pk;
    if (shrink != 1) pk *= shrink;
    const mk = <f32>(beta1 * <f64>load<f32>(m + at) + oneMinusBeta1 * d);
    const vk = <f32>(beta2 * <f64>load<f32>(v + at) + oneMinusBeta2 * d * d);
    store<f32>(m + at, mk);
    store<f32>(v + at, vk);
    let second = <f64>vk;
    if (vmax != 0) {
      const top = <f64>load<f32>(vmax + at);
      if (second > top) store<f32>(vmax + at, vk);
      second = <f64>load<f32>(vmax + at);
    }
    store<f32>(p + at, <f32>(pk - (stepSize * <f64>mk) / (Math.sqrt(second) / bc2Sqrt + eps)));
  }
}
