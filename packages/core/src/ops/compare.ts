/**
 * Comparisons and logical ops (bool results, no gradient) and `where`, which
 * selects between two tensors by a bool mask and passes gradients through the
 * selected side.
 */
import * as KB from '../kernels/binary';
import * as KU from '../kernels/unary';
import { ArgumentError, DTypeError } from '../errors';
import { forEachRow } from '../kernels/strided';
import type { DType } from '../tensor/dtype';
import { broadcastShapes, broadcastStrides, contiguousStrides, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import {
  apply,
  asTensor,
  describeOperand,
  emptyLike,
  mapBinary,
  mapUnary,
  operands,
  resultTypeOf,
  type OpDef,
  type TensorLike,
  type Unary,
} from './define';
import { sumToShape } from './broadcast';
import { tracedWhole } from './trace';

function comparison(name: string, row: KB.BinaryRow) {
  return (a: TensorLike, b: TensorLike): Tensor => {
    const [x, y] = operands(name, a, b);
    // Traced: a comparison's mask is computed outside `apply` (no gradient), and an exporter must see it.
    return tracedWhole(name, [x, y], undefined, () => mapBinary(name, x, y, row, 'bool'));
  };
}

/** a == b elementwise, as a bool tensor. */
export const eq = comparison('eq', KB.eq);
/** a != b elementwise, as a bool tensor. */
export const ne = comparison('ne', KB.ne);
/** a > b elementwise, as a bool tensor. */
export const gt = comparison('gt', KB.gt);
/** a >= b elementwise, as a bool tensor. */
export const ge = comparison('ge', KB.ge);
/** a < b elementwise, as a bool tensor. */
export const lt = comparison('lt', KB.lt);
/** a <= b elementwise, as a bool tensor. */
export const le = comparison('le', KB.le);
/** Elementwise AND of two masks (nonzero counts as true). */
export const logicalAnd = comparison('logicalAnd', KB.logicalAnd);
/** Elementwise OR of two masks (nonzero counts as true). */
export const logicalOr = comparison('logicalOr', KB.logicalOr);

/** The binary comparisons and logical ops by name (bool results, no gradient); the suites iterate over it. */
export const comparisons = { eq, ne, gt, ge, lt, le, logicalAnd, logicalOr };

/** Elementwise NOT of a mask (nonzero counts as true). */
export function logicalNot(x: TensorLike): Tensor {
  // A number is read as a number (0.5 is true), not stored into a bool first.
  const t = asTensor('logicalNot', x, 'float64');
  return tracedWhole('logicalNot', [t], undefined, () => mapUnary(t, KU.logicalNot, 'bool'));
}

const whereDef: OpDef<readonly [Tensor, Tensor, Tensor], undefined, Unary> = {
  name: 'where',
  forward([cond, x, y], _params, ctx) {
    const shape = broadcastShapes('where', broadcastShapes('where', cond._shape, x._shape), y._shape);
    const dtype: DType = resultTypeOf([x, y]);
    const out = emptyLike(shape, dtype);
    const cd = cond.storage.data;
    const xd = x.storage.data;
    const yd = y.storage.data;
    const od = out.storage.data;
    const strides = [cond, x, y].map((t) => broadcastStrides(t._shape, t._strides, shape));
    strides.push(contiguousStrides(shape));
    forEachRow(shape, strides, [cond.offset, x.offset, y.offset, 0], (off, n, inner) => {
      KB.whereRow(
        cd,
        off[0] as number,
        inner[0] as number,
        xd,
        off[1] as number,
        inner[1] as number,
        yd,
        off[2] as number,
        inner[2] as number,
        od,
        off[3] as number,
        n,
      );
    });
    ctx.save(cond);
    return out;
  },
  // The gradient goes to the side that was selected, summed back to that side's shape.
  backward: (g, { saved: [cond], needs, inputShapes: [, sa, sb] }) => [
    null,
    needs[1] ? sumToShape(where(cond, g, 0), sa as Shape) : null,
    needs[2] ? sumToShape(where(cond, 0, g), sb as Shape) : null,
  ],
};

/**
 * `a` where `condition` holds, `b` elsewhere; all three broadcast together.
 * The gradient flows into the side that was selected.
 *
 * @example
 * where(x.gt(0), x, x.mul(0.1)); // a leaky relu
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(condition instanceof Tensor)) {
    throw new ArgumentError(
      'where',
      `the condition must be a bool Tensor (e.g. x.gt(0)), got ${describeOperand(condition)}`,
    );
  }
  if (condition.dtype !== 'bool') {
    throw new DTypeError('where', `the condition must be a bool tensor (e.g. x.gt(0)), got ${condition.dtype}`);
  }
  const [x, y] = operands('where', a, b);
  return apply(whereDef, [condition, x, y], undefined);
}
