/**
 * Elementwise unary ops. Each row of the table is one op: its kernel, what
 * backward reads, and its derivative written with Tensor ops (so it is itself
 * differentiable).
 */
import * as K from '../kernels/unary';
import * as KI from '../kernels/integer';
import { ArgumentError, safeString } from '../errors';
import { Tensor } from '../tensor/tensor';
import { isFloat } from '../tensor/dtype';
import { applyUnary, unaryOp, type TensorLike, type UnaryDef } from './define';
import { where } from './compare';
import { reluGrad, sigmoidGrad, tanhGrad } from './activation-grads';
import { clampWithTensors } from './value-tests';
import { clampDType, integerClamp } from './clamp-integer';

/**
 * The definitions of the elementwise unary ops (neg, exp, log, sin, ...), by name: each row is one op's forward and
 * backward rule (see CONTRIBUTING.md, "Adding an op"). The test suites and
 * fuzzers find every op through these tables.
 */
export const unaryOps = {
  // d/dx (-x) = -1
  neg: unaryOp({
    name: 'neg',
    row: K.neg,
    intRow: K.neg,
    refusesBool: 'use logicalNot to invert a mask (as PyTorch refuses `-` on a bool tensor)',
    saves: 'none',
    backward: (g) => g.neg(),
  }),
  // d/dx eˣ = eˣ (the output)
  exp: unaryOp({ name: 'exp', row: K.exp, saves: 'output', backward: (g, out) => g.mul(out) }),
  // d/dx ln x = 1/x. NOTE: log(0) = -Infinity, log(x < 0) = NaN (IEEE, as PyTorch).
  log: unaryOp({ name: 'log', row: K.log, saves: 'input', backward: (g, x) => g.div(x) }),
  // d/dx ln(1 + x) = 1 / (1 + x). NOTE: log1p(-1) = -Infinity, log1p(x < -1) = NaN, as in PyTorch.
  log1p: unaryOp({ name: 'log1p', row: K.log1p, saves: 'input', backward: (g, x) => g.div(x.add(1)) }),
  // d/dx √x = 1 / (2√x). NOTE: infinite at 0, as in PyTorch.
  sqrt: unaryOp({ name: 'sqrt', row: K.sqrt, saves: 'output', backward: (g, out) => g.div(out.mul(2)) }),
  // d/dx |x| = sign(x). NOTE: abs'(0) = 0, as in PyTorch.
  abs: unaryOp({ name: 'abs', row: K.abs, intRow: K.abs, saves: 'input', backward: (g, x) => g.mul(x.sign()) }),
  // sign is piecewise constant: its gradient is 0 everywhere it exists.
  sign: unaryOp({ name: 'sign', row: K.sign, intRow: K.sign, saves: 'none', backward: (g) => g.mul(0) }),
  // d/dx sin = cos
  sin: unaryOp({ name: 'sin', row: K.sin, saves: 'input', backward: (g, x) => g.mul(x.cos()) }),
  // d/dx cos = -sin
  cos: unaryOp({ name: 'cos', row: K.cos, saves: 'input', backward: (g, x) => g.mul(x.sin()).neg() }),
  // d/dx tanh = 1 - tanh², in one fused pass (activation-grads.ts)
  tanh: unaryOp({ name: 'tanh', row: K.tanh, saves: 'output', backward: (g, out) => tanhGrad(g, out) }),
  // d/dx σ = σ (1 - σ), from the output, in one fused pass (activation-grads.ts):
  // exactly 0 (not NaN) deep in the tails.
  sigmoid: unaryOp({ name: 'sigmoid', row: K.sigmoid, saves: 'output', backward: (g, out) => sigmoidGrad(g, out) }),
  // NOTE: relu'(0) = 0, as in PyTorch.
  relu: unaryOp({
    name: 'relu',
    row: K.relu,
    intRow: K.relu,
    saves: 'input',
    // g where x > 0, in one fused pass (activation-grads.ts).
    backward: (g, x) => reluGrad(g, x),
  }),
  // slope 1 for x > 0, negativeSlope otherwise (also at 0, as in PyTorch).
  leakyRelu: unaryOp({
    name: 'leakyRelu',
    row: K.leakyRelu,
    saves: 'input',
    backward: (g, x, [slope]) => where(x.gt(0), g, g.mul(slope)),
  }),
  // d/dx log(1 + eˣ) = σ(x)
  softplus: unaryOp({ name: 'softplus', row: K.softplus, saves: 'input', backward: (g, x) => g.mul(x.sigmoid()) }),
  // d/dx x² = 2x
  square: unaryOp({
    name: 'square',
    row: K.square,
    intRow: KI.squareInt,
    saves: 'input',
    backward: (g, x) => g.mul(x.mul(2)),
  }),
  // d/dx 1/x = -1/x² = -out²
  reciprocal: unaryOp({
    name: 'reciprocal',
    row: K.reciprocal,
    saves: 'output',
    backward: (g, out) => g.mul(out.square()).neg(),
  }),
  // 1 inside [min, max], 0 outside. NOTE: the bounds themselves count as
  // inside, as in PyTorch's clamp.
  clamp: unaryOp({
    name: 'clamp',
    row: K.clamp,
    saves: 'input',
    backward: (g, x, [lo, hi]) => where(x.ge(lo).logicalAnd(x.le(hi)), g, 0),
  }),
} satisfies Record<string, UnaryDef>;

/** -x, elementwise. */
export const neg = (x: TensorLike): Tensor => applyUnary(unaryOps.neg, x);
/** eˣ, elementwise. */
export const exp = (x: TensorLike): Tensor => applyUnary(unaryOps.exp, x);
/**
 * Natural logarithm, elementwise. IEEE, as in PyTorch, nothing clamped:
 * log(0) = -Infinity with gradient +Infinity (1/0), and log of a negative
 * number is NaN. Clamp first (e.g. `clamp(p, 1e-7)`) where a 0 can occur;
 * `detectAnomaly` finds the op that made the first NaN or Infinity.
 */
export const log = (x: TensorLike): Tensor => applyUnary(unaryOps.log, x);
/**
 * ln(1 + x), elementwise, accurate for x near 0 where `x.add(1).log()` is
 * not (log1p(1e-10) is 1e-10; log(1 + 1e-10) rounds 1 + 1e-10 first).
 */
export const log1p = (x: TensorLike): Tensor => applyUnary(unaryOps.log1p, x);
/** Square root, elementwise. */
export const sqrt = (x: TensorLike): Tensor => applyUnary(unaryOps.sqrt, x);
/** |x|, elementwise. */
export const abs = (x: TensorLike): Tensor => applyUnary(unaryOps.abs, x);
/** -1, 0 or 1 by the sign of x (gradient 0). */
export const sign = (x: TensorLike): Tensor => applyUnary(unaryOps.sign, x);
/** sin(x), elementwise (radians). */
export const sin = (x: TensorLike): Tensor => applyUnary(unaryOps.sin, x);
/** cos(x), elementwise (radians). */
export const cos = (x: TensorLike): Tensor => applyUnary(unaryOps.cos, x);
/** tanh(x), elementwise: squashes to (-1, 1). */
export const tanh = (x: TensorLike): Tensor => applyUnary(unaryOps.tanh, x);
/** σ(x) = 1 / (1 + e⁻ˣ), stable for inputs of any size. */
export const sigmoid = (x: TensorLike): Tensor => applyUnary(unaryOps.sigmoid, x);
/** max(x, 0). */
export const relu = (x: TensorLike): Tensor => applyUnary(unaryOps.relu, x);
/** log(1 + eˣ), computed without overflow. */
export const softplus = (x: TensorLike): Tensor => applyUnary(unaryOps.softplus, x);
/** x², elementwise. */
export const square = (x: TensorLike): Tensor => applyUnary(unaryOps.square, x);
/** 1/x, elementwise. */
export const reciprocal = (x: TensorLike): Tensor => applyUnary(unaryOps.reciprocal, x);

/** x for x > 0, `negativeSlope`·x otherwise (default slope 0.01, as PyTorch). */
export function leakyRelu(x: TensorLike, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new ArgumentError('leakyRelu', `negativeSlope must be a finite number, got ${safeString(negativeSlope)}`);
  }
  return applyUnary(unaryOps.leakyRelu, x, [negativeSlope, 0]);
}

/**
 * Limits every element to [min, max]; either bound may be omitted (null or
 * undefined). A bound may also be a Tensor that broadcasts with x (PyTorch's
 * clamp(Tensor, Tensor min, Tensor max)): the gradient then reaches the bound
 * where it is the active one, and where min > max the result is max. The
 * result's dtype is PyTorch's promotion of x and the bounds: an integer
 * tensor with integer bounds stays an integer, exactly (a number bound must
 * fit its dtype); a fractional bound makes it float32.
 *
 * @example
 * clamp(p, 1e-7, 1 - 1e-7); // keep probabilities away from 0 and 1 before log
 * clamp(x, lower, upper);   // per-element bounds, tensors
 */
export function clamp(x: TensorLike, min?: number | Tensor | null, max?: number | Tensor | null): Tensor {
  // Number bounds keep the unary fast path; a tensor (or any other object) goes to value-tests.ts.
  if ((typeof min === 'object' && min !== null) || (typeof max === 'object' && max !== null)) {
    return clampWithTensors(x, min, max);
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number' || Number.isNaN(lo) || Number.isNaN(hi)) {
    throw new ArgumentError(
      'clamp',
      `min and max must be numbers or Tensors (or omitted), got ${safeString(min)} and ${safeString(max)}`,
    );
  }
  if (lo > hi) throw new ArgumentError('clamp', `min ${lo} is greater than max ${hi}`);
  // An integer tensor with integer bounds stays in its dtype, exact (ops/clamp-integer.ts).
  if (x instanceof Tensor && !isFloat(x.dtype)) {
    const dtype = clampDType(x, min, max);
    if (!isFloat(dtype)) return integerClamp(x, min, max, dtype);
  }
  return applyUnary(unaryOps.clamp, x, [lo, hi]);
}
