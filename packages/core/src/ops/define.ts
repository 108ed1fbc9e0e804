/**
 * The schema every op follows, in one place.
 *
 * An op is an `OpDef`: its `name`; `forward`, which checks its arguments
 * (throwing typed errors that name the op) and computes the output by calling
 * kernels, never recording anything; `save`, the tensors its backward reads
 * (their versions are checked before backward uses them); and `backward`,
 * which receives the gradient of the output and returns one gradient per input
 * (or null), written with Tensor ops so that, run with `createGraph`, it
 * records a graph of its own and second derivatives come for free.
 *
 * `apply` runs an op and, when grad mode is on and an input requires grad,
 * attaches the node that backward will visit. The family helpers
 * (`unaryOp`, `binaryOp`) build OpDefs for the common shapes of op, and
 * `customOp` (custom.ts) builds them for users.
 */
import { ArgumentError } from '../autograd/errors';
import { isGradEnabled } from '../autograd/grad-mode';
import { Node } from '../autograd/node';
import { captureStack, checkForward } from '../autograd/anomaly';
import { allocate, isFloat, resultFloatDType, type DType, type FloatDType } from '../tensor/dtype';
import { broadcastShapes, broadcastStrides, contiguousStrides, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { forEachRow } from '../kernels/strided';
import type { UnaryRow } from '../kernels/unary';
import { contiguousUnary } from '../kernels/elementwise';
import type { BinaryRow } from '../kernels/binary';
import { sumToShape } from './broadcast';

/** A Tensor, or a number standing for a scalar tensor of the other operand's dtype. */
export type TensorLike = Tensor | number;

/** What a backward rule is given besides the output's gradient. */
export interface BackwardContext<P, S extends readonly Tensor[]> {
  /** The tensors `save` returned, unchanged since (versions are checked). */
  readonly saved: S;
  readonly params: P;
  /** Which inputs want a gradient: skip the work for the others. */
  readonly needs: readonly boolean[];
  readonly inputShapes: readonly Shape[];
  readonly inputDTypes: readonly DType[];
}

/** One op: checks and forward, what to save, and the backward rule. */
export interface OpDef<P, S extends readonly Tensor[]> {
  readonly name: string;
  /** Checks the inputs and computes a new output tensor with kernels (records nothing). */
  forward(inputs: readonly Tensor[], params: P): Tensor;
  /** The tensors backward will read (default: none). */
  save?(inputs: readonly Tensor[], out: Tensor, params: P): S;
  /** Gradients of the inputs, each of its input's shape, or null where `needs` is false. */
  backward(g: Tensor, ctx: BackwardContext<P, S>): readonly (Tensor | null)[];
  /**
   * True when backward may keep a reference to `g` beyond returning (user
   * code: custom ops). The driver then never recycles g's memory.
   */
  readonly mayKeepGradient?: boolean;
}

const nothingSaved: readonly Tensor[] = [];

/**
 * Runs `def` on `inputs` and, when the graph is being recorded and an input
 * requires grad, makes the output a node of the graph.
 */
export function apply<P, S extends readonly Tensor[]>(def: OpDef<P, S>, inputs: readonly Tensor[], params: P): Tensor {
  const out = def.forward(inputs, params);
  checkForward(def.name, inputs, out);
  if (!isGradEnabled()) return out;
  let recorded = false;
  for (const input of inputs) recorded ||= input._requiresGrad;
  if (!recorded) return out;
  return attach(def as OpDef<unknown, readonly Tensor[]>, inputs, params, out);
}

function attach(def: OpDef<unknown, readonly Tensor[]>, inputs: readonly Tensor[], params: unknown, out: Tensor): Tensor {
  if (!isFloat(out.dtype)) {
    // Integer and boolean results (argmax, comparisons) carry no gradient.
    return out;
  }
  const saved = def.save ? def.save(inputs, out, params) : nothingSaved;
  const node = new Node(
    def.name,
    inputs.map((t) => t._gradNode()),
    inputs.map((t) => t.shape),
    inputs.map((t) => t.dtype),
    out.shape,
    out.dtype,
    def,
    params,
    saved,
    saved.map((t) => t.storage.version),
    null,
  );
  node.creation = captureStack();
  out.gradFn = node;
  out._requiresGrad = true;
  return out;
}

/** Checks that `x` is a Tensor or a number (NaN and ±Infinity are numbers). */
export function checkTensorLike(op: string, x: unknown, what = 'an operand'): asserts x is TensorLike {
  if (x instanceof Tensor || typeof x === 'number') return;
  throw new ArgumentError(op, `${what} must be a Tensor or a number, got ${describeValue(x)}`);
}

/** Describes an unexpected argument for an error message. */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return 'an array (wrap it with tensor(...))';
  if (typeof x === 'object') return x.constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}

/** A 0-d tensor holding `x`. */
export function scalarTensor(x: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = x;
  return Tensor.fromData(data, [], dtype);
}

/** `x` as a Tensor; numbers become 0-d tensors of `dtype`. */
export function asTensor(op: string, x: unknown, dtype: DType = 'float32', what?: string): Tensor {
  checkTensorLike(op, x, what);
  return typeof x === 'number' ? scalarTensor(x, dtype) : x;
}

/** The dtype ops compute a floating result in for input `x`. */
export function floatDTypeOf(x: Tensor): FloatDType {
  return isFloat(x.dtype) ? x.dtype : 'float32';
}

/** Tensors of one op's arguments: the first tensor's dtype decides what numbers become. */
export function operands(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  checkTensorLike(op, a, 'the first operand');
  checkTensorLike(op, b, 'the second operand');
  const dtype = a instanceof Tensor ? floatDTypeOf(a) : b instanceof Tensor ? floatDTypeOf(b) : 'float32';
  return [asTensor(op, a, dtype), asTensor(op, b, dtype)];
}

/** A fresh contiguous tensor of `shape` and `dtype`, zero-filled. */
export function emptyLike(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, sizeOf(shape)), shape, dtype);
}

// ---------------------------------------------------------------- unary ops

/** Scalar parameters of a unary op, handed to its row kernel. */
export type UnaryParams = readonly [number, number];

export interface UnarySpec {
  name: string;
  row: UnaryRow;
  /** Which tensor backward reads: the input x, the output, or nothing. */
  saves: 'input' | 'output' | 'none';
  /** d(out)/dx times g, in Tensor ops; `s` is the saved tensor. */
  backward(g: Tensor, s: Tensor, params: UnaryParams): Tensor;
}

/** Runs a unary row kernel over x (any layout) into a new contiguous tensor. */
export function mapUnary(x: Tensor, row: UnaryRow, dtype: DType, p = 0, q = 0): Tensor {
  const out = emptyLike(x.shape, dtype);
  const o = out.storage.data;
  if (x.dtype === dtype && x.isContiguous && contiguousUnary(row, x.storage.data, x.offset, o, x.size)) return out;
  const src = x.storage.data;
  forEachRow(x.shape, [x.strides, out.strides], [x.offset, 0], (off, n, inner) => {
    row(src, off[0] as number, inner[0] as number, o, off[1] as number, n, p, q);
  });
  return out;
}

/** An elementwise unary op as an OpDef. */
export function unaryOp(spec: UnarySpec): OpDef<UnaryParams, readonly Tensor[]> {
  return {
    name: spec.name,
    forward([x], [p, q]) {
      const input = x as Tensor;
      return mapUnary(input, spec.row, floatDTypeOf(input), p, q);
    },
    save(inputs, out) {
      if (spec.saves === 'none') return nothingSaved;
      return [spec.saves === 'input' ? (inputs[0] as Tensor) : out];
    },
    backward(g, { saved, params }) {
      return [spec.backward(g, saved[0] as Tensor, params)];
    },
  };
}

const noParams: UnaryParams = [0, 0];

/** Applies a unary OpDef to a Tensor or number. */
export function applyUnary(def: OpDef<UnaryParams, readonly Tensor[]>, x: unknown, params: UnaryParams = noParams): Tensor {
  return apply(def, [asTensor(def.name, x)], params);
}

// ---------------------------------------------------------------- binary ops

export interface BinarySpec {
  name: string;
  row: BinaryRow;
  /** The tensors backward reads, from inputs a, b and the output. */
  save?(a: Tensor, b: Tensor, out: Tensor): readonly Tensor[];
  /**
   * Gradients for a and b in the broadcast (output) shape; the helper sums
   * them back to each input's shape and dtype, once, for every binary op.
   */
  backward(g: Tensor, saved: readonly Tensor[], needs: readonly boolean[]): readonly [Tensor | null, Tensor | null];
}

/** Runs a binary row kernel with broadcasting into a new contiguous tensor of `dtype`. */
export function mapBinary(op: string, a: Tensor, b: Tensor, row: BinaryRow, dtype: DType): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = emptyLike(shape, dtype);
  const as = broadcastStrides(a.shape, a.strides, shape);
  const bs = broadcastStrides(b.shape, b.strides, shape);
  const ad = a.storage.data;
  const bd = b.storage.data;
  const o = out.storage.data;
  forEachRow(shape, [as, bs, contiguousStrides(shape)], [a.offset, b.offset, 0], (off, n, inner) => {
    row(ad, off[0] as number, inner[0] as number, bd, off[1] as number, inner[1] as number, o, off[2] as number, n);
  });
  return out;
}

/** Sums a gradient back to its input's shape and converts it to the input's dtype. */
export function reduceGradient(g: Tensor | null, shape: Shape, dtype: DType): Tensor | null {
  if (g === null) return null;
  const summed = sumToShape(g, shape);
  return summed.dtype === dtype ? summed : summed.to(dtype);
}

/** An elementwise binary op with broadcasting as an OpDef. */
export function binaryOp(spec: BinarySpec): OpDef<undefined, readonly Tensor[]> {
  return {
    name: spec.name,
    forward([a, b]) {
      const x = a as Tensor;
      const y = b as Tensor;
      return mapBinary(spec.name, x, y, spec.row, resultFloatDType(x.dtype, y.dtype));
    },
    save(inputs, out) {
      return spec.save ? spec.save(inputs[0] as Tensor, inputs[1] as Tensor, out) : nothingSaved;
    },
    backward(g, { saved, needs, inputShapes, inputDTypes }) {
      const [ga, gb] = spec.backward(g, saved, needs);
      return [
        needs[0] ? reduceGradient(ga, inputShapes[0] as Shape, inputDTypes[0] as DType) : null,
        needs[1] ? reduceGradient(gb, inputShapes[1] as Shape, inputDTypes[1] as DType) : null,
      ];
    },
  };
}

/** Applies a binary OpDef to two Tensors or numbers. */
export function applyBinary(def: OpDef<undefined, readonly Tensor[]>, a: unknown, b: unknown): Tensor {
  return apply(def, operands(def.name, a, b), undefined);
}
