/**
 * unique: the distinct elements (or slices along an axis), with where each
 * input element went and how often each value occurs. Indices and counts
 * only, so no gradient, as in PyTorch.
 */
import * as S from '../kernels/sort';
import { IndexError, ShapeError } from '../errors';
import { checkOptionKeys } from '../internal/options';
import { allocate } from '../tensor/dtype';
import { formatShape, normalizeAxis } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { asTensor, type TensorLike } from './define';
import { indexSelect } from './index-ops';
import { flag, linesOf } from './selection';
import { copyOf } from './shape';
import { tracedWhole } from './trace';

/** Options of {@link unique}. */
export interface UniqueOptions {
  /** Ascending order, NaN last (default true); false keeps the order of first appearance. */
  sorted?: boolean;
  /** Also return `inverse`: for each input element (or slice), the index of its value in `values`. */
  returnInverse?: boolean;
  /** Also return `counts`: how many times each value occurs. */
  returnCounts?: boolean;
  /** Find the distinct slices along this axis instead of the distinct elements. */
  axis?: number;
}

/** What {@link unique} returns when asked for inverse indices or counts. */
export interface UniqueResult {
  readonly values: Tensor;
  /** int32, of the input's shape (or [size along axis]); present when `returnInverse` was true. */
  readonly inverse?: Tensor;
  /** int32, one per value; present when `returnCounts` was true. */
  readonly counts?: Tensor;
}

const accepted = ['sorted', 'returnInverse', 'returnCounts', 'axis'] as const;

/** Groups of equal items: `group[i]` for item i, `first[g]` the first item (in input order) of group g. */
interface Groups {
  group: Int32Array;
  first: number[];
  counts: number[];
}

/**
 * Sorts `count` items with `compare` (stable, so each group's first member
 * is its first appearance), numbers the groups of equal neighbours, and
 * renumbers them by first appearance unless `sorted`.
 */
function groups(count: number, order: Int32Array, equal: (a: number, b: number) => boolean, sorted: boolean): Groups {
  const group = new Int32Array(count);
  const first: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < count; i++) {
    const item = order[i] as number;
    if (i === 0 || !equal(order[i - 1] as number, item)) {
      first.push(item);
      counts.push(0);
    }
    const g = first.length - 1;
    group[item] = g;
    counts[g] = (counts[g] as number) + 1;
  }
  if (sorted) return { group, first, counts };
  const byAppearance = first.map((_, g) => g).sort((a, b) => (first[a] as number) - (first[b] as number));
  const rank = new Int32Array(first.length);
  byAppearance.forEach((g, r) => {
    rank[g] = r;
  });
  for (let i = 0; i < count; i++) group[i] = rank[group[i] as number] as number;
  return {
    group,
    first: byAppearance.map((g) => first[g] as number),
    counts: byAppearance.map((g) => counts[g] as number),
  };
}

function elementGroups(x: Tensor, sorted: boolean): Groups {
  const n = x.size;
  const p = S.pairsFor(n, S.NAN_LAST_STABLE);
  S.loadLine(p, x.storage.data, x.offset, { outer: 1, n, inner: 1 }, 0, 0);
  p.order = S.plainKeys(p, n, S.NAN_LAST_STABLE);
  S.introsort(p, 0, n);
  // NOTE: NaN ≠ NaN, so each NaN is a value of its own, sorted last as sort puts it. (PyTorch 1.13's CPU
  // unique returns an unsorted list with wrong counts when NaN is present: a bug, not a rule to copy.)
  const data = x.storage.data;
  return groups(n, p.ix, (a, b) => data[x.offset + a] === data[x.offset + b], sorted);
}

function sliceGroups(x: Tensor, axis: number): Groups {
  const { outer, n, inner } = linesOf(x._shape, axis);
  const data = x.storage.data;
  const at = (slice: number, e: number) =>
    data[x.offset + (Math.floor(e / inner) * n + slice) * inner + (e % inner)] as number;
  const width = outer * inner;
  // Lexicographic, each element ordered as sort orders it (NaN last); Array.prototype.sort is stable.
  const compare = (a: number, b: number) => {
    for (let e = 0; e < width; e++) {
      const u = at(a, e);
      const v = at(b, e);
      if (u < v || (u === u && v !== v)) return -1;
      if (v < u || (v === v && u !== u)) return 1;
    }
    return 0;
  };
  const equal = (a: number, b: number) => {
    for (let e = 0; e < width; e++) if (at(a, e) !== at(b, e)) return false;
    return true;
  };
  const order = Int32Array.from(Array.from({ length: n }, (_, i) => i).sort(compare));
  // NOTE: along an axis the slices always come sorted, as in PyTorch (which ignores `sorted` there).
  return groups(n, order, equal, true);
}

function int32(values: readonly number[] | Int32Array, shape: readonly number[]): Tensor {
  const data = allocate('int32', values.length);
  data.set(values);
  return Tensor.fromData(data, shape, 'int32');
}

/**
 * The distinct elements of `x`, flattened and sorted (PyTorch's unique), or
 * with `axis` the distinct slices along it. With `returnInverse` or
 * `returnCounts` an object also holding `inverse` (where each element went)
 * and `counts`. NOTE: each NaN is distinct (NaN ≠ NaN); -0 and 0 are one
 * value, shown as whichever came first. Not differentiable.
 *
 * @example
 * unique(tensor([3, 1, 3, 2]));                           // [1, 2, 3]
 * unique(tensor([3, 1, 3]), { returnInverse: true });     // { values: [1, 3], inverse: [1, 0, 1] }
 * unique(tensor([[1, 2], [1, 2], [0, 5]]), { axis: 0 });  // [[0, 5], [1, 2]]
 */
export function unique(
  x: TensorLike,
  options?: UniqueOptions & { returnInverse?: false; returnCounts?: false },
): Tensor;
export function unique(
  x: TensorLike,
  options: UniqueOptions & { returnInverse: true; returnCounts: true },
): Required<UniqueResult>;
export function unique(
  x: TensorLike,
  options: UniqueOptions & { returnInverse: true },
): UniqueResult & { inverse: Tensor };
export function unique(
  x: TensorLike,
  options: UniqueOptions & { returnCounts: true },
): UniqueResult & { counts: Tensor };
export function unique(x: TensorLike, options: UniqueOptions): Tensor | UniqueResult;
export function unique(x: TensorLike, options: UniqueOptions = {}): Tensor | UniqueResult {
  const t = asTensor('unique', x);
  checkOptionKeys('unique', options, accepted);
  const sorted = flag('unique', options, 'sorted', true);
  const wantInverse = flag('unique', options, 'returnInverse', false);
  const wantCounts = flag('unique', options, 'returnCounts', false);
  const axis = options.axis === undefined ? undefined : normalizeAxis('unique', options.axis, t.ndim);
  if (axis !== undefined && t.ndim === 0) {
    throw new IndexError('unique', `a 0-d tensor has no axis ${options.axis} (give no axis)`);
  }
  if (axis !== undefined && t._shape.some((d, i) => i !== axis && d === 0)) {
    throw new ShapeError(
      'unique',
      `cannot compare slices along axis ${axis} of shape ${formatShape(t._shape)}: another axis has size 0`,
    );
  }
  const src = t.isContiguous ? t : copyOf(t);
  let values: Tensor = t;
  let found: Groups | undefined;
  let inverseShape: readonly number[] = [];
  // Traced whole: the groups are found by kernels, so an exporter refuses unique rather than store its example result.
  values = tracedWhole('unique', [t], { axis }, () => {
    if (axis === undefined) {
      found = elementGroups(src, sorted);
      const data = allocate(t.dtype, found.first.length);
      found.first.forEach((item, g) => {
        data[g] = src.storage.data[src.offset + item] as number;
      });
      values = Tensor.fromData(data, [found.first.length], t.dtype);
      inverseShape = t._shape;
    } else {
      found = sliceGroups(src, axis);
      values = indexSelect(src.detach(), axis, int32(found.first, [found.first.length]));
      inverseShape = [t._shape[axis] as number];
    }
    return values;
  });
  const groups = found as Groups;
  if (!wantInverse && !wantCounts) return values;
  const traced = (make: () => Tensor) => tracedWhole('unique', [t], { axis }, make);
  return {
    values,
    ...(wantInverse ? { inverse: traced(() => int32(groups.group, inverseShape)) } : {}),
    ...(wantCounts ? { counts: traced(() => int32(groups.counts, [groups.counts.length])) } : {}),
  };
}
