/**
 * Models written by PyTorch's exporter (torch.onnx.export, torch 1.13,
 * opset 17; made by fixtures/torch_models.py, outputs stored beside them):
 * the imported function must reproduce PyTorch's outputs, at the exported
 * batch size and at another one where the model declares a dynamic batch
 * axis, and a few optimizer steps on the imported parameters must lower a
 * loss.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Tensor, manualSeed, randn, tensor } from '@chainrule/core';
import { mseLoss } from '@chainrule/nn';
import { Adam, SGD } from '@chainrule/optim';
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index';
import { maxAbsDiff } from './runtime';

interface Values {
  shape: number[];
  data: number[];
}
interface Fixture {
  model: string;
  cases: { x: Values; y: Values }[];
}

const dir = fileURLToPath(new URL('./fixtures/', import.meta.url));
const load = (name: string) => {
  const fixture = JSON.parse(readFileSync(`${dir}${name}.json`, 'utf8')) as Fixture;
  return { fixture, bytes: new Uint8Array(readFileSync(`${dir}${fixture.model}`)) };
};
const toTensor = (v: Values): Tensor => tensor(Float32Array.from(v.data), { shape: v.shape });

describe.each(['mlp', 'cnn', 'transformer'])('%s exported by PyTorch', (name) => {
  it("reproduces PyTorch's outputs at every stored batch size (1e-5)", () => {
    const { fixture, bytes } = load(name);
    const { fn, inputNames, outputNames } = importOnnx(bytes);
    expect(inputNames).toEqual(['x']);
    expect(outputNames).toEqual(['y']);
    // Two cases per model, at two batch sizes: the second goes through the dynamic axis.
    expect(new Set(fixture.cases.map((c) => c.x.shape.join())).size).toBe(2);
    for (const c of fixture.cases) {
      const [y] = fn(toTensor(c.x));
      expect(maxAbsDiff(y as Tensor, toTensor(c.y))).toBeLessThanOrEqual(1e-5);
    }
  });

  it('a few optimizer steps on the imported parameters lower a loss', () => {
    manualSeed(3);
    const { fixture, bytes } = load(name);
    const { fn, parameters } = importOnnx(bytes);
    expect(Object.keys(parameters).length).toBeGreaterThan(0);
    const x = toTensor((fixture.cases[0] as { x: Values }).x);
    const [y0] = fn(x);
    const target = randn((y0 as Tensor).shape);
    const optimizer = name === 'transformer' ? new Adam(parameters, { lr: 0.01 }) : new SGD(parameters, { lr: 0.1 });
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      optimizer.zeroGrad();
      const loss = mseLoss(fn(x)[0] as Tensor, target);
      loss.backward();
      losses.push(loss.item());
      optimizer.step();
    }
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
    // Every parameter the output depends on got a gradient.
    for (const [key, p] of Object.entries(parameters)) expect(p.grad, key).not.toBeNull();
  });
});

it('keeps the state-dict names PyTorch gave the initializers', () => {
  const { parameters } = importOnnx(load('mlp').bytes);
  expect(Object.keys(parameters).sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
  expect(parameters['0.weight']?.shape).toEqual([16, 4]);
  expect([...parameters].length).toBe(6);
});

it("keeps BatchNormalization's running statistics as buffers, not parameters", () => {
  const { parameters, buffers } = importOnnx(load('cnn').bytes);
  expect(Object.keys(buffers).sort()).toEqual(['2.running_mean', '2.running_var']);
  expect(parameters['2.weight']?.requiresGrad).toBe(true);
  expect(buffers['2.running_mean']?.requiresGrad).toBe(false);
});
