/**
 * The three ops every convolution is made of: the convolution itself, its
 * input gradient (a transposed convolution) and its weight gradient. Each is
 * bilinear, and each one's gradients are the other two (or itself), so
 * derivatives of every order stay within the three:
 *
 *   y  = conv(x, w)            dx = convInput(g, w)         dw = convWeight(x, g)
 *   convInput(g, w), upstream h:   dg = conv(h, w)           dw = convWeight(h, g)
 *   convWeight(x, g), upstream h:  dx = convInput(g, h)      dg = conv(x, h)
 *
 * (each from ⟨convInput(g, w), h⟩ = ⟨g, conv(h, w)⟩ and ⟨convWeight(x, g), h⟩
 * = ⟨g, conv(x, h)⟩, which define the two gradients as adjoints of conv).
 * Being whole ops, rather than unfold followed by a batched matmul, lets the
 * kernels (kernels/conv.ts) build each sample's columns in scratch memory
 * instead of materialising them for the batch, run the whole batch in one
 * WebAssembly call shared by the threads, and make the weight gradient one
 * accumulation instead of a product per sample plus a sum.
 *
 * Inputs reach these ops checked (conv.ts plans every call); the shapes are
 * x [N, G·Cg, ...inSize], w [G·Og, Cg, ...kernel], g [N, G·Og, ...outSize].
 */
import { convForward, convInputGrad, convWeightGrad, type ConvLayout } from '../kernels/conv';
import type { WindowGeometry } from '../kernels/im2col';
import { resultFloatDType, type FloatArray, type FloatDType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { apply, emptyLike, type Binary, type OpDef } from './define';
import { copyOf } from './shape';
import { sum } from './reduce';

/** Where the windows sit, and how many channel groups there are. */
export interface ConvParams {
  readonly geometry: WindowGeometry;
  readonly groups: number;
}

/** `t`'s elements, contiguous from index 0, in `dtype` (a view when they already are). */
function dense(t: Tensor, dtype: FloatDType): FloatArray {
  if (t.dtype === dtype && t.isContiguous) {
    return (t.storage.data as FloatArray).subarray(t.offset, t.offset + t.size) as FloatArray;
  }
  return copyOf(t, dtype).storage.data as FloatArray;
}

const dtypeOf = (tensors: readonly Tensor[]): FloatDType =>
  tensors.reduce<FloatDType>((d, t) => resultFloatDType(d, t.dtype), 'float32');

function layout(n: number, inChannels: number, outChannels: number, p: ConvParams): ConvLayout {
  return { n, groups: p.groups, cg: inChannels / p.groups, og: outChannels / p.groups, geometry: p.geometry };
}

/** x, the weight, and the bias when there is one. */
type ConvInputs = readonly [Tensor, Tensor, ...Tensor[]];

const convDef: OpDef<ConvInputs, ConvParams, Binary> = {
  name: 'conv',
  forward([x, w, b], p, ctx) {
    ctx.save(x, w);
    const dtype = dtypeOf(b === undefined ? [x, w] : [x, w, b]);
    const n = x._shape[0] as number;
    const outChannels = w._shape[0] as number;
    const out = emptyLike([n, outChannels, ...p.geometry.outSize], dtype);
    convForward(
      dense(x, dtype),
      dense(w, dtype),
      b === undefined ? null : dense(b, dtype),
      out.storage.data as FloatArray,
      layout(n, x._shape[1] as number, outChannels, p),
    );
    return out;
  },
  // y = conv(x, w) + b: bilinear in (x, w); the bias gradient sums g over the batch and the positions.
  backward(g, { saved: [x, w], params, needs }) {
    const spatial = params.geometry.outSize.map((_, i) => i + 2);
    return [
      needs[0] ? convInput(g, w, params) : null,
      needs[1] ? convWeight(x, g, params) : null,
      needs[2] ? sum(g, [0, ...spatial]) : null,
    ];
  },
};

const convInputDef: OpDef<Binary, ConvParams, Binary> = {
  name: 'convInput',
  forward([g, w], p, ctx) {
    ctx.save(g, w);
    const dtype = dtypeOf([g, w]);
    const n = g._shape[0] as number;
    const channels = (w._shape[1] as number) * p.groups;
    const out = emptyLike([n, channels, ...p.geometry.inSize], dtype);
    convInputGrad(
      dense(g, dtype),
      dense(w, dtype),
      out.storage.data as FloatArray,
      layout(n, channels, g._shape[1] as number, p),
    );
    return out;
  },
  // ⟨convInput(g, w), h⟩ = ⟨g, conv(h, w)⟩.
  backward(h, { saved: [g, w], params, needs }) {
    return [needs[0] ? conv(h, w, null, params) : null, needs[1] ? convWeight(h, g, params) : null];
  },
};

const convWeightDef: OpDef<Binary, ConvParams, Binary> = {
  name: 'convWeight',
  forward([x, g], p, ctx) {
    ctx.save(x, g);
    const dtype = dtypeOf([x, g]);
    const channels = x._shape[1] as number;
    const outChannels = g._shape[1] as number;
    const out = emptyLike([outChannels, channels / p.groups, ...p.geometry.kernel], dtype);
    convWeightGrad(
      dense(x, dtype),
      dense(g, dtype),
      out.storage.data as FloatArray,
      layout(x._shape[0] as number, channels, outChannels, p),
    );
    return out;
  },
  // ⟨convWeight(x, g), h⟩ = ⟨g, conv(x, h)⟩.
  backward(h, { saved: [x, g], params, needs }) {
    return [needs[0] ? convInput(g, h, params) : null, needs[1] ? conv(x, h, null, params) : null];
  },
};

/** @internal conv(x, w) + b for checked operands: [N, G·Og, ...outSize]. */
export function conv(x: Tensor, w: Tensor, bias: Tensor | null, params: ConvParams): Tensor {
  return apply(convDef, bias === null ? [x, w] : [x, w, bias], params);
}

/** @internal The gradient of conv(x, w) with respect to x, for output gradient g: [N, G·Cg, ...inSize]. */
export function convInput(g: Tensor, w: Tensor, params: ConvParams): Tensor {
  return apply(convInputDef, [g, w], params);
}

/** @internal The gradient of conv(x, w) with respect to w, for output gradient g: w's shape. */
export function convWeight(x: Tensor, g: Tensor, params: ConvParams): Tensor {
  return apply(convWeightDef, [x, g], params);
}
