import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, matmul, zeros, type Tensor } from '../../src/index';
import {
  arbAxes,
  arbAxis,
  arbBroadcastableShapes,
  arbMatmulShapes,
  arbShape,
  arbTensor,
  arbTensors,
  arbValue,
} from '../../src/testing/properties';

const runs = { numRuns: 200 };

/** NumPy's broadcasting rule, written out independently of the engine: aligned from the right, sizes equal or 1. */
function broadcastTogether(shapes: readonly number[][]): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const sizes = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = sizes.filter((d) => d !== 1);
    if (new Set(big).size > 1) return null;
    out.push(big[0] ?? 1);
  }
  return out;
}

/** PyTorch's matmul output shape, from its documentation: 1-D operands gain and then lose an axis; batch axes broadcast. */
function matmulShape(a: number[], b: number[]): number[] | null {
  const left = a.length === 1 ? [1, ...a] : a;
  const right = b.length === 1 ? [...b, 1] : b;
  if (left[left.length - 1] !== right[right.length - 2]) return null;
  const batch = broadcastTogether([left.slice(0, -2), right.slice(0, -2)]);
  if (batch === null) return null;
  const out = [...batch, left[left.length - 2]!, right[right.length - 1]!];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  return out;
}

/** The counterexample fast-check shrinks to for a property that fails. */
function shrunk<T>(arb: fc.Arbitrary<T>, holds: (x: T) => boolean, seed = 1): T {
  const result = fc.check(fc.property(arb, holds), { seed, numRuns: 500 });
  if (!result.failed || result.counterexample === null) throw new Error('expected the property to fail');
  return result.counterexample[0];
}

describe('arbShape', () => {
  it('stays within the rank and size bounds', () => {
    fc.assert(
      fc.property(arbShape({ minRank: 1, maxRank: 4, minDim: 2, maxDim: 5 }), (shape) => {
        expect(shape.length).toBeGreaterThanOrEqual(1);
        expect(shape.length).toBeLessThanOrEqual(4);
        for (const d of shape) expect(d >= 2 && d <= 5 && Number.isInteger(d)).toBe(true);
      }),
      runs,
    );
  });

  it('shrinks to the smallest shape that still fails', () => {
    // Fails for any shape of 6 or more elements; the smallest such shape of dims ≤ 4 has two axes.
    const shape = shrunk(arbShape(), (s) => s.reduce((a, b) => a * b, 1) < 6);
    expect(shape.reduce((a, b) => a * b, 1)).toBeGreaterThanOrEqual(6);
    expect(shape.length).toBe(2);
  });

  it('refuses impossible bounds', () => {
    expect(() => arbShape({ minRank: 3, maxRank: 2 })).toThrow(ArgumentError);
    expect(() => arbShape({ maxDim: -1 })).toThrow('maxDim must be an integer ≥ 0, got -1');
  });
});

describe('arbBroadcastableShapes', () => {
  it('produces shapes that broadcast together, and the engine agrees on the result', () => {
    fc.assert(
      fc.property(arbBroadcastableShapes(3), (shapes) => {
        expect(shapes).toHaveLength(3);
        const expected = broadcastTogether(shapes);
        expect(expected).not.toBeNull();
        const [a, b, c] = shapes.map((s) => zeros(s));
        expect(a!.add(b!).add(c!).shape).toEqual(expected);
      }),
      runs,
    );
  });

  it('actually broadcasts: size-1 axes and missing leading axes both occur', () => {
    const samples = fc.sample(arbBroadcastableShapes(2), { seed: 5, numRuns: 200 });
    expect(samples.some(([a, b]) => a!.length !== b!.length)).toBe(true);
    expect(samples.some(([a, b]) => a!.some((d, i) => d === 1 && b![b!.length - a!.length + i]! > 1))).toBe(true);
  });

  it('shrinks to all-ones shapes when only the ranks matter', () => {
    const shapes = shrunk(arbBroadcastableShapes(2), (s) => s.every((x) => x.length < 2));
    expect(shapes.some((s) => s.length === 2)).toBe(true);
    expect(shapes.flat().every((d) => d === 1)).toBe(true);
  });
});

describe('arbMatmulShapes', () => {
  it("produces pairs matmul accepts, with PyTorch's output shape", () => {
    fc.assert(
      fc.property(arbMatmulShapes(), ([a, b]) => {
        const expected = matmulShape(a, b);
        expect(expected).not.toBeNull();
        expect(matmul(zeros(a), zeros(b)).shape).toEqual(expected);
      }),
      runs,
    );
  });

  it('covers vectors and broadcast batch axes', () => {
    const samples = fc.sample(arbMatmulShapes(), { seed: 5, numRuns: 200 });
    expect(samples.some(([a]) => a.length === 1)).toBe(true);
    expect(samples.some(([, b]) => b.length === 1)).toBe(true);
    expect(samples.some(([a, b]) => a.length > 2 && b.length > 2 && a.length !== b.length)).toBe(true);
  });

  it('shrinks to two small matrices', () => {
    // Fails whenever the inner dimension is 2 or more: the smallest case is [1,2]·[2,1].
    const pair = shrunk(arbMatmulShapes(), ([a]) => a[a.length - 1]! < 2);
    expect(pair).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });
});

describe('arbAxis and arbAxes', () => {
  it('give axes in range, negative ones included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }).chain((rank) => fc.tuple(fc.constant(rank), arbAxis(rank), arbAxes(rank))),
        ([rank, axis, axes]) => {
          expect(axis >= -rank && axis < rank).toBe(true);
          expect(axes.length).toBeGreaterThan(0);
          expect(axes.every((a) => a >= -rank && a < rank)).toBe(true);
          const normalized = axes.map((a) => (a < 0 ? a + rank : a));
          expect(new Set(normalized).size).toBe(axes.length);
        },
      ),
      runs,
    );
    const seen = new Set(fc.sample(arbAxis(3), { seed: 2, numRuns: 300 }));
    expect([...seen].sort()).toEqual([-1, -2, -3, 0, 1, 2]);
  });

  it('accept rank 0 the way reductions do', () => {
    expect(new Set(fc.sample(arbAxis(0), { seed: 1, numRuns: 50 }))).toEqual(new Set([-1, 0]));
    expect(fc.sample(arbAxes(0), { seed: 1, numRuns: 5 })).toEqual([[], [], [], [], []]);
  });
});

describe('arbTensor', () => {
  it('keeps values in [min, max] and at least margin away from the points to avoid', () => {
    fc.assert(
      fc.property(arbTensor({ min: -1, max: 2, avoid: [0, 1], margin: 0.05 }), (t) => {
        expect(t.dtype).toBe('float64');
        for (const v of t.data()) {
          expect(v >= -1 && v <= 2).toBe(true);
          expect(Math.abs(v) >= 0.05 && Math.abs(v - 1) >= 0.05).toBe(true);
        }
      }),
      runs,
    );
  });

  it('pushes values out of a hole at an end of the range to the side that is left', () => {
    const values = fc.sample(arbTensor({ shape: [8], min: 0, max: 1, avoid: [0], margin: 0.1 }), {
      seed: 3,
      numRuns: 50,
    });
    for (const t of values) for (const v of t.data()) expect(v >= 0.1 && v <= 1).toBe(true);
  });

  it('spaces elements at least minGap apart when asked (no ties)', () => {
    fc.assert(
      fc.property(arbTensor({ shape: arbShape({ minRank: 1 }), minGap: 0.01, min: -1, max: 1 }), (t) => {
        const sorted = Array.from(t.data()).sort((a, b) => a - b);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i]! - sorted[i - 1]!).toBeGreaterThan(0.01 - 1e-12);
      }),
      runs,
    );
    expect(() => fc.sample(arbTensor({ shape: [5], minGap: 1, min: 0, max: 2 }), 1)).toThrow('cannot place 5 values');
  });

  it('honours a fixed shape, a dtype and requiresGrad', () => {
    const [t] = fc.sample(arbTensor({ shape: [2, 3], dtype: 'float32', requiresGrad: true }), { seed: 1, numRuns: 1 });
    expect(t!.shape).toEqual([2, 3]);
    expect(t!.dtype).toBe('float32');
    expect(t!.requiresGrad).toBe(true);
  });

  it('prints as code that rebuilds it exactly', () => {
    for (const t of fc.sample(arbTensor(), { seed: 9, numRuns: 30 })) {
      const source = fc.stringify(t);
      expect(source.startsWith('tensor(') || source.startsWith('zeros(')).toBe(true);
      expect(source.endsWith(", { dtype: 'float64' })")).toBe(true);
      const body = source.slice('tensor('.length, source.length - ", { dtype: 'float64' })".length);
      expect(JSON.parse(body.replace(/-0(?![.\de])/g, '0'))).toEqual(t.toArray());
    }
  });

  it('shrinks to one small element', () => {
    const t: Tensor = shrunk(arbTensor(), (x) => x.data().every((v) => v < 1));
    expect(t.size).toBe(1);
    expect(t.item()).toBeGreaterThanOrEqual(1);
    expect(t.item()).toBeLessThan(1.5);
  });

  it('refuses a range that the avoided points cover entirely', () => {
    expect(() => arbTensor({ min: -0.1, max: 0.1, avoid: [0], margin: 0.5 })).toThrow(ArgumentError);
  });
});

describe('arbTensors and arbValue', () => {
  it('arbTensors gives one tensor per generated shape', () => {
    fc.assert(
      fc.property(arbTensors(arbMatmulShapes(), { min: -1, max: 1 }), (pair) => {
        expect(pair).toHaveLength(2);
        expect(matmulShape(pair[0]!.shape.slice(), pair[1]!.shape.slice())).not.toBeNull();
      }),
      runs,
    );
  });

  it('arbValue gives leaf Values inside the range, away from the avoided points', () => {
    fc.assert(
      fc.property(arbValue({ min: -2, max: 2, avoid: [0], margin: 0.1 }), (v) => {
        expect(v.isLeaf && v.requiresGrad).toBe(true);
        expect(Math.abs(v.data) >= 0.1 && Math.abs(v.data) <= 2).toBe(true);
      }),
      runs,
    );
    expect(fc.stringify(fc.sample(arbValue(), { seed: 1, numRuns: 1 })[0])).toMatch(/^value\(-?[\d.e-]+\)$/);
  });
});
