/**
 * Cumulative ops along one axis: cumsum, cumprod, logcumsumexp (running
 * sum, product, log-sum-exp) and cummax/cummin (running extreme and where
 * it was). cumsum is its own adjoint read backwards; cumprod's and
 * logcumsumexp's gradients are one linear recurrence (`linearScan`), whose
 * own gradient is that recurrence run the other way, so every op here is
 * differentiable to any order.
 */
import * as K from '../kernels/cumulative';
import { scanInt } from '../kernels/integer-reductions';
import { DTypeError } from '../errors';
import { allocate, isFloat, resultFloatDType, type DType, type FloatDType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { apply, emptyLike, floatDTypeOf, type Binary, type OpDef, type TensorLike, type Unary } from './define';
import { eq, where } from './compare';
import { concat, copyOf, slice } from './shape';
import { alongAxis, flatPositions, linesOf, select, selectionOp } from './selection';
import { convertedTo, integerResult, requestedDType, type ReduceOptions } from './reduce-dtype';

/** Several results of one call: the values, and the int32 index of each along the axis. */
export interface ValuesAndIndices {
  readonly values: Tensor;
  readonly indices: Tensor;
}

interface ScanParams {
  axis: number;
  /** Run from the end of each line to its start. */
  reverse: boolean;
  /** The result's dtype for an integer or bool input (int32 unless a dtype was requested). */
  dtype?: DType;
}

/** x laid out for a kernel: itself when contiguous, else a copy outside the graph (forward reads only). */
function readable(x: Tensor): Tensor {
  return x.isContiguous ? x : copyOf(x);
}

/**
 * The running sums or products of an integer or bool x in int32, wrapping
 * modulo 2^32, as a tensor of `dtype` (int32, or a requested narrower
 * integer dtype, which wraps again).
 */
function integerScan(x: Tensor, axis: number, product: boolean, dtype: DType): Tensor {
  const src = readable(x);
  const acc = allocate('int32', x.size);
  scanInt(src.storage.data, src.offset, acc, linesOf(x._shape, axis), product);
  return integerResult(acc, x._shape, dtype);
}

/** A new tensor of x's shape and `dtype` from a line kernel writing into its (contiguous) data. */
function scanned(x: Tensor, dtype: FloatDType, kernel: (src: Tensor, out: Tensor) => void): Tensor {
  const out = emptyLike(x._shape, dtype);
  kernel(readable(x), out);
  return out;
}

/** `t` moved one step along `axis` (its last element dropped), `fill` entering first. */
function shiftIn(t: Tensor, axis: number, fill: number): Tensor {
  const n = t.ndim === 0 ? 1 : (t._shape[axis] as number);
  if (n === 0) return t;
  const first = t._shape.slice();
  if (t.ndim > 0) first[axis] = 1;
  const head = emptyLike(first, t.dtype);
  head.storage.data.fill(fill);
  if (t.ndim === 0) return head;
  return concat([head, slice(t, axis, 0, n - 1)], axis);
}

const cumsumDef: OpDef<Unary, ScanParams> = {
  name: 'cumsum',
  forward: ([x], { axis, reverse, dtype }) =>
    !isFloat(x.dtype)
      ? integerScan(x, axis, false, dtype ?? 'int32')
      : scanned(x, floatDTypeOf(x), (src, out) =>
          K.cumsum(src.storage.data, src.offset, out.storage.data, linesOf(x._shape, axis), reverse),
        ),
  // out_j = Σ_{k≤j} x_k, so dx_k = Σ_{j≥k} g_j: the cumulative sum of g run backwards.
  backward: (g, { params: { axis, reverse } }) => [apply(cumsumDef, [g], { axis, reverse: !reverse })],
};

const linearScanDef: OpDef<Binary, ScanParams, Binary> = {
  name: 'linearScan',
  forward([a, b], { axis, reverse }, ctx) {
    const out = emptyLike(a._shape, resultFloatDType(a.dtype, b.dtype));
    const ra = readable(a);
    const rb = readable(b);
    const lines = linesOf(a._shape, axis);
    K.linearScan(ra.storage.data, ra.offset, rb.storage.data, rb.offset, out.storage.data, lines, reverse);
    ctx.save(a, out);
    return out;
  },
  // Forward y_k = b_k + a_k·y_{k-1}: the adjoint λ_k = g_k + a_{k+1}·λ_{k+1} is the reverse scan of g, and
  // db = λ, da_k = λ_k·y_{k-1}. Reverse y_k = b_k + a_{k+1}·y_{k+1}: the adjoint μ_k = g_k + a_k·μ_{k-1} is the
  // forward scan, and db = μ, da_k = μ_{k-1}·y_k. Either way da is (adjoint, y) with one of them shifted by one.
  backward(g, { saved: [a, y], params: { axis, reverse }, needs }) {
    const adjoint = scan(a, g, axis, !reverse);
    if (!needs[0]) return [null, adjoint];
    const da = reverse ? shiftIn(adjoint, axis, 0).mul(y) : adjoint.mul(shiftIn(y, axis, 0));
    return [da, needs[1] ? adjoint : null];
  },
};

/** @internal The linear recurrence y_k = b_k + a_k·y_{k-1} (or, reversed, y_k = b_k + a_{k+1}·y_{k+1}) along `axis`. */
export function scan(a: Tensor, b: Tensor, axis: number, reverse: boolean): Tensor {
  return apply(linearScanDef, [a, b], { axis, reverse });
}

const cumprodDef: OpDef<Unary, ScanParams, Binary> = {
  name: 'cumprod',
  forward([x], { axis, dtype }, ctx) {
    if (!isFloat(x.dtype)) return integerScan(x, axis, true, dtype ?? 'int32');
    const out = scanned(x, floatDTypeOf(x), (src, o) =>
      K.cumprod(src.storage.data, src.offset, o.storage.data, linesOf(x._shape, axis)),
    );
    ctx.save(x, out);
    return out;
  },
  // d out_j/dx_k = Π_{i≤j, i≠k} x_i for k ≤ j, so dx_k = E_k·S_k with E_k = Π_{i<k} x_i (out shifted in with
  // a 1) and S_k = Σ_{j≥k} g_j Π_{k<i≤j} x_i = g_k + x_{k+1}·S_{k+1} (the reverse scan). NOTE: no division
  // by x, so one or several zeros give PyTorch's exact gradient (dx is 0 past the first zero of a line).
  backward: (g, { saved: [x, out], params: { axis } }) => [shiftIn(out, axis, 1).mul(scan(x, g, axis, true))],
};

const logcumsumexpDef: OpDef<Unary, ScanParams, Binary> = {
  name: 'logcumsumexp',
  forward([x], { axis }, ctx) {
    const out = scanned(x, floatDTypeOf(x), (src, o) =>
      K.logcumsumexp(src.storage.data, src.offset, o.storage.data, linesOf(x._shape, axis)),
    );
    ctx.save(x, out);
    return out;
  },
  // d out_j/dx_k = exp(x_k - out_j) for k ≤ j. With p_k = exp(x_k - out_k) and r_i = exp(out_{i-1} - out_i),
  // both in [0, 1] (so nothing overflows), exp(x_k - out_j) = p_k Π_{k<i≤j} r_i and dx = p·S with
  // S_k = g_k + r_{k+1}·S_{k+1}, the reverse scan. NOTE: as in PyTorch, the gradient is NaN where x is
  // +Infinity or where x and out are both -Infinity (a line's leading -Infinity run); r is set to 0 where
  // out = +Infinity so that NaN does not reach the finite elements before it.
  backward(g, { saved: [x, out], params: { axis } }) {
    const p = x.sub(out).exp();
    const r = where(eq(out, Infinity), 0, shiftIn(out, axis, -Infinity).sub(out).exp());
    return [p.mul(scan(r, g, axis, true))];
  },
};

/** The cumulative family's table: the suites reach every op through it. */
export const cumulativeOps = {
  cumsum: cumsumDef,
  cumprod: cumprodDef,
  logcumsumexp: logcumsumexpDef,
  cummax: selectionOp('cummax'),
  cummin: selectionOp('cummin'),
  linearScan: linearScanDef,
};

function scanOp(
  def: OpDef<Unary, ScanParams, readonly Tensor[]>,
  x: TensorLike,
  axis: number,
  options?: ReduceOptions,
): Tensor {
  const requested = options === undefined ? undefined : requestedDType(def.name, options);
  // NOTE: PyTorch has no bool scans ("not implemented for 'Bool'"); a bool input still scans, in int32.
  if (requested === 'bool') {
    throw new DTypeError(def.name, "option 'dtype' cannot be 'bool' (PyTorch has no bool scan); use 'int32'");
  }
  const { x: t, axis: a } = alongAxis(def.name, x, axis);
  const params: ScanParams =
    requested === undefined ? { axis: a, reverse: false } : { axis: a, reverse: false, dtype: requested };
  return apply(def, [convertedTo(t, requested)], params);
}

/**
 * Running sums along `axis`: `out[..., j, ...] = Σ_{k≤j} x[..., k, ...]`
 * (PyTorch's cumsum). Integer and bool inputs give int32, wrapping modulo
 * 2^32 (NOTE: PyTorch's are int64); `{ dtype }` converts the input first,
 * as PyTorch's `dtype=`.
 *
 * @example
 * cumsum(tensor([1, 2, 3, 4]), 0);                       // [1, 3, 6, 10]
 * cumsum(tensor([1, 2], { dtype: 'int32' }), 0, { dtype: 'float64' }); // [1, 3], float64
 */
export function cumsum(x: TensorLike, axis: number, options?: ReduceOptions): Tensor {
  return scanOp(cumsumDef, x, axis, options);
}

/**
 * Running products along `axis` (PyTorch's cumprod). The gradient is exact
 * with zeros in the input, one or several. Integer and bool inputs give
 * int32, wrapping, and `{ dtype }` converts the input first, as for
 * {@link cumsum}.
 *
 * @example
 * cumprod(tensor([1, 2, 3, 4]), 0); // [1, 2, 6, 24]
 */
export function cumprod(x: TensorLike, axis: number, options?: ReduceOptions): Tensor {
  return scanOp(cumprodDef, x, axis, options);
}

/**
 * log Σ_{k≤j} exp(x_k) along `axis`, without overflow for large inputs;
 * -Infinity inputs add nothing (PyTorch's logcumsumexp).
 *
 * @example
 * logcumsumexp(tensor([0, 0, Math.log(2)]), 0); // [0, log 2, log 4]
 */
export function logcumsumexp(x: TensorLike, axis: number): Tensor {
  return scanOp(logcumsumexpDef, x, axis);
}

function cumExtreme(op: 'cummax' | 'cummin', x: TensorLike, axis: number): ValuesAndIndices {
  const { x: t, lines } = alongAxis(op, x, axis);
  const indices = allocate('int32', t.size);
  K.cumExtreme(t.storage.data, t.offset, indices, lines, op === 'cummax');
  const picks = flatPositions(indices, lines, lines.n, t._shape);
  return { values: select(cumulativeOps[op], t, picks), indices: Tensor.fromData(indices, t._shape, 'int32') };
}

/**
 * The running maximum along `axis` and the index where each was found
 * (PyTorch's cummax). NOTE: as PyTorch, a tie reports the later index, and
 * a NaN, once met, is the maximum from then on (each further NaN moving the
 * index). The gradient goes to the element at the reported index.
 *
 * @example
 * cummax(tensor([1, 3, 2, 3]), 0); // { values: [1, 3, 3, 3], indices: [0, 1, 1, 3] }
 */
export function cummax(x: TensorLike, axis: number): ValuesAndIndices {
  return cumExtreme('cummax', x, axis);
}

/** The running minimum along `axis` and where each was found, with cummax's rules for ties and NaN. */
export function cummin(x: TensorLike, axis: number): ValuesAndIndices {
  return cumExtreme('cummin', x, axis);
}
