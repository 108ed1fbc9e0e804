/**
 * One comparison for the Tensor example tests: shape first, then every
 * element within |actual - expected| <= atol + rtol·|expected|, with NaN
 * equal to NaN and infinities equal only to themselves. The failure message
 * names the first element that differs.
 */
import { expect } from 'vitest';
import type { Nested, Tensor } from '../../src/index';

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

function shapeOfNested(x: Nested): number[] {
  const shape: number[] = [];
  let cursor: Nested = x;
  while (Array.isArray(cursor)) {
    shape.push(cursor.length);
    if (cursor.length === 0) break;
    cursor = cursor[0] as Nested;
  }
  return shape;
}

function flat(x: Nested): number[] {
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

function close(a: number, b: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= atol + rtol * Math.abs(b);
}

/**
 * Expects `actual` to have the shape of the nested `expected` and elements
 * close to it (default rtol 1e-6, atol 1e-6: float32 rounding of small
 * hand-computed values).
 */
export function expectClose(actual: Tensor | null | undefined, expected: Nested, { rtol = 1e-6, atol = 1e-6 }: Tolerance = {}): void {
  expect(actual ?? null, 'expected a tensor').not.toBeNull();
  const t = actual as Tensor;
  expect(t.shape, 'shape').toEqual(shapeOfNested(expected));
  const got = Array.from(t.data());
  const want = flat(expected);
  const bad = got.findIndex((v, i) => !close(v, want[i] as number, rtol, atol));
  if (bad >= 0) {
    expect.fail(`element ${bad} (row-major) is ${got[bad]}, expected ${want[bad]} (rtol ${rtol}, atol ${atol})\n  got      ${JSON.stringify(t.toArray())}\n  expected ${JSON.stringify(expected)}`);
  }
}
