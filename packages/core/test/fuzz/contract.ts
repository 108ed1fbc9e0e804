/**
 * The contract every fuzzed call must keep: it returns, or it throws a
 * ChainruleError whose message starts with the name of the function the
 * caller used. Never a raw TypeError/RangeError from deep inside, and never
 * an error naming some helper the caller has not heard of.
 *
 * Errors thrown by the caller's own callbacks (a function given to grad, a
 * custom op's forward) are theirs to see: the fuzzers' callbacks throw
 * `CallbackError`, which passes through untouched.
 */
import { expect } from 'vitest';
import { ChainruleError, Tensor } from '../../src/index';
import { maxRank } from '../../src/tensor/shape';

/** What a fuzzer's own callback throws, on purpose. */
export class CallbackError extends Error {}

/**
 * A call on the fuzzers' tiny inputs takes microseconds. One that takes
 * seconds is a runaway loop over a hostile size (2³¹ iterations, say), which
 * in a real program would look like a hang: fail it rather than wait. This is
 * not a speed test; the bound is five orders of magnitude above normal.
 */
export const runawayMs = 3000;

/**
 * A property's run count: `n` by default (CI), or FUZZ_RUNS for a deep run,
 * e.g. `FUZZ_RUNS=5000 npx vitest run packages/core/test/fuzz --testTimeout=0`.
 */
export function fuzzRuns(n: number): number {
  const deep = Number(process.env['FUZZ_RUNS']);
  return Number.isInteger(deep) && deep > 0 ? deep : n;
}

export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** Runs `f` and reports what happened, without judging it. */
export function attempt(f: () => unknown): Outcome {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** Why an error breaks the contract for a call to `names[0]` (or an alias), or null when it keeps it. */
export function contractBreach(names: readonly string[], error: unknown): string | null {
  if (error instanceof CallbackError) return null;
  if (!(error instanceof ChainruleError)) {
    const e = error as { constructor?: { name?: string }; message?: string };
    return `raw ${e?.constructor?.name ?? typeof error}: ${String(e?.message ?? error)}`;
  }
  if (!names.some((n) => error.message.startsWith(`${n}: `) && error.op === n)) {
    return `${error.name} names '${error.op}', expected ${names.map((n) => `'${n}'`).join(' or ')}: ${error.message}`;
  }
  return null;
}

/** Why a returned tensor is malformed (impossible shape, wrong element count), or null. */
export function tensorBreach(t: Tensor): string | null {
  if (t.shape.length > maxRank) return `rank ${t.shape.length} above ${maxRank}`;
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) return `shape ${JSON.stringify(t.shape)}`;
  if (t.data().length !== t.size) return `data() has ${t.data().length} elements for shape ${JSON.stringify(t.shape)}`;
  if (typeof t.toString() !== 'string') return 'toString() is not a string';
  return null;
}

/**
 * Calls `f` as a call to `names[0]` and expects the contract: a result (any
 * tensors in it well-formed) or a ChainruleError naming the function.
 * Returns the outcome for further checks.
 */
export function expectContract(names: string | readonly string[], f: () => unknown, context = ''): Outcome {
  const list = typeof names === 'string' ? [names] : names;
  const start = performance.now();
  const outcome = attempt(f);
  const elapsed = performance.now() - start;
  const where = `${list[0]}${context === '' ? '' : ` (${context})`}`;
  expect(elapsed, `${where} ran for ${elapsed.toFixed(0)} ms`).toBeLessThan(runawayMs);
  if (!outcome.ok) {
    expect(contractBreach(list, outcome.error), where).toBeNull();
  } else {
    const results = Array.isArray(outcome.value) ? outcome.value.flat(2) : [outcome.value];
    for (const r of results) if (r instanceof Tensor) expect(tensorBreach(r), where).toBeNull();
  }
  return outcome;
}
