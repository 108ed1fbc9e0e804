/**
 * Argument lists for the op table (gradient-cases.ts): each arbitrary draws
 * the arguments of one checked function, shapes and parameters fitting
 * together (axes within the rank, indices within the axis, ...). Shapes stay
 * small: finite differences evaluate f twice per element.
 */
import fc from 'fast-check';
import { noGrad, tensor, where, type AxisArg, type Tensor } from '../../src/index';
import {
  arbAxes,
  arbAxis,
  arbBroadcastableShapes,
  arbShape,
  arbTensor,
  arbTensors,
  type ShapeOptions,
  type TensorOptions,
} from '../../src/testing/properties';

export const small = { maxRank: 3, maxDim: 3 } as const;
const size = fc.integer({ min: 1, max: 3 });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const positive = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** A tensor of a small random shape (`shape` picks other bounds). */
export const anyTensor = (o: Omit<TensorOptions, 'shape'> & { shape?: ShapeOptions } = {}) =>
  arbTensor({ ...o, shape: arbShape({ ...small, ...o.shape }) });

/** Two tensors whose shapes broadcast together. */
export const pairOf = (a: TensorOptions = {}, b: TensorOptions = a) =>
  arbTensors(arbBroadcastableShapes(2, small), [a, b]);

/** Values on a 2⁻⁸ grid: x ± 2⁻⁸ is then exact in float32, so a float32 round trip loses nothing. */
export const float32Exact = { minGap: 2 ** -8, min: -2, max: 2 };

/**
 * A non-contiguous view of x: first and last axes swapped, every other row of
 * the (new) first axis. Ops then read strides and offsets instead of a plain
 * row-major buffer.
 */
export const strided = (x: Tensor) => (x.ndim === 0 ? x : x.transpose(0, -1).slice(0, 0, undefined, 2));

/** No two broadcast elements of a and b within `gap` of each other (no ties for maximum/minimum). */
export function apart([a, b]: readonly Tensor[], gap: number): boolean {
  return noGrad(() =>
    (a as Tensor)
      .sub(b as Tensor)
      .abs()
      .data()
      .every((d) => d > gap),
  );
}

/** A tensor, an axis argument for a reduction over it (none, one or several axes), and keepDims. */
export function reductionArgs(o: TensorOptions = {}, shape = arbShape(small)) {
  const axisArg = (rank: number) =>
    fc.oneof(fc.constant(undefined), arbAxis(rank), arbAxes(rank)) as fc.Arbitrary<AxisArg>;
  return shape.chain((s) => fc.tuple(arbTensor({ ...o, shape: s }), axisArg(s.length), fc.boolean()));
}

/**
 * var's arguments: reduced axes of size ≥ 2 and a correction of 0 or 1, so N - correction > 0.
 * Elements 0.05 apart: std's derivatives grow as 1/std, and a nearly constant slice (0 and
 * -1.5e-5) put its second derivative past what finite differences can follow.
 */
export const varianceArgs = fc
  .tuple(reductionArgs({ minGap: 0.05 }, arbShape({ ...small, minRank: 1, minDim: 2 })), fc.constantFrom(0, 1))
  .map(([[x, axis, keep], correction]): [Tensor, AxisArg, boolean, number] => [x, axis, keep, correction]);

/** A tensor of rank ≥ `minRank` and one of its axes. */
export function withAxis(minRank: number, o: TensorOptions = {}) {
  return arbShape({ ...small, minRank }).chain((s) => fc.tuple(arbTensor({ ...o, shape: s }), arbAxis(s.length)));
}

/** A tensor and the reverse of its shape, with one size left to infer (-1). */
export const reshapeArgs = arbShape(small).chain((s) => {
  const target = s.slice().reverse();
  if (target.length > 0) target[0] = -1;
  return fc.tuple(arbTensor({ shape: s }), fc.constant(target));
});

/** A tensor of rank ≥ 1 and flatten's start ≤ end, the end written negative. */
export const flattenArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc
    .tuple(fc.nat(s.length - 1), fc.nat(s.length - 1))
    .chain(([i, j]) =>
      fc.tuple(arbTensor({ shape: s }), fc.constant(Math.min(i, j)), fc.constant(Math.max(i, j) - s.length)),
    ),
);

/** A tensor and a permutation of its axes. */
export const permuteArgs = arbShape(small).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.shuffledSubarray(range(s.length), { minLength: s.length, maxLength: s.length })),
);

/** A tensor and two of its axes. */
export const transposeArgs = arbShape(small).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), arbAxis(s.length), arbAxis(s.length)),
);

/** A tensor with a size-1 axis inserted somewhere, and that axis (positive or negative). */
export const squeezeAxisArgs = arbShape(small).chain((s) =>
  fc.tuple(fc.nat(s.length), fc.boolean()).chain(([at, negative]) => {
    const shape = [...s.slice(0, at), 1, ...s.slice(at)];
    return fc.tuple(arbTensor({ shape }), fc.constant(negative ? at - shape.length : at));
  }),
);

/** A tensor and a position for a new axis. */
export const unsqueezeArgs = arbShape(small).chain((s) => fc.tuple(arbTensor({ shape: s }), arbAxis(s.length + 1)));

/** A tensor and a shape it broadcasts to, with -1 for some of the sizes it keeps. */
export const expandArgs = arbBroadcastableShapes(2, small).chain(([s, t]) => {
  const rank = Math.max(s.length, t.length);
  const target = range(rank).map((i) => Math.max(s[s.length - rank + i] ?? 1, t[t.length - rank + i] ?? 1));
  const lead = rank - s.length;
  return fc.tuple(
    arbTensor({ shape: s }),
    fc.constant(target.map((d, i) => (i >= lead && s[i - lead] === d && d > 1 ? -1 : d))),
  );
});

/** A tensor, an axis, start and end (negative and past the ends included; end may be omitted) and a step. */
export const sliceArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const n = s[positive(axis, s.length)] as number;
    const bound = fc.integer({ min: -n - 1, max: n + 1 });
    return fc.tuple(
      arbTensor({ shape: s }),
      fc.constant(axis),
      bound,
      fc.option(bound, { nil: undefined }),
      fc.integer({ min: 1, max: 3 }),
    );
  }),
);

/** An axis, then 1-3 tensors that differ only in their size along it. */
export const concatArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.tuple(arbAxis(s.length), fc.array(size, { minLength: 1, maxLength: 3 })).chain(([axis, sizes]) => {
    const a = positive(axis, s.length);
    return fc.tuple(fc.constant(axis), ...sizes.map((n) => arbTensor({ shape: s.map((d, i) => (i === a ? n : d)) })));
  }),
);

/** A new axis, then 1-3 tensors of one shape. */
export const stackArgs = arbShape(small).chain((s) =>
  fc
    .tuple(arbAxis(s.length + 1), size)
    .chain(([axis, n]) => fc.tuple(fc.constant(axis), ...range(n).map(() => arbTensor({ shape: s })))),
);

/** A tensor, an axis, and an int32 index of the same rank that fits it (repeats included). */
export const gatherArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const a = positive(axis, s.length);
    const indexShape = fc.tuple(...s.map((d, i) => fc.integer({ min: 1, max: i === a ? 3 : d })));
    return indexShape.chain((shape) => {
      const count = shape.reduce((p, d) => p * d, 1);
      const values = fc.array(fc.nat((s[a] as number) - 1), { minLength: count, maxLength: count });
      return fc.tuple(
        arbTensor({ shape: s }),
        fc.constant(axis),
        values.map((v) => tensor(v, { shape, dtype: 'int32' })),
      );
    });
  }),
);

/** A tensor, an axis, and 1-4 indices along it (repeats included), as a list or an int32 tensor. */
export const indexSelectArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const list = fc.array(fc.nat((s[positive(axis, s.length)] as number) - 1), { minLength: 1, maxLength: 4 });
    return fc.tuple(
      arbTensor({ shape: s }),
      fc.constant(axis),
      fc.oneof(
        list,
        list.map((v) => tensor(v, { dtype: 'int32' })),
      ),
    );
  }),
);

/** A bool condition and two tensors, all three broadcasting together. */
export const whereArgs = arbBroadcastableShapes(3, small).chain(([sc, sa, sb]) => {
  const count = sc.reduce((p, d) => p * d, 1);
  const cond = fc.array(fc.boolean(), { minLength: count, maxLength: count }).map((v) => tensor(v, { shape: sc }));
  return fc.tuple(cond, arbTensor({ shape: sa }), arbTensor({ shape: sb }));
});

/** clamp's tensor and bounds (multiples of 1/4), the tensor kept away from both. */
export const clampArgs = fc
  .tuple(fc.integer({ min: -8, max: 0 }), fc.integer({ min: 1, max: 8 }))
  .chain(([i, j]) => fc.tuple(anyTensor({ avoid: [i / 4, j / 4] }), fc.constant(i / 4), fc.constant(j / 4)));

/** A size-1 tensor and a tensor of the same rank, for expand-then-add. */
export const expandedAndStridedArgs = arbShape({ ...small, maxDim: 4 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s.map(() => 1) }), arbTensor({ shape: s })),
);

/** Matrices [k, m] and [n, k], whose transposes multiply. */
export const transposedMatmulArgs = fc
  .tuple(size, size, size)
  .chain(([m, k, n]) => fc.tuple(arbTensor({ shape: [k, m] }), arbTensor({ shape: [n, k] })));

/** [m, k, batch] and [batch, 2k, n]: permuted and sliced with step 2, they multiply in batches. */
export const viewedBatchMatmulArgs = fc
  .tuple(size, size, size, size)
  .chain(([batch, m, k, n]) => fc.tuple(arbTensor({ shape: [m, k, batch] }), arbTensor({ shape: [batch, 2 * k, n] })));

/** Two vectors of one length. */
export const dotArgs = fc
  .integer({ min: 1, max: 5 })
  .chain((k) => fc.tuple(arbTensor({ shape: [k] }), arbTensor({ shape: [k] })));

/** A float32-exact [m, n], a float64 [m, n] and a float64 [n, n]. */
export const mixedDTypeArgs = fc
  .tuple(size, size)
  .chain(([m, n]) =>
    fc.tuple(arbTensor({ shape: [m, n], ...float32Exact }), arbTensor({ shape: [m, n] }), arbTensor({ shape: [n, n] })),
  );

/** linear's x [...batch, in] (0-2 batch axes), weight [out, in] and bias [out]. */
export const linearArgs = fc
  .tuple(arbShape({ minRank: 0, maxRank: 2, maxDim: 3 }), size, size)
  .chain(([batch, k, out]) =>
    fc.tuple(arbTensor({ shape: [...batch, k] }), arbTensor({ shape: [out, k] }), arbTensor({ shape: [out] })),
  );

/** linear on a transposed input: x stored [in, rows] and read as [rows, in], with weight [out, in]. */
export const linearTransposedArgs = fc
  .tuple(size, size, size)
  .chain(([rows, k, out]) => fc.tuple(arbTensor({ shape: [k, rows] }), arbTensor({ shape: [out, k] })));

// Binary math ops and clamp with tensor bounds (issue 17).

/**
 * Dividend and divisor (|b| ≥ 0.25) whose quotients are all at least 0.02
 * from an integer: remainder, fmod and floorDivide jump where a/b is one.
 */
export const quotientArgs = pairOf({}, { avoid: [0], margin: 0.25 }).filter(([a, b]) =>
  noGrad(() =>
    a
      .div(b)
      .data()
      .every((q) => Math.abs(q - Math.round(q)) > 0.02),
  ),
);

/** x, min and max broadcasting together, every two of them apart (clamp's kinks, and min = max). */
export const clampTensorArgs = arbTensors(arbBroadcastableShapes(3, small)).filter(
  ([x, lo, hi]) => apart([x, lo], 1e-3) && apart([x, hi], 1e-3) && apart([lo, hi], 1e-3),
);
// ---- The reductions of issue 17 (prod, norm, std, varMean, stdMean, ...).

/** prod's arguments with exact zeros among the elements (none, one or several per slice): prod is multilinear, so finite differences are exact there too. */
export const prodWithZerosArgs = reductionArgs({ min: -1.5, max: 1.5 }).chain(([x, axis, keep]) =>
  fc
    .array(fc.boolean(), { minLength: x.size, maxLength: x.size })
    .map((zero): [Tensor, AxisArg, boolean] => [
      noGrad(() => where(tensor(zero, { shape: x.shape }), 0, x)),
      axis,
      keep,
    ]),
);

/** A tensor, one of the orders `ps`, and a reduction's axis and keepDims. */
export const normArgs = (ps: readonly (number | 'fro')[], o: TensorOptions = {}) =>
  fc
    .tuple(reductionArgs(o), fc.constantFrom(...ps))
    .map(([[x, axis, keep], p]): [Tensor, number | 'fro', AxisArg, boolean] => [x, p, axis, keep]);

/** +1, -1, +1, ... in x's shape: turns distinct positive values into values of both signs whose |x| still never tie. */
export const alternatingSigns = (x: Tensor) =>
  tensor(
    Array.from({ length: x.size }, (_, i) => (i % 2 === 0 ? 1 : -1)),
    { shape: x.shape, dtype: 'float64' },
  );
// ------------------------------------------------ cumulative and sorting ops (issue 18)

/** Values a hundredth apart at least: no ties, so the element each sort, topk, ... picks is unique. */
const apartValues = { minGap: 0.01 };

/** A tensor with exact zeros (none, one or several per line) and an axis: cumprod's hard case. */
export const zerosArgs = withAxis(0).chain(([x, axis]) =>
  fc.array(fc.nat(3), { minLength: x.size, maxLength: x.size }).map((draw): [Tensor, number] => {
    const data = Float64Array.from(x.data(), (v, i) => (draw[i] === 0 ? 0 : v));
    return [tensor(data, { shape: x.shape }), axis];
  }),
);

/** A tensor without ties, an axis, and descending or not. */
export const sortArgs = withAxis(0, apartValues).chain(([x, axis]) =>
  fc.tuple(fc.constant(x), fc.constant(axis), fc.boolean()),
);

/** A tensor without ties, k in [0, n] along an axis, the axis, largest and sorted. */
export const topkArgs = withAxis(0, apartValues).chain(([x, axis]) => {
  const n = x.ndim === 0 ? 1 : (x.shape[positive(axis, x.ndim)] as number);
  return fc.tuple(fc.constant(x), fc.integer({ min: 0, max: n }), fc.constant(axis), fc.boolean(), fc.boolean());
});

/** A tensor without ties, k in [1, n] along an axis, the axis and keepDims. */
export const kthvalueArgs = withAxis(0, apartValues).chain(([x, axis]) => {
  const n = x.ndim === 0 ? 1 : (x.shape[positive(axis, x.ndim)] as number);
  return fc.tuple(fc.constant(x), fc.integer({ min: 1, max: n }), fc.constant(axis), fc.boolean());
});

/** A tensor without ties, an axis and keepDims (median and mode along an axis). */
export const axisKeepArgs = withAxis(0, apartValues).chain(([x, axis]) =>
  fc.tuple(fc.constant(x), fc.constant(axis), fc.boolean()),
);

/** A tensor without ties and one of its axes. */
export const apartWithAxis = (minRank = 0) => withAxis(minRank, apartValues);
