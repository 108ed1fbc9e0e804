/**
 * Transcendental and special-function unary ops: the inverse trigonometric
 * and hyperbolic functions, erf and its kin, base-2 and base-10 logarithms,
 * expm1, exp2, rsqrt, sinc, lgamma and digamma. Rows of the unary family
 * (ops/tables.ts merges this table into it), each with its derivative in
 * Tensor ops so that it is differentiable again. Values are float64 to a few
 * ulps (the tests measure each against PyTorch and against 50-digit values).
 */
import * as K from '../kernels/special';
import type { Tensor } from '../tensor/tensor';
import { apply, applyUnary, unaryOp, type TensorLike, type UnaryDef } from './define';
import { where } from './compare';

const TWO_OVER_SQRT_PI = 1.1283791670955126; // 2/√π
const SQRT_PI_OVER_2 = 0.886226925452758; // √π/2

/** √((1 - x)(1 + x)): as 1 - x² without the cancellation near ±1. */
const sqrtOneMinusSquare = (x: Tensor): Tensor => x.neg().add(1).mul(x.add(1)).sqrt();

/**
 * ψ⁽ⁿ⁾(x) (n ≥ 1 in the first parameter): digamma's gradient and, through its
 * own backward ψ⁽ⁿ⁺¹⁾, every higher one. Internal: not a row of the table.
 */
const polygammaDef: UnaryDef = unaryOp({
  name: 'polygamma',
  row: K.polygammaRow,
  saves: 'input',
  backward: (g, x, [order]) => g.mul(polygamma(order + 1, x)),
});

function polygamma(order: number, x: Tensor): Tensor {
  return apply(polygammaDef, [x], [order, 0]);
}

// sinc″ = -π²·sinc - 2·sinc′/x, with sinc″(0) = -π²/3 (the series 1 - (πx)²/6 + …).
// The where on both sides keeps x = 0 out of the division, so no 0·∞ reaches a
// gradient that is masked anyway.
const sincGradDef: UnaryDef = unaryOp({
  name: 'sincGrad',
  row: K.sincDerivativeRow,
  saves: 'input',
  backward: (g, x) => {
    const zero = x.eq(0);
    const safe = where(zero, 1, x);
    const second = safe
      .sinc()
      .mul(-Math.PI * Math.PI)
      .sub(sincGrad(safe).mul(2).div(safe));
    return g.mul(where(zero, (-Math.PI * Math.PI) / 3, second));
  },
});

function sincGrad(x: Tensor): Tensor {
  return apply(sincGradDef, [x], [0, 0]);
}

/**
 * The definitions of the special and transcendental functions (erf, lgamma, ...), by name: each row is one op's forward and
 * backward rule (see CONTRIBUTING.md, "Adding an op"). The test suites and
 * fuzzers find every op through these tables.
 */
export const specialOps = {
  // d/dx erf = (2/√π) e^(-x²)
  erf: unaryOp({
    name: 'erf',
    row: K.erfRow,
    saves: 'input',
    backward: (g, x) => g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI)),
  }),
  // d/dx erfc = -(2/√π) e^(-x²)
  erfc: unaryOp({
    name: 'erfc',
    row: K.erfcRow,
    saves: 'input',
    backward: (g, x) => g.mul(x.square().neg().exp().mul(-TWO_OVER_SQRT_PI)),
  }),
  // d/dy erfinv(y) = (√π/2) e^(erfinv(y)²), from the output. NOTE: +Infinity at ±1, as in PyTorch.
  erfinv: unaryOp({
    name: 'erfinv',
    row: K.erfinvRow,
    saves: 'output',
    backward: (g, out) => g.mul(out.square().exp().mul(SQRT_PI_OVER_2)),
  }),
  // d/dx tan = 1 + tan², from the output
  tan: unaryOp({ name: 'tan', row: K.tan, saves: 'output', backward: (g, out) => g.mul(out.square().add(1)) }),
  // d/dx asin = 1/√(1 - x²). NOTE: +Infinity at ±1, NaN outside [-1, 1], as in PyTorch.
  asin: unaryOp({ name: 'asin', row: K.asin, saves: 'input', backward: (g, x) => g.div(sqrtOneMinusSquare(x)) }),
  // d/dx acos = -1/√(1 - x²). NOTE: -Infinity at ±1, as in PyTorch.
  acos: unaryOp({
    name: 'acos',
    row: K.acos,
    saves: 'input',
    backward: (g, x) => g.div(sqrtOneMinusSquare(x)).neg(),
  }),
  // d/dx atan = 1/(1 + x²)
  atan: unaryOp({ name: 'atan', row: K.atan, saves: 'input', backward: (g, x) => g.div(x.square().add(1)) }),
  // d/dx sinh = cosh
  sinh: unaryOp({ name: 'sinh', row: K.sinh, saves: 'input', backward: (g, x) => g.mul(x.cosh()) }),
  // d/dx cosh = sinh
  cosh: unaryOp({ name: 'cosh', row: K.cosh, saves: 'input', backward: (g, x) => g.mul(x.sinh()) }),
  // d/dx asinh = 1/√(x² + 1). NOTE: 0 where x² overflows (|x| > 1e154), as PyTorch's formula gives.
  asinh: unaryOp({
    name: 'asinh',
    row: K.asinh,
    saves: 'input',
    backward: (g, x) => g.mul(x.square().add(1).rsqrt()),
  }),
  // d/dx acosh = 1/√((x - 1)(x + 1)), which keeps its digits near 1 where x² - 1 would not.
  // NOTE: +Infinity at ±1 (the + 0 turns the -0 at x = -1 into +0), NaN in (-1, 1), as PyTorch's 1/√(x² - 1).
  acosh: unaryOp({
    name: 'acosh',
    row: K.acosh,
    saves: 'input',
    backward: (g, x) => g.mul(x.sub(1).mul(x.add(1)).add(0).rsqrt()),
  }),
  // d/dx atanh = 1/((1 - x)(1 + x)). NOTE: +Infinity at ±1, as in PyTorch.
  atanh: unaryOp({
    name: 'atanh',
    row: K.atanh,
    saves: 'input',
    backward: (g, x) => g.div(x.neg().add(1).mul(x.add(1))),
  }),
  // d/dx log₂ x = 1/(x ln 2). NOTE: log2(0) = -Infinity, NaN below 0, as in PyTorch.
  log2: unaryOp({ name: 'log2', row: K.log2, saves: 'input', backward: (g, x) => g.div(x.mul(Math.LN2)) }),
  // d/dx log₁₀ x = 1/(x ln 10)
  log10: unaryOp({ name: 'log10', row: K.log10, saves: 'input', backward: (g, x) => g.div(x.mul(Math.LN10)) }),
  // d/dx (eˣ - 1) = eˣ, from the input: PyTorch's out + 1 loses every digit far left (expm1(-40) + 1 = 0).
  expm1: unaryOp({ name: 'expm1', row: K.expm1, saves: 'input', backward: (g, x) => g.mul(x.exp()) }),
  // d/dx 2ˣ = 2ˣ ln 2, from the output
  exp2: unaryOp({ name: 'exp2', row: K.exp2, saves: 'output', backward: (g, out) => g.mul(out.mul(Math.LN2)) }),
  // d/dx x^(-1/2) = -x^(-3/2)/2 = -out³/2. NOTE: rsqrt(0) = Infinity with gradient -Infinity, as in PyTorch.
  rsqrt: unaryOp({
    name: 'rsqrt',
    row: K.rsqrt,
    saves: 'output',
    backward: (g, out) => g.mul(out.square().mul(out).mul(-0.5)),
  }),
  // d/dx sinc = (cos(πx) - sinc(x))/x, computed in one accurate kernel (sincGrad). NOTE: sinc′(0) = 0, as in PyTorch.
  sinc: unaryOp({ name: 'sinc', row: K.sincRow, saves: 'input', backward: (g, x) => g.mul(sincGrad(x)) }),
  // d/dx ln|Γ(x)| = ψ(x). NOTE: lgamma = +Infinity at the poles (0, -1, -2, …), as in PyTorch.
  lgamma: unaryOp({ name: 'lgamma', row: K.lgammaRow, saves: 'input', backward: (g, x) => g.mul(x.digamma()) }),
  // d/dx ψ = ψ⁽¹⁾ (trigamma), as PyTorch's polygamma(1, x). NOTE: +Infinity at the poles 0, -1, -2, ….
  digamma: unaryOp({
    name: 'digamma',
    row: K.digammaRow,
    saves: 'input',
    backward: (g, x) => g.mul(polygamma(1, x)),
  }),
} satisfies Record<string, UnaryDef>;

/**
 * The error function, erf(x) = (2/√π) ∫₀ˣ e^(-t²) dt, elementwise.
 *
 * @example
 * x.mul(Math.SQRT1_2).erf().add(1).mul(x).mul(0.5); // exact GELU: x·Φ(x)
 */
export const erf = (x: TensorLike): Tensor => applyUnary(specialOps.erf, x);
/** 1 - erf(x), elementwise, accurate in the right tail (erfc(10) = 2.1e-45) where 1 - erf(x) is 0. */
export const erfc = (x: TensorLike): Tensor => applyUnary(specialOps.erfc, x);
/** The inverse of erf on (-1, 1), elementwise; ±Infinity at ±1 and NaN outside, as PyTorch. */
export const erfinv = (x: TensorLike): Tensor => applyUnary(specialOps.erfinv, x);
/** Tangent, elementwise (radians). */
export const tan = (x: TensorLike): Tensor => applyUnary(specialOps.tan, x);
/** Arcsine in [-π/2, π/2], elementwise; NaN outside [-1, 1]. */
export const asin = (x: TensorLike): Tensor => applyUnary(specialOps.asin, x);
/** Arccosine in [0, π], elementwise; NaN outside [-1, 1]. */
export const acos = (x: TensorLike): Tensor => applyUnary(specialOps.acos, x);
/** Arctangent in (-π/2, π/2), elementwise. */
export const atan = (x: TensorLike): Tensor => applyUnary(specialOps.atan, x);
/** Hyperbolic sine, elementwise. */
export const sinh = (x: TensorLike): Tensor => applyUnary(specialOps.sinh, x);
/** Hyperbolic cosine, elementwise. */
export const cosh = (x: TensorLike): Tensor => applyUnary(specialOps.cosh, x);
/** Inverse hyperbolic sine, elementwise. */
export const asinh = (x: TensorLike): Tensor => applyUnary(specialOps.asinh, x);
/** Inverse hyperbolic cosine, elementwise; NaN below 1. */
export const acosh = (x: TensorLike): Tensor => applyUnary(specialOps.acosh, x);
/** Inverse hyperbolic tangent, elementwise; ±Infinity at ±1, NaN outside [-1, 1]. */
export const atanh = (x: TensorLike): Tensor => applyUnary(specialOps.atanh, x);
/** Base-2 logarithm, elementwise. */
export const log2 = (x: TensorLike): Tensor => applyUnary(specialOps.log2, x);
/** Base-10 logarithm, elementwise. */
export const log10 = (x: TensorLike): Tensor => applyUnary(specialOps.log10, x);
/** eˣ - 1, elementwise, accurate near 0 (expm1(1e-10) = 1e-10, where exp(x) - 1 keeps 7 digits). */
export const expm1 = (x: TensorLike): Tensor => applyUnary(specialOps.expm1, x);
/** 2ˣ, elementwise (exact at integers). */
export const exp2 = (x: TensorLike): Tensor => applyUnary(specialOps.exp2, x);
/** 1/√x, elementwise (PyTorch's `rsqrt`). */
export const rsqrt = (x: TensorLike): Tensor => applyUnary(specialOps.rsqrt, x);
/**
 * The normalized sinc, sin(πx)/(πx) with sinc(0) = 1, elementwise (PyTorch's
 * `sinc`).
 *
 * @example
 * sinc(tensor([0, 0.5, 1])); // [1, 0.6366…, ≈0]
 */
export const sinc = (x: TensorLike): Tensor => applyUnary(specialOps.sinc, x);
/** ln|Γ(x)|, elementwise; +Infinity at 0 and the negative integers (PyTorch's `lgamma`). */
export const lgamma = (x: TensorLike): Tensor => applyUnary(specialOps.lgamma, x);
/**
 * ψ(x) = d/dx ln Γ(x), elementwise (PyTorch's `digamma`): ψ(1) = -γ; -Infinity at +0,
 * +Infinity at -0, NaN at the negative integers. Differentiable to any order
 * (its gradient is the trigamma function ψ⁽¹⁾).
 */
export const digamma = (x: TensorLike): Tensor => applyUnary(specialOps.digamma, x);
