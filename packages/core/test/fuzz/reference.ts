/**
 * A slow, obvious NumPy-rules reference for the op-sequence fuzzer: arrays
 * are a shape, a dtype and row-major float64 numbers; every op is written
 * from its definition (broadcast by index arithmetic, reduce by looping over
 * coordinates), sharing nothing with chainrule's kernels. An op given
 * arguments NumPy/PyTorch would refuse returns `invalid` with the reason.
 *
 * The dtype rules are PyTorch's (torch.result_type), written here from its
 * documentation rather than from chainrule's promotion.ts; comparisons give
 * bool; shape ops keep the dtype. float32 results are rounded with
 * Math.fround; integer results wrap modulo 2^bits, computed with BigInt
 * (exact at any size).
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

/** Width and signedness of the integer dtypes. */
const intBits: Partial<Record<DType, [number, boolean]>> = {
  uint8: [8, false],
  int8: [8, true],
  int16: [16, true],
  int32: [32, true],
};

export const isIntDType = (d: DType): boolean => intBits[d] !== undefined;

/** bool 0, integers 1, floats 2: PyTorch's categories. */
const categoryOf = (d: DType): number => (d === 'bool' ? 0 : isIntDType(d) ? 1 : 2);

/**
 * torch.promote_types: bool, then the integers by width (uint8 and int8 meet
 * at int16, as neither holds the other), then float32 and float64.
 */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  const pair = [a, b].sort().join(',');
  if (pair === 'int8,uint8') return 'int16';
  const order: DType[] = ['bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];
  return order.indexOf(a) > order.indexOf(b) ? a : b;
}

/** The dtype of float-only ops (matmul, outer, concat of mixed dtypes): float64 if either is, else float32. */
export function floatPromote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/**
 * `to(dtype)` of one element, as PyTorch 1.13 on x86 (integers/fixtures
 * pin it): a float to int32/int16/int8 truncates through int32, where NaN,
 * ±Infinity or a value out of its range becomes -2³¹, then wraps; to uint8
 * it truncates through int64 (out of range: 0 after wrapping); to bool,
 * nonzero.
 */
export function castRef(from: DType, to: DType, v: number): number {
  const fromFloat = from === 'float32' || from === 'float64';
  if (fromFloat && (to === 'int32' || to === 'int16' || to === 'int8')) {
    return store(to, v > -2147483649 && v < 2147483648 ? Math.trunc(v) : -2147483648);
  }
  if (fromFloat && to === 'uint8') return store(to, Math.abs(v) < 2 ** 63 ? Math.trunc(v) : 0);
  return store(to, v);
}

/** An operand's part in promotion: a tensor with dimensions, a 0-d tensor, or a plain number. */
export type Kind = 'tensor' | 'scalar' | 'number';

/**
 * torch.result_type over operands: the dtypes of each kind are promoted
 * among themselves; then tensors decide, a 0-d tensor only when its category
 * is above theirs, and a number only when its category is above both (a JS
 * integer counts as int32, any other number as float32). All numbers: float32.
 */
export function resultTypeRef(operands: readonly { dtype: DType; kind: Kind }[]): DType {
  const group = (kind: Kind): DType | undefined =>
    operands
      .filter((o) => o.kind === kind)
      .reduce<DType | undefined>((d, o) => (d === undefined ? o.dtype : promote(d, o.dtype)), undefined);
  const [tensors, scalars, numbers] = [group('tensor'), group('scalar'), group('number')];
  if (tensors === undefined && scalars === undefined) return 'float32';
  let result: DType | undefined = tensors;
  for (const next of [scalars, numbers]) {
    if (next === undefined) continue;
    if (result === undefined) result = next;
    else if (categoryOf(next) > categoryOf(result)) result = promote(result, next);
  }
  return result as DType;
}

/** What storing v in an array of `dtype` keeps. */
export function store(dtype: DType, v: number): number {
  if (dtype === 'float32') return Math.fround(v);
  if (dtype === 'bool') return v !== 0 ? 1 : 0;
  const int = intBits[dtype];
  if (int !== undefined) {
    const [bits, signed] = int;
    if (!Number.isFinite(v)) return 0;
    const big = BigInt(Math.trunc(v));
    return Number(signed ? BigInt.asIntN(bits, big) : BigInt.asUintN(bits, big));
  }
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

// ---- Integer reductions (sum, prod, cumsum, cumprod, trace, nansum): PyTorch widens integers and bools to
// int64; chainrule has no int64 and gives int32, wrapping modulo 2^32. The float dtypes keep their own.

/** The dtype of a sum or product of a tensor of dtype `d`. */
export function sumDTypeOf(d: DType): DType {
  return d === 'float32' || d === 'float64' ? d : 'int32';
}

/** Σ g, exactly (BigInt for integers, so the result wraps as int32 arithmetic does whatever the sizes). */
export function exactSumOf(d: DType, g: readonly number[]): number {
  if (sumDTypeOf(d) !== 'int32') return g.reduce((s, v) => s + v, 0);
  return Number(
    BigInt.asIntN(
      32,
      g.reduce((s, v) => s + BigInt(v), 0n),
    ),
  );
}

/** Π g, exactly for integers (BigInt, reduced to int32 at the end). */
export function exactProductOf(d: DType, g: readonly number[]): number {
  if (sumDTypeOf(d) !== 'int32') return g.reduce((p, v) => p * v, 1);
  return Number(
    BigInt.asIntN(
      32,
      g.reduce((p, v) => p * BigInt(v), 1n),
    ),
  );
}

/** Whether PyTorch computes this op only in floats (mean, var, std, norm...): integer and bool inputs are refused. */
export const floatOnly = (d: DType): boolean => d !== 'float32' && d !== 'float64';
