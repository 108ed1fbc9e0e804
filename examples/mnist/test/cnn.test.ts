/**
 * The CNN of `--model cnn`, piece by piece and in this process: its layers
 * and parameter count, state-dict names equal to PyTorch's for the same
 * Sequential (so saved weights load in PyTorch as they are), its
 * initialization, the model-dependent defaults, and settings files written
 * before there was a CNN.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, type Tensor, noGrad, randn } from '@chainrule/core';
import { Conv2d, type Linear, MaxPool2d, Sigmoid, Unflatten } from '@chainrule/nn';
import { save } from '@chainrule/nn/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '../src/config';
import { readConfig } from '../src/files';
import { buildModel, describeNetwork, type NetworkConfig } from '../src/model';
import { configFrom, describeRun } from '../src/train-command';

const cnn: NetworkConfig = { model: 'cnn', hidden: [120, 84], activation: 'relu', loss: 'cross-entropy' };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-mnist-cnn-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the LeNet-5-style network', () => {
  it('has PyTorch names and shapes for its state dict', () => {
    const model = buildModel(cnn, new Generator(0));
    // PyTorch: nn.Sequential(Unflatten, Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear, ReLU,
    // Linear, ReLU, Linear).state_dict(), as reference/pytorch_mnist.py builds it.
    const shapes = Object.entries(model.stateDict()).map(([k, v]) => [k, v.shape]);
    expect(shapes).toEqual([
      ['1.weight', [6, 1, 5, 5]],
      ['1.bias', [6]],
      ['4.weight', [16, 6, 5, 5]],
      ['4.bias', [16]],
      ['8.weight', [120, 400]],
      ['8.bias', [120]],
      ['10.weight', [84, 120]],
      ['10.bias', [84]],
      ['12.weight', [10, 84]],
      ['12.bias', [10]],
    ]);
    // 6·25 + 6, 16·6·25 + 16, 400·120 + 120, 120·84 + 84, 84·10 + 10.
    expect(model.parameterCount()).toBe(156 + 2416 + 48_120 + 10_164 + 850);
  });

  it('reads rows of 784 pixels as 1×28×28 images and gives 10 scores per digit', () => {
    const model = buildModel(cnn, new Generator(1));
    const layers = [...model];
    expect(layers[0]).toBeInstanceOf(Unflatten);
    expect(layers[1]).toBeInstanceOf(Conv2d);
    expect((layers[1] as Conv2d).padding).toEqual([2, 2]);
    expect(layers[3]).toBeInstanceOf(MaxPool2d);
    const out = noGrad(() => model.forward(randn([3, 784], { generator: new Generator(2) })));
    expect(out.shape).toEqual([3, 10]);
  });

  it('ends in a sigmoid for the MSE cost, as the MLP does', () => {
    const model = buildModel({ ...cnn, loss: 'mse' }, new Generator(3));
    expect([...model].at(-1)).toBeInstanceOf(Sigmoid);
    const out = noGrad(() => model.forward(randn([2, 784], { generator: new Generator(4) })));
    expect(Array.from(out.data()).every((v) => v > 0 && v < 1)).toBe(true);
  });

  it("initializes the convolutions as PyTorch does and the fully connected layers as the MLP's Dense layers", () => {
    const layers = [...buildModel(cnn, new Generator(5))];
    const absMax = (t: Tensor) => Math.max(...Array.from(t.data(), (v) => Math.abs(Number(v))));
    const conv = layers[4] as Conv2d;
    // PyTorch's conv default: U(±1/√fanIn) for weight and bias; fanIn = 6·5·5 = 150.
    expect(absMax(conv.weight)).toBeLessThanOrEqual(1 / Math.sqrt(150));
    expect(absMax(conv.weight)).toBeGreaterThan(0.95 / Math.sqrt(150));
    expect(absMax(conv.bias as Tensor)).toBeGreaterThan(0);
    // He uniform before ReLU: U(±√(6 / fanIn)), fanIn = 400; zero bias.
    const hidden = layers[8] as Linear;
    expect(absMax(hidden.weight)).toBeLessThanOrEqual(Math.sqrt(6 / 400));
    expect(absMax(hidden.weight)).toBeGreaterThan(0.95 * Math.sqrt(6 / 400));
    expect(absMax(hidden.bias as Tensor)).toBe(0);
    // The output layer: Xavier uniform with gain 1, U(±√(6 / (84 + 10))).
    const output = layers[12] as Linear;
    expect(absMax(output.weight)).toBeLessThanOrEqual(Math.sqrt(6 / 94));
    expect(absMax(output.weight)).toBeGreaterThan(0.9 * Math.sqrt(6 / 94));
  });

  it('is described in one line', () => {
    expect(describeNetwork(cnn)).toBe('cnn: conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, 400-120-84-10 relu');
    expect(describeNetwork({ hidden: [64], activation: 'sigmoid', loss: 'mse' })).toBe('784-64-10 sigmoid');
  });
});

describe('settings', () => {
  const common = { momentum: 0.9, seed: 0, trainSize: 8000, testSize: 2000, out: 'x', progress: false };

  it('--model cnn brings the issue settings: ReLU, cross-entropy, Adam 1e-3, batch 64, 10 epochs, 120 and 84', () => {
    expect(configFrom({ ...common, model: 'cnn' })).toEqual({
      model: 'cnn',
      epochs: 10,
      batchSize: 64,
      lr: 0.001,
      hidden: [120, 84],
      activation: 'relu',
      loss: 'cross-entropy',
      optimizer: 'adam',
      momentum: 0.9,
      weightDecay: 0,
      seed: 0,
      trainSize: 8000,
      testSize: 2000,
    });
    const c = configFrom({ ...common, model: 'cnn' });
    if (typeof c === 'string') throw new Error(c);
    expect(describeRun(c)).toBe(
      'cnn: conv 6@5×5 pad 2, pool 2, conv 16@5×5, pool 2, 400-120-84-10 relu, cross-entropy, adam lr 0.001, batch 64, 10 epochs, seed 0',
    );
  });

  it('flags given on the command line win over the model defaults', () => {
    const c = configFrom({ ...common, model: 'cnn', epochs: 2, batchSize: 16, optimizer: 'sgd', hidden: [32] });
    expect(c).toMatchObject({
      epochs: 2,
      batchSize: 16,
      optimizer: 'sgd',
      lr: 0.5,
      hidden: [32],
      loss: 'cross-entropy',
    });
  });

  it('the MLP keeps the textbook defaults', () => {
    expect(configFrom({ ...common, model: 'mlp' })).toMatchObject({
      model: 'mlp',
      epochs: 30,
      batchSize: 32,
      lr: 3,
      hidden: [64],
      activation: 'sigmoid',
      loss: 'mse',
      optimizer: 'sgd',
    });
  });

  it('a weights file written before the CNN existed (no model in its settings) is read as an MLP', async () => {
    const path = join(dir, 'old.safetensors');
    const old: Omit<TrainConfig, 'model'> = {
      epochs: 1,
      batchSize: 32,
      lr: 3,
      hidden: [64],
      activation: 'sigmoid',
      loss: 'mse',
      optimizer: 'sgd',
      momentum: 0.9,
      weightDecay: 0,
      seed: 0,
      trainSize: 100,
      testSize: 50,
    };
    await save(buildModel(old), path, { metadata: { 'chainrule.mnist.config': JSON.stringify(old) } });
    expect(await readConfig(path)).toEqual({ ...old, model: 'mlp' });
  });

  it('a model it does not know is refused', async () => {
    const path = join(dir, 'rnn.safetensors');
    const config = { ...(configFrom({ ...common, model: 'cnn' }) as TrainConfig), model: 'rnn' };
    await save(buildModel(cnn), path, { metadata: { 'chainrule.mnist.config': JSON.stringify(config) } });
    await expect(readConfig(path)).rejects.toThrow(/incomplete or not understood/);
  });
});
