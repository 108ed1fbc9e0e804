/**
 * The shape toolbox for the sequence fuzzer (sequence-shape-ops.ts spreads
 * these into its table), each with a reference written from the op's
 * definition by index arithmetic on row-major coordinates (reference.ts),
 * and arguments drawn valid and not. Ops that return several tensors are
 * planned as one of their parts, picked by the draw.
 */
import * as core from '../../src/index';
import type { DType, Tensor } from '../../src/index';
import {
  axisOf,
  broadcast,
  coords,
  flatIndex,
  invalid,
  make,
  maxRank,
  promote,
  readBroadcast,
  reshaped,
  sizeOf,
  validShape,
  exactSumOf,
  sumDTypeOf,
  type Ref,
  type RefResult,
} from './reference';
import type { Draw, Planned, SeqOp } from './sequence-ops';

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

function op(
  name: string,
  arity: number,
  plan: (xs: readonly Tensor[], refs: readonly Ref[], d: Draw, n: readonly string[]) => Planned,
): SeqOp {
  return { names: [name], arity, plan };
}

/** out[c] = x[source(c)] for every coordinate c of `shape` (a gather by coordinates). */
function moved(x: Ref, shape: number[], source: (c: number[]) => number[]): Ref {
  return make(shape, x.dtype, (i) => x.data[flatIndex(x.shape, source(coords(shape, i)))] as number);
}

/** Normalized distinct axes, or null when one is out of range or repeats (a 0-d tensor takes 0 and -1, acting on none). */
function distinct(axes: readonly number[], rank: number): number[] | null {
  const out = axes.map((a) => axisOf(a, rank));
  if (out.some((a) => a === null) || new Set(out).size !== out.length) return null;
  return rank === 0 ? [] : (out as number[]);
}

/** One of the parts a multi-result op returns, or (for none at all) their count as a float32 0-d tensor. */
function partOf(parts: RefResult[] | RefResult, k: number, call: () => Tensor[]): Pick<Planned, 'call' | 'expected'> {
  if (!Array.isArray(parts)) return { call, expected: parts };
  if (parts.length === 0) return { call: () => core.tensor(call().length), expected: make([], 'float32', () => 0) };
  const j = k % parts.length;
  return { call: () => call()[j] as Tensor, expected: parts[j] as Ref };
}

const flip = op('flip', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const axes = Array.from({ length: d.int(0, 2) }, () => d.axis(ref.shape.length));
  const list = distinct(axes, ref.shape.length);
  const shape = ref.shape.slice();
  return {
    code: `${n}.flip(${show(axes)})`,
    call: () => (x as Tensor).flip(axes),
    expected:
      list === null
        ? invalid(`flip axes ${show(axes)}`)
        : moved(ref, shape, (c) => c.map((v, a) => (list.includes(a) ? (shape[a] as number) - 1 - v : v))),
    compare: 'exact',
  };
});

const mod = (a: number, n: number) => ((a % n) + n) % n;

const roll = op('roll', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const count = d.int(1, 2);
  const shifts = Array.from({ length: count }, () => d.int(-4, 4));
  const form = d.int(0, 3);
  const axes = form === 0 ? undefined : Array.from({ length: form === 3 ? count + 1 : count }, () => d.axis(rank));
  let expected: RefResult;
  if (axes === undefined) {
    const total = ref.data.length;
    expected =
      count !== 1
        ? invalid('two shifts without axes')
        : make(
            ref.shape.slice(),
            ref.dtype,
            (i) => ref.data[total === 0 ? 0 : mod(i - (shifts[0] as number), total)] as number,
          );
  } else {
    const list = axes.map((a) => axisOf(a, rank));
    if (axes.length !== count || rank === 0 || list.some((a) => a === null))
      expected = invalid(`roll ${show(shifts)} ${show(axes)}`);
    else {
      // Shifts along one axis add up.
      const by = new Array<number>(rank).fill(0);
      list.forEach((a, i) => (by[a as number] = (by[a as number] as number) + (shifts[i] as number)));
      expected = moved(ref, ref.shape.slice(), (c) =>
        c.map((v, a) => mod(v - (by[a] as number), ref.shape[a] as number)),
      );
    }
  }
  return {
    code: `${n}.roll(${show(shifts)}, ${show(axes)})`,
    call: () => (x as Tensor).roll(shifts, axes),
    expected,
    compare: 'exact',
  };
});

function triangle(name: 'tril' | 'triu'): SeqOp {
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const k = d.int(-3, 3);
    const rank = ref.shape.length;
    const keep = (i: number, j: number) => (name === 'tril' ? j - i <= k : j - i >= k);
    return {
      code: `${n}.${name}(${k})`,
      call: () => (x as Tensor)[name](k),
      expected:
        rank < 2
          ? invalid(`${name} of rank ${rank}`)
          : make(ref.shape.slice(), ref.dtype, (i) => {
              const c = coords(ref.shape, i);
              return keep(c[rank - 2] as number, c[rank - 1] as number) ? (ref.data[i] as number) : 0;
            }),
      compare: 'exact',
    };
  });
}

/** The diagonal at offset k across axes a1 (rows) and a2 (columns), moved to the end. */
function diagonalRef(x: Ref, k: number, a1: number, a2: number): Ref {
  const n1 = x.shape[a1] as number;
  const n2 = x.shape[a2] as number;
  const length = Math.max(0, k >= 0 ? Math.min(n1, n2 - k) : Math.min(n1 + k, n2));
  const others = x.shape.map((_, i) => i).filter((i) => i !== a1 && i !== a2);
  const shape = [...others.map((i) => x.shape[i] as number), length];
  return moved(x, shape, (c) => {
    const src = new Array<number>(x.shape.length);
    others.forEach((axis, j) => (src[axis] = c[j] as number));
    const t = c[c.length - 1] as number;
    src[a1] = t + Math.max(-k, 0);
    src[a2] = t + Math.max(k, 0);
    return src;
  });
}

/** Matrices with x's last axis on diagonal k across output axes a1 and a2, zeros elsewhere. */
function embedRef(x: Ref, k: number, a1: number, a2: number): Ref {
  const rank = x.shape.length + 1;
  const m = (x.shape[rank - 2] as number) + Math.abs(k);
  const batch = x.shape.slice(0, -1);
  let b = 0;
  const shape = Array.from({ length: rank }, (_, i) => (i === a1 || i === a2 ? m : (batch[b++] as number)));
  return make(shape, x.dtype, (i) => {
    const c = coords(shape, i);
    const row = c[a1] as number;
    const col = c[a2] as number;
    if (col - row !== k) return 0;
    const rest = c.filter((_, j) => j !== a1 && j !== a2);
    return x.data[flatIndex(x.shape, [...rest, Math.min(row, col)])] as number;
  });
}

const diagonal = op('diagonal', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const options = { offset: d.int(-3, 3), axis1: d.axis(rank), axis2: d.axis(rank) };
  const [a1, a2] = [axisOf(options.axis1, rank), axisOf(options.axis2, rank)];
  return {
    code: `${n}.diagonal(${show(options)})`,
    call: () => (x as Tensor).diagonal(options),
    expected:
      rank < 2 || a1 === null || a2 === null || a1 === a2
        ? invalid(`diagonal ${show(options)} of rank ${rank}`)
        : diagonalRef(ref, options.offset, a1, a2),
    compare: 'exact',
  };
});

const diagEmbed = op('diagEmbed', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length + 1;
  const options = { offset: d.int(-2, 2), axis1: d.axis(rank), axis2: d.axis(rank) };
  const [a1, a2] = [axisOf(options.axis1, rank), axisOf(options.axis2, rank)];
  let expected: RefResult = invalid(`diagEmbed ${show(options)} of rank ${rank - 1}`);
  if (rank >= 2 && a1 !== null && a2 !== null && a1 !== a2) {
    const m = (ref.shape[rank - 2] as number) + Math.abs(options.offset);
    const size = sizeOf(ref.shape.slice(0, -1)) * m * m;
    expected = rank > maxRank || size >= 2 ** 31 ? invalid('too large') : embedRef(ref, options.offset, a1, a2);
  }
  return {
    code: `${n}.diagEmbed(${show(options)})`,
    call: () => (x as Tensor).diagEmbed(options),
    expected,
    compare: 'exact',
  };
});

const diag = op('diag', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const k = d.int(-2, 2);
  const rank = ref.shape.length;
  const expected =
    rank === 1 ? embedRef(ref, k, 0, 1) : rank === 2 ? diagonalRef(ref, k, 0, 1) : invalid(`diag of rank ${rank}`);
  return { code: `${n}.diag(${k})`, call: () => (x as Tensor).diag(k), expected, compare: 'exact' };
});

const trace = op('trace', 1, ([x], [r], _d, [n]) => {
  const ref = r as Ref;
  let expected: RefResult = invalid(`trace of rank ${ref.shape.length}`);
  if (ref.shape.length === 2) {
    const diag = diagonalRef(ref, 0, 0, 1);
    // The sum of ints and bools is int32 (wrapping), as sum's is.
    expected = make([], sumDTypeOf(ref.dtype), () => exactSumOf(ref.dtype, diag.data));
  }
  const compare = sumDTypeOf(ref.dtype) === 'int32' ? 'exact' : 'close';
  return { code: `${n}.trace()`, call: () => (x as Tensor).trace(), expected, compare };
});

/** The tiles of x repeated `reps` times (reps.length ≥ rank). */
function tiled(x: Ref, reps: readonly number[]): RefResult {
  const lead = reps.length - x.shape.length;
  const padded = [...new Array<number>(lead).fill(1), ...x.shape];
  const shape = padded.map((s, i) => s * (reps[i] as number));
  if (!validShape(shape)) return invalid(`repeat to ${show(shape)}`);
  return moved(x, shape, (c) => c.slice(lead).map((v, i) => v % (x.shape[i] as number)));
}

function repeating(name: 'repeat' | 'tile'): SeqOp {
  return op(name, 1, ([x], [r], d, [n]) => {
    const ref = r as Ref;
    const rank = ref.shape.length;
    const reps = Array.from({ length: Math.max(0, rank + d.int(-1, 1)) }, () => (d.oneIn(8) ? -1 : d.int(0, 2)));
    let expected: RefResult;
    if (reps.some((v) => v < 0)) expected = invalid(`negative reps ${show(reps)}`);
    else if (name === 'repeat' && reps.length < rank) expected = invalid(`repeat ${show(reps)} of rank ${rank}`);
    else expected = tiled(ref, reps.length < rank ? [...new Array<number>(rank - reps.length).fill(1), ...reps] : reps);
    return { code: `${n}.${name}(${show(reps)})`, call: () => (x as Tensor)[name](reps), expected, compare: 'exact' };
  });
}

const repeatInterleave = op('repeatInterleave', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.oneIn(3) ? undefined : d.axis(rank);
  const a = axis === undefined ? 0 : axisOf(axis, rank);
  const source = axis === undefined ? reshaped(ref, [ref.data.length]) : ref;
  const size = a === null || source.shape.length === 0 ? 1 : (source.shape[a] as number);
  const repeats: number | number[] = d.oneIn(2)
    ? d.int(-1, 3)
    : Array.from({ length: d.oneIn(4) ? 1 : d.oneIn(6) ? size + 1 : size }, () => d.int(0, 2));
  const counts =
    typeof repeats === 'number'
      ? new Array<number>(size).fill(repeats)
      : repeats.length === 1
        ? new Array<number>(size).fill(repeats[0] as number)
        : repeats;
  let expected: RefResult;
  if (a === null || (axis !== undefined && rank === 0)) expected = invalid(`axis ${show(axis)} of rank ${rank}`);
  else if (counts.some((c) => c < 0) || counts.length !== size)
    expected = invalid(`repeats ${show(repeats)} for size ${size}`);
  else {
    const picks = counts.flatMap((c, i) => new Array<number>(c).fill(i));
    const shape = source.shape.slice();
    shape[a] = picks.length;
    expected = moved(source, shape, (c) => c.map((v, i) => (i === a ? (picks[v] as number) : v)));
  }
  return {
    code: `${n}.repeatInterleave(${show(repeats)}, ${show(axis)})`,
    call: () => (x as Tensor).repeatInterleave(repeats, axis),
    expected,
    compare: 'exact',
  };
});

/** Consecutive slices of `sizes` along axis a. */
function partsRef(x: Ref, a: number, sizes: readonly number[]): Ref[] {
  let start = 0;
  return sizes.map((s) => {
    const shape = x.shape.slice();
    shape[a] = s;
    const from = start;
    start += s;
    return moved(x, shape, (c) => c.map((v, i) => (i === a ? v + from : v)));
  });
}

const evenSizes = (n: number, size: number) =>
  Array.from({ length: n === 0 ? 1 : Math.ceil(n / size) }, (_, i) => Math.min(size, n - i * size));

const split = op('split', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const size = a === null || rank === 0 ? 0 : (ref.shape[a] as number);
  const cut = d.int(0, size);
  const arg: number | number[] = d.oneIn(2) ? d.int(-1, 3) : d.oneIn(5) ? [cut, size] : [cut, size - cut];
  let parts: RefResult[] | RefResult;
  if (a === null || rank === 0) parts = invalid(`split axis ${axis} of rank ${rank}`);
  else if (typeof arg === 'number')
    parts =
      arg < 0 || (arg === 0 && size !== 0)
        ? invalid(`split size ${arg} of ${size}`)
        : partsRef(ref, a, evenSizes(size, arg));
  else
    parts =
      (arg[0] as number) + (arg[1] as number) !== size || arg.some((s) => s < 0)
        ? invalid(`sizes ${show(arg)} of ${size}`)
        : partsRef(ref, a, arg);
  const k = d.int(0, 3);
  return {
    code: `${n}.split(${show(arg)}, ${axis})[${k}]`,
    ...partOf(parts, k, () => (x as Tensor).split(arg, axis)),
    compare: 'exact',
  };
});

const chunk = op('chunk', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const chunks = d.int(0, 4);
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  let parts: RefResult[] | RefResult;
  if (a === null || rank === 0 || chunks === 0) parts = invalid(`chunk ${chunks} along ${axis} of rank ${rank}`);
  else {
    const size = ref.shape[a] as number;
    parts = partsRef(
      ref,
      a,
      size === 0 ? new Array<number>(chunks).fill(0) : evenSizes(size, Math.ceil(size / chunks)),
    );
  }
  const k = d.int(0, 3);
  return {
    code: `${n}.chunk(${chunks}, ${axis})[${k}]`,
    ...partOf(parts, k, () => (x as Tensor).chunk(chunks, axis)),
    compare: 'exact',
  };
});

const unbind = op('unbind', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  let parts: RefResult[] | RefResult = invalid(`unbind ${axis} of rank ${rank}`);
  if (a !== null && rank > 0) {
    parts = partsRef(ref, a, new Array<number>(ref.shape[a] as number).fill(1)).map((p) =>
      reshaped(
        p,
        p.shape.filter((_, i) => i !== a),
      ),
    );
  }
  const k = d.int(0, 3);
  return {
    code: `${n}.unbind(${axis})[${k}]`,
    ...partOf(parts, k, () => (x as Tensor).unbind(axis)),
    compare: 'exact',
  };
});

/** x with its axes in `order` (output axis i is input axis order[i]). */
function permutedRef(x: Ref, order: readonly number[]): Ref {
  return moved(
    x,
    order.map((a) => x.shape[a] as number),
    (c) => {
      const src = new Array<number>(order.length);
      order.forEach((a, i) => (src[a] = c[i] as number));
      return src;
    },
  );
}

const movedim = op('movedim', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const count = d.int(1, 2);
  const source = Array.from({ length: count }, () => d.axis(rank));
  const destination = Array.from({ length: d.oneIn(6) ? 3 - count : count }, () => d.axis(rank));
  const [from, to] = [distinct(source, rank), distinct(destination, rank)];
  let expected: RefResult = invalid(`movedim ${show(source)} ${show(destination)}`);
  if (from !== null && to !== null && source.length === destination.length) {
    const order = new Array<number>(rank).fill(-1);
    from.forEach((a, i) => (order[to[i] as number] = a));
    const rest = ref.shape.map((_, i) => i).filter((i) => !from.includes(i));
    expected = permutedRef(
      ref,
      order.map((v) => (v === -1 ? (rest.shift() as number) : v)),
    );
  }
  return {
    code: `${n}.movedim(${show(source)}, ${show(destination)})`,
    call: () => (x as Tensor).movedim(source, destination),
    expected,
    compare: 'exact',
  };
});

const swapaxes = op('swapaxes', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const [p, q] = [d.axis(rank), d.axis(rank)];
  const [a, b] = [axisOf(p, rank), axisOf(q, rank)];
  const expected =
    a === null || b === null
      ? invalid(`axes ${p}, ${q}`)
      : permutedRef(
          ref,
          ref.shape.map((_, i) => (i === a ? b : i === b ? a : i)),
        );
  return { code: `${n}.swapaxes(${p}, ${q})`, call: () => (x as Tensor).swapaxes(p, q), expected, compare: 'exact' };
});

const unflatten = op('unflatten', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const rank = ref.shape.length;
  const axis = d.axis(rank);
  const a = axisOf(axis, rank);
  const size = a === null || rank === 0 ? 1 : (ref.shape[a] as number);
  const form = d.int(0, 4);
  const sizes = form === 0 ? [1, size] : form === 1 ? [-1, 1] : form === 2 ? [size, -1] : form === 3 ? [] : [2, -1];
  let expected: RefResult = invalid(`unflatten ${axis} into ${show(sizes)} of rank ${rank}`);
  if (a !== null && rank > 0 && sizes.length > 0) {
    const known = sizes.filter((s) => s !== -1).reduce((p, s) => p * s, 1);
    const inferred = sizes.includes(-1);
    const ok = inferred ? known !== 0 && size % known === 0 : known === size;
    const resolved = sizes.map((s) => (s === -1 ? size / known : s));
    const shape = [...ref.shape.slice(0, a), ...resolved, ...ref.shape.slice(a + 1)];
    if (ok && shape.length <= maxRank) expected = reshaped(ref, shape);
  }
  return {
    code: `${n}.unflatten(${axis}, ${show(sizes)})`,
    call: () => (x as Tensor).unflatten(axis, sizes),
    expected,
    compare: 'exact',
  };
});

const broadcastTo = op('broadcastTo', 1, ([x], [r], d, [n]) => {
  const ref = r as Ref;
  const lead = Array.from({ length: d.int(0, 1) }, () => d.int(-1, 3));
  const own = ref.shape.map((s) => (d.oneIn(3) ? -1 : s === 1 ? d.int(0, 3) : d.oneIn(5) ? s + 1 : s));
  const shape = [...lead, ...own];
  const target = shape.map((s, i) => (s === -1 && i >= lead.length ? (ref.shape[i - lead.length] as number) : s));
  const fits = target.every(
    (s, i) => i < lead.length || ref.shape[i - lead.length] === 1 || ref.shape[i - lead.length] === s,
  );
  return {
    code: `${n}.broadcastTo(${show(shape)})`,
    call: () => (x as Tensor).broadcastTo(shape),
    expected:
      validShape(target) && fits
        ? make(target, ref.dtype, (i) => readBroadcast(ref, target, i))
        : invalid(`broadcastTo ${show(shape)}`),
    compare: 'exact',
  };
});

const broadcastTensors = op('broadcastTensors', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  const [a, b] = [rx as Ref, ry as Ref];
  const shape = broadcast(a.shape, b.shape);
  const parts =
    shape === null
      ? invalid('shapes do not broadcast')
      : [a, b].map((r) => make(shape, r.dtype, (i) => readBroadcast(r, shape, i)));
  const k = d.int(0, 1);
  return {
    code: `core.broadcastTensors(${nx}, ${ny})[${k}]`,
    ...partOf(parts, k, () => core.broadcastTensors(x as Tensor, y as Tensor)),
    compare: 'exact',
  };
});

const meshgrid = op('meshgrid', 2, ([x, y], [rx, ry], d, [nx, ny]) => {
  const [a, b] = [rx as Ref, ry as Ref];
  const indexing = d.pick(['ij', 'xy'] as const);
  let parts: RefResult[] | RefResult = invalid('meshgrid of tensors of rank > 1 or of two dtypes');
  if (a.shape.length <= 1 && b.shape.length <= 1 && a.dtype === b.dtype) {
    const [m, k] = [a.data.length, b.data.length];
    // 'xy' swaps the first two output axes: [k, m] instead of [m, k].
    const shape = indexing === 'ij' ? [m, k] : [k, m];
    const along = (r: Ref, axis: number) =>
      make(shape, r.dtype, (i) => r.data[coords(shape, i)[axis] as number] as number);
    parts = indexing === 'ij' ? [along(a, 0), along(b, 1)] : [along(a, 1), along(b, 0)];
  }
  const k = d.int(0, 1);
  return {
    code: `core.meshgrid(${nx}, ${ny}, { indexing: '${indexing}' })[${k}]`,
    ...partOf(parts, k, () => core.meshgrid(x as Tensor, y as Tensor, { indexing })),
    compare: 'exact',
  };
});

/** NumPy's atleast_nd: [] → [1,..], [n] → [1, n] (and [1, n, 1]), [m, n] → [m, n, 1]. */
function atLeastShape(shape: readonly number[], rank: number): number[] {
  if (shape.length >= rank) return shape.slice();
  if (shape.length === 0) return new Array<number>(rank).fill(1);
  if (shape.length === 1) return rank === 2 ? [1, ...shape] : [1, ...shape, 1];
  return [...shape, 1];
}

function atleast(rank: 1 | 2 | 3): SeqOp {
  const name = `atleast${rank}d` as const;
  return op(name, 1, ([x], [r], _d, [n]) => ({
    code: `core.${name}(${n})`,
    call: () => core[name](x as Tensor),
    expected: reshaped(r as Ref, atLeastShape((r as Ref).shape, rank)),
    compare: 'exact',
  }));
}

/** concat's reference: all dimensions but `axis` equal; the dtype theirs if they agree, else promoted. */
function joinedRef(refs: readonly Ref[], axis: number): RefResult {
  const first = refs[0] as Ref;
  if (
    refs.some(
      (r) => r.shape.length !== first.shape.length || r.shape.some((s, i) => i !== axis && s !== first.shape[i]),
    )
  )
    return invalid('shapes do not join');
  const shape = first.shape.slice();
  shape[axis] = refs.reduce((s, r) => s + (r.shape[axis] as number), 0);
  const dtype: DType = refs.every((r) => r.dtype === first.dtype)
    ? first.dtype
    : refs.reduce<DType>((t, r) => promote(t, r.dtype), 'float32');
  return make(shape, dtype, (i) => {
    const c = coords(shape, i);
    let k = c[axis] as number;
    for (const r of refs) {
      const n = r.shape[axis] as number;
      if (k < n)
        return r.data[
          flatIndex(
            r.shape,
            c.map((v, j) => (j === axis ? k : v)),
          )
        ] as number;
      k -= n;
    }
    throw new Error('unreachable');
  });
}

function stacking(name: 'hstack' | 'vstack' | 'dstack', rank: 1 | 2 | 3, axisOf: (first: Ref) => number): SeqOp {
  return op(name, 2, ([x, y], [rx, ry], _d, [nx, ny]) => {
    const refs = [rx as Ref, ry as Ref].map((r) => reshaped(r, atLeastShape(r.shape, rank)));
    return {
      code: `core.${name}([${nx}, ${ny}])`,
      call: () => core[name]([x as Tensor, y as Tensor]),
      expected: joinedRef(refs, axisOf(refs[0] as Ref)),
      compare: 'exact',
    };
  });
}

/** The toolbox's ops, by name (sequence-shape-ops.ts adds them to its table). */
export const shapeToolboxSequenceOps: Record<string, SeqOp> = {
  flip,
  roll,
  tril: triangle('tril'),
  triu: triangle('triu'),
  diagonal,
  diagEmbed,
  diag,
  trace,
  repeat: repeating('repeat'),
  tile: repeating('tile'),
  repeatInterleave,
  split,
  chunk,
  unbind,
  movedim,
  swapaxes,
  unflatten,
  broadcastTo,
  broadcastTensors,
  meshgrid,
  atleast1d: atleast(1),
  atleast2d: atleast(2),
  atleast3d: atleast(3),
  hstack: stacking('hstack', 1, (first) => (first.shape.length === 1 ? 0 : 1)),
  vstack: stacking('vstack', 2, () => 0),
  dstack: stacking('dstack', 3, () => 2),
};
