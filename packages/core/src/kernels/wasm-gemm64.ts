/**
 * The float64 product on the WebAssembly module (asm/gemm64.ts): operands
 * copied into module memory, packed there into panels of 4, multiplied with
 * f64x2 SIMD, rows shared with the worker pool for large products. Bit for
 * bit the JavaScript kernel's result (the module sums in the same order and
 * never fuses a multiply with an add), so only speed depends on the backend.
 */
import type { NumArray } from './arrays';
import type { BiasView, MatrixView } from './matmul';
import { moduleParts } from './wasm';

/** Bytes before the panels: the job descriptor of a threaded product (9 words). */
const descriptorBytes = 64;

function span(M: MatrixView, rows: number, k: number): number {
  return rows === 0 || k === 0 ? 0 : (rows - 1) * M.rowStride + (k - 1) * M.colStride + 1;
}

/**
 * C[m×n] (contiguous, at cOffset) = A · B (+ bias per row) in float64; false,
 * with C untouched, when the module is unavailable or its memory cannot hold
 * the operands. Operands must be Float64Array with non-negative strides.
 */
export function wasmGemmF64(
  A: MatrixView,
  B: MatrixView,
  c: NumArray,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null,
): boolean {
  const parts = moduleParts();
  if (parts === null) return false;
  const mb = Math.ceil(m / 4);
  const nb = Math.ceil(n / 4);
  const ldc = nb * 4;
  const Bt: MatrixView = { data: B.data, offset: B.offset, rowStride: B.colStride, colStride: B.rowStride };
  const aDoubles = mb * 4 * k;
  const bDoubles = nb * 4 * k;
  const biasDoubles = bias === null ? 0 : ldc;
  const cDoubles = mb * 4 * ldc;
  const staged = Math.max(span(A, m, k), span(Bt, n, k));
  const doubles = descriptorBytes / 8 + aDoubles + bDoubles + biasDoubles + cDoubles + staged;
  const mem32 = parts.reserve(doubles * 2 + 4);
  if (mem32 === null) return false;
  const mem = new Float64Array(mem32.buffer);
  const e = parts.exports;
  // Double indices into module memory; the heap start is 16-byte aligned.
  const job = parts.heap / 8;
  const ap = job + descriptorBytes / 8;
  const bp = ap + aDoubles;
  const biasAt = bp + bDoubles;
  const cp = biasAt + biasDoubles;
  const stage = cp + cDoubles;
  const data = (M: MatrixView) => M.data as Float64Array;
  mem.set(data(A).subarray(A.offset, A.offset + span(A, m, k)), stage);
  e.packf64(stage * 8, A.rowStride, A.colStride, m, k, ap * 8);
  mem.set(data(Bt).subarray(Bt.offset, Bt.offset + span(Bt, n, k)), stage);
  e.packf64(stage * 8, Bt.rowStride, Bt.colStride, n, k, bp * 8);
  if (bias !== null) {
    for (let j = 0; j < ldc; j++) mem[biasAt + j] = j < n ? (bias.data[bias.offset + j * bias.stride] as number) : 0;
  }
  const biasPtr = bias === null ? 0 : biasAt * 8;
  // A float64 multiply-add costs about twice a float32 one here, so threads pay off at half the size.
  const helpers = mb >= 2 ? parts.helpers(2 * m * k * n) : 0;
  const team = helpers > 0 && parts.pool !== null ? parts.pool.ready(Math.min(helpers, mb - 1)) : [];
  if (team.length === 0 || parts.pool === null) {
    e.gemmf64(ap * 8, bp * 8, cp * 8, m, k, n, ldc, biasPtr);
  } else {
    // Two chunks per thread, each a whole number of A panels; every element's sum is the same whichever thread computes it.
    const rows = Math.ceil(mb / ((team.length + 1) * 2)) * 4;
    const tasks = Math.ceil(m / rows);
    new Int32Array(mem.buffer, job * 8, 9).set([3, ap * 8, bp * 8, cp * 8, m, k, n, rows, biasPtr]);
    const alone = () => e.gemmf64(ap * 8, bp * 8, cp * 8, m, k, n, ldc, biasPtr);
    parts.pool.runTasks(e.convTask, job * 8, tasks, team, alone);
  }
  if (ldc === n) c.set(mem.subarray(cp, cp + m * n), cOffset);
  else for (let i = 0; i < m; i++) c.set(mem.subarray(cp + i * ldc, cp + i * ldc + n), cOffset + i * n);
  return true;
}
