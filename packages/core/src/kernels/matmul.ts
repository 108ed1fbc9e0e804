/**
 * C = A · B for one pair of matrices given by offset and (row, column)
 * strides. Contiguous and transposed layouts each get a loop order that walks
 * memory forwards, so backward's `g · Bᵀ` and `Aᵀ · g` read transposed views
 * directly instead of copying them.
 */
import type { FloatArr, NumArray } from './arrays';

export interface MatrixView {
  data: NumArray;
  offset: number;
  rowStride: number;
  colStride: number;
}

/** Writes A[m×k] · B[k×n] into the contiguous, zero-filled C[m×n] at `cOffset`. */
export function gemm(A: MatrixView, B: MatrixView, c: FloatArr, cOffset: number, m: number, k: number, n: number): void {
  const a = A.data;
  const b = B.data;
  if (A.colStride === 1 && B.colStride === 1) {
    // A and B row-major: i-k-j, so the innermost loop streams a row of B into a row of C.
    for (let i = 0; i < m; i++) {
      const ci = cOffset + i * n;
      const ai = A.offset + i * A.rowStride;
      for (let p = 0; p < k; p++) {
        const aip = a[ai + p];
        const bp = B.offset + p * B.rowStride;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else if (A.colStride === 1 && B.rowStride === 1) {
    // B is a transposed view (its columns are contiguous): dot products of rows.
    for (let i = 0; i < m; i++) {
      const ai = A.offset + i * A.rowStride;
      const ci = cOffset + i * n;
      for (let j = 0; j < n; j++) {
        const bj = B.offset + j * B.colStride;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        c[ci + j] = s;
      }
    }
  } else if (A.rowStride === 1 && B.colStride === 1) {
    // A is a transposed view: walk its stored rows (A's columns) outermost.
    for (let p = 0; p < k; p++) {
      const ap = A.offset + p * A.colStride;
      const bp = B.offset + p * B.rowStride;
      for (let i = 0; i < m; i++) {
        const aip = a[ap + i];
        const ci = cOffset + i * n;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          s += a[A.offset + i * A.rowStride + p * A.colStride] * b[B.offset + p * B.rowStride + j * B.colStride];
        }
        c[cOffset + i * n + j] = s;
      }
    }
  }
}
