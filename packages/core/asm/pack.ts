// Packing of gemm's operands into panels (layout in gemm.ts), from a matrix
// the caller has copied into this memory: element (i, p) of the source is at
// src + (i·rs + p·cs)·4. Packing was as slow as the product itself for a
// batch-32 layer when done in JavaScript. Two fast paths cover what the
// autograd ops hand over: rows contiguous along p (cs = 1, e.g. a weight
// read as Wᵀ) become a 4×4 transpose per step, and panels contiguous across
// rows (rs = 1, e.g. x read as xᵀ in backward) a straight copy. Any other
// layout, and the ragged last panel, go element by element.

/** Packs `rows` rows (k columns each) into panels of `width` (4 or 8) rows at dst, zero-padded. */
export function packf32(src: usize, rs: i32, cs: i32, rows: i32, k: i32, width: i32, dst: usize): void {
  let o = dst;
  const panelBytes = (<usize>k * <usize>width) << 2;
  for (let first = 0; first < rows; first += width) {
    const live = min(width, rows - first);
    const s = src + ((<usize>first * <usize>rs) << 2);
    if (live == width && cs == 1) transposed(s, rs, k, width, o);
    else if (live == width && rs == 1) straight(s, cs, k, width, o);
    else elementwise(s, rs, cs, live, k, width, o);
    o += panelBytes;
  }
}

// cs = 1: each source row is contiguous along p. Four rows × four steps of p
// are loaded as four vectors and transposed into four steps × four rows.
function transposed(s: usize, rs: i32, k: i32, width: i32, o: usize): void {
  const rowBytes = <usize>rs << 2;
  const stepBytes = <usize>width << 2;
  for (let g = 0; g < width; g += 4) {
    const r0 = s + <usize>g * rowBytes;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    const out = o + (<usize>g << 2);
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const at = <usize>p << 2;
      const a = v128.load(r0 + at);
      const b = v128.load(r1 + at);
      const c = v128.load(r2 + at);
      const d = v128.load(r3 + at);
      const ab01 = v128.shuffle<u32>(a, b, 0, 4, 1, 5);
      const cd01 = v128.shuffle<u32>(c, d, 0, 4, 1, 5);
      const ab23 = v128.shuffle<u32>(a, b, 2, 6, 3, 7);
      const cd23 = v128.shuffle<u32>(c, d, 2, 6, 3, 7);
      const step = out + <usize>p * stepBytes;
      v128.store(step, v128.shuffle<u64>(ab01, cd01, 0, 2));
      v128.store(step + stepBytes, v128.shuffle<u64>(ab01, cd01, 1, 3));
      v128.store(step + 2 * stepBytes, v128.shuffle<u64>(ab23, cd23, 0, 2));
      v128.store(step + 3 * stepBytes, v128.shuffle<u64>(ab23, cd23, 1, 3));
    }
    for (; p < k; p++) {
      const at = <usize>p << 2;
      const step = out + <usize>p * stepBytes;
      store<f32>(step, load<f32>(r0 + at));
      store<f32>(step, load<f32>(r1 + at), 4);
      store<f32>(step, load<f32>(r2 + at), 8);
      store<f32>(step, load<f32>(r3 + at), 12);
    }
  }
}

// rs = 1: the `width` rows of a panel are adjacent at every p.
function straight(s: usize, cs: i32, k: i32, width: i32, o: usize): void {
  const colBytes = <usize>cs << 2;
  for (let p = 0; p < k; p++) {
    v128.store(o, v128.load(s));
    if (width == 8) v128.store(o, v128.load(s, 16), 16);
    s += colBytes;
    o += <usize>width << 2;
  }
}

function elementwise(s: usize, rs: i32, cs: i32, live: i32, k: i32, width: i32, o: usize): void {
  for (let p = 0; p < k; p++) {
    let t = s + ((<usize>p * <usize>cs) << 2);
    for (let r = 0; r < live; r++) {
      store<f32>(o + (<usize>r << 2), load<f32>(t));
      t += <usize>rs << 2;
    }
    for (let r = live; r < width; r++) store<f32>(o + (<usize>r << 2), 0);
    o += <usize>width << 2;
  }
}
