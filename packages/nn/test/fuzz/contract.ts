/**
 * The contract every fuzzed call must keep: it returns, or it throws a
 * ChainruleError whose message starts with the name of the op that refused
 * (one of the names the caller allows). A raw TypeError or RangeError, or any
 * other error, fails the property with the offending call's description.
 */
import { expect } from 'vitest';
import { ChainruleError, Tensor } from '@chainrule/core';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ChainruleError };

/**
 * Runs `call`: returns its value, or the typed error it threw after checking
 * that the error is a ChainruleError naming one of `ops`.
 */
export function attempt<T>(ops: readonly string[], call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (e) {
    if (!(e instanceof ChainruleError)) {
      const name = e instanceof Error ? e.constructor.name : typeof e;
      throw new Error(`expected a ChainruleError naming one of ${ops.join(', ')}, got a raw ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    expect(e.message.startsWith(`${e.op}: `), e.message).toBe(true);
    expect(ops, `the error names '${e.op}': ${e.message}`).toContain(e.op);
    return { ok: false, error: e };
  }
}

/** Like {@link attempt}, and the call must succeed exactly when `valid`. */
export function attemptExpecting<T>(valid: boolean, ops: readonly string[], call: () => T): Outcome<T> {
  const outcome = attempt(ops, call);
  if (valid && !outcome.ok) throw new Error(`a valid call was refused: ${outcome.error.message}`);
  if (!valid && outcome.ok) throw new Error('an invalid call returned instead of throwing');
  return outcome;
}

/** Every element of every tensor, as plain numbers, to compare before and after. */
export function snapshotTensors(tensors: readonly Tensor[]): number[][] {
  return tensors.map((t) => Array.from(t.data(), Number));
}

/** Compares numbers: NaN equals NaN, infinities must match, others within rtol/atol. */
export function expectNumbersClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: { rtol: number; atol: number }, what = ''): void {
  expect(actual.length, what).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const same = Number.isNaN(e) ? Number.isNaN(a) : Number.isFinite(e) ? Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e) : a === e;
    if (!same) bad.push(`[${i}] ${a} vs ${e}`);
  }
  expect(bad.slice(0, 5), `${what} elements differ from the reference`).toEqual([]);
}

/** Tolerances for a result computed in `dtype` against a float64 reference. */
export function tolerance(dtype: string): { rtol: number; atol: number } {
  return dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 2e-5, atol: 1e-6 };
}
