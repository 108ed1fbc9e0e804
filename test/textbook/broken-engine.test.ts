/**
 * Proof that the textbook suite can fail: the very properties that pass for
 * chainrule are run against engines broken on purpose, and each is caught.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientsProperty, trajectoryProperty } from './properties';
import { droppedBiasModel, realModel, wrongSigmoidModel } from './tensor-engine';

function fails(property: fc.IProperty<unknown>): string | null {
  const result = fc.check(property, { numRuns: 100, seed: 7 });
  return result.failed ? String(result.errorInstance) : null;
}

describe('the textbook properties catch a broken engine', () => {
  it('a sigmoid with the wrong derivative (σ instead of σ(1 - σ)) is caught', () => {
    expect(fails(gradientsProperty('mse', 'sigmoid', wrongSigmoidModel))).toMatch(/gradient mismatch/);
    expect(fails(trajectoryProperty('mse', 'sigmoid', wrongSigmoidModel, 1))).toMatch(/after step 1/);
  });

  it('an engine that drops the bias gradient is caught', () => {
    expect(fails(gradientsProperty('mse', 'sigmoid', droppedBiasModel))).toMatch(/gradient mismatch/);
  });

  it('the same properties pass for the real engine with the same seed (the control)', () => {
    expect(fails(gradientsProperty('mse', 'sigmoid', realModel))).toBeNull();
  });
});
