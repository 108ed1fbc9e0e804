/**
 * Dropout1d, Dropout2d and Dropout3d: whole channels are kept or zeroed
 * while training (PyTorch's feature dropout), with PyTorch 1.13's reading of
 * each input rank; the identity in evaluation. PyTorch's masks come from its
 * own random stream, so what is compared is their structure, not their bits.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ChainruleError, Generator, ShapeError, Tensor, ones, randn } from '@chainrule/core';
import { Dropout1d, Dropout2d, Dropout3d } from '../src/index';

function expectError(call: () => unknown, type: new (...args: never[]) => ChainruleError, message: RegExp): void {
  expect(call).toThrow(type);
  expect(call).toThrow(message);
}

/** The values of x's [lead...] blocks: each must be one repeated number. */
function blocks(out: Tensor, lead: number): number[] {
  const size = out.shape.slice(lead).reduce((a, b) => a * b, 1);
  const data = Array.from(out.data(), Number);
  const values: number[] = [];
  for (let b = 0; b < data.length / size; b++) {
    const block = data.slice(b * size, (b + 1) * size);
    expect(new Set(block).size, `block ${b} is not constant: ${block.join(', ')}`).toBe(1);
    values.push(block[0] as number);
  }
  return values;
}

describe('channel dropout in training', () => {
  it('Dropout2d zeroes whole [n, c] maps of [N, C, H, W] and scales the rest by 1 / (1 - p)', () => {
    const out = new Dropout2d(0.5, { generator: new Generator(1) }).forward(ones([4, 8, 3, 3]));
    const values = blocks(out, 2);
    expect(new Set(values)).toEqual(new Set([0, 2]));
  });

  it('Dropout2d reads a 3-D input as [N, C, L], as PyTorch 1.13 does: each [n, c, :] row is kept or zeroed', () => {
    const out = new Dropout2d(0.5, { generator: new Generator(2) }).forward(ones([6, 5, 4]));
    expect(new Set(blocks(out, 2))).toEqual(new Set([0, 2]));
  });

  it('Dropout1d zeroes channels of [N, C, L], and of an unbatched [C, L]', () => {
    const batched = new Dropout1d(0.25, { generator: new Generator(3) }).forward(ones([3, 6, 5]));
    // float32 ones: the survivors are 1 / 0.75 rounded to float32.
    expect(new Set(blocks(batched, 2))).toEqual(new Set([0, Math.fround(4 / 3)]));
    const unbatched = new Dropout1d(0.5, { generator: new Generator(4) }).forward(ones([12, 5]));
    expect(new Set(blocks(unbatched, 1))).toEqual(new Set([0, 2]));
  });

  it('Dropout3d zeroes channel volumes of [N, C, D, H, W], and of an unbatched [C, D, H, W]', () => {
    const batched = new Dropout3d(0.5, { generator: new Generator(5) }).forward(ones([2, 6, 2, 2, 2]));
    expect(new Set(blocks(batched, 2))).toEqual(new Set([0, 2]));
    const unbatched = new Dropout3d(0.5, { generator: new Generator(6) }).forward(ones([10, 2, 3, 2]));
    expect(new Set(blocks(unbatched, 1))).toEqual(new Set([0, 2]));
  });

  it('drops about a fraction p of the channels', () => {
    // 2000 channels at p = 0.3: the zeroed fraction has a standard deviation of √(0.21 / 2000) ≈ 0.01.
    const values = blocks(new Dropout2d(0.3, { generator: new Generator(7) }).forward(ones([50, 40, 2, 2])), 2);
    const zeroed = values.filter((v) => v === 0).length / values.length;
    expect(Math.abs(zeroed - 0.3)).toBeLessThan(0.04);
  });

  it('multiplies the gradient by the same mask: d out / d x = keep / (1 - p)', () => {
    const x = randn([2, 3, 4, 4], { dtype: 'float64', generator: new Generator(8) }).requireGrad();
    const out = new Dropout2d(0.4, { generator: new Generator(9) }).forward(x);
    out.sum().backward();
    const grads = blocks(x.grad as Tensor, 2);
    expect(new Set(grads)).toEqual(new Set([0, 1 / 0.6]));
    // Where the gradient is 0 the output is 0 (x itself is never 0 here), and elsewhere out = x / 0.6.
    const kept = Array.from(out.data(), (v, i) => Math.abs(Number(v) - Number(x.data()[i]) / 0.6) < 1e-15);
    const zero = Array.from(out.data(), (v) => v === 0);
    const byGrad = Array.from((x.grad as Tensor).data(), (g) => g !== 0);
    expect(kept).toEqual(byGrad);
    expect(zero).toEqual(byGrad.map((k) => !k));
  });

  it('gives the same masks for the same seed', () => {
    const a = new Dropout2d(0.5, { generator: new Generator(10) }).forward(ones([4, 16, 2, 2])).toArray();
    const b = new Dropout2d(0.5, { generator: new Generator(10) }).forward(ones([4, 16, 2, 2])).toArray();
    const c = new Dropout2d(0.5, { generator: new Generator(11) }).forward(ones([4, 16, 2, 2])).toArray();
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('channel dropout outside training', () => {
  it('is the identity in evaluation and for p = 0, and zeros for p = 1', () => {
    const x = randn([2, 3, 4, 4]);
    expect(new Dropout2d(0.5).eval().forward(x)).toBe(x);
    expect(new Dropout1d(0).forward(x.reshape([6, 4, 4]))).toStrictEqual(x.reshape([6, 4, 4]));
    expect(Array.from(new Dropout2d(1).forward(x).data()).every((v) => v === 0)).toBe(true);
    expect(new Dropout2d(0.3).extraRepr()).toBe('p=0.3');
  });
});

describe('channel dropout errors', () => {
  it('refuses ranks without a channel layout, naming the layout and the layer to use', () => {
    expectError(
      () => new Dropout2d().forward(ones([4, 4])),
      ShapeError,
      /^Dropout2d: expected a 4-D input \[N, C, H, W\] \(or 3-D, read as \[N, C, L\] as PyTorch does; use Dropout for other ranks\), got shape \[4,4\]/,
    );
    expectError(
      () => new Dropout1d().forward(ones([2, 2, 2, 2])),
      ShapeError,
      /^Dropout1d: expected a 3-D input \[N, C, L\] or a 2-D unbatched one \[C, L\]/,
    );
    expectError(() => new Dropout3d().forward(ones([2, 2, 2])), ShapeError, /^Dropout3d: expected a 5-D input/);
    // Checked in evaluation too, as PyTorch's functional dropout1d checks.
    expectError(() => new Dropout1d().eval().forward(ones([2])), ShapeError, /^Dropout1d: expected/);
  });

  it('refuses a p outside [0, 1] and a generator that is not one', () => {
    expectError(
      () => new Dropout2d(1.5),
      ArgumentError,
      /^Dropout2d: p is a probability and must be in \[0, 1\], got 1.5/,
    );
    expectError(() => new Dropout1d(Number.NaN), ArgumentError, /^Dropout1d: p is a probability/);
    expectError(
      () => new Dropout3d(0.5, { generator: 3 } as never),
      ArgumentError,
      /^Dropout3d: generator must be a Generator/,
    );
    expectError(() => new Dropout2d(0.5, { seed: 3 } as never), ArgumentError, /^Dropout2d: unknown option 'seed'/);
  });

  it('draws nothing from the generator for an input it refuses', () => {
    const checked = new Dropout2d(0.5, { generator: new Generator(12) });
    expect(() => checked.forward(ones([2, 2]))).toThrow(ShapeError);
    const fresh = new Dropout2d(0.5, { generator: new Generator(12) });
    expect(checked.forward(ones([2, 8, 1, 1])).toArray()).toEqual(fresh.forward(ones([2, 8, 1, 1])).toArray());
  });
});
