/**
 * The index-list reference of the sequence fuzzer: PyTorch's rules for
 * `x[entries]` (NumPy's for negative slice steps), written from their
 * definitions on an array of source positions, sharing nothing with
 * chainrule's code. Each entry is applied in turn (a select, a slice, a new
 * axis); the advanced entries are then read coordinate by coordinate. Also
 * the drawing of random index lists, fitting or not.
 */
import * as core from '../../src/index';
import type { IndexItem } from '../../src/index';
import { broadcast, coords, flatIndex, invalid, make, readBroadcast, sizeOf } from './reference';
import type { Draw } from './sequence-ops';

const show = (x: unknown): string => (x === undefined ? 'undefined' : JSON.stringify(x));

/** An index entry as the fuzzer draws it: what chainrule is given, its code, and what the reference reads. */
export type Entry =
  | { kind: 'int'; value: number }
  | { kind: 'slice'; start: number | undefined; stop: number | undefined; step: number | undefined }
  | { kind: 'new' }
  | { kind: 'ellipsis' }
  | { kind: 'ints'; values: number[]; tensor: boolean }
  | { kind: 'mask'; values: boolean[]; tensor: boolean }
  | { kind: 'bool0'; value: boolean };

export function itemOf(e: Entry): IndexItem {
  switch (e.kind) {
    case 'int':
      return e.value;
    case 'slice':
      return { start: e.start, stop: e.stop, step: e.step };
    case 'new':
      return null;
    case 'ellipsis':
      return core.Ellipsis;
    case 'ints':
      return e.tensor ? core.tensor(Int32Array.from(e.values)) : e.values;
    case 'mask':
      return e.tensor ? core.tensor(Uint8Array.from(e.values, Number), { dtype: 'bool' }) : e.values;
    case 'bool0':
      return core.tensor(e.value);
  }
}

export function codeOf(e: Entry): string {
  switch (e.kind) {
    case 'int':
      return String(e.value);
    case 'slice':
      return `{ start: ${show(e.start)}, stop: ${show(e.stop)}, step: ${show(e.step)} }`;
    case 'new':
      return 'null';
    case 'ellipsis':
      return "'...'";
    case 'ints':
      return e.tensor ? `tensor(new Int32Array(${show(e.values)}))` : show(e.values);
    case 'mask':
      return e.tensor ? `tensor(new Uint8Array(${show(e.values.map(Number))}), { dtype: 'bool' })` : show(e.values);
    case 'bool0':
      return `tensor(${e.value})`;
  }
}

/**
 * Two index arrays with a slice, null or the ellipsis between them, after
 * 0-1 slices: the case where the advanced axes move to the front.
 */
function drawSeparated(d: Draw, shape: readonly number[]): Entry[] {
  const entries: Entry[] = [];
  const length = d.int(1, 3);
  const ints = (size: number): Entry => ({
    kind: 'ints',
    values: Array.from({ length }, () => d.int(-size, Math.max(size - 1, -size))),
    tensor: d.oneIn(2),
  });
  const lead = d.int(0, 1);
  for (let k = 0; k < lead; k++) entries.push({ kind: 'slice', start: undefined, stop: undefined, step: undefined });
  entries.push(ints(shape[lead] ?? 1));
  const separator = d.pick<Entry>([
    { kind: 'slice', start: d.int(-2, 2), stop: undefined, step: undefined },
    { kind: 'new' },
    { kind: 'ellipsis' },
  ]);
  entries.push(separator, ints(shape[shape.length - 1] ?? 1));
  return entries;
}

/** A random index list for a tensor of `shape`: mostly fitting, sometimes not. */
export function drawEntries(d: Draw, shape: readonly number[]): Entry[] {
  if (d.oneIn(3)) return drawSeparated(d, shape);
  const entries: Entry[] = [];
  const count = d.int(0, shape.length + 1);
  const length = d.int(0, 3);
  let axis = 0;
  for (let k = 0; k < count; k++) {
    const size = shape[axis] ?? 1;
    const kind = d.int(0, 9);
    if (kind <= 1)
      entries.push({
        kind: 'int',
        value: d.oneIn(6) ? d.pick([-size - 1, size]) : d.int(-size, Math.max(size - 1, -size)),
      });
    else if (kind <= 3) {
      const bound = () => (d.oneIn(3) ? undefined : d.int(-4, 4));
      entries.push({
        kind: 'slice',
        start: bound(),
        stop: bound(),
        step: d.oneIn(8) ? 0 : d.pick([1, 2, -1, -2, undefined]),
      });
    } else if (kind === 4) {
      entries.push({ kind: 'new' });
      continue;
    } else if (kind === 5) {
      entries.push({ kind: 'ellipsis' });
      continue;
    } else if (kind <= 7) {
      const values = Array.from({ length: d.oneIn(6) ? length + 1 : length }, () =>
        d.oneIn(8) ? size : d.int(-size, Math.max(size - 1, -size)),
      );
      entries.push({ kind: 'ints', values, tensor: d.oneIn(2) });
    } else if (kind === 8) {
      const n = d.oneIn(6) ? size + 1 : size;
      const tensor = d.oneIn(2);
      // An empty array holds no booleans: it is an empty integer index, in PyTorch too.
      if (n === 0 && !tensor) entries.push({ kind: 'ints', values: [], tensor: false });
      else entries.push({ kind: 'mask', values: Array.from({ length: n }, () => d.oneIn(2)), tensor });
    } else {
      entries.push({ kind: 'bool0', value: d.oneIn(2) });
      continue;
    }
    axis++;
  }
  return entries;
}

/** Working array of the index reference: a shape and, per element, its row-major position in the indexed tensor. */
export interface Positions {
  shape: number[];
  at: number[];
}

/** A new working array of `shape`: element c is w's element at `pick(c)`. */
function along(w: Positions, shape: number[], pick: (c: number[]) => number[]): Positions {
  const at = Array.from(
    { length: sizeOf(shape) },
    (_, i) => w.at[flatIndex(w.shape, pick(coords(shape, i)))] as number,
  );
  return { shape, at };
}

export const selectAxis = (w: Positions, dim: number, i: number): Positions =>
  along(
    w,
    w.shape.filter((_, j) => j !== dim),
    (c) => [...c.slice(0, dim), i, ...c.slice(dim)],
  );

export const sliceAxis = (w: Positions, dim: number, picks: readonly number[]): Positions =>
  along(
    w,
    w.shape.map((d, j) => (j === dim ? picks.length : d)),
    (c) => c.map((v, j) => (j === dim ? (picks[v] as number) : v)),
  );

const newAxis = (w: Positions, dim: number): Positions => ({
  shape: [...w.shape.slice(0, dim), 1, ...w.shape.slice(dim)],
  at: w.at,
});

/** Python's slice of a sequence of length n (slice.indices, then range): the positions it takes. */
function slicePositions(n: number, start: number | undefined, stop: number | undefined, step: number): number[] {
  const [lower, upper] = step > 0 ? [0, n] : [-1, n - 1];
  const adjust = (v: number | undefined, fallback: number) =>
    v === undefined ? fallback : v < 0 ? Math.max(v + n, lower) : Math.min(v, upper);
  const from = adjust(start, step > 0 ? lower : upper);
  const to = adjust(stop, step > 0 ? upper : lower);
  const out: number[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) out.push(i);
  return out;
}

interface Advanced {
  dim: number;
  shape: number[];
  values: number[];
}

/** For each element of x[entries], its position in x (PyTorch's rules), or why PyTorch refuses the list. */
export function indexRef(shape: readonly number[], entries: readonly Entry[]): Positions | { invalid: string } {
  if (entries.filter((e) => e.kind === 'ellipsis').length > 1) return invalid('two ellipses');
  const consumed = entries.reduce(
    (n, e) => n + (e.kind === 'int' || e.kind === 'slice' || e.kind === 'ints' ? 1 : e.kind === 'mask' ? 1 : 0),
    0,
  );
  if (consumed > shape.length) return invalid(`${consumed} indices for rank ${shape.length}`);
  let w: Positions = { shape: shape.slice(), at: Array.from({ length: sizeOf(shape) }, (_, i) => i) };
  const advanced: Advanced[] = [];
  let dim = 0;
  const listed = entries.some((e) => e.kind === 'ellipsis') ? entries : [...entries, { kind: 'ellipsis' } as Entry];
  for (const e of listed) {
    const size = w.shape[dim] as number;
    if (e.kind === 'int') {
      if (e.value < -size || e.value >= size) return invalid(`index ${e.value} for size ${size}`);
      w = selectAxis(w, dim, e.value < 0 ? e.value + size : e.value);
    } else if (e.kind === 'slice') {
      if (e.step === 0) return invalid('step 0');
      w = sliceAxis(w, dim++, slicePositions(size, e.start, e.stop, e.step ?? 1));
    } else if (e.kind === 'new') {
      w = newAxis(w, dim++);
    } else if (e.kind === 'ellipsis') {
      dim += shape.length - consumed;
    } else if (e.kind === 'ints') {
      if (e.values.some((v) => v < -size || v >= size)) return invalid(`indices ${show(e.values)} for size ${size}`);
      advanced.push({ dim: dim++, shape: [e.values.length], values: e.values.map((v) => (v < 0 ? v + size : v)) });
    } else if (e.kind === 'mask') {
      if (e.values.length !== size) return invalid(`mask of ${e.values.length} for size ${size}`);
      const hits = e.values.flatMap((b, i) => (b ? [i] : []));
      advanced.push({ dim: dim++, shape: [hits.length], values: hits });
    } else {
      w = newAxis(w, dim);
      advanced.push({ dim: dim++, shape: [e.value ? 1 : 0], values: e.value ? [0] : [] });
    }
  }
  return advanced.length === 0 ? w : gatherAdvanced(w, advanced);
}

/** The advanced entries read coordinate by coordinate: B in place when adjacent, else first. */
function gatherAdvanced(w: Positions, advanced: Advanced[]): Positions | { invalid: string } {
  let b: number[] | null = [];
  for (const a of advanced) b = b === null ? null : broadcast(b, a.shape);
  if (b === null) return invalid('index shapes do not broadcast');
  const B = b;
  const dims = advanced.map((a) => a.dim);
  const adjacent = dims.every((v, i) => i === 0 || v === (dims[i - 1] as number) + 1);
  const restDims = w.shape.map((_, j) => j).filter((j) => !dims.includes(j));
  const first = dims[0] as number;
  const before = adjacent ? restDims.filter((j) => j < first).length : 0;
  const shape = [
    ...restDims.slice(0, before).map((j) => w.shape[j] as number),
    ...B,
    ...restDims.slice(before).map((j) => w.shape[j] as number),
  ];
  const at = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const c = coords(shape, i);
    const bc = c.slice(before, before + B.length);
    const rest = [...c.slice(0, before), ...c.slice(before + B.length)];
    const src = new Array<number>(w.shape.length);
    restDims.forEach((j, k) => (src[j] = rest[k] as number));
    advanced.forEach((a) => {
      const read = make(a.shape, 'float64', (k) => a.values[k] as number);
      src[a.dim] = readBroadcast(read, B, flatIndex(B, bc));
    });
    return w.at[flatIndex(w.shape, src)] as number;
  });
  return { shape, at };
}
