/** Shapes, strides and axes: pure helpers with the checks every op shares. */
import { ArgumentError, IndexError, ShapeError, safeString } from '../errors';
import { describeValue } from '../internal/describe';

/** A tensor's shape: the size of each axis, outermost first (`[]` for a scalar). */
export type Shape = readonly number[];

/** The largest rank chainrule accepts (NumPy's limit is 64; 32 is plenty and bounds loops). */
export const maxRank = 32;

/** The most elements a tensor (or one of its dimensions) may have: what a typed array indexes. */
export const maxElements = 2 ** 31 - 1;

/** `[2,3]` → `'[2,3]'`, as error messages write shapes. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** True when the layout is row-major without gaps (offset aside). */
export function isContiguous(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i] as number;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless `shape` is a list of non-negative integers of rank ≤ maxRank. */
export function checkShape(op: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new ArgumentError(op, `a shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
  if (shape.length > maxRank) {
    throw new ShapeError(op, `rank ${shape.length} is above the maximum rank ${maxRank}`);
  }
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `a shape must hold non-negative integers, got [${shape.map(safeString).join(',')}]`);
    }
  }
  const size = sizeOf(shape as number[]);
  if (!Number.isSafeInteger(size) || size > maxElements) {
    throw new ShapeError(
      op,
      `shape ${formatShape(shape as number[])} holds ${size} elements, more than a typed array can`,
    );
  }
  // A 0 elsewhere makes the size 0, but a dimension of 1e300 still cannot be
  // listed or printed: each dimension is bounded too, as the size is.
  const largest = Math.max(0, ...(shape as number[]));
  if (largest > maxElements) {
    throw new ShapeError(
      op,
      `shape ${formatShape(shape as number[])} has a dimension of ${largest}, more than a typed array can hold`,
    );
  }
  return (shape as number[]).slice();
}

/** Resolves a possibly negative axis against `rank`; throws if out of range. */
export function normalizeAxis(op: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new ArgumentError(op, `an axis must be an integer, got ${describeValue(axis)}`);
  }
  const r = Math.max(rank, 1);
  if (axis < -r || axis >= r) {
    throw new IndexError(op, `axis ${axis} is out of range for a tensor of rank ${rank} (expected ${-r} to ${r - 1})`);
  }
  return axis < 0 ? axis + r : axis;
}

/**
 * The axes a reduction runs over, sorted and without repeats: all of them when
 * `axis` is undefined, else the normalized number or list.
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, rank: number): number[] {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? axis : [axis];
  const axes = list.map((a) => normalizeAxis(op, a, rank));
  const unique = [...new Set(axes)].sort((x, y) => x - y);
  if (unique.length !== axes.length) {
    throw new ArgumentError(op, `axis ${JSON.stringify(list)} names the same axis twice`);
  }
  return rank === 0 ? [] : unique;
}

/** The shape `a` and `b` broadcast to, by NumPy's rules. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        op,
        `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast ` +
          `(dimension ${i - rank}: ${da} vs ${db}; sizes must be equal or one of them 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  // Two views of a few elements each (expanded, or [n,1] beside [1,n]) can
  // broadcast to more elements than any result could be allocated with.
  checkSize(op, out);
  return out;
}

/** Throws a ShapeError unless a result of `shape` fits in a typed array (2**31 - 1 elements). */
export function checkSize(op: string, shape: Shape): void {
  const size = sizeOf(shape);
  if (size > maxElements) {
    throw new ShapeError(
      op,
      `the result would have shape ${formatShape(shape)}, ${size} elements, more than the ${maxElements} (2**31 - 1) a typed array can hold`,
    );
  }
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had `target` shape:
 * broadcast dimensions get stride 0, so no data is copied.
 */
export function broadcastStrides(shape: Shape, strides: Shape, target: Shape): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[lead + i] = shape[i] === 1 ? 0 : (strides[i] as number);
  }
  return out;
}
