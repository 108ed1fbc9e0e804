/**
 * The three primitives every indexing op is built from, each with a named
 * OpDef per public op (so graphs and errors say `scatter`, not `put`):
 * - a view (`viewOp`): basic indexing, select and narrow share x's storage;
 *   its backward writes g into zeros where the view looked (`indexBackward`),
 *   whose backward is the view again;
 * - a read at row-major positions (`takeOp`): advanced indexing, take,
 *   maskedSelect; its backward adds g back at those positions (repeats add up);
 * - a write at row-major positions (`putOp`): indexPut, scatter, indexAdd,
 *   maskedFill...; `accumulate` adds instead of overwriting.
 * Positions are computed and checked by the public functions; these trust them.
 */
import { take } from '../kernels/gather';
import { lastWrites, putValues, touched } from '../kernels/scatter';
import { copyStrided } from '../kernels/strided';
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, emptyLike, type Binary, type OpDef, type Unary } from './define';
import { viewLayout, type ViewParams } from './index-plan';
import { putFlat, takeFlat } from './index-ops';
import { copyOf } from './shape';

/** The OpDef of a view of x (basic indexing). */
export type ViewDef = OpDef<Unary, ViewParams>;

/** The view of x that `params` describes, sharing x's storage. */
function viewOf(x: Tensor, { starts, dims }: ViewParams): Tensor {
  let offset = x.offset;
  starts.forEach((s, a) => (offset += s * (x._strides[a] as number)));
  const strides = dims.map((d) => (d.axis === null ? 0 : (x._strides[d.axis] as number) * d.step));
  return new Tensor(
    x.storage,
    dims.map((d) => d.size),
    strides,
    offset,
    x.dtype,
  );
}

/** A basic-indexing view named `name`. */
export function viewOp(name: string): ViewDef {
  return {
    name,
    forward: ([x], params) => viewOf(x, params),
    backward: (g, { params, inputShapes: [shape] }) => [
      apply(indexBackwardDef, [g], { view: params, shape: shape as Shape }),
    ],
  };
}

/** The view of basic indexing, `x.index([...])` without tensors; also the backward of indexBackward. */
export const indexViewDef = viewOp('index');

/** g written into zeros of the indexed tensor's shape where the view looked; the view's backward. */
export const indexBackwardDef: OpDef<Unary, { view: ViewParams; shape: Shape }> = {
  name: 'indexBackward',
  forward([g], { view, shape }) {
    const out = emptyLike(shape, g.dtype);
    const { strides, offset } = viewLayout(view, shape);
    copyStrided(g.storage.data, g.offset, g._strides, out.storage.data, offset, strides, g._shape);
    return out;
  },
  backward: (g, { params: { view } }) => [apply(indexViewDef, [g], view)],
};

/** Params of a read or write at positions: an int32 tensor of positions in x's row-major layout. */
export interface Positions {
  positions: Tensor;
}

/** The OpDef of a read of x at positions, shaped like the positions. */
export type TakeDef = OpDef<Unary, Positions>;

/** A read at row-major positions named `name`. */
export function takeOp(name: string): TakeDef {
  return {
    name,
    forward([x], { positions }) {
      const src = x.isContiguous ? x : copyOf(x);
      const out = emptyLike(positions._shape, x.dtype);
      take(src.storage.data, src.offset, positions.storage.data as Int32Array, out.storage.data);
      return out;
    },
    // Each read adds its g back at its position; repeated positions add up.
    backward: (g, { params: { positions }, inputShapes: [shape] }) => [putFlat(g, positions, shape as Shape)],
  };
}

/** Params of a write: where v's elements go, and whether they add to x or replace it. */
export interface PutParams extends Positions {
  accumulate: boolean;
}

/** The OpDef of a write of v (shaped like the positions) into a copy of x. */
export type PutDef = OpDef<Binary, PutParams>;

/** A tensor of `shape` that is `on` where `flags` is 1 and `off` elsewhere. */
function positionMask(flags: Uint8Array, on: number, off: number, shape: Shape, dtype: DType): Tensor {
  const out = emptyLike(shape, dtype);
  const o = out.storage.data;
  for (let i = 0; i < flags.length; i++) o[i] = flags[i] === 1 ? on : off;
  return out;
}

/** A write at row-major positions named `name`. */
export function putOp(name: string): PutDef {
  return {
    name,
    forward([x, v], { positions, accumulate }) {
      const out = copyOf(x);
      const src = v.isContiguous ? v : copyOf(v);
      putValues(src.storage.data, src.offset, positions.storage.data as Int32Array, out.storage.data, accumulate);
      return out;
    },
    // d out/dx is 1 where x was kept or added to, 0 where it was overwritten;
    // d out/dv is 1 for each write that lands (all of them when adding).
    // NOTE: of repeated positions without accumulate, only the last write
    // lands and only it gets a gradient. PyTorch gives every repeat g (the
    // derivative of a function that wrote them all), which finite
    // differences of what it computes do not confirm.
    backward(g, { params: { positions, accumulate }, needs, inputShapes: [shape] }) {
      const p = positions.storage.data as Int32Array;
      const size = (shape as Shape).reduce((a, b) => a * b, 1);
      let gx: Tensor | null = null;
      if (needs[0]) gx = accumulate ? g : g.mul(positionMask(touched(p, size), 0, 1, shape as Shape, g.dtype));
      let gv: Tensor | null = null;
      if (needs[1]) {
        gv = takeFlat(g, positions);
        const kept = accumulate ? null : lastWrites(p, size);
        if (kept !== null) gv = gv.mul(positionMask(kept, 1, 0, positions._shape, g.dtype));
      }
      return [gx, gv];
    },
  };
}

/** Positions as an int32 tensor of `shape`. */
export function positionsTensor(positions: Int32Array, shape: Shape): Tensor {
  return Tensor.fromData(positions, shape, 'int32');
}
