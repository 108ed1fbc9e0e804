/** Broadcasting's backward, written once for every op that broadcasts. */
import { sameShape, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { reshape } from './shape';
import { sum } from './reduce';

/**
 * Sums `g` over the dimensions that broadcasting added or stretched, so it has
 * `shape` again: the gradient of reading one value many times is the sum of
 * the gradients of each read.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g._shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g._shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? sum(g, axes, true) : g;
  return reshape(summed, shape);
}
