/**
 * Reference special functions for the op-sequence fuzzer, written from their
 * textbook definitions and independent of chainrule's kernels (which use
 * other methods: fdlibm-style rational fits, a Chebyshev fit, Halley steps).
 * Accurate to about 1e-13 relative (or absolute, near a zero), which the
 * fuzzer's 'close' comparison allows for.
 */

/** erf by its Maclaurin series, 2/√π Σ (-1)ⁿ x²ⁿ⁺¹ / (n!(2n + 1)), for |x| < 2. */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

/** erfc by Laplace's continued fraction, e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), for x ≥ 2. */
function erfcFraction(x: number): number {
  let f = x;
  for (let n = 120; n >= 1; n--) f = x + n / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

export function erfRef(x: number): number {
  if (Number.isNaN(x)) return x;
  if (Math.abs(x) < 2) return erfSeries(x);
  const tail = Math.abs(x) > 27 ? 0 : erfcFraction(Math.abs(x));
  return Math.sign(x) * (1 - tail);
}

export function erfcRef(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0) return 2 - erfcRef(-x);
  if (x < 2) return 1 - erfSeries(x);
  return x > 27.5 ? 0 : erfcFraction(x);
}

/** erfinv by bisection on erf (on erfc above 1/2, where 1 - |y| is exact), from its series near 0. */
export function erfinvRef(y: number): number {
  if (Number.isNaN(y) || Math.abs(y) > 1) return Number.NaN;
  if (Math.abs(y) === 1) return y * Infinity;
  const a = Math.abs(y);
  // erfinv(y) = (√π/2)(y + (π/12)y³ + …)
  if (a < 1e-8) return (Math.sqrt(Math.PI) / 2) * y * (1 + (Math.PI / 12) * y * y);
  let lo = 0;
  let hi = 6;
  for (let k = 0; k < 200 && hi - lo > 0; k++) {
    const mid = (lo + hi) / 2;
    if (mid === lo || mid === hi) break;
    const below = a > 0.5 ? erfcRef(mid) > 1 - a : erfRef(mid) < a;
    if (below) lo = mid;
    else hi = mid;
  }
  return Math.sign(y) * ((lo + hi) / 2);
}

/** sin(πx) with x reduced exactly modulo 2 first (π·x itself is not exact for large x). */
function sinPiRef(x: number): number {
  return Math.sin(Math.PI * (x % 2));
}

/** Lanczos coefficients for g = 7, n = 9 (the published table). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln|Γ(x)| by the Lanczos approximation, the reflection formula below 1/2. */
export function lgammaRef(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  // Near 0, Γ(x) = 1/x - γ + O(x): -ln|x| - γx (π/sin(πx) would overflow for subnormal x).
  if (Math.abs(x) < 1e-8) return -Math.log(Math.abs(x)) - 0.5772156649015329 * x;
  // Between -50 and 0.5, the recurrence Γ(x) = Γ(x + n) / (x(x+1)…(x+n-1)): near a pole the
  // reflection's π/sin(πx) cancels against lgamma(1 - x) and loses ~1e-11.
  if (x < 0.5 && x > -50) {
    const n = Math.ceil(0.5 - x);
    let logs = 0;
    for (let k = 0; k < n; k++) logs += Math.log(Math.abs(x + k));
    return lgammaRef(x + n) - logs;
  }
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPiRef(x))) - lgammaRef(1 - x);
  const z = x - 1;
  let a = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) a += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ψ by the recurrence ψ(x) = ψ(x + 1) - 1/x up to 20, then its asymptotic series; reflection below 0. */
export function digammaRef(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return Number.NaN;
  if (x === Infinity) return Infinity;
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity;
  if (x < 0) {
    if (Number.isInteger(x)) return Number.NaN;
    // Above -50, the recurrence ψ(x) = ψ(x + n) - Σ 1/(x + k): near a pole the reflection's
    // π/tan(πx) lost ~1e-12 (x = -19.99996).
    if (x > -50) {
      const n = Math.ceil(-x);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += 1 / (x + k);
      return digammaRef(x + n) - sum;
    }
    return digammaRef(1 - x) - Math.PI / Math.tan(Math.PI * (x % 1));
  }
  let shift = 0;
  let y = x;
  while (y < 20) {
    shift -= 1 / y;
    y += 1;
  }
  const z = 1 / (y * y);
  // ln y - 1/(2y) - 1/(12y²) + 1/(120y⁴) - 1/(252y⁶) + 1/(240y⁸) - 1/(132y¹⁰)
  const series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z / 132))));
  return shift + Math.log(y) - 0.5 / y - series;
}

/** sin(πx)/(πx) with 1 at 0: the definition PyTorch computes. */
export const sincRef = (x: number): number => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));

/** Ties to even from the definition: the distance to the floor decides, and a tie picks the even one. */
export function roundRef(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}
