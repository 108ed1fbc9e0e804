/**
 * Row kernels of the elementwise binary math ops (ops/binary-math.ts) and of
 * the ternary ones, lerp and clamp with tensor bounds. Same layout as
 * binary.ts: `o[oi + k] = f(a[ai + k*as], b[bi + k*bs])`, a stride of 0
 * reading a broadcast operand. Everything is computed in float64 and rounded
 * once when stored into a float32 output.
 */
import type { NumArray } from './arrays';
import type { BinaryRow } from './binary';

/** `o[oi + k] = f(a[ai + k*as], b[bi + k*bs], c[ci + k*cs])` for k < n. */
export type TernaryRow = (
  a: NumArray,
  ai: number,
  as: number,
  b: NumArray,
  bi: number,
  bs: number,
  c: NumArray,
  ci: number,
  cs: number,
  o: NumArray,
  oi: number,
  n: number,
) => void;

export const atan2: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.atan2(a[ai + k * as], b[bi + k * bs]);
};

/** True when the sign bit of x is set: negative numbers and -0 (NaN reads as positive). */
function signBit(x: number): boolean {
  return x < 0 || (x === 0 && 1 / x < 0);
}

export const copysign: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const m = Math.abs(a[ai + k * as]);
    o[oi + k] = signBit(b[bi + k * bs]) ? -m : m;
  }
};

// Veltkamp's splitting constant 2²⁷ + 1: x·c - (x·c - x) keeps the high 26 bits of x.
const split = 134217729;

/** The rounding error of `xx = x * x`, exactly: x² - xx (Dekker's product, no FMA in JavaScript). */
function squareError(x: number, xx: number): number {
  const c = split * x;
  const hi = c - (c - x);
  const lo = x - hi;
  return hi * hi - xx + 2 * hi * lo + lo * lo;
}

const big = 2 ** 500;
const small = 2 ** -500;
const down = 2 ** -600;
const up = 2 ** 600;

/**
 * √(x² + y²) without overflow or underflow, within about half an ulp:
 * scaled by a power of two (exact) into a range where the squares are
 * normal numbers, then one Newton step on h² = x² + y² with the squares'
 * rounding errors computed exactly.
 * NOTE: an infinite side gives Infinity even when the other is NaN (C99 and IEEE 754, as PyTorch).
 */
export function hypotOf(p: number, q: number): number {
  let x = Math.abs(p);
  let y = Math.abs(q);
  if (x === Infinity || y === Infinity) return Infinity;
  if (x !== x || y !== y) return NaN;
  if (x < y) {
    const t = x;
    x = y;
    y = t;
  }
  // y/x ≤ 2⁻³⁰: x·√(1 + (y/x)²) rounds to x (and 0 stays 0).
  if (y <= x * 2 ** -30) return x;
  let scale = 1;
  if (x > big) {
    x *= down;
    y *= down;
    scale = up;
  } else if (y < small) {
    x *= up;
    y *= up;
    scale = down;
  }
  const xx = x * x;
  const yy = y * y;
  const h = Math.sqrt(xx + yy);
  const hh = h * h;
  // x² + y² - h², from the rounded squares (xx - hh is exact: hh/2 ≤ xx ≤ hh) and their errors.
  const residual = xx - hh + yy + (squareError(x, xx) + squareError(y, yy) - squareError(h, hh));
  return (h + residual / (2 * h)) * scale;
}

export const hypot: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = hypotOf(a[ai + k * as], b[bi + k * bs]);
};

/** log(eˣ + eʸ) = max + log1p(e^-|x - y|): no overflow, and exact in the larger operand when they are far apart. */
function logaddexpOf(x: number, y: number): number {
  // NOTE: both -Infinity gives -Infinity (and both +Infinity, +Infinity), where
  // the shift would compute -∞ - -∞ = NaN; as PyTorch.
  if (x === y && (x === Infinity || x === -Infinity)) return x;
  const m = x < y ? y : x;
  return m + Math.log1p(Math.exp(-Math.abs(x - y)));
}

export const logaddexp: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = logaddexpOf(a[ai + k * as], b[bi + k * bs]);
};

const invLn2 = 1 / Math.LN2;

export const logaddexp2: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    if (x === y && (x === Infinity || x === -Infinity)) {
      o[oi + k] = x;
      continue;
    }
    const m = x < y ? y : x;
    o[oi + k] = m + Math.log1p(2 ** -Math.abs(x - y)) * invLn2;
  }
};

export const xlogy: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    // NOTE: 0 where x = 0, even for y = 0 or Infinity; NaN if y is NaN (as PyTorch).
    o[oi + k] = y !== y ? NaN : x === 0 ? 0 : x * Math.log(y);
  }
};

// JavaScript's % is C's fmod: exact, with the sign of the dividend.
export const fmod: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] % b[bi + k * bs];
};

export const remainder: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const y = b[bi + k * bs];
    let r = a[ai + k * as] % y;
    // fmod has the dividend's sign: a nonzero result of the other sign moves by one divisor.
    // NOTE: a zero result keeps fmod's sign (remainder(-3, 1.5) = -0), as PyTorch, unlike Python's %.
    if (r !== 0 && y < 0 !== r < 0) r += y;
    o[oi + k] = r;
  }
};

/**
 * ⌊x / y⌋ of the exact quotient, as Python's // on floats: from fmod, which
 * is exact, rather than from the rounded quotient (⌊0.3 / 0.1⌋ is 2: 0.3 is
 * a little below three times 0.1, though 0.3 / 0.1 rounds to 3).
 */
export function floorDivideOf(x: number, y: number): number {
  // NOTE: y = 0 gives IEEE's x / 0 (±Infinity or NaN), as PyTorch.
  if (y === 0) return x / y;
  const r = x % y;
  let q = (x - r) / y;
  if (r !== 0 && y < 0 !== r < 0) q -= 1;
  // NOTE: a zero quotient takes the sign of x / y (floorDivide(-0, 3) = -0), as PyTorch.
  if (q === 0) return signBit(x / y) ? -0 : 0;
  // (x - r) / y is an integer up to rounding: snap it to the nearest one.
  const f = Math.floor(q);
  return q - f > 0.5 ? f + 1 : f;
}

export const floorDivide: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = floorDivideOf(a[ai + k * as], b[bi + k * bs]);
};

/** trunc(x / y) of the rounded quotient, as PyTorch's div(rounding_mode='trunc'); fmod's gradient reads it. */
export const truncDivide: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.trunc(a[ai + k * as] / b[bi + k * bs]);
};

// NaN-ignoring: the other operand when one is NaN. On ties the first operand (its zero's sign too).
export const fmax: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    o[oi + k] = x < y || x !== x ? y : x;
  }
};

export const fmin: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const y = b[bi + k * bs];
    o[oi + k] = x > y || x !== x ? y : x;
  }
};

/** The rounding error of `p = x * y`, exactly: x·y - p (Dekker's product; |x|, |y| below 2⁹⁹⁵). */
function productError(x: number, y: number, p: number): number {
  let c = split * x;
  const xh = c - (c - x);
  const xl = x - xh;
  c = split * y;
  const yh = c - (c - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

const splitSafe = 2 ** 995;

/**
 * x·y + z with (almost always) one rounding, as a fused multiply-add, which
 * JavaScript lacks: the product's and the sum's rounding errors are computed
 * exactly and added back once. It can differ from a true FMA by an ulp where
 * adding the two errors itself rounds across a tie, which is rare. Operands
 * too large to split exactly, and non-finite ones, take the plain x·y + z.
 */
export function fusedMultiplyAdd(x: number, y: number, z: number): number {
  const p = x * y;
  const s = p + z;
  if (!(Math.abs(x) < splitSafe && Math.abs(y) < splitSafe && s - s === 0 && p - p === 0)) return s;
  // Knuth's TwoSum: p + z = s + t exactly.
  const v = s - p;
  const t = p - (s - v) + (z - v);
  const r = t + productError(x, y, p);
  // An exact s keeps its sign: -0 + 0 would turn fma(0, -1, -0) = -0 into +0.
  return r === 0 ? s : s + r;
}

/**
 * start + w·(end - start) for w < ½, else end - (end - start)·(1 - w), each
 * with one fused multiply-add, as PyTorch 1.13: exact at w = 0 and at w = 1
 * (where the first form would round).
 */
export const lerp: TernaryRow = (a, ai, as, b, bi, bs, c, ci, cs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const s = a[ai + k * as];
    const e = b[bi + k * bs];
    const w = c[ci + k * cs];
    const d = e - s;
    o[oi + k] = w < 0.5 ? fusedMultiplyAdd(w, d, s) : fusedMultiplyAdd(-d, 1 - w, e);
  }
};

// NOTE: clamp with tensor bounds is NaN where x or a bound is NaN; where min > max the result is max (as PyTorch).
export const clampBoth: TernaryRow = (a, ai, as, b, bi, bs, c, ci, cs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const lo = b[bi + k * bs];
    const hi = c[ci + k * cs];
    o[oi + k] = x !== x || lo !== lo || hi !== hi ? NaN : Math.min(Math.max(x, lo), hi);
  }
};

// One tensor bound: NaN in x or the bound propagates.
export const clampMin: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const lo = b[bi + k * bs];
    o[oi + k] = x !== x || lo !== lo ? NaN : x < lo ? lo : x;
  }
};

export const clampMax: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as];
    const hi = b[bi + k * bs];
    o[oi + k] = x !== x || hi !== hi ? NaN : x > hi ? hi : x;
  }
};
