import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, Generator, ShapeError, arange, tensor } from '@chainrule/core';
import { DataLoader, MinMaxScaler, StandardScaler, trainTestSplit, type Dataset } from '../src/index';
import { expectClose } from './helpers';

/** A dataset whose sample i has input row [i, 10i] and target i, so batches reveal which samples they hold. */
function numbered(n: number): Dataset {
  const ids = arange(n, undefined, 1, { dtype: 'float64' });
  return { inputs: ids.reshape([n, 1]).mul(tensor([[1, 10]], { dtype: 'float64' })), targets: ids };
}

function epoch(loader: DataLoader): number[][] {
  return [...loader].map((b) => Array.from(b.targets.data()));
}

describe('DataLoader', () => {
  it('visits every sample exactly once per epoch, in batches of batchSize', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (n, batchSize, shuffle, seed) => {
          const loader = new DataLoader(numbered(n), { batchSize, shuffle, seed });
          for (let e = 0; e < 2; e++) {
            const batches = epoch(loader);
            expect(batches).toHaveLength(Math.ceil(n / batchSize));
            expect(loader.length).toBe(batches.length);
            expect(batches.slice(0, -1).every((b) => b.length === batchSize)).toBe(true);
            expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps inputs and targets of a sample together', () => {
    for (const { inputs, targets } of new DataLoader(numbered(10), { batchSize: 4, shuffle: true, seed: 3 })) {
      const ids = Array.from(targets.data());
      expect(inputs.toArray()).toEqual(ids.map((i) => [i, 10 * i]));
    }
  });

  it('without shuffle keeps the dataset order and a smaller last batch', () => {
    expect(epoch(new DataLoader(numbered(5), { batchSize: 2 }))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('dropLast skips the partial last batch', () => {
    const loader = new DataLoader(numbered(5), { batchSize: 2, dropLast: true });
    expect(epoch(loader)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(loader.length).toBe(2);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 12 }), (n, batchSize) => {
        const batches = epoch(new DataLoader(numbered(n), { batchSize, shuffle: true, seed: n, dropLast: true }));
        expect(batches).toHaveLength(Math.floor(n / batchSize));
        expect(batches.every((b) => b.length === batchSize)).toBe(true);
        expect(new Set(batches.flat()).size).toBe(batches.flat().length);
      }),
      { numRuns: 50 },
    );
  });

  it('shuffles reproducibly by seed, with a new order each epoch', () => {
    const a = new DataLoader(numbered(20), { batchSize: 20, shuffle: true, seed: 42 });
    const b = new DataLoader(numbered(20), { batchSize: 20, shuffle: true, seed: 42 });
    const a1 = epoch(a);
    const a2 = epoch(a);
    expect(epoch(b)).toEqual(a1);
    expect(epoch(b)).toEqual(a2);
    expect(a2).not.toEqual(a1);
    expect(epoch(new DataLoader(numbered(20), { batchSize: 20, shuffle: true, seed: 43 }))).not.toEqual(a1);
    expect(a1[0]).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('can draw its orders from a given generator', () => {
    const x = epoch(new DataLoader(numbered(8), { batchSize: 8, shuffle: true, generator: new Generator(5) }));
    const y = epoch(new DataLoader(numbered(8), { batchSize: 8, shuffle: true, generator: new Generator(5) }));
    expect(y).toEqual(x);
  });

  it('keeps int32 class labels as int32', () => {
    const data = { inputs: tensor([[1], [2], [3]]), targets: tensor([2, 0, 1], { dtype: 'int32' }) };
    const batches = [...new DataLoader(data, { batchSize: 2 })];
    expect(batches.map((b) => [b.targets.dtype, b.targets.toArray()])).toEqual([
      ['int32', [2, 0]],
      ['int32', [1]],
    ]);
  });

  it('yields tensors outside the graph', () => {
    const data = { inputs: tensor([[1], [2]], { requiresGrad: true }), targets: tensor([1, 2]) };
    const [batch] = [...new DataLoader(data)];
    expect(batch?.inputs.requiresGrad).toBe(false);
  });

  it('refuses mismatched sample counts and bad options', () => {
    expect(() => new DataLoader({ inputs: tensor([[1], [2]]), targets: tensor([1]) })).toThrow(ShapeError);
    expect(() => new DataLoader({ inputs: tensor([[1], [2]]), targets: tensor([1]) })).toThrow(
      /inputs hold 2 samples .* targets hold 1/,
    );
    expect(() => new DataLoader({ inputs: [[1]] as never, targets: tensor([1]) })).toThrow(ArgumentError);
    expect(() => new DataLoader(numbered(3), { batchSize: 0 })).toThrow(ArgumentError);
    expect(() => new DataLoader(numbered(3), { seed: 1, generator: new Generator(1) })).toThrow(ArgumentError);
    expect(() => new DataLoader(numbered(3), { seed: 0.5 })).toThrow(ArgumentError);
  });
});

describe('MinMaxScaler', () => {
  const x = tensor(
    [
      [1, 10, 5],
      [3, 30, 5],
      [2, 20, 5],
    ],
    { dtype: 'float64' },
  );

  it('maps each column to [0, 1]; a constant column maps to 0', () => {
    // Column 0: (x - 1) / 2; column 1: (x - 10) / 20; column 2 is constant.
    expectClose(
      new MinMaxScaler().fitTransform(x),
      [
        [0, 0, 0],
        [1, 1, 0],
        [0.5, 0.5, 0],
      ],
      { rtol: 1e-15, atol: 1e-15 },
    );
  });

  it('maps to a given featureRange and inverts exactly enough', () => {
    const scaler = new MinMaxScaler({ featureRange: [-1, 1] });
    const scaled = scaler.fitTransform(x);
    expectClose(
      scaled,
      [
        [-1, -1, -1],
        [1, 1, -1],
        [0, 0, -1],
      ],
      { rtol: 1e-15, atol: 1e-15 },
    );
    expectClose(scaler.inverseTransform(scaled), x, { rtol: 1e-15, atol: 1e-15 });
    expect(scaler.dataMin?.toArray()).toEqual([1, 10, 5]);
    expect(scaler.dataMax?.toArray()).toEqual([3, 30, 5]);
  });

  it('applies the fitted statistics to new data (values may leave the range)', () => {
    const scaler = new MinMaxScaler().fit(x);
    expectClose(scaler.transform(tensor([[5, 0, 6]], { dtype: 'float64' })), [[2, -0.5, 1]], {
      rtol: 1e-15,
      atol: 1e-15,
    });
  });

  it('keeps the input dtype', () => {
    expect(new MinMaxScaler().fitTransform(tensor([[1], [2]])).dtype).toBe('float32');
  });

  it('refuses use before fit, wrong feature counts and bad ranges', () => {
    expect(() => new MinMaxScaler().transform(x)).toThrow(/call fit\(x\) first/);
    expect(() => new MinMaxScaler().fit(x).transform(tensor([[1, 2]], { dtype: 'float64' }))).toThrow(ShapeError);
    expect(() => new MinMaxScaler().fit(tensor([1, 2]))).toThrow(ShapeError);
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow(ArgumentError);
  });
});

describe('StandardScaler', () => {
  it('centres on the mean and divides by the population standard deviation', () => {
    const x = tensor(
      [
        [1, 7],
        [3, 7],
        [5, 7],
      ],
      { dtype: 'float64' },
    );
    // Column 0: mean 3, std √(8/3); column 1 is constant: centred, scale 1.
    const s = Math.sqrt(8 / 3);
    const scaler = new StandardScaler();
    expectClose(
      scaler.fitTransform(x),
      [
        [-2 / s, 0],
        [0, 0],
        [2 / s, 0],
      ],
      { rtol: 1e-14, atol: 1e-15 },
    );
    expectClose(scaler.scale ?? [], [s, 1], { rtol: 1e-15, atol: 0 });
    expectClose(scaler.inverseTransform(scaler.transform(x)), x, { rtol: 1e-15, atol: 1e-15 });
  });

  it('treats a constant column whose mean rounds as constant', () => {
    const x = tensor([[0.1], [0.1], [0.1]], { dtype: 'float64' });
    expect(new StandardScaler().fit(x).scale?.toArray()).toEqual([1]);
  });
});

describe('trainTestSplit', () => {
  it('puts every sample in exactly one part, ceil(testSize·n) in test', () => {
    const { train, test } = trainTestSplit(numbered(10), { testSize: 0.25, seed: 1 });
    const trainIds = Array.from(train.targets.data());
    const testIds = Array.from(test.targets.data());
    expect(testIds).toHaveLength(3);
    expect(trainIds).toHaveLength(7);
    expect([...trainIds, ...testIds].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i));
    expect(train.inputs.toArray()).toEqual(trainIds.map((i) => [i, 10 * i]));
  });

  it('is reproducible by seed and takes a sample count', () => {
    const a = trainTestSplit(numbered(12), { testSize: 4, seed: 9 });
    const b = trainTestSplit(numbered(12), { testSize: 4, seed: 9 });
    expect(b.test.targets.toArray()).toEqual(a.test.targets.toArray());
    expect(a.test.targets.size).toBe(4);
  });

  it('without shuffle holds out the last samples', () => {
    const { train, test } = trainTestSplit(numbered(5), { testSize: 2, shuffle: false });
    expect(train.targets.toArray()).toEqual([0, 1, 2]);
    expect(test.targets.toArray()).toEqual([3, 4]);
  });

  it('refuses sizes that leave a part empty', () => {
    expect(() => trainTestSplit(numbered(4), { testSize: 4 })).toThrow(ArgumentError);
    expect(() => trainTestSplit(numbered(4), { testSize: 0 })).toThrow(ArgumentError);
    expect(() => trainTestSplit(numbered(4), { testSize: 1.5 })).toThrow(ArgumentError);
  });
});
