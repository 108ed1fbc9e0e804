/** The README's property test of gradients, run as written. */
// README: begin gradient-property
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { assertGradcheck } from '@chainrule/core/testing';
import { arbTensor, gradientProperty } from '@chainrule/core/testing/properties';
import { tensor } from '@chainrule/core';
import { gated } from './gated-dense';

// Batches of 1-4 samples with 1-5 features into 1-3 neurons, every value in [-3, 3].
const layerInputs = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }))
  .chain(([batch, inputs, outputs]) =>
    fc.tuple(
      arbTensor({ shape: [batch, inputs] }),
      arbTensor({ shape: [outputs, inputs] }),
      arbTensor({ shape: [outputs] }),
      arbTensor({ shape: [outputs, inputs] }),
      arbTensor({ shape: [outputs] }),
    ),
  );

it('gated: the engine’s gradients match finite differences for every argument', () => {
  fc.assert(gradientProperty(gated, layerInputs, { secondOrder: true }), { numRuns: 50 });
});

it('gated: a hand-picked point, with the report in hand', () => {
  const x = tensor([[0.5, -1]], { dtype: 'float64' });
  const w = tensor([[0.3, 0.2]], { dtype: 'float64' });
  const b = tensor([0.1], { dtype: 'float64' });
  expect(assertGradcheck(gated, [x, w, b, w.neg(), b]).maxAbsError).toBeLessThan(1e-6);
});
// README: end
