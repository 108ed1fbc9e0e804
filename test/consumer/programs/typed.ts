// Type-checked under --strict with nodenext and with bundler resolution.
import { Tensor, tensor, grad } from '@chainrule/core';
import { gradcheck } from '@chainrule/core/testing';
import { Linear, Module, Sequential, ReLU, mseLoss } from '@chainrule/nn';
import { Adam } from '@chainrule/optim';

class Net extends Module {
  readonly body = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 1));
  forward(x: Tensor): Tensor {
    return this.body.forward(x);
  }
}
const net = new Net();
const optimizer = new Adam(net.parameters(), { lr: 1e-2 });
const loss: Tensor = mseLoss(net.forward(tensor([[1, 2]])), tensor([[3]]));
loss.backward();
optimizer.step();
const df = grad((x: Tensor) => x.mul(x).sum());
const g = df(tensor([1, 2]));
const ok: boolean = gradcheck((x: Tensor) => x.exp().sum(), [tensor([1], { dtype: 'float64' })]).ok;
export { g, ok };
