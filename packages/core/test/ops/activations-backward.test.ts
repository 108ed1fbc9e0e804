/**
 * The fused backward rules of silu, gelu and mish (ops/activations-backward.ts)
 * against their primitive twins, the same derivative written with elementwise
 * Tensor ops: equal values, and equal gradients in both arguments (what
 * second derivatives go through). Their values against the true derivative
 * are checked in activations.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { gradients, type Tensor } from '../../src/index';
import { geluGrad, geluTanhGrad, mishGrad, siluGrad } from '../../src/ops/activations-backward';
import { assertGradcheck } from '../../src/testing/index';
import { arbTensor } from '../../src/testing/properties';

const pairs = fc
  .array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 })
  .chain((shape) => fc.tuple(arbTensor({ shape }), arbTensor({ shape, min: -6, max: 6, avoid: [0] })));

/** 1/√(2π) */
const INV_SQRT_2PI = 0.3989422804014327;
const K = Math.sqrt(8 / Math.PI);
const C = 0.044715;

const cases = [
  {
    name: 'siluGrad',
    fused: siluGrad,
    // g·σ(1 + x(1 - σ))
    twin: (g: Tensor, x: Tensor) => {
      const s = x.sigmoid();
      return g.mul(s).mul(x.mul(s.neg().add(1)).add(1));
    },
  },
  {
    name: 'geluGrad',
    fused: geluGrad,
    // g·(Φ(x) + x·φ(x)), with Φ(x) = gelu(x)/x (x ≠ 0 here)
    twin: (g: Tensor, x: Tensor) =>
      g.mul(
        x
          .gelu()
          .div(x)
          .add(x.mul(x.square().mul(-0.5).exp()).mul(INV_SQRT_2PI)),
      ),
  },
  {
    name: 'geluTanhGrad',
    fused: geluTanhGrad,
    // g·(s + x·s(1 - s)·w'), s = σ(w), w = k(x + c·x³), w' = k(1 + 3c·x²)
    twin: (g: Tensor, x: Tensor) => {
      const s = x.add(x.pow(3).mul(C)).mul(K).sigmoid();
      const slope = x
        .square()
        .mul(3 * C)
        .add(1)
        .mul(K);
      return g.mul(s.add(x.mul(s).mul(s.neg().add(1)).mul(slope)));
    },
  },
  {
    name: 'mishGrad',
    fused: mishGrad,
    // g·(t + x·σ(x)(1 - t²)), t = tanh(softplus(x))
    twin: (g: Tensor, x: Tensor) => {
      const t = x.softplus().tanh();
      return g.mul(t.add(x.mul(x.sigmoid()).mul(t.square().neg().add(1))));
    },
  },
];

describe('fused activation backward rules', () => {
  for (const { name, fused, twin } of cases) {
    it(`${name} equals its primitive twin, and so do its gradients`, () => {
      fc.assert(
        fc.property(pairs, ([g0, x0]) => {
          const g = g0.detach().requireGrad();
          const x = x0.detach().requireGrad();
          const a = fused(g, x);
          const b = twin(g, x);
          expect(a.data()).toBeAllClose(b.data(), { rtol: 1e-13, atol: 1e-14 });
          const seed = a.detach().add(0.5);
          const ga = gradients(a, [g, x], { gradOutput: seed });
          const gb = gradients(b, [g, x], { gradOutput: seed });
          ga.forEach((t, i) =>
            expect((t as Tensor).data()).toBeAllClose((gb[i] as Tensor).data(), { rtol: 1e-12, atol: 1e-13 }),
          );
        }),
        { numRuns: 40 },
      );
    });

    it(`${name} passes gradcheck in both arguments`, () => {
      fc.assert(
        fc.property(pairs, ([g, x]) => {
          assertGradcheck((a: Tensor, b: Tensor) => fused(a, b), [g, x]);
        }),
        { numRuns: 20 },
      );
    });
  }
});
