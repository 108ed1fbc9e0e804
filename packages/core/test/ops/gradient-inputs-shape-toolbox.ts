/**
 * Argument lists for the shape toolbox's rows of the op table
 * (gradient-cases.ts): tensors with axes, offsets, repeats and sizes that
 * fit them, including negative axes, offsets past the matrix, repeats of 0
 * and parts of size 0. Shapes stay small: finite differences evaluate f
 * twice per element.
 */
import fc from 'fast-check';
import { tensor, type Tensor } from '../../src/index';
import { arbAxes, arbAxis, arbShape, arbTensor } from '../../src/testing/properties';
import { small } from './gradient-inputs';

const positive = (axis: number, rank: number) => (axis < 0 ? axis + Math.max(rank, 1) : axis);

/** Two distinct axes of a tensor of rank ≥ 2, each written positive or negative. */
function axisPair(rank: number): fc.Arbitrary<[number, number]> {
  return fc.tuple(arbAxis(rank), arbAxis(rank)).filter(([a, b]) => positive(a, rank) !== positive(b, rank));
}

/** A tensor and axes to flip (0-3 of them, distinct; one axis or a list). */
export const flipArgs = arbShape(small).chain((s) =>
  fc.tuple(
    arbTensor({ shape: s }),
    fc.oneof(
      arbAxes(s.length),
      fc.constant([] as number[]),
      arbAxis(s.length).map((a) => (s.length === 0 ? [] : a)),
    ),
  ),
);

/** A tensor of rank ≥ 1 with one shift per axis (axes may repeat, shifts past the size and negative). */
export const rollArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc
    .array(fc.tuple(arbAxis(s.length), fc.integer({ min: -7, max: 7 })), { minLength: 1, maxLength: 3 })
    .chain((pairs) =>
      fc.tuple(
        arbTensor({ shape: s }),
        fc.constant(pairs.map(([, shift]) => shift)),
        fc.constant(pairs.map(([axis]) => axis)),
      ),
    ),
);

/** A (batch of) matrices and a diagonal offset, past the matrix at times. */
export const triangleArgs = arbShape({ minRank: 2, maxRank: 3, maxDim: 4 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.integer({ min: -5, max: 5 })),
);

/** A vector or a matrix, and a diagonal offset. */
export const diagArgs = arbShape({ minRank: 1, maxRank: 2, maxDim: 4 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.integer({ min: -3, max: 3 })),
);

/** A tensor of rank ≥ 2, an offset and two distinct axes. */
export const diagonalArgs = arbShape({ ...small, minRank: 2 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.integer({ min: -3, max: 3 }), axisPair(s.length)),
);

/** A tensor of rank ≥ 1, an offset and two distinct axes of the output (one rank more). */
export const diagEmbedArgs = arbShape({ minRank: 1, maxRank: 2, maxDim: 3 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.integer({ min: -2, max: 2 }), axisPair(s.length + 1)),
);

/** A matrix (wide, tall or square). */
export const traceArgs = arbShape({ minRank: 2, maxRank: 2, maxDim: 4 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s })),
);

/** A tensor and repeats for repeat: one per axis and up to one more (a new leading axis), 0-2 each. */
export const repeatArgs = arbShape({ ...small, maxRank: 2 }).chain((s) =>
  fc.tuple(
    arbTensor({ shape: s }),
    fc.array(fc.integer({ min: 0, max: 2 }), { minLength: s.length, maxLength: s.length + 1 }),
  ),
);

/** A tensor and repeats for tile: 0-3 of them, so some axes may get none. */
export const tileArgs = arbShape({ ...small, maxRank: 2 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.array(fc.integer({ min: 1, max: 2 }), { maxLength: 3 })),
);

/** A tensor, repeats (a number, one per element as a list or an int32 tensor, or one in a list) and an axis or none. */
export const repeatInterleaveArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.option(arbAxis(s.length), { nil: undefined }).chain((axis) => {
    const n = axis === undefined ? s.reduce((p, d) => p * d, 1) : (s[positive(axis, s.length)] as number);
    const counts = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: n, maxLength: n });
    const repeats: fc.Arbitrary<number | number[] | Tensor> = fc.oneof(
      fc.integer({ min: 0, max: 3 }),
      counts,
      counts.map((c) => tensor(c, { dtype: 'int32' })),
      fc.integer({ min: 0, max: 3 }).map((r) => [r]),
    );
    return fc.tuple(arbTensor({ shape: s }), repeats, fc.constant(axis));
  }),
);

/** A tensor of rank ≥ 1, an axis, and a part size or a list of sizes (0s included) adding up to the axis. */
export const splitArgs = arbShape({ ...small, minRank: 1, maxDim: 4 }).chain((s) =>
  arbAxis(s.length).chain((axis) => {
    const n = s[positive(axis, s.length)] as number;
    const sections = fc.array(fc.integer({ min: 0, max: n }), { minLength: 0, maxLength: 2 }).map((cuts) => {
      const points = [0, ...cuts.sort((a, b) => a - b), n];
      return points.slice(1).map((p, i) => p - (points[i] as number));
    });
    return fc.tuple(arbTensor({ shape: s }), fc.oneof(fc.integer({ min: 1, max: n + 1 }), sections), fc.constant(axis));
  }),
);

/** A tensor of rank ≥ 1, a number of chunks and an axis. */
export const chunkArgs = arbShape({ ...small, minRank: 1, maxDim: 4 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), fc.integer({ min: 1, max: 5 }), arbAxis(s.length)),
);

/** A tensor of rank ≥ 1 and an axis. */
export const unbindArgs = arbShape({ ...small, minRank: 1 }).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), arbAxis(s.length)),
);

/** A tensor, and source and destination axes (one each, or lists of one length; destinations negative). */
export const movedimArgs = arbShape({ ...small, minRank: 1 }).chain((s) => {
  const r = s.length;
  const all = Array.from({ length: r }, (_, i) => i);
  return fc.integer({ min: 1, max: r }).chain((k) =>
    fc
      .tuple(
        arbTensor({ shape: s }),
        fc.shuffledSubarray(all, { minLength: k, maxLength: k }),
        fc.shuffledSubarray(
          all.map((i) => i - r),
          { minLength: k, maxLength: k },
        ),
      )
      .map(([x, source, destination]): [Tensor, number | number[], number | number[]] =>
        k === 1 ? [x, source[0] as number, destination[0] as number] : [x, source, destination],
      ),
  );
});

/** A tensor and two of its axes. */
export const swapaxesArgs = arbShape(small).chain((s) =>
  fc.tuple(arbTensor({ shape: s }), arbAxis(s.length), arbAxis(s.length)),
);

/** A tensor of rank ≥ 1 with an axis of size 4 or 6, and sizes it splits into (one maybe -1). */
export const unflattenArgs = fc
  .tuple(
    arbShape({ maxRank: 2, maxDim: 2 }),
    fc.constantFrom<[number, number[]]>([4, [2, 2]], [4, [-1, 2, 1]], [6, [3, -1]], [6, [1, 6]], [4, [4]]),
  )
  .chain(([rest, [n, sizes]]) =>
    fc.nat(rest.length).chain((at) => {
      const shape = [...rest.slice(0, at), n, ...rest.slice(at)];
      return fc.tuple(arbTensor({ shape }), fc.constant(at - (at % 2) * shape.length), fc.constant(sizes));
    }),
  );

/** A tensor and a shape it broadcasts to (new leading axes, size-1 axes stretched, -1 kept). */
export const broadcastToArgs = arbShape({ ...small, maxDim: 2 }).chain((s) =>
  fc
    .tuple(
      fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 1 }),
      fc.array(fc.integer({ min: 2, max: 3 }), { minLength: s.length, maxLength: s.length }),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    )
    .chain(([lead, stretched, keep]) => {
      const own = s.map((d, i) => (d === 1 ? (stretched[i] as number) : keep[i] === true ? -1 : d));
      return fc.tuple(arbTensor({ shape: s }), fc.constant<number[]>([...lead, ...own]));
    }),
);

/** 1-3 vectors (or 0-d tensors) of lengths 1-3, for meshgrid. */
export const meshgridArgs = fc
  .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
  .chain((lengths) =>
    fc.tuple(fc.constantFrom<'ij' | 'xy'>('ij', 'xy'), ...lengths.map((n) => arbTensor({ shape: n === 0 ? [] : [n] }))),
  );

/**
 * 1-3 tensors for hstack/vstack/dstack: one shape of rank 0-3, with a free
 * size along the axis that is joined (`axisOf(rank)`, or -1 where the
 * joined axis is a new one that atleast1d/2d/3d adds).
 */
export function stackingArgs(axisOf: (rank: number) => number) {
  return arbShape({ maxRank: 3, maxDim: 2 }).chain((s) =>
    fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 1, maxLength: 3 }).chain((sizes) => {
      const a = axisOf(s.length);
      return fc.tuple(...sizes.map((n) => arbTensor({ shape: s.map((d, i) => (i === a ? n : d)) })));
    }),
  );
}
