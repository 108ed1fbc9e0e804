/**
 * Numeric closeness, elementwise: |actual - expected| ≤ atol + rtol·|expected|
 * (the rule of numpy.isclose and torch.allclose). `allClose` is the plain
 * function; `chainruleMatchers.toBeAllClose` is the same check shaped as a
 * matcher for `expect.extend` (vitest or Jest), without importing either.
 */
import { flatten, formatNumber, formatValues, unravel, type Flat, type Numeric } from './numbers';
import { formatShape } from '../internal/index';

/** Tolerances of {@link allClose}. */
export interface AllCloseOptions {
  /** Relative tolerance (default 1.3e-6 if either side is float32, else 1e-7, as torch.testing). */
  rtol?: number;
  /** Absolute tolerance (default 1e-5 if either side is float32, else 1e-7). */
  atol?: number;
  /** Count NaN as equal to NaN (default false). */
  equalNaN?: boolean;
}

/** The outcome of {@link allClose}. */
export interface AllCloseResult {
  pass: boolean;
  /** Why it failed, or (when it passed) what a negated assertion would report. */
  message: string;
  /** How many elements are outside the tolerance (0 when the shapes differ). */
  mismatches: number;
}

/**
 * Compares `actual` with `expected` element by element. Shapes must be equal,
 * except that a plain number `expected` is compared with every element.
 *
 * @example
 * allClose(tensor([0.1 + 0.2]), [0.3]).pass; // true
 */
export function allClose(actual: Numeric, expected: Numeric, options: AllCloseOptions = {}): AllCloseResult {
  return closeness(actual, expected, options);
}

/** {@link allClose} for values of unchecked type (what a matcher receives). */
function closeness(actual: unknown, expected: unknown, options: AllCloseOptions): AllCloseResult {
  const a = flatten(actual);
  const e = flatten(expected);
  if (typeof a === 'string') return refuse(`the actual value cannot be compared: ${a}`);
  if (typeof e === 'string') return refuse(`the expected value cannot be compared: ${e}`);
  const problem = checkOptions(options);
  if (problem !== null) return refuse(problem);
  const scalarExpected = typeof expected === 'number';
  if (!scalarExpected && formatShape(a.shape) !== formatShape(e.shape)) {
    return refuse(`shapes differ: actual ${formatShape(a.shape)}, expected ${formatShape(e.shape)}`);
  }
  const float32 = a.dtype === 'float32' || e.dtype === 'float32';
  const rtol = options.rtol ?? (float32 ? 1.3e-6 : 1e-7);
  const atol = options.atol ?? (float32 ? 1e-5 : 1e-7);
  return compare(a, e, scalarExpected, { rtol, atol, equalNaN: options.equalNaN ?? false });
}

function refuse(message: string): AllCloseResult {
  return { pass: false, message, mismatches: 0 };
}

function checkOptions(options: AllCloseOptions): string | null {
  for (const key of ['rtol', 'atol'] as const) {
    const v = options[key];
    if (v !== undefined && (typeof v !== 'number' || !(v >= 0))) return `${key} must be a number ≥ 0, got ${String(v)}`;
  }
  return null;
}

interface Tolerance {
  rtol: number;
  atol: number;
  equalNaN: boolean;
}

function compare(a: Flat, e: Flat, scalarExpected: boolean, tol: Tolerance): AllCloseResult {
  let mismatches = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  let largest = -1;
  let largestDiff = -Infinity;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i] as number;
    const y = e.values[scalarExpected ? 0 : i] as number;
    const diff = difference(x, y, tol.equalNaN);
    const allowed = tol.atol + tol.rtol * Math.abs(y);
    if (diff > largestDiff) [largest, largestDiff] = [i, diff];
    // An infinity matches only itself, whatever the tolerance (rtol·∞ would allow anything).
    if (diff !== 0 && !(Number.isFinite(diff) && diff <= allowed)) {
      mismatches++;
      const excess = diff - allowed;
      if (excess > worstExcess || worst < 0) [worst, worstExcess] = [i, excess];
    }
  }
  const what = `${a.dtype ?? 'values'} of shape ${formatShape(a.shape)}`;
  const tolText = `rtol ${tol.rtol}, atol ${tol.atol}`;
  const expectedText = scalarExpected ? formatNumber(e.values[0] as number) : formatValues(e.values, e.shape);
  if (mismatches === 0) {
    const where =
      largest < 0
        ? ''
        : `; the largest |difference| is ${formatNumber(largestDiff)} at ${formatIndex(largest, a.shape)}`;
    return {
      pass: true,
      message: `expected ${what} not to be all close to ${expectedText} (${tolText}), but every element is${where}`,
      mismatches,
    };
  }
  const x = a.values[worst] as number;
  const y = e.values[scalarExpected ? 0 : worst] as number;
  const lines = [
    `expected ${what} to be all close to the expected values (${tolText}): ${mismatches} of ${a.values.length} element(s) differ`,
    `  worst at ${formatIndex(worst, a.shape)}: actual ${formatNumber(x)}, expected ${formatNumber(y)} ` +
      `(|difference| ${formatNumber(difference(x, y, tol.equalNaN))}, allowed ${formatNumber(tol.atol + tol.rtol * Math.abs(y))})`,
    `  actual:   ${formatValues(a.values, a.shape)}`,
    `  expected: ${expectedText}`,
  ];
  return { pass: false, message: lines.join('\n'), mismatches };
}

/** |x - y|, with equal infinities 0 apart and NaN infinitely far from everything (but itself, if allowed). */
function difference(x: number, y: number, equalNaN: boolean): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return equalNaN && Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity;
  if (x === y) return 0;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
  return Math.abs(x - y);
}

function formatIndex(flat: number, shape: readonly number[]): string {
  return shape.length === 0 ? 'the only element' : `index [${unravel(flat, shape).join(',')}]`;
}

/** What a matcher function returns to vitest or Jest. */
export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

/**
 * Matchers for `expect.extend`. Register them once per test file (or in a
 * setup file); in vitest, importing `@chainrule/core/testing/vitest` does
 * that and adds the types.
 *
 * @example
 * expect.extend(chainruleMatchers);
 * expect(x.grad).toBeAllClose([2, 4], { atol: 1e-6 });
 */
export const chainruleMatchers = {
  toBeAllClose(received: unknown, expected: unknown, options?: AllCloseOptions): MatcherResult {
    const result = closeness(received, expected, options ?? {});
    return { pass: result.pass, message: () => result.message };
  },
};

/** The matchers' types, for declaring them on your test framework's assertion interface. */
export interface ChainruleMatchers<R = unknown> {
  /**
   * Elementwise |actual - expected| ≤ atol + rtol·|expected|, with equal
   * shapes (or a number expected everywhere). Tensors, Values, numbers,
   * nested arrays and typed arrays are all accepted on both sides.
   */
  toBeAllClose(expected: Numeric, options?: AllCloseOptions): R;
}
