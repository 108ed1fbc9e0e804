/** Random networks and mini-batches for the textbook properties (float64 values). */
import fc from 'fast-check';
import type { Activation, Cost, Network } from './reference';

export interface Problem {
  net: Network;
  xs: number[][];
  ys: number[][];
}

const weight = fc.double({ min: -1.5, max: 1.5, noNaN: true });
const input = fc.double({ min: -1, max: 1, noNaN: true });
const unit = fc.double({ min: 0, max: 1, noNaN: true });

/** Layer widths: an input width and 1-4 layers of 1-8 neurons. */
export const arbSizes = fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 2, maxLength: 5 });

/**
 * A network with those sizes, a batch of 1-32 examples, and targets fitting
 * the cost: values in [0, 1] for squared errors, one-hot rows for
 * cross-entropy. (relu's kink needs no care here: the engine and the
 * reference both take relu'(0) = 0, and no finite difference is involved.)
 */
export function arbProblem(cost: Cost, sizesArb = arbSizes, maxBatch = 32): fc.Arbitrary<Problem> {
  return sizesArb.chain((sizes) => {
    const L = sizes.length - 1;
    const weights = fc.tuple(
      ...Array.from({ length: L }, (_, l) =>
        fc.array(fc.array(weight, { minLength: sizes[l]!, maxLength: sizes[l]! }), {
          minLength: sizes[l + 1]!,
          maxLength: sizes[l + 1]!,
        }),
      ),
    );
    const biases = fc.tuple(
      ...Array.from({ length: L }, (_, l) => fc.array(weight, { minLength: sizes[l + 1]!, maxLength: sizes[l + 1]! })),
    );
    const outputs = sizes[L]!;
    const target =
      cost === 'cross-entropy'
        ? fc
            .integer({ min: 0, max: outputs - 1 })
            .map((c) => Array.from({ length: outputs }, (_, j) => (j === c ? 1 : 0)))
        : fc.array(unit, { minLength: outputs, maxLength: outputs });
    const example = fc.tuple(fc.array(input, { minLength: sizes[0]!, maxLength: sizes[0]! }), target);
    return fc
      .record({
        net: fc.record({ weights, biases }),
        batch: fc.array(example, { minLength: 1, maxLength: maxBatch }),
      })
      .map(({ net, batch }) => ({ net, xs: batch.map((e) => e[0]), ys: batch.map((e) => e[1]) }));
  });
}

/** The activations each cost is checked with. */
export const activationsFor: Record<Cost, Activation[]> = {
  mse: ['sigmoid', 'tanh', 'relu'],
  sse: ['sigmoid', 'tanh'],
  'cross-entropy': ['sigmoid', 'relu'],
};

/** |actual - expected| within rtol of the larger magnitude (plus a floor for values near 0). */
export function closeRelative(actual: number, expected: number, rtol = 1e-10, atol = 1e-13): boolean {
  return Math.abs(actual - expected) <= atol + rtol * Math.max(Math.abs(actual), Math.abs(expected));
}

/** The first entry where two nested gradient arrays differ, or null. */
export function firstMismatch(actual: number[][][], expected: number[][][], rtol = 1e-10): string | null {
  for (let l = 0; l < expected.length; l++) {
    for (let j = 0; j < expected[l]!.length; j++) {
      for (let k = 0; k < expected[l]![j]!.length; k++) {
        const a = actual[l]?.[j]?.[k];
        const e = expected[l]![j]![k]!;
        if (a === undefined || !closeRelative(a, e, rtol)) return `[${l}][${j}][${k}]: engine ${a}, reference ${e}`;
      }
    }
  }
  return null;
}

/** The first weight or bias where two networks (or gradients) differ, or null. */
export function firstNetworkMismatch(
  actual: { weights: number[][][]; biases: number[][] },
  expected: { weights: number[][][]; biases: number[][] },
  rtol = 1e-10,
): string | null {
  const weights = firstMismatch(actual.weights, expected.weights, rtol);
  if (weights !== null) return `W${weights}`;
  const biases = firstMismatch(
    actual.biases.map((b) => [b]),
    expected.biases.map((b) => [b]),
    rtol,
  );
  return biases === null ? null : `b${biases}`;
}
