/**
 * `linear(x, W, b)` = x·Wᵀ + b, the fully connected layer as one op (PyTorch's
 * torch.nn.functional.linear). One kernel call does the product and the bias:
 * the matrix kernel starts each tile of the result from b, so the bias costs
 * no pass, no temporary and no graph node of its own. With `{ activation }`
 * the same call applies relu, σ, tanh or gelu as it writes the result
 * (kernels/epilogue.ts), and the op's backward starts with that activation's
 * own backward rule: values and gradients are those of `act(linear(x, W, b))`
 * to the bit, for one node and one pass fewer.
 */
import { gemm } from '../kernels/matmul';
import { fusedActivations, type FusedActivation } from '../kernels/epilogue';
import { isGradEnabled } from '../autograd/grad-mode';
import { ArgumentError, DTypeError, ShapeError } from '../errors';
import { isFloat, resultFloatDType } from '../tensor/dtype';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, emptyLike, type OpDef } from './define';
import { copyOf, reshape } from './shape';
import { sum } from './reduce';
import { matmul } from './linalg';
import { reluGrad, sigmoidGrad, tanhGrad } from './activation-grads';
import { isTracing } from './trace';
import { geluGrad, geluTanhGrad } from './activations-backward';
import { optionsObject, type OptionKeys } from '../internal/options';
import { describeValue } from '../internal/describe';

/** x and the weight, and the bias when there is one. */
type LinearInputs = readonly [Tensor, Tensor, ...Tensor[]];

/** The activation applied as the result is written, or null. */
type LinearParams = FusedActivation | null;

/** Whether backward reads the activation's input z (gelu) rather than its output. */
const readsInput = (act: LinearParams): boolean => act === 'gelu' || act === 'geluTanh';

const linearDef: OpDef<LinearInputs, LinearParams, readonly Tensor[]> = {
  name: 'linear',
  // Drawings show what the node computes: linear+sigmoid is z and a in one.
  describe: (activation) => (activation === null ? 'linear' : `linear+${activation}`),
  forward([x, w, b], activation, ctx) {
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
    // gelu's backward reads z: the kernel writes it beside the result.
    const pre = readsInput(activation) ? emptyLike(out._shape, dtype) : null;
    const data = out.storage.data as Float32Array | Float64Array;
    const epilogue =
      activation === null ? null : { activation, pre: pre === null ? null : (pre.storage.data as typeof data) };
    gemm(A, B, data, 0, rows, inFeatures, outFeatures, bias, epilogue);
    // What the activation's backward reads: z for gelu, the output for the others.
    if (activation !== null) ctx.save(pre ?? out);
    if (pre !== null && b !== undefined) ctx.save(b);
    return out;
  },
  // z = x·Wᵀ + b: dz = g·act'(z) by the activation's own rule, then dx = dz·W,
  // dW = dzᵀ·x (summed over every row), db = Σ_rows dz.
  backward(g, { saved, params: activation, needs }) {
    const [x, w, s, b] = saved as readonly [Tensor, Tensor, Tensor?, Tensor?];
    const inFeatures = w._shape[1] as number;
    const outFeatures = w._shape[0] as number;
    const dz = activationBackward(activation, g, x, w, s, b);
    const rowsOfDz = () => reshape(dz, [-1, outFeatures]);
    return [
      needs[0] ? matmul(dz, w) : null,
      needs[1] ? matmul(rowsOfDz().T, reshape(x, [-1, inFeatures])) : null,
      needs[2] ? sum(rowsOfDz(), 0) : null,
    ];
  },
};

/** g·act'(z) from what forward saved: the output y (relu, σ, tanh) or z (gelu). */
function activationBackward(
  activation: LinearParams,
  g: Tensor,
  x: Tensor,
  w: Tensor,
  saved: Tensor | undefined,
  b: Tensor | undefined,
): Tensor {
  if (activation === null) return g;
  const s = saved as Tensor;
  switch (activation) {
    case 'relu':
      // y > 0 exactly where z > 0 (NaN in neither), so y serves as relu's saved input.
      return reluGrad(g, s);
    case 'sigmoid':
      return sigmoidGrad(g, s);
    case 'tanh':
      return tanhGrad(g, s);
    default: {
      // The saved z is a plain tensor, outside the graph: a backward that
      // records its own graph (second derivatives), or is being traced (an
      // exported training step), recomputes z as a node, so gelu''s
      // dependence on x, W and b is differentiated and exported too.
      const z = isGradEnabled() || isTracing() ? apply(linearDef, b === undefined ? [x, w] : [x, w, b], null) : s;
      return activation === 'gelu' ? geluGrad(g, z) : geluTanhGrad(g, z);
    }
  }
}

/** Options of {@link linear}. */
export interface LinearOptions {
  /**
   * An activation applied as the result is written: 'relu', 'sigmoid',
   * 'tanh', 'gelu' (exact, x·Φ(x)) or 'geluTanh' (gelu's tanh form, as
   * `gelu(z, { approximate: 'tanh' })`). The values and gradients are those of
   * the activation op applied to `linear(x, W, b)`, bit for bit; the fused op
   * saves a pass over the result, its memory, and a node of the graph.
   */
  activation?: FusedActivation | null;
}

const linearKeys: OptionKeys<LinearOptions> = { activation: true };

/**
 * The fully connected layer's forward as one op: `x·Wᵀ + b` for x of shape
 * `[..., in]`, weight `[out, in]` (PyTorch's layout, the textbook's W[to][from])
 * and an optional bias `[out]`; the result has shape `[..., out]`. With
 * `{ activation }` the activation is applied as the product is written
 * (see {@link LinearOptions}).
 *
 * @example
 * linear(x, W, b).sigmoid();                        // a = σ(W a_prev + b), one example per row
 * linear(x, W, b, { activation: 'sigmoid' });       // the same values and gradients, one op
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, options?: LinearOptions): Tensor {
  const o = optionsObject('linear', options, linearKeys);
  const activation = o.activation ?? null;
  if (activation !== null && !(fusedActivations as readonly unknown[]).includes(activation)) {
    throw new ArgumentError(
      'linear',
      `unknown activation ${describeValue(activation)}; expected one of ${fusedActivations.map((a) => `'${a}'`).join(', ')}, or none`,
    );
  }
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
  return apply(linearDef, bias ? [x32, w, bias] : [x32, w], activation);
}
export type { FusedActivation } from '../kernels/epilogue';
