/**
 * Activation functions, named as in PyTorch's torch.nn.functional (in
 * camelCase). Each is one row of `activationOps`, which ops/tables.ts merges
 * into the unary family, so the suites that iterate over unary ops cover
 * these too. Kernels are in kernels/activations.ts; the backward rules of
 * silu, gelu and mish are fused ops (activations-backward.ts), the others are
 * a few Tensor ops, so every rule is differentiable again.
 *
 * Gradients at the kinks and at NaN are PyTorch 1.13's (checked against its
 * values by activations.test.ts); each convention has a NOTE on its row.
 *
 * Parameters are checked before anything is computed. For a float32 input
 * they are rounded to float32 first, as PyTorch converts them to the
 * tensor's type, so the forward kernel and the backward rule (whose
 * comparisons make float32 scalars) agree on which side of a bound an
 * element lies.
 */
import * as K from '../kernels/activations';
import { ArgumentError } from '../errors';
import { describeValue } from '../internal/describe';
import { badOptionMessage, optionsObject, valueOr } from '../internal/options';
import type { Tensor } from '../tensor/tensor';
import { where } from './compare';
import {
  apply,
  asTensor,
  checkTensorLike,
  floatDTypeOf,
  mapUnary,
  unaryOp,
  type TensorLike,
  type UnaryDef,
} from './define';
import { geluGrad, geluTanhGrad, mishGrad, siluGrad } from './activations-backward';

// NOTE on NaN inputs: PyTorch 1.13's CPU backward kernels disagree with
// themselves there. Their vectorized loop (every element of a tensor of 8 or
// more, but the tail) and their scalar loop (tensors of a few elements) give
// hardtanh'(NaN) = 0 and 1, elu'(NaN) = NaN and 1, and so on. We follow the
// vectorized loop, what a tensor of any real size gets; so does hardswish'(3).

/**
 * g strictly inside (lo, hi), 0 at and beyond the bounds. NOTE: the bounds
 * themselves get 0, as in PyTorch's hardtanh backward (clamp's gradient, by
 * contrast, is 1 there), and so does NaN.
 */
const insideGrad = (g: Tensor, x: Tensor, lo: number, hi: number): Tensor => where(x.gt(lo).logicalAnd(x.lt(hi)), g, 0);

/** g where |x| > λ, 0 on [-λ, λ]. NOTE: 0 at ±λ themselves and at NaN, as in PyTorch. */
const shrinkGrad = (g: Tensor, x: Tensor, lambd: number): Tensor => where(x.lt(-lambd).logicalOr(x.gt(lambd)), g, 0);

/**
 * g·slope where x > 0, g·scale·e^(x/divisor) elsewhere: elu, selu and celu.
 * e^(min(x, 0)/divisor) is finite on both sides, so the branch where() drops
 * cannot make a NaN in second derivatives (0·∞). NOTE: x = 0 takes the
 * exponential side (elu'(0) = alpha, selu'(0) = scale·alpha) and NaN gives
 * NaN, as in PyTorch.
 */
function expGrad(g: Tensor, x: Tensor, scale: number, divisor: number, slope: number): Tensor {
  const below = x.clamp(null, 0);
  const e = (divisor === 1 ? below : below.div(divisor)).exp();
  return where(x.gt(0), slope === 1 ? g : g.mul(slope), g.mul(e.mul(scale)));
}

export const activationOps = {
  // hardtanh with [0, 6]: relu6'(0) = relu6'(6) = 0 (see insideGrad).
  relu6: unaryOp({ name: 'relu6', row: K.hardtanh, saves: 'input', backward: (g, x) => insideGrad(g, x, 0, 6) }),
  // d/dx = 1 for x > 0, alpha·eˣ for x ≤ 0 (see expGrad).
  elu: unaryOp({ name: 'elu', row: K.elu, saves: 'input', backward: (g, x, [alpha]) => expGrad(g, x, alpha, 1, 1) }),
  // d/dx = scale for x > 0, scale·alpha·eˣ for x ≤ 0.
  selu: unaryOp({
    name: 'selu',
    row: K.selu,
    saves: 'input',
    backward: (g, x) => expGrad(g, x, K.SELU_SCALE * K.SELU_ALPHA, 1, K.SELU_SCALE),
  }),
  // d/dx = 1 for x > 0, e^(x/alpha) for x ≤ 0.
  celu: unaryOp({ name: 'celu', row: K.celu, saves: 'input', backward: (g, x, [alpha]) => expGrad(g, x, 1, alpha, 1) }),
  // d/dx x·Φ(x) = Φ(x) + x·φ(x); the tanh form's in activations-backward.ts. Its parameter is 0 (exact) or 1 (tanh),
  // which picks the row kernel (each has its own SIMD twin or none), so the OpDef is written out.
  gelu: {
    name: 'gelu',
    forward([x], [tanhForm], ctx) {
      const out = mapUnary(x, tanhForm === 0 ? K.gelu : K.geluTanh, floatDTypeOf(x));
      ctx.save(x);
      return out;
    },
    backward: (g, { saved: [x], params: [tanhForm] }) => [tanhForm === 0 ? geluGrad(g, x) : geluTanhGrad(g, x)],
  },
  // d/dx x·σ(x) = σ(x)(1 + x(1 - σ(x))), fused.
  silu: unaryOp({ name: 'silu', row: K.silu, saves: 'input', backward: (g, x) => siluGrad(g, x) }),
  // d/dx x·tanh(softplus x) = t + x·σ(x)(1 - t²), fused.
  mish: unaryOp({ name: 'mish', row: K.mish, saves: 'input', backward: (g, x) => mishGrad(g, x) }),
  // d/dx = 0 below -3, x/3 + 1/2 on [-3, 3), 1 from 3 up. NOTE: hardswish'(-3) = -1/2 and hardswish'(3) = 1, and
  // NaN gives NaN, as in PyTorch's vectorized loop (its scalar loop gives 3/2 at 3: see the NOTE above).
  hardswish: unaryOp({
    name: 'hardswish',
    row: K.hardswish,
    saves: 'input',
    backward: (g, x) => where(x.lt(-3), 0, where(x.ge(3), g, g.mul(x.div(3).add(0.5)))),
  }),
  // d/dx = 1/6 strictly inside (-3, 3), 0 elsewhere. NOTE: 0 at ±3 and at NaN, as in PyTorch. PyTorch 1.13's
  // float64 gradient there is float32's 1/6 (0.1666666716…); ours is float64's.
  hardsigmoid: unaryOp({
    name: 'hardsigmoid',
    row: K.hardsigmoid,
    saves: 'input',
    backward: (g, x) => where(x.gt(-3).logicalAnd(x.lt(3)), g.div(6), 0),
  }),
  // 1 strictly inside (minVal, maxVal), 0 elsewhere (see insideGrad).
  hardtanh: unaryOp({
    name: 'hardtanh',
    row: K.hardtanh,
    saves: 'input',
    backward: (g, x, [lo, hi]) => insideGrad(g, x, lo, hi),
  }),
  // d/dx x/(1 + |x|) = 1/(1 + |x|)². NOTE: 0 at ±Infinity, where PyTorch's composite rule gives NaN (∞/∞).
  softsign: unaryOp({
    name: 'softsign',
    row: K.softsign,
    saves: 'input',
    backward: (g, x) => g.div(x.abs().add(1).square()),
  }),
  // d/dx log σ(x) = 1 - σ(x) = σ(-x).
  logSigmoid: unaryOp({
    name: 'logSigmoid',
    row: K.logSigmoid,
    saves: 'input',
    backward: (g, x) => g.mul(x.neg().sigmoid()),
  }),
  // d/dx (x - tanh x) = tanh²x.
  tanhshrink: unaryOp({
    name: 'tanhshrink',
    row: K.tanhshrink,
    saves: 'input',
    backward: (g, x) => g.mul(x.tanh().square()),
  }),
  // 1 outside [-λ, λ], 0 inside (see shrinkGrad).
  softshrink: unaryOp({
    name: 'softshrink',
    row: K.softshrink,
    saves: 'input',
    backward: (g, x, [lambd]) => shrinkGrad(g, x, lambd),
  }),
  hardshrink: unaryOp({
    name: 'hardshrink',
    row: K.hardshrink,
    saves: 'input',
    backward: (g, x, [lambd]) => shrinkGrad(g, x, lambd),
  }),
  // 1 above the threshold, 0 at and below it. NOTE: 0 at x = threshold, and g at NaN, as in PyTorch.
  threshold: unaryOp({
    name: 'threshold',
    row: K.threshold,
    saves: 'input',
    backward: (g, x, [th]) => where(x.le(th), 0, g),
  }),
} satisfies Record<string, UnaryDef>;

/** Runs an activation row on x with its two parameters, rounded to float32 for float32 results. */
function run(def: UnaryDef, x: TensorLike, p = 0, q = 0): Tensor {
  const t = asTensor(def.name, x);
  const f32 = floatDTypeOf(t) === 'float32';
  return apply(def, [t], f32 ? [Math.fround(p), Math.fround(q)] : [p, q]);
}

function finiteNumber(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new ArgumentError(op, `${name} must be a finite number, got ${describeValue(v)}`);
  }
  return v;
}

/** A number that is not NaN (±Infinity allowed). */
function numberOrInfinity(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new ArgumentError(op, `${name} must be a number (±Infinity allowed, not NaN), got ${describeValue(v)}`);
  }
  return v;
}

function shrinkLambda(op: string, lambd: unknown): number {
  if (typeof lambd !== 'number' || !(lambd >= 0)) {
    throw new ArgumentError(op, `lambd must be a number ≥ 0, got ${describeValue(lambd)}`);
  }
  return lambd;
}

/**
 * min(max(x, 0), 6), elementwise.
 *
 * The gradient is 1 strictly between 0 and 6 and 0 elsewhere, the kinks
 * included, as in PyTorch.
 */
export function relu6(x: TensorLike): Tensor {
  checkTensorLike('relu6', x, 'the input');
  return run(activationOps.relu6, x, 0, 6);
}

/**
 * The exponential linear unit: x for x > 0, alpha·(eˣ - 1) otherwise
 * (PyTorch's `elu`; alpha is 1 by default and may be any finite number).
 *
 * @example
 * elu(tensor([-1, 0, 2])); // [-0.632, 0, 2]
 */
export function elu(x: TensorLike, alpha = 1): Tensor {
  checkTensorLike('elu', x, 'the input');
  finiteNumber('elu', 'alpha', alpha);
  return run(activationOps.elu, x, alpha);
}

/**
 * The scaled exponential linear unit: scale·elu(x, alpha) with PyTorch's
 * constants alpha ≈ 1.6733 and scale ≈ 1.0507 (self-normalizing networks).
 */
export function selu(x: TensorLike): Tensor {
  checkTensorLike('selu', x, 'the input');
  return run(activationOps.selu, x);
}

/**
 * The continuously differentiable ELU: max(0, x) + min(0, alpha·(e^(x/alpha) - 1)).
 * alpha is 1 by default; it must be finite and not 0 (PyTorch refuses 0 too).
 */
export function celu(x: TensorLike, alpha = 1): Tensor {
  checkTensorLike('celu', x, 'the input');
  if (finiteNumber('celu', 'alpha', alpha) === 0) {
    throw new ArgumentError('celu', 'alpha must not be 0 (celu divides by it)');
  }
  return run(activationOps.celu, x, alpha);
}

/** Options of {@link gelu}. */
export interface GeluOptions {
  /**
   * `'none'` (the default): x·Φ(x), with Φ the standard normal CDF. `'tanh'`:
   * PyTorch's approximation x/2·(1 + tanh(√(2/π)(x + 0.044715x³))), as in
   * GPT-2 and BERT's original code.
   */
  approximate?: 'none' | 'tanh';
}

/**
 * The Gaussian error linear unit x·Φ(x), or its tanh approximation with
 * `{ approximate: 'tanh' }`. Both are accurate to a few ulp in float64, also
 * far in the negative tail, where PyTorch's x/2·(1 + erf(x/√2)) gives 0.
 *
 * @example
 * gelu(x);                          // exact
 * gelu(x, { approximate: 'tanh' }); // the tanh form
 */
export function gelu(x: TensorLike, options?: GeluOptions): Tensor {
  checkTensorLike('gelu', x, 'the input');
  const o = optionsObject('gelu', options, { approximate: true });
  const approximate: unknown = valueOr(o.approximate, 'none');
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ArgumentError('gelu', badOptionMessage('approximate', "'none' or 'tanh'", approximate));
  }
  return run(activationOps.gelu, x, approximate === 'tanh' ? 1 : 0);
}

/** The sigmoid linear unit (swish) x·σ(x). */
export function silu(x: TensorLike): Tensor {
  checkTensorLike('silu', x, 'the input');
  return run(activationOps.silu, x);
}

/** x·tanh(softplus(x)) (Misra 2019). */
export function mish(x: TensorLike): Tensor {
  checkTensorLike('mish', x, 'the input');
  return run(activationOps.mish, x);
}

/**
 * x·relu6(x + 3)/6 (MobileNetV3). The gradient is x/3 + 1/2 on [-3, 3)
 * and 1 from 3 up (-1/2 at -3, 1 at 3), as in PyTorch.
 */
export function hardswish(x: TensorLike): Tensor {
  checkTensorLike('hardswish', x, 'the input');
  return run(activationOps.hardswish, x);
}

/** relu6(x + 3)/6, a piecewise-linear sigmoid; gradient 1/6 strictly inside (-3, 3). */
export function hardsigmoid(x: TensorLike): Tensor {
  checkTensorLike('hardsigmoid', x, 'the input');
  return run(activationOps.hardsigmoid, x);
}

/**
 * min(max(x, minVal), maxVal), elementwise (defaults -1 and 1). Unlike
 * {@link clamp}, the gradient at the bounds themselves is 0, as in PyTorch.
 * NOTE: minVal > maxVal is refused (PyTorch 1.13 returns maxVal everywhere).
 */
export function hardtanh(x: TensorLike, minVal = -1, maxVal = 1): Tensor {
  checkTensorLike('hardtanh', x, 'the input');
  numberOrInfinity('hardtanh', 'minVal', minVal);
  numberOrInfinity('hardtanh', 'maxVal', maxVal);
  if (minVal > maxVal) {
    throw new ArgumentError('hardtanh', `minVal ${minVal} is greater than maxVal ${maxVal}; need minVal ≤ maxVal`);
  }
  return run(activationOps.hardtanh, x, minVal, maxVal);
}

/** x/(1 + |x|), elementwise. */
export function softsign(x: TensorLike): Tensor {
  checkTensorLike('softsign', x, 'the input');
  return run(activationOps.softsign, x);
}

/**
 * log σ(x) = -softplus(-x), without overflow or log(0) for inputs of any
 * size (PyTorch's `logsigmoid`).
 *
 * @example
 * logSigmoid(tensor([-1000, 0, 1000])); // [-1000, -0.693, -0]
 */
export function logSigmoid(x: TensorLike): Tensor {
  checkTensorLike('logSigmoid', x, 'the input');
  return run(activationOps.logSigmoid, x);
}

/** x - tanh(x), accurate also near 0 where the difference is x³/3. */
export function tanhshrink(x: TensorLike): Tensor {
  checkTensorLike('tanhshrink', x, 'the input');
  return run(activationOps.tanhshrink, x);
}

/**
 * Soft thresholding: x - λ above λ, x + λ below -λ, 0 between (λ ≥ 0, default
 * 0.5). NOTE: NaN gives 0, as in PyTorch 1.13.
 */
export function softshrink(x: TensorLike, lambd = 0.5): Tensor {
  checkTensorLike('softshrink', x, 'the input');
  shrinkLambda('softshrink', lambd);
  return run(activationOps.softshrink, x, lambd);
}

/**
 * x where |x| > λ, 0 elsewhere (λ ≥ 0, default 0.5). NOTE: a negative λ is
 * refused, as softshrink's is (PyTorch 1.13 accepts it here and returns x).
 */
export function hardshrink(x: TensorLike, lambd = 0.5): Tensor {
  checkTensorLike('hardshrink', x, 'the input');
  shrinkLambda('hardshrink', lambd);
  return run(activationOps.hardshrink, x, lambd);
}

/**
 * `value` where x ≤ `threshold`, x elsewhere (PyTorch's `threshold`; both
 * arguments required, ±Infinity allowed, NaN refused).
 *
 * @example
 * threshold(tensor([-1, 0.5, 2]), 0.5, 0); // [0, 0, 2]
 */
export function threshold(x: TensorLike, threshold: number, value: number): Tensor {
  checkTensorLike('threshold', x, 'the input');
  numberOrInfinity('threshold', 'threshold', threshold);
  numberOrInfinity('threshold', 'value', value);
  return run(activationOps.threshold, x, threshold, value);
}
