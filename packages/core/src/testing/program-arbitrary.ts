/**
 * arbProgram: random programs as fast-check input. The arbitrary draws a
 * {@link ProgramRecipe} (integers only) and builds it, so fast-check's
 * shrinking of integers and arrays becomes shrinking of programs: steps
 * vanish, ops move toward the first of the list, inputs toward the latest
 * node, shapes toward [].
 */
import fc, { type Arbitrary } from 'fast-check';
import { ArgumentError } from '../index';
import { buildProgram, type Program, type ProgramOp, type ProgramRecipe } from './program';
import { programOps, scalarProgramOps } from './program-ops';

/** Options of {@link arbProgram}. */
export interface ProgramOptions {
  /** The ops to draw from (default: every op-table row and matmul, mean, logsumexp, softmax, transpose); user ops welcome. */
  ops?: readonly ProgramOp[];
  /** Ops every program must call (each at least once, at a random place among the others). */
  include?: readonly ProgramOp[];
  /** Most random steps (default 6; a step whose op cannot apply is dropped). */
  maxSteps?: number;
  /** Most inputs drawn up front (default 2; ops such as matmul may add fresh ones). */
  maxInputs?: number;
  /** Largest size of a dimension (default 3). */
  maxDim?: number;
  /** Most dimensions of an input (default 2). */
  maxRank?: number;
  /** Scalar programs only (every input and node 0-d; ops with a Value version), for Value runs. */
  scalar?: boolean;
  /** Keep each op's inputs in its domain (default true); false feeds log and sqrt whatever comes. */
  domains?: boolean;
}

const MAX_ARITY = 3;

/**
 * A fast-check arbitrary of random chainrule programs: DAGs whose nodes
 * are shared (a node feeds several ops, `x.mul(x)`, diamonds), whose shapes
 * agree (binary ops broadcast, with a keepDims sum inserted where they would
 * not; matmul, reshapes, reductions and the shape ops in between), and whose
 * ops see inputs inside their domains (log reads `lo + (hi − lo)·sigmoid(x)`).
 * It shrinks to fewer and simpler ops, and a program prints itself as
 * runnable TypeScript.
 *
 * @example
 * fc.assert(fc.property(arbProgram({ maxSteps: 4 }), (p) => {
 *   const y = p.run(programInputs(p, 1));
 *   return y.shape.length === p.outputShape.length;
 * }));
 */
export function arbProgram(options: ProgramOptions = {}): Arbitrary<Program> {
  return arbProgramRecipe(options).map(({ recipe, ops, domains }) => buildProgram(ops, recipe, { domains }));
}

/** The raw integers behind {@link arbProgram}, with the op list they index. */
function arbProgramRecipe(
  options: ProgramOptions,
): Arbitrary<{ recipe: ProgramRecipe; ops: readonly ProgramOp[]; domains: boolean }> {
  const op = 'arbProgram';
  if (options === null || typeof options !== 'object')
    throw new ArgumentError(op, `options must be an object like { maxSteps: 6 }, got ${String(options)}`);
  const scalar = options.scalar === true;
  const ops = options.ops ?? (scalar ? scalarProgramOps : programOps);
  if (!Array.isArray(ops) || ops.length === 0)
    throw new ArgumentError(op, 'ops must be a non-empty array of ProgramOp (see programOps)');
  for (const o of [...ops, ...(options.include ?? [])]) {
    if (
      o === null ||
      typeof o !== 'object' ||
      typeof o.name !== 'string' ||
      !Number.isInteger(o.arity) ||
      o.arity < 1 ||
      o.arity > MAX_ARITY
    ) {
      throw new ArgumentError(op, `every op needs a name and an arity of 1 to ${MAX_ARITY}, got ${JSON.stringify(o)}`);
    }
    if (scalar && o.value === undefined)
      throw new ArgumentError(op, `scalar programs run on Values, and op '${o.name}' has no value()`);
  }
  const bound = (name: string, v: number | undefined, fallback: number, min: number) => {
    const x = v ?? fallback;
    if (!Number.isInteger(x) || x < min)
      throw new ArgumentError(op, `${name} must be an integer ≥ ${min}, got ${String(v)}`);
    return x;
  };
  const maxSteps = bound('maxSteps', options.maxSteps, 6, 0);
  const maxInputs = bound('maxInputs', options.maxInputs, 2, 1);
  const maxDim = bound('maxDim', options.maxDim, 3, 1);
  const maxRank = scalar ? 0 : bound('maxRank', options.maxRank, 2, 0);
  const include = options.include ?? [];
  const all = [...ops, ...include.filter((o) => !ops.includes(o))];
  const shape = fc.array(fc.integer({ min: 1, max: maxDim }), { maxLength: maxRank });
  const step = fc.record({
    op: fc.nat(all.length - 1),
    picks: fc.array(fc.nat(6), { minLength: MAX_ARITY, maxLength: MAX_ARITY }),
    draws: fc.array(fc.nat(15), { maxLength: 6 }),
  });
  // Each included op gets a step of its own, placed among the random ones.
  const forced = fc.tuple(
    ...include.map((o) =>
      fc
        .record({
          at: fc.nat(maxSteps),
          picks: fc.array(fc.nat(6), { minLength: MAX_ARITY, maxLength: MAX_ARITY }),
          draws: fc.array(fc.nat(15), { maxLength: 6 }),
        })
        .map((s) => ({ ...s, op: all.indexOf(o) })),
    ),
  );
  return fc
    .record({
      inputShapes: fc.array(shape, { minLength: 1, maxLength: maxInputs }),
      steps: fc.array(step, { maxLength: maxSteps }),
      forced,
    })
    .map(({ inputShapes, steps, forced: f }) => {
      const merged = steps.slice();
      for (const s of [...f].sort((a, b) => b.at - a.at)) merged.splice(Math.min(s.at, merged.length), 0, s);
      return { recipe: { inputShapes, steps: merged }, ops: all, domains: options.domains !== false };
    });
}
