/**
 * The playground's model in Node: the numbers every view draws, against the
 * textbook's backpropagation equations written out by hand and against
 * finite differences of the cost.
 */
import { describe, expect, it } from 'vitest';
import { evalCost as cost, chainPaths, forwardBackward, initialState, parseSizes } from '../src/model/network';
import { getParam, sgdPath, TEACHER_OFFSET, teacherExamples, withParam } from '../src/model/descent';

const sigma = (z: number) => 1 / (1 + Math.exp(-z));

describe('the 2-2-1 network', () => {
  it('has the gradients of the textbook equations', () => {
    const s = initialState();
    // By hand: z¹ = W¹x + b¹, a¹ = σ(z¹), z² = W²a¹ + b², a² = σ(z²), C = (a² − y)²;
    // δ² = ∂C/∂z² = 2(a² − y)·σ'(z²), ∂C/∂W²_j = δ²·a¹_j, δ¹_j = W²_j·δ²·σ'(z¹_j), ∂C/∂W¹_jk = δ¹_j·x_k.
    const [x1, x2] = [0.5, -1];
    const z1 = [0.1 * x1 - 0.2 * x2, 0.4 * x1 + 0.3 * x2];
    const a1 = z1.map(sigma);
    const z2 = 0.7 * a1[0]! - 0.6 * a1[1]!;
    const a2 = sigma(z2);
    const d2 = 2 * (a2 - 1) * a2 * (1 - a2);
    const d1 = [0.7 * d2 * a1[0]! * (1 - a1[0]!), -0.6 * d2 * a1[1]! * (1 - a1[1]!)];
    const built = forwardBackward(s);
    expect(built.cost.data).toBeCloseTo((a2 - 1) ** 2, 15);
    const g = built.weights.map((l) => l.map((r) => r.map((w) => w.grad)));
    expect(g[1]![0]![0]).toBeCloseTo(d2 * a1[0]!, 15);
    expect(g[1]![0]![1]).toBeCloseTo(d2 * a1[1]!, 15);
    expect(g[0]![0]![0]).toBeCloseTo(d1[0]! * x1, 15);
    expect(g[0]![0]![1]).toBeCloseTo(d1[0]! * x2, 15);
    expect(g[0]![1]![0]).toBeCloseTo(d1[1]! * x1, 15);
    expect(g[0]![1]![1]).toBeCloseTo(d1[1]! * x2, 15);
    expect(built.biases[1]![0]!.grad).toBeCloseTo(d2, 15);
  });
});

describe('chain-rule paths', () => {
  it('sum to the finite-difference slope of the cost for every weight of a 2-3-2-2 network', () => {
    const s = initialState([2, 3, 2, 2], 5);
    const built = forwardBackward(s);
    const examples = [{ input: s.input, target: s.target }];
    const h = 1e-6;
    s.weights.forEach((layer, l) =>
      layer.forEach((row, j) =>
        row.forEach((_, k) => {
          const ref = [l + 1, j, k] as const;
          const w = getParam(s, ref);
          const slope = (cost(withParam(s, ref, w + h), examples) - cost(withParam(s, ref, w - h), examples)) / (2 * h);
          const paths = chainPaths(s, built, l + 1, j, k);
          // One path per choice of neuron in each later layer.
          expect(paths).toHaveLength(s.sizes.slice(l + 2).reduce((p, n) => p * n, 1));
          const total = paths.reduce((t, p) => t + p.product, 0);
          expect(Math.abs(total - slope), `w ${l + 1}-${j}-${k}`).toBeLessThan(1e-8);
          // Factors: ∂C/∂a⁽ᴸ⁾, then two per layer after the weight's, then ∂a/∂z and ∂z/∂w.
          expect(paths[0]!.factors).toHaveLength(1 + 2 * (s.sizes.length - 2 - l) + 2);
        }),
      ),
    );
  });
});

describe('layer sizes', () => {
  it('reads 2-3-1 and refuses what is not a size list, naming it', () => {
    expect(parseSizes(' 2-3-1 ')).toEqual([2, 3, 1]);
    for (const bad of ['2', '2-0-1', '2-x', '2-7', '1-1-1-1-1-1'])
      expect(parseSizes(bad)).toMatch(new RegExp(`^layer sizes: expected .*got '${bad}'$`));
  });
});

describe('descent', () => {
  it('labels its examples with a teacher whose cost is zero', () => {
    const s = initialState();
    const [a, b] = [
      [2, 0, 0],
      [2, 0, 1],
    ] as const;
    const examples = teacherExamples(s, a, b);
    const teacher = withParam(withParam(s, a, 0.7 + TEACHER_OFFSET[0]), b, -0.6 + TEACHER_OFFSET[1]);
    expect(cost(teacher, examples)).toBe(0);
    expect(cost(s, examples)).toBeGreaterThan(0);
  });

  it('takes steps of −η times the finite-difference slope of the batch cost', () => {
    const s = initialState();
    const [a, b] = [
      [1, 0, 0],
      [2, 0, 1],
    ] as const;
    const examples = teacherExamples(s, a, b);
    // Batch size 16 = the whole set: the first step's gradient is the full cost's slope.
    const path = sgdPath(s, a, b, examples, { lr: 3, batchSize: 16, steps: 1 });
    const h = 1e-6;
    const slope = (ref: typeof a | typeof b) =>
      (cost(withParam(s, ref, getParam(s, ref) + h), examples) -
        cost(withParam(s, ref, getParam(s, ref) - h), examples)) /
      (2 * h);
    expect(path).toHaveLength(2);
    expect(path[1]!.x).toBeCloseTo(0.1 - 3 * slope(a), 8);
    expect(path[1]!.y).toBeCloseTo(-0.6 - 3 * slope(b), 8);
  });
});
