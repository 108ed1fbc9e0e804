/**
 * The Tensor example tests' one comparison: the shared toBeAllClose matcher
 * (@chainrule/core/testing), plus a shape check, which the matcher skips when
 * the expected value is a plain number, and NaN counted equal to NaN.
 */
import { expect } from 'vitest';
import '@chainrule/core/testing/vitest';
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

/**
 * Expects `actual` to have the shape of the nested `expected` and elements
 * within atol + rtol·|expected| of it (default 1e-6 each: float32 rounding of
 * small hand-computed values).
 */
export function expectClose(
  actual: Tensor | null | undefined,
  expected: Nested,
  { rtol = 1e-6, atol = 1e-6 }: Tolerance = {},
): void {
  expect(actual ?? null, 'expected a tensor').not.toBeNull();
  const t = actual as Tensor;
  expect(t.shape, 'shape').toEqual(shapeOfNested(expected));
  expect(t).toBeAllClose(expected, { rtol, atol, equalNaN: true });
}
