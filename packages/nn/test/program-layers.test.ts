/**
 * nn layers inside random programs (arbProgram, issue 24): a layer is a
 * ProgramOp whose call is its forward, so the program properties check its
 * input gradients among random ops around it, against finite differences.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor } from '@chainrule/core';
import {
  programGradientProperty,
  programOps,
  vjpJvpDualityProperty,
  type ProgramOp,
} from '@chainrule/core/testing/properties';
import { LayerNorm, Linear } from '../src/index';

const context = programOps.filter((o) => ['add', 'mul', 'tanh', 'sum', 'exp'].includes(o.name));

/** A layer taking [..., features] inputs: programs reshape their node to [2, features] when it does not fit. */
function layerOp(name: string, features: number, forward: (x: Tensor) => Tensor): ProgramOp {
  return {
    name,
    arity: 1,
    rank: [2, 2],
    plan: ([s]) => ({ params: [], inputShapes: s?.[1] === features ? [undefined] : [[2, features]] }),
    call: ([x]) => forward(x as Tensor),
    source: ([x]) => `${name}.forward(${x})`,
    imports: `import { ${name} } from './layers';`,
  };
}

describe('nn layers in random programs', () => {
  const linear = new Linear(3, 2, { dtype: 'float64', generator: new Generator(1) });
  const norm = new LayerNorm([3], { dtype: 'float64' });
  const ops = [layerOp('linear', 3, (x) => linear.forward(x)), layerOp('norm', 3, (x) => norm.forward(x))];

  it.each(ops.map((op) => [op.name, op] as const))('%s: gradients and duality hold in any program', (_name, op) => {
    fc.assert(programGradientProperty({ ops: context, include: [op], maxSteps: 4 }), { numRuns: 15 });
    fc.assert(vjpJvpDualityProperty({ ops: context, include: [op], maxSteps: 4 }), { numRuns: 10 });
  });

  it('prints the layer call in the program source', () => {
    const result = fc.check(
      programGradientProperty({ ops: context, include: [layerOp('broken', 3, (x) => linear.forward(x.detach()))] }),
      { numRuns: 50, seed: 5 },
    );
    // A layer cut from the graph has no input gradient: the property fails and prints it.
    expect(result.failed).toBe(true);
    expect(String((result.errorInstance as Error).message)).toContain('broken.forward(');
  });
});
