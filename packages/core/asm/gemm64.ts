// The float64 matrix product (issue 20): what gradient checking and
// scientific users run. Not TypeScript: f64, i32, usize and v128 are
// WebAssembly types.
//
// gemmf64: C = A[m×k] · B[k×n] (+ a bias row) from panels packed by packf64:
//   A panels: 4 rows each,    element (r, p) of panel ib at ap + ((ib·k + p)·4 + r)·8
//   B panels: 4 columns each, element (p, t) of panel jb at bp + ((jb·k + p)·4 + t)·8
// C is written padded: ⌈m/4⌉·4 rows of ldc = ⌈n/4⌉·4 doubles, so every tile is
// whole and the kernel has no edge cases; the caller copies out the m×n part.
//
// Each element is summed in exactly the order of the JavaScript kernel
// (src/kernels/matmul.ts gemmPacked): start from the bias (or 0), then add
// a·b for p = 0, 1, … k-1, each product rounded before its addition (no
// FMA). Blocks of k continue from the partial sums stored in C, so blocking
// changes nothing either: the result is bit for bit the JavaScript kernel's,
// and gradient checks see the same numbers with either backend.

// A 4·KC-double A slice and a 4·KC-double B slice (4 KB each) stay in L1
// while a tile runs; MC rows of A (128 KB) stay in L2 while every B panel
// passes over them.
const KC: i32 = 128;
const MC: i32 = 128;

/** C (padded, ldc doubles a row) = A·B + bias; `bias` 0 for none, else ⌈n/4⌉·4 doubles. */
export function gemmf64(ap: usize, bp: usize, c: usize, m: i32, k: i32, n: i32, ldc: i32, bias: usize): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 3) >> 2;
  if (k == 0) {
    for (let ib = 0; ib < mb; ib++) {
      for (let jb = 0; jb < nb; jb++) {
        const s = bias == 0 ? f64x2.splat(0) : v128.load(bias + (<usize>jb << 5));
        const t = bias == 0 ? f64x2.splat(0) : v128.load(bias + (<usize>jb << 5), 16);
        for (let r = 0; r < 4; r++) {
          const row = c + ((<usize>(ib * 4 + r) * <usize>ldc + (<usize>jb << 2)) << 3);
          v128.store(row, s);
          v128.store(row, t, 16);
        }
      }
    }
    return;
  }
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    for (let ic = 0; ic < mb; ic += MC >> 2) {
      const icEnd = min(mb, ic + (MC >> 2));
      for (let jb = 0; jb < nb; jb++) {
        const bPanel = bp + ((<usize>jb * <usize>k * 4 + <usize>pc * 4) << 3);
        const start = pc == 0 && bias != 0 ? bias + (<usize>jb << 5) : 0;
        for (let ib = ic; ib < icEnd; ib++) {
          const aPanel = ap + ((<usize>ib * <usize>k * 4 + <usize>pc * 4) << 3);
          const tileAt = c + ((<usize>(ib << 2) * <usize>ldc + (<usize>jb << 2)) << 3);
          tile64(aPanel, bPanel, kc, tileAt, <usize>ldc << 3, pc > 0, start);
        }
      }
    }
  }
}

// One 4×4 tile over kc steps in eight 2-lane registers, continuing from C
// (`resume`), from the bias at `start`, or from zero.
@inline
function tile64(pa: usize, pb: usize, kc: i32, c: usize, rowBytes: usize, resume: bool, start: usize): void {
  let c00 = f64x2.splat(0);
  let c01 = c00;
  let c10 = c00;
  let c11 = c00;
  let c20 = c00;
  let c21 = c00;
  let c30 = c00;
  let c31 = c00;
  if (resume) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c + rowBytes);
    c11 = v128.load(c + rowBytes, 16);
    c20 = v128.load(c + 2 * rowBytes);
    c21 = v128.load(c + 2 * rowBytes, 16);
    c30 = v128.load(c + 3 * rowBytes);
    c31 = v128.load(c + 3 * rowBytes, 16);
  } else if (start != 0) {
    c00 = v128.load(start);
    c01 = v128.load(start, 16);
    c10 = c00;
    c11 = c01;
    c20 = c00;
    c21 = c01;
    c30 = c00;
    c31 = c01;
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const a0 = v128.load64_splat(pa);
    const a1 = v128.load64_splat(pa, 8);
    const a2 = v128.load64_splat(pa, 16);
    const a3 = v128.load64_splat(pa, 24);
    c00 = f64x2.add(c00, f64x2.mul(a0, b0));
    c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0));
    c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0));
    c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    c30 = f64x2.add(c30, f64x2.mul(a3, b0));
    c31 = f64x2.add(c31, f64x2.mul(a3, b1));
    pa += 32;
    pb += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + rowBytes, c10);
  v128.store(c + rowBytes, c11, 16);
  v128.store(c + 2 * rowBytes, c20);
  v128.store(c + 2 * rowBytes, c21, 16);
  v128.store(c + 3 * rowBytes, c30);
  v128.store(c + 3 * rowBytes, c31, 16);
}

/**
 * Packs `rows` rows (k columns each) of the float64 matrix at src (element
 * (i, p) at src + (i·rs + p·cs)·8) into panels of 4 rows at dst, zero-padded.
 */
export function packf64(src: usize, rs: i32, cs: i32, rows: i32, k: i32, dst: usize): void {
  let o = dst;
  for (let first = 0; first < rows; first += 4) {
    const live = min(4, rows - first);
    const s = src + ((<usize>first * <usize>rs) << 3);
    if (live == 4 && rs == 1) {
      // The 4 rows are adjacent at every p (x read as xᵀ): two vector copies a step.
      const colBytes = <usize>cs << 3;
      let t = s;
      for (let p = 0; p < k; p++) {
        v128.store(o, v128.load(t));
        v128.store(o, v128.load(t, 16), 16);
        t += colBytes;
        o += 32;
      }
      continue;
    }
    const rowBytes = <usize>rs << 3;
    const colBytes = <usize>cs << 3;
    for (let p = 0; p < k; p++) {
      let t = s + <usize>p * colBytes;
      for (let r = 0; r < live; r++) {
        store<f64>(o + (<usize>r << 3), load<f64>(t));
        t += rowBytes;
      }
      for (let r = live; r < 4; r++) store<f64>(o + (<usize>r << 3), 0);
      o += 32;
    }
  }
}

/**
 * Task `task` of a threaded float64 product described at `d` (i32 words: 3,
 * ap, bp, cp, m, k, n, rows per task, bias): rows [task·rows, …) of C.
 */
export function gemmf64Task(d: usize, task: i32): void {
  const rows = load<i32>(d, 28);
  const m = load<i32>(d, 16);
  const k = load<i32>(d, 20);
  const n = load<i32>(d, 24);
  const first = task * rows;
  const ldc = ((n + 3) >> 2) << 2;
  gemmf64(
    <usize>load<i32>(d, 4) + ((<usize>first * <usize>k) << 3),
    <usize>load<i32>(d, 8),
    <usize>load<i32>(d, 12) + ((<usize>first * <usize>ldc) << 3),
    min(rows, m - first),
    k,
    n,
    ldc,
    <usize>load<i32>(d, 32),
  );
}
