/**
 * Matrix products with PyTorch's semantics: 1-D operands are promoted to a
 * row (left) or a column (right) and the added axis removed afterwards;
 * leading (batch) axes broadcast. The primitive is the batched product of
 * rank ≥ 2 tensors; its backward multiplies by transposed views, which the
 * kernel reads without copying.
 */
import { gemm } from '../kernels/matmul';
import { forEachRow } from '../kernels/strided';
import { ShapeError } from '../errors';
import { resultFloatDType } from '../tensor/dtype';
import {
  broadcastShapes,
  broadcastStrides,
  checkSize,
  contiguousStrides,
  formatShape,
  type Shape,
} from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, type Binary, type OpDef } from './define';
import { sumToShape } from './broadcast';
import { squeeze, transpose, unsqueeze } from './shape';
import { mul } from './binary';

const matmulDef: OpDef<Binary, undefined, Binary> = {
  name: 'matmul',
  forward([a, b], _params, ctx) {
    ctx.save(a, b);
    const m = a._shape[a.ndim - 2] as number;
    const k = a._shape[a.ndim - 1] as number;
    const n = b._shape[b.ndim - 1] as number;
    const batch = broadcastShapes('matmul', a._shape.slice(0, -2), b._shape.slice(0, -2));
    const out = emptyLike([...batch, m, n], resultFloatDType(a.dtype, b.dtype));
    const A = {
      data: a.storage.data,
      offset: 0,
      rowStride: a._strides[a.ndim - 2] as number,
      colStride: a._strides[a.ndim - 1] as number,
    };
    const B = {
      data: b.storage.data,
      offset: 0,
      rowStride: b._strides[b.ndim - 2] as number,
      colStride: b._strides[b.ndim - 1] as number,
    };
    const c = out.storage.data as Float32Array | Float64Array;
    const aBatch = broadcastStrides(a._shape.slice(0, -2), a._strides.slice(0, -2), batch);
    const bBatch = broadcastStrides(b._shape.slice(0, -2), b._strides.slice(0, -2), batch);
    const outBatch = contiguousStrides(batch).map((s) => s * m * n);
    forEachRow(batch, [aBatch, bBatch, outBatch], [a.offset, b.offset, 0], (off, count, inner) => {
      for (let i = 0; i < count; i++) {
        A.offset = (off[0] as number) + i * (inner[0] as number);
        B.offset = (off[1] as number) + i * (inner[1] as number);
        gemm(A, B, c, (off[2] as number) + i * (inner[2] as number), m, k, n);
      }
    });
    return out;
  },
  // d(AB) = dA B + A dB, so dA = g Bᵀ and dB = Aᵀ g, summed over broadcast batch axes.
  backward: (g, { saved: [a, b], needs, inputShapes: [sa, sb] }) => [
    needs[0] ? sumToShape(matmul(g, transpose(b, -1, -2)), sa as Shape) : null,
    needs[1] ? sumToShape(matmul(transpose(a, -1, -2), g), sb as Shape) : null,
  ],
};

/**
 * Matrix product with PyTorch's rules: vector·vector is a scalar, a vector on
 * the left acts as a row and on the right as a column, and leading axes of
 * rank > 2 operands are batch axes that broadcast.
 *
 * @example
 * matmul(W, a)                 // [out, in] · [in] → [out]
 * matmul(x, W.T)               // [batch, in] · [in, out] → [batch, out]
 * matmul(randn([8, 2, 3]), randn([3, 4])) // → [8, 2, 4]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const x = asTensor('matmul', a);
  const y = asTensor('matmul', b);
  if (x.ndim === 0 || y.ndim === 0) {
    throw new ShapeError(
      'matmul',
      `both operands need at least 1 dimension, got ${formatShape(x._shape)} and ${formatShape(y._shape)} (use mul for scalars)`,
    );
  }
  const left = x.ndim === 1 ? unsqueeze(x, 0) : x;
  const right = y.ndim === 1 ? unsqueeze(y, 1) : y;
  const k = left._shape[left.ndim - 1];
  const k2 = right._shape[right.ndim - 2];
  if (k !== k2) {
    throw new ShapeError(
      'matmul',
      `cannot multiply ${formatShape(x._shape)} by ${formatShape(y._shape)} (inner dimensions ${k} and ${k2} differ)`,
    );
  }
  const batch = broadcastShapes('matmul', left._shape.slice(0, -2), right._shape.slice(0, -2));
  // [m,1]·[1,n] of expanded views reads a few elements and writes m·n.
  checkSize('matmul', [...batch, left._shape[left.ndim - 2] as number, right._shape[right.ndim - 1] as number]);
  let out = apply(matmulDef, [left, right], undefined);
  if (x.ndim === 1) out = squeeze(out, -2);
  if (y.ndim === 1) out = squeeze(out, -1);
  return out;
}

/** The dot product of two vectors of the same length (a scalar). */
export function dot(a: Tensor, b: Tensor): Tensor {
  const x = asTensor('dot', a);
  const y = asTensor('dot', b);
  if (x.ndim !== 1 || y.ndim !== 1 || x._shape[0] !== y._shape[0]) {
    throw new ShapeError(
      'dot',
      `expected two 1-D tensors of the same length, got ${formatShape(x._shape)} and ${formatShape(y._shape)}`,
    );
  }
  return matmul(x, y);
}

/** The outer product of two vectors: `out[i][j] = a[i] · b[j]`. */
export function outer(a: Tensor, b: Tensor): Tensor {
  const x = asTensor('outer', a);
  const y = asTensor('outer', b);
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new ShapeError(
      'outer',
      `expected two 1-D tensors, got ${formatShape(x._shape)} and ${formatShape(y._shape)}`,
    );
  }
  return mul(unsqueeze(x, 1), unsqueeze(y, 0));
}
