import { ArgumentError } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { DATASETS, makeDataset } from '../../src/train/datasets';

const radius = (xy: Float32Array, i: number) => Math.hypot(xy[2 * i] as number, xy[2 * i + 1] as number);

describe('makeDataset', () => {
  it('gives each class half of the points, in class order', () => {
    for (const name of DATASETS) {
      const { xy, labels } = makeDataset(name, { points: 101, seed: 3 });
      expect(labels.length).toBe(100);
      expect(xy.length).toBe(200);
      expect(labels.filter((l) => l === 1).length).toBe(name === 'xor' ? labels.filter((l) => l === 1).length : 50);
      if (name !== 'xor') expect([...labels.slice(0, 50)].every((l) => l === 0)).toBe(true);
    }
  });

  it('is reproducible from its seed, and another seed moves the points', () => {
    for (const name of ['circles', 'blobs'] as const) {
      expect(makeDataset(name, { seed: 7 }).xy).toEqual(makeDataset(name, { seed: 7 }).xy);
      expect(makeDataset(name, { seed: 7 }).xy).not.toEqual(makeDataset(name, { seed: 8 }).xy);
    }
  });

  it('draws circles as a disc of radius 0.4 inside a ring from 0.6 to 1 when there is no noise', () => {
    const { xy, labels } = makeDataset('circles', { noise: 0, points: 400 });
    for (let i = 0; i < labels.length; i++) {
      const r = radius(xy, i);
      if (labels[i] === 0) expect(r).toBeLessThan(0.4 + 1e-6);
      else expect(r >= 0.6 - 1e-6 && r <= 1 + 1e-6).toBe(true);
    }
  });

  it('labels XOR by whether the signs of x and y differ, 0.05 away from the axes', () => {
    const { xy, labels } = makeDataset('xor', { noise: 0, points: 400 });
    for (let i = 0; i < labels.length; i++) {
      const x = xy[2 * i] as number;
      const y = xy[2 * i + 1] as number;
      expect(Math.min(Math.abs(x), Math.abs(y))).toBeGreaterThanOrEqual(0.05 - 1e-6);
      expect(labels[i]).toBe(x * y > 0 ? 0 : 1);
    }
  });

  it('puts the spiral arms where the formula says', () => {
    // 100 points, 50 per arm. Point 25 of arm 0: r = 25/50 = 0.5, t = 1.75·2π·0.5 = 1.75π,
    // so (0.5 sin 1.75π, 0.5 cos 1.75π) = (-0.5/√2, 0.5/√2). Point 75 is point 25 of arm 1,
    // rotated by π: (0.5/√2, -0.5/√2).
    const { xy } = makeDataset('spiral', { noise: 0, points: 100 });
    const h = 0.5 / Math.SQRT2;
    expect(xy[50]).toBeCloseTo(-h, 6);
    expect(xy[51]).toBeCloseTo(h, 6);
    expect(xy[150]).toBeCloseTo(h, 6);
    expect(xy[151]).toBeCloseTo(-h, 6);
  });

  it('centres the blobs at (±0.45, ±0.45)', () => {
    const { xy } = makeDataset('blobs', { points: 4000, noise: 0 });
    const mean = (from: number, to: number, axis: number) => {
      let s = 0;
      for (let i = from; i < to; i++) s += xy[2 * i + axis] as number;
      return s / (to - from);
    };
    // σ = 0.25 over 2000 points: the standard error of a mean is 0.25/√2000 ≈ 0.0056.
    expect(Math.abs(mean(0, 2000, 0) + 0.45)).toBeLessThan(0.03);
    expect(Math.abs(mean(2000, 4000, 1) - 0.45)).toBeLessThan(0.03);
  });

  it('refuses bad options with a typed error naming the option', () => {
    expect(() => makeDataset('moons' as never)).toThrow(ArgumentError);
    expect(() => makeDataset('moons' as never)).toThrow(/^makeDataset: .*circles, xor, spiral, blobs/);
    expect(() => makeDataset('xor', { points: 1 })).toThrow(/points must be an integer from 2/);
    expect(() => makeDataset('xor', { noise: -0.1 })).toThrow(/noise must be in \[0, 1\]/);
    expect(() => makeDataset('xor', { seed: 0.5 })).toThrow(/seed must be a safe integer/);
  });
});
