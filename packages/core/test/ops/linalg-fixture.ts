/**
 * Runs the cases of fixtures/linalg.json (written by linalg.py, which says
 * how): each op's outputs against PyTorch's, and the gradients of
 * sum_k (out_k * w_k).sum() with PyTorch's weights. A case PyTorch refuses
 * must throw a ChainruleError naming the op.
 */
import { expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { ChainruleError, tensor, type Tensor } from '../../src/index';
import raw from './fixtures/linalg.json';

interface Values {
  shape: number[];
  data: (number | string)[];
}

export interface Case {
  name: string;
  op: string;
  args: unknown[];
  inputs: Values[];
  error?: string;
  outputs?: Values[];
  weights?: Values[];
  grads?: (Values | null)[];
}

export const fixture = raw as unknown as { torch: string; cases: Case[] };

const numbers = (v: Values) => v.data.map((x) => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x)));
const float64 = (v: Values, requiresGrad = false) =>
  tensor(Float64Array.from(numbers(v)), { shape: v.shape, dtype: 'float64', requiresGrad });

/** How each op of the fixture is called; the error's name prefix is the op unless `errorName` says otherwise. */
export type Call = (xs: Tensor[], args: unknown[]) => Tensor | Tensor[];

export interface RunOptions {
  rtol?: number;
  atol?: number;
  /** The name a refused call's error starts with, when not the op (linalg.det ...). */
  errorName?: (op: string) => string;
}

/** One vitest case per fixture case of the given ops. */
export function runFixture(calls: Record<string, Call>, options: RunOptions = {}): void {
  const { rtol = 1e-12, atol = 1e-13, errorName = (op: string) => op } = options;
  const cases = fixture.cases.filter((c) => c.op in calls);
  it('the fixture has cases of every op called here', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
  });
  it.each(cases.map((c) => [c.op, c.name, c] as const))('%s: %s', (op, _name, c) => {
    const leaves = c.inputs.map((v) => float64(v, c.grads !== undefined));
    const call = () => (calls[op] as Call)(leaves, c.args);
    if (c.error !== undefined) {
      expect(call, `PyTorch: ${c.error}`).toThrow(ChainruleError);
      expect(call).toThrow(new RegExp(`^${errorName(op).replace('.', '\\.')}: `));
      return;
    }
    const out = call();
    const outputs = Array.isArray(out) ? out : [out];
    const expected = c.outputs as Values[];
    expect(outputs.map((t) => t.shape)).toEqual(expected.map((v) => v.shape));
    outputs.forEach((t, k) => {
      expect(t, `output ${k}`).toBeAllClose(float64(expected[k] as Values), { rtol, atol });
    });
    if (c.grads === undefined) return;
    const weights = (c.weights as Values[]).map((w) => float64(w));
    const loss = outputs
      .filter((t) => t.dtype === 'float64')
      .map((t, k) => t.mul(weights[k] as Tensor).sum())
      .reduce((s, l) => s.add(l), tensor(0, { dtype: 'float64' }));
    if (loss.requiresGrad) loss.backward();
    leaves.forEach((leaf, i) => {
      const grad = c.grads?.[i];
      if (grad === null || grad === undefined) return;
      if (leaf.grad === null)
        expect(
          numbers(grad).every((v) => v === 0),
          `input ${i} has no gradient`,
        ).toBe(true);
      else expect(leaf.grad, `gradient of input ${i}`).toBeAllClose(float64(grad), { rtol, atol });
    });
  });
}
