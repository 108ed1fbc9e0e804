// Bundled by esbuild for the browser and run in headless Chromium: the
// textbook XOR network trains in a page, and reports its loss and outputs.
import { Generator, getNumThreads, tensor } from '@chainrule/core';
import { mlp, mseLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';

try {
  const x = tensor([
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ]);
  const y = tensor([[0], [1], [1], [0]]);
  const model = mlp([2, 4, 1], { generator: new Generator(1) });
  const optimizer = new SGD(model.parameters(), { lr: 0.5, momentum: 0.9 });
  let loss = Number.NaN;
  for (let step = 0; step < 2000; step++) {
    optimizer.zeroGrad();
    const cost = mseLoss(model.forward(x), y);
    cost.backward();
    optimizer.step();
    loss = cost.item();
  }
  window.result = { loss, outputs: [...model.forward(x).data()], threads: getNumThreads() };
} catch (e) {
  window.result = { error: String(e && e.stack ? e.stack : e) };
}
