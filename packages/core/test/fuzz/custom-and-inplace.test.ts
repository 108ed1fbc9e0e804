/**
 * Two places where user code meets the engine's invariants:
 * - custom ops whose forward or backward returns the wrong thing (a number,
 *   null, a Value, an array of the wrong length, a gradient of the wrong
 *   shape or dtype, or throws): a ChainruleError naming the custom op (or the
 *   caller's own error), and no leaf's `.grad` changed by the failed backward;
 * - in-place updates with random targets (views, expanded views, tensors
 *   that require grad, int/bool dtypes) and operands (any shape, dtype, NaN):
 *   the result matches t ⊕ alpha·v computed element by element, and a
 *   refused update leaves the target's values and version exactly as they were.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { Tensor, customOp, noGrad, tensor, value } from '../../src/index';
import { arbSpec, build, specCode, thunk, type TensorSpec, type Thunk } from './arbitraries';
import { CallbackError, expectContract, fuzzRuns } from './contract';
import { broadcast, make, readBroadcast, type Ref } from './reference';
import { refOf } from './sequence-ops';

const junk: Thunk[] = [
  thunk('3', () => 3),
  thunk('null', () => null),
  thunk('undefined', () => undefined),
  thunk("'g'", () => 'g'),
  thunk('value(1)', () => value(1)),
  thunk('[]', () => []),
  thunk('[null, null]', () => [null, null]),
  thunk('zeros([5])', () => core.zeros([5])),
  thunk('zeros like x, float64', () => 'float64-like'),
  thunk('ones like x, requiring grad', () => 'grad-like'),
  thunk('throws CallbackError', () => 'throw'),
];

/** Resolves the junk that depends on the input (its shape), else the junk itself. */
function resolve(j: unknown, x: Tensor): unknown {
  if (j === 'float64-like') return core.zerosLike(x, { dtype: 'float64' });
  if (j === 'grad-like') return core.onesLike(x, { requiresGrad: true });
  if (j === 'throw') throw new CallbackError('from the custom op');
  return j;
}

describe('custom ops returning the wrong thing', () => {
  it('a bad forward result is an error naming the custom op', () => {
    fc.assert(
      fc.property(fc.constantFrom(...junk), arbSpec({ dtypes: ['float32'] }), (j, spec) => {
        const op = customOp({
          name: 'userOp',
          forward: (_ctx, x) => resolve(j.make(), x) as Tensor,
          backward: (_ctx, g) => g,
        });
        const outcome = expectContract('userOp', () => op(build(spec)), `${j.code} on ${specCode(spec)}`);
        const made = j.make();
        // A tensor of any shape or dtype is a fine forward result; nothing else is.
        if (!(made instanceof Tensor) && made !== 'float64-like' && made !== 'grad-like')
          expect(outcome.ok).toBe(false);
      }),
      { numRuns: fuzzRuns(60) },
    );
  });

  it('a bad backward result is refused naming the custom op, and no .grad changes', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...junk),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        (j, twoInputs, shape) => {
          const op = customOp({
            name: 'userOp',
            forward: (_ctx, x, y) => (y === undefined ? x.mul(2) : x.mul(y)),
            backward: (_ctx, g) => resolve(j.make(), g) as Tensor,
          });
          const x = core.ones(shape, { requiresGrad: true });
          const y = core.ones(shape, { requiresGrad: true });
          const w = core.ones([], { requiresGrad: true });
          // Every leaf has a gradient already (through plain ops): the failed backward must not touch any.
          core.add(x.add(y).sum(), w).backward();
          const before = [x.grad?.toArray() ?? null, y.grad?.toArray() ?? null, w.grad?.toArray() ?? null];
          const outcome = expectContract(
            ['userOp', 'backward'],
            () =>
              core
                .add(twoInputs ? op(x, y) : op(x), w)
                .sum()
                .backward(),
            `${j.code}, ${twoInputs ? 2 : 1} inputs, shape ${JSON.stringify(shape)}`,
          );
          if (!outcome.ok)
            expect([x.grad?.toArray() ?? null, y.grad?.toArray() ?? null, w.grad?.toArray() ?? null]).toEqual(before);
        },
      ),
      { numRuns: fuzzRuns(80) },
    );
  });
});

/** The in-place ops, with the elementwise rule of each. */
const updates = {
  addInPlace: (t: number, v: number, alpha: number) => t + alpha * v,
  subInPlace: (t: number, v: number, alpha: number) => t - alpha * v,
  mulInPlace: (t: number, v: number) => t * v,
  copyFrom: (_t: number, v: number) => v,
  fill: (_t: number, v: number) => v,
} as const;

type UpdateName = keyof typeof updates;

/** A target: a fresh tensor, a strided view of one, or an expanded view (which must be refused). */
const arbTarget = fc.tuple(arbSpec({ maxRank: 3 }), fc.constantFrom('plain', 'transposed', 'sliced', 'expanded'));

function targetOf(spec: TensorSpec, view: string): Tensor {
  const base = build(spec);
  if (view === 'transposed' && base.ndim >= 2) return base.transpose(0, 1);
  if (view === 'sliced' && base.ndim >= 1) return base.slice(-1, 0, undefined, 2);
  if (view === 'expanded') return base.unsqueeze(0).expand([2, ...base.shape]);
  return base;
}

describe('in-place updates', () => {
  it('give t ⊕ alpha·v element by element, or refuse and leave the target exactly as it was', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(updates) as UpdateName[])),
        arbTarget,
        fc.oneof(
          arbSpec({ maxRank: 2 }).map((s) => ({ spec: s })),
          fc.constantFrom(0.5, -2, NaN, Infinity).map((n) => ({ n })),
        ),
        fc.constantFrom(1, -0.5, 3),
        fc.boolean(),
        (name, [spec, view], operand, alpha, graded) => {
          const t = targetOf(spec, view);
          const v = 'n' in operand ? operand.n : build(operand.spec);
          const before = refOf(t);
          const version = t.storage.version;
          const call = () => {
            const f = core[name] as (t: Tensor, v: Tensor | number, alpha?: number) => Tensor;
            return name === 'fill' ? f(t, typeof v === 'number' ? v : 1) : f(t, v, alpha);
          };
          const where = `${name}(${view} ${specCode(spec)}, ${'n' in operand ? operand.n : specCode(operand.spec)}, ${alpha})${graded ? ' under noGrad' : ''}`;
          const outcome = expectContract(name, graded ? () => noGrad(call) : call, where);
          if (!outcome.ok) {
            expect(refOf(t), where).toEqual(before);
            expect(t.storage.version, where).toBe(version);
            return;
          }
          expect(outcome.value, where).toBe(t);
          expect(t.storage.version, where).toBe(version + 1);
          // The operand must broadcast to the target's shape exactly; a number is a 0-d operand.
          const operandRef: Ref =
            typeof v === 'number'
              ? make([], 'float64', () => v)
              : name === 'fill'
                ? make([], 'float64', () => 1)
                : refOf(v);
          expect(JSON.stringify(broadcast(t.shape, operandRef.shape)), where).toBe(JSON.stringify(t.shape));
          const f = updates[name];
          // As PyTorch's copy_: the result is stored in the target's dtype (a bool holds nonzero as true).
          const expected = make(t.shape.slice(), t.dtype, (i) =>
            f(before.data[i] as number, readBroadcast(operandRef, t.shape, i), alpha),
          );
          const show = (r: Ref) => r.data.map((x) => (Number.isNaN(x) ? 'NaN' : x));
          expect(show(refOf(t)), where).toEqual(show(expected));
        },
      ),
      { numRuns: fuzzRuns(300) },
    );
  });

  it('refusals cover what the rules say: expanded views, tensors requiring grad while recording, int/bool arithmetic', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => x.addInPlace(1)).toThrow(
      /^addInPlace: cannot change a tensor that requires grad while the graph is recorded/,
    );
    expect(() => tensor([1, 2]).unsqueeze(0).expand([3, 2]).fill(0)).toThrow(
      /^fill: the target of shape \[3,2\] is an expanded view/,
    );
    expect(() => tensor(new Int32Array([1])).mulInPlace(2)).toThrow(
      /^mulInPlace: in-place arithmetic needs a float32 or float64 target, got int32/,
    );
    expect(() => tensor([1, 2]).copyFrom(tensor([1, 2, 3]))).toThrow(/^copyFrom: /);
  });
});
