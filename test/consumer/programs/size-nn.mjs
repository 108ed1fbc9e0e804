// Bundle-size probe: the textbook network with nn and optim.
import { tensor } from '@chainrule/core';
import { mlp, mseLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';
const model = mlp([2, 4, 1]);
const opt = new SGD(model.parameters(), { lr: 0.1 });
mseLoss(model.forward(tensor([[0, 1]])), tensor([[1]])).backward();
opt.step();
