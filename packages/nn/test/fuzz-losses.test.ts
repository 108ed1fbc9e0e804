/**
 * Fuzzing the losses with every reduction: predictions and targets of random
 * shapes (0-d, empty, 0-sized axes), dtypes and values (NaN, ±Infinity,
 * huge), weights that do or do not broadcast, and junk in every argument.
 * Valid calls must match the float64 references of fuzz/reference.ts (written
 * from PyTorch's documented formulas) and backpropagate a gradient of the
 * prediction's shape; invalid ones must throw a ChainruleError naming the loss.
 */
import { describe, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import { Tensor, tensor } from '@chainrule/core';
import { bceLoss, bceWithLogitsLoss, crossEntropyLoss, mseLoss, sseLoss } from '../src/index';
import { attempt, attemptExpecting } from './fuzz/contract';
import {
  bceReference,
  bceWithLogitsReference,
  crossEntropyReference,
  expectMatches,
  mseReference,
  type ReductionName,
} from './fuzz/reference';
import {
  arbAnyTensor,
  arbFloatTensorOf,
  arbJunk,
  arbNumber,
  arbOptions,
  arbShape,
  arbTensorArgument,
  field,
  isFloat,
  isOptionsObject,
  validOrJunk,
} from './fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 80) };
const reductions = ['mean', 'sum', 'none'] as const;
const arbReduction = validOrJunk(fc.constantFrom(...reductions));

/** Probabilities for bceLoss: mostly in [0, 1] (edges included), sometimes any number. */
const arbProbability: Arbitrary<number> = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1, 1e-45, 1 - 2 ** -24) },
  { weight: 1, arbitrary: arbNumber },
);

/** A tensor of `shape` (usually), or any tensor, or junk. */
function arbArgument(shape: number[], values: Arbitrary<number>): Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: arbFloatTensorOf(shape, values) },
    { weight: 1, arbitrary: arbTensorArgument },
  );
}

/** A weight that broadcasts to `shape` (a suffix with some axes 1), or any tensor, or junk. */
function arbWeight(shape: number[]): Arbitrary<unknown> {
  const broadcasting = fc
    .tuple(
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    )
    .chain(([k, ones]) =>
      arbFloatTensorOf(
        shape.slice(shape.length - k).map((d, i) => (ones[i] === true ? 1 : d)),
        fc.double({ min: -2, max: 2, noNaN: true }),
      ),
    );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 3, arbitrary: broadcasting },
    { weight: 1, arbitrary: arbTensorArgument },
  );
}

function broadcastsTo(w: unknown, shape: readonly number[]): boolean {
  if (w === undefined) return true;
  if (!(w instanceof Tensor) || !isFloat(w) || w.ndim > shape.length) return false;
  return w.shape.every((d, i) => d === 1 || d === shape[shape.length - w.ndim + i]);
}

/** The reduction the options ask for ('mean' when absent), or 'invalid'. */
function reductionOf(options: unknown): ReductionName | 'invalid' {
  const r = field(options, 'reduction');
  if (r === undefined) return 'mean';
  return (reductions as readonly unknown[]).includes(r) ? (r as ReductionName) : 'invalid';
}

function sameShape(a: unknown, b: unknown): boolean {
  return a instanceof Tensor && b instanceof Tensor && a.shape.join() === b.shape.join() && a.ndim === b.ndim;
}

/**
 * True when every value of the tensors is finite and at most 1e4 in size
 * (and, for probabilities, 0 or at least 1e-30): then no true derivative of
 * a loss here exceeds float32's range, so the gradient must be finite.
 */
function moderate(tensors: unknown[], probabilities?: Tensor): boolean {
  const small = tensors.every((t) => !(t instanceof Tensor) || t.data().every((v) => Math.abs(v) <= 1e4));
  return small && (probabilities === undefined || probabilities.data().every((v) => v === 0 || v >= 1e-30));
}

/** The loss's gradient for the prediction has the prediction's shape and, for moderate inputs, is finite. */
function checkBackward(loss: (p: Tensor) => Tensor, input: Tensor, moderateInputs: boolean): void {
  const leaf = tensor(input.data(), { shape: input.shape, dtype: input.dtype, requiresGrad: true });
  const out = loss(leaf);
  out.sum().backward();
  const grad = leaf.grad;
  if (grad === null || grad.shape.join() !== input.shape.join() || grad.ndim !== input.ndim)
    throw new Error("the gradient does not have the prediction's shape");
  // NOTE: a finite loss is required too: a weighted mean with Σ weight = 0 is 0/0, as in PyTorch.
  if (moderateInputs && out.data().every(Number.isFinite) && !grad.data().every(Number.isFinite))
    throw new Error(`moderate inputs and a finite loss, but a non-finite gradient: ${Array.from(grad.data())}`);
}

describe('fuzz: elementwise losses', () => {
  type Kind = 'mse' | 'sse' | 'bce' | 'bceWithLogits';
  const kinds: Kind[] = ['mse', 'sse', 'bce', 'bceWithLogits'];
  // The options each loss documents (its Options type).
  const lossKeys = {
    mse: { reduction: 1 },
    sse: {},
    bce: { reduction: 1, weight: 1 },
    bceWithLogits: { reduction: 1, weight: 1, posWeight: 1 },
  };
  const arbCase = fc.tuple(fc.constantFrom(...kinds), arbShape()).chain(([kind, shape]) => {
    const values = kind === 'bce' ? arbProbability : arbNumber;
    const targets =
      kind === 'bce' || kind === 'bceWithLogits'
        ? fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0, max: 1, noNaN: true }), arbNumber)
        : arbNumber;
    const fields =
      kind === 'bceWithLogits'
        ? { reduction: arbReduction, weight: arbWeight(shape), posWeight: arbWeight(shape.slice(-1)) }
        : kind === 'bce'
          ? { reduction: arbReduction, weight: arbWeight(shape) }
          : { reduction: arbReduction };
    return fc.record({
      kind: fc.constant(kind),
      input: arbArgument(shape, values),
      target: arbArgument(shape, targets),
      options: arbOptions(fields),
    });
  });

  it('match the float64 reference for every reduction, or throw a typed error naming the loss', () => {
    fc.assert(
      fc.property(arbCase, ({ kind, input, target, options }) => {
        const reduction = reductionOf(options);
        const weight = field(options, 'weight');
        const posWeight = field(options, 'posWeight');
        const p = input as Tensor;
        const y = target as Tensor;
        let valid = input instanceof Tensor && target instanceof Tensor && isFloat(p) && isFloat(y) && sameShape(p, y);
        if (kind !== 'sse') valid &&= isOptionsObject(options, Object.keys(lossKeys[kind])) && reduction !== 'invalid';
        if (kind === 'bce') valid &&= broadcastsTo(weight, p.shape) && p.data().every((v) => v >= 0 && v <= 1);
        if (kind === 'bceWithLogits') valid &&= broadcastsTo(weight, p.shape) && broadcastsTo(posWeight, p.shape);
        const name = `${kind}Loss`;
        const call = (x: Tensor): Tensor => {
          switch (kind) {
            case 'mse':
              return mseLoss(x, y, options as never);
            case 'sse':
              return sseLoss(x, y);
            case 'bce':
              return bceLoss(x, y, options as never);
            case 'bceWithLogits':
              return bceWithLogitsLoss(x, y, options as never);
          }
        };
        const out = attemptExpecting(valid, [name], () => call(p));
        if (!out.ok) return;
        const w = weight as Tensor | undefined;
        const ref =
          kind === 'mse'
            ? mseReference(p, y, reduction as ReductionName)
            : kind === 'sse'
              ? mseReference(p, y, 'sum')
              : kind === 'bce'
                ? bceReference(p, y, reduction as ReductionName, w)
                : bceWithLogitsReference(p, y, reduction as ReductionName, w, posWeight as Tensor | undefined);
        expectMatches(out.value, ref, `${name}(${reduction}) of [${p.shape}]`, [p, y, weight, posWeight]);
        checkBackward(call, p, moderate([p, y, weight, posWeight], kind === 'bce' ? p : undefined));
      }),
      runs,
    );
  });
});

describe('fuzz: crossEntropyLoss', () => {
  const arbIndices = (n: number, c: number): Arbitrary<unknown> =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n })
          .map((xs) => tensor(Int32Array.from(xs))),
      },
      { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }) },
      {
        weight: 1,
        arbitrary: fc.array(
          fc.oneof(fc.integer({ min: -2, max: c + 1 }), fc.constantFrom(2 ** 32, 2 ** 32 + 1, 1.5, NaN), arbJunk),
          { minLength: n, maxLength: n },
        ),
      },
      { weight: 1, arbitrary: fc.integer({ min: -1, max: c }) },
    );
  const arbProbabilities = (shape: number[]): Arbitrary<unknown> =>
    arbFloatTensorOf(shape, fc.double({ min: 0, max: 1, noNaN: true }));
  const arbCase = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 4 }))
    .chain(([batched, n, c]) => {
      const shape = batched ? [n, c] : [c];
      const target =
        c === 0
          ? arbAnyTensor
          : fc.oneof(
              batched ? arbIndices(n, c) : arbIndices(1, c).map((t) => (Array.isArray(t) ? t[0] : t)),
              arbProbabilities(shape),
              arbTensorArgument,
            );
      const weight = fc.oneof(
        fc.constant(undefined),
        arbFloatTensorOf([c], fc.double({ min: 0.1, max: 2, noNaN: true })),
        arbTensorArgument,
      );
      return fc.record({
        logits: arbArgument(shape, arbNumber),
        target,
        options: arbOptions({ reduction: arbReduction, weight }),
      });
    });

  function targetValid(target: unknown, logits: Tensor): boolean {
    const c = logits.shape[logits.ndim === 1 ? 0 : 1] as number;
    const indexShape = logits.ndim === 1 ? [] : [logits.shape[0] as number];
    const inRange = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < c;
    if (target instanceof Tensor) {
      if (target.dtype === 'int32')
        return (
          target.shape.join() === indexShape.join() && target.ndim === indexShape.length && target.data().every(inRange)
        );
      return isFloat(target) && sameShape(target, logits);
    }
    if (typeof target === 'number') return logits.ndim === 1 && inRange(target);
    return Array.isArray(target) && logits.ndim === 2 && target.length === indexShape[0] && target.every(inRange);
  }

  it('matches the float64 reference for indices and probabilities with every reduction, or throws a typed error', () => {
    fc.assert(
      fc.property(arbCase, ({ logits, target, options }) => {
        const reduction = reductionOf(options);
        const weight = field(options, 'weight');
        const x = logits as Tensor;
        const simple =
          x instanceof Tensor &&
          isFloat(x) &&
          (x.ndim === 1 || x.ndim === 2) &&
          (x.shape[x.ndim === 1 ? 0 : 1] as number) > 0;
        const weightValid =
          weight === undefined ||
          (simple &&
            weight instanceof Tensor &&
            isFloat(weight) &&
            weight.ndim === 1 &&
            weight.shape[0] === x.shape[x.ndim === 1 ? 0 : 1]);
        const valid =
          simple &&
          isOptionsObject(options, ['reduction', 'weight']) &&
          reduction !== 'invalid' &&
          weightValid &&
          targetValid(target, x);
        const rankedElsewhere = x instanceof Tensor && isFloat(x) && x.ndim > 2;
        const call = (z: Tensor): Tensor => crossEntropyLoss(z, target as Tensor, options as never);
        const out = rankedElsewhere ? null : attemptExpecting(valid, ['crossEntropyLoss'], () => call(x));
        if (out === null || !out.ok) return;
        expectMatches(
          out.value,
          crossEntropyReference(
            x,
            target as Tensor | number[] | number,
            reduction as ReductionName,
            weight as Tensor | undefined,
          ),
          `crossEntropyLoss(${reduction}) of [${x.shape}]`,
          [x, target, weight],
        );
        checkBackward(call, x, moderate([x, target, weight]));
      }),
      runs,
    );
  });
});

describe('fuzz: losses with junk arguments', () => {
  const losses: [string, (a: unknown, b: unknown, c: unknown) => unknown][] = [
    ['mseLoss', (a, b, c) => mseLoss(a as Tensor, b as Tensor, c as never)],
    ['sseLoss', (a, b) => sseLoss(a as Tensor, b as Tensor)],
    ['bceLoss', (a, b, c) => bceLoss(a as Tensor, b as Tensor, c as never)],
    ['bceWithLogitsLoss', (a, b, c) => bceWithLogitsLoss(a as Tensor, b as Tensor, c as never)],
    ['crossEntropyLoss', (a, b, c) => crossEntropyLoss(a as Tensor, b as Tensor, c as never)],
  ];

  it('any prediction, target and options: a result or a typed error naming the loss, never a raw one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: losses.length - 1 }),
        arbTensorArgument,
        fc.oneof(arbTensorArgument, fc.array(fc.integer({ min: -1, max: 3 }))),
        fc.oneof(arbJunk, arbOptions({ reduction: arbReduction, weight: arbTensorArgument })),
        (k, a, b, c) => {
          const [name, loss] = losses[k] as (typeof losses)[number];
          // With a tensor on both sides the other properties predict the outcome; here only the contract is checked.
          // (crossEntropyLoss also takes a single class index as a number.)
          if (
            a instanceof Tensor &&
            (b instanceof Tensor || Array.isArray(b) || (name === 'crossEntropyLoss' && typeof b === 'number'))
          )
            attempt([name], () => loss(a, b, c));
          else attemptExpecting(false, [name], () => loss(a, b, c));
        },
      ),
      runs,
    );
  });
});
