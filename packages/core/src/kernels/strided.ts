/**
 * The one loop every elementwise kernel, copy and reduction runs on: walk a
 * shape in row-major order, keeping one running offset per operand, and hand
 * each innermost row to a row kernel. Operands may be strided views: a stride
 * of 0 is how broadcasting reads one value many times without copying it.
 *
 * Before walking, neighbouring dimensions that every operand lays out
 * contiguously are merged, so a same-shape contiguous op is a single row and
 * the per-row overhead vanishes.
 */

/** Called once per row: `offsets[i]` is operand i's offset of the row's first element. */
export type RowBody = (offsets: number[], n: number, innerStrides: number[], logicalStart: number) => void;

interface Layout {
  shape: number[];
  strides: number[][];
}

/** Drops size-1 dimensions and merges dimensions that all operands lay out contiguously. */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): Layout {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let o = 0; merge && o < strides.length; o++) {
      if (outStrides[o][last] !== strides[o][d] * size) merge = false;
    }
    if (merge) {
      outShape[last] *= size;
      for (let o = 0; o < strides.length; o++) outStrides[o][last] = strides[o][d];
    } else {
      outShape.push(size);
      for (let o = 0; o < strides.length; o++) outStrides[o].push(strides[o][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (let o = 0; o < strides.length; o++) outStrides[o].push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Walks `shape` in row-major order for operands with the given strides and
 * start offsets, calling `body` once per innermost row.
 */
export function forEachRow(
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  body: RowBody,
): void {
  for (let d = 0; d < shape.length; d++) if (shape[d] === 0) return;
  const layout = coalesce(shape, strides);
  const dims = layout.shape;
  const rank = dims.length;
  const ops = strides.length;
  const n = dims[rank - 1];
  const inner = layout.strides.map((s) => s[rank - 1]);
  const current = offsets.slice();
  if (rank === 1) {
    body(current, n, inner, 0);
    return;
  }
  const index = new Array<number>(rank - 1).fill(0);
  let rows = 1;
  for (let d = 0; d < rank - 1; d++) rows *= dims[d];
  for (let r = 0; r < rows; r++) {
    body(current, n, inner, r * n);
    for (let d = rank - 2; d >= 0; d--) {
      index[d]++;
      if (index[d] < dims[d]) {
        for (let o = 0; o < ops; o++) current[o] += layout.strides[o][d];
        break;
      }
      index[d] = 0;
      for (let o = 0; o < ops; o++) current[o] -= layout.strides[o][d] * (dims[d] - 1);
    }
  }
}

/** Copies a strided source into a strided destination of the same shape. */
export function copyStrided(
  src: ArrayLike<number>,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: { [i: number]: number },
  dstOffset: number,
  dstStrides: readonly number[],
  shape: readonly number[],
): void {
  forEachRow(shape, [srcStrides, dstStrides], [srcOffset, dstOffset], (off, n, inner) => {
    const s = off[0];
    const ss = inner[0];
    const t = off[1];
    const ts = inner[1];
    if (ss === 1 && ts === 1) {
      for (let k = 0; k < n; k++) dst[t + k] = src[s + k];
    } else {
      for (let k = 0; k < n; k++) dst[t + k * ts] = src[s + k * ss];
    }
  });
}
