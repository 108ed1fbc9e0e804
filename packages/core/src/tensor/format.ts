/**
 * Printing tensors: nested arrays, and the text `toString()` and Node's
 * `console.log` show, which is PyTorch 1.13's `repr` (torch/_tensor_str.py)
 * rule for rule: the same choice of fixed or scientific notation, the same
 * common width, the same summary of more than 1000 elements, the same line
 * breaks at 80 columns. Only the suffixes are ours: `dtype=float64` for
 * `dtype=torch.float64`, `requiresGrad=true`, `gradFn=<mul>` for
 * `grad_fn=<MulBackward0>`, and a dtype is named whenever it is not float32
 * (PyTorch leaves out int64 and bool, its defaults).
 *
 * The printer reads elements through the strides and only those it prints,
 * so a summary of a 2³¹-element broadcast view costs microseconds.
 */
import type { Tensor } from './tensor';
import { isInteger } from './dtype';

/** The element at row-major position `index` of a tensor with any layout. */
export function elementAt(t: Tensor, index: number): number {
  let offset = t.offset;
  let rest = index;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const size = t._shape[d] as number;
    offset += (rest % size) * (t._strides[d] as number);
    rest = Math.floor(rest / size);
  }
  return t.storage.data[offset] as number;
}

/** Nested arrays of numbers, as `toArray()` returns them. */
export type Nested = number | Nested[];

export function toNested(t: Tensor): Nested {
  const build = (axis: number, start: number): Nested => {
    if (axis === t.ndim) return elementAt(t, start);
    const size = t._shape[axis] as number;
    let inner = 1;
    for (let d = axis + 1; d < t.ndim; d++) inner *= t._shape[d] as number;
    return Array.from({ length: size }, (_, i) => build(axis + 1, start + i * inner));
  };
  return build(0, 0);
}

// PyTorch's default print options.
const threshold = 1000;
const edgeItems = 3;
const lineWidth = 80;
const precision = 4;
/** Stands for the rows or elements a summary leaves out. */
const SKIP = -1;

/** `tensor([[1., 2.],\n        [3., 4.]], dtype=float64, requiresGrad=true)`: see the header. */
export function formatTensor(t: Tensor): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  let body: string;
  if (t.size === 0) {
    // NumPy's rule: the shape is shown unless it is (0,), which `[]` already says.
    if (t.ndim !== 1) suffixes.push(`size=(${t._shape.join(', ')})`);
    body = '[]';
  } else {
    const summarize = t.size > threshold;
    const format = formatterFor(t.dtype, printedElements(t, summarize));
    body = render(t, summarize, format, indent);
  }
  if (t.dtype !== 'float32') suffixes.push(`dtype=${t.dtype}`);
  if (t.gradFn !== null) suffixes.push(`gradFn=<${t.gradFn.name}>`);
  else if (t.requiresGrad) suffixes.push('requiresGrad=true');
  return addSuffixes(prefix + body, suffixes, indent);
}

/** The indices of one axis that are printed, SKIP where the summary's `...` goes. */
function shownIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * edgeItems) return range(0, n);
  return [...range(0, edgeItems), SKIP, ...range(n - edgeItems, n)];
}

/** Calls `visit` with the storage offset of every printed element, in row-major order. */
function forEachPrinted(t: Tensor, summarize: boolean, visit: (offset: number) => void): void {
  const shown = t._shape.map((n) => shownIndices(n, summarize));
  const walk = (axis: number, offset: number): void => {
    if (axis === t.ndim) {
      visit(offset);
      return;
    }
    const stride = t._strides[axis] as number;
    for (const i of shown[axis] as number[]) if (i !== SKIP) walk(axis + 1, offset + i * stride);
  };
  walk(0, t.offset);
}

/** The elements the formatter sizes its columns from: those printed (PyTorch's get_summarized_data). */
function printedElements(t: Tensor, summarize: boolean): number[] {
  const values: number[] = [];
  forEachPrinted(t, summarize, (offset) => values.push(t.storage.data[offset] as number));
  return values;
}

function render(t: Tensor, summarize: boolean, { width, format }: Formatter, indent: number): string {
  const data = t.storage.data;
  if (t.ndim === 0) return format(data[t.offset] as number);
  const shownPerAxis = t._shape.map((n) => shownIndices(n, summarize));
  const walk = (axis: number, offset: number, indent: number): string => {
    const stride = t._strides[axis] as number;
    const shown = shownPerAxis[axis] as number[];
    if (axis === t.ndim - 1) {
      const items = shown.map((i) => (i === SKIP ? ' ...' : format(data[offset + i * stride] as number)));
      return `[${wrapLines(items, width, indent)}]`;
    }
    const rows = shown.map((i) => (i === SKIP ? '...' : walk(axis + 1, offset + i * stride, indent + 1)));
    return `[${rows.join(`,${'\n'.repeat(t.ndim - axis - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return walk(0, t.offset, indent);
}

/**
 * Joins a row's items with `, `, as many per line as items of the common
 * width fit in 80 columns (a `nan` may be wider: PyTorch counts the width).
 */
function wrapLines(items: readonly string[], width: number, indent: number): string {
  const perLine = Math.max(1, Math.floor((lineWidth - indent) / (width + 2)));
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return lines.join(`,\n${' '.repeat(indent + 1)}`);
}

/** PyTorch's `_add_suffixes`, its arithmetic kept exactly so that the lines break where PyTorch's do. */
function addSuffixes(text: string, suffixes: readonly string[], indent: number): string {
  let out = text;
  // NOTE: PyTorch's own count, one more than the last line's length (two more without a newline).
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLine + suffix.length + 2 > lineWidth) {
      out += `,\n${' '.repeat(indent)}${suffix}`;
      lastLine = indent + suffix.length;
    } else {
      out += `, ${suffix}`;
      lastLine += suffix.length + 2;
    }
  }
  return `${out})`;
}

/** PyTorch's `_Formatter`: prints any element at the common width. */
interface Formatter {
  /** The common width, chosen from the elements that will be printed. */
  readonly width: number;
  readonly format: (v: number) => string;
}

function formatterFor(dtype: Tensor['dtype'], values: readonly number[]): Formatter {
  if (dtype === 'bool') return padded(values.map(boolText), boolText);
  if (isInteger(dtype)) return padded(values.map(String), String);
  // Zeros and non-finite values print as they are and do not count towards the width.
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  if (finite.length === 0) return { width: 1, format: wholeNumber };
  // A loop, not Math.max(...): a summary of a rank-8 tensor prints 6⁸ elements, too many arguments for a call.
  let largest = 0;
  let smallest = Infinity;
  for (const v of finite) {
    largest = Math.max(largest, Math.abs(v));
    smallest = Math.min(smallest, Math.abs(v));
  }
  const wide = largest / smallest > 1000 || largest > 1e8;
  if (finite.every((v) => v === Math.ceil(v))) {
    // Whole numbers print with a trailing dot, which the width counts.
    if (!wide) return padded(finite.map(wholeNumber), wholeNumber);
    return padded(finite.map(scientific), scientific);
  }
  if (wide || smallest < 1e-4) return padded(finite.map(scientific), scientific);
  const decimals = (v: number) => fixed(v, precision);
  return padded(finite.map(decimals), decimals);
}

/** Pads each printed element to the width of the widest of `sized` (at least 1). */
function padded(sized: readonly string[], print: (v: number) => string): Formatter {
  const width = sized.reduce((w, s) => Math.max(w, s.length), 1);
  return { width, format: (v) => print(v).padStart(width) };
}

function boolText(v: number): string {
  return v !== 0 ? 'True' : 'False';
}

function wholeNumber(v: number): string {
  return Number.isFinite(v) ? `${fixed(v, 0)}.` : nonFinite(v);
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

/** Python's `'{:.Nf}'.format(v)`. */
function fixed(v: number, digits: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  // toFixed drops the sign of -0; Python keeps it.
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const magnitude = Math.abs(v);
  const text = magnitude.toFixed(digits);
  return sign + (isTie(magnitude, digits) ? toEven(text) : text);
}

/** Python's `'{:.4e}'.format(v)`: a two-digit exponent at least, `1.0000e-06`. */
function scientific(v: number): string {
  if (!Number.isFinite(v)) return nonFinite(v);
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  const magnitude = Math.abs(v);
  const [mantissa = '', exponent = '0'] = magnitude.toExponential(precision).split('e');
  const e = Number(exponent);
  const digits = isTie(magnitude, precision - e) ? toEven(mantissa) : mantissa;
  return `${sign}${digits}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
}

/**
 * Whether x·10^d lies exactly halfway between two integers. JavaScript then
 * rounds up and Python to even (1.03125 prints as 1.0312 in PyTorch).
 */
function isTie(x: number, d: number): boolean {
  if (x === 0) return false;
  if (d >= 0) {
    // x·10^d·2 = x·2^(d+1)·5^d is an odd integer exactly when x·2^(d+1) is: x is a binary fraction.
    const scaled = x * 2 ** (d + 1);
    return Number.isInteger(scaled) && scaled % 2 === 1;
  }
  const twice = x * 2;
  if (!Number.isInteger(twice)) return false;
  const power = 10n ** BigInt(-d);
  const big = BigInt(twice);
  return big % power === 0n && (big / power) % 2n === 1n;
}

/**
 * Turns JavaScript's round-half-up into round-half-to-even. After rounding a
 * tie up, an odd last digit means the even neighbour is one below it (and
 * with no carry to undo, since a carry leaves a 0).
 */
function toEven(text: string): string {
  const last = Number(text[text.length - 1]);
  return last % 2 === 1 ? text.slice(0, -1) + String(last - 1) : text;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
