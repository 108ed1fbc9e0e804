/**
 * Row kernels that compute on integer and bool operands exactly. Plain
 * arithmetic (add, sub, neg, abs) needs no kernel of its own: the exact
 * result fits a double, and storing it into the output's typed array wraps
 * it modulo 2^bits, which is PyTorch's overflow behaviour. Products do: a
 * product of two int32 values may need 62 bits, past a double's 53, so they
 * go through Math.imul, whose low 32 bits are exact (and wrap to 16 or 8
 * bits correctly, since those divide 32).
 */
import type { BinaryRow } from './binary';
import type { UnaryRow } from './unary';

export const mulInt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = Math.imul(a[ai + k * as] as number, b[bi + k * bs] as number);
};

export const squareInt: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs] as number;
    o[oi + k] = Math.imul(v, v);
  }
};

/**
 * xᵉ by squaring, wrapping at every step as PyTorch's integer pow does.
 * NOTE: a negative exponent gives 0, except for bases 1 and -1 (1 and ±1),
 * as PyTorch gives for a tensor of exponents (a plain negative exponent is
 * refused before this runs, as PyTorch refuses it).
 */
function powInt32(x: number, e: number): number {
  if (e < 0) return x === 1 ? 1 : x === -1 ? (e % 2 === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = x | 0;
  for (let rest = e; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

export const powInt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = powInt32(a[ai + k * as] as number, b[bi + k * bs] as number);
};

export const boolOr: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = a[ai + k * as] !== 0 || b[bi + k * bs] !== 0 ? 1 : 0;
};

export const bitwiseAnd: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) & (b[bi + k * bs] as number);
};

export const bitwiseOr: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) | (b[bi + k * bs] as number);
};

export const bitwiseXor: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) ^ (b[bi + k * bs] as number);
};

// NOTE: JavaScript shifts take the amount modulo 32, which is what PyTorch
// 1.13 gives on x86 for int32 (1 << 32 is 1, 1 << -1 is -2³¹); narrower
// dtypes shift in 32 bits and then wrap to their width (int8 1 << 7 is -128).
export const leftShift: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) << (b[bi + k * bs] as number);
};

export const rightShift: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) >> (b[bi + k * bs] as number);
};

export const bitwiseNot: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = ~(x[xi + k * xs] as number);
};

export const boolNot: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = x[xi + k * xs] === 0 ? 1 : 0;
};

/**
 * Float to int32, int16 or int8, truncating toward zero, as PyTorch 1.13 on
 * x86 converts: through int32, where NaN, ±Infinity and values outside its
 * range become -2³¹; the store then wraps to the narrower width (so 1e10
 * becomes 0 in int16, where a plain store would give its low 16 bits).
 */
export const floatToInt: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs] as number;
    o[oi + k] = v > -2147483649 && v < 2147483648 ? v : -2147483648;
  }
};

/**
 * Float to uint8, as PyTorch 1.13 on x86 converts: through int64 (values
 * outside its range, NaN and ±Infinity become -2⁶³, whose low byte is 0),
 * then wrapped modulo 256, which a Uint8Array store does exactly.
 */
const twoTo63 = 2 ** 63;

export const floatToUint8: UnaryRow = (x, xi, xs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const v = x[xi + k * xs] as number;
    o[oi + k] = v >= -twoTo63 && v < twoTo63 ? v : 0;
  }
};

/**
 * ⌊a / b⌋ of integers, exactly: a % b is exact in doubles, and a - r is a
 * multiple of b below 2³², so its quotient is exact too (a / b rounded first
 * could land on the integer above). Divisors are checked nonzero before this
 * runs. NOTE: -2³¹ / -1 wraps to -2³¹ (PyTorch's process dies there).
 */
export const floorDivideInt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const x = a[ai + k * as] as number;
    const y = b[bi + k * bs] as number;
    const r = x % y;
    const q = (x - r) / y;
    o[oi + k] = r !== 0 && r < 0 !== y < 0 ? q - 1 : q;
  }
};

/** a - b·⌊a / b⌋ of integers: the sign of the divisor, as Python and PyTorch. */
export const remainderInt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) {
    const y = b[bi + k * bs] as number;
    const r = (a[ai + k * as] as number) % y;
    o[oi + k] = r !== 0 && r < 0 !== y < 0 ? r + y : r;
  }
};

/** a - b·trunc(a / b) of integers: the sign of the dividend, as C (JavaScript's % on integers). */
export const fmodInt: BinaryRow = (a, ai, as, b, bi, bs, o, oi, n) => {
  for (let k = 0; k < n; k++) o[oi + k] = (a[ai + k * as] as number) % (b[bi + k * bs] as number);
};
