/**
 * The decoder under fuzzing: random bytes, bit flips, byte overwrites and
 * truncations of PyTorch's models. importOnnx must either import the bytes
 * or throw an OnnxImportError: never another exception, and never hang
 * (each call is timed). A mutant that imports is also run on an input of
 * the original's shape: it computes, or throws an OnnxImportError. fast-check
 * prints the seed of a failing run; FC_SEED=<seed> reproduces it (vitest.setup.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { randn } from '@chainrule/core';
import { OnnxImportError, importOnnx } from '../src/index';

const runs = {
  numRuns: Number(process.env['FUZZ_RUNS'] ?? 300),
};
const fixture = (name: string) =>
  new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}.onnx`, import.meta.url))));
const models = { mlp: fixture('mlp'), cnn: fixture('cnn'), transformer: fixture('transformer') };
const inputShapes: Record<string, number[]> = { mlp: [2, 4], cnn: [2, 1, 8, 8], transformer: [5, 2, 8] };

/** 'ok', or 'refused' for an OnnxImportError; any other exception fails the property. A slow call fails it too. */
function outcome(bytes: Uint8Array, inputShape?: number[]): 'ok' | 'refused' {
  const start = performance.now();
  try {
    // A mutant may ask for big tensors (a pad of 2^20); the bound keeps each run to milliseconds.
    const { fn } = importOnnx(bytes, { maxElements: 2 ** 16 });
    if (inputShape !== undefined) fn(randn(inputShape));
    return 'ok';
  } catch (e) {
    if (!(e instanceof OnnxImportError)) throw e;
    return 'refused';
  } finally {
    // The largest model decodes in a few milliseconds; a second means the decoder is looping on something.
    expect(performance.now() - start).toBeLessThan(inputShape === undefined ? 1000 : 2000);
  }
}

describe('importOnnx only imports or throws OnnxImportError', () => {
  it('valid models import (the baseline the mutations start from)', () => {
    for (const [name, bytes] of Object.entries(models)) expect(outcome(bytes, inputShapes[name])).toBe('ok');
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        outcome(bytes);
      }),
      runs,
    );
  });

  it.each(Object.keys(models))(
    'bit flips and byte overwrites of %s',
    (name) => {
      const valid = models[name as keyof typeof models];
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255), fc.boolean()), { minLength: 1, maxLength: 8 }),
          (edits) => {
            const bytes = valid.slice();
            for (const [at, value, flip] of edits)
              bytes[at] = flip ? (bytes[at] as number) ^ (1 << (value & 7)) : value;
            outcome(bytes, inputShapes[name]);
          },
        ),
        runs,
      );
    },
    120_000,
  );

  it.each(Object.keys(models))('truncations of %s', (name) => {
    const valid = models[name as keyof typeof models];
    fc.assert(
      fc.property(fc.nat(valid.length - 1), (length) => {
        // A cut between two fields can leave a valid model of fewer parts: imported or refused, either is fine.
        outcome(valid.subarray(0, length));
      }),
      runs,
    );
  });
});
