/**
 * Reading anything number-like (Tensors, Values, numbers, nested arrays,
 * typed arrays) as a shape and a flat list of float64 values, and printing
 * numbers and tensors for people: what the matcher and the gradient reports
 * share.
 */
import { Tensor, Value, type Shape } from '../index';
import { describeValue, formatShape } from '../internal/index';

/** What `allClose` and `toBeAllClose` compare: a Tensor, a Value, a number, nested arrays or a typed array. */
export type Numeric =
  | Tensor
  | Value
  | number
  | readonly Numeric[]
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

/** A numeric thing flattened: its shape, its elements row-major in float64, and its dtype when it has one. */
export interface Flat {
  shape: Shape;
  values: Float64Array;
  dtype: string | undefined;
}

/** Flattens `x`, or returns a sentence saying why it cannot be read as numbers. */
export function flatten(x: unknown): Flat | string {
  if (x instanceof Tensor) return { shape: x._shape, values: Float64Array.from(x.data()), dtype: x.dtype };
  if (x instanceof Value) return { shape: [], values: Float64Array.of(x.data), dtype: undefined };
  if (typeof x === 'number') return { shape: [], values: Float64Array.of(x), dtype: undefined };
  if (x instanceof Float32Array) return { shape: [x.length], values: Float64Array.from(x), dtype: 'float32' };
  if (
    x instanceof Float64Array ||
    x instanceof Int32Array ||
    x instanceof Int16Array ||
    x instanceof Int8Array ||
    x instanceof Uint8Array ||
    x instanceof Uint8ClampedArray
  ) {
    return { shape: [x.length], values: Float64Array.from(x), dtype: undefined };
  }
  if (Array.isArray(x)) return flattenNested(x);
  return `expected a Tensor, a Value, a number, nested arrays of numbers or a typed array, got ${describeValue(x)}`;
}

function flattenNested(data: readonly unknown[]): Flat | string {
  const shape: number[] = [];
  let cursor: unknown = data;
  while (Array.isArray(cursor)) {
    shape.push(cursor.length);
    if (cursor.length === 0) break;
    cursor = cursor[0];
  }
  const values: number[] = [];
  const visit = (item: unknown, axis: number, path: string): string | null => {
    if (axis === shape.length) {
      if (typeof item === 'number') {
        values.push(item);
        return null;
      }
      return `element ${path} is ${describeValue(item)}, expected a number`;
    }
    if (!Array.isArray(item) || item.length !== shape[axis]) {
      return `the nested arrays are ragged at ${path === '' ? 'the top' : path}: expected length ${shape[axis]}`;
    }
    for (let i = 0; i < item.length; i++) {
      const problem = visit(item[i], axis + 1, `${path}[${i}]`);
      if (problem !== null) return problem;
    }
    return null;
  };
  const problem = visit(data, 0, '');
  return problem ?? { shape, values: Float64Array.from(values), dtype: undefined };
}

/** The multi-index of row-major position `flat` in `shape`. */
export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length).fill(0);
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const size = shape[d] as number;
    index[d] = rest % size;
    rest = Math.floor(rest / size);
  }
  return index;
}

/** A number with about 7 significant digits, which is what a person compares by eye. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const a = Math.abs(v);
  return a >= 1e6 || a < 1e-4 ? v.toExponential(6) : String(Number(v.toPrecision(7)));
}

/** Nested-array text of flat values, e.g. `[[1, 2], [3, 4]]`, eliding the middle of long axes. */
export function formatValues(
  values: ArrayLike<number>,
  shape: Shape,
  show: (v: number) => string = formatNumber,
  elide = true,
): string {
  const edge = 3;
  const render = (axis: number, start: number): string => {
    if (axis === shape.length) return show(values[start] as number);
    const n = shape[axis] as number;
    let inner = 1;
    for (let d = axis + 1; d < shape.length; d++) inner *= shape[d] as number;
    const picks =
      elide && n > 2 * edge + 1 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    return `[${picks.map((i) => (i === -1 ? '...' : render(axis + 1, start + i * inner))).join(', ')}]`;
  };
  return render(0, 0);
}

/**
 * Source code that rebuilds `t` exactly (shortest round-trip digits), e.g.
 * `tensor([[0.5, -2]], { dtype: 'float64' })`: what a failing property
 * prints, so the counterexample can be pasted into a regression test.
 */
export function tensorSource(t: Tensor): string {
  if (t.size === 0) return `zeros(${formatShape(t._shape)}, { dtype: '${t.dtype}' })`;
  const values = t.data();
  const body = t.ndim === 0 ? exact(values[0] as number) : formatValues(values, t._shape, exact, false);
  return `tensor(${body}, { dtype: '${t.dtype}' })`;
}

function exact(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return Object.is(v, -0) ? '-0' : String(v);
}
