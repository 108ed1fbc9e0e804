/**
 * gradients(output, inputs): torch.autograd.grad for chainrule. Gradients of
 * any tensors of the graph (interior ones too), null for unused inputs, and
 * no `.grad` written anywhere.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, gradients, tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const leaf = (data: number[]) => tensor(data, { dtype: 'float64', requiresGrad: true });

describe('gradients()', () => {
  it('returns the gradient of each input and writes no .grad', () => {
    // z = Σ (a·b): dz/da = b, dz/db = a.
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    const [ga, gb] = gradients(a.mul(b).sum(), [a, b]);
    expectClose(ga, [3, 4]);
    expectClose(gb, [1, 2]);
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
  });

  it('takes interior tensors, and still reaches inputs that lie below them', () => {
    // y = x², z = Σ 3y: dz/dy = 3 and dz/dx = 3·2x = 12 at x = 2.
    // Regression: the walk stopped at y, so x's gradient came back null.
    const x = leaf([2]);
    const y = x.square();
    const z = y.mul(3).sum();
    const [gy, gx] = gradients(z, [y, x]);
    expectClose(gy, [3]);
    expectClose(gx, [12]);
    expect(x.grad).toBeNull();
    expect(y.grad).toBeNull();
  });

  it('adds the paths through and around an interior input', () => {
    // z = Σ (x² + x) with y = x² as an input: dz/dy = 1; dz/dx = 2x + 1 = 5 at x = 2.
    const x = leaf([2]);
    const y = x.square();
    const [gx, gy] = gradients(y.add(x).sum(), [x, y]);
    expectClose(gx, [5]);
    expectClose(gy, [1]);
  });

  it('gives null for an input the output does not depend on', () => {
    const x = leaf([1]);
    const unused = leaf([5]);
    const [gx, gu] = gradients(x.mul(2).sum(), [x, unused]);
    expectClose(gx, [2]);
    expect(gu).toBeNull();
  });

  it('the same input listed twice gets the gradient in both places', () => {
    const x = leaf([3]);
    const [g1, g2] = gradients(x.square().sum(), [x, x]);
    expectClose(g1, [6]);
    expectClose(g2, [6]);
  });

  it('takes gradOutput for a non-scalar output', () => {
    // y = 2x, v = [1, -1]: vᵀ dy/dx = [2, -2].
    const x = leaf([1, 2]);
    const [g] = gradients(x.mul(2), [x], { gradOutput: tensor([1, -1], { dtype: 'float64' }) });
    expectClose(g, [2, -2]);
    expect(() => gradients(x.mul(2), [x])).toThrow(GraphError);
  });

  it('with createGraph its result is differentiable again', () => {
    // z = Σ x³: dz/dx = 3x², d/dx Σ 3x² = 6x = 12 at x = 2.
    const x = leaf([2]);
    const [g] = gradients(x.pow(3).sum(), [x], { createGraph: true });
    expect(g?.requiresGrad).toBe(true);
    const [gg] = gradients((g as NonNullable<typeof g>).sum(), [x]);
    expectClose(gg, [12]);
  });

  it('frees the graph like backward does', () => {
    const x = leaf([2]);
    const z = x.square().sum();
    gradients(z, [x]);
    expect(() => gradients(z, [x])).toThrow(GraphError);
    expect(() => gradients(z, [x])).toThrow(/sum: .*already freed.*retainGraph: true/);
  });

  it('refuses inputs that do not require grad, and non-tensors', () => {
    const x = leaf([2]);
    expect(() => gradients(x.sum(), [tensor([1])])).toThrow(GraphError);
    expect(() => gradients(x.sum(), [tensor([1])])).toThrow('gradients: input 0 does not require grad');
    expect(() => gradients(x.sum(), [3 as unknown as typeof x])).toThrow(ArgumentError);
    expect(() => gradients('loss' as unknown as typeof x, [x])).toThrow(ArgumentError);
  });
});
