/**
 * Embedding against PyTorch 1.13 (fixtures/norm-embedding.json, written by
 * fixtures/attention.py): lookups, the padding row's zero gradient, gradient
 * scaling by frequency and max-norm renormalization; plus initialization,
 * fromPretrained, second-order gradients and errors.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DTypeError,
  Generator,
  grad,
  IndexError,
  ShapeError,
  type Tensor,
  manualSeed,
  rand,
  randn,
  tensor,
  zeros,
} from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import { Embedding, embedding } from '../src/index';
import { expectClose } from './helpers';
import { type Nested, t64, torchFixture } from './torch-fixtures';

interface EmbeddingCase {
  name: string;
  options: { paddingIdx: number | null; maxNorm: number | null; normType: number; scaleGradByFreq: boolean };
  keys: string[];
  state: { weight: Nested };
  input: number[][];
  w: Nested;
  out: Nested;
  weightAfter: Nested;
  grads: { weight: Nested };
}

const fixture = torchFixture<{ embedding: EmbeddingCase[] }>('norm-embedding.json');
const tight = { rtol: 1e-12, atol: 1e-14 };
const ints = (values: number[] | number[][] | number) => tensor(values, { dtype: 'int32' });

describe('Embedding against PyTorch', () => {
  for (const c of fixture.embedding) {
    it(`${c.name}: output, weight after the forward, weight gradient`, () => {
      const layer = new Embedding(6, 3, { ...c.options, dtype: 'float64' });
      expect(Object.keys(layer.stateDict())).toEqual(c.keys);
      layer.loadStateDict({ weight: t64(c.state.weight) });
      const out = layer.forward(ints(c.input));
      expectClose(out, c.out, tight);
      expectClose(layer.weight, c.weightAfter, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(layer.weight.grad as Tensor, c.grads.weight, tight);
    });

    it(`${c.name}: the functional form gives the same`, () => {
      const weight = t64(c.state.weight, { requiresGrad: true });
      const out = embedding(ints(c.input), weight, c.options);
      expectClose(out, c.out, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(weight.grad as Tensor, c.grads.weight, tight);
    });
  }
});

describe('Embedding', () => {
  it('draws the table from N(0, 1) with the padding row zero', () => {
    const layer = new Embedding(200, 50, { paddingIdx: 7, generator: new Generator(3) });
    const w = Array.from(layer.weight.data());
    // 10,000 draws: the mean's standard error is 0.01 and the variance's about
    // √(2/10⁴) ≈ 0.014; bounds of 4 standard errors.
    const rest = w.filter((_, i) => Math.floor(i / 50) !== 7);
    const mean = rest.reduce((s, v) => s + v, 0) / rest.length;
    const variance = rest.reduce((s, v) => s + (v - mean) ** 2, 0) / rest.length;
    expect(Math.abs(mean)).toBeLessThan(0.04);
    expect(Math.abs(variance - 1)).toBeLessThan(0.06);
    expect(w.slice(7 * 50, 8 * 50)).toEqual(new Array(50).fill(0));
    expect(layer.weight.dtype).toBe('float32');
    expect(layer.paddingIdx).toBe(7);
    expect(new Embedding(10, 2, { paddingIdx: -1 }).paddingIdx).toBe(9);
  });

  it('looks up an input of any shape: [...input.shape, embeddingDim]', () => {
    const layer = new Embedding(5, 2, { dtype: 'float64' });
    layer.loadStateDict({
      weight: tensor(
        [
          [0, 1],
          [2, 3],
          [4, 5],
          [6, 7],
          [8, 9],
        ],
        { dtype: 'float64' },
      ),
    });
    expect(layer.forward(ints(3)).toArray()).toEqual([6, 7]);
    const out = layer.forward(tensor([4, 0, 2, 1], { shape: [2, 1, 2], dtype: 'int32' }));
    expect(out.shape).toEqual([2, 1, 2, 2]);
    expect(out.toArray()).toEqual([
      [
        [
          [8, 9],
          [0, 1],
        ],
      ],
      [
        [
          [4, 5],
          [2, 3],
        ],
      ],
    ]);
    expect(layer.forward(zeros([0, 3], { dtype: 'int32' })).shape).toEqual([0, 3, 2]);
  });

  it('fromPretrained keeps the table as given (shared, frozen by default) and draws no random numbers', () => {
    const table = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    );
    manualSeed(11);
    const expected = Array.from(rand([4]).data());
    manualSeed(11);
    const frozen = Embedding.fromPretrained(table, { paddingIdx: 1 });
    expect(Array.from(rand([4]).data())).toEqual(expected);
    expect(frozen.weight.requiresGrad).toBe(false);
    // The padding row is not zeroed: the table is the caller's.
    expect(frozen.forward(ints([1])).toArray()).toEqual([[3, 4]]);
    expect(Object.keys(frozen.stateDict())).toEqual(['weight']);
    const tuned = Embedding.fromPretrained(table, { freeze: false });
    expect(tuned.weight.requiresGrad).toBe(true);
    tuned
      .forward(ints([2, 2]))
      .sum()
      .backward();
    expect(tuned.weight.grad?.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [2, 2],
    ]);
    // Shared memory: an update of the layer's table is seen through the caller's tensor.
    tuned.weight.grad = null;
    tuned.loadStateDict({ weight: zeros([3, 2], { dtype: 'float64' }) });
    expect(table.toArray()).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('gives the padding row a zero gradient also to second order, and repeated rows their share', () => {
    // L(W) = Σ embedding(idx, W)², idx = [0, 2, 2, 1, 2], padding row 1, scaled by frequency.
    // The true gradient of row r is n_r·2W[r] (n_r its count); the padding row's
    // is zeroed and the others divided by n_r, so the engine's gradient is
    // G(W) = 2W with row 1 zero. Not a true gradient, so finite differences of
    // L cannot check it; this is PyTorch's rule (the fixtures above agree).
    const idx = ints([0, 2, 2, 1, 2]);
    const scaled = (w: Tensor) => embedding(idx, w, { paddingIdx: 1, scaleGradByFreq: true }).square().sum();
    const w = randn([3, 2], { dtype: 'float64', generator: new Generator(5) });
    const [r0, , r2] = w.toArray() as number[][];
    const twice = (row: number[] | undefined, n = 1) => (row ?? []).map((v) => 2 * n * v);
    expectClose(grad(scaled)(w) as Tensor, [twice(r0), [0, 0], twice(r2)], { rtol: 1e-15, atol: 0 });
    // The second order is the derivative of G itself, checked against finite
    // differences of G (PyTorch 1.13 gives the same: d(Σ G·v)/dW = 2v off the
    // padding row, the scale not applied a second time).
    assertGradcheck((wi: Tensor) => grad(scaled)(wi) as Tensor, [w]);
    // Padding only: G(W) = [2W[0], 0, 6W[2]].
    const padded = (wi: Tensor) => embedding(idx, wi, { paddingIdx: 1 }).square().sum();
    expectClose(grad(padded)(w) as Tensor, [twice(r0), [0, 0], twice(r2, 3)], { rtol: 1e-15, atol: 0 });
    assertGradcheck((wi: Tensor) => grad(padded)(wi) as Tensor, [w]);
  });

  it('has a weight gradient that matches finite differences for random tables and indices (no padding)', () => {
    const arb = fc
      .record({
        rows: fc.integer({ min: 1, max: 4 }),
        dim: fc.integer({ min: 1, max: 3 }),
        n: fc.integer({ min: 0, max: 5 }),
      })
      .chain(({ rows, dim, n }) =>
        fc.tuple(
          arbTensor({ shape: [rows, dim] }),
          fc.array(fc.integer({ min: 0, max: rows - 1 }), { minLength: n, maxLength: n }),
        ),
      );
    fc.assert(
      fc.property(arb, ([w, idx]) => {
        const f = (t: Tensor) => embedding(ints(idx), t).square();
        assertGradcheck(f, [w]);
        assertGradgradcheck(f, [w]);
      }),
      { numRuns: 15 },
    );
  });

  it('refuses an index out of range, naming it and its position, before changing anything', () => {
    const layer = new Embedding(4, 2, { maxNorm: 0.01 });
    const before = Array.from(layer.weight.data());
    expect(() =>
      layer.forward(
        ints([
          [0, 1],
          [4, 2],
        ]),
      ),
    ).toThrow(IndexError);
    expect(() =>
      layer.forward(
        ints([
          [0, 1],
          [4, 2],
        ]),
      ),
    ).toThrow(
      /^Embedding: index 4 at position \[1, 0\] of the input is out of range for 4 embeddings \(valid: 0 to 3\)/,
    );
    expect(() => layer.forward(ints([-1]))).toThrow(/index -1 at position \[0\]/);
    // maxNorm would have rescaled row 0 had the lookup gone ahead.
    expect(Array.from(layer.weight.data())).toEqual(before);
    expect(() => embedding(ints([9]), zeros([3, 2]))).toThrow(/^embedding: index 9/);
  });

  it('refuses non-integer inputs and bad options with typed errors', () => {
    const layer = new Embedding(4, 2);
    expect(() => layer.forward(tensor([1, 2]))).toThrow(DTypeError);
    expect(() => layer.forward(tensor([1, 2]))).toThrow(/^Embedding: the input must hold int32 indices, got float32/);
    expect(() => new Embedding(4, 2, { paddingIdx: 4 })).toThrow(
      /^Embedding: paddingIdx must be an integer in \[-4, 3\]/,
    );
    expect(() => new Embedding(0, 2)).toThrow(/^Embedding: numEmbeddings must be a positive integer, got 0/);
    expect(() => new Embedding(4, 2, { maxNorm: -1 })).toThrow(/maxNorm must be a finite number > 0/);
    expect(() => new Embedding(4, 2, { normType: 0 })).toThrow(/normType must be a number > 0/);
    expect(() => new Embedding(4, 2, { sparse: true } as object)).toThrow(/unknown option 'sparse'/);
    expect(() => Embedding.fromPretrained(zeros([3]))).toThrow(ShapeError);
    expect(() => Embedding.fromPretrained(zeros([3, 2]), { paddingIdx: 3 })).toThrow(
      /^Embedding.fromPretrained: paddingIdx/,
    );
    expect(() => embedding(ints([0]), zeros([3, 2, 1]))).toThrow(/^embedding: the weight must be a \[numEmbeddings/);
  });

  it('refuses hostile arguments with typed errors, never a TypeError', () => {
    const nullProto = Object.create(null) as never;
    expect(() => new Embedding(nullProto, 2)).toThrow(
      /^Embedding: numEmbeddings must be a positive integer, got an object/,
    );
    expect(() => new Embedding(3, 2, null as never)).toThrow(/^Embedding: options must be an object/);
    expect(() => new Embedding(3, 2, { paddingIdx: 10n as never })).toThrow(/paddingIdx .* got the BigInt 10n/);
    expect(() => new Embedding(3, 2).forward([0, 1] as never)).toThrow(
      /^Embedding: the input must be an int32 Tensor of indices, got \[0, 1\]/,
    );
    expect(() => Embedding.fromPretrained(nullProto)).toThrow(/^Embedding.fromPretrained: expected a/);
    expect(() => embedding(ints([0]), nullProto)).toThrow(/^embedding: the weight must be a Tensor/);
  });
});
