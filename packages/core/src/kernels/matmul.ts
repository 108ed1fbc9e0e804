/**
 * C = A · B for one pair of matrices given by offset and (row, column)
 * strides, so transposed views (backward's `g · Bᵀ` and `Aᵀ · g`) are read
 * in place. Three implementations, chosen by size and backend:
 * - small products: a direct triple loop (packing would cost more than it saves);
 * - JavaScript: operands packed into float64 panels, 4×4 tiles of C kept in
 *   sixteen local variables for the whole k loop (registers, not memory);
 * - WebAssembly SIMD (wasm.ts) for float32, the fastest where available;
 *   for float64 its f64x2 kernel (wasm-gemm64.ts), bit for bit the
 *   JavaScript kernel's result, only faster.
 */
import type { FloatArr, NumArray } from './arrays';
import { activeBackend } from './backend-choice';
import { wasmGemm } from './wasm';
import { applyEpilogue, tilesMayApply, type Epilogue } from './epilogue';
import { wasmGemmF64 } from './wasm-gemm64';

export interface MatrixView {
  data: NumArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** A row of n values added to every row of C (a layer's bias), read with a stride. */
export interface BiasView {
  data: NumArray;
  offset: number;
  stride: number;
}

/** Below this many multiply-adds the direct loop wins over packing. */
const packedFrom = 8 * 8 * 8;

/**
 * Writes A[m×k] · B[k×n] (+ bias in every row) into the contiguous C[m×n]
 * at `cOffset`, overwriting it, then applies `epilogue` (an activation; see
 * epilogue.ts) to it.
 */
export function gemm(
  A: MatrixView,
  B: MatrixView,
  c: FloatArr,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null = null,
  epilogue: Epilogue | null = null,
): void {
  const big = m * k * n >= packedFrom;
  // The tiles apply the activation where the standalone op would use the same SIMD kernel (epilogue.ts).
  if (
    big &&
    wasmTakes(A, B, c, Float32Array) &&
    tilesMayApply(epilogue, m * n, k) &&
    wasmGemm(A, B, c, cOffset, m, k, n, bias, epilogue)
  )
    return;
  if (big) productOnly(A, B, c, cOffset, m, k, n, bias);
  else gemmDirect(A, B, c, cOffset, m, k, n, bias);
  if (epilogue !== null) applyEpilogue(epilogue, c, cOffset, m * n);
}

/** Whether the WebAssembly product of this element type (Float32Array or Float64Array) may take these operands. */
function wasmTakes(
  A: MatrixView,
  B: MatrixView,
  c: FloatArr,
  type: typeof Float32Array | typeof Float64Array,
): boolean {
  // The SIMD packer copies one block from the operand's offset forward: a
  // view read backwards (a negative step, x.index([{ step: -1 }])) takes the JS kernel.
  return (
    activeBackend() === 'wasm' &&
    c instanceof type &&
    A.data instanceof type &&
    B.data instanceof type &&
    A.rowStride >= 0 &&
    A.colStride >= 0 &&
    B.rowStride >= 0 &&
    B.colStride >= 0
  );
}

/** The product alone, by the fastest kernel that takes the operands (m·k·n ≥ packedFrom). */
function productOnly(
  A: MatrixView,
  B: MatrixView,
  c: FloatArr,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null,
): void {
  // wasmGemm declines (writing nothing) when module memory cannot hold the operands.
  if (wasmTakes(A, B, c, Float32Array) && wasmGemm(A, B, c, cOffset, m, k, n, bias)) return;
  if (wasmTakes(A, B, c, Float64Array) && wasmGemmF64(A, B, c, cOffset, m, k, n, bias)) return;
  gemmPacked(A, B, c, cOffset, m, k, n, bias);
}

/** The plain definition, for any strides: the reference the faster kernels are tested against. */
export function gemmDirect(
  A: MatrixView,
  B: MatrixView,
  c: FloatArr,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null = null,
): void {
  const a = A.data;
  const b = B.data;
  for (let i = 0; i < m; i++) {
    const ai = A.offset + i * A.rowStride;
    for (let j = 0; j < n; j++) {
      let s = bias === null ? 0 : bias.data[bias.offset + j * bias.stride];
      let pa = ai;
      let pb = B.offset + j * B.colStride;
      for (let p = 0; p < k; p++) {
        s += a[pa] * b[pb];
        pa += A.colStride;
        pb += B.rowStride;
      }
      c[cOffset + i * n + j] = s;
    }
  }
}

let panelsA = new Float64Array(0);
let panelsB = new Float64Array(0);

/**
 * The most float64s either packed operand may take (2**26: 512 MiB). Operands
 * are at most 2**31 - 1 elements, but an expanded view of one element packs
 * into that many float64s (16 GiB), which failed with a raw RangeError or
 * exhausted memory; past this bound the product runs the direct loop instead,
 * which reads the operands in place and allocates nothing.
 */
let maxPanelFloats = 2 ** 26;

/** @internal The float64s the packing buffers hold now (they only grow): tests check the bound with it. */
export function packedFloats(): number {
  return panelsA.length + panelsB.length;
}

/** @internal Lowers the packing bound (tests exercise the fallback with small operands); returns the previous one. */
export function setMaxPanelFloats(floats: number): number {
  const previous = maxPanelFloats;
  maxPanelFloats = floats;
  return previous;
}

/** Rows of M (k columns each) into panels of 4: element (r, p) of panel b at ((b·k + p)·4 + r), zero-padded. */
function packPanels(M: MatrixView, rows: number, k: number, out: Float64Array): void {
  const src = M.data;
  const rs = M.rowStride;
  const cs = M.colStride;
  const panels = (rows + 3) >> 2;
  for (let b = 0; b < panels; b++) {
    const base = b * k * 4;
    for (let r = 0; r < 4; r++) {
      const i = b * 4 + r;
      if (i >= rows) {
        for (let p = 0; p < k; p++) out[base + p * 4 + r] = 0;
        continue;
      }
      let s = M.offset + i * rs;
      for (let p = 0; p < k; p++) {
        out[base + p * 4 + r] = src[s];
        s += cs;
      }
    }
  }
}

/** The JavaScript kernel: packed panels, 4×4 register tiles (starting from the bias, when there is one). */
export function gemmPacked(
  A: MatrixView,
  B: MatrixView,
  c: FloatArr,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null = null,
): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  if (mb * 4 * k > maxPanelFloats || nb * 4 * k > maxPanelFloats) {
    gemmDirect(A, B, c, cOffset, m, k, n, bias);
    return;
  }
  if (panelsA.length < mb * 4 * k) panelsA = new Float64Array(mb * 4 * k);
  if (panelsB.length < nb * 4 * k) panelsB = new Float64Array(nb * 4 * k);
  const ap = panelsA;
  const bp = panelsB;
  packPanels(A, m, k, ap);
  // B's columns are the rows of Bᵀ.
  packPanels({ data: B.data, offset: B.offset, rowStride: B.colStride, colStride: B.rowStride }, n, k, bp);
  for (let jb = 0; jb < nb; jb++) {
    const bBase = jb * k * 4;
    const j0 = jb * 4;
    const cols = Math.min(4, n - j0);
    const s0 = biasAt(bias, j0, n),
      s1 = biasAt(bias, j0 + 1, n),
      s2 = biasAt(bias, j0 + 2, n),
      s3 = biasAt(bias, j0 + 3, n);
    for (let ib = 0; ib < mb; ib++) {
      let c00 = s0,
        c01 = s1,
        c02 = s2,
        c03 = s3,
        c10 = s0,
        c11 = s1,
        c12 = s2,
        c13 = s3;
      let c20 = s0,
        c21 = s1,
        c22 = s2,
        c23 = s3,
        c30 = s0,
        c31 = s1,
        c32 = s2,
        c33 = s3;
      for (let p = 0, ai = ib * k * 4, bi = bBase; p < k; p++, ai += 4, bi += 4) {
        const a0 = ap[ai],
          a1 = ap[ai + 1],
          a2 = ap[ai + 2],
          a3 = ap[ai + 3];
        const b0 = bp[bi],
          b1 = bp[bi + 1],
          b2 = bp[bi + 2],
          b3 = bp[bi + 3];
        c00 += a0 * b0;
        c01 += a0 * b1;
        c02 += a0 * b2;
        c03 += a0 * b3;
        c10 += a1 * b0;
        c11 += a1 * b1;
        c12 += a1 * b2;
        c13 += a1 * b3;
        c20 += a2 * b0;
        c21 += a2 * b1;
        c22 += a2 * b2;
        c23 += a2 * b3;
        c30 += a3 * b0;
        c31 += a3 * b1;
        c32 += a3 * b2;
        c33 += a3 * b3;
      }
      const i0 = ib * 4;
      const rows = Math.min(4, m - i0);
      let o = cOffset + i0 * n + j0;
      storeRow(c, o, cols, c00, c01, c02, c03);
      if (rows > 1) storeRow(c, (o += n), cols, c10, c11, c12, c13);
      if (rows > 2) storeRow(c, (o += n), cols, c20, c21, c22, c23);
      if (rows > 3) storeRow(c, o + n, cols, c30, c31, c32, c33);
    }
  }
}

function biasAt(bias: BiasView | null, j: number, n: number): number {
  return bias === null || j >= n ? 0 : bias.data[bias.offset + j * bias.stride];
}

function storeRow(c: FloatArr, o: number, cols: number, v0: number, v1: number, v2: number, v3: number): void {
  c[o] = v0;
  if (cols > 1) c[o + 1] = v1;
  if (cols > 2) c[o + 2] = v2;
  if (cols > 3) c[o + 3] = v3;
}
