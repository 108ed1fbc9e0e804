/**
 * The indexing ops for the sequence fuzzer, with references written from
 * PyTorch's rules on the reference arrays of reference.ts, sharing nothing
 * with chainrule's code (index lists: index-reference.ts). Arguments include
 * what PyTorch refuses (indices out of range, too many indices, masks of the
 * wrong shape, index and src shapes that do not fit, dtypes that differ):
 * the reference says `invalid` and chainrule must throw.
 */
import * as core from '../../src/index';
import type { DType, Tensor } from '../../src/index';
import {
  axisOf,
  broadcast,
  coords,
  flatIndex,
  isIntDType,
  invalid,
  make,
  readBroadcast,
  sizeOf,
  store,
  type Ref,
  type RefResult,
} from './reference';
import { type Draw, type Planned, type SeqOp } from './sequence-ops';
import { codeOf, drawEntries, indexRef, itemOf, selectAxis, sliceAxis } from './index-reference';

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

function op(
  names: string,
  arity: number,
  plan: (xs: readonly Tensor[], refs: readonly Ref[], d: Draw, n: readonly string[]) => Planned,
): SeqOp {
  return { names: [names], arity, plan };
}

/** A tensor of `shape` and `dtype` with small made-up values, its reference, and its code. */
function madeTensor(shape: number[], dtype: DType, salt: number): { t: () => Tensor; ref: Ref; code: string } {
  const ref = make(shape, dtype, (i) => ((i + salt) % 5) - 2);
  // Small integers: exact in every dtype.
  const t = () => core.tensor(Float64Array.from(ref.data), { shape, dtype });
  return { t, ref, code: `tensor(${show(ref.data)}, { shape: ${show(shape)}, dtype: '${dtype}' })` };
}

const ints = (values: number[], shape: number[]) => core.tensor(Int32Array.from(values), { shape });
const intsCode = (values: number[], shape: number[]) =>
  `tensor(new Int32Array(${show(values)}), { shape: ${show(shape)} })`;
const sameShape = (a: readonly number[], b: readonly number[]) => show(a) === show(b);
const otherDType = (dtype: DType): DType => (dtype === 'float64' ? 'float32' : 'float64');
/** A number stored into `dtype`, as a fill value is. */
const filled = (dtype: DType, v: number) => store(dtype, v);

const index = op('index', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const entries = drawEntries(d, ref.shape);
  const p = indexRef(ref.shape, entries);
  const expected: RefResult =
    'invalid' in p ? p : { shape: p.shape, dtype: ref.dtype, data: p.at.map((i) => ref.data[i] as number) };
  return {
    code: `${n}.index([${entries.map(codeOf).join(', ')}])`,
    call: () => (x as Tensor).index(entries.map(itemOf)),
    expected,
    compare: 'exact',
  };
});

const indexPut = op('indexPut', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  const ref = rx as Ref;
  const entries = drawEntries(d, ref.shape);
  const accumulate = d.oneIn(2);
  const p = indexRef(ref.shape, entries);
  const form = d.int(0, 2);
  const k = d.pick([0, 2.5, -1, NaN]);
  let values: { arg: () => Tensor | number; ref: Ref; code: string };
  if (form === 0) values = { arg: () => k, ref: make([], ref.dtype, () => filled(ref.dtype, k)), code: String(k) };
  else if (form === 1 || 'invalid' in p) values = { arg: () => y as Tensor, ref: ry as Ref, code: ny as string };
  else {
    const m = madeTensor(d.oneIn(3) ? p.shape.map(() => 1) : p.shape, ref.dtype, d.int(0, 4));
    values = { arg: m.t, ref: m.ref, code: m.code };
  }
  let expected: RefResult;
  if ('invalid' in p) expected = p;
  else if (values.ref.dtype !== ref.dtype) expected = invalid('values of another dtype');
  else if (accumulate && ref.dtype === 'bool') expected = invalid('adding into bool');
  else {
    const lead = p.shape.length - values.ref.shape.length;
    const fits = lead >= 0 && values.ref.shape.every((v, i) => v === 1 || v === p.shape[lead + i]);
    if (!fits) expected = invalid(`values ${show(values.ref.shape)} into ${show(p.shape)}`);
    else {
      const data = ref.data.slice();
      p.at.forEach((q, i) => {
        const v = readBroadcast(values.ref, p.shape, i);
        data[q] = store(ref.dtype, accumulate ? (data[q] as number) + v : v);
      });
      expected = { shape: ref.shape.slice(), dtype: ref.dtype, data };
    }
  }
  return {
    code: `${nx}.indexPut([${entries.map(codeOf).join(', ')}], ${values.code}, { accumulate: ${accumulate} })`,
    call: () => (x as Tensor).indexPut(entries.map(itemOf), values.arg(), { accumulate }),
    expected,
    compare: 'exact',
  };
});

const select = op('select', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axis = d.axis(ref.shape.length);
  const a = axisOf(axis, ref.shape.length);
  const size = a === null ? 1 : (ref.shape[a] ?? 1);
  const i = d.oneIn(6) ? d.pick([-size - 1, size]) : d.int(-size, Math.max(size - 1, -size));
  let expected: RefResult = invalid(`select(${axis}, ${i}) of ${show(ref.shape)}`);
  if (a !== null && ref.shape.length > 0 && i >= -size && i < size) {
    const w = selectAxis({ shape: ref.shape.slice(), at: ref.data }, a, i < 0 ? i + size : i);
    expected = { shape: w.shape, dtype: ref.dtype, data: w.at };
  }
  return { code: `${n}.select(${axis}, ${i})`, call: () => (x as Tensor).select(axis, i), expected, compare: 'exact' };
});

const narrow = op('narrow', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axis = d.axis(ref.shape.length);
  const a = axisOf(axis, ref.shape.length);
  const size = a === null ? 1 : (ref.shape[a] ?? 1);
  const start = d.int(-size - 1, size + 1);
  const length = d.int(-1, size + 1);
  const from = start < 0 ? start + size : start;
  let expected: RefResult = invalid(`narrow(${axis}, ${start}, ${length}) of ${show(ref.shape)}`);
  if (a !== null && ref.shape.length > 0 && start >= -size && start <= size && length >= 0 && from + length <= size) {
    const picks = Array.from({ length }, (_, k) => from + k);
    const w = sliceAxis({ shape: ref.shape.slice(), at: ref.data }, a, picks);
    expected = { shape: w.shape, dtype: ref.dtype, data: w.at };
  }
  return {
    code: `${n}.narrow(${axis}, ${start}, ${length})`,
    call: () => (x as Tensor).narrow(axis, start, length),
    expected,
    compare: 'exact',
  };
});

const take = op('take', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const size = ref.data.length;
  const shape = d.oneIn(3) ? [d.int(0, 2), d.int(0, 2)] : [d.int(0, 3)];
  const values = Array.from({ length: sizeOf(shape) }, () =>
    d.oneIn(8) ? d.pick([-size - 1, size]) : d.int(-size, Math.max(size - 1, -size)),
  );
  const expected: RefResult = values.some((v) => v < -size || v >= size)
    ? invalid(`take ${show(values)} of ${size} elements`)
    : make(
        shape,
        ref.dtype,
        (i) => ref.data[(values[i] as number) < 0 ? (values[i] as number) + size : (values[i] as number)] as number,
      );
  const asArray = shape.length === 1 && d.oneIn(2);
  return {
    code: `${n}.take(${asArray ? show(values) : intsCode(values, shape)})`,
    call: () => (x as Tensor).take(asArray ? values : ints(values, shape)),
    expected,
    compare: 'exact',
  };
});

const takeAlongDim = op('takeAlongDim', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const flat = d.oneIn(3);
  const axis = flat ? undefined : d.axis(rank);
  const a = axis === undefined ? null : axisOf(axis, rank);
  const xs = rank === 0 ? [1] : ref.shape;
  const size = axis === undefined ? ref.data.length : a === null ? 1 : (xs[a] as number);
  const shape =
    axis === undefined
      ? [d.int(0, 3)]
      : rank === 0
        ? []
        : xs.map((s, i) => (i === a ? d.int(0, 3) : d.pick([1, s, d.int(0, 3)])));
  const values = Array.from({ length: sizeOf(shape) }, () =>
    d.oneIn(8) ? d.pick([-1, size]) : d.int(0, Math.max(size - 1, 0)),
  );
  let expected: RefResult;
  if (values.some((v) => v < 0 || v >= size)) expected = invalid(`indices ${show(values)} for size ${size}`);
  else if (axis === undefined) expected = make(shape, ref.dtype, (i) => ref.data[values[i] as number] as number);
  else if (a === null) expected = invalid(`axis ${axis}`);
  else {
    const is = rank === 0 ? [1] : shape;
    const out = xs.map((s, i) => (i === a ? (is[i] as number) : s === 1 ? (is[i] as number) : s));
    const fits = xs.every((s, i) => i === a || s === is[i] || s === 1 || is[i] === 1);
    expected = !fits
      ? invalid(`indices ${show(shape)} with ${show(ref.shape)}`)
      : make(rank === 0 ? [] : out, ref.dtype, (i) => {
          const c = coords(out, i);
          const ci = c.map((v, j) => (is[j] === 1 ? 0 : v));
          const cx = c.map((v, j) => (j === a ? (values[flatIndex(is, ci)] as number) : xs[j] === 1 ? 0 : v));
          return ref.data[flatIndex(xs, cx)] as number;
        });
  }
  return {
    code: `${n}.takeAlongDim(${intsCode(values, shape)}, ${show(axis)})`,
    call: () => (x as Tensor).takeAlongDim(ints(values, shape), axis),
    expected,
    compare: 'exact',
  };
});

type ScatterName = 'scatter' | 'scatterAdd' | 'scatterReduce';
const reductions = ['sum', 'prod', 'mean', 'amax', 'amin'] as const;

/** x's elements with src's reduced in where index says (PyTorch's scatter, scatter_add, scatter_reduce). */
function scatterRef(
  name: ScatterName,
  x: Ref,
  a: number,
  is: number[],
  values: number[],
  src: Ref,
  reduce: string,
  includeSelf: boolean,
): RefResult {
  const xs = x.shape.length === 0 ? [1] : x.shape;
  const ss = src.shape.length === 0 ? [1] : src.shape;
  const integer = isIntDType(x.dtype);
  const groups = x.data.map((): number[] => []);
  values.forEach((v, k) => {
    const c = coords(is, k);
    const target = c.map((u, j) => (j === a ? v : u));
    (groups[flatIndex(xs, target)] as number[]).push(src.data[flatIndex(ss, c)] as number);
  });
  return make(x.shape.slice(), x.dtype, (q) => {
    const own = x.data[q] as number;
    const g = groups[q] as number[];
    if (g.length === 0) return own;
    if (name === 'scatter') return g[g.length - 1] as number;
    // Each add is stored (rounded to float32, wrapped to int32) before the next, as in a typed array.
    if (name === 'scatterAdd') return g.reduce((s, v) => store(x.dtype, s + v), own);
    const all = includeSelf ? [own, ...g] : g;
    const wrap = (v: number) => (integer ? v | 0 : v);
    if (reduce === 'sum') return all.reduce((s, v) => wrap(s + v), 0);
    if (reduce === 'prod') return all.reduce((s, v) => (integer ? Math.imul(s, v) : s * v), 1);
    if (reduce === 'mean') {
      const m = all.reduce((s, v) => wrap(s + v), 0) / all.length;
      return integer ? Math.floor(m) : m;
    }
    if (all.some(Number.isNaN)) return NaN;
    return reduce === 'amax' ? Math.max(...all) : Math.min(...all);
  });
}

function scatterOp(name: ScatterName): SeqOp {
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const rank = ref.shape.length;
    const axis = d.axis(rank);
    const a = axisOf(axis, rank);
    const xs = rank === 0 ? [1] : ref.shape;
    const size = a === null ? 1 : (xs[a] as number);
    const shape = d.oneIn(10)
      ? [...ref.shape, 1]
      : ref.shape.map((s, i) => (i === a ? d.int(0, 3) : d.oneIn(8) ? s + 1 : d.int(0, s)));
    const values = Array.from({ length: sizeOf(shape) }, () =>
      d.oneIn(8) ? d.pick([-1, size]) : d.int(0, Math.max(size - 1, 0)),
    );
    const reduce = d.oneIn(10) ? 'max' : d.pick(reductions);
    const includeSelf = d.oneIn(2);
    const number = name === 'scatter' && d.oneIn(3) ? d.pick([1.5, -2, 0]) : undefined;
    const srcDType = d.oneIn(8) ? otherDType(ref.dtype) : ref.dtype;
    const srcShape = d.oneIn(8) ? shape.slice(1) : shape.map((s) => s + d.int(0, 1));
    const src = madeTensor(srcShape, srcDType, d.int(0, 4));
    const is = shape.length === 0 ? [1] : shape;
    let expected: RefResult;
    if (a === null) expected = invalid(`axis ${axis}`);
    else if (name !== 'scatter' && ref.dtype === 'bool') expected = invalid('adding into bool');
    else if (shape.length !== rank || is.some((s, i) => i !== a && s > (xs[i] as number)))
      expected = invalid(`index ${show(shape)} for ${show(ref.shape)}`);
    else if (number === undefined && (srcDType !== ref.dtype || srcShape.length !== shape.length))
      expected = invalid(`src ${srcDType} ${show(srcShape)}`);
    else if (number === undefined && is.some((s, i) => s > ((srcShape.length === 0 ? [1] : srcShape)[i] as number)))
      expected = invalid(`src ${show(srcShape)} smaller than index ${show(shape)}`);
    else if (values.some((v) => v < 0 || v >= size))
      expected = invalid(`index values ${show(values)} for size ${size}`);
    else if (name === 'scatterReduce' && reduce === 'max') expected = invalid("reduce 'max'");
    else {
      const srcRef = number === undefined ? src.ref : make(is, ref.dtype, () => filled(ref.dtype, number));
      expected = scatterRef(name, ref, a, is, values, srcRef, reduce, includeSelf);
    }
    const idxCode = intsCode(values, shape);
    const srcCode = number === undefined ? src.code : String(number);
    const tail = name === 'scatterReduce' ? `, '${reduce}', { includeSelf: ${includeSelf} }` : '';
    return {
      code: `${n}.${name}(${axis}, ${idxCode}, ${srcCode}${tail})`,
      call: () => {
        const t = x as Tensor;
        const i = ints(values, shape);
        if (name === 'scatter') return t.scatter(axis, i, number ?? src.t());
        if (name === 'scatterAdd') return t.scatterAdd(axis, i, src.t());
        return t.scatterReduce(axis, i, src.t(), reduce as 'sum', { includeSelf });
      },
      expected,
      compare: name === 'scatterReduce' ? 'close' : 'exact',
    };
  });
}

type SliceName = 'indexAdd' | 'indexCopy' | 'indexFill';

function sliceOp(name: SliceName): SeqOp {
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const rank = ref.shape.length;
    const axis = d.axis(rank);
    const a = axisOf(axis, rank);
    const xs = rank === 0 ? [1] : ref.shape;
    const size = a === null ? 1 : (xs[a] as number);
    const values = Array.from({ length: d.int(0, 3) }, () =>
      d.oneIn(8) ? d.pick([-size - 1, size]) : d.int(-size, Math.max(size - 1, 0)),
    );
    const matrix = d.oneIn(10);
    const alpha = name === 'indexAdd' ? d.pick([1, 2, -0.5]) : 1;
    const fill = d.pick([0, 1.5, -2, NaN]);
    const S = xs.map((s, i) => (i === a ? values.length : s));
    const srcShape = d.oneIn(8) ? S.map((s) => s + 1) : S;
    const source = madeTensor(srcShape, d.oneIn(8) ? otherDType(ref.dtype) : ref.dtype, d.int(0, 4));
    let expected: RefResult;
    const negativesOk = name === 'indexFill';
    if (a === null) expected = invalid(`axis ${axis}`);
    else if (name === 'indexAdd' && ref.dtype === 'bool') expected = invalid('adding into bool');
    else if (name === 'indexAdd' && isIntDType(ref.dtype) && !Number.isInteger(alpha))
      expected = invalid('fractional alpha on int32');
    else if (matrix) expected = invalid('a 2-d index');
    else if (values.some((v) => v < (negativesOk ? -size : 0) || v >= size))
      expected = invalid(`indices ${show(values)}`);
    else if (name !== 'indexFill' && (source.ref.dtype !== ref.dtype || !sameShape(srcShape, S)))
      expected = invalid(`source ${source.ref.dtype} ${show(srcShape)} for ${show(S)}`);
    else {
      const data = ref.data.slice();
      for (let k = 0; k < sizeOf(S); k++) {
        const c = coords(S, k);
        const v0 = values[c[a] as number] as number;
        const q = flatIndex(
          xs,
          c.map((u, j) => (j === a ? (v0 < 0 ? v0 + size : v0) : u)),
        );
        const s = name === 'indexFill' ? filled(ref.dtype, fill) : (source.ref.data[k] as number);
        data[q] = name === 'indexAdd' ? store(ref.dtype, (data[q] as number) + store(ref.dtype, alpha * s)) : s;
      }
      expected = { shape: ref.shape.slice(), dtype: ref.dtype, data };
    }
    const idx = matrix ? ints(values, [1, values.length]) : values;
    const idxCode = matrix ? intsCode(values, [1, values.length]) : show(values);
    const code =
      name === 'indexFill'
        ? `${n}.indexFill(${axis}, ${idxCode}, ${fill})`
        : `${n}.${name}(${axis}, ${idxCode}, ${source.code}${name === 'indexAdd' ? `, { alpha: ${alpha} }` : ''})`;
    return {
      code,
      call: () => {
        const t = x as Tensor;
        if (name === 'indexFill') return t.indexFill(axis, idx, fill);
        if (name === 'indexCopy') return t.indexCopy(axis, idx, source.t());
        return t.indexAdd(axis, idx, source.t(), { alpha });
      },
      expected,
      compare: 'exact',
    };
  });
}

type MaskName = 'maskedFill' | 'maskedSelect' | 'maskedScatter';

function maskOp(name: MaskName): SeqOp {
  return op(name, 2, ([x, m], [rx, rm], d, [nx, nm]) => {
    const ref = rx as Ref;
    const mask = make((rm as Ref).shape.slice(), 'bool', (i) => (((rm as Ref).data[i] as number) > 0 ? 1 : 0));
    const shape = broadcast(ref.shape, mask.shape);
    const fill = d.pick([0, 1.5, -2, NaN]);
    const extra = d.int(-1, 1);
    let expected: RefResult = invalid(`shapes ${show(ref.shape)} and ${show(mask.shape)}`);
    let source = madeTensor([0], ref.dtype, 0);
    if (shape !== null) {
      const flags = make(shape, 'bool', (i) => readBroadcast(mask, shape, i));
      const hits = flags.data.flatMap((f, i) => (f !== 0 ? [i] : []));
      source = madeTensor(
        [Math.max(hits.length + extra, 0)],
        d.oneIn(8) ? otherDType(ref.dtype) : ref.dtype,
        d.int(0, 4),
      );
      const xb = make(shape, ref.dtype, (i) => readBroadcast(ref, shape, i));
      if (name === 'maskedSelect')
        expected = make([hits.length], ref.dtype, (k) => xb.data[hits[k] as number] as number);
      else if (name === 'maskedFill') {
        const v = filled(ref.dtype, fill);
        expected = { shape, dtype: ref.dtype, data: xb.data.map((u, i) => (flags.data[i] !== 0 ? v : u)) };
      } else if (source.ref.dtype !== ref.dtype) expected = invalid('source of another dtype');
      else if (source.ref.data.length < hits.length) expected = invalid('source too small');
      else {
        const data = xb.data.slice();
        hits.forEach((q, k) => (data[q] = source.ref.data[k] as number));
        expected = { shape, dtype: ref.dtype, data };
      }
    }
    const tail = name === 'maskedFill' ? `, ${fill}` : name === 'maskedScatter' ? `, ${source.code}` : '';
    return {
      code: `${nx}.${name}(${nm}.gt(0)${tail})`,
      call: () => {
        const t = x as Tensor;
        const b = (m as Tensor).gt(0);
        if (name === 'maskedFill') return t.maskedFill(b, fill);
        if (name === 'maskedSelect') return t.maskedSelect(b);
        return t.maskedScatter(b, source.t());
      },
      expected,
      compare: 'exact',
    };
  });
}

function coordinatesOp(name: 'nonzero' | 'argwhere'): SeqOp {
  return op(name, 1, ([x], [r], _d, [n]) => {
    const ref = r as Ref;
    const hits = ref.data.flatMap((v, i) => (v !== 0 ? [coords(ref.shape, i)] : []));
    return {
      code: `${n}.${name}()`,
      call: () => (x as Tensor)[name](),
      expected: make(
        [hits.length, ref.shape.length],
        'int32',
        (i) => hits[Math.floor(i / ref.shape.length)]?.[i % ref.shape.length] as number,
      ),
      compare: 'exact',
    };
  });
}

/** The indexing ops of the sequence fuzzer, by name. */
export const indexOps: Record<string, SeqOp> = {
  index,
  indexPut,
  select,
  narrow,
  take,
  takeAlongDim,
  scatter: scatterOp('scatter'),
  scatterAdd: scatterOp('scatterAdd'),
  scatterReduce: scatterOp('scatterReduce'),
  indexAdd: sliceOp('indexAdd'),
  indexCopy: sliceOp('indexCopy'),
  indexFill: sliceOp('indexFill'),
  maskedFill: maskOp('maskedFill'),
  maskedSelect: maskOp('maskedSelect'),
  maskedScatter: maskOp('maskedScatter'),
  nonzero: coordinatesOp('nonzero'),
  argwhere: coordinatesOp('argwhere'),
};
