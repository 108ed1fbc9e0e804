/**
 * The WebAssembly SIMD erf (asm/special.ts) against the JavaScript row kernel
 * (float64 erf, accurate to an ulp, rounded once to float32): both round an
 * accurate float64 value, so they agree to the float32 bit except where that
 * value lies within about 1e-13 of a float32 rounding boundary, and there by
 * one ulp. And the op uses the twin: a large float32 erf goes through it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfRow } from '../../src/kernels/special';
import { simdTwins } from '../../src/kernels/unary';
import { wasmElementwise, wasmReady } from '../../src/kernels/wasm';
import { setBackend, tensor } from '../../src/index';
import { contiguousUnary } from '../../src/kernels/simd-unary';
import { ulps32 } from '../ops/ulps';

function both(values: number[]): { simd: Float32Array; js: Float32Array; x: Float32Array } {
  const x = new Float32Array(values);
  const simd = new Float32Array(x.length);
  const js = new Float32Array(x.length);
  expect(wasmElementwise('erff32', x, 0, simd, 0, x.length)).toBe(true);
  erfRow(x, 0, 1, js, 0, x.length, 0, 0);
  return { simd, js, x };
}

const specials = [
  0,
  -0,
  1e-45,
  -1e-45,
  1e-38,
  1e-20,
  0.5,
  0.84375,
  0.84374994,
  1,
  1.25,
  1.2499999,
  2.857142857,
  3.9,
  4,
  5.99,
  6,
  -6,
  10,
  3.4e38,
  -3.4e38,
  Infinity,
  -Infinity,
  Number.NaN,
];

describe('SIMD erf (float32)', () => {
  it('the module compiled and erf has a twin', () => {
    expect(wasmReady()).toBe(true);
    expect(simdTwins.get(erfRow)).toBe('erff32');
  });

  it('the special values exactly as the JS kernel (signed zeros, ±1 in the tails, NaN)', () => {
    const { simd, js, x } = both(specials);
    x.forEach((v, i) => expect(Object.is(simd[i], js[i]), `erf(${v}): ${simd[i]} vs ${js[i]}`).toBe(true));
  });

  it('within one float32 ulp of the JS kernel everywhere, and equal on nearly all of a dense sweep', () => {
    const sweep = Array.from({ length: 200001 }, (_, i) => -7 + (14 * i) / 200000);
    const { simd, js } = both(sweep);
    const far: number[] = [];
    let differ = 0;
    for (let i = 0; i < sweep.length; i++) {
      const d = ulps32(simd[i] as number, js[i] as number);
      if (d > 1) far.push(sweep[i] as number);
      if (d > 0) differ++;
    }
    expect(far).toEqual([]);
    // Measured: none of these 200001 (nor of 2000001) differ.
    expect(differ).toBeLessThan(20);
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: false, noDefaultInfinity: false }), { minLength: 1, maxLength: 37 }),
        (values) => {
          const r = both(values);
          for (let i = 0; i < values.length; i++)
            expect(ulps32(r.simd[i] as number, r.js[i] as number)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the op takes the twin for large contiguous float32 data under the wasm backend', () => {
    try {
      setBackend('wasm');
      const values = Array.from({ length: 1024 }, (_, i) => (i - 512) / 100);
      const x = new Float32Array(values);
      // mapUnary's SIMD path: true means the twin ran (false: the JS row would).
      expect(contiguousUnary(erfRow, x, 0, new Float32Array(x.length), x.length)).toBe(true);
      expect(Array.from(tensor(values).erf().data())).toEqual(Array.from(both(values).simd));
    } finally {
      setBackend(null);
    }
  });
});
