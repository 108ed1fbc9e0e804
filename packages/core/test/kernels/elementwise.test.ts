/**
 * Every WebAssembly SIMD twin of a unary row kernel (exp, sigmoid, tanh, erf,
 * silu, both gelus: unary.ts's `simdTwins`, so a new twin is checked here
 * without being listed) against its JavaScript row kernel (double precision
 * rounded once to float32): within 4 float32 ulps everywhere, the same at
 * the special values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simdTwins, type UnaryRow } from '../../src/kernels/unary';
import { wasmAddScaled, wasmElementwise, wasmReady, type WasmElementwise } from '../../src/kernels/wasm';

/** The distance between two float32 values in units of the last place. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const order = (i: number) => ((bits[i] as number) < 0 ? -2147483648 - (bits[i] as number) : (bits[i] as number));
  return Math.abs(order(0) - order(1));
}

function compare(f: WasmElementwise, row: UnaryRow, values: number[]): void {
  const x = new Float32Array(values);
  const simd = new Float32Array(x.length);
  const reference = new Float32Array(x.length);
  wasmElementwise(f, x, 0, simd, 0, x.length);
  row(x, 0, 1, reference, 0, x.length, 0, 0);
  for (let i = 0; i < x.length; i++) {
    const distance = ulps(simd[i] as number, reference[i] as number);
    if (distance > 4)
      throw new Error(`${f}(${x[i]}) = ${simd[i]}, the JS kernel gives ${reference[i]} (${distance} ulps apart)`);
  }
}

const specials = [
  0,
  -0,
  1,
  -1,
  1e-45,
  -1e-45,
  1e-38,
  88.7,
  88.8,
  -87,
  -103,
  -104,
  -110,
  1e4,
  -1e4,
  3.4e38,
  -3.4e38,
  Infinity,
  -Infinity,
  Number.NaN,
];
const wide = fc.float({ noNaN: false, noDefaultInfinity: false });
const moderate = fc.float({ min: -120, max: 100, noNaN: true });

describe('SIMD twins of the unary kernels (float32)', () => {
  it('the module compiled', () => expect(wasmReady()).toBe(true));

  for (const [row, f] of simdTwins) {
    it(`${f} is within 4 ulps of the JS kernel, special values included`, () => {
      compare(f, row, specials);
      fc.assert(
        fc.property(fc.array(fc.oneof(moderate, wide), { minLength: 1, maxLength: 37 }), (values) =>
          compare(f, row, values),
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe('SIMD addScaled (float32, the optimizers’ y += a·x)', () => {
  // The reference is the JavaScript loop itself: arithmetic in double,
  // rounded once when stored into the Float32Array.
  const reference = (y: Float32Array, x: Float32Array, a: number) => {
    const out = Float32Array.from(y);
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + a * (x[i] as number);
    return out;
  };
  // NaN's sign and payload are not specified (x86 and WebAssembly make different
  // ones); every other value must match to the bit, -0 included.
  const bits = (a: Float32Array) =>
    Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length), (b, i) => (Number.isNaN(a[i]) ? 'NaN' : b));

  it('is bit for bit the JavaScript loop, at any length and offset, special values included', () => {
    const element = fc.oneof(wide, fc.constantFrom(0, -0, 1e-45, -3.4e38, Infinity, Number.NaN));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(element, element), { minLength: 0, maxLength: 70 }),
        fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(0, -0.1, 1e-300, 1e300)),
        fc.nat({ max: 5 }),
        (pairs, a, offset) => {
          const y = new Float32Array(offset + pairs.length);
          const x = new Float32Array(offset + pairs.length + 3);
          pairs.forEach(([yi, xi], i) => {
            y[offset + i] = yi;
            x[3 + i] = xi;
          });
          const expected = reference(y.subarray(offset), x.subarray(3, 3 + pairs.length), a);
          wasmAddScaled(y, offset, x, 3, pairs.length, a);
          expect(bits(y.subarray(offset))).toEqual(bits(expected));
        },
      ),
      { numRuns: 500 },
    );
  });
});
