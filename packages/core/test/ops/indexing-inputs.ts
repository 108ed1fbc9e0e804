/**
 * Argument lists for the indexing rows of the op table (gradient-cases.ts):
 * small tensors with random indices that fit them, repeats, negative indices,
 * negative slice steps and masks included, so every gradient rule meets
 * duplicates (which must add up, or, for writes, leave the gradient to the
 * last write).
 */
import fc from 'fast-check';
import { Ellipsis, noGrad, tensor, type IndexItem, type Slice, type Tensor } from '../../src/index';
import { arbAxis, arbBroadcastableShapes, arbShape, arbTensor } from '../../src/testing/properties';
import { small } from './gradient-inputs';

const positive = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);
const ints = (values: number[], shape: number[]) => tensor(Int32Array.from(values), { shape });
const sizeOf = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Random booleans of a shape, as a bool tensor. */
const arbMask = (shape: number[]) =>
  fc
    .array(fc.boolean(), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((v) => tensor(Uint8Array.from(v.map(Number)), { shape, dtype: 'bool' }));

/** Integers in [lo, hi] of a shape, as an int32 tensor. */
const arbInts = (shape: number[], lo: number, hi: number) =>
  fc
    .array(fc.integer({ min: lo, max: hi }), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
    .map((v) => ints(v, shape));

const bound = (n: number) => fc.option(fc.integer({ min: -n - 1, max: n + 1 }), { nil: undefined });

/** One entry for an axis of size n: an integer, a slice (any step sign) or an index array of `length` entries. */
const axisEntry = (n: number, length: number): fc.Arbitrary<IndexItem> =>
  fc.oneof(
    fc.integer({ min: -n, max: n - 1 }),
    fc
      .tuple(bound(n), bound(n), fc.constantFrom(1, 2, -1, -2, undefined))
      .map(([start, stop, step]): Slice => ({ start, stop, step })),
    fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: length, maxLength: length }),
  );

/**
 * A tensor and an index list for it: one entry per leading axis (the rest
 * left out or taken by an ellipsis), maybe a null somewhere. Index arrays
 * share one length so they broadcast.
 */
export const indexArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc
    .tuple(
      arbTensor({ shape: s }),
      fc.integer({ min: 1, max: 3 }).chain((length) => fc.tuple(...s.map((n) => axisEntry(n, length)))),
      fc.nat(s.length),
      fc.option(fc.nat(s.length), { nil: undefined }),
      fc.boolean(),
    )
    .map(([x, entries, kept, nullAt, ellipsis]): [Tensor, IndexItem[]] => {
      const list: IndexItem[] = entries.slice(0, kept);
      if (ellipsis) list.push(Ellipsis);
      if (nullAt !== undefined) list.splice(Math.min(nullAt, list.length), 0, null);
      return [x, list];
    }),
);

/** A tensor and a bool mask over its leading axes, placed after a full slice or not. */
export const maskIndexArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.tuple(fc.integer({ min: 1, max: s.length }), fc.boolean()).chain(([k, afterSlice]) => {
    const from = afterSlice && s.length > k ? 1 : 0;
    return fc
      .tuple(arbTensor({ shape: s }), arbMask(s.slice(from, from + k)))
      .map(([x, mask]): [Tensor, IndexItem[]] => [x, from === 1 ? [{}, mask] : [mask]]);
  }),
);

/** indexPut's tensor, index list, values of the indexed shape (or one broadcast value) and accumulate flag. */
export const indexPutArgs = fc.tuple(indexArgs, fc.boolean(), fc.boolean()).chain(([[x, list], broadcast, add]) => {
  const shape = noGrad(() => x.index(list).shape.slice());
  return fc
    .tuple(arbTensor({ shape: broadcast ? shape.map(() => 1) : shape }))
    .map(([values]): [Tensor, IndexItem[], Tensor, boolean] => [x, list, values, add]);
});

/** A tensor of rank ≥ 1, an axis and an index along it (negative included). */
export const selectArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const n = s[positive(axis, s.length)] as number;
    return fc.tuple(arbTensor({ shape: s }), fc.constant(axis), fc.integer({ min: -n, max: n - 1 }));
  }),
);

/** A tensor of rank ≥ 1, an axis, a start (negative included) and a length that fits. */
export const narrowArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const n = s[positive(axis, s.length)] as number;
    return fc.integer({ min: -n, max: n }).chain((start) => {
      const from = start < 0 ? start + n : start;
      return fc.tuple(arbTensor({ shape: s }), fc.constant(axis), fc.constant(start), fc.nat(n - from));
    });
  }),
);

/** A tensor and flat indices of any shape into it (negative and repeated included). */
export const takeArgs = arbShape(small).chain((s) =>
  fc.tuple(
    arbTensor({ shape: s }),
    arbShape({ maxRank: 2, maxDim: 3 }).chain((t) => arbInts(t, -sizeOf(s), sizeOf(s) - 1)),
  ),
);

/** takeAlongDim's tensor, indices (broadcasting on the other axes; repeats) and axis, or no axis. */
export const takeAlongDimArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.oneof(
    fc.tuple(arbTensor({ shape: s }), arbInts([3], 0, sizeOf(s) - 1), fc.constant(undefined)),
    arbAxis(s.length).chain((axis) => {
      const a = positive(axis, s.length);
      const shape = fc.tuple(...s.map((d, i) => (i === a ? fc.integer({ min: 1, max: 3 }) : fc.constantFrom(1, d))));
      return fc.tuple(
        arbTensor({ shape: s }),
        shape.chain((t) => arbInts(t, 0, (s[a] as number) - 1)),
        fc.constant<number | undefined>(axis),
      );
    }),
  ),
);

/** scatter's tensor, axis, index (repeats included) and a src at least the index's size along every axis. */
export const scatterArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const a = positive(axis, s.length);
    const indexShape = fc.tuple(...s.map((d, i) => fc.integer({ min: 1, max: i === a ? 3 : d })));
    return indexShape.chain((shape) =>
      fc.tuple(
        arbTensor({ shape: s }),
        fc.constant(axis),
        arbInts(shape, 0, (s[a] as number) - 1),
        fc
          .array(fc.nat(1), { minLength: shape.length, maxLength: shape.length })
          .chain((extra) => arbTensor({ shape: shape.map((d, i) => d + (extra[i] as number)) })),
      ),
    );
  }),
);

/**
 * scatterReduce's arguments, with the values of x and src all at least 0.01
 * apart (amax and amin have no derivative at ties) and away from 0 (prod's
 * second derivative between two zeros is not exact; one zero is checked by
 * hand in indexing.test.ts).
 */
export const scatterReduceArgs = scatterArgs.chain(([x, axis, index, src]) =>
  arbTensor({ shape: [x.size + src.size], minGap: 0.01, avoid: [0], margin: 0.05 }).map(
    (values): [Tensor, number, Tensor, Tensor] => {
      const data = values.data();
      return [
        tensor(data.slice(0, x.size), { shape: x.shape, dtype: 'float64' }),
        axis,
        index,
        tensor(data.slice(x.size), { shape: src.shape, dtype: 'float64' }),
      ];
    },
  ),
);

/** indexAdd/indexCopy's tensor, axis, 1-3 indices along it (repeats included) and a source of the selected shape. */
export const indexAddArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.tuple(arbAxis(s.length), fc.integer({ min: 1, max: 3 })).chain(([axis, k]) => {
    const a = positive(axis, s.length);
    return fc.tuple(
      arbTensor({ shape: s }),
      fc.constant(axis),
      fc.array(fc.nat((s[a] as number) - 1), { minLength: k, maxLength: k }),
      arbTensor({ shape: s.map((d, i) => (i === a ? k : d)) }),
    );
  }),
);

/** indexFill's tensor, axis, indices (negative and repeated included) and a 0-d tensor value. */
export const indexFillArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const n = s[positive(axis, s.length)] as number;
    return fc.tuple(
      arbTensor({ shape: s }),
      fc.constant(axis),
      fc.array(fc.integer({ min: -n, max: n - 1 }), { minLength: 1, maxLength: 3 }),
      arbTensor({ shape: [] }),
    );
  }),
);

/** A tensor and a bool mask that broadcast together. */
export const maskArgs = arbBroadcastableShapes(2, small).chain(([sx, sm]) =>
  fc.tuple(arbTensor({ shape: sx }), arbMask(sm)),
);

/** maskedScatter's tensor, mask (broadcasting) and a source with at least as many elements as the mask has true ones. */
export const maskedScatterArgs = maskArgs.chain(([x, mask]) => {
  const count = noGrad(() => x.maskedSelect(mask).size);
  return fc
    .tuple(fc.nat(2))
    .chain(([extra]) => arbTensor({ shape: [count + extra] }))
    .map((source): [Tensor, Tensor, Tensor] => [x, mask, source]);
});

/** maskedFill's tensor, mask (broadcasting) and a 0-d tensor value. */
export const maskedFillArgs = maskArgs.chain(([x, mask]) =>
  arbTensor({ shape: [] }).map((value): [Tensor, Tensor, Tensor] => [x, mask, value]),
);

/** scatter's tensor, axis and index, for a number src. */
export const scatterNumberArgs = scatterArgs.map(([x, axis, index]): [Tensor, number, Tensor] => [x, axis, index]);
