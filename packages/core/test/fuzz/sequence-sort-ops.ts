/**
 * The cumulative, sorting and search ops for the sequence fuzzer, each with
 * a reference written from its definition (reference.ts's rules: a Ref is a
 * shape, a dtype and row-major numbers): running sums by a loop, sorting by
 * Array.prototype.sort (stable) with NaN as the largest value, mode by
 * counting. Which of several equal elements an unstable sort or topk
 * reports is PyTorch's algorithm, not a definition (the fixtures of
 * sort-cumulative.test.ts check those), so here indices are compared only
 * where the definition fixes them: stable sorts and cummax/cummin.
 */
import * as core from '../../src/index';
import type { DType, Tensor } from '../../src/index';
import {
  axisOf,
  coords,
  exactProductOf,
  exactSumOf,
  flatIndex,
  floatOf,
  invalid,
  make,
  sumDTypeOf,
  type Ref,
  type RefResult,
} from './reference';
import type { Draw, Planned, SeqOp } from './sequence-ops';

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

/** Ascending with NaN last (the order of sort); Array.prototype.sort keeps equal elements in input order. */
const ascending = (a: number, b: number): number =>
  Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a < b ? -1 : a > b ? 1 : 0;

/** The elements of the line through position c along axis a (a 0-d tensor is one line of one). */
function lineAt(r: Ref, a: number, c: readonly number[]): number[] {
  if (r.shape.length === 0) return [r.data[0] as number];
  const n = r.shape[a] as number;
  return Array.from({ length: n }, (_, k) => {
    const at = c.slice();
    at[a] = k;
    return r.data[flatIndex(r.shape, at)] as number;
  });
}

/** An output with the axis resized to m: element (…, j, …) is f(its line, j). */
function perLine(r: Ref, a: number, m: number, dtype: DType, f: (line: number[], j: number) => number): Ref {
  const shape = r.shape.slice();
  if (shape.length > 0) shape[a] = m;
  return make(shape, dtype, (i) => {
    const c = coords(shape, i);
    return f(lineAt(r, a, c), c[a] ?? 0);
  });
}

/** A reduction over the axis (dropped, or kept as 1): each output element is f(its line). */
function perLineReduced(r: Ref, a: number, keep: boolean, f: (line: number[]) => number): Ref {
  const rank = r.shape.length;
  const shape = rank === 0 ? [] : keep ? r.shape.map((d, i) => (i === a ? 1 : d)) : r.shape.filter((_, i) => i !== a);
  return make(shape, r.dtype, (i) => {
    const c = coords(shape, i);
    if (!keep && rank > 0) c.splice(a, 0, 0);
    return f(lineAt(r, a, c));
  });
}

/** Positions of a line in stable order: ascending NaN last, or descending NaN first. */
function stableOrder(line: readonly number[], descending: boolean): number[] {
  return line.map((_, i) => i).sort((i, j) => (descending ? -1 : 1) * ascending(line[i] as number, line[j] as number));
}

function op(
  name: string,
  arity: number,
  plan: (xs: readonly Tensor[], refs: readonly Ref[], d: Draw, n: readonly string[]) => Planned,
  names: readonly string[] = [name],
): [string, SeqOp] {
  return [name, { names, arity, plan }];
}

/** Whether the line along a (of size n) of a tensor of this shape is empty. */
const emptyAxis = (r: Ref, a: number) => r.shape.length > 0 && r.shape[a] === 0;

/** log Σ exp over a list, shifted by its maximum (so large elements do not overflow); ±Infinity and NaN as IEEE. */
function logSumExp(list: readonly number[]): number {
  if (list.some(Number.isNaN)) return Number.NaN;
  const m = Math.max(...list);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(list.reduce((s, v) => s + Math.exp(v - m), 0));
}

function scan(
  name: 'cumsum' | 'cumprod' | 'logcumsumexp',
  of: (prefix: number[], dtype: DType) => number,
  dtypeOf: (d: DType) => DType,
) {
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const axis = d.axis(ref.shape.length);
    const a = axisOf(axis, ref.shape.length);
    const expected: RefResult =
      a === null
        ? invalid(`axis ${axis}`)
        : perLine(ref, a, ref.shape[a] ?? 1, dtypeOf(ref.dtype), (line, j) => of(line.slice(0, j + 1), ref.dtype));
    // Sums and products in double, in order, rounded once (integers: exact, wrapping as int32): exactly the
    // reference. log1p/exp: close.
    const compare = name === 'logcumsumexp' ? 'close' : 'exact';
    return { code: `${n}.${name}(${axis})`, call: () => (x as Tensor)[name](axis), expected, compare };
  });
}

function cumExtreme(name: 'cummax' | 'cummin') {
  // PyTorch's rule: a NaN takes over (each later NaN moving the index); a tie moves the index to the later one.
  const takes = (v: number, best: number) =>
    Number.isNaN(v) || (!Number.isNaN(best) && (name === 'cummax' ? v >= best : v <= best));
  const running = (line: number[], j: number): [number, number] => {
    let best = line[0] as number;
    let at = 0;
    for (let k = 0; k <= j; k++) {
      if (takes(line[k] as number, best)) {
        best = line[k] as number;
        at = k;
      }
    }
    return [best, at];
  };
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const axis = d.axis(ref.shape.length);
    const a = axisOf(axis, ref.shape.length);
    const indices = d.oneIn(2);
    const expected: RefResult =
      a === null
        ? invalid(`axis ${axis}`)
        : perLine(
            ref,
            a,
            ref.shape[a] ?? 1,
            indices ? 'int32' : ref.dtype,
            (line, j) => running(line, j)[indices ? 1 : 0],
          );
    const part = indices ? 'indices' : 'values';
    return {
      code: `${n}.${name}(${axis}).${part}`,
      call: () => (x as Tensor)[name](axis)[part],
      expected,
      compare: 'exact',
    };
  });
}

const sort = op('sort', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axis = d.axis(ref.shape.length);
  const a = axisOf(axis, ref.shape.length);
  const descending = d.oneIn(2);
  // Indices are fixed by the definition only for a stable sort.
  const indices = d.oneIn(2);
  const options = { descending, stable: indices || d.oneIn(2) };
  const expected: RefResult =
    a === null
      ? invalid(`axis ${axis}`)
      : perLine(ref, a, ref.shape[a] ?? 1, indices ? 'int32' : ref.dtype, (line, j) => {
          const k = stableOrder(line, descending)[j] as number;
          return indices ? k : (line[k] as number);
        });
  const part = indices ? 'indices' : 'values';
  return {
    code: `${n}.sort(${axis}, ${show(options)}).${part}`,
    call: () => (x as Tensor).sort(axis, options)[part],
    expected,
    compare: 'exact',
  };
});

const argsort = op('argsort', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axis = d.axis(ref.shape.length);
  const a = axisOf(axis, ref.shape.length);
  const descending = d.oneIn(2);
  const expected: RefResult =
    a === null
      ? invalid(`axis ${axis}`)
      : perLine(ref, a, ref.shape[a] ?? 1, 'int32', (line, j) => stableOrder(line, descending)[j] as number);
  return {
    code: `${n}.argsort(${axis}, { descending: ${descending}, stable: true })`,
    call: () => (x as Tensor).argsort(axis, { descending, stable: true }),
    expected,
    compare: 'exact',
  };
});

const topk = op(
  'topk',
  1,
  ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const rank = ref.shape.length;
    const axis = d.axis(rank);
    const a = axisOf(axis, rank);
    const size = a === null ? 0 : rank === 0 ? 1 : (ref.shape[a] as number);
    const k = d.oneIn(6) ? size + 1 : d.int(0, size);
    const largest = d.oneIn(2);
    const sorted = d.oneIn(2);
    let expected: RefResult;
    if (a === null || k > size) expected = invalid(`topk(${k}, ${axis}) of ${show(ref.shape)}`);
    // NOTE: a 0-d tensor is its own top element whatever k, as in PyTorch.
    else
      expected = perLine(ref, a, rank === 0 ? 1 : k, ref.dtype, (line, j) => {
        const order = stableOrder(line, largest);
        return line[order[j] as number] as number;
      });
    // Unsorted, the order of the k is PyTorch's: sort them (in the same direction) to compare.
    const call = () => {
      const values = (x as Tensor).topk(k, axis, { largest, sorted }).values;
      return sorted ? values : values.sort(axis, { descending: largest }).values;
    };
    return {
      code: `${n}.topk(${k}, ${axis}, { largest: ${largest}, sorted: ${sorted} }).values${sorted ? '' : `.sort(${axis}, { descending: ${largest} }).values`}`,
      call,
      expected,
      compare: 'exact',
    };
  },
  ['topk', 'sort'],
);

const kthvalue = op('kthvalue', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const size = a === null ? 0 : rank === 0 ? 1 : (ref.shape[a] as number);
  const k = d.oneIn(6) ? d.pick([0, size + 1]) : d.int(1, Math.max(size, 1));
  const keep = d.oneIn(2);
  const expected: RefResult =
    a === null || emptyAxis(ref, a) || k < 1 || k > size
      ? invalid(`kthvalue(${k}, ${axis}) of ${show(ref.shape)}`)
      : perLineReduced(ref, a, keep, (line) => line.slice().sort(ascending)[k - 1] as number);
  return {
    code: `${n}.kthvalue(${k}, ${axis}, ${keep}).values`,
    call: () => (x as Tensor).kthvalue(k, axis, keep).values,
    expected,
    compare: 'exact',
  };
});

/** The lower median: NaN if there is one, else the middle (the smaller of two) of the sorted elements. */
const lowerMedian = (line: readonly number[]): number =>
  line.length === 0 || line.some(Number.isNaN)
    ? Number.NaN
    : (line.slice().sort(ascending)[(line.length - 1) >> 1] as number);

const median = op('median', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  if (d.oneIn(3)) {
    return {
      code: `${n}.median()`,
      call: () => (x as Tensor).median(),
      expected: make([], ref.dtype, () => lowerMedian(ref.data)),
      compare: 'exact',
    };
  }
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const keep = d.oneIn(2);
  const expected: RefResult =
    a === null || emptyAxis(ref, a)
      ? invalid(`median(${axis}) of ${show(ref.shape)}`)
      : perLineReduced(ref, a, keep, lowerMedian);
  return {
    code: `${n}.median(${axis}, ${keep}).values`,
    call: () => (x as Tensor).median(axis, keep).values,
    expected,
    compare: 'exact',
  };
});

/** The most frequent value; of equally frequent ones the smallest; each NaN counts alone. */
function modeOf(line: readonly number[]): number {
  let best = Number.NaN;
  let count = 0;
  for (const v of line) {
    const c = Number.isNaN(v) ? 1 : line.filter((w) => w === v).length;
    if (c > count || (c === count && ascending(v, best) < 0)) {
      best = v;
      count = c;
    }
  }
  return best;
}

const mode = op('mode', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axis = d.axis(ref.shape.length);
  const a = axisOf(axis, ref.shape.length);
  const keep = d.oneIn(2);
  const expected: RefResult =
    a === null || emptyAxis(ref, a)
      ? invalid(`mode(${axis}) of ${show(ref.shape)}`)
      : perLineReduced(ref, a, keep, modeOf);
  return {
    code: `${n}.mode(${axis}, ${keep}).values`,
    call: () => (x as Tensor).mode(axis, keep).values,
    expected,
    // NOTE: PyTorch sorts with a plain <, which NaN breaks: where a line holds NaN the result is its algorithm's.
    compare: ref.data.some(Number.isNaN) ? 'shape' : 'exact',
  };
});

const unique = op('unique', 1, ([x], [r], _d, [n]) => {
  const ref = r as Ref;
  const sorted = ref.data.slice().sort(ascending);
  // -0 and 0 are one value (the first seen is kept); each NaN is its own.
  const values = sorted.filter((v, i) => i === 0 || Number.isNaN(v) || v !== sorted[i - 1]);
  return {
    code: `${n}.unique()`,
    call: () => (x as Tensor).unique(),
    expected: make([values.length], ref.dtype, (i) => values[i] as number),
    compare: 'exact',
  };
});

/** Where v goes in a sorted list: after the elements below it (or, right, not above it); a NaN after all. */
function insertionPoint(seq: readonly number[], v: number, right: boolean): number {
  if (Number.isNaN(v)) return seq.length;
  return seq.filter((s) => (right ? s <= v : s < v)).length;
}

function search(name: 'searchsorted' | 'bucketize') {
  return op(
    name,
    2,
    ([x, y], [rx, ry], d, [nx, ny]) => {
      const seq = (rx as Ref).data.slice().sort(ascending);
      const values = ry as Ref;
      const right = d.oneIn(2);
      const sorted = `${nx}.flatten().sort().values`;
      const boundaries = () => (x as Tensor).flatten().sort().values;
      return {
        code:
          name === 'searchsorted'
            ? `core.searchsorted(${sorted}, ${ny}, { right: ${right} })`
            : `core.bucketize(${ny}, ${sorted}, { right: ${right} })`,
        call: () =>
          name === 'searchsorted'
            ? core.searchsorted(boundaries(), y as Tensor, { right })
            : core.bucketize(y as Tensor, boundaries(), { right }),
        expected: make(values.shape, 'int32', (i) => insertionPoint(seq, values.data[i] as number, right)),
        // NOTE: PyTorch's binary search treats a NaN it meets as below the value, so with NaN in the sequence
        // the answer is the search's path, not a definition (the fixtures check that case).
        compare: seq.some(Number.isNaN) ? 'shape' : 'exact',
      };
    },
    [name, 'flatten', 'sort'],
  );
}

/** One per row of the cumulative and sort tables (the meta-test in op-tables.test.ts checks it), and the rest. */
export const sortSequenceOps: Record<string, SeqOp> = Object.fromEntries([
  // Integers and bools scan in int32, wrapping (PyTorch: int64); logcumsumexp gives floats.
  scan('cumsum', (line, dt) => exactSumOf(dt, line), sumDTypeOf),
  scan('cumprod', (line, dt) => exactProductOf(dt, line), sumDTypeOf),
  scan('logcumsumexp', logSumExp, floatOf),
  cumExtreme('cummax'),
  cumExtreme('cummin'),
  sort,
  argsort,
  topk,
  kthvalue,
  median,
  mode,
  unique,
  search('searchsorted'),
  search('bucketize'),
]);
