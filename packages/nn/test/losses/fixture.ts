/**
 * The PyTorch fixture of the issue-19 losses (test/fixtures/losses.json,
 * written by test/fixtures/losses.py with PyTorch 1.13 in float64), and a
 * suite that checks one loss against every case of it: the value for each
 * reduction and the gradient of the summed value for every float argument.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { Tensor, tensor } from '@chainrule/core';

type Nested = number | Nested[];
type Arg = { float: Nested; grad: boolean } | { int: Nested } | { list: number[] } | { number: number };
type OptionValue = number | boolean | { tensor: Nested };

export interface FixtureCase {
  name: string;
  loss: string;
  args: Arg[];
  options: Record<string, OptionValue>;
  results: Record<string, { value: Nested; grads: (Nested | null)[] }>;
}

/** JSON has no NaN or ±Infinity: the script writes them as strings. */
function decode(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(decode);
  if (x === 'NaN') return Number.NaN;
  if (x === 'Infinity') return Number.POSITIVE_INFINITY;
  if (x === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, decode(v)]));
  }
  return x;
}

export const fixtureCases = decode(
  JSON.parse(readFileSync(new URL('../fixtures/losses.json', import.meta.url), 'utf8')),
) as FixtureCase[];

const f64 = (x: Nested, requiresGrad = false): Tensor => tensor(x as number[], { dtype: 'float64', requiresGrad });

/** The case's arguments as chainrule takes them: float64 leaves, int32 tensors, plain arrays or numbers. */
export function fixtureArgs(c: FixtureCase): unknown[] {
  return c.args.map((a) => {
    if ('float' in a) return f64(a.float, a.grad);
    if ('int' in a) return tensor(a.int as number[], { dtype: 'int32' });
    if ('list' in a) return a.list;
    return a.number;
  });
}

/** The case's options with tensors made float64, and the reduction (unless it is a plain function's 'none'). */
export function fixtureOptions(c: FixtureCase, reduction: string | null): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.options)) options[k] = typeof v === 'object' ? f64(v.tensor) : v;
  if (reduction !== null) options['reduction'] = reduction;
  return options;
}

export type LossCall = (args: unknown[], options: Record<string, unknown>) => Tensor;

const tolerance = { rtol: 1e-12, atol: 1e-14, equalNaN: true };

/**
 * Registers, for every fixture case of `loss`, a test per reduction comparing
 * the value and every recorded gradient with PyTorch's. `reductions: false`
 * for a function that takes none (cosineSimilarity).
 */
export function fixtureSuite(loss: string, call: LossCall, { reductions = true } = {}): void {
  const cases = fixtureCases.filter((c) => c.loss === loss);
  describe(`${loss} against PyTorch 1.13 (fixtures/losses.json)`, () => {
    it('has fixture cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });
    for (const c of cases) {
      for (const [reduction, expected] of Object.entries(c.results)) {
        it(`${c.name}${reductions ? `, reduction ${reduction}` : ''}`, () => {
          const args = fixtureArgs(c);
          const out = call(args, fixtureOptions(c, reductions ? reduction : null));
          expect(out.dtype).toBe('float64');
          expect(out.toArray()).toBeAllClose(expected.value, tolerance);
          out.sum().backward();
          expected.grads.forEach((g, i) => {
            if (g === null) return;
            const leaf = args[i] as Tensor;
            expect(leaf.grad, `argument ${i} has a gradient`).not.toBeNull();
            expect((leaf.grad as Tensor).toArray(), `gradient of argument ${i}`).toBeAllClose(g, tolerance);
          });
        });
      }
    }
  });
}
