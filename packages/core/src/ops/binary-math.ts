/**
 * Elementwise binary math ops with NumPy broadcasting: PyTorch's atan2,
 * copysign, hypot, logaddexp(2), xlogy, remainder, fmod, floor_divide, fmax
 * and fmin, each one row of `binaryMathOps` (part of the binary family in
 * tables.ts), plus lerp, a ternary op. Gradients follow PyTorch 1.13's
 * formulas, edges included (fixtures/binary-math.py records them).
 */
import * as K from '../kernels/binary-math';
import * as KI from '../kernels/integer';
import { ArgumentError } from '../errors';
import type { BinaryRow } from '../kernels/binary';
import { forEachRow } from '../kernels/strided';
import { isFloat, resultFloatDType, type DType } from '../tensor/dtype';
import { copy } from '../kernels/unary';
import { broadcastShapes, broadcastStrides, contiguousStrides, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import {
  apply,
  applyBinary,
  asTensor,
  binaryOp,
  checkTensorLike,
  emptyLike,
  floatDTypeOf,
  mapBinary,
  mapUnary,
  operands,
  resultTypeOf,
  type Binary,
  type BinaryDef,
  type Inputs,
  type OpDef,
  type TensorLike,
} from './define';
import { sumToShape } from './broadcast';
import { tracedWhole } from './trace';
import { where } from './compare';

/** Three tensors, as lerp and clamp with two tensor bounds take them. */
export type Ternary = readonly [Tensor, Tensor, Tensor];

/** Inputs a, b and the output: what copysign's backward reads. */
type WithOutput = readonly [Tensor, Tensor, Tensor];

/** A zero gradient in g's shape and dtype (not g·0, which is NaN where g is infinite). */
const zerosOf = (g: Tensor): Tensor => emptyLike(g._shape, g.dtype);

/** A piecewise-constant quotient for a gradient: computed without a graph, as its derivative is 0. */
const quotient = (a: Tensor, b: Tensor, row: BinaryRow): Tensor =>
  tracedWhole('quotient', [a, b], undefined, () =>
    mapBinary('quotient', a, b, row, resultFloatDType(a.dtype, b.dtype)),
  );

/**
 * The definitions of the binary math ops (atan2, hypot, logaddexp, ...), by name: each row is one op's forward and
 * backward rule (see CONTRIBUTING.md, "Adding an op"). The test suites and
 * fuzzers find every op through these tables.
 */
export const binaryMathOps = {
  // d atan2(a, b) = (b da - a db) / (a² + b²).
  // NOTE: the gradient at a = b = 0 is NaN (0/0), as PyTorch, though atan2(0, 0) is defined.
  atan2: binaryOp<Binary>({
    name: 'atan2',
    row: K.atan2,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => {
      const r = a.square().add(b.square()).reciprocal();
      return [needs[0] ? g.mul(b).mul(r) : null, needs[1] ? g.mul(a.neg()).mul(r) : null];
    },
  }),
  // |a| with the sign of b: d/da = copysign(a, b) / a = ±1, d/db = 0.
  // NOTE: as PyTorch, the a-gradient is 0 at a = ±0, and NaN at a = ±Infinity (∞/∞).
  // The ratio is piecewise constant, so it is computed off the graph.
  copysign: binaryOp<WithOutput>({
    name: 'copysign',
    row: K.copysign,
    save: (ctx, a, b, out) => ctx.save(a, b, out),
    backward: (g, [a, , out], needs) => [
      needs[0] ? g.mul(where(a.eq(0), 0, out.detach().div(a.detach()))) : null,
      needs[1] ? zerosOf(g) : null,
    ],
  }),
  // d √(a² + b²) = (a da + b db) / out. NOTE: NaN at a = b = 0 (0/0), as PyTorch.
  hypot: binaryOp<WithOutput>({
    name: 'hypot',
    row: K.hypot,
    save: (ctx, a, b, out) => ctx.save(a, b, out),
    backward: (g, [a, b, out], needs) => [needs[0] ? g.mul(a).div(out) : null, needs[1] ? g.mul(b).div(out) : null],
  }),
  // d log(eᵃ + eᵇ)/da = 1 / (1 + eᵇ⁻ᵃ), the softmax weight of a.
  // NOTE: NaN where both are -Infinity (or both +Infinity), as PyTorch.
  logaddexp: binaryOp<Binary>({
    name: 'logaddexp',
    row: K.logaddexp,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [
      needs[0] ? g.div(b.sub(a).exp().add(1)) : null,
      needs[1] ? g.div(a.sub(b).exp().add(1)) : null,
    ],
  }),
  // d log₂(2ᵃ + 2ᵇ)/da = 1 / (1 + 2ᵇ⁻ᵃ). NOTE: NaN where both are ±Infinity alike, as PyTorch.
  logaddexp2: binaryOp<Binary>({
    name: 'logaddexp2',
    row: K.logaddexp2,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [
      needs[0] ? g.div(powerOfTwo(b.sub(a)).add(1)) : null,
      needs[1] ? g.div(powerOfTwo(a.sub(b)).add(1)) : null,
    ],
  }),
  // d(a log b) = log b da + (a / b) db.
  // NOTE: the a-gradient is 0 where a = 0 and b ≤ 0 (the derivative along a = 0, as
  // PyTorch), and xlogy(g, b) elsewhere: Infinity at a = 0, b = Infinity.
  xlogy: binaryOp<Binary>({
    name: 'xlogy',
    row: K.xlogy,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [
      needs[0] ? where(a.eq(0).logicalAnd(b.le(0)), 0, xlogy(g, b)) : null,
      needs[1] ? g.mul(a).div(b) : null,
    ],
  }),
  // a - b⌊a/b⌋: d/da = 1, d/db = -⌊a/b⌋ (PyTorch's formula; the jumps where a/b is an integer have none).
  remainder: binaryOp<Binary>({
    name: 'remainder',
    row: K.remainder,
    intRow: KI.remainderInt,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [needs[0] ? g : null, needs[1] ? g.neg().mul(quotient(a, b, K.floorDivide)) : null],
  }),
  // a - b·trunc(a/b): d/da = 1, d/db = -trunc(a/b), as PyTorch.
  fmod: binaryOp<Binary>({
    name: 'fmod',
    row: K.fmod,
    intRow: KI.fmodInt,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [needs[0] ? g : null, needs[1] ? g.neg().mul(quotient(a, b, K.truncDivide)) : null],
  }),
  // Piecewise constant: gradient 0 (zeros, also where g is infinite).
  // NOTE: PyTorch 1.13's floor_divide refuses backward; its twin div(rounding_mode='floor') gives these zeros.
  floorDivide: binaryOp({
    name: 'floorDivide',
    row: K.floorDivide,
    intRow: KI.floorDivideInt,
    backward: (g, _s, needs) => [needs[0] ? zerosOf(g) : null, needs[1] ? zerosOf(g) : null],
  }),
  // The gradient goes to the operand returned. NOTE: on ties it all goes to a
  // (not split, unlike maximum), and to b only where a is NaN and b is not, as PyTorch.
  fmax: binaryOp<Binary>({
    name: 'fmax',
    row: K.fmax,
    intRow: K.fmax,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => firstUnless(g, a.ge(b).logicalOr(b.ne(b)), needs),
  }),
  fmin: binaryOp<Binary>({
    name: 'fmin',
    row: K.fmin,
    intRow: K.fmin,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => firstUnless(g, a.le(b).logicalOr(b.ne(b)), needs),
  }),
} satisfies Record<string, BinaryDef<Inputs>>;

/** 2ˣ for a tensor x. */
const powerOfTwo = (x: Tensor): Tensor => asTensor('logaddexp2', 2, x.dtype).pow(x);

/** g to a where `toFirst` holds, to b elsewhere. */
function firstUnless(g: Tensor, toFirst: Tensor, needs: readonly boolean[]): [Tensor | null, Tensor | null] {
  return [needs[0] ? where(toFirst, g, 0) : null, needs[1] ? where(toFirst, 0, g) : null];
}

/**
 * The angle of the point (b, a) from the positive x axis, in (-π, π]:
 * atan(a / b) in the right quadrant, broadcasting. IEEE's signed zeros pick
 * the side of the cut: atan2(±0, -1) = ±π, atan2(-0, +0) = -0.
 *
 * @example
 * atan2(tensor([1, 1, -1]), tensor([1, -1, 0])); // [π/4, 3π/4, -π/2]
 */
export const atan2 = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.atan2, a, b);
/**
 * |a| with the sign of b, elementwise, broadcasting; -0 counts as negative
 * (copysign(1, -0) = -1). NOTE: a NaN in b counts as positive: JavaScript
 * does not keep the sign bit of NaN reliably, where PyTorch reads it.
 */
export const copysign = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.copysign, a, b);
/**
 * √(a² + b²), elementwise, broadcasting, without the overflow and underflow
 * of squaring first: hypot(3e200, 4e200) = 5e200. Infinity if either side is
 * infinite, even when the other is NaN (IEEE 754, as PyTorch).
 */
export const hypot = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.hypot, a, b);
/**
 * log(eᵃ + eᵇ), elementwise, broadcasting, without overflow:
 * logaddexp(1000, 1000) = 1000 + ln 2, and logaddexp(-Infinity, -Infinity)
 * = -Infinity (a sum of probabilities that are all 0, in log space).
 */
export const logaddexp = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.logaddexp, a, b);
/** log₂(2ᵃ + 2ᵇ), elementwise, broadcasting, without overflow (as {@link logaddexp}, in base 2). */
export const logaddexp2 = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.logaddexp2, a, b);
/**
 * a·log(b), elementwise, broadcasting, with 0·log(b) = 0 for every b but NaN
 * (so xlogy(0, 0) = 0: entropy terms p·log p of p = 0 vanish); NaN if b is NaN.
 *
 * @example
 * xlogy(p, p).sum().neg(); // entropy, finite where some p are 0
 */
export const xlogy = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.xlogy, a, b);
/**
 * a - b·⌊a/b⌋, elementwise, broadcasting: the remainder with the sign of the
 * divisor, as Python's % and PyTorch's remainder (remainder(-5, 3) = 1).
 * NaN for b = 0 or infinite a; remainder(x, ±Infinity) is x when x has the
 * divisor's sign and ±Infinity otherwise, as PyTorch. NOTE: a zero result
 * keeps the dividend's sign (remainder(-3, 1.5) = -0), as PyTorch, where
 * Python's % gives 0. See {@link fmod} for the dividend's sign.
 */
export const remainder = (a: TensorLike, b: TensorLike): Tensor => integerDivision(binaryMathOps.remainder, a, b);
/**
 * a - b·trunc(a/b), elementwise, broadcasting: C's fmod, with the sign of the
 * dividend (fmod(-5, 3) = -2), exact. NaN for b = 0 or infinite a.
 */
export const fmod = (a: TensorLike, b: TensorLike): Tensor => integerDivision(binaryMathOps.fmod, a, b);
/**
 * ⌊a / b⌋ of the exact quotient, elementwise, broadcasting: PyTorch's
 * floor_divide (1.13+, rounding_mode='floor') and Python's //, so
 * floorDivide(-5, 3) = -2 and a = b·floorDivide(a, b) + remainder(a, b).
 * Division by 0 gives ±Infinity or NaN, as a / 0. Its gradient is 0.
 */
export const floorDivide = (a: TensorLike, b: TensorLike): Tensor => integerDivision(binaryMathOps.floorDivide, a, b);

/**
 * Runs a division-like op, first refusing an integer division by zero as
 * PyTorch does (ZeroDivisionError); floats divide by zero to ±Infinity/NaN.
 */
function integerDivision(def: BinaryDef<Inputs>, a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(def.name, a, b);
  const dtype = resultTypeOf([x, y]);
  if (!isFloat(dtype)) {
    const d = y.contiguous().data();
    const at = d.indexOf(0);
    if (at >= 0) {
      throw new ArgumentError(
        def.name,
        `integer division by zero (the divisor's element ${at} is 0); convert to a float dtype for ±Infinity and NaN`,
      );
    }
  }
  return apply(def, [x, y], undefined);
}
/**
 * The larger of a and b, elementwise, broadcasting, ignoring NaN: fmax(NaN, 1)
 * = 1, NaN only where both are. See {@link maximum} for NaN propagation.
 */
export const fmax = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.fmax, a, b);
/** The smaller of a and b, elementwise, broadcasting, ignoring NaN (NaN only where both are). */
export const fmin = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryMathOps.fmin, a, b);

// ---------------------------------------------------------------- ternary ops

/**
 * Three operands as tensors: numbers become 0-d tensors of the first
 * tensor's float dtype (float32 when all three are numbers).
 */
export function ternaryOperands<A extends readonly unknown[]>(
  op: string,
  args: A,
  names: { readonly [K in keyof A]: string },
): { -readonly [K in keyof A]: Tensor } {
  args.forEach((x, i) => {
    checkTensorLike(op, x, names[i]);
  });
  const first = args.find((x): x is Tensor => x instanceof Tensor);
  const dtype = first === undefined ? 'float32' : floatDTypeOf(first);
  // One tensor per argument, which is what the mapped type says. Integer and
  // bool tensors are converted to float32 first: these ops compute in floats,
  // and their backward rules negate operands (refused for a mask).
  const tensors = args.map((x) => asTensor(op, x, dtype));
  const computed = ternaryDType(tensors);
  // The conversion is traced as a cast (an exporter must not keep a converted input as a constant).
  return tensors.map((t) =>
    isFloat(t.dtype) ? t : tracedWhole('to', [t], computed, () => mapUnary(t, copy, computed)),
  ) as {
    -readonly [K in keyof A]: Tensor;
  };
}

/** Runs a ternary row kernel with broadcasting into a new contiguous tensor of `dtype`. */
export function mapTernary(op: string, [a, b, c]: Ternary, row: K.TernaryRow, dtype: DType): Tensor {
  const shape = broadcastShapes(op, broadcastShapes(op, a._shape, b._shape), c._shape);
  const out = emptyLike(shape, dtype);
  const strides = [a, b, c].map((t) => broadcastStrides(t._shape, t._strides, shape));
  strides.push(contiguousStrides(shape));
  const [ad, bd, cd, od] = [a.storage.data, b.storage.data, c.storage.data, out.storage.data];
  forEachRow(shape, strides, [a.offset, b.offset, c.offset, 0], (off, n, inner) => {
    row(
      ad,
      off[0] as number,
      inner[0] as number,
      bd,
      off[1] as number,
      inner[1] as number,
      cd,
      off[2] as number,
      inner[2] as number,
      od,
      off[3] as number,
      n,
    );
  });
  return out;
}

/**
 * The dtype a ternary op computes in: PyTorch's promotion of the three (a
 * 0-d float64 bound does not widen a float32 tensor), always a float.
 */
export function ternaryDType(inputs: readonly Tensor[]): DType {
  const dtype = resultTypeOf(inputs);
  return isFloat(dtype) ? dtype : 'float32';
}

/** Gradients in the broadcast shape, each summed back to its input's shape. */
export function fitTernary(
  grads: readonly (Tensor | null)[],
  needs: readonly boolean[],
  shapes: readonly Shape[],
): [Tensor | null, Tensor | null, Tensor | null] {
  const toShape = (i: number) => {
    const gi = grads[i];
    return needs[i] && gi !== null && gi !== undefined ? sumToShape(gi, shapes[i] as Shape) : null;
  };
  return [toShape(0), toShape(1), toShape(2)];
}

// start + w·(end - start): d/dstart = 1 - w, d/dend = w, d/dw = end - start.
const lerpDef: OpDef<Ternary, undefined, Ternary> = {
  name: 'lerp',
  forward(inputs, _params, ctx) {
    const out = mapTernary('lerp', inputs, K.lerp, ternaryDType(inputs));
    ctx.save(...inputs);
    return out;
  },
  backward: (g, { saved: [start, end, w], needs, inputShapes }) =>
    fitTernary(
      [needs[0] ? g.mul(w.neg().add(1)) : null, needs[1] ? g.mul(w) : null, needs[2] ? g.mul(end.sub(start)) : null],
      needs,
      inputShapes,
    ),
};

/**
 * start + weight·(end - start), elementwise; the three broadcast together and
 * `weight` may be a number. Exact at weight 0 and 1 (PyTorch's two-sided
 * formula, with a fused multiply-add), and differentiable in all three.
 * NOTE: PyTorch wants the three in one dtype; here they promote as in every
 * binary op (float64 if any is).
 *
 * @example
 * lerp(average, x, 0.1); // an exponential moving average step
 */
export function lerp(start: TensorLike, end: TensorLike, weight: TensorLike): Tensor {
  return apply(lerpDef, ternaryOperands('lerp', [start, end, weight] as const, ['start', 'end', 'weight']), undefined);
}
