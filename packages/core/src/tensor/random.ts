/**
 * Seedable pseudo-random numbers: xoshiro128** (fast, 32-bit arithmetic, a
 * 2^128 - 1 period) seeded through splitmix32, and normals by the Box-Muller
 * transform. The default generator starts from seed 0, so a program that
 * never seeds still runs the same way twice; `manualSeed` changes it.
 */
import { ArgumentError, safeString } from '../errors';

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** An independent stream of random numbers. */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /** Restarts the stream from `seed` (any safe integer). */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
      throw new ArgumentError('manualSeed', `the seed must be a safe integer, got ${safeString(seed)}`);
    }
    const low = seed >>> 0;
    const high = Math.floor(seed / 2 ** 32) >>> 0;
    const next = splitmix32(low ^ Math.imul(high, 0x27d4eb2d));
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = null;
    return this;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A standard normal sample. */
  normal(): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [0, n), for a positive safe integer n. */
  integer(n: number): number {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
      throw new ArgumentError('integer', `n must be a positive safe integer, got ${safeString(n)}`);
    }
    return Math.floor(this.random() * n);
  }

  /** 0..n-1 in random order (Fisher-Yates), for 0 ≤ n < 2³¹. */
  permutation(n: number): Int32Array {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > maxPermutation) {
      throw new ArgumentError('permutation', `n must be an integer from 0 to ${maxPermutation}, got ${safeString(n)}`);
    }
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  }
}

/** The longest permutation: its indices must fit an int32 (as a tensor's elements must). */
const maxPermutation = 2 ** 31 - 1;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator used when none is given. */
export const defaultGenerator = new Generator(0);

/**
 * Seeds the default generator, making rand, randn, initializers and shuffles
 * reproducible.
 *
 * @example
 * manualSeed(42);
 */
export function manualSeed(seed: number): void {
  defaultGenerator.manualSeed(seed);
}
