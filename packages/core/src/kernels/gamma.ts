/**
 * The log-gamma function and the polygamma family (digamma ψ and its
 * derivatives ψ⁽ⁿ⁾) in float64, for the special-function ops. JavaScript's
 * Math has none of them.
 *
 * lgamma follows the classic interval scheme of Sun's fdlibm (rational and
 * polynomial fits around the zeros at 1 and 2, a rational fit on [2, 3)
 * shifted to [2, 8), Stirling's series above 8), whose published
 * coefficients are used here. Digamma on [1, 2] is ψ(x) = (x - x₀)·P(x - 1.5)
 * with x₀ its positive root, so it keeps its relative accuracy near that root;
 * P is a Chebyshev fit made by scripts/special-coefficients.py. The derivatives
 * ψ⁽ⁿ⁾, n ≥ 1, are sums of the Hurwitz zeta series with an Euler–Maclaurin tail.
 */

/** sin(πx) for finite x: exactly ±0 at integers and accurate near them (x is reduced exactly first). */
export function sinPi(x: number): number {
  const r = x % 2;
  // r = n/2 + y with |y| ≤ 1/4; both steps are exact.
  const n = Math.round(r * 2);
  const y = r - n / 2;
  const p = Math.PI * y;
  switch (n & 3) {
    case 0:
      return Math.sin(p);
    case 1:
      return Math.cos(p);
    case 2:
      return -Math.sin(p);
    default:
      return -Math.cos(p);
  }
}

/**
 * cot(πx) for finite non-integer x. The period is 1, so x is first reduced
 * exactly to |r| ≤ 1/2; above 1/4, cot(πr) = tan(π(1/2 - r)) with 1/2 - r
 * exact, so cot(π/2) is exactly 0 rather than 1/tan(fl(π/2)) ≈ 6e-17.
 */
function cotPi(x: number): number {
  const r = x - Math.round(x);
  const a = Math.abs(r);
  const c = a <= 0.25 ? 1 / Math.tan(Math.PI * a) : Math.tan(Math.PI * (0.5 - a));
  return r < 0 ? -c : c;
}

// ------------------------------------------------------------------ lgamma

/** The abscissa of Γ's minimum, and lgamma there as a value plus a correction (fdlibm's tc, tf, tt). */
const TC = 1.4616321449683622;
const TF = -0.12148629053584961;
const TT = -3.638676997039505e-18;

// lgamma(1 + y) and lgamma(2 + y) for |y| ≲ 0.27: y·p1(y²) + p2(y²) - y/2.
const A0 = 0.07721566490153287;
const A1 = 0.3224670334241136;
const A2 = 0.06735230105312927;
const A3 = 0.020580808432516733;
const A4 = 0.007385550860814029;
const A5 = 0.0028905138367341563;
const A6 = 0.0011927076318336207;
const A7 = 0.0005100697921535113;
const A8 = 0.00022086279071390839;
const A9 = 0.00010801156724758394;
const A10 = 0.000025214456545125733;
const A11 = 0.000044864094961891516;

// lgamma(TC + y) - TF, |y| ≤ 0.27: a polynomial in y split in three by powers of y³.
const T0 = 0.48383612272381005;
const T1 = -0.1475877229945939;
const T2 = 0.06462494023913339;
const T3 = -0.032788541075985965;
const T4 = 0.01797067508118204;
const T5 = -0.010314224129834144;
const T6 = 0.006100538702462913;
const T7 = -0.0036845201678113826;
const T8 = 0.0022596478090061247;
const T9 = -0.0014034646998923284;
const T10 = 0.000881081882437654;
const T11 = -0.0005385953053567405;
const T12 = 0.00031563207090362595;
const T13 = -0.00031275416837512086;
const T14 = 0.0003355291926355191;

// lgamma(1 + y) for y in [-0.1, 0.2316) and lgamma(2 + y) likewise: -y/2 + y·U(y)/V(y).
const U0 = -0.07721566490153287;
const U1 = 0.6328270640250934;
const U2 = 1.4549225013723477;
const U3 = 0.9777175279633727;
const U4 = 0.22896372806469245;
const U5 = 0.013381091853678766;
const V1 = 2.4559779371304113;
const V2 = 2.128489763798934;
const V3 = 0.7692851504566728;
const V4 = 0.10422264559336913;
const V5 = 0.003217092422824239;

// lgamma(2 + y), y in [0, 1): y/2 + y·S(y)/R(y).
const S0 = -0.07721566490153287;
const S1 = 0.21498241596060885;
const S2 = 0.325778796408931;
const S3 = 0.14635047265246445;
const S4 = 0.02664227030336386;
const S5 = 0.0018402845140733772;
const S6 = 0.00003194753265841009;
const R1 = 1.3920053346762105;
const R2 = 0.7219355475671381;
const R3 = 0.17193386563280308;
const R4 = 0.01864591917156529;
const R5 = 0.0007779424963818936;
const R6 = 0.000007326684307446256;

// Stirling's series for x ≥ 8: (x - 1/2)(ln x - 1) + W(1/x).
const W0 = 0.4189385332046727;
const W1 = 0.08333333333333297;
const W2 = -0.0027777777772877554;
const W3 = 0.0007936505586430196;
const W4 = -0.00059518755745034;
const W5 = 0.0008363399189962821;
const W6 = -0.0016309293409657527;

/** lgamma(1 + y) (or of 2 + y) for |y| ≲ 0.27, y measured from the zero. */
function nearZero(y: number): number {
  const z = y * y;
  const p1 = A0 + z * (A2 + z * (A4 + z * (A6 + z * (A8 + z * A10))));
  const p2 = z * (A1 + z * (A3 + z * (A5 + z * (A7 + z * (A9 + z * A11)))));
  return y * p1 + p2 - 0.5 * y;
}

/** lgamma(TC + y) for |y| ≤ 0.27, around Γ's minimum. */
function nearMinimum(y: number): number {
  const z = y * y;
  const w = z * y;
  const p1 = T0 + w * (T3 + w * (T6 + w * (T9 + w * T12)));
  const p2 = T1 + w * (T4 + w * (T7 + w * (T10 + w * T13)));
  const p3 = T2 + w * (T5 + w * (T8 + w * (T11 + w * T14)));
  return TF + (z * p1 - (TT - w * (p2 + y * p3)));
}

/** lgamma(1 + y) (or of 2 + y) for y in [-0.1, 0.2316). */
function nearOneOrTwo(y: number): number {
  const p = y * (U0 + y * (U1 + y * (U2 + y * (U3 + y * (U4 + y * U5)))));
  const q = 1 + y * (V1 + y * (V2 + y * (V3 + y * (V4 + y * V5))));
  return -0.5 * y + p / q;
}

/** lgamma(x) for 0 < x < 2 (x ≠ 1): the offset from the zero at 1 or 2 keeps the relative accuracy there. */
function lgammaBelowTwo(x: number): number {
  // The fit around the minimum covers y = x - TC in [-0.23, 0.27].
  const low = TC - 0.23;
  const high = TC + 0.27;
  if (x <= 0.9) {
    // lgamma(x) = lgamma(x + 1) - ln x
    const shift = -Math.log(x);
    if (x >= high - 1) return shift + nearZero(1 - x);
    if (x >= low - 1) return shift + nearMinimum(x - (TC - 1));
    return shift + nearOneOrTwo(x);
  }
  if (x >= high) return nearZero(2 - x);
  if (x >= low) return nearMinimum(x - TC);
  return nearOneOrTwo(x - 1);
}

/** lgamma(x) for x in [2, 8): lgamma(2 + y) and the product (2 + y)(3 + y)… for the integer part. */
function lgammaTwoToEight(x: number): number {
  const i = Math.floor(x);
  const y = x - i;
  const p = y * (S0 + y * (S1 + y * (S2 + y * (S3 + y * (S4 + y * (S5 + y * S6))))));
  const q = 1 + y * (R1 + y * (R2 + y * (R3 + y * (R4 + y * (R5 + y * R6)))));
  let result = 0.5 * y + p / q;
  let product = 1;
  for (let k = 2; k < i; k++) product *= y + k;
  if (i > 2) result += Math.log(product);
  return result;
}

/** ln Γ(x) for x > 0. */
function lgammaPositive(x: number): number {
  if (x < 2 ** -70) return -Math.log(x);
  if (x === 1 || x === 2) return 0;
  if (x < 2) return lgammaBelowTwo(x);
  if (x < 8) return lgammaTwoToEight(x);
  if (x < 2 ** 58) {
    const z = 1 / x;
    const y = z * z;
    const w = W0 + z * (W1 + y * (W2 + y * (W3 + y * (W4 + y * (W5 + y * W6)))));
    return (x - 0.5) * (Math.log(x) - 1) + w;
  }
  return x * (Math.log(x) - 1);
}

/**
 * ln |Γ(x)| in float64. NOTE: +Infinity at 0, -0, every negative integer and
 * ±Infinity, as PyTorch (glibc's lgamma) gives.
 */
export function lgamma(x: number): number {
  if (x !== x) return x;
  if (x === Infinity || x === -Infinity) return Infinity;
  if (x > 0) return lgammaPositive(x);
  const a = -x;
  if (a < 2 ** -70) return -Math.log(a);
  // Every float64 of magnitude 2⁵² or more is an integer: a pole.
  if (a >= 2 ** 52) return Infinity;
  const s = sinPi(a);
  if (s === 0) return Infinity;
  // Γ(-a)·Γ(1 + a) = -π / sin(πa), so ln|Γ(-a)| = ln(π / |a·sin(πa)|) - lgamma(a).
  return Math.log(Math.PI / Math.abs(s * a)) - lgammaPositive(a);
}

// ----------------------------------------------------------------- digamma

/** Digamma's positive root x₀ = 1.4616321449683622…, as a float64 and the rest. */
const ROOT_HI = 1.4616321449683622;
const ROOT_LO = 9.549995429965697e-17;

/**
 * ψ(x) / (x - x₀) on [1, 2] as a polynomial in x - 1.5, highest power first
 * (Chebyshev fit of degree 23, error below 1e-18; scripts/special-coefficients.py).
 */
const DIGAMMA_FIT = [
  -0.00008153978973309418, 0.00012230983055406747, -0.0000611554261750751, 0.00009173383289174792,
  -0.0002178682145501451, 0.0003268068044141764, -0.0004599625144612576, 0.0006899717801166841, -0.001042261556504223,
  0.0015635679757533885, -0.002344650082351321, 0.0035180800751066694, -0.00528001782089874, 0.007927024067961237,
  -0.011908215172584002, 0.017907248195969127, -0.02697579684427536, 0.04076083394462657, -0.06192213327165706,
  0.09498872445283, -0.14840492305391761, 0.24054248424078736, -0.42362742128146047, 0.9510558760318328,
];

/** B₂ₖ / 2k for k = 1…9: the asymptotic series ψ(x) ~ ln x - 1/(2x) - Σ B₂ₖ / (2k x²ᵏ). */
const DIGAMMA_ASYMPTOTIC = [
  1 / 12,
  -1 / 120,
  1 / 252,
  -1 / 240,
  1 / 132,
  -691 / 32760,
  1 / 12,
  -3617 / 8160,
  43867 / 14364,
];

/** ψ(x) for x in [1, 2]. */
function digammaOneToTwo(x: number): number {
  const t = x - 1.5;
  let p = DIGAMMA_FIT[0] as number;
  for (let k = 1; k < DIGAMMA_FIT.length; k++) p = p * t + (DIGAMMA_FIT[k] as number);
  return (x - ROOT_HI - ROOT_LO) * p;
}

/** ψ(x) for x ≥ 10 from the asymptotic series (its terms fall below 1e-18 relative there). */
function digammaLarge(x: number): number {
  if (x > 1e17) return Math.log(x) - 0.5 / x;
  const z = 1 / (x * x);
  let s = 0;
  for (let k = DIGAMMA_ASYMPTOTIC.length - 1; k >= 0; k--) s = s * z + (DIGAMMA_ASYMPTOTIC[k] as number);
  return Math.log(x) - 0.5 / x - s * z;
}

/** ψ(x) for x > 0. */
function digammaPositive(x: number): number {
  if (x >= 10) return digammaLarge(x);
  if (x < 1) return digammaOneToTwo(x + 1) - 1 / x;
  // ψ(x) = ψ(x - k) + Σ 1/(x - i): the terms are positive, so nothing cancels.
  let sum = 0;
  let y = x;
  while (y > 2) {
    y -= 1;
    sum += 1 / y;
  }
  return digammaOneToTwo(y) + sum;
}

/**
 * ψ(x) = d/dx ln Γ(x) in float64. NOTE: as PyTorch: ψ(+0) = -Infinity and
 * ψ(-0) = +Infinity, NaN at the negative integers (poles approached from
 * both sides) and at -Infinity, +Infinity at +Infinity.
 */
export function digamma(x: number): number {
  if (x !== x) return x;
  if (x === 0) return 1 / x < 0 ? Infinity : -Infinity;
  if (x === Infinity) return Infinity;
  if (x > 0) return x < 1e-300 ? -1 / x : digammaPositive(x);
  if (x === -Infinity || x === Math.floor(x)) return NaN;
  // Reflection: ψ(x) = ψ(1 - x) - π·cot(πx).
  return digammaPositive(1 - x) - Math.PI * cotPi(x);
}

// --------------------------------------------------------------- polygamma

/** B₂ⱼ / (2j)! for j = 1…10, the Euler–Maclaurin tail of the Hurwitz zeta sum. */
const EULER_MACLAURIN = [
  1 / 6 / 2,
  -1 / 30 / 24,
  1 / 42 / 720,
  -1 / 30 / 40320,
  5 / 66 / 3628800,
  -691 / 2730 / 479001600,
  7 / 6 / 87178291200,
  -3617 / 510 / 20922789888000,
  43867 / 798 / 6402373705728000,
  -174611 / 330 / 2432902008176640000,
];

/** ζ(s, x) = Σₖ (x + k)⁻ˢ for an integer s ≥ 2 and x > 0. */
function hurwitzZeta(s: number, x: number): number {
  // Sum directly until a = x + N is large enough that the tail's series converges fast.
  const start = 12 + s;
  let sum = 0;
  let a = x;
  while (a < start) {
    sum += a ** -s;
    a += 1;
  }
  // ∫ₐ^∞ t⁻ˢ dt + a⁻ˢ/2 + Σ B₂ⱼ/(2j)! · s(s+1)…(s+2j-2) · a^(-s-2j+1)
  const inverse = 1 / a;
  const inverseSquare = inverse * inverse;
  let power = a ** -s * inverse; // a^(-s-1)
  let rising = s; // s(s+1)…(s+2j-2)
  let tail = 0;
  for (let j = 0; j < EULER_MACLAURIN.length; j++) {
    tail += (EULER_MACLAURIN[j] as number) * rising * power;
    rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
    power *= inverseSquare;
  }
  return sum + (a ** (1 - s) / (s - 1) + 0.5 * a ** -s + tail);
}

/** n!, exactly for the n polygamma's derivatives reach (n ≤ 22). */
function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

/** dⁿ/dxⁿ cot(πx), from the polynomial in c = cot(πx) that d/dx c = -π(1 + c²) generates. */
function cotPiDerivative(n: number, x: number): number {
  // coefficients[i] multiplies cⁱ; start from P₀(c) = c.
  let coefficients = [0, 1];
  for (let k = 0; k < n; k++) {
    // P' · (-π)(1 + c²)
    const next = new Array<number>(coefficients.length + 1).fill(0);
    for (let i = 1; i < coefficients.length; i++) {
      const d = -Math.PI * i * (coefficients[i] as number);
      next[i - 1] = (next[i - 1] as number) + d;
      next[i + 1] = (next[i + 1] as number) + d;
    }
    coefficients = next;
  }
  // Horner from the leading coefficient (never 0·c, which is NaN for the infinite c next to a pole).
  const c = cotPi(x);
  let p = coefficients[coefficients.length - 1] as number;
  for (let i = coefficients.length - 2; i >= 0; i--) p = p * c + (coefficients[i] as number);
  return p;
}

/**
 * ψ⁽ⁿ⁾(x), the n-th derivative of digamma, for an integer n ≥ 1: for x > 0,
 * (-1)ⁿ⁺¹ n! ζ(n + 1, x). Negative x use the reflection
 * ψ⁽ⁿ⁾(x) = (-1)ⁿ ψ⁽ⁿ⁾(1 - x) - π dⁿ/dxⁿ cot(πx). NOTE: at 0 and the negative
 * integers (poles) the result is (-1)ⁿ⁺¹·Infinity, the sign ζ's pole gives, as
 * PyTorch's polygamma does at 0; PyTorch's trigamma gives a huge finite number
 * at the negative integers instead (sin(πx) rounds to a tiny nonzero value).
 */
export function polygamma(n: number, x: number): number {
  if (x !== x || x === -Infinity) return NaN;
  const sign = n % 2 === 1 ? 1 : -1;
  if (x === Infinity) return sign * 0;
  if (x <= 0 && x === Math.floor(x)) return sign * Infinity;
  if (x > 0) return sign * factorial(n) * hurwitzZeta(n + 1, x);
  const reflected = polygamma(n, 1 - x);
  return (n % 2 === 0 ? reflected : -reflected) - Math.PI * cotPiDerivative(n, x);
}
