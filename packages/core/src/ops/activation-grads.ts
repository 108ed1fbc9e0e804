/**
 * The backward rules of sigmoid and tanh, each fused into one op (one pass,
 * one allocation) instead of the four elementwise ops the formula would take;
 * both read only the saved output. Being ops with backward rules of their own,
 * they keep second derivatives working. Their primitive twins (the formulas
 * written with mul, sub, square) are compared with them in the tests.
 */
import * as K from '../kernels/binary';
import type { Tensor } from '../tensor/tensor';
import { applyBinary, binaryOp, type Binary, type Unary } from './define';

// f(g, s) = g·s(1 - s): ∂f/∂g = s(1 - s), ∂f/∂s = g(1 - 2s)
const sigmoidGradDef = binaryOp<Binary>({
  name: 'sigmoidGrad',
  row: K.sigmoidGrad,
  save: (ctx, g, s) => ctx.save(g, s),
  backward: (gg, [g, s], needs) => [
    needs[0] ? sigmoidGrad(gg, s) : null,
    needs[1] ? gg.mul(g).mul(s.mul(-2).add(1)) : null,
  ],
});

// f(g, t) = g(1 - t²): ∂f/∂g = 1 - t², ∂f/∂t = -2gt
const tanhGradDef = binaryOp<Binary>({
  name: 'tanhGrad',
  row: K.tanhGrad,
  save: (ctx, g, t) => ctx.save(g, t),
  backward: (gg, [g, t], needs) => [needs[0] ? tanhGrad(gg, t) : null, needs[1] ? gg.mul(g).mul(t).mul(-2) : null],
});

/** g · σ'(x) computed from s = σ(x): g·s(1 - s). */
export function sigmoidGrad(g: Tensor, s: Tensor): Tensor {
  return applyBinary(sigmoidGradDef, g, s);
}

/** g · tanh'(x) computed from t = tanh(x): g(1 - t²). */
export function tanhGrad(g: Tensor, t: Tensor): Tensor {
  return applyBinary(tanhGradDef, g, t);
}

// relu's backward, one pass instead of a comparison and a select (issue 16:
// a third of a LeNet step's elementwise time). f(g, x) = g·[x > 0]:
// ∂f/∂g = [x > 0], and ∂f/∂x = 0 wherever it exists.
const reluGradDef = binaryOp<Unary>({
  name: 'reluGrad',
  row: K.reluGrad,
  save: (ctx, _g, x) => ctx.save(x),
  backward: (gg, [x], needs) => [needs[0] ? reluGrad(gg, x) : null, null],
});

/** g · relu'(x) from the saved input x: g where x > 0, else 0 (relu'(0) = 0, as in PyTorch). */
export function reluGrad(g: Tensor, x: Tensor): Tensor {
  return applyBinary(reluGradDef, g, x);
}
