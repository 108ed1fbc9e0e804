/**
 * sigmoid's and tanh's backward rules are fused ops; each must agree with its
 * primitive twin (the formula written with elementwise ops) in values and in
 * gradients, which is what second derivatives of sigmoid and tanh go through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { gradients, type Tensor } from '../../src/index';
import { sigmoidGrad, tanhGrad } from '../../src/ops/activation-grads';
import { assertGradcheck } from '../../src/testing/index';
import { arbTensor } from '../../src/testing/properties';

const pairs = fc
  .array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 })
  .chain((shape) => fc.tuple(arbTensor({ shape }), arbTensor({ shape, min: -0.99, max: 0.99 })));

const cases = [
  { name: 'sigmoidGrad', fused: sigmoidGrad, twin: (g: Tensor, s: Tensor) => g.mul(s).mul(s.neg().add(1)) },
  { name: 'tanhGrad', fused: tanhGrad, twin: (g: Tensor, t: Tensor) => g.mul(t.square().neg().add(1)) },
];

describe('fused activation backward rules', () => {
  for (const { name, fused, twin } of cases) {
    it(`${name} equals its primitive twin, and so do its gradients`, () => {
      fc.assert(
        fc.property(pairs, ([g0, s0]) => {
          const g = g0.detach().requireGrad();
          const s = s0.detach().requireGrad();
          const a = fused(g, s);
          const b = twin(g, s);
          expect(a.data()).toBeAllClose(b.data(), { rtol: 0, atol: 1e-14 });
          const seed = a.detach().add(0.5);
          const ga = gradients(a, [g, s], { gradOutput: seed });
          const gb = gradients(b, [g, s], { gradOutput: seed });
          ga.forEach((t, i) =>
            expect((t as Tensor).data()).toBeAllClose((gb[i] as Tensor).data(), { rtol: 0, atol: 1e-13 }),
          );
        }),
        { numRuns: 60 },
      );
    });

    it(`${name} passes gradcheck in both arguments`, () => {
      fc.assert(
        fc.property(pairs, ([g, s]) => {
          assertGradcheck((a: Tensor, b: Tensor) => fused(a, b), [g, s]);
        }),
        { numRuns: 30 },
      );
    });
  }
});
