/**
 * The fast matrix kernels against the direct triple loop (the definition of
 * the product), on random sizes, including edges that are not multiples of
 * the tile sizes and transposed (strided) operands.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { gemmDirect, gemmPacked, type BiasView, type MatrixView } from '../../src/kernels/matmul';
import { wasmGemm, wasmReady } from '../../src/kernels/wasm';

const arbCase = fc.record({
  m: fc.integer({ min: 1, max: 23 }),
  k: fc.integer({ min: 0, max: 37 }),
  n: fc.integer({ min: 1, max: 19 }),
  transposeA: fc.constantFrom<Layout>('row-major', 'transposed', 'strided'),
  transposeB: fc.constantFrom<Layout>('row-major', 'transposed', 'strided'),
  withBias: fc.boolean(),
  seed: fc.integer(),
});

/** A bias row of n values, read with stride 2 from offset 1 (so strides are exercised too). */
function biasRow(n: number, seed: number): BiasView {
  const data = new Float32Array(2 * n + 1);
  for (let j = 0; j < n; j++) data[1 + 2 * j] = Math.sin(seed + j);
  return { data, offset: 1, stride: 2 };
}

/** How a test matrix lies in memory: row-major, as the transpose of a row-major array, or with no unit stride at all (every other element of a wider array). */
type Layout = 'row-major' | 'transposed' | 'strided' | boolean;

function matrix(rows: number, cols: number, layout: Layout, seed: number): MatrixView {
  // Deterministic values in [-1, 1) from a tiny LCG.
  const data = new Float32Array(2 * rows * cols + 3);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 31 - 1;
  }
  if (layout === 'strided') return { data, offset: 3, rowStride: 2 * cols, colStride: 2 };
  return layout === true || layout === 'transposed'
    ? { data, offset: 3, rowStride: 1, colStride: rows }
    : { data, offset: 3, rowStride: cols, colStride: 1 };
}

function check(kernel: typeof gemmDirect, tolerance: number) {
  fc.assert(
    fc.property(arbCase, ({ m, k, n, transposeA, transposeB, withBias, seed }) => {
      const A = matrix(m, k, transposeA, seed);
      const B = matrix(k, n, transposeB, seed ^ 0x5bd1e995);
      const bias = withBias ? biasRow(n, seed) : null;
      const reference = new Float64Array(m * n);
      gemmDirect(A, B, reference, 0, m, k, n, bias);
      const out = new Float32Array(m * n + 2).fill(Number.NaN);
      kernel(A, B, out, 2, m, k, n, bias);
      expect(out.subarray(2)).toBeAllClose(reference, { rtol: 0, atol: tolerance * Math.max(1, k) });
      expect(Number.isNaN(out[0])).toBe(true); // nothing written before the offset
    }),
    { numRuns: 150 },
  );
}

describe('matrix kernels agree with the direct product', () => {
  it('the JavaScript packed kernel', () => check(gemmPacked, 1e-6));

  it('the WebAssembly SIMD kernel', () => {
    expect(wasmReady()).toBe(true); // Node 20 supports WebAssembly SIMD
    check(wasmGemm, 1e-6);
  });

  it('large sizes cross several panels and tiles', () => {
    for (const kernel of [gemmPacked, wasmGemm]) {
      const [m, k, n] = [67, 130, 45];
      const A = matrix(m, k, false, 1);
      const B = matrix(k, n, true, 2);
      const reference = new Float64Array(m * n);
      gemmDirect(A, B, reference, 0, m, k, n);
      const out = new Float32Array(m * n);
      kernel(A, B, out, 0, m, k, n);
      let worst = 0;
      for (let i = 0; i < m * n; i++) worst = Math.max(worst, Math.abs((out[i] as number) - (reference[i] as number)));
      expect(worst).toBeLessThan(1e-4);
    }
  });
});

describe('products split across worker threads', () => {
  it('give bit-for-bit the single-threaded result, A packed by the threads in either layout', async () => {
    const { allowThreads, readyWorkers, threadCount, threadedFrom } = await import('../../src/kernels/wasm');
    expect(wasmReady()).toBe(true);
    if (threadCount() > 1) {
      // Workers start in the background; wait (bounded) until one is ready.
      const start = Date.now();
      while (readyWorkers() === 0 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
      expect(readyWorkers()).toBeGreaterThan(0);
    }
    // A in both layouts: split products have each thread pack its own rows of A, through A's strides.
    for (const [m, k, n, aTransposed] of [
      [131, 97, 700, false],
      [256, 300, 110, false],
      [203, 150, 300, true],
    ] as const) {
      expect(m * k * n).toBeGreaterThanOrEqual(threadedFrom); // large enough to be split
      const A = matrix(m, k, aTransposed, 11);
      const B = matrix(k, n, true, 12);
      const single = new Float32Array(m * n);
      const threaded = new Float32Array(m * n);
      const bias = biasRow(n, 3);
      allowThreads(false);
      wasmGemm(A, B, single, 0, m, k, n, bias);
      allowThreads(true);
      wasmGemm(A, B, threaded, 0, m, k, n, bias);
      expect(threaded).toEqual(single);
      const reference = new Float64Array(m * n);
      gemmDirect(A, B, reference, 0, m, k, n, bias);
      expect(threaded).toBeAllClose(reference, { rtol: 0, atol: 1e-4 });
    }
  });
});
