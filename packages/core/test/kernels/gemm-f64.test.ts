/**
 * The float64 WebAssembly product (asm/gemm64.ts) against two independent
 * references: the JavaScript packed kernel, which sums each element in the
 * same order (bias, then a·b for p = 0 … k-1, no fused multiply-add), so the
 * two must agree bit for bit; and the direct triple loop (the definition),
 * within a few ulp × k. Sizes cross the 4×4 tiles' edges, the 128-step k
 * blocks and the threaded row split; operands are row-major, transposed and
 * strided.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemmDirect, gemmPacked, type BiasView, type MatrixView } from '../../src/kernels/matmul';
import { allowThreads, readyWorkers, threadCount, wasmReady, workerPool } from '../../src/kernels/wasm';
import { wasmGemmF64 } from '../../src/kernels/wasm-gemm64';

type Layout = 'row-major' | 'transposed' | 'strided';

function matrix(rows: number, cols: number, layout: Layout, seed: number): MatrixView {
  const data = new Float64Array(2 * rows * cols + 3);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // Full float64 mantissas (not float32 values), so rounding differences would show.
    data[i] = s / 2 ** 31 - 1 + Math.sin(i) * 1e-9;
  }
  if (layout === 'strided') return { data, offset: 3, rowStride: 2 * cols, colStride: 2 };
  return layout === 'transposed'
    ? { data, offset: 3, rowStride: 1, colStride: rows }
    : { data, offset: 3, rowStride: cols, colStride: 1 };
}

function biasRow(n: number, seed: number): BiasView {
  const data = new Float64Array(2 * n + 1);
  for (let j = 0; j < n; j++) data[1 + 2 * j] = Math.sin(seed + j) / 3;
  return { data, offset: 1, stride: 2 };
}

/** Runs the WebAssembly kernel into a NaN-filled array (offset 2) and checks it wrote exactly C. */
function wasmProduct(
  A: MatrixView,
  B: MatrixView,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null,
): Float64Array {
  const out = new Float64Array(m * n + 3).fill(Number.NaN);
  expect(wasmGemmF64(A, B, out, 2, m, k, n, bias)).toBe(true);
  expect(Number.isNaN(out[0])).toBe(true);
  expect(Number.isNaN(out[m * n + 2])).toBe(true);
  return out.subarray(2, 2 + m * n);
}

/** |a - b| in units of the last place of b's magnitude, scaled by k. */
function worstUlpsPerK(got: Float64Array, want: Float64Array, k: number): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    const ulp = Math.max(Number.EPSILON * Math.abs(w), Number.MIN_VALUE);
    worst = Math.max(worst, Math.abs((got[i] as number) - w) / ulp / Math.max(1, k));
  }
  return worst;
}

describe('the float64 WebAssembly product', () => {
  it('is bit for bit the JavaScript kernel, and the definition within 4 ulp × k, on random shapes', () => {
    expect(wasmReady()).toBe(true);
    fc.assert(
      fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 23 }),
          k: fc.integer({ min: 0, max: 300 }),
          n: fc.integer({ min: 1, max: 19 }),
          la: fc.constantFrom<Layout>('row-major', 'transposed', 'strided'),
          lb: fc.constantFrom<Layout>('row-major', 'transposed', 'strided'),
          withBias: fc.boolean(),
          seed: fc.integer(),
        }),
        ({ m, k, n, la, lb, withBias, seed }) => {
          const A = matrix(m, k, la, seed);
          const B = matrix(k, n, lb, seed ^ 0x5bd1e995);
          const bias = withBias ? biasRow(n, seed) : null;
          const js = new Float64Array(m * n);
          gemmPacked(A, B, js, 0, m, k, n, bias);
          const direct = new Float64Array(m * n);
          gemmDirect(A, B, direct, 0, m, k, n, bias);
          const got = wasmProduct(A, B, m, k, n, bias);
          expect(got).toEqual(js);
          // The direct loop sums in the same order too, but its values are
          // compared loosely: a reference that only shares the order would
          // hide a kernel adding the wrong products.
          expect(worstUlpsPerK(got, direct, k)).toBeLessThanOrEqual(4);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('gives the same bits on one thread and split across the worker pool', async () => {
    if (threadCount() > 1) {
      const start = Date.now();
      while (readyWorkers() === 0 && Date.now() - start < 10_000) await new Promise((r) => setTimeout(r, 20));
    }
    const [m, k, n] = [203, 260, 150];
    const A = matrix(m, k, 'row-major', 5);
    const B = matrix(k, n, 'transposed', 6);
    const bias = biasRow(n, 7);
    allowThreads(false);
    const single = wasmProduct(A, B, m, k, n, bias).slice();
    allowThreads(true);
    const threaded = wasmProduct(A, B, m, k, n, bias).slice();
    // On a machine with more than one core the product really was shared.
    if (threadCount() > 1) expect(workerPool()?.lastTeamSize).toBeGreaterThan(0);
    expect(threaded).toEqual(single);
    const js = new Float64Array(m * n);
    gemmPacked(A, B, js, 0, m, k, n, bias);
    expect(threaded).toEqual(js);
  });
});
