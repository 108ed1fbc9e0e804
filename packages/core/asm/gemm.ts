// AssemblyScript source of chainrule's WebAssembly SIMD kernels (compiled by
// scripts/build-wasm.mjs into src/kernels/wasm-binary.ts). Not TypeScript:
// f32, i32, usize and v128 are WebAssembly types.
//
// gemm: C[m×n] = A[m×k] · B[k×n] in float32, from operands that the caller has
// packed into panels so that the inner loop reads memory strictly forwards:
//   A panels: 4 rows each,    element (r, p) of panel ib at ap + ((ib·k + p)·4 + r)·4
//   B panels: 8 columns each, element (p, t) of panel jb at bp + ((jb·k + p)·8 + t)·4
// (rows and columns past m and n are zero in the panels). Each 4×8 tile of C
// lives in eight 4-lane registers for the whole k loop.

@inline
function fma(acc: v128, a: v128, b: v128): v128 {
  return f32x4.add(acc, f32x4.mul(a, b));
}

export function gemm(ap: usize, bp: usize, c: usize, m: i32, k: i32, n: i32, ldc: i32): void {
  const mb = (m + 3) >> 2;
  const nb = (n + 7) >> 3;
  for (let jb = 0; jb < nb; jb++) {
    const bPanel = bp + ((<usize>jb * <usize>k * 8) << 2);
    const j0 = jb << 3;
    const cols = min(8, n - j0);
    for (let ib = 0; ib < mb; ib++) {
      const aPanel = ap + ((<usize>ib * <usize>k * 4) << 2);
      let c00 = f32x4.splat(0);
      let c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0);
      let c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0);
      let c21 = f32x4.splat(0);
      let c30 = f32x4.splat(0);
      let c31 = f32x4.splat(0);
      let pa = aPanel;
      let pb = bPanel;
      for (let p = 0; p < k; p++) {
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
      const i0 = ib << 2;
      const rows = min(4, m - i0);
      if (cols == 8) {
        let row = c + ((<usize>i0 * <usize>ldc + <usize>j0) << 2);
        const step = <usize>ldc << 2;
        v128.store(row, c00);
        v128.store(row, c01, 16);
        if (rows > 1) { row += step; v128.store(row, c10); v128.store(row, c11, 16); }
        if (rows > 2) { row += step; v128.store(row, c20); v128.store(row, c21, 16); }
        if (rows > 3) { row += step; v128.store(row, c30); v128.store(row, c31, 16); }
      } else {
        storePartial(c, i0, j0, ldc, cols, c00, c01);
        if (rows > 1) storePartial(c, i0 + 1, j0, ldc, cols, c10, c11);
        if (rows > 2) storePartial(c, i0 + 2, j0, ldc, cols, c20, c21);
        if (rows > 3) storePartial(c, i0 + 3, j0, ldc, cols, c30, c31);
      }
    }
  }
}

function storePartial(c: usize, i: i32, j0: i32, ldc: i32, cols: i32, lo: v128, hi: v128): void {
  const row = c + ((<usize>i * <usize>ldc + <usize>j0) << 2);
  const tmp = memory.data(32);
  v128.store(tmp, lo);
  v128.store(tmp, hi, 16);
  for (let t = 0; t < cols; t++) store<f32>(row + (<usize>t << 2), load<f32>(tmp + (<usize>t << 2)));
}

/** Where the caller may start placing its buffers (after the static data). */
export function heapStart(): usize {
  return (__heap_base + 15) & ~15;
}
