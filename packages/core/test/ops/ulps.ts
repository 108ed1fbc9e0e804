/**
 * Distances between floats in units in the last place, and the decoding of
 * the PyTorch fixtures' numbers (JSON cannot hold NaN, ±Infinity or -0, so
 * the fixture scripts write them as strings).
 */

export type Encoded = number | string | null;

/** A fixture number: "NaN", "Infinity", "-Infinity" and "-0" are strings there. */
export function decode(v: Encoded): number {
  if (typeof v === 'number') return v;
  if (v === null) return Number.NaN;
  return v === '-0' ? -0 : Number(v);
}

const f64 = new Float64Array(2);
const i64 = new BigInt64Array(f64.buffer);
const f32 = new Float32Array(2);
const i32 = new Int32Array(f32.buffer);

/** Maps a float's bits to a line where neighbouring floats are neighbouring integers (-0 and +0 both at 0). */
const ordered64 = (bits: bigint): bigint => (bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits);
const ordered32 = (bits: number): number => (bits < 0 ? -(bits & 0x7fffffff) : bits);

/** How many float64 values lie between a and b (0 when equal; Infinity if exactly one is NaN). */
export function ulps64(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  f64[0] = a;
  f64[1] = b;
  const d = ordered64(i64[0] as bigint) - ordered64(i64[1] as bigint);
  return Number(d < 0n ? -d : d);
}

/** How many float32 values lie between a and b (both rounded to float32 first). */
export function ulps32(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  f32[0] = a;
  f32[1] = b;
  return Math.abs(ordered32(i32[0] as number) - ordered32(i32[1] as number));
}

/** True for the values that must match exactly rather than within ulps: NaN, ±Infinity and ±0. */
export const isSpecial = (v: number): boolean => !Number.isFinite(v) || v === 0;
