/**
 * Rounding ops: floor, ceil, round (ties to even, optionally to a number of
 * decimals), trunc and frac. Rows of the unary family (ops/tables.ts merges
 * this table into it). Like PyTorch, floor, ceil, round and trunc have a zero
 * gradient everywhere (the true derivative where it exists; the jumps are
 * ignored), and frac = x - trunc(x) passes the gradient through unchanged.
 */
import * as K from '../kernels/rounding';
import { ArgumentError, safeString } from '../errors';
import type { Tensor } from '../tensor/tensor';
import { applyUnary, emptyLike, mapUnary, unaryOp, type TensorLike, type UnaryDef, type UnarySpec } from './define';

/** NOTE: zeros, not g·0, as PyTorch's zeros_like(grad): an infinite or NaN g still gives 0. */
const zeroGradient = (g: Tensor): Tensor => emptyLike(g._shape, g.dtype);

/**
 * A unary op that keeps int32 inputs int32 (their values are already
 * integers; PyTorch keeps integer dtypes too) and computes the rest as every
 * unary op does.
 */
function roundingOp(spec: UnarySpec): UnaryDef {
  const def = unaryOp(spec);
  return {
    ...def,
    forward(inputs, params, ctx) {
      const [x] = inputs;
      if (x.dtype === 'int32') return mapUnary(x, spec.row, 'int32', params[0], params[1]);
      return def.forward(inputs, params, ctx);
    },
  };
}

/**
 * The definitions of the rounding ops (floor, ceil, round, trunc, frac), by name: each row is one op's forward and
 * backward rule (see CONTRIBUTING.md, "Adding an op"). The test suites and
 * fuzzers find every op through these tables.
 */
export const roundingOps = {
  floor: roundingOp({ name: 'floor', row: K.floor, saves: 'none', backward: zeroGradient }),
  ceil: roundingOp({ name: 'ceil', row: K.ceil, saves: 'none', backward: zeroGradient }),
  // The first parameter is the number of decimals (0 for round(x)).
  round: roundingOp({ name: 'round', row: K.roundDecimals, saves: 'none', backward: zeroGradient }),
  trunc: roundingOp({ name: 'trunc', row: K.trunc, saves: 'none', backward: zeroGradient }),
  // d/dx (x - trunc(x)) = 1 (trunc's jumps ignored), as in PyTorch
  frac: roundingOp({ name: 'frac', row: K.frac, saves: 'none', backward: (g) => g }),
} satisfies Record<string, UnaryDef>;

/** The largest integer ≤ x, elementwise (gradient 0). */
export const floor = (x: TensorLike): Tensor => applyUnary(roundingOps.floor, x);
/** The smallest integer ≥ x, elementwise (gradient 0). */
export const ceil = (x: TensorLike): Tensor => applyUnary(roundingOps.ceil, x);
/** x rounded toward zero, elementwise (gradient 0). */
export const trunc = (x: TensorLike): Tensor => applyUnary(roundingOps.trunc, x);
/** The fractional part x - trunc(x), elementwise, with the sign of x (gradient 1). */
export const frac = (x: TensorLike): Tensor => applyUnary(roundingOps.frac, x);

/**
 * Rounds to the nearest integer, ties to even (as PyTorch and NumPy: 0.5 → 0,
 * 1.5 → 2, 2.5 → 2), or to `decimals` decimal places: x·10^d rounded, then
 * divided by 10^d, as PyTorch's `round(x, decimals=d)`; a negative `decimals`
 * rounds to tens, hundreds, …. Gradient 0.
 *
 * @example
 * round(tensor([0.5, 1.5, 2.5]));   // [0, 2, 2]
 * round(tensor([1.2345, 1250]), 2); // [1.23, 1250]
 * round(tensor([1250, 1350]), -2);  // [1200, 1400]
 */
export function round(x: TensorLike, decimals = 0): Tensor {
  if (typeof decimals !== 'number' || !Number.isInteger(decimals)) {
    throw new ArgumentError('round', `decimals must be an integer, got ${safeString(decimals)}`);
  }
  return applyUnary(roundingOps.round, x, [decimals, 0]);
}
