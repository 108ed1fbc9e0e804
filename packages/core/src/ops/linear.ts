/**
 * `linear(x, W, b)` = x·Wᵀ + b, the fully connected layer as one op (PyTorch's
 * torch.nn.functional.linear). One kernel call does the product and the bias:
 * the matrix kernel starts each tile of the result from b, so the bias costs
 * no pass, no temporary and no graph node of its own.
 */
import { gemm } from '../kernels/matmul';
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { isFloat, resultFloatDType } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, emptyLike, type Binary, type OpDef } from './define';
import { copyOf, reshape } from './shape';
import { sum } from './reduce';
import { matmul } from './linalg';

/** x and the weight, and the bias when there is one. */
type LinearInputs = readonly [Tensor, Tensor, ...Tensor[]];

const linearDef: OpDef<LinearInputs, undefined, Binary> = {
  name: 'linear',
  forward([x, w, b], _params, ctx) {
    ctx.save(x, w);
    const inFeatures = w._shape[1] as number;
    const outFeatures = w._shape[0] as number;
    const rows = x.size / Math.max(inFeatures, 1);
    const dtype = [x, w, ...(b === undefined ? [] : [b])].reduce((d, t) => resultFloatDType(d, t.dtype), x.dtype);
    const out = emptyLike([...x._shape.slice(0, -1), outFeatures], dtype);
    // x as a [rows, in] matrix: a 2-D view is read through its strides, anything else flattened.
    const flat = x.ndim === 2 || x.isContiguous ? x : copyOf(x);
    const A = {
      data: flat.storage.data,
      offset: flat.offset,
      rowStride: flat.ndim === 2 ? (flat._strides[0] as number) : inFeatures,
      colStride: flat.ndim === 2 ? (flat._strides[1] as number) : 1,
    };
    // Wᵀ read in place: element (p, j) of Wᵀ is W[j, p].
    const B = {
      data: w.storage.data,
      offset: w.offset,
      rowStride: w._strides[1] as number,
      colStride: w._strides[0] as number,
    };
    const bias = b === undefined ? null : { data: b.storage.data, offset: b.offset, stride: b._strides[0] as number };
    gemm(A, B, out.storage.data as Float32Array | Float64Array, 0, rows, inFeatures, outFeatures, bias);
    return out;
  },
  // z = x·Wᵀ + b: dx = g·W, dW = gᵀ·x (summed over every row), db = Σ_rows g.
  backward(g, { saved: [x, w], needs }) {
    const outFeatures = w._shape[0] as number;
    const rowsOfG = () => reshape(g, [-1, outFeatures]);
    return [
      needs[0] ? matmul(g, w) : null,
      needs[1] ? matmul(rowsOfG().T, reshape(x, [-1, w._shape[1] as number])) : null,
      needs[2] ? sum(rowsOfG(), 0) : null,
    ];
  },
};

/**
 * The fully connected layer's forward as one op: `x·Wᵀ + b` for x of shape
 * `[..., in]`, weight `[out, in]` (PyTorch's layout, the textbook's W[to][from])
 * and an optional bias `[out]`; the result has shape `[..., out]`.
 *
 * @example
 * linear(x, W, b).sigmoid(); // a = σ(W a_prev + b) for a batch x, one example per row
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  const input = asTensor('linear', x);
  const w = asTensor('linear', weight, 'float32', 'the weight');
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor)) {
    throw new ArgumentError('linear', `the bias must be a Tensor or omitted, got ${describeOperand(bias)}`);
  }
  for (const t of [w, ...(bias ? [bias] : [])]) {
    if (!isFloat(t.dtype))
      throw new DTypeError('linear', `the weight and bias must be float32 or float64, got ${t.dtype}`);
  }
  if (w.ndim !== 2)
    throw new ShapeError('linear', `the weight must be 2-D [out, in], got shape ${formatShape(w._shape)}`);
  if (input.ndim === 0 || input._shape[input.ndim - 1] !== w._shape[1]) {
    throw new ShapeError(
      'linear',
      `cannot apply a weight of shape ${formatShape(w._shape)} to an input of shape ${formatShape(input._shape)} (its last axis must be the weight's ${w._shape[1]} input features)`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias._shape[0] !== w._shape[0])) {
    throw new ShapeError(
      'linear',
      `the bias must have shape [${w._shape[0]}] (one per output), got ${formatShape(bias._shape)}`,
    );
  }
  // As in all arithmetic, int32 and bool inputs are computed in float32.
  const x32 = isFloat(input.dtype) ? input : input.to('float32');
  return apply(linearDef, bias ? [x32, w, bias] : [x32, w], undefined);
}
