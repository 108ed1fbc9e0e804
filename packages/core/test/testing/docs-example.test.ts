/**
 * The example of docs/gradient-checking.md, verbatim: a researcher's test of
 * two hand-written layers. If this file changes, change the page too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customOp, tensor, type Tensor } from '@chainrule/core';
import { assertGradcheck } from '@chainrule/core/testing';
import { arbShape, arbTensor, gradientProperty } from '@chainrule/core/testing/properties';
import '@chainrule/core/testing/vitest';

// Swish, x·σ(x), with a backward derived by hand: σ(x)·(1 + x·(1 − σ(x))).
const swish = customOp({
  name: 'swish',
  forward(ctx, x) {
    ctx.save(x);
    return x.mul(x.sigmoid());
  },
  backward({ saved: [x] }, g) {
    const s = x!.sigmoid();
    return g.mul(s.mul(x!.mul(s.neg().add(1)).add(1)));
  },
});

// Layer normalization over the last axis, composed of engine ops.
function layerNorm(x: Tensor, gain: Tensor, bias: Tensor): Tensor {
  const centered = x.sub(x.mean(-1, true));
  const variance = centered.square().mean(-1, true);
  return centered.div(variance.add(1e-5).sqrt()).mul(gain).add(bias);
}

describe('my layers', () => {
  it('swish: the hand-written backward matches finite differences', () => {
    fc.assert(gradientProperty((x: Tensor) => swish(x), [arbTensor({ shape: arbShape(), min: -6, max: 6 })]));
  });

  it('layerNorm: first and second derivatives', () => {
    const inputs = fc.integer({ min: 2, max: 5 }).chain((features) =>
      fc.tuple(arbTensor({ shape: [3, features] }), arbTensor({ shape: [features] }), arbTensor({ shape: [features] })),
    );
    fc.assert(gradientProperty(layerNorm, inputs, { secondOrder: true }), { numRuns: 25 });
  });

  it('one fixed input, with the report in hand', () => {
    const x = tensor([[1, 2, 4], [0, -1, 3]], { dtype: 'float64' });
    const gain = tensor([1, 0.5, 2], { dtype: 'float64' });
    const bias = tensor([0, 0, 1], { dtype: 'float64' });
    const report = assertGradcheck(layerNorm, [x, gain, bias]);
    expect(report.maxAbsError).toBeLessThan(1e-6);
    // And the forward pass: with gain 1 and bias 0 every row has mean 0.
    expect(layerNorm(x, tensor([1, 1, 1]), tensor([0, 0, 0])).mean(-1)).toBeAllClose([0, 0], { atol: 1e-12 });
  });
});
