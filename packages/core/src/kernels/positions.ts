/**
 * Row-major positions for the indexing ops: where, in a tensor laid out
 * contiguously, each element of an indexing result comes from (or goes to).
 * Every position is below the indexed tensor's size, so it fits an int32.
 */

/** For each coordinate c of `shape` in row-major order, base + Σ c[d]·strides[d]. */
export function stridedOffsets(shape: readonly number[], strides: readonly number[], base = 0): Int32Array {
  let size = 1;
  for (let d = 0; d < shape.length; d++) size *= shape[d];
  const out = new Int32Array(size);
  if (size === 0) return out;
  const rank = shape.length;
  if (rank === 0) {
    out[0] = base;
    return out;
  }
  // The innermost axis in a tight loop; the outer ones advance a counter per row.
  const n = shape[rank - 1];
  const step = strides[rank - 1];
  const at = new Array<number>(rank - 1).fill(0);
  let offset = base;
  for (let k = 0; k < size; k += n) {
    for (let j = 0; j < n; j++) out[k + j] = offset + j * step;
    for (let d = rank - 2; d >= 0; d--) {
      if (++at[d] < shape[d]) {
        offset += strides[d];
        break;
      }
      offset -= strides[d] * (shape[d] - 1);
      at[d] = 0;
    }
  }
  return out;
}

/** outer[o] + middle[m] + inner[i] for every (o, m, i) in row-major order. */
export function combineOffsets(outer: Int32Array, middle: Int32Array, inner: Int32Array): Int32Array {
  const out = new Int32Array(outer.length * middle.length * inner.length);
  let k = 0;
  for (let o = 0; o < outer.length; o++) {
    for (let m = 0; m < middle.length; m++) {
      const om = outer[o] + middle[m];
      for (let i = 0; i < inner.length; i++) out[k++] = om + inner[i];
    }
  }
  return out;
}

/** base[i] + values[pick[i]]·stride for each i: moves each element along one axis to an indexed place. */
export function shiftBy(base: Int32Array, values: Int32Array, pick: Int32Array | null, stride: number): Int32Array {
  const out = new Int32Array(base.length);
  if (pick === null) for (let i = 0; i < base.length; i++) out[i] = base[i] + values[i] * stride;
  else for (let i = 0; i < base.length; i++) out[i] = base[i] + values[pick[i]] * stride;
  return out;
}

/** The row-major positions (in a tensor of `mask.length` elements) where a mask is nonzero. */
export function truePositions(mask: ArrayLike<number>): Int32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const out = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) out[k++] = i;
  return out;
}
