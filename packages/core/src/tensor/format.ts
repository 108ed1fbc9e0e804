/** Printing tensors: nested arrays and a PyTorch-like summary string. */
import type { Tensor } from './tensor';

/** The element at row-major position `index` of a tensor with any layout. */
export function elementAt(t: Tensor, index: number): number {
  let offset = t.offset;
  let rest = index;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const size = t.shape[d] as number;
    offset += (rest % size) * (t.strides[d] as number);
    rest = Math.floor(rest / size);
  }
  return t.storage.data[offset] as number;
}

/** Nested arrays of numbers, as `toArray()` returns them. */
export type Nested = number | Nested[];

export function toNested(t: Tensor): Nested {
  const build = (axis: number, start: number): Nested => {
    if (axis === t.ndim) return elementAt(t, start);
    const size = t.shape[axis] as number;
    let inner = 1;
    for (let d = axis + 1; d < t.ndim; d++) inner *= t.shape[d] as number;
    return Array.from({ length: size }, (_, i) => build(axis + 1, start + i * inner));
  };
  return build(0, 0);
}

const summarizeAbove = 1000;
const edgeItems = 3;

function formatNumber(v: number, integers: boolean, scientific: boolean): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (integers) return `${v}.`;
  return scientific ? v.toExponential(4) : v.toFixed(4);
}

/** `tensor([[1.0000, 2.0000], [3.0000, 4.0000]], dtype=float64, requiresGrad=true)`. */
export function formatTensor(t: Tensor): string {
  const size = t.size;
  const summarize = size > summarizeAbove;
  let integers = t.dtype !== 'float32' && t.dtype !== 'float64';
  let largest = 0;
  let smallest = Infinity;
  let allIntegers = true;
  for (let i = 0; i < size; i++) {
    const v = Math.abs(elementAt(t, i));
    if (!Number.isFinite(v)) continue;
    largest = Math.max(largest, v);
    if (v !== 0) smallest = Math.min(smallest, v);
    if (!Number.isInteger(v)) allIntegers = false;
  }
  const scientific = largest >= 1e8 || (smallest < 1e-4 && largest > 0);
  const asIntegers = integers;
  integers = integers || (allIntegers && largest < 1e8);
  const format = (v: number) => (asIntegers ? String(v) : formatNumber(v, integers, scientific));
  let width = 1;
  // Columns line up when every shown number has the width of the widest.
  const probe = size <= 2 * summarizeAbove ? range(0, size) : [...range(0, summarizeAbove), ...range(size - summarizeAbove, size)];
  for (const i of probe) width = Math.max(width, format(elementAt(t, i)).length);
  const pad = (s: string) => s.padStart(width);

  const render = (axis: number, start: number, indent: string): string => {
    if (axis === t.ndim) return pad(format(elementAt(t, start)));
    const n = t.shape[axis] as number;
    let inner = 1;
    for (let d = axis + 1; d < t.ndim; d++) inner *= t.shape[d] as number;
    const items: string[] = [];
    const shown = summarize && n > 2 * edgeItems ? [...range(0, edgeItems), -1, ...range(n - edgeItems, n)] : range(0, n);
    for (const i of shown) items.push(i === -1 ? '...' : render(axis + 1, start + i * inner, `${indent} `));
    const separator = axis === t.ndim - 1 ? ', ' : `,${'\n'.repeat(t.ndim - axis - 1)}${indent} `;
    return `[${items.join(separator)}]`;
  };

  const body = t.ndim === 0 ? format(elementAt(t, 0)) : render(0, 0, '       ');
  const extras: string[] = [];
  if (t.dtype !== 'float32') extras.push(`dtype=${t.dtype}`);
  if (size === 0) extras.push(`shape=[${t.shape.join(',')}]`);
  if (t.gradFn !== null) extras.push(`gradFn=${t.gradFn.name}`);
  else if (t.requiresGrad) extras.push('requiresGrad=true');
  return `tensor(${body}${extras.map((e) => `, ${e}`).join('')})`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
