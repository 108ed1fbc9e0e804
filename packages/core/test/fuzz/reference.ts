/**
 * A slow, obvious NumPy-rules reference for the op-sequence fuzzer: arrays
 * are a shape, a dtype and row-major float64 numbers; every op is written
 * from its definition (broadcast by index arithmetic, reduce by looping over
 * coordinates), sharing nothing with chainrule's kernels. An op given
 * arguments NumPy/PyTorch would refuse returns `invalid` with the reason.
 *
 * The dtype rules are chainrule's documented ones (dtype.ts): arithmetic
 * gives float64 if an operand is float64 and float32 otherwise; comparisons
 * give bool; shape ops keep the dtype. float32 results are rounded with
 * Math.fround, int32 with Int32Array, as the typed arrays store them.
 */
import type { DType } from '../../src/index';

export interface Ref {
  shape: number[];
  dtype: DType;
  data: number[];
}

/** A refusal: chainrule must throw a ChainruleError naming the op. */
export interface Invalid {
  invalid: string;
}

export type RefResult = Ref | Invalid;

export const invalid = (why: string): Invalid => ({ invalid: why });
export const isInvalid = (r: RefResult): r is Invalid => 'invalid' in r;

export const maxRank = 32;

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function floatOf(d: DType): DType {
  return d === 'float64' ? 'float64' : 'float32';
}

export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

const int32 = new Int32Array(1);

/** What storing v in an array of `dtype` keeps. */
export function store(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'int32') return ((int32[0] = v), int32[0] as number);
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  return v;
}

export function make(shape: number[], dtype: DType, f: (i: number) => number): Ref {
  const n = sizeOf(shape);
  const data = new Array<number>(n);
  for (let i = 0; i < n; i++) data[i] = store(dtype, f(i));
  return { shape, dtype, data };
}

/** Row-major coordinates of flat index i. */
export function coords(shape: readonly number[], i: number): number[] {
  const c = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    c[d] = i % n;
    i = Math.floor(i / n);
  }
  return c;
}

export function flatIndex(shape: readonly number[], c: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * (shape[d] as number) + (c[d] as number);
  return i;
}

/** An axis in [-rank, rank) (rank 0 counts as 1, as PyTorch wraps dims), normalized; null if out of range or not an integer. */
export function axisOf(axis: unknown, rank: number): number | null {
  const r = Math.max(rank, 1);
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -r || axis >= r) return null;
  return axis < 0 ? axis + r : axis;
}

export function broadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** The element of `r` that position `i` of a broadcast result of `shape` reads. */
export function readBroadcast(r: Ref, shape: readonly number[], i: number): number {
  const c = coords(shape, i).slice(shape.length - r.shape.length);
  return r.data[
    flatIndex(
      r.shape,
      c.map((v, d) => (r.shape[d] === 1 ? 0 : v)),
    )
  ] as number;
}

export function elementwise(refs: readonly Ref[], dtype: DType, f: (...v: number[]) => number): RefResult {
  let shape: number[] | null = [];
  for (const r of refs) shape = shape === null ? null : broadcast(shape, r.shape);
  if (shape === null)
    return invalid(`shapes ${refs.map((r) => JSON.stringify(r.shape)).join(' and ')} do not broadcast`);
  const s = shape;
  return make(s, dtype, (i) => f(...refs.map((r) => readBroadcast(r, s, i))));
}

/** Sorted distinct axes of a reduction, or null when one is invalid or repeated. */
export function axesOf(axis: unknown, rank: number): number[] | null {
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = Array.isArray(axis) ? (axis as unknown[]) : [axis];
  const axes: number[] = [];
  for (const a of list) {
    const n = axisOf(a, rank);
    if (n === null || axes.includes(n)) return null;
    axes.push(n);
  }
  return rank === 0 ? [] : axes.sort((x, y) => x - y);
}

/** Groups x's elements by their position with `axes` removed; f reduces each group (in row-major order). */
export function reduce(
  x: Ref,
  axes: readonly number[],
  keepDims: boolean,
  dtype: DType,
  f: (values: number[]) => number,
): Ref {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups: number[][] = Array.from({ length: sizeOf(kept) }, () => []);
  for (let i = 0; i < x.data.length; i++) {
    const c = coords(x.shape, i).map((v, d) => (axes.includes(d) ? 0 : v));
    (groups[flatIndex(kept, c)] as number[]).push(x.data[i] as number);
  }
  const shape = keepDims ? kept : x.shape.filter((_, i) => !axes.includes(i));
  return make(shape, dtype, (i) => f(groups[i] as number[]));
}

/** Moves one axis's elements: out[c] = x[c with c[axis] = pick(c[axis])]. */
export function gatherAlong(x: Ref, axis: number, count: number, pick: (c: number[]) => number): Ref {
  const shape = x.shape.slice();
  shape[axis] = count;
  return make(shape, x.dtype, (i) => {
    const c = coords(shape, i);
    c[axis] = pick(c);
    return x.data[flatIndex(x.shape, c)] as number;
  });
}

export function permuted(x: Ref, axes: readonly number[]): Ref {
  const shape = axes.map((a) => x.shape[a] as number);
  return make(shape, x.dtype, (i) => {
    const c = coords(shape, i);
    const src = new Array<number>(x.shape.length);
    axes.forEach((a, k) => (src[a] = c[k] as number));
    return x.data[flatIndex(x.shape, src)] as number;
  });
}

export function reshaped(x: Ref, shape: number[]): Ref {
  return { shape, dtype: x.dtype, data: x.data.slice() };
}

/** A shape list a creation or view function may take: non-negative integers, rank ≤ 32, size < 2³¹. */
export function validShape(s: readonly number[]): boolean {
  return s.length <= maxRank && s.every((d) => Number.isInteger(d) && d >= 0) && sizeOf(s) < 2 ** 31;
}
