import { ArgumentError } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { EXTENT } from '../../src/train/datasets';
import { DEFAULT_CONFIG, Trainer } from '../../src/train/trainer';
import { plainForward, plainLayers } from './reference-mlp';

/** The bound the README and the browser test state: the default spiral run passes 95% within this many steps. */
const SPIRAL_STEP_BOUND = 1000;

describe('Trainer', () => {
  it(`separates the spiral: ≥ 95% training accuracy within ${SPIRAL_STEP_BOUND} steps`, () => {
    const trainer = new Trainer(DEFAULT_CONFIG);
    let accuracy = trainer.evaluate().accuracy;
    // Untrained, a network cannot do much better than chance on the spiral.
    expect(accuracy).toBeLessThan(0.8);
    while (trainer.steps < SPIRAL_STEP_BOUND && accuracy < 0.95) {
      for (let i = 0; i < 50; i++) trainer.step();
      accuracy = trainer.evaluate().accuracy;
    }
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    expect(trainer.steps).toBeLessThanOrEqual(SPIRAL_STEP_BOUND);
    // About 4 s on a loaded 2-core machine; the default 5 s is too tight for it.
  }, 60_000);

  it('reports the cost, accuracy and probabilities of an independent forward pass', () => {
    const trainer = new Trainer({ ...DEFAULT_CONFIG, dataset: 'circles', hidden: [5, 3] });
    for (let i = 0; i < 30; i++) trainer.step();
    const layers = plainLayers(trainer.model.stateDict());
    const { xy, labels } = trainer.data;
    let cost = 0;
    let right = 0;
    const p = trainer.probabilities(xy);
    for (let i = 0; i < labels.length; i++) {
      const [z0, z1] = plainForward(layers, xy.subarray(2 * i, 2 * i + 2), 'relu', 'linear') as [number, number];
      // Softmax of two logits: P(1) = 1 / (1 + e^(z0 - z1)); the cross-entropy is -log P(label).
      const p1 = 1 / (1 + Math.exp(z0 - z1));
      expect(p[i]).toBeCloseTo(p1, 5);
      cost -= Math.log(labels[i] === 1 ? p1 : 1 - p1);
      if (p1 > 0.5 === (labels[i] === 1)) right++;
    }
    const e = trainer.evaluate();
    expect(e.loss).toBeCloseTo(cost / labels.length, 5);
    expect(e.accuracy).toBe(right / labels.length);
  });

  it('uses one sigmoid output and the squared error with the mse cost', () => {
    const trainer = new Trainer({ ...DEFAULT_CONFIG, dataset: 'xor', loss: 'mse', activation: 'tanh', hidden: [4] });
    for (let i = 0; i < 5; i++) trainer.step();
    const layers = plainLayers(trainer.model.stateDict());
    expect(layers.at(-1)?.outputs).toBe(1);
    const { xy, labels } = trainer.data;
    let cost = 0;
    for (let i = 0; i < labels.length; i++) {
      const [a] = plainForward(layers, xy.subarray(2 * i, 2 * i + 2), 'tanh', 'sigmoid') as [number];
      cost += (a - (labels[i] as number)) ** 2;
    }
    expect(trainer.evaluate().loss).toBeCloseTo(cost / labels.length, 5);
  });

  it('samples the grid at cell centres, top row first', () => {
    const trainer = new Trainer({ ...DEFAULT_CONFIG, dataset: 'blobs', hidden: [3] });
    for (let i = 0; i < 10; i++) trainer.step();
    const layers = plainLayers(trainer.model.stateDict());
    const grid = trainer.grid(4);
    // With 4 cells over [-1.2, 1.2] each is 0.6 wide: centres at -0.9, -0.3, 0.3, 0.9.
    // Row 0 is y = 0.9 (the top); column 3 is x = 0.9.
    const at = (x: number, y: number) => {
      const [z0, z1] = plainForward(layers, [x, y], 'relu', 'linear') as [number, number];
      return 1 / (1 + Math.exp(z0 - z1));
    };
    expect(EXTENT).toBe(1.2);
    expect(grid[0]).toBeCloseTo(at(-0.9, 0.9), 5);
    expect(grid[3]).toBeCloseTo(at(0.9, 0.9), 5);
    expect(grid[12]).toBeCloseTo(at(-0.9, -0.9), 5);
    expect(grid[6]).toBeCloseTo(at(0.3, 0.3), 5);
  });

  it('learns with every optimizer (a step lowers the cost of an easy dataset)', () => {
    for (const optimizer of ['sgd', 'momentum', 'adam', 'rmsprop'] as const) {
      const lr = optimizer === 'sgd' ? 0.5 : optimizer === 'momentum' ? 0.05 : 0.01;
      const trainer = new Trainer({ ...DEFAULT_CONFIG, dataset: 'blobs', optimizer, lr, hidden: [4] });
      const before = trainer.evaluate().loss;
      for (let i = 0; i < 100; i++) trainer.step();
      expect(trainer.evaluate().loss, optimizer).toBeLessThan(before);
      expect(trainer.evaluate().accuracy, optimizer).toBeGreaterThan(0.9);
    }
  });

  it('refuses a bad setting with a typed error that names it', () => {
    const bad = [
      [{ hidden: [0] }, /hidden layer widths must be integers from 1 to 64, got \[0\]/],
      [{ activation: 'gelu' }, /activation must be one of tanh, relu, sigmoid, got gelu/],
      [{ lr: 0 }, /lr must be in \(0, 10\], got 0/],
      [{ batchSize: 500 }, /batchSize must be an integer from 1 to the number of points \(200\), got 500/],
      [{ optimizer: 'lbfgs' }, /optimizer must be one of sgd, momentum, adam, rmsprop/],
    ] as const;
    for (const [change, message] of bad) {
      const make = () => new Trainer({ ...DEFAULT_CONFIG, ...(change as object) });
      expect(make).toThrow(ArgumentError);
      expect(make).toThrow(message);
      expect(make).toThrow(/^Trainer: /);
    }
  });
});
