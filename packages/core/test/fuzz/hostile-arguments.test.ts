/**
 * Untyped callers: every public function and method, called with plausible
 * arguments of which any may be replaced by something else an untyped
 * JavaScript caller could pass (strings, null, undefined, booleans, NaN,
 * ±Infinity, fractional/negative/huge numbers, bigints, symbols, plain and
 * ragged arrays, rank-40 shapes, objects with wrong fields, functions,
 * Values for Tensors and Tensors for numbers). Each call must keep the
 * contract of contract.ts: a well-formed result or a ChainruleError that
 * names the function called.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { getNumThreads, setBackend, setNumThreads } from '../../src/index';
import { functions, methods, type ApiEntry } from './api-table';
import { arbHostile, slot, type Thunk } from './arbitraries';
import { expectContract, fuzzRuns } from './contract';

const numRuns = fuzzRuns(60);

function argsOf(entry: ApiEntry): fc.Arbitrary<Thunk[]> {
  return fc.tuple(...entry.slots.map((s, i) => (entry.receiver === true && i === 0 ? s : slot(s))));
}

function run(entry: ApiEntry, thunks: readonly Thunk[]): void {
  const args = thunks.map((t) => t.make());
  if (entry.huge?.(args) === true) return;
  const code = thunks.map((t) => t.code).join(', ');
  const outcome = expectContract(entry.names, () => entry.call(args), code);
  if (outcome.ok && entry.check !== undefined) expect(entry.check(args, outcome.value), code).toBeNull();
}

const threads = getNumThreads();
afterAll(() => {
  // setBackend and setNumThreads are in the table: put the process back as it was.
  setBackend(null);
  setNumThreads(threads);
});

describe('hostile arguments to the free functions', () => {
  it.each(functions.map((e, i) => [`${e.names[0]} #${i}`, e] as const))('%s', (_title, entry) => {
    fc.assert(
      fc.property(argsOf(entry), (thunks) => run(entry, thunks)),
      { numRuns },
    );
  });
});

describe('hostile arguments to Tensor, Value and Generator methods', () => {
  it.each(methods.map((e, i) => [`${e.names[0]} #${i}`, e] as const))('%s', (_title, entry) => {
    fc.assert(
      fc.property(argsOf(entry), (thunks) => run(entry, thunks)),
      { numRuns },
    );
  });
});

describe('every argument position, each hostile value', () => {
  // Random mixing may miss a rare pairing: here each position of each entry
  // gets each hostile value once, the other positions plausible.
  const all = [...functions, ...methods];
  const hostiles = fc.sample(arbHostile, { numRuns: 400, seed: 7 });
  const unique = [...new Map(hostiles.map((h) => [h.code, h])).values()];

  it('the hostile sample covers every kind (so the sweep below is not empty)', () => {
    expect(unique.length).toBeGreaterThan(40);
  });

  it.each(all.map((e, i) => [`${e.names[0]} #${i}`, e] as const))('%s', (_title, entry) => {
    const plausible = entry.slots.map((s) => fc.sample(s, { numRuns: 1, seed: 1 })[0] as Thunk);
    entry.slots.forEach((_s, position) => {
      if (entry.receiver === true && position === 0) return;
      for (const h of unique)
        run(
          entry,
          plausible.map((p, i) => (i === position ? h : p)),
        );
    });
  });
});
