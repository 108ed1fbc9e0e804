// The float32 matrix product of the WebAssembly kernels (asm/index.ts is the
// module's entry). Not TypeScript: f32, i32, usize and v128 are WebAssembly types.
//
// gemm: C[m×n] = A[m×k] · B[k×n] in float32, from operands that the caller has
// packed into panels so that the inner loop reads memory strictly forwards:
//   A panels: 4 rows each,    element (r, p) of panel ib at ap + ((ib·k + p)·4 + r)·4
//   B panels: 8 columns each, element (p, t) of panel jb at bp + ((jb·k + p)·8 + t)·4
// (rows and columns past m and n are zero in the panels). Each 4×8 tile of C
// lives in eight 4-lane registers for the whole k loop.

import { activateInPlace, ACT_NONE } from './epilogue';

// acc + a·b. The relaxed-SIMD build (ASC_FEATURE_RELAXED_SIMD, chosen at run
// time by kernels/wasm-features.ts) fuses it into one f32x4.relaxed_madd,
// which V8 emits as vfmadd231ps where the CPU has FMA: one rounding instead
// of two, so its products differ from the plain build's in the last bits
// (each build is deterministic on its own: the summation order is fixed).
@inline
function fma(acc: v128, a: v128, b: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

// Cache blocking: a 4·KC-float A panel slice and an 8·KC-float B panel slice
// (4 KB and 8 KB) stay in L1 while a tile is computed; MC rows of A at a time
// (128 KB) stay in L2 while every B panel passes over them.
const KC: i32 = 256;
const MC: i32 = 128;

// `bias` (0 for none) points at n floats, zero-padded to a multiple of 8,
// added to every row of C: the tiles start from it instead of from 0, so a
// layer's x·Wᵀ + b costs no pass of its own. `act` (epilogue.ts's codes, 0
// for none) is applied to each tile as its last k block is stored, so an
// activation costs no pass either; `pre` (0 for none) then also receives the
// values before it (gelu's backward reads them), laid out like C.
export function gemm(ap: usize, bp: usize, c: usize, m: i32, k: i32, n: i32, ldc: i32, bias: usize, act: i32, pre: usize): void {
  gemmInto(ap, bp, c, m, k, n, ldc, bias, 0, false, act, pre);
}

// gemm with two more ways to start the tiles, for the convolutions (conv.ts):
// `rowBias` (0 for none) points at m floats, one added along each row of C (a
// convolution's bias is per output channel, a row of its product); `addTo`
// adds the product to what C holds (a weight gradient summed over samples).
export function gemmInto(
  ap: usize,
  bp: usize,
  c: usize,
  m: i32,
  k: i32,
  n: i32,
  ldc: i32,
  bias: usize,
  rowBias: usize,
  addTo: bool,
  act: i32,
  pre: usize,
): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 7) >> 3;
  if (k == 0) {
    if (addTo) return;
    for (let i = 0; i < m; i++) {
      const r: f32 = rowBias == 0 ? 0 : load<f32>(rowBias + (<usize>i << 2));
      for (let j = 0; j < n; j++) {
        const z = r + (bias == 0 ? 0 : load<f32>(bias + (<usize>j << 2)));
        const at = (<usize>i * <usize>ldc + <usize>j) << 2;
        if (pre != 0) store<f32>(pre + at, z);
        store<f32>(c + at, z);
      }
      const row = (<usize>i * <usize>ldc) << 2;
      activateInPlace(c + row, n, act);
    }
    return;
  }
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const accumulate = addTo || pc > 0;
    // The epilogue runs once, on the finished sums of the last k block.
    const last = pc + kc >= k;
    const tileAct = last ? act : ACT_NONE;
    const tilePre = last ? pre : 0;
    for (let ic = 0; ic < mb; ic += MC >> 2) {
      const icEnd = min(mb, ic + (MC >> 2));
      for (let jb = 0; jb < nb; jb++) {
        const bPanel = bp + ((<usize>jb * <usize>k * 8 + <usize>pc * 8) << 2);
        const start = !accumulate && bias != 0 ? bias + (<usize>jb << 5) : 0;
        for (let ib = ic; ib < icEnd; ib++) {
          const aPanel = ap + ((<usize>ib * <usize>k * 4 + <usize>pc * 4) << 2);
          const rowStart = !accumulate && rowBias != 0 ? rowBias + (<usize>ib << 4) : 0;
          tile(aPanel, bPanel, kc, c, ib << 2, jb << 3, m, n, ldc, accumulate, start, rowStart, tileAct, tilePre);
        }
      }
    }
  }
}

// One 4×8 tile of C over kc steps, in eight 4-lane registers, starting from
// zero, from the column bias at `start`, or from the row bias at `rowStart`
// (read only for rows below m: past them may lie another buffer).
@inline
function tile(pa: usize, pb: usize, kc: i32, c: usize, i0: i32, j0: i32, m: i32, n: i32, ldc: i32, accumulate: bool, start: usize, rowStart: usize, act: i32, pre: usize): void {
  const lo = start == 0 ? f32x4.splat(0) : v128.load(start);
  const hi = start == 0 ? f32x4.splat(0) : v128.load(start, 16);
  let c00 = lo;
  let c01 = hi;
  let c10 = lo;
  let c11 = hi;
  let c20 = lo;
  let c21 = hi;
  let c30 = lo;
  let c31 = hi;
  if (rowStart != 0) {
    c00 = f32x4.splat(load<f32>(rowStart));
    c01 = c00;
    if (i0 + 1 < m) {
      c10 = f32x4.splat(load<f32>(rowStart, 4));
      c11 = c10;
    }
    if (i0 + 2 < m) {
      c20 = f32x4.splat(load<f32>(rowStart, 8));
      c21 = c20;
    }
    if (i0 + 3 < m) {
      c30 = f32x4.splat(load<f32>(rowStart, 12));
      c31 = c30;
    }
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa);
    const a1 = v128.load32_splat(pa, 4);
    const a2 = v128.load32_splat(pa, 8);
    const a3 = v128.load32_splat(pa, 12);
    c00 = fma(c00, a0, b0);
    c01 = fma(c01, a0, b1);
    c10 = fma(c10, a1, b0);
    c11 = fma(c11, a1, b1);
    c20 = fma(c20, a2, b0);
    c21 = fma(c21, a2, b1);
    c30 = fma(c30, a3, b0);
    c31 = fma(c31, a3, b1);
    pa += 16;
    pb += 32;
  }
  const rows = min(4, m - i0);
  const cols = min(8, n - j0);
  storeRow(c, i0, j0, ldc, cols, c00, c01, accumulate);
  if (rows > 1) storeRow(c, i0 + 1, j0, ldc, cols, c10, c11, accumulate);
  if (rows > 2) storeRow(c, i0 + 2, j0, ldc, cols, c20, c21, accumulate);
  if (rows > 3) storeRow(c, i0 + 3, j0, ldc, cols, c30, c31, accumulate);
  if (act != ACT_NONE || pre != 0) finishTile(c, i0, j0, ldc, rows, cols, act, pre);
}

@inline
function storeRow(c: usize, i: i32, j0: i32, ldc: i32, cols: i32, lo: v128, hi: v128, accumulate: bool): void {
  const row = c + ((<usize>i * <usize>ldc + <usize>j0) << 2);
  if (cols == 8) {
    if (accumulate) {
      v128.store(row, f32x4.add(v128.load(row), lo));
      v128.store(row, f32x4.add(v128.load(row, 16), hi), 16);
    } else {
      v128.store(row, lo);
      v128.store(row, hi, 16);
    }
    return;
  }
  // A partial tile at the right edge: lane by lane (no scratch memory, so
  // threads sharing this memory never write the same bytes).
  if (cols > 0) put(row, 0, f32x4.extract_lane(lo, 0), accumulate);
  if (cols > 1) put(row, 4, f32x4.extract_lane(lo, 1), accumulate);
  if (cols > 2) put(row, 8, f32x4.extract_lane(lo, 2), accumulate);
  if (cols > 3) put(row, 12, f32x4.extract_lane(lo, 3), accumulate);
  if (cols > 4) put(row, 16, f32x4.extract_lane(hi, 0), accumulate);
  if (cols > 5) put(row, 20, f32x4.extract_lane(hi, 1), accumulate);
  if (cols > 6) put(row, 24, f32x4.extract_lane(hi, 2), accumulate);
}

@inline
function put(row: usize, offset: usize, v: f32, accumulate: bool): void {
  store<f32>(row + offset, accumulate ? load<f32>(row + offset) + v : v);
}

// The epilogue of one finished tile, just stored and still in L1: copies it
// to `pre` (when given) and applies `act` in place, row by row (a partial
// tile's rows end at its right edge: what lies past them may be another
// thread's).
function finishTile(c: usize, i0: i32, j0: i32, ldc: i32, rows: i32, cols: i32, act: i32, pre: usize): void {
  for (let r = 0; r < rows; r++) {
    const offset = (<usize>(i0 + r) * <usize>ldc + <usize>j0) << 2;
    if (pre != 0) memory.copy(pre + offset, c + offset, <usize>cols << 2);
    activateInPlace(c + offset, cols, act);
  }
}

/** Where the caller may start placing its buffers (after the static data). */
export function heapStart(): usize {
  return (__heap_base + 15) & ~15;
}
