// The same program as a CommonJS user writes it.
const { Generator, tensor } = require('@chainrule/core');
const { mlp, mseLoss } = require('@chainrule/nn');
const { SGD } = require('@chainrule/optim');

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
console.log(JSON.stringify({ loss, outputs: [...model.forward(x).data()] }));
