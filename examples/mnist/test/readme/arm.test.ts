/** The README's "composing a graph in an application", run as written, with checks. */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
// README: begin application-graph
import { stack, tensor, toMermaid, valueAndGrad, type Tensor } from '@chainrule/core';

// A robot arm with two links: where does the hand end up for joint angles θ?
const lengths = tensor([1.0, 0.7]);
function hand(theta: Tensor): Tensor {
  const absolute = tensor([[1, 0], [1, 1]]).matmul(theta); // [θ1, θ1 + θ2]
  return stack([lengths.mul(absolute.cos()).sum(), lengths.mul(absolute.sin()).sum()]);
}

// Which angles put the hand on the target? Descend the squared distance.
const target = tensor([0.9, 1.1]);
const distance = (theta: Tensor) => hand(theta).sub(target).square().sum();
let theta = tensor([0.3, 0.3]);
for (let step = 0; step < 200; step++) {
  const [d, slope] = valueAndGrad(distance)(theta);
  if (d.item() < 1e-10) break;
  theta = theta.sub(slope.mul(0.2));
}
hand(theta); // ≈ [0.9, 1.1]

// The graph the application built, as a Mermaid flowchart for its docs.
const drawing = toMermaid(distance(theta.requireGrad()));
// README: end

describe('README: composing a graph in an application', () => {
  it('puts the hand on the target', () => {
    expect(hand(theta)).toBeAllClose([0.9, 1.1], { atol: 1e-4 });
  });

  it('draws the graph with its ops', () => {
    expect(drawing).toMatch(/^flowchart/);
    for (const op of ['matmul', 'cos', 'sin', 'concat', 'square']) expect(drawing).toContain(op);
  });

  it('computes the hand position a person would by hand', () => {
    // θ = [π/2, -π/2]: the first link points up (0, 1), the second to the right (0.7, 0).
    expect(hand(tensor([Math.PI / 2, -Math.PI / 2]))).toBeAllClose([0.7, 1], { atol: 1e-6 });
  });
});
