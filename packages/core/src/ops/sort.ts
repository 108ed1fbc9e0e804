/**
 * Sorting and selection: sort, argsort, topk, kthvalue, median, mode (each
 * differentiable through the values it returns: the gradient goes back to
 * the position of each value), and unique, searchsorted and bucketize
 * (indices and counts, no gradient). NaN orders as the largest value, as in
 * PyTorch. Among tied values the index returned is PyTorch's (see
 * kernels/sort.ts for why that takes PyTorch's own algorithms).
 */
import * as S from '../kernels/sort';
import { ArgumentError, ShapeError, safeString } from '../errors';
import { describeValue } from '../internal/describe';
import { allocate } from '../tensor/dtype';
import { formatShape, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, emptyLike, floatDTypeOf, type OpDef, type TensorLike, type Unary } from './define';
import {
  alongAxis,
  flag,
  flatPositions,
  optionsOf,
  select,
  selectionOp,
  type AlongAxis,
  type SelectionDef,
} from './selection';
import { copyOf } from './shape';
import { inputsOf, tracedWhole } from './trace';
import type { ValuesAndIndices } from './cumulative';

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Largest first (default false). NaN then comes first. */
  descending?: boolean;
  /** Keep equal elements in their input order (default false: PyTorch's unstable order). */
  stable?: boolean;
}

/** Options of {@link topk}. */
export interface TopkOptions {
  /** The k largest (default true) or the k smallest. */
  largest?: boolean;
  /** Return them in order, largest (or smallest) first (default true). */
  sorted?: boolean;
}

/** Throws unless the axis has elements (an empty line has no k-th value, median or mode). */
function checkNonEmpty(op: string, x: Tensor, axis: number): void {
  if (x.ndim > 0 && x._shape[axis] === 0) {
    throw new ShapeError(op, `cannot take the ${op} over axis ${axis} of size 0 in shape ${formatShape(x._shape)}`);
  }
}

function checkKeepDims(op: string, keepDims: unknown): boolean {
  if (keepDims === undefined) return false;
  if (typeof keepDims !== 'boolean')
    throw new ArgumentError(op, `keepDims must be a boolean, got ${safeString(keepDims)}`);
  return keepDims;
}

/** The shape with `axis` of size `m` (0-d stays 0-d: PyTorch treats it as one line of one). */
function withAxisSize(shape: Shape, axis: number, m: number): number[] {
  const out = shape.slice();
  if (out.length > 0) out[axis] = m;
  return out;
}

/**
 * For each line, `arrange(pairs, n)` puts the m pairs it picks at the front;
 * the result holds their indices along the axis, laid out like an output
 * with `m` per line. The keys are first rewritten for a plain `<` (see
 * `plainKeys`) unless `rewrite` is false (an arrange that looks for NaN).
 */
function pickPerLine(
  along: AlongAxis,
  m: number,
  order: number,
  arrange: (p: S.Pairs, n: number) => void,
  rewrite = true,
): Int32Array {
  const { x, lines } = along;
  const { outer, n, inner } = lines;
  const out = allocate('int32', outer * m * inner);
  if (m === 0) return out;
  const p = S.pairsFor(n, order);
  const data = x.storage.data;
  for (let o = 0; o < outer; o++) {
    for (let q = 0; q < inner; q++) {
      S.loadLine(p, data, x.offset, lines, o, q);
      p.order = rewrite ? S.plainKeys(p, n, order) : order;
      arrange(p, n);
      for (let j = 0; j < m; j++) out[(o * m + j) * inner + q] = p.ix[j] as number;
    }
  }
  return out;
}

/** The picked values (differentiable) and their indices, shaped `shape`. */
function result(def: SelectionDef, along: AlongAxis, picked: Int32Array, m: number, shape: Shape): ValuesAndIndices {
  const picks = flatPositions(picked, along.lines, m, shape);
  const indices = tracedWhole(def.name, [along.x], { indices: true }, () => Tensor.fromData(picked, shape, 'int32'));
  return { values: select(def, along.x, picks), indices };
}

/** The sorting family's table: the suites reach every op through it. */
export const sortOps = {
  sort: selectionOp('sort'),
  topk: selectionOp('topk'),
  kthvalue: selectionOp('kthvalue'),
  median: selectionOp('median'),
  mode: selectionOp('mode'),
};

function sortIndices(op: string, x: unknown, axis: unknown, options: unknown): [AlongAxis, Int32Array] {
  const o = optionsOf(op, options, ['descending', 'stable']);
  const descending = flag(op, o, 'descending', false);
  const stable = flag(op, o, 'stable', false);
  const along = alongAxis(op, x, axis);
  const order = descending
    ? stable
      ? S.NAN_FIRST_DESCENDING_STABLE
      : S.NAN_FIRST_DESCENDING
    : stable
      ? S.NAN_LAST_STABLE
      : S.NAN_LAST;
  return [along, pickPerLine(along, along.lines.n, order, (p, n) => S.introsort(p, 0, n))];
}

/**
 * The elements sorted along `axis` (default the last), ascending unless
 * `descending`, and the index of each in the input (PyTorch's sort). NaN
 * sorts as the largest value. NOTE: without `stable`, equal elements come
 * in PyTorch's (unstable) order, so the indices of ties are PyTorch's; the
 * gradient of each value goes to the element at its index.
 *
 * @example
 * sort(tensor([3, 1, 2])); // { values: [1, 2, 3], indices: [1, 2, 0] }
 * sort(x, 0, { descending: true, stable: true });
 */
export function sort(x: TensorLike, axis = -1, options: SortOptions = {}): ValuesAndIndices {
  const [along, picked] = sortIndices('sort', x, axis, options);
  return result(sortOps.sort, along, picked, along.lines.n, along.x._shape);
}

/** The indices that sort `x` along `axis` (sort's indices, as int32); no gradient. */
export function argsort(x: TensorLike, axis = -1, options: SortOptions = {}): Tensor {
  return tracedWhole('argsort', inputsOf(x), { axis, options }, () => {
    const [along, picked] = sortIndices('argsort', x, axis, options);
    return Tensor.fromData(picked, along.x._shape, 'int32');
  });
}

function checkCount(op: string, k: unknown, lo: number, n: number, axis: number): void {
  if (typeof k !== 'number' || !Number.isInteger(k)) {
    throw new ArgumentError(op, `k must be an integer, got ${describeValue(k)}`);
  }
  if (k < lo || k > n) {
    throw new ArgumentError(op, `k ${k} is out of range for axis ${axis} with size ${n} (expected ${lo}..${n})`);
  }
}

/**
 * The `k` largest elements along `axis` (default the last), or the smallest
 * with `largest: false`, and their indices (PyTorch's topk). NaN counts as
 * the largest. NOTE: which of several equal elements is returned, and their
 * order when `sorted` is false, are PyTorch's.
 *
 * @example
 * topk(tensor([1, 5, 3, 4]), 2); // { values: [5, 4], indices: [1, 3] }
 */
export function topk(x: TensorLike, k: number, axis = -1, options: TopkOptions = {}): ValuesAndIndices {
  const o = optionsOf('topk', options, ['largest', 'sorted']);
  const largest = flag('topk', o, 'largest', true);
  const sorted = flag('topk', o, 'sorted', true);
  const along = alongAxis('topk', x, axis, (_t, a, n) => checkCount('topk', k, 0, n, a));
  const { n } = along.lines;
  // NOTE: a 0-d tensor is one element whatever k (0 or 1), as in PyTorch.
  const m = along.x.ndim === 0 ? 1 : k;
  const picked = pickPerLine(along, m, largest ? S.NAN_FIRST_DESCENDING : S.NAN_LAST, (p) => {
    // PyTorch's choice: a heap when k is small against the line, else a selection and a sort of the k - 1 first.
    if (k * 64 <= n) S.partialSort(p, 0, k, n);
    else if (k > 0) {
      S.nthElement(p, 0, k - 1, n);
      if (sorted) S.introsort(p, 0, k - 1);
    }
  });
  return result(sortOps.topk, along, picked, m, withAxisSize(along.x._shape, along.axis, m));
}

/** The shape of a reduction over `axis`: the axis dropped, or kept as 1. */
function reducedShape(shape: Shape, axis: number, keepDims: boolean): number[] {
  if (shape.length === 0) return [];
  return keepDims ? withAxisSize(shape, axis, 1) : shape.filter((_, i) => i !== axis);
}

/**
 * The k-th smallest element along `axis` (k from 1) and its index
 * (PyTorch's kthvalue); NaN counts as the largest.
 *
 * @example
 * kthvalue(tensor([5, 1, 4, 2]), 2); // { values: 2, indices: 3 }
 */
export function kthvalue(x: TensorLike, k: number, axis = -1, keepDims = false): ValuesAndIndices {
  const keep = checkKeepDims('kthvalue', keepDims);
  const along = alongAxis('kthvalue', x, axis, (t, a, n) => {
    checkNonEmpty('kthvalue', t, a);
    checkCount('kthvalue', k, 1, n, a);
  });
  const { n } = along.lines;
  const picked = pickPerLine(along, 1, S.NAN_LAST, (p) => {
    S.quickSelect(p, n, k - 1);
    p.ix[0] = p.ix[k - 1] as number;
  });
  return result(sortOps.kthvalue, along, picked, 1, reducedShape(along.x._shape, along.axis, keep));
}

const medianAllDef: OpDef<Unary, undefined, Unary> = {
  name: 'median',
  forward([x], _params, ctx) {
    const src = x.isContiguous ? x : copyOf(x);
    const n = src.size;
    const p = S.pairsFor(n, S.NAN_LAST);
    S.loadLine(p, src.storage.data, src.offset, { outer: 1, n, inner: 1 }, 0, 0);
    let m = Number.NaN;
    if (n > 0 && !p.keys.some((v) => v !== v)) {
      S.nthElement(p, 0, (n - 1) >> 1, n);
      m = p.keys[(n - 1) >> 1] as number;
    }
    const out = emptyLike([], x.dtype);
    // NOTE: the NaN of an empty tensor, stored as its dtype: 0 in int32, true in bool (NaN is nonzero), as to() does.
    out.storage.data[0] = x.dtype === 'bool' ? Number(m !== 0) : m;
    // NOTE: as PyTorch, the gradient is shared evenly by every element equal to the median (by every NaN when
    // it is NaN), not given to one of them.
    const mask = emptyLike(src._shape, floatDTypeOf(x));
    const w = mask.storage.data;
    const data = src.storage.data;
    for (let i = 0; i < n; i++) if (same(data[src.offset + i] as number, m)) w[i] = 1;
    ctx.save(mask);
    return out;
  },
  // g / count at each of the count elements equal to the median (divided first, as PyTorch, for the same rounding).
  backward: (g, { saved: [mask] }) => [g.div(mask.sum()).mul(mask)],
};

function same(a: number, b: number): boolean {
  return a === b || (a !== a && b !== b);
}

/**
 * The lower median: of the whole tensor (a 0-d tensor; NaN if any element
 * is NaN or the tensor is empty) or, given `axis`, of each line along it
 * with its index (PyTorch's median). For an even count it is the smaller of
 * the two middle elements, not their mean.
 * NOTE: as PyTorch, along an axis a NaN in a line is its median, at the
 * first NaN's index; among equal elements the index is the middle one in
 * input order (a stable sort's), and the gradient goes to the element at
 * the index returned. Of the whole tensor the gradient is shared by every
 * element equal to the median.
 *
 * @example
 * median(tensor([4, 1, 3, 2]));          // 2
 * median(tensor([[4, 1], [3, 2]]), 1);   // { values: [1, 2], indices: [1, 1] }
 */
export function median(x: TensorLike): Tensor;
export function median(x: TensorLike, axis: number, keepDims?: boolean): ValuesAndIndices;
export function median(x: TensorLike, axis?: number, keepDims?: boolean): Tensor | ValuesAndIndices {
  if (axis === undefined) {
    const t = asTensor('median', x);
    if (keepDims !== undefined) {
      throw new ArgumentError('median', `keepDims needs an axis (median(x, axis, keepDims)), got axis undefined`);
    }
    return apply(medianAllDef, [t], undefined);
  }
  const keep = checkKeepDims('median', keepDims);
  const along = alongAxis('median', x, axis, (t, a) => checkNonEmpty('median', t, a));
  const mid = (along.lines.n - 1) >> 1;
  // PyTorch breaks ties by index here, so the median's index is the middle one of a stable sort.
  const picked = pickPerLine(
    along,
    1,
    S.NAN_LAST_STABLE,
    (p, n) => {
      for (let i = 0; i < n; i++) {
        if (p.keys[i] !== p.keys[i]) {
          p.ix[0] = i;
          return;
        }
      }
      p.order = S.plainKeys(p, n, S.NAN_LAST_STABLE);
      S.nthElement(p, 0, mid, n);
      p.ix[0] = p.ix[mid] as number;
    },
    false,
  );
  return result(sortOps.median, along, picked, 1, reducedShape(along.x._shape, along.axis, keep));
}

/**
 * The most frequent value along `axis` (default the last) and an index
 * where it occurs (PyTorch's mode). NOTE: as PyTorch, of equally frequent
 * values the smallest wins, the index is PyTorch's choice among its
 * occurrences, and each NaN counts as a value of its own.
 *
 * @example
 * mode(tensor([2, 1, 2, 1, 3])); // { values: 1, indices: 3 }
 */
export function mode(x: TensorLike, axis = -1, keepDims = false): ValuesAndIndices {
  const keep = checkKeepDims('mode', keepDims);
  const along = alongAxis('mode', x, axis, (t, a) => checkNonEmpty('mode', t, a));
  const picked = pickPerLine(along, 1, S.PLAIN, (p, n) => {
    S.introsort(p, 0, n);
    let best = 0;
    let at = 0;
    let run = 0;
    for (let i = 0; i < n; i++) {
      run++;
      if (i === n - 1 || p.keys[i] !== p.keys[i + 1]) {
        if (run > best) {
          best = run;
          at = p.ix[i] as number;
        }
        run = 0;
      }
    }
    p.ix[0] = at;
  });
  return result(sortOps.mode, along, picked, 1, reducedShape(along.x._shape, along.axis, keep));
}
