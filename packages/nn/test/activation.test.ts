import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, IndexError, ones, tensor, zeros } from '@chainrule/core';
import { Dropout, Flatten, Identity, LeakyReLU, ReLU, Sequential, Sigmoid, Softmax, Tanh } from '../src/index';
import { expectClose } from './helpers';

describe('activation modules', () => {
  const x = tensor([-2, -0.5, 0, 0.5, 2], { dtype: 'float64' });
  const values = [-2, -0.5, 0, 0.5, 2];

  it('compute their textbook formulas elementwise', () => {
    expectClose(
      new Sigmoid().forward(x),
      values.map((v) => 1 / (1 + Math.exp(-v))),
      { rtol: 1e-15, atol: 0 },
    );
    expectClose(new Tanh().forward(x), values.map(Math.tanh), { rtol: 1e-15, atol: 0 });
    expectClose(new ReLU().forward(x), [0, 0, 0, 0.5, 2], { rtol: 0, atol: 0 });
    expectClose(new LeakyReLU().forward(x), [-0.02, -0.005, 0, 0.5, 2], { rtol: 1e-15, atol: 0 });
    expectClose(new LeakyReLU(0.2).forward(x), [-0.4, -0.1, 0, 0.5, 2], { rtol: 1e-15, atol: 0 });
    expect(new Identity().forward(x)).toBe(x);
  });

  it('Softmax normalizes along its axis', () => {
    const m = tensor(
      [
        [1, 2, 3],
        [0, 0, 0],
      ],
      { dtype: 'float64' },
    );
    const s = 1 + Math.E + Math.E ** 2;
    expectClose(
      new Softmax().forward(m),
      [
        [1 / s, Math.E / s, Math.E ** 2 / s],
        [1 / 3, 1 / 3, 1 / 3],
      ],
      { rtol: 1e-15, atol: 0 },
    );
    expectClose(new Softmax(0).forward(m).sum(0), [1, 1, 1], { rtol: 1e-15, atol: 0 });
  });

  it('have no parameters and refuse bad settings', () => {
    expect(new Sequential(new Sigmoid(), new Tanh(), new ReLU(), new LeakyReLU(), new Softmax()).parameterCount()).toBe(
      0,
    );
    expect(() => new LeakyReLU(NaN)).toThrow(ArgumentError);
    expect(() => new Softmax(0.5)).toThrow(ArgumentError);
  });
});

describe('Dropout', () => {
  it('in training zeroes about a fraction p and scales the rest by 1 / (1 - p)', () => {
    const drop = new Dropout(0.25, { generator: new Generator(1) });
    const out = Array.from(drop.forward(ones([4000])).data());
    const zeros = out.filter((v) => v === 0).length;
    // 4000 Bernoulli(0.25) draws: mean 1000, standard deviation ≈ 27; 5 sd either side.
    expect(zeros).toBeGreaterThan(1000 - 140);
    expect(zeros).toBeLessThan(1000 + 140);
    expect(out.filter((v) => v !== 0).every((v) => v === Math.fround(1 / 0.75))).toBe(true);
  });

  it('in evaluation returns the input unchanged', () => {
    const drop = new Dropout(0.5);
    const x = tensor([1, 2, 3]);
    drop.eval();
    expect(drop.forward(x)).toBe(x);
    drop.train();
    expect(drop.forward(ones([100])).toArray()).toContain(0);
  });

  it('follows the model mode set on a parent', () => {
    const model = new Sequential(new Dropout(0.9));
    expect(
      model
        .eval()
        .forward(ones([50]))
        .toArray(),
    ).toEqual(new Array(50).fill(1));
  });

  it('draws the same masks from the same seed', () => {
    const a = new Dropout(0.5, { generator: new Generator(7) }).forward(ones([64])).toArray();
    const b = new Dropout(0.5, { generator: new Generator(7) }).forward(ones([64])).toArray();
    const c = new Dropout(0.5, { generator: new Generator(8) }).forward(ones([64])).toArray();
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('passes gradient 1 / (1 - p) through kept elements and 0 through dropped ones', () => {
    const x = ones([200], { requiresGrad: true });
    const out = new Dropout(0.5, { generator: new Generator(3) }).forward(x);
    out.sum().backward();
    const kept = Array.from(out.data()).map((v) => v !== 0);
    expect(Array.from(x.grad?.data() ?? [])).toEqual(kept.map((k) => (k ? 2 : 0)));
  });

  it('p = 0 is the identity and p = 1 gives zeros; p outside [0, 1] is refused', () => {
    const x = tensor([1, 2]);
    expect(new Dropout(0).forward(x)).toBe(x);
    expect(new Dropout(1).forward(x).toArray()).toEqual([0, 0]);
    expect(() => new Dropout(1.5)).toThrow(ArgumentError);
    expect(() => new Dropout(-0.1)).toThrow(ArgumentError);
  });
});

describe('Flatten', () => {
  it('keeps the batch axis by default', () => {
    expect(new Flatten().forward(zeros([32, 28, 28])).shape).toEqual([32, 784]);
    expect(new Flatten(0).forward(zeros([2, 3, 4])).shape).toEqual([24]);
    expect(new Flatten(1, 2).forward(zeros([2, 3, 4, 5])).shape).toEqual([2, 12, 5]);
  });

  it('keeps the element order (row-major)', () => {
    expect(
      new Flatten()
        .forward(
          tensor([
            [
              [1, 2],
              [3, 4],
            ],
          ]),
        )
        .toArray(),
    ).toEqual([[1, 2, 3, 4]]);
  });

  it('refuses axes outside the input', () => {
    expect(() => new Flatten(3).forward(zeros([2, 3]))).toThrow(IndexError);
  });
});
