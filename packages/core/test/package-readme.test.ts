/**
 * The ten lines of packages/core/README.md, run as written (the block is
 * read from the file, so the README cannot drift from what runs), and its
 * claims checked by hand: ∂Σσ(Wx)/∂W = σ'(z) xᵀ with σ' = σ(1 - σ), and
 * d²/dt² Σ t³ = 6t.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /## Ten lines\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';

describe('packages/core/README.md', () => {
  it('its example runs and its comments are right', () => {
    expect(block).toContain("from '@chainrule/core'");
    const body = block.replace(/^import .*$/m, '');
    const names = Object.keys(core).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
    // Runs the block with core's exports in scope; returns what its comments describe.
    const run = new Function(...names, `${body}\nreturn { w, x, second: d2(tensor([1, 2])) };`) as (
      ...args: unknown[]
    ) => { w: core.Tensor; x: core.Tensor; second: core.Tensor };
    const { w, x, second } = run(...names.map((n) => (core as Record<string, unknown>)[n]));
    const W = [
      [0.5, -1],
      [2, 0.25],
    ];
    const xs = [1, 3];
    const expected = W.map((row) => {
      const z = (row[0] as number) * 1 + (row[1] as number) * 3;
      const s = 1 / (1 + Math.exp(-z));
      return xs.map((xj) => s * (1 - s) * xj);
    });
    expect([...(w.grad as core.Tensor).data()].map((v) => Number(v.toFixed(5)))).toEqual(
      expected.flat().map((v) => Number(v.toFixed(5))),
    );
    expect([...x.data()]).toEqual(xs);
    expect([...second.data()]).toEqual([6, 12]);
  });
});
