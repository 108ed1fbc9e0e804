/**
 * Second derivatives: for every Tensor op in the table of gradient-cases.ts,
 * the engine's gradient of ⟨u, ∇⟨v, f⟩⟩ (its backward run with createGraph,
 * differentiated again) matches finite differences of its first derivatives.
 * Piecewise-linear ops (relu, abs, clamp, max, ...) take part too: their
 * second derivatives are 0, and their backward rules must still be
 * differentiable.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { gradients, tensor } from '../../src/index';
import { tensorOpCases, type OpCase } from './gradient-cases';

const numRuns = 15;

const cases = Object.entries(tensorOpCases).flatMap(([op, list]) =>
  (list as readonly OpCase[]).filter((c) => c.secondOrder).map((c): [string, string, OpCase] => [op, c.label, c]),
);

describe('second derivatives of Tensor ops match finite differences of their gradients', () => {
  it.each(cases)('%s: %s', (_op, _label, c) => {
    c.run(numRuns, true);
  });
});

describe('regressions the properties found', () => {
  it('pow: d²(aᵇ)/da db at b = 0 is 1/a (the a-gradient used to be masked to a constant 0 at b = 0)', () => {
    // d/da aᵇ = b·aᵇ⁻¹, and d/db of that is aᵇ⁻¹ + b·aᵇ⁻¹·ln a, which is 1/a at b = 0.
    const a = tensor([0.1, 2, 4], { dtype: 'float64', requiresGrad: true });
    const b = tensor([0, 0, 0], { dtype: 'float64', requiresGrad: true });
    const [da] = gradients(a.pow(b).sum(), [a], { createGraph: true });
    expect(da).toBeAllClose([0, 0, 0]);
    const [dadb] = gradients(da!.sum(), [b]);
    expect(dadb).toBeAllClose([10, 0.5, 0.25], { rtol: 1e-12 });
  });

  it('pow: the a-gradient at b = 0 is still 0 where aᵇ⁻¹ is infinite (a = 0, or so small that 1/a overflows)', () => {
    const a = tensor([0, 1e-320, 3], { dtype: 'float64', requiresGrad: true });
    a.pow(0).sum().backward();
    expect(a.grad).toBeAllClose([0, 0, 0]);
  });
});
