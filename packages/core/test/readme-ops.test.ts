/**
 * The README's op list and its einsum/linalg example stay true: every name
 * in the table is an export of @chainrule/core, a member of `linalg` or a
 * Tensor method, and the example's results are the hand-derived ones in
 * its comments.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index';
import { einsum, linalg, tensor } from '../src/index';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe("the README's op table", () => {
  it('names only ops that exist', () => {
    const table = readme.slice(readme.indexOf('### The ops'), readme.indexOf('## Three ways to use it'));
    const names = [...table.matchAll(/`([a-zA-Z0-9]+)`/g)].map((m) => m[1] as string);
    expect(names.length).toBeGreaterThan(200);
    const known = (n: string) => n in core || n in linalg || n in core.Tensor.prototype;
    expect(names.filter((n) => !known(n))).toEqual([]);
  });

  it("gives the einsum and linalg example's results (derived by hand in its comments)", () => {
    expect(readme).toContain("einsum('bqd,bkd->bqk', q, k);");
    // q = I, so out[q][k] = Σ_d q[q,d]·k[k,d] = k[k][q]: kᵀ.
    expect(
      einsum(
        'bqd,bkd->bqk',
        tensor([
          [
            [1, 0],
            [0, 1],
          ],
        ]),
        tensor([
          [
            [1, 2],
            [3, 4],
          ],
        ]),
      ).toArray(),
    ).toEqual([
      [
        [1, 3],
        [2, 4],
      ],
    ]);
    const A = tensor(
      [
        [4, 2],
        [2, 5],
      ],
      { dtype: 'float64' },
    );
    // 4·5 - 2·2; L·Lᵀ = A; Cramer's rule: (8·5 - 2·9)/16, (4·9 - 2·8)/16.
    expect(linalg.det(A).item()).toBeCloseTo(16, 12);
    const L = linalg.cholesky(A).toArray() as number[][];
    expect(L.flat().map((v) => Math.round(v * 1e12) / 1e12)).toEqual([2, 0, 1, 2]);
    const x = linalg.solve(A, tensor([8, 9], { dtype: 'float64' })).toArray() as number[];
    expect(x[0]).toBeCloseTo(1.375, 12);
    expect(x[1]).toBeCloseTo(1.25, 12);
  });
});
