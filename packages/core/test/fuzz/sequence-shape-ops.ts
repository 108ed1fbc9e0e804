/**
 * Shape, index, linear-algebra and cast ops for the sequence fuzzer, with
 * NumPy's rules as the reference (reference.ts): what each returns, and which
 * arguments it must refuse.
 */
import * as core from '../../src/index';
import type { DType, Tensor } from '../../src/index';
import {
  axisOf,
  broadcast,
  coords,
  flatIndex,
  gatherAlong,
  invalid,
  make,
  maxRank,
  permuted,
  floatPromote,
  promote,
  castRef,
  readBroadcast,
  reshaped,
  sizeOf,
  validShape,
  type Ref,
  type RefResult,
} from './reference';
import { Draw, type Planned, type SeqOp } from './sequence-ops';
import { shapeToolboxSequenceOps } from './sequence-shape-toolbox-ops';

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

function op(
  names: string | readonly string[],
  arity: number,
  plan: (xs: readonly Tensor[], refs: readonly Ref[], d: Draw, n: readonly string[]) => Planned,
): SeqOp {
  return { names: typeof names === 'string' ? [names] : names, arity, plan };
}

/** A target shape for reshape: the elements regrouped (maybe with -1), or any list at all. */
function drawShape(d: Draw, size: number): number[] {
  const form = d.int(0, 4);
  if (form === 4) return Array.from({ length: d.int(0, 3) }, () => d.int(-1, 4));
  if (form === 3) return new Array<number>(d.int(33, 40)).fill(1);
  const factors: number[] = [];
  let rest = size;
  for (const f of [2, 3, 2, 5, 7]) if (rest % f === 0 && d.oneIn(2)) factors.push(f), (rest /= f);
  factors.push(rest);
  if (form === 1) factors[d.int(0, factors.length - 1)] = -1;
  if (form === 2) factors.push(1);
  return factors;
}

function reshapeRef(r: Ref, shape: number[]): RefResult {
  const unknown = shape.filter((v) => v === -1).length;
  const known = shape.map((v) => (v === -1 ? 1 : v));
  if (unknown > 1 || !validShape(known)) return invalid(`shape ${show(shape)}`);
  const k = sizeOf(known);
  const n = r.data.length;
  if (unknown === 1) {
    // With no other elements to size it, -1 is ambiguous: NumPy and PyTorch refuse.
    if (k === 0 || n % k !== 0) return invalid(`cannot infer -1 in ${show(shape)} for ${n} elements`);
    return reshaped(
      r,
      shape.map((v) => (v === -1 ? n / k : v)),
    );
  }
  return k === n ? reshaped(r, known) : invalid(`${n} elements into ${show(shape)}`);
}

const reshape = op('reshape', 1, ([x], [r], d, [n]) => {
  const shape = drawShape(d, (r as Ref).data.length);
  return {
    code: `${n}.reshape(${show(shape)})`,
    call: () => (x as Tensor).reshape(shape),
    expected: reshapeRef(r as Ref, shape),
    compare: 'exact',
  };
});

const flatten = op('flatten', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const [s, e] = [d.axis(rank), d.axis(rank)];
  const [a, b] = [axisOf(s, rank), axisOf(e, rank)];
  // A 0-d tensor takes axes -1 and 0 (PyTorch) and becomes [1].
  const expected: RefResult =
    a === null || b === null || a > b
      ? invalid(`axes ${s}..${e}`)
      : rank === 0
        ? reshaped(ref, [1])
        : reshaped(ref, [...ref.shape.slice(0, a), sizeOf(ref.shape.slice(a, b + 1)), ...ref.shape.slice(b + 1)]);
  return { code: `${n}.flatten(${s}, ${e})`, call: () => (x as Tensor).flatten(s, e), expected, compare: 'exact' };
});

const permute = op('permute', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axes = Array.from({ length: rank }, (_, i) => i);
  for (let i = rank - 1; i > 0; i--) {
    const j = d.int(0, i);
    [axes[i], axes[j]] = [axes[j] as number, axes[i] as number];
  }
  if (d.oneIn(4)) axes.push(d.axis(rank));
  // biome-ignore lint/suspicious/noDuplicateElseIf: each d.oneIn() is a fresh random draw, not the same test
  else if (rank > 0 && d.oneIn(4)) axes[0] = d.axis(rank);
  else if (d.oneIn(2)) axes.forEach((a, i) => (axes[i] = d.oneIn(2) ? a - Math.max(rank, 1) : a));
  const normalized = axes.map((a) => axisOf(a, rank));
  const ok = axes.length === rank && normalized.every((a) => a !== null) && new Set(normalized).size === rank;
  return {
    code: `${n}.permute(${show(axes)})`,
    call: () => (x as Tensor).permute(axes),
    expected: ok ? permuted(ref, normalized as number[]) : invalid(`axes ${show(axes)}`),
    compare: 'exact',
  };
});

const transpose = op('transpose', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const [p, q] = [d.axis(rank), d.axis(rank)];
  const [a, b] = [axisOf(p, rank), axisOf(q, rank)];
  let expected: RefResult = invalid(`axes ${p}, ${q}`);
  if (a !== null && b !== null) {
    const axes = ref.shape.map((_, i) => (i === a ? b : i === b ? a : i));
    expected = permuted(ref, axes);
  }
  return { code: `${n}.transpose(${p}, ${q})`, call: () => (x as Tensor).transpose(p, q), expected, compare: 'exact' };
});

const matrixT = op('T', 1, ([x], [r], _d, [n]) => {
  const ref = r as Ref;
  const expected =
    ref.shape.length > 2
      ? invalid('T of rank > 2')
      : permuted(ref, ref.shape.length === 2 ? [1, 0] : ref.shape.map((_, i) => i));
  return { code: `${n}.T`, call: () => (x as Tensor).T, expected, compare: 'exact' };
});

const squeeze = op('squeeze', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.oneIn(2) ? undefined : d.axis(rank);
  let expected: RefResult;
  if (axis === undefined)
    expected = reshaped(
      ref,
      ref.shape.filter((s) => s !== 1),
    );
  else {
    const a = axisOf(axis, rank);
    // NumPy refuses to squeeze an axis whose size is not 1 (PyTorch ignores it).
    if (a === null || (rank > 0 && ref.shape[a] !== 1))
      expected = invalid(`squeeze axis ${axis} of ${show(ref.shape)}`);
    else
      expected = reshaped(
        ref,
        ref.shape.filter((_, i) => i !== a || rank === 0),
      );
  }
  return { code: `${n}.squeeze(${show(axis)})`, call: () => (x as Tensor).squeeze(axis), expected, compare: 'exact' };
});

const unsqueeze = op('unsqueeze', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank, rank === 0 ? 0 : 1);
  const a = axisOf(axis, rank + 1);
  let expected: RefResult = invalid(`axis ${axis} for rank ${rank} + 1`);
  if (a !== null)
    expected =
      rank + 1 > maxRank ? invalid('rank 33') : reshaped(ref, [...ref.shape.slice(0, a), 1, ...ref.shape.slice(a)]);
  return { code: `${n}.unsqueeze(${axis})`, call: () => (x as Tensor).unsqueeze(axis), expected, compare: 'exact' };
});

const expand = op('expand', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const lead = Array.from({ length: d.int(0, 2) }, () => d.int(-1, 3));
  const own = ref.shape.map((s) => (d.oneIn(3) ? -1 : s === 1 ? d.int(0, 3) : d.oneIn(4) ? d.int(0, 3) : s));
  const shape = d.oneIn(8) ? own.slice(1) : [...lead, ...own];
  let expected: RefResult;
  const offset = shape.length - ref.shape.length;
  const target = shape.map((s, i) => (s === -1 && i >= offset ? (ref.shape[i - offset] as number) : s));
  if (offset < 0 || !validShape(target)) expected = invalid(`expand to ${show(shape)}`);
  else if (target.some((s, i) => i >= offset && ref.shape[i - offset] !== 1 && ref.shape[i - offset] !== s))
    expected = invalid(`expand ${show(ref.shape)} to ${show(shape)}`);
  else expected = make(target, ref.dtype, (i) => readBroadcast(ref, target, i));
  return { code: `${n}.expand(${show(shape)})`, call: () => (x as Tensor).expand(shape), expected, compare: 'exact' };
});

const slice = op('slice', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const start = d.int(-4, 4);
  const end = d.oneIn(3) ? undefined : d.int(-4, 4);
  const step = d.oneIn(6) ? d.int(-1, 0) : d.int(1, 3);
  const a = axisOf(axis, rank);
  let expected: RefResult;
  if (a === null || rank === 0 || step <= 0)
    expected = invalid(`slice(${axis}, ${start}, ${end}, ${step}) of rank ${rank}`);
  else {
    // Python's rules: negative counts from the end, then clamp to [0, size].
    const size = ref.shape[a] as number;
    const clampIndex = (i: number) => Math.min(Math.max(i < 0 ? i + size : i, 0), size);
    const s = clampIndex(start);
    const e = clampIndex(end ?? size);
    const count = e > s ? Math.ceil((e - s) / step) : 0;
    expected = gatherAlong(ref, a, count, (c) => s + (c[a] as number) * step);
  }
  return {
    code: `${n}.slice(${axis}, ${start}, ${show(end)}, ${step})`,
    call: () => (x as Tensor).slice(axis, start, end, step),
    expected,
    compare: 'exact',
  };
});

/** The dtype of joined tensors: theirs if they agree, else arithmetic promotion. */
function joinedDType(refs: readonly Ref[]): DType {
  const first = (refs[0] as Ref).dtype;
  return refs.every((r) => r.dtype === first)
    ? first
    : refs.reduce<DType>((acc, r) => floatPromote(acc, r.dtype), 'float32');
}

function concatRef(refs: readonly Ref[], axis: number): RefResult {
  const first = refs[0] as Ref;
  const rank = first.shape.length;
  const a = axisOf(axis, rank);
  if (rank === 0 || a === null) return invalid(`concat rank ${rank} axis ${axis}`);
  if (refs.some((r) => r.shape.length !== rank || r.shape.some((s, i) => i !== a && s !== first.shape[i])))
    return invalid('shapes differ');
  const shape = first.shape.slice();
  shape[a] = refs.reduce((s, r) => s + (r.shape[a] as number), 0);
  const dtype = joinedDType(refs);
  return make(shape, dtype, (i) => {
    const c = coords(shape, i);
    let k = c[a] as number;
    for (const r of refs) {
      const size = r.shape[a] as number;
      if (k < size)
        return r.data[
          flatIndex(
            r.shape,
            c.map((v, j) => (j === a ? k : v)),
          )
        ] as number;
      k -= size;
    }
    throw new Error('unreachable');
  });
}

const concat = op('concat', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  const axis = d.axis((rx as Ref).shape.length);
  return {
    code: `core.concat([${nx}, ${ny}], ${axis})`,
    call: () => core.concat([x as Tensor, y as Tensor], axis),
    expected: concatRef([rx as Ref, ry as Ref], axis),
    compare: 'exact',
  };
});

const stack = op('stack', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  const [a, b] = [rx as Ref, ry as Ref];
  const rank = a.shape.length;
  const axis = d.axis(rank, rank === 0 ? 0 : 1);
  const k = axisOf(axis, rank + 1);
  const same = a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i]);
  let expected: RefResult = invalid(`stack ${show(a.shape)} and ${show(b.shape)} at ${axis}`);
  if (same && k !== null) {
    const up = (r: Ref) => reshaped(r, [...r.shape.slice(0, k), 1, ...r.shape.slice(k)]);
    expected = rank + 1 > maxRank ? invalid('rank 33') : concatRef([up(a), up(b)], k);
  }
  return {
    code: `core.stack([${nx}, ${ny}], ${axis})`,
    call: () => core.stack([x as Tensor, y as Tensor], axis),
    expected,
    compare: 'exact',
  };
});

const identity = (name: 'clone' | 'contiguous') =>
  op(name, 1, ([x], [r], _d, [n]) => ({
    code: `${n}.${name}()`,
    call: () => (x as Tensor)[name](),
    expected: r as Ref,
    compare: 'exact',
  }));

const to = op('to', 1, ([x], [r], d, [n]) => {
  const dtype = d.pick<DType>(['float32', 'float64', 'int32', 'int16', 'int8', 'uint8', 'bool']);
  const ref = r as Ref;
  return {
    code: `${n}.to('${dtype}')`,
    call: () => (x as Tensor).to(dtype),
    expected: make(ref.shape.slice(), dtype, (i) => castRef(ref.dtype, dtype, ref.data[i] as number)),
    compare: 'exact',
  };
});

const indexSelect = op('indexSelect', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const size = a === null ? 1 : rank === 0 ? 1 : (ref.shape[a] as number);
  const indices = Array.from({ length: d.int(0, 3) }, () =>
    d.oneIn(6) ? d.pick([-1, size]) : d.int(0, Math.max(size - 1, 0)),
  );
  let expected: RefResult = invalid(`axis ${axis}`);
  if (a !== null) {
    if (indices.some((i) => i < 0 || i >= size)) expected = invalid(`indices ${show(indices)} for size ${size}`);
    else if (rank === 0) expected = ref;
    else expected = gatherAlong(ref, a, indices.length, (c) => indices[c[a] as number] as number);
  }
  return {
    code: `${n}.indexSelect(${axis}, ${show(indices)})`,
    call: () => (x as Tensor).indexSelect(axis, indices),
    expected,
    compare: 'exact',
  };
});

const gather = op('gather', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const shape = ref.shape.map((s, i) => (i === a ? d.int(0, 3) : d.oneIn(4) ? s + 1 : d.int(0, s)));
  const size = a === null || rank === 0 ? 1 : (ref.shape[a] as number);
  const values = Array.from({ length: sizeOf(shape) }, () => (d.oneIn(6) ? size : d.int(0, Math.max(size - 1, 0))));
  let expected: RefResult = invalid(`gather axis ${axis}`);
  if (a !== null) {
    if (shape.some((s, i) => i !== a && s > (ref.shape[i] as number))) expected = invalid(`index shape ${show(shape)}`);
    else if (values.some((v) => v >= size)) expected = invalid(`index out of range ${size}`);
    else
      expected = make(shape, ref.dtype, (i) => {
        const c = coords(shape, i);
        if (rank > 0) c[a] = values[i] as number;
        return ref.data[flatIndex(ref.shape, c)] as number;
      });
  }
  return {
    code: `${n}.gather(${axis}, tensor(new Int32Array(${show(values)}), { shape: ${show(shape)} }))`,
    call: () => (x as Tensor).gather(axis, core.tensor(Int32Array.from(values), { shape })),
    expected,
    compare: 'exact',
  };
});

/** NumPy's matmul: 1-D operands as a row (left) or column (right), leading axes broadcast. */
function matmulRef(ra: Ref, rb: Ref): RefResult {
  if (ra.shape.length === 0 || rb.shape.length === 0) return invalid('0-d operand');
  const a = ra.shape.length === 1 ? reshaped(ra, [1, ...ra.shape]) : ra;
  const b = rb.shape.length === 1 ? reshaped(rb, [...rb.shape, 1]) : rb;
  const [m, k] = a.shape.slice(-2) as [number, number];
  const [k2, p] = b.shape.slice(-2) as [number, number];
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  if (k !== k2 || batch === null) return invalid('inner or batch dimensions');
  const full = [...batch, m, p];
  const out = make(full, floatPromote(ra.dtype, rb.dtype), (i) => {
    const c = coords(full, i);
    const [row, col] = c.slice(-2) as [number, number];
    const at = (r: Ref, x: number, y: number) => {
      const lead = c
        .slice(0, -2)
        .slice(batch.length - (r.shape.length - 2))
        .map((v, j) => (r.shape[j] === 1 ? 0 : v));
      return r.data[flatIndex(r.shape, [...lead, x, y])] as number;
    };
    let s = 0;
    for (let q = 0; q < k; q++) s += at(a, row, q) * at(b, q, col);
    return s;
  });
  const shape = full.filter(
    (_, i) => !(ra.shape.length === 1 && i === full.length - 2) && !(rb.shape.length === 1 && i === full.length - 1),
  );
  return reshaped(out, shape);
}

const matmul = op('matmul', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  // Random pool shapes rarely fit: half the time the right operand is made to fit the left.
  const a = x as Tensor;
  let b = y as Tensor;
  let rb = ry as Ref;
  let code = ny as string;
  if (d.oneIn(2) && a.ndim > 0) {
    const k = a.shape[a.ndim - 1] as number;
    const shape = d.oneIn(3) ? [k] : [...a.shape.slice(0, -2).slice(d.int(0, 1)), k, d.int(0, 2)];
    rb = make(shape, 'float32', (i) => (i % 5) - 2);
    b = core.tensor(Float32Array.from(rb.data), { shape });
    code = `tensor(${show(rb.data)}, { shape: ${show(shape)} })`;
  }
  return {
    code: `${nx}.matmul(${code})`,
    call: () => a.matmul(b),
    expected: matmulRef(rx as Ref, rb),
    compare: 'close',
  };
});

const outer = op('outer', 2, ([x, y], [rx, ry], _d, [nx, ny]) => {
  const [a, b] = [rx as Ref, ry as Ref];
  const ok = a.shape.length === 1 && b.shape.length === 1;
  const cols = b.shape[0] ?? 0;
  const shape = [a.shape[0] ?? 0, cols];
  const expected = ok
    ? make(
        shape,
        // outer is a product: integers stay integers (exact here: the fuzzer's
        // values are small), bools multiply as AND.
        promote(a.dtype, b.dtype),
        (i) => (a.data[Math.floor(i / cols)] as number) * (b.data[i % cols] as number),
      )
    : invalid('outer of non-vectors');
  return { code: `${nx}.outer(${ny})`, call: () => (x as Tensor).outer(y as Tensor), expected, compare: 'exact' };
});

export const shapeOps: Record<string, SeqOp> = {
  reshape,
  flatten,
  permute,
  transpose,
  T: matrixT,
  squeeze,
  unsqueeze,
  expand,
  slice,
  concat,
  stack,
  clone: identity('clone'),
  contiguous: identity('contiguous'),
  to,
  indexSelect,
  gather,
  matmul,
  outer,
  // The shape toolbox (flip, tril, diagonal, repeat, split, ...), in a file of its own.
  ...shapeToolboxSequenceOps,
};
