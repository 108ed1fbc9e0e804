/**
 * Helpers of nn's fuzz tests: the error contract every fuzzed call must keep
 * (shared with optim, in test/support), and comparisons of tensors with
 * float64 references.
 */
import { expect } from 'vitest';
import type { Tensor } from '@chainrule/core';

export { attempt, attemptExpecting, type Outcome } from '../../../../test/support/error-contract';

/** Every element of every tensor, as plain numbers, to compare before and after. */
export function snapshotTensors(tensors: readonly Tensor[]): number[][] {
  return tensors.map((t) => Array.from(t.data(), Number));
}

/** Compares numbers: NaN equals NaN, infinities must match, others within rtol/atol. */
export function expectNumbersClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: { rtol: number; atol: number },
  what = '',
): void {
  expect(actual.length, what).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const same = Number.isNaN(e)
      ? Number.isNaN(a)
      : Number.isFinite(e)
        ? Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e)
        : a === e;
    if (!same) bad.push(`[${i}] ${a} vs ${e}`);
  }
  expect(bad.slice(0, 5), `${what} elements differ from the reference`).toEqual([]);
}

/** Tolerances for a result computed in `dtype` against a float64 reference. */
export function tolerance(dtype: string): { rtol: number; atol: number } {
  return dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 2e-5, atol: 1e-6 };
}
