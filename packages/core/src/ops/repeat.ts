/**
 * Repetition: repeat and tile copy the whole tensor as tiles (one strided
 * copy, at any rank), repeatInterleave repeats each element in place
 * (an indexSelect, whose gradient adds the copies up).
 */
import { ArgumentError, DTypeError, IndexError, ShapeError, safeJson } from '../errors';
import { describeValue } from '../internal/describe';
import { copyStrided } from '../kernels/strided';
import { addStrided } from '../kernels/tile';
import { allocate } from '../tensor/dtype';
import { checkShape, checkSize, formatShape, maxElements, maxRank, normalizeAxis, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, type OpDef, type TensorLike, type Unary } from './define';
import { indexSelect } from './index-ops';
import { flatten, shapeOp } from './shape';

/**
 * The layout of a repeat of `shape` by `reps` (reps.length ≥ rank): the
 * shape padded with leading 1s, and the tiled shape [r0, d0, r1, d1, ...]
 * that both the copy and its gradient walk.
 */
function tiling(shape: Shape, reps: readonly number[]): { padded: number[]; tiled: number[] } {
  const padded = [...new Array<number>(reps.length - shape.length).fill(1), ...shape];
  return { padded, tiled: padded.flatMap((d, i) => [reps[i] as number, d]) };
}

/** Strides that place tile index r_i and inner index d_i at (r_i·d_i + inner) along axis i of a [r_i·d_i] layout. */
const tiledStrides = (padded: readonly number[], strides: readonly number[]) =>
  strides.flatMap((s, i) => [(padded[i] as number) * s, s]);

const repeatDef = shapeOp<readonly number[]>({
  name: 'repeat',
  forward(x, reps) {
    const { padded, tiled } = tiling(x._shape, reps);
    const lead = reps.length - x.ndim;
    const out = emptyLike(
      padded.map((d, i) => d * (reps[i] as number)),
      x.dtype,
    );
    // Every tile reads the same elements of x: stride 0 along the tile axes.
    const source = [...new Array<number>(lead).fill(0), ...x._strides].flatMap((s) => [0, s]);
    copyStrided(x.storage.data, x.offset, source, out.storage.data, 0, tiledStrides(padded, out._strides), tiled);
    return out;
  },
  // Each element of x was copied into every tile: its gradient is the sum of g over the tiles.
  backward: (g, reps, inputShape) => apply(sumTilesDef, [g], { reps, shape: inputShape }),
});

const sumTilesDef: OpDef<Unary, { reps: readonly number[]; shape: Shape }> = {
  name: 'sumTiles',
  forward([g], { reps, shape }) {
    const { padded, tiled } = tiling(shape, reps);
    const out = emptyLike(shape, g.dtype);
    const lead = reps.length - shape.length;
    const target = [...new Array<number>(lead).fill(0), ...out._strides].flatMap((s) => [0, s]);
    addStrided(g.storage.data, g.offset, tiledStrides(padded, g._strides), out.storage.data, 0, target, tiled);
    return out;
  },
  // A sum over tiles is linear; its adjoint copies gg into every tile again.
  backward: (gg, { params: { reps } }) => [apply(repeatDef, [gg], reps)],
};

/** Non-negative integer repeats, from one number or an array. */
function repeatsList(op: string, reps: unknown): number[] {
  const list: readonly unknown[] = Array.isArray(reps) ? reps : [reps];
  if (!list.every((r) => typeof r === 'number' && Number.isInteger(r) && r >= 0)) {
    throw new ArgumentError(op, `repeats must be a non-negative integer or an array of them, got ${safeJson(reps)}`);
  }
  if (list.length > maxRank)
    throw new ShapeError(op, `${list.length} repeats is more than the maximum rank ${maxRank}`);
  return list as number[];
}

function repeatChecked(op: string, t: Tensor, reps: readonly number[]): Tensor {
  const { padded } = tiling(t._shape, reps);
  const shape = padded.map((d, i) => d * (reps[i] as number));
  checkShape(op, shape);
  checkSize(op, shape);
  return apply(repeatDef, [t], reps);
}

/**
 * The tensor tiled `reps[i]` times along axis i (a copy), PyTorch's
 * `Tensor.repeat`: reps has one entry per axis or more, extra ones adding
 * leading axes. A repeat of 0 gives an empty axis.
 *
 * @example
 * repeat(tensor([1, 2]), [2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
 * repeat(tensor([[1], [2]]), [1, 3]).shape; // [2, 3]
 */
export function repeat(x: TensorLike, reps: number | readonly number[]): Tensor {
  const t = asTensor('repeat', x);
  const r = repeatsList('repeat', reps);
  if (r.length < t.ndim) {
    throw new ShapeError(
      'repeat',
      `${r.length} repeats for shape ${formatShape(t._shape)}: give one per axis at least (tile pads them with 1s)`,
    );
  }
  return repeatChecked('repeat', t, r);
}

/**
 * The tensor tiled `reps[i]` times along axis i, as NumPy's and PyTorch's
 * `tile`: like {@link repeat}, but fewer reps than axes are padded with
 * leading 1s (so `tile(x, [2])` repeats the last axis).
 *
 * @example
 * tile(tensor([[1, 2], [3, 4]]), [2]); // [[1, 2, 1, 2], [3, 4, 3, 4]]
 */
export function tile(x: TensorLike, reps: number | readonly number[]): Tensor {
  const t = asTensor('tile', x);
  const r = repeatsList('tile', reps);
  const padded = r.length < t.ndim ? [...new Array<number>(t.ndim - r.length).fill(1), ...r] : r;
  return repeatChecked('tile', t, padded);
}

/** The number of copies of each of the n elements along the axis, from repeatInterleave's `repeats`. */
function repeatCounts(repeats: unknown, n: number): number[] {
  const op = 'repeatInterleave';
  let list: readonly unknown[];
  if (repeats instanceof Tensor) {
    if (repeats.dtype !== 'int32') {
      throw new DTypeError(op, `repeats must be an int32 tensor (convert with .to('int32')), got ${repeats.dtype}`);
    }
    if (repeats.ndim > 1) {
      throw new ShapeError(op, `a tensor of repeats must be 0-d or 1-D, got shape ${formatShape(repeats._shape)}`);
    }
    list = Array.from(repeats.data());
  } else if (typeof repeats === 'number' || Array.isArray(repeats)) {
    list = Array.isArray(repeats) ? repeats : [repeats];
  } else {
    throw new ArgumentError(
      op,
      `repeats must be a number, an array of numbers or an int32 tensor, got ${describeValue(repeats)}`,
    );
  }
  if (!list.every((r) => typeof r === 'number' && Number.isInteger(r))) {
    throw new ArgumentError(op, `repeats must be non-negative integers, got ${safeJson(list)}`);
  }
  if (list.length !== 1 && list.length !== n) {
    throw new ShapeError(op, `${list.length} repeats for an axis of size ${n}: give one per element, or one for all`);
  }
  const counts = list.length === 1 ? new Array<number>(n).fill(list[0] as number) : (list as number[]);
  // NOTE: checked per element, as PyTorch does: a negative repeat of an empty axis repeats nothing and is not refused.
  if (counts.some((r) => r < 0))
    throw new ArgumentError(op, `repeats must be non-negative integers, got ${safeJson(list)}`);
  return counts;
}

/**
 * Each element repeated in place along `axis`: `repeats` times (a number),
 * or `repeats[i]` times for element i (an array or an int32 tensor, one per
 * element or one for all). Without an axis the tensor is flattened first.
 * PyTorch's `repeat_interleave`; the gradient of each element is the sum
 * over its copies.
 *
 * @example
 * repeatInterleave(tensor([1, 2]), 2);                          // [1, 1, 2, 2]
 * repeatInterleave(tensor([[1, 2], [3, 4]]), [1, 2], 0);       // [[1, 2], [3, 4], [3, 4]]
 */
export function repeatInterleave(x: TensorLike, repeats: number | readonly number[] | Tensor, axis?: number): Tensor {
  const t = asTensor('repeatInterleave', x);
  if (axis !== undefined && t.ndim === 0) {
    throw new IndexError(
      'repeatInterleave',
      `a 0-d tensor has no axis ${describeValue(axis)} (leave out the axis to repeat its element)`,
    );
  }
  const a = axis === undefined ? 0 : normalizeAxis('repeatInterleave', axis, t.ndim);
  const shape = axis === undefined ? [t.size] : t._shape.slice();
  const counts = repeatCounts(repeats, shape[a] as number);
  const total = counts.reduce((s, r) => s + r, 0);
  if (total > maxElements) {
    throw new ShapeError(
      'repeatInterleave',
      `${total} repeats along one axis are more than a typed array holds (${maxElements})`,
    );
  }
  shape[a] = total;
  checkSize('repeatInterleave', shape);
  const index = allocate('int32', total);
  let k = 0;
  counts.forEach((r, i) => {
    for (let j = 0; j < r; j++) index[k++] = i;
  });
  return indexSelect(axis === undefined ? flatten(t) : t, a, Tensor.fromData(index, [total], 'int32'));
}

/** The rows of the shape toolbox's table defined here (sumTiles is repeat's backward, checked through it). */
export const repeatOps = { repeat: repeatDef };
