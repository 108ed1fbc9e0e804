/**
 * The schema every op follows, in one place.
 *
 * An op is an `OpDef`: its `name`; `forward`, which computes the output from
 * its inputs with kernels (never recording anything) and hands what backward
 * will read to `ctx.save(...)`; and `backward`, which receives the gradient
 * `g` of the output and returns one gradient per input (or null), written
 * with Tensor ops so that, run with `createGraph`, it records a graph of its
 * own and second derivatives come for free. Checks that throw typed errors
 * run before `apply`, in the op's public function, so a refused call records
 * nothing.
 *
 * The schema, not each rule, takes care of what is common to all ops:
 * - a gradient is cast to its input's dtype (a float32 input of a float64
 *   product gets a float32 gradient), by the backward driver;
 * - its shape is checked against the input's (a wrong rule fails loudly
 *   instead of being broadcast away);
 * - tensors given to `ctx.save` carry their storage version, and backward
 *   refuses to run if one was changed in place since.
 *
 * `apply` runs an op and, when grad mode is on and an input requires grad,
 * attaches the node that backward will visit. The family helpers build
 * OpDefs for the common shapes of op: `unaryOp` and `binaryOp` here,
 * `reduceOp` in reduce.ts, `shapeOp` in shape.ts; `customOp` (custom.ts)
 * builds them for users.
 */
import { ArgumentError, DTypeError } from '../errors';
import { describeValue } from '../internal/describe';
import { isGradEnabled } from '../autograd/grad-mode';
import { captureStack } from '../autograd/anomaly';
import { checkForward } from '../tensor/anomaly-checks';
import { Node } from '../tensor/node';
import { allocate, isFloat, isInteger, type DType, type FloatDType } from '../tensor/dtype';
import { numberDType, promoteOperands, type Operand } from '../tensor/promotion';
import { broadcastShapes, broadcastStrides, contiguousStrides, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { forEachRow } from '../kernels/strided';
import { copy as copyRow, type UnaryRow } from '../kernels/unary';
import { contiguousUnary } from '../kernels/simd-unary';
import type { BinaryRow } from '../kernels/binary';
import { sumToShape } from './broadcast';
import { isTracing, traced, tracedWhole } from './trace';

/** A Tensor, or a number standing for a scalar tensor of the other operand's dtype. */
export type TensorLike = Tensor | number;

/** An op's inputs: a tuple of tensors (`[Tensor]` for unary ops, `readonly Tensor[]` for any number). */
export type Inputs = readonly Tensor[];

/** One gradient (or null) per input, typed like the inputs: `[Tensor | null]` for a unary op. */
export type Gradients<I extends Inputs> = { readonly [K in keyof I]: Tensor | null };

/** What forward is given besides its inputs and params. */
export interface ForwardContext<S extends Inputs> {
  /**
   * Keeps tensors (inputs, the output, or anything forward computed, such as
   * max's indices) for backward, which reads them as `ctx.saved`. A no-op
   * when the graph is not being recorded.
   */
  save(...tensors: S): void;
}

/** What a backward rule is given besides the output's gradient. */
export interface BackwardContext<P, S extends Inputs> {
  /** The tensors forward saved, unchanged since (versions are checked). */
  readonly saved: S;
  readonly params: P;
  /** Which inputs want a gradient: skip the work for the others. */
  readonly needs: readonly boolean[];
  readonly inputShapes: readonly Shape[];
}

/** One op: forward, which saves what backward needs, and the backward rule. */
export interface OpDef<I extends Inputs, P, S extends Inputs = readonly Tensor[]> {
  readonly name: string;
  /** Computes a new output tensor from checked inputs with kernels (records nothing). */
  forward(inputs: I, params: P, ctx: ForwardContext<S>): Tensor;
  /** Gradients of the inputs, each of its input's shape, or null where `needs` is false. */
  backward(g: Tensor, ctx: BackwardContext<P, S>): Gradients<I>;
  /** How graph drawings name the op's node, when its params change what it computes (default: `name`). */
  describe?(params: P): string;
  /**
   * True for ops whose backward is the user's code (custom ops): it may keep
   * `g` or what it returns, so the driver never recycles that memory.
   */
  readonly userCode?: boolean;
}

/** An OpDef of any inputs, params and saved tensors, as the graph holds it. */
export type AnyOpDef = OpDef<Inputs, unknown, Inputs>;

const nothingSaved: Inputs = [];

/** Collects what forward saves, when the graph is being recorded. */
class Saver implements ForwardContext<Inputs> {
  saved: Inputs = nothingSaved;
  save(...tensors: Inputs): void {
    this.saved = this.saved.length === 0 ? tensors : [...this.saved, ...tensors];
  }
}

/** The context of a forward whose graph is not recorded: saving keeps nothing. */
const notSaving: ForwardContext<Inputs> = { save() {} };

/**
 * Runs `def` on `inputs` and, when the graph is being recorded and an input
 * requires grad, makes the output a node of the graph.
 */
export function apply<I extends Inputs, P, S extends Inputs>(def: OpDef<I, P, S>, inputs: I, params: P): Tensor {
  if (isTracing())
    return traced(def.name, inputs, params, () => applyNow(def, inputs, params), def as unknown as AnyOpDef);
  return applyNow(def, inputs, params);
}

function applyNow<I extends Inputs, P, S extends Inputs>(def: OpDef<I, P, S>, inputs: I, params: P): Tensor {
  let recording = false;
  if (isGradEnabled()) for (const input of inputs) recording ||= input.requiresGrad;
  const saver = recording ? new Saver() : null;
  const out = def.forward(inputs, params, (saver ?? notSaving) as ForwardContext<S>);
  checkForward(def.name, inputs, out);
  // Integer and boolean results (argmax, comparisons) carry no gradient.
  if (saver === null || !isFloat(out.dtype)) return out;
  const node = new Node({ def: def as unknown as AnyOpDef, inputs, params, saved: saver.saved, output: out });
  node.creation = captureStack();
  out.gradFn = node;
  out._requiresGrad = true;
  return out;
}

/** Checks that `x` is a Tensor or a number (NaN and ±Infinity are numbers). */
export function checkTensorLike(op: string, x: unknown, what = 'an operand'): asserts x is TensorLike {
  if (x instanceof Tensor || typeof x === 'number') return;
  throw new ArgumentError(op, `${what} must be a Tensor or a number, got ${describeOperand(x)}`);
}

/**
 * An unexpected argument where a tensor belongs, for an error message: as
 * every package describes values, and an array with the fix beside it.
 */
export function describeOperand(x: unknown): string {
  return Array.isArray(x) ? 'an array (wrap it with tensor(...))' : describeValue(x);
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

/**
 * 0-d tensors made from plain numbers by `operands`: promotion treats them
 * as numbers (the lowest priority), as PyTorch treats its wrapped numbers.
 */
const wrappedNumbers = new WeakSet<Tensor>();

/** How promotion sees `t`: a plain number, a 0-d tensor, or a tensor with dimensions. */
function operandOf(t: Tensor): Operand {
  return { dtype: t.dtype, kind: wrappedNumbers.has(t) ? 'number' : t._shape.length === 0 ? 'scalar' : 'tensor' };
}

/**
 * The dtype an arithmetic op on `a` and `b` computes in, as
 * torch.result_type: tensors with dimensions decide first, then 0-d
 * tensors, then plain numbers, each only when of a higher category (bool <
 * integer < float) than what decided before. A JavaScript number counts as
 * int32 when it is an integer and as float32 otherwise.
 *
 * @example
 * resultType(tensor([1, 2], { dtype: 'int32' }), 2); // 'int32'
 * resultType(tensor([1, 2], { dtype: 'int32' }), 2.5); // 'float32'
 * resultType(tensor([1], { dtype: 'uint8' }), tensor([1], { dtype: 'int8' })); // 'int16'
 * resultType(tensor([1, 2]), tensor(1, { dtype: 'float64' })); // 'float32': a 0-d tensor does not widen
 */
export function resultType(a: TensorLike, b: TensorLike): DType {
  checkTensorLike('resultType', a, 'the first operand');
  checkTensorLike('resultType', b, 'the second operand');
  return promoteOperands(
    [a, b].map((x) =>
      x instanceof Tensor ? operandOf(x) : { dtype: numberDType(x), kind: 'number' as const, plain: true },
    ),
  );
}

/** The dtype an op on these (checked) tensors computes in, by PyTorch's promotion rules. */
export function resultTypeOf(tensors: readonly Tensor[]): DType {
  return promoteOperands(tensors.map(operandOf));
}

/**
 * Tensors of one op's arguments. A number becomes a 0-d tensor of the dtype
 * the op computes in (so `int32 + 2` stays exact, and `uint8 + 300` wraps
 * the 300 as PyTorch does), remembered as a number for promotion.
 */
export function operands(op: string, a: unknown, b: unknown): [Tensor, Tensor] {
  checkTensorLike(op, a, 'the first operand');
  checkTensorLike(op, b, 'the second operand');
  // Two tensors (the common case) need no number wrapped.
  if (a instanceof Tensor && b instanceof Tensor) return [a, b];
  const kinds: Operand[] = [a, b].map((x) =>
    x instanceof Tensor ? operandOf(x) : { dtype: numberDType(x as number), kind: 'number', plain: true },
  );
  const dtype = promoteOperands(kinds);
  const wrap = (x: TensorLike): Tensor => {
    if (x instanceof Tensor) return x;
    const t = scalarTensor(x, dtype);
    wrappedNumbers.add(t);
    return t;
  };
  return [wrap(a), wrap(b)];
}

/** A fresh contiguous tensor of `shape` and `dtype`, zero-filled. */
export function emptyLike(shape: Shape, dtype: DType): Tensor {
  return Tensor.fromData(allocate(dtype, sizeOf(shape)), shape, dtype);
}

// ---------------------------------------------------------------- unary ops

/** Scalar parameters of a unary op, handed to its row kernel. */
export type UnaryParams = readonly [number, number];

/** The one input of a unary op. */
export type Unary = readonly [Tensor];
/** The two inputs of a binary op. */
export type Binary = readonly [Tensor, Tensor];

export interface UnarySpec {
  name: string;
  row: UnaryRow;
  /** Which tensor backward reads: the input x, the output, or nothing. */
  saves: 'input' | 'output' | 'none';
  /** d(out)/dx times g, in Tensor ops; `s` is the saved tensor. */
  backward(g: Tensor, s: Tensor, params: UnaryParams): Tensor;
  /**
   * The kernel for integer inputs, whose result keeps their dtype (exact,
   * wrapping on overflow, as PyTorch). Without it an integer input is
   * computed in float32.
   */
  intRow?: UnaryRow;
  /** Refuse bool inputs (as PyTorch refuses `-mask`), with what to use instead. */
  refusesBool?: string;
}

/** Runs a unary row kernel over x (any layout) into a new contiguous tensor. */
export function mapUnary(x: Tensor, row: UnaryRow, dtype: DType, p = 0, q = 0): Tensor {
  const out = emptyLike(x._shape, dtype);
  const o = out.storage.data;
  if (x.dtype === dtype && x.isContiguous && contiguousUnary(row, x.storage.data, x.offset, o, x.size)) return out;
  const src = x.storage.data;
  forEachRow(x._shape, [x._strides, out._strides], [x.offset, 0], (off, n, inner) => {
    row(src, off[0] as number, inner[0] as number, o, off[1] as number, n, p, q);
  });
  return out;
}

/** `t` as backward reads it: converted to a float result's dtype when it is an integer or bool input. */
function savedAs(t: Tensor, dtype: DType): Tensor {
  // Traced as a cast: a gradient graph that reads it must not hold it as a constant.
  return isFloat(dtype) && !isFloat(t.dtype) ? tracedWhole('to', [t], dtype, () => mapUnary(t, copyRow, dtype)) : t;
}

/** An OpDef of a unary op. */
export type UnaryDef = OpDef<Unary, UnaryParams, Unary>;

/** An elementwise unary op as an OpDef. */
export function unaryOp(spec: UnarySpec): UnaryDef {
  return {
    name: spec.name,
    forward([x], [p, q], ctx) {
      if (spec.refusesBool !== undefined && x.dtype === 'bool') {
        throw new DTypeError(spec.name, `a bool tensor is not accepted; ${spec.refusesBool}`);
      }
      const exact = spec.intRow !== undefined && isInteger(x.dtype);
      const out = exact
        ? mapUnary(x, spec.intRow as UnaryRow, x.dtype, p, q)
        : mapUnary(x, spec.row, floatDTypeOf(x), p, q);
      if (spec.saves !== 'none') ctx.save(spec.saves === 'input' ? savedAs(x, out.dtype) : out);
      return out;
    },
    backward: (g, { saved: [s], params }) => [spec.backward(g, s, params)],
  };
}

const noParams: UnaryParams = [0, 0];

/** Applies a unary OpDef to a Tensor or number. */
export function applyUnary(def: UnaryDef, x: unknown, params: UnaryParams = noParams): Tensor {
  return apply(def, [asTensor(def.name, x)], params);
}

// ---------------------------------------------------------------- binary ops

export interface BinarySpec<S extends Inputs> {
  name: string;
  row: BinaryRow;
  /** Saves what backward reads, from inputs a, b and the output. */
  save?(ctx: ForwardContext<S>, a: Tensor, b: Tensor, out: Tensor): void;
  /**
   * Gradients for a and b in the broadcast (output) shape; the helper sums
   * them back to each input's shape, once, for every binary op.
   */
  backward(g: Tensor, saved: S, needs: readonly boolean[]): readonly [Tensor | null, Tensor | null];
  /**
   * The kernel for operands that promote to an integer dtype: the result
   * keeps that dtype, exact and wrapping on overflow, as PyTorch. Without it
   * such operands are computed in float32 (as `div` is: true division).
   */
  intRow?: BinaryRow;
  /**
   * For operands that promote to bool: a kernel whose results are 0 or 1
   * (add is OR, mul is AND, as PyTorch), or a refusal naming what to use
   * instead (PyTorch refuses `mask - mask`). Without it they are computed
   * as integers (int32) when there is an `intRow`, in float32 otherwise.
   */
  bool?: BinaryRow | { refuse: string };
}

/** The dtype and kernel a binary op computes with for operands promoting to `dtype`. */
function binaryKernel(spec: BinarySpec<Inputs>, dtype: DType): [DType, BinaryRow] {
  if (isFloat(dtype)) return [dtype, spec.row];
  if (dtype === 'bool') {
    const bool = spec.bool;
    if (typeof bool === 'function') return ['bool', bool];
    if (bool !== undefined) throw new DTypeError(spec.name, `two bool operands are not accepted; ${bool.refuse}`);
    return spec.intRow !== undefined ? ['int32', spec.intRow] : ['float32', spec.row];
  }
  return spec.intRow !== undefined ? [dtype, spec.intRow] : ['float32', spec.row];
}

/** Runs a binary row kernel with broadcasting into a new contiguous tensor of `dtype`. */
export function mapBinary(op: string, a: Tensor, b: Tensor, row: BinaryRow, dtype: DType): Tensor {
  const shape = broadcastShapes(op, a._shape, b._shape);
  const out = emptyLike(shape, dtype);
  const as = broadcastStrides(a._shape, a._strides, shape);
  const bs = broadcastStrides(b._shape, b._strides, shape);
  const ad = a.storage.data;
  const bd = b.storage.data;
  const o = out.storage.data;
  forEachRow(shape, [as, bs, contiguousStrides(shape)], [a.offset, b.offset, 0], (off, n, inner) => {
    row(ad, off[0] as number, inner[0] as number, bd, off[1] as number, inner[1] as number, o, off[2] as number, n);
  });
  return out;
}

/** An OpDef of a binary op, saving S for backward. */
export type BinaryDef<S extends Inputs = Inputs> = OpDef<Binary, undefined, S>;

/** An elementwise binary op with broadcasting as an OpDef. */
export function binaryOp<S extends Inputs = Inputs>(spec: BinarySpec<S>): BinaryDef<S> {
  return {
    name: spec.name,
    forward([a, b], _params, ctx) {
      // Two operands of one float dtype (the common case) compute in it whatever their kinds.
      const promoted = a.dtype === b.dtype && isFloat(a.dtype) ? a.dtype : resultTypeOf([a, b]);
      const [dtype, row] = binaryKernel(spec as BinarySpec<Inputs>, promoted);
      const out = mapBinary(spec.name, a, b, row, dtype);
      // Backward rules compute in the result's float dtype: integer and bool
      // inputs are saved converted (they carry no gradient), so a rule may
      // negate them (atan2 of a mask), which integer semantics would refuse.
      if (spec.save !== undefined) spec.save(ctx, savedAs(a, dtype), savedAs(b, dtype), out);
      return out;
    },
    backward(g, { saved, needs, inputShapes: [sa, sb] }) {
      const [ga, gb] = spec.backward(g, saved, needs);
      return [
        needs[0] && ga !== null ? sumToShape(ga, sa as Shape) : null,
        needs[1] && gb !== null ? sumToShape(gb, sb as Shape) : null,
      ];
    },
  };
}

/** Applies a binary OpDef to two Tensors or numbers. */
export function applyBinary<S extends Inputs>(def: BinaryDef<S>, a: unknown, b: unknown): Tensor {
  return apply(def, operands(def.name, a, b), undefined);
}
