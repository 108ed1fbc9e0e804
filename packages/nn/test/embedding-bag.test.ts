/**
 * EmbeddingBag against PyTorch 1.13 in float64 (fixtures/normalization.py):
 * every mode with 2-D input and with offsets (empty bags included),
 * includeLastOffset, paddingIdx, per-sample weights (mode 'sum', as
 * PyTorch), ties in 'max' and maxNorm's in-place renormalization; then
 * hand-derived values, gradient checks, and the errors.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Generator, IndexError, ShapeError, Tensor, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import { EmbeddingBag, type EmbeddingBagOptions, embeddingBag } from '../src/index';
import { expectClose } from './helpers';

interface Flat {
  shape: number[];
  values: number[];
}
interface BagCase {
  name: string;
  args: [number, number];
  options: EmbeddingBagOptions;
  keys: string[];
  weight: Flat;
  weightAfter: Flat;
  input: Flat;
  offsets: Flat | null;
  perSampleWeights: Flat | null;
  output: Flat;
  cotangent: Flat;
  grads: { weight: Flat; perSampleWeights: Flat | null };
}

const cases = (
  JSON.parse(readFileSync(new URL('./fixtures/normalization.json', import.meta.url), 'utf8')) as {
    embeddingBag: BagCase[];
  }
).embeddingBag;
const tight = { rtol: 1e-10, atol: 1e-12 };
const float64 = (f: Flat, requiresGrad = false): Tensor =>
  tensor(f.values, { shape: f.shape, dtype: 'float64', requiresGrad });
const int32 = (f: Flat): Tensor => tensor(f.values, { shape: f.shape, dtype: 'int32' });
const ints = (values: number[] | number[][]): Tensor => tensor(values, { dtype: 'int32' });

describe('EmbeddingBag against PyTorch', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const bag = new EmbeddingBag(c.args[0], c.args[1], { ...c.options, dtype: 'float64' });
    expect(Object.keys(bag.stateDict())).toEqual(c.keys);
    bag.loadStateDict({ weight: float64(c.weight) });
    const psw = c.perSampleWeights === null ? null : float64(c.perSampleWeights, true);
    const out = bag.forward(int32(c.input), c.offsets === null ? null : int32(c.offsets), psw);
    expectClose(out, float64(c.output), tight);
    // maxNorm rescales the rows it looks up, in place, before the lookup.
    expectClose(bag.weight, float64(c.weightAfter), tight);
    out.mul(float64(c.cotangent)).sum().backward();
    expectClose(bag.weight.grad as Tensor, float64(c.grads.weight), tight);
    if (psw !== null) expectClose(psw.grad as Tensor, float64(c.grads.perSampleWeights as Flat), tight);
  });

  it('the functional form gives the same bags', () => {
    const c = cases.find((k) => k.name === 'sum with per-sample weights') as BagCase;
    const out = embeddingBag(int32(c.input), float64(c.weight), {
      offsets: int32(c.offsets as Flat),
      perSampleWeights: float64(c.perSampleWeights as Flat),
      mode: 'sum',
    });
    expectClose(out, float64(c.output), tight);
  });
});

describe('EmbeddingBag by hand', () => {
  // Rows: w0 = [1, 2], w1 = [3, -1], w2 = [0, 5], w3 = [-2, 4].
  const table = [
    [1, 2],
    [3, -1],
    [0, 5],
    [-2, 4],
  ];
  const layer = (options: EmbeddingBagOptions) => {
    const bag = new EmbeddingBag(4, 2, { ...options, dtype: 'float64' });
    bag.loadStateDict({ weight: tensor(table, { dtype: 'float64' }) });
    return bag;
  };

  it('sums, averages and takes maxima per bag; an empty bag gives zeros', () => {
    const input = ints([0, 1, 3, 2]);
    const offsets = ints([0, 2, 2]); // bags {0, 1}, {}, {3, 2}
    // sum: w0 + w1 = [4, 1]; w3 + w2 = [-2, 9]
    expect(layer({ mode: 'sum' }).forward(input, offsets).toArray()).toEqual([
      [4, 1],
      [0, 0],
      [-2, 9],
    ]);
    expect(layer({ mode: 'mean' }).forward(input, offsets).toArray()).toEqual([
      [2, 0.5],
      [0, 0],
      [-1, 4.5],
    ]);
    expect(layer({ mode: 'max' }).forward(input, offsets).toArray()).toEqual([
      [3, 2],
      [0, 0],
      [0, 5],
    ]);
  });

  it('weights each element in sum mode, and leaves paddingIdx out of the count of a mean', () => {
    // 2·w0 - w2 = [2, -1]
    expect(
      layer({ mode: 'sum' })
        .forward(ints([[0, 2]]), null, tensor([[2, -1]], { dtype: 'float64' }))
        .toArray(),
    ).toEqual([[2, -1]]);
    // Bag {1, 3, 1} with padding 1: the mean of w3 alone.
    expect(
      layer({ mode: 'mean', paddingIdx: 1 })
        .forward(ints([[1, 3, 1]]))
        .toArray(),
    ).toEqual([[-2, 4]]);
  });

  it('initializes N(0, 1) from the generator, with the padding row 0', () => {
    const a = new EmbeddingBag(5, 3, { paddingIdx: -2, generator: new Generator(3) });
    const b = new EmbeddingBag(5, 3, { paddingIdx: 3, generator: new Generator(3) });
    expect(a.paddingIdx).toBe(3);
    expect(a.weight.toArray()).toEqual(b.weight.toArray());
    expect((a.weight.toArray() as number[][])[3]).toEqual([0, 0, 0]);
    expect(a.mode).toBe('mean');
  });

  it('gives zeros for an empty input (as PyTorch), still connected to the weight', () => {
    for (const mode of ['sum', 'mean', 'max'] as const) {
      const bag = layer({ mode });
      const out = bag.forward(tensor([], { dtype: 'int32' }), ints([0, 0]));
      expect(out.toArray()).toEqual([
        [0, 0],
        [0, 0],
      ]);
      out.sum().backward();
      expect(bag.weight.grad?.toArray()).toEqual(table.map((row) => row.map(() => 0)));
    }
  });

  it('gives the padding row no gradient', () => {
    const bag = layer({ mode: 'sum', paddingIdx: 2 });
    bag
      .forward(ints([[2, 0, 2]]))
      .sum()
      .backward();
    expect(bag.weight.grad?.toArray()).toEqual([
      [1, 1],
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
  });
});

describe('EmbeddingBag gradients', () => {
  // Bags {2, 0}, {}, {1, 1, 3} (a repeated row), {4}.
  const input = ints([2, 0, 1, 1, 3, 4]);
  const offsets = ints([0, 2, 2, 5]);
  const f = (mode: 'sum' | 'mean' | 'max') => (w: Tensor, psw?: Tensor) =>
    embeddingBag(input, w, { offsets, mode, ...(psw === undefined ? {} : { perSampleWeights: psw }) });

  it('match finite differences to second order, for the weight in every mode and the per-sample weights', () => {
    fc.assert(
      fc.property(arbTensor({ shape: [5, 3], minGap: 0.05 }), arbTensor({ shape: [6] }), (w, psw) => {
        for (const mode of ['sum', 'mean', 'max'] as const) {
          assertGradcheck(f(mode), [w]);
          assertGradgradcheck(f(mode), [w]);
        }
        assertGradcheck(f('sum'), [w, psw]);
        assertGradgradcheck(f('sum'), [w, psw]);
      }),
      { numRuns: 6 },
    );
    // Eight gradient checks per run: seconds on a loaded machine, so a wider timeout than vitest's 5 s.
  }, 60_000);
});

describe('EmbeddingBag errors', () => {
  const bag = new EmbeddingBag(4, 2, { mode: 'sum' });
  const x = ints([0, 1, 2]);

  it('refuses bad constructor arguments', () => {
    expect(() => new EmbeddingBag(0, 2)).toThrow(ArgumentError);
    expect(() => new EmbeddingBag(4, 2, { mode: 'median' as 'sum' })).toThrow(
      /EmbeddingBag: mode must be 'sum', 'mean' or 'max'/,
    );
    expect(() => new EmbeddingBag(4, 2, { paddingIdx: 4 })).toThrow(
      /paddingIdx must be null or an integer in \[-4, 3\]/,
    );
    expect(() => new EmbeddingBag(4, 2, { paddingIdx: -5 })).toThrow(ArgumentError);
    expect(() => new EmbeddingBag(4, 2, { maxNorm: 0 })).toThrow(/maxNorm must be null or a finite number > 0/);
    expect(() => new EmbeddingBag(4, 2, { normType: -1 })).toThrow(/normType must be a number > 0/);
    expect(() => new EmbeddingBag(4, 2, { sparse: true } as EmbeddingBagOptions)).toThrow(/unknown option 'sparse'/);
  });

  it('refuses indices that are not int32, out of range, or of another rank', () => {
    expect(() => bag.forward(tensor([[0, 1]]))).toThrow(DTypeError);
    expect(() => bag.forward(tensor([[0, 1]]))).toThrow(/EmbeddingBag: the input must hold int32 indices.*got float32/);
    expect(() => bag.forward(ints([[0, 4]]))).toThrow(IndexError);
    expect(() => bag.forward(ints([[0, 4]]))).toThrow(
      /index 4 \(element 1 of the input\) is out of range for 4 embeddings/,
    );
    expect(() => bag.forward(ints([[-1, 0]]))).toThrow(IndexError);
    expect(() => bag.forward(tensor([[[0]]], { dtype: 'int32' }))).toThrow(ShapeError);
  });

  it('refuses offsets that do not describe bags', () => {
    expect(() => bag.forward(x)).toThrow(/a 1-D input needs offsets/);
    expect(() => bag.forward(ints([[0, 1]]), ints([0]))).toThrow(
      /a 2-D input \[1,2\] is a batch of bags of equal length, so offsets must be absent/,
    );
    expect(() => bag.forward(x, ints([1, 2]))).toThrow(/offsets\[0\] must be 0/);
    expect(() => bag.forward(x, ints([0, 2, 1]))).toThrow(
      /offsets must be non-decreasing and at most the input's length 3/,
    );
    expect(() => bag.forward(x, ints([0, 4]))).toThrow(ArgumentError);
    expect(() => bag.forward(x, tensor([], { dtype: 'int32' }))).toThrow(/offsets must be a non-empty 1-D tensor/);
    expect(() => bag.forward(x, tensor([0, 1]))).toThrow(/offsets must hold int32 indices/);
    const last = new EmbeddingBag(4, 2, { includeLastOffset: true });
    expect(() => last.forward(x, ints([0, 2]))).toThrow(
      /the last offset ends the last bag and must equal the input's length 3, got 2/,
    );
    expect(() => last.forward(ints([[0, 1]]))).toThrow(/includeLastOffset describes offsets/);
    expect(last.forward(x, ints([0, 2, 3])).shape).toEqual([2, 2]);
  });

  it('refuses per-sample weights outside sum mode or of another shape', () => {
    const mean = new EmbeddingBag(4, 2, { mode: 'mean' });
    expect(() => mean.forward(x, ints([0]), tensor([1, 1, 1]))).toThrow(
      /perSampleWeights are only supported with mode 'sum'/,
    );
    expect(() => bag.forward(x, ints([0]), tensor([1, 1]))).toThrow(
      /perSampleWeights has shape \[2\]; it must have the input's shape \[3\]/,
    );
    expect(() => bag.forward(x, ints([0]), ints([1, 1, 1]))).toThrow(DTypeError);
  });

  it('changes nothing when it refuses: maxNorm renormalizes only after every check', () => {
    const renorming = new EmbeddingBag(4, 2, { mode: 'sum', maxNorm: 1e-3 });
    const before = renorming.weight.toArray();
    expect(() => renorming.forward(ints([0, 1, 9]), ints([0]))).toThrow(IndexError);
    expect(() => renorming.forward(ints([0, 1]), ints([0]), tensor([1]))).toThrow(ShapeError);
    expect(renorming.weight.toArray()).toEqual(before);
    renorming.forward(ints([0, 1]), ints([0]));
    expect(renorming.weight.toArray()).not.toEqual(before);
  });
});
