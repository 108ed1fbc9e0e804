/**
 * The WebAssembly SIMD twins of silu and tanh-gelu (asm/activations.ts)
 * against their JavaScript row kernels (float64, rounded once to float32,
 * and checked against the true values in test/ops/activations.test.ts):
 * within 6 float32 ulps everywhere (5 was the worst of 2 million random
 * inputs: σ's own 4 and the product), the same at the special values, and
 * through the Tensor ops for large contiguous float32 tensors.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend, randn, setBackend } from '../../src/index';
import { geluTanh, silu } from '../../src/kernels/activations';
import type { UnaryRow } from '../../src/kernels/unary';
import { wasmElementwise, wasmReady, type WasmElementwise } from '../../src/kernels/wasm';

/** The distance between two float32 values in units of the last place. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const order = (i: number) => ((bits[i] as number) < 0 ? -2147483648 - (bits[i] as number) : (bits[i] as number));
  return Math.abs(order(0) - order(1));
}

function compare(f: WasmElementwise, row: UnaryRow, values: readonly number[]): void {
  const x = new Float32Array(values);
  const simd = new Float32Array(x.length);
  const reference = new Float32Array(x.length);
  wasmElementwise(f, x, 0, simd, 0, x.length);
  row(x, 0, 1, reference, 0, x.length, 0, 0);
  for (let i = 0; i < x.length; i++) {
    const distance = ulps(simd[i] as number, reference[i] as number);
    if (distance > 6)
      throw new Error(`${f}(${x[i]}) = ${simd[i]}, the JS kernel gives ${reference[i]} (${distance} ulps apart)`);
  }
}

// The tails: silu's argument and tanh-gelu's w cross -80 (the scaled route) near x = -80 and x = -10.3,
// results turn subnormal below about x = -87 and -10.9 and round to 0 below -110 and -11.7; w overflows
// float32 past |x| = 1e13.
const specials = [
  0,
  -0,
  1,
  -1,
  1e-45,
  -1e-45,
  3,
  -3,
  20,
  -20,
  -79.99,
  -80,
  -80.01,
  -87,
  -95,
  -103,
  -109,
  -111,
  -150,
  -10.2,
  -10.3,
  -10.4,
  -10.9,
  -11.5,
  -11.8,
  1e13,
  -1e13,
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
const tails = fc.float({ min: -115, max: -8, noNaN: true });

describe('SIMD silu and tanh-gelu (float32)', () => {
  it('the module compiled', () => expect(wasmReady()).toBe(true));

  for (const [f, row] of [
    ['siluf32', silu],
    ['geluTanhf32', geluTanh],
  ] as [WasmElementwise, UnaryRow][]) {
    it(`${f} is within 6 ulps of the JS kernel, special values and tails included`, () => {
      compare(f, row, specials);
      fc.assert(
        fc.property(fc.array(fc.oneof(moderate, tails, wide), { minLength: 1, maxLength: 37 }), (values) =>
          compare(f, row, values),
        ),
        { numRuns: 300 },
      );
    });
  }
});

describe('the Tensor ops take the twins for large contiguous float32 tensors', () => {
  const backend = getBackend();
  afterEach(() => setBackend(backend === 'wasm' ? null : backend));

  it('silu and gelu({ approximate: "tanh" }) of 4096 elements: within 6 ulps of the JavaScript backend', () => {
    const x = randn([64, 64]).mul(6);
    for (const f of [(t: typeof x) => t.silu(), (t: typeof x) => t.gelu({ approximate: 'tanh' })]) {
      setBackend('wasm');
      const simd = f(x).data();
      setBackend('js');
      const js = f(x).data();
      let worst = 0;
      for (let i = 0; i < js.length; i++) worst = Math.max(worst, ulps(simd[i] as number, js[i] as number));
      expect(worst).toBeLessThanOrEqual(6);
    }
  });
});
