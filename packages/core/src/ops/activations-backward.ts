/**
 * The backward rules of silu, gelu (both forms) and mish, each fused into one
 * op (one pass, one allocation, and the accurate formulas of
 * kernels/activations.ts) instead of the eight to twelve elementwise ops their
 * formulas take. Like sigmoidGrad and tanhGrad (activation-grads.ts) they are
 * binary ops f(g, x) = g·act'(x) with backward rules of their own, written
 * with Tensor ops, so second and third derivatives work. Their primitive
 * twins are compared with them in the tests.
 */
import * as K from '../kernels/activations';
import type { Tensor } from '../tensor/tensor';
import { applyBinary, binaryOp, type Binary, type BinaryDef } from './define';

/** 2√(2/π) and 0.044715: gelu's tanh form is x·σ(w) with w = k(x + c·x³). */
const GELU_TANH_K = 1.5957691216057308;
const GELU_TANH_C = 0.044715;
const INV_SQRT_2PI = 0.3989422804014327;

/** A fused f(g, x) = g·d(x): ∂f/∂g is the op itself at gg, ∂f/∂x = gg·g·d'(x). */
function fusedGrad(name: string, row: typeof K.siluGrad, second: (x: Tensor) => Tensor) {
  const def: BinaryDef<Binary> = binaryOp<Binary>({
    name,
    row,
    save: (ctx, g, x) => ctx.save(g, x),
    backward: (gg, [g, x], needs) => [
      needs[0] ? applyBinary(def, gg, x) : null,
      needs[1] ? gg.mul(g).mul(second(x)) : null,
    ],
  });
  return (g: Tensor, x: Tensor): Tensor => applyBinary(def, g, x);
}

// silu'' = σ(1 - σ)(2 + x(1 - 2σ))
const siluSecond = (x: Tensor): Tensor => {
  const s = x.sigmoid();
  return s.mul(s.neg().add(1)).mul(x.mul(s.mul(-2).add(1)).add(2));
};

// gelu'' = φ(x)(2 - x²)
const geluSecond = (x: Tensor): Tensor => {
  const x2 = x.square();
  return x2.mul(-0.5).exp().mul(INV_SQRT_2PI).mul(x2.neg().add(2));
};

// With s = σ(w), w' = k(1 + 3c·x²), w'' = 6kc·x: (x·s)'' = s(1 - s)(2w' + x((1 - 2s)w'² + w'')).
const geluTanhSecond = (x: Tensor): Tensor => {
  const x2 = x.square();
  const s = x.mul(x2.mul(GELU_TANH_C).add(1)).mul(GELU_TANH_K).sigmoid();
  const w1 = x2
    .mul(3 * GELU_TANH_C)
    .add(1)
    .mul(GELU_TANH_K);
  const w2 = x.mul(6 * GELU_TANH_K * GELU_TANH_C);
  const inner = s.mul(-2).add(1).mul(w1.square()).add(w2);
  return s.mul(s.neg().add(1)).mul(w1.mul(2).add(x.mul(inner)));
};

// With t = tanh(softplus x), σ = σ(x): t' = (1 - t²)σ, and mish'' = (1 - t²)σ(2 + x(1 - σ - 2tσ)).
const mishSecond = (x: Tensor): Tensor => {
  const t = x.softplus().tanh();
  const s = x.sigmoid();
  const inner = s.neg().add(1).sub(t.mul(s).mul(2));
  return t.square().neg().add(1).mul(s).mul(x.mul(inner).add(2));
};

/** g · silu'(x), one pass. */
export const siluGrad = fusedGrad('siluGrad', K.siluGrad, siluSecond);
/** g · gelu'(x) (the exact, erf form), one pass. */
export const geluGrad = fusedGrad('geluGrad', K.geluGrad, geluSecond);
/** g · gelu'(x) (the tanh form), one pass. */
export const geluTanhGrad = fusedGrad('geluTanhGrad', K.geluTanhGrad, geluTanhSecond);
/** g · mish'(x), one pass. */
export const mishGrad = fusedGrad('mishGrad', K.mishGrad, mishSecond);
