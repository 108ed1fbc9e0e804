/**
 * Planted bugs: each program property must catch a deliberately broken
 * engine or op, and shrinking must end at a small printed program that
 * contains the culprit. Three bugs, as issue 24 lists them:
 *
 * - a wrong derivative: a custom cube whose backward says 2x² instead of 3x²;
 * - a dropped accumulation on a shared node: the Tensor backward pass keeps
 *   only the last share a node receives (`plantFault('dropSharedGradient')`,
 *   a test-only switch where the pass adds shares, since no op can see how
 *   many consumers its output has);
 * - a gradient summed to the wrong shape: a custom broadcasting add whose
 *   bias gradient sums over every axis and broadcasts the total back,
 *   instead of summing only over the broadcast axes.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { customOp, type Tensor } from '../../src/index';
import { plantFault } from '../../src/internal/index';
import {
  programGradientProperty,
  programOps,
  valueTensorAgreementProperty,
  vjpJvpDualityProperty,
  type Program,
  type ProgramOp,
} from '../../src/testing/properties';

/** Ops around the planted ones: smooth, so nothing is skipped for kinks. */
const context = programOps.filter((o) => ['add', 'mul', 'sin', 'tanh', 'sum'].includes(o.name));

/** x³ with a wrong derivative: 2x² where 3x² is right. */
const badCube = customOp({
  name: 'badCube',
  forward(ctx, x) {
    ctx.save(x);
    return x.mul(x).mul(x);
  },
  backward: ({ saved: [x] }, g) => g.mul(x!.square().mul(2)),
});

/** g summed down to `shape` over the axes broadcasting added or stretched (the right reduction). */
function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  const axes = g.shape.flatMap((size, i) => (i < lead || (shape[i - lead] === 1 && size !== 1) ? [i] : []));
  const summed = axes.length === 0 ? g : g.sum(axes, true);
  return summed.reshape(shape.slice());
}

/** x + b, broadcasting; b's gradient sums over every axis and broadcasts the total back to b's shape. */
const badBias = customOp({
  name: 'badBias',
  forward(ctx, x, b) {
    ctx.save(x, b);
    return x.add(b);
  },
  backward: ({ saved: [x, b] }, g) => [sumTo(g, x!.shape), g.sum().expand(b!.shape.slice())],
});

const userOp = (
  name: string,
  arity: number,
  f: (...xs: Tensor[]) => Tensor,
  o: Partial<ProgramOp> = {},
): ProgramOp => ({
  name,
  arity,
  call: (xs) => f(...xs),
  source: (xs) => `${name}(${xs.join(', ')})`,
  imports: `import { ${name} } from './planted-ops';`,
  ...o,
});

const badCubeOp = userOp('badCube', 1, (x) => badCube(x));
const badBiasOp = userOp('badBias', 2, (x, b) => badBias(x, b), { broadcast: true });

interface Shrunk {
  program: Program;
  message: string;
}

/** Runs a property that must fail and returns the shrunk program and the failure's message. */
function mustFail(property: fc.IProperty<[{ program: Program }]>): Shrunk {
  const result = fc.check(property, { numRuns: 200, seed: 2024 });
  expect(result.failed).toBe(true);
  const program = result.counterexample?.[0].program as Program;
  return { program, message: String((result.errorInstance as Error).message) };
}

/** Whether some node of the program feeds two ops, or one op twice. */
const sharesANode = (p: Program): boolean => {
  const uses = new Map<number, number>();
  for (const n of p.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  return [...uses.values()].some((c) => c >= 2);
};

describe('planted bugs are caught, and shrink to a small printed program', () => {
  afterEach(() => {
    plantFault('dropSharedGradient', false);
  });

  it('a wrong derivative (custom op)', () => {
    const { program, message } = mustFail(
      programGradientProperty({ ops: context, include: [badCubeOp], maxSteps: 6, secondOrder: false }),
    );
    expect(program.opCount).toBeLessThanOrEqual(4);
    expect(program.toSource()).toContain('badCube(');
    expect(program.toSource()).toContain("import { badCube } from './planted-ops';");
    expect(message).toContain('programGradientProperty');
    expect(message).toContain(program.toSource());
  });

  it('a dropped accumulation on a shared node (engine fault)', () => {
    plantFault('dropSharedGradient', true);
    const { program, message } = mustFail(programGradientProperty({ ops: context, maxSteps: 6, secondOrder: false }));
    expect(program.opCount).toBeLessThanOrEqual(4);
    expect(sharesANode(program)).toBe(true);
    expect(message).toContain(program.toSource());
    // docs/gradient-checking.md shows this failure: it must be the real output.
    expect(readFileSync(new URL('../../../../docs/gradient-checking.md', import.meta.url), 'utf8')).toContain(
      '```text\n' + message + '\n```',
    );
    // The Value graph has its own driver loop, untouched by the fault: the two graphs disagree.
    const values = mustFail(valueTensorAgreementProperty({ maxSteps: 6 }));
    expect(values.program.opCount).toBeLessThanOrEqual(4);
    expect(sharesANode(values.program)).toBe(true);
    plantFault('dropSharedGradient', false);
    // Without the fault the same properties hold.
    expect(() =>
      fc.assert(programGradientProperty({ ops: context, maxSteps: 6, secondOrder: false }), {
        numRuns: 50,
        seed: 2024,
      }),
    ).not.toThrow();
  });

  it('a gradient summed to the wrong shape (broadcast reduction in a custom op)', () => {
    const { program, message } = mustFail(
      programGradientProperty({ ops: context, include: [badBiasOp], maxSteps: 6, secondOrder: false }),
    );
    expect(program.opCount).toBeLessThanOrEqual(4);
    expect(program.toSource()).toContain('badBias(');
    expect(message).toContain(program.toSource());
    // The duality property does not see it (vjp and jvp share the wrong backward: jvp is its transpose),
    // which is why the finite-difference property exists.
    expect(() =>
      fc.assert(vjpJvpDualityProperty({ ops: context, include: [badBiasOp] }), { numRuns: 30, seed: 2024 }),
    ).not.toThrow();
  });

  it('correct custom ops pass', () => {
    const cube = customOp({
      name: 'cube',
      forward(ctx, x) {
        ctx.save(x);
        return x.mul(x).mul(x);
      },
      backward: ({ saved: [x] }, g) => g.mul(x!.square().mul(3)),
    });
    const op = userOp('cube', 1, (x) => cube(x));
    expect(() =>
      fc.assert(programGradientProperty({ ops: context, include: [op], secondOrder: false }), {
        numRuns: 40,
        seed: 2024,
      }),
    ).not.toThrow();
  });
});
