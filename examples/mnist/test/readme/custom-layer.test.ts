/** The README's custom layer in use: it drops into Sequential, an optimizer and safetensors with no more code. */
import { manualSeed, type Tensor } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { GatedDense } from './gated-dense';
// README: begin custom-layer-use
import { rand, tensor } from '@chainrule/core';
import { Linear, Sequential, crossEntropyLoss, loadSafetensors, saveSafetensors } from '@chainrule/nn';
import { Adam } from '@chainrule/optim';

const model = new Sequential(new GatedDense(784, 64), new Linear(64, 10));
model.namedParameters().map(([name]) => name);
// ['0.weight', '0.bias', '0.gateWeight', '0.gateBias', '1.weight', '1.bias']

const images = rand([32, 784]);
const labels = tensor(Array.from({ length: 32 }, (_, i) => i % 10), { dtype: 'int32' });
const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
for (let step = 0; step < 20; step++) {
  const loss = crossEntropyLoss(model.forward(images), labels);
  optimizer.zeroGrad();
  loss.backward(); // core derives the gate's gradients: there is no backward to write
  optimizer.step();
}
const bytes = saveSafetensors(model.stateDict()); // and it saves like any other layer
// README: end

describe('README: a researcher’s custom layer', () => {
  it('lists its parameters under their property names', () => {
    expect(model.namedParameters().map(([name]) => name)).toEqual(['0.weight', '0.bias', '0.gateWeight', '0.gateBias', '1.weight', '1.bias']);
  });

  it('trains: the optimizer lowers the cost on the batch it steps on', () => {
    manualSeed(7);
    const fresh = new Sequential(new GatedDense(784, 64), new Linear(64, 10));
    const opt = new Adam(fresh.parameters(), { lr: 1e-3 });
    const cost = (): Tensor => crossEntropyLoss(fresh.forward(images), labels);
    const before = cost().item();
    for (let step = 0; step < 20; step++) {
      const loss = cost();
      opt.zeroGrad();
      loss.backward();
      opt.step();
    }
    expect(cost().item()).toBeLessThan(before * 0.5);
  });

  it('round-trips through safetensors', () => {
    const copy = new Sequential(new GatedDense(784, 64), new Linear(64, 10));
    copy.loadStateDict(loadSafetensors(bytes));
    expect(Array.from(copy.forward(images).data())).toEqual(Array.from(model.forward(images).data()));
  });
});
