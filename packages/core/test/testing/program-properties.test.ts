/**
 * The program properties over every op programs can call: for each op, a
 * few random programs that must call it (with random ops around it), then
 * wider random programs over the whole catalogue. Expected values are
 * independent of the engine's gradients: finite differences (gradient
 * property), the adjoint identity between two different code paths (vjp,
 * and jvp by the double-vjp trick), float64 against float32 within the
 * rounding-error bound, and the Value graph against the Tensor graph.
 * FC_SEED=<seed> reproduces a failing run (vitest.setup.ts).
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import {
  precisionAgreementProperty,
  programGradientProperty,
  programOps,
  vjpJvpDualityProperty,
  valueTensorAgreementProperty,
} from '../../src/testing/properties';

const context = { maxSteps: 3, maxInputs: 2, maxDim: 3 } as const;

describe('program properties with each op in every program', () => {
  it.each(programOps.map((op) => [op.name, op] as const))('%s', (_name, op) => {
    const options = { ...context, include: [op] };
    fc.assert(programGradientProperty(options), { numRuns: 2 });
    fc.assert(vjpJvpDualityProperty(options), { numRuns: 1 });
    fc.assert(precisionAgreementProperty(options), { numRuns: 1 });
  });
});

describe('program properties over random programs of the whole catalogue', () => {
  it('gradients match finite differences, first and second order', () => {
    fc.assert(programGradientProperty({ maxSteps: 6 }), { numRuns: 30 });
  });

  it('vjp and jvp are adjoint', () => {
    fc.assert(vjpJvpDualityProperty({ maxSteps: 6 }), { numRuns: 30 });
  });

  it('float32 agrees with float64 within the rounding bound', () => {
    fc.assert(precisionAgreementProperty({ maxSteps: 6 }), { numRuns: 30 });
  });

  it('scalar programs agree on Values and Tensors', () => {
    fc.assert(valueTensorAgreementProperty({ maxSteps: 8 }), { numRuns: 60 });
  });
});
