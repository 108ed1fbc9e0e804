/**
 * The "done when" of the nn issue: build mlp([2, 4, 1]), train it on XOR
 * with SGD, save it, load it into a fresh model and get the same outputs.
 * Textbook setup throughout: sigmoid layers, MSE cost, mini-batches from a
 * DataLoader, w ← w - η ∂C/∂w (with momentum) by @chainrule/optim's SGD.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Generator, noGrad, tensor, type Tensor } from '@chainrule/core';
import { DataLoader, loadSafetensors, mlp, mseLoss, saveSafetensors, type Sequential } from '@chainrule/nn';
import { load, save } from '@chainrule/nn/node';
import { SGD } from '@chainrule/optim';

const inputs = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const targets = tensor([[0], [1], [1], [0]]);
const dir = mkdtempSync(join(tmpdir(), 'chainrule-xor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function trainXor(seed: number): Sequential {
  const model = mlp([2, 4, 1], { generator: new Generator(seed) });
  const optimizer = new SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
  const loader = new DataLoader({ inputs, targets }, { batchSize: 4, shuffle: true, seed });
  for (let epoch = 0; epoch < 2000; epoch++) {
    for (const batch of loader) {
      optimizer.zeroGrad();
      mseLoss(model.forward(batch.inputs), batch.targets).backward();
      optimizer.step();
    }
  }
  return model;
}

describe('XOR with mlp([2, 4, 1]) and SGD', () => {
  let model: Sequential;
  let outputs: Tensor;
  beforeAll(() => {
    model = trainXor(1);
    outputs = noGrad(() => model.forward(inputs));
  });

  it('learns XOR', () => {
    expect(noGrad(() => mseLoss(outputs, targets).item())).toBeLessThan(0.01);
    expect((outputs.toArray() as number[][]).map(([v]) => Math.round(v as number))).toEqual([0, 1, 1, 0]);
  });

  it('saved to a file and loaded into a fresh model, gives the same outputs', async () => {
    const path = join(dir, 'xor.safetensors');
    await save(model, path);
    const fresh = mlp([2, 4, 1], { generator: new Generator(99) });
    // Different before loading, so the comparison below is meaningful.
    expect(noGrad(() => fresh.forward(inputs)).toArray()).not.toEqual(outputs.toArray());
    await load(fresh, path);
    expect(noGrad(() => fresh.forward(inputs)).toArray()).toEqual(outputs.toArray());
  });

  it('round-trips through safetensors bytes in memory too', () => {
    const fresh = mlp([2, 4, 1], { generator: new Generator(7) });
    fresh.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
    expect(noGrad(() => fresh.forward(inputs)).toArray()).toEqual(outputs.toArray());
  });
});
