/**
 * Random programs: a few random tensors (any dtype, rank 0-3, 0-sized
 * dimensions, NaN/±Infinity among the values, some requiring grad), then a
 * sequence of ops with random axes, shapes, indices and operands, valid and
 * not. Every op's result is checked against the NumPy-rules reference in
 * reference.ts on the very inputs chainrule was given:
 * - the reference refuses → chainrule throws a ChainruleError naming the op;
 * - the reference accepts → chainrule returns the same shape and dtype, and
 *   the same values (exactly for elementwise/shape ops, to a float32/float64
 *   tolerance for sums, means, softmax, matmul);
 * and at the end backward through the last result gives every leaf a
 * gradient of its own shape and dtype (empty tensors included).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../src/index';
import { arbSpec, build, specCode, type TensorSpec } from './arbitraries';
import { expectContract, fuzzRuns } from './contract';
import { isInvalid, type Ref } from './reference';
import { Draw, elementwiseOps, reductionOps, refOf, type Compare, type SeqOp } from './sequence-ops';
import { shapeOps } from './sequence-shape-ops';
// Cumulative, sorting and search ops (issue 18).
import { sortSequenceOps } from './sequence-sort-ops';
// Indexing: index, indexPut, the scatter family, the masked ops.
import { indexOps } from './sequence-index-ops';
// Convolution, pooling and unfold (issue 16).
import { convSequenceOps } from './sequence-conv-ops';

const ops: Record<string, SeqOp> = {
  ...elementwiseOps,
  ...reductionOps,
  ...shapeOps,
  ...sortSequenceOps,
  ...indexOps,
  ...convSequenceOps,
};
const names = Object.keys(ops);
const numRuns = fuzzRuns(40);

/** Composite results (sums, softmax, matmul) of inputs past this size may overflow float32 intermediates the float64 reference does not have. */
const valueCheckedUpTo = 1e15;

interface Step {
  op: string;
  seeds: number[];
}

const arbStep = (op: fc.Arbitrary<string>) =>
  fc.record({ op, seeds: fc.array(fc.nat(999), { minLength: 8, maxLength: 8 }) });

function scaleOf(refs: readonly Ref[]): number {
  let m = 1;
  for (const r of refs) for (const v of r.data) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  return m;
}

/** Why `actual` differs from the reference, or null. */
function mismatch(actual: Tensor, expected: Ref, compare: Compare, scale: number): string | null {
  if (JSON.stringify(actual.shape) !== JSON.stringify(expected.shape))
    return `shape ${JSON.stringify(actual.shape)}, expected ${JSON.stringify(expected.shape)}`;
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (compare === 'shape' || (compare === 'close' && scale > valueCheckedUpTo)) return null;
  const data = actual.data();
  // close: a few float32/float64 roundings of values up to `scale` (squared: var and matmul multiply them).
  const rtol = expected.dtype === 'float32' ? 4e-6 : 1e-12;
  const atol = rtol * scale * scale;
  for (let i = 0; i < expected.data.length; i++) {
    const a = data[i] as number;
    const e = expected.data[i] as number;
    const same = Number.isNaN(e)
      ? Number.isNaN(a)
      : !Number.isFinite(e) || compare === 'exact'
        ? a === e
        : Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!same) return `element ${i} is ${a}, expected ${e}`;
  }
  return null;
}

function runProgram(starts: readonly TensorSpec[], steps: readonly Step[]): void {
  const pool: Tensor[] = starts.map(build);
  const labels: string[] = starts.map((_s, i) => `t${i}`);
  const log: string[] = starts.map((s, i) => `const t${i} = ${specCode(s)};`);
  for (const step of steps) {
    const op = ops[step.op] as SeqOp;
    const d = new Draw(step.seeds);
    const picks = Array.from({ length: op.arity }, () => d.int(0, pool.length - 1));
    const xs = picks.map((i) => pool[i] as Tensor);
    const refs = xs.map(refOf);
    const planned = op.plan(
      xs,
      refs,
      d,
      picks.map((i) => labels[i] as string),
    );
    log.push(`const t${pool.length} = ${planned.code};`);
    const where = `\n${log.join('\n')}`;
    const outcome = expectContract(op.names, planned.call, where);
    if (isInvalid(planned.expected)) {
      expect(outcome.ok, `${where}\nshould be refused: ${planned.expected.invalid}`).toBe(false);
      log.pop();
      continue;
    }
    expect(outcome.ok, `${where}\nthrew ${outcome.ok ? '' : String(outcome.error)}`).toBe(true);
    const result = outcome.ok ? outcome.value : null;
    expect(result, where).toBeInstanceOf(Tensor);
    expect(mismatch(result as Tensor, planned.expected, planned.compare, scaleOf(refs)), where).toBeNull();
    pool.push(result as Tensor);
    labels.push(`t${pool.length - 1}`);
  }
  checkBackward(pool, starts.length, log);
}

/** Backward from the last result that requires grad: every leaf gets a gradient of its own shape and dtype. */
function checkBackward(pool: readonly Tensor[], leaves: number, log: readonly string[]): void {
  const last = [...pool].reverse().find((t) => t.requiresGrad);
  if (last === undefined) return;
  const where = `\n${log.join('\n')}\n(last result).sum().backward()`;
  const outcome = expectContract('backward', () => last.sum().backward(), where);
  expect(outcome.ok, where).toBe(true);
  for (const leaf of pool.slice(0, leaves)) {
    if (!leaf.requiresGrad || leaf.grad === null) continue;
    expect(leaf.grad.shape, where).toEqual(leaf.shape);
    expect(leaf.grad.dtype, where).toBe(leaf.dtype);
  }
}

const arbStarts = fc.array(arbSpec({ maxRank: 3, maxDim: 3 }), { minLength: 1, maxLength: 3 });
const anyStep = arbStep(fc.constantFrom(...names));

describe('random op sequences against the NumPy-rules reference', () => {
  it.each(names)('%s, between random other ops', (name) => {
    const program = fc.tuple(
      arbStarts,
      fc.array(anyStep, { maxLength: 3 }),
      arbStep(fc.constant(name)),
      fc.array(anyStep, { maxLength: 2 }),
    );
    fc.assert(
      fc.property(program, ([starts, before, step, after]) => runProgram(starts, [...before, step, ...after])),
      { numRuns },
    );
  });

  it('longer programs of any ops', () => {
    fc.assert(
      fc.property(arbStarts, fc.array(anyStep, { minLength: 4, maxLength: 12 }), (starts, steps) =>
        runProgram(starts, steps),
      ),
      { numRuns: fuzzRuns(100) },
    );
  });
});
