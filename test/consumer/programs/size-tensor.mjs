// Bundle-size probe: a program that uses tensors and gradients, no layers.
import { tensor } from '@chainrule/core';
const w = tensor([
  [1, 2],
  [3, 4],
]).requireGrad();
w.matmul(tensor([1, 1]))
  .tanh()
  .sum()
  .backward();
console.log(w.grad);
