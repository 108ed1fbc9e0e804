/**
 * Elementwise binary ops with NumPy broadcasting. Each rule gives the
 * gradients in the broadcast shape; `binaryOp` sums them back to each input's
 * shape once for all of them.
 */
import * as K from '../kernels/binary';
import * as KI from '../kernels/integer';
import { DTypeError } from '../errors';
import { integerRange, isInteger } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import { applyBinary, binaryOp, type Binary, type BinaryDef, type Inputs, type TensorLike } from './define';
import { where } from './compare';

/**
 * The definitions of the arithmetic binary ops (add, sub, mul, div, pow, ...), by name: each row is one op's forward and
 * backward rule (see CONTRIBUTING.md, "Adding an op"). The test suites and
 * fuzzers find every op through these tables.
 */
export const binaryOps = {
  // d(a+b) = da + db. Integers add exactly (wrapping); bools add as OR, as PyTorch.
  add: binaryOp({ name: 'add', row: K.add, intRow: K.add, bool: KI.boolOr, backward: (g) => [g, g] }),
  // d(a-b) = da - db
  sub: binaryOp({
    name: 'sub',
    row: K.sub,
    intRow: K.sub,
    bool: { refuse: 'use logicalXor for masks (as PyTorch refuses `-` on two bool tensors)' },
    backward: (g, _s, needs) => [g, needs[1] ? g.neg() : null],
  }),
  // d(ab) = b da + a db
  mul: binaryOp<Binary>({
    name: 'mul',
    row: K.mul,
    intRow: KI.mulInt,
    // 0 and 1 multiply to 0 and 1: AND, as PyTorch.
    bool: K.mul,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => [needs[0] ? g.mul(b) : null, needs[1] ? g.mul(a) : null],
  }),
  // d(a/b) = da / b - (a/b²) db
  div: binaryOp<Binary>({
    name: 'div',
    row: K.div,
    save: (ctx, a, b) => ctx.save(a, b),
    // d/db (a / b) = -a / b², computed as -(a / b) / b: a·g and b² overflow float32 where the quotients do not (as PyTorch).
    backward: (g, [a, b], needs) => [needs[0] ? g.div(b) : null, needs[1] ? g.mul(a.div(b).div(b)).neg() : null],
  }),
  // d(aᵇ) = b aᵇ⁻¹ da + aᵇ ln(a) db.
  // NOTE: as in PyTorch, the a-gradient is 0 where b = 0 (even at a = 0), and
  // the b-gradient is 0 where a = 0 and b ≥ 0 (instead of 0·ln 0 = NaN). The
  // a-mask covers only the 0·∞ case (b = 0 with aᵇ⁻¹ infinite): elsewhere
  // b·aᵇ⁻¹ is 0 at b = 0 anyway, and keeping the formula keeps its derivative
  // in b (aᵇ⁻¹, so d²(aᵇ)/da db = 1/a at b = 0) for second derivatives.
  pow: binaryOp<readonly [Tensor, Tensor, Tensor]>({
    name: 'pow',
    row: K.pow,
    intRow: KI.powInt,
    save: (ctx, a, b, out) => ctx.save(a, b, out),
    backward: (g, [a, b, out], needs) => [
      needs[0] ? powBaseGradient(g, a, b) : null,
      needs[1] ? where(a.eq(0).logicalAnd(b.ge(0)), 0, g.mul(out).mul(a.log())) : null,
    ],
  }),
  // The gradient goes to the larger operand. NOTE: on ties it is split evenly
  // between the two, and where either is NaN both get all of it, as in PyTorch.
  maximum: binaryOp<Binary>({
    name: 'maximum',
    row: K.maximum,
    intRow: K.maximum,
    bool: K.maximum,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => tieSplit(g, a, b, needs, (x, y) => x.lt(y)),
  }),
  minimum: binaryOp<Binary>({
    name: 'minimum',
    row: K.minimum,
    intRow: K.minimum,
    bool: K.minimum,
    save: (ctx, a, b) => ctx.save(a, b),
    backward: (g, [a, b], needs) => tieSplit(g, a, b, needs, (x, y) => x.gt(y)),
  }),
} satisfies Record<string, BinaryDef<Inputs>>;

function powBaseGradient(g: Tensor, x: Tensor, y: Tensor): Tensor {
  const power = x.pow(y.sub(1));
  return where(y.eq(0).logicalAnd(power.abs().eq(Infinity)), 0, g.mul(y).mul(power));
}

/** g to each operand unless it `loses` to the other, halved on ties (a NaN neither loses nor ties). */
function tieSplit(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  needs: readonly boolean[],
  loses: (x: Tensor, y: Tensor) => Tensor,
): [Tensor | null, Tensor | null] {
  const share = where(a.eq(b), g.mul(0.5), g);
  return [needs[0] ? where(loses(a, b), 0, share) : null, needs[1] ? where(loses(b, a), 0, share) : null];
}

/** a + b, broadcasting. Integer operands give an exact integer result that wraps on overflow, as PyTorch. */
export const add = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.add, a, b);
/** a - b, broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.sub, a, b);
/** a · b elementwise, broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.mul, a, b);
/**
 * a / b elementwise, broadcasting: true division, so integer operands give
 * a float32 result (`floorDivide` keeps integers). IEEE, as in PyTorch: x/0 is ±Infinity by
 * the signs of x and of the zero (1/-0 = -Infinity), 0/0 is NaN; the
 * gradients 1/b and -a/b² are then infinite (or NaN) the same way.
 */
export const div = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.div, a, b);
/**
 * aᵇ elementwise, broadcasting. IEEE, as in PyTorch: pow(0, negative) is
 * Infinity (-Infinity for -0 and an odd negative integer), with gradients
 * -Infinity for both a and b; pow(0, 0) = 1 with gradients 0; a negative a
 * with a fractional b is NaN.
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && isInteger(a.dtype) && typeof b === 'number' && Number.isInteger(b)) {
    const [lo, hi] = integerRange[a.dtype];
    if (b < 0 || b > hi) {
      throw new DTypeError(
        'pow',
        b < 0
          ? `an ${a.dtype} tensor to the negative integer power ${b} is not accepted (as in PyTorch); convert it to a float dtype first`
          : `the exponent ${b} does not fit ${a.dtype} (${lo}..${hi}), as PyTorch requires of a number exponent; pass it as an int32 tensor or convert the base`,
      );
    }
  }
  return applyBinary(binaryOps.pow, a, b);
}
/** The larger of a and b, elementwise (NaN propagates). */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.maximum, a, b);
/** The smaller of a and b, elementwise (NaN propagates). */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => applyBinary(binaryOps.minimum, a, b);
