/**
 * Tensor backward on small graphs whose gradients are derived by hand in the
 * comments: single ops, chains, accumulation where a tensor feeds several
 * consumers, and backward with an explicit gradOutput.
 */
import { describe, expect, it } from 'vitest';
import { GraphError, ShapeError, matmul, tensor, type Tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const leaf = (data: number[] | number[][], dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  tensor(data, { dtype, requiresGrad: true });

describe('Tensor backward: hand-derived gradients', () => {
  it('a linear layer with a squared loss', () => {
    // y = W x + b, L = Σ y². W = [[1,2],[3,4]], x = [1,-1], b = [0.5,0]:
    // y = [1-2+0.5, 3-4] = [-0.5, -1]; dL/dy = 2y = [-1, -2];
    // dL/dW = (2y) xᵀ = [[-1, 1], [-2, 2]]; dL/db = 2y = [-1, -2];
    // dL/dx = Wᵀ 2y = [1·-1 + 3·-2, 2·-1 + 4·-2] = [-7, -10].
    const W = leaf([
      [1, 2],
      [3, 4],
    ]);
    const x = leaf([1, -1]);
    const b = leaf([0.5, 0]);
    const y = matmul(W, x).add(b);
    y.square().sum().backward();
    expectClose(W.grad, [
      [-1, 1],
      [-2, 2],
    ]);
    expectClose(b.grad, [-1, -2]);
    expectClose(x.grad, [-7, -10]);
  });

  it('a chain of unary ops: d/dx exp(sin(x)²) = exp(sin²x)·2 sin x cos x', () => {
    const x = leaf([0.3, -1.2]);
    x.sin().square().exp().sum().backward();
    const expected = [0.3, -1.2].map((v) => Math.exp(Math.sin(v) ** 2) * 2 * Math.sin(v) * Math.cos(v));
    expectClose(x.grad, expected, { rtol: 1e-12 });
  });

  it('broadcasting sums the gradient back: [3,1] + [4] → each input gets the count of its reads', () => {
    // out[i][j] = a[i] + b[j] over a 3×4 grid; d(Σ out)/da[i] = 4, d/db[j] = 3.
    const a = leaf([[1], [2], [3]]);
    const b = leaf([10, 20, 30, 40]);
    a.add(b).sum().backward();
    expectClose(a.grad, [[4], [4], [4]]);
    expectClose(b.grad, [3, 3, 3, 3]);
  });

  it('mean over an axis spreads 1/n of the gradient', () => {
    // L = Σ_i mean_j x[i][j]: dL/dx = 1/3 everywhere.
    const x = leaf([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    x.mean(1).sum().backward();
    expectClose(
      x.grad,
      [
        [1 / 3, 1 / 3, 1 / 3],
        [1 / 3, 1 / 3, 1 / 3],
      ],
      { rtol: 1e-12 },
    );
  });

  it('max sends the gradient to the selected element, the first one among ties (as argmax reports)', () => {
    // Row 0 = [1,5,5]: the max 5 first appears at column 1; row 1 = [7,2,3]: column 0.
    const x = leaf([
      [1, 5, 5],
      [7, 2, 3],
    ]);
    x.max(1).sum().backward();
    expectClose(x.grad, [
      [0, 1, 0],
      [1, 0, 0],
    ]);
  });

  it('kinks follow PyTorch: relu′(0) = 0, abs′(0) = 0, clamp′ = 1 on the bounds', () => {
    const x = leaf([-1, 0, 2]);
    x.relu().sum().backward();
    expectClose(x.grad, [0, 0, 1]);
    const y = leaf([-1, 0, 2]);
    y.abs().sum().backward();
    expectClose(y.grad, [-1, 0, 1]);
    const z = leaf([-1, 0, 1, 2]);
    z.clamp(0, 1).sum().backward();
    expectClose(z.grad, [0, 1, 1, 0]);
  });

  it('maximum splits the gradient evenly on ties', () => {
    // maximum([1,3,2], [2,3,1]): b wins at 0, tie at 1, a wins at 2.
    const a = leaf([1, 3, 2]);
    const b = leaf([2, 3, 1]);
    a.maximum(b).sum().backward();
    expectClose(a.grad, [0, 0.5, 1]);
    expectClose(b.grad, [1, 0.5, 0]);
  });

  it('a float32 leaf used in a float64 computation gets a float32 gradient', () => {
    // d/da Σ (a·c) = c, computed in float64, converted back to a's dtype.
    const a = leaf([1, 2], 'float32');
    const c = tensor([0.25, 4], { dtype: 'float64' });
    a.mul(c).sum().backward();
    expect(a.grad?.dtype).toBe('float32');
    expectClose(a.grad, [0.25, 4]);
  });
});

describe('Tensor backward: accumulation', () => {
  it('x·x gives 2x (both edges of one node count)', () => {
    const x = leaf([3, -2]);
    x.mul(x).sum().backward();
    expectClose(x.grad, [6, -4]);
  });

  it('a diamond: y = 2x feeds both z = y² and w = y³; L = z + w', () => {
    // dL/dy = 2y + 3y², dy/dx = 2; at x = 1: y = 2, dL/dx = 2·(4 + 12) = 32.
    const x = leaf([1]);
    const y = x.mul(2);
    y.square().add(y.pow(3)).sum().backward();
    expectClose(x.grad, [32]);
  });

  it('a leaf used by several ops gets the sum of their gradients', () => {
    // L = Σ (x·3 + sin x + x/2): dL/dx = 3 + cos x + 1/2.
    const x = leaf([0, 1]);
    x.mul(3).add(x.sin()).add(x.div(2)).sum().backward();
    expectClose(x.grad, [3 + 1 + 0.5, 3 + Math.cos(1) + 0.5], { rtol: 1e-12 });
  });

  it('two backward calls add into .grad', () => {
    // Each Σ x² contributes 2x.
    const x = leaf([1, 2]);
    x.square().sum().backward();
    x.square().sum().backward();
    expectClose(x.grad, [4, 8]);
  });

  it('.grad is a tensor of its own: changing it in place touches no other tensor', () => {
    // add passes the same gradient to both inputs; each leaf must still own its .grad.
    const a = leaf([1]);
    const b = leaf([2]);
    const g = tensor([5], { dtype: 'float64' });
    a.add(b).backward(g);
    a.grad?.fill(0);
    expectClose(b.grad, [5]);
    expectClose(g, [5]);
  });

  it('after a createGraph backward, a later backward still accumulates elementwise', () => {
    // Regression: with createGraph, .grad was the broadcast view sum's backward
    // returns (all three elements aliasing one number), so the next backward
    // added 1 three times into that one number: [4,4,4] instead of [2,2,2].
    const x = leaf([1, 2, 3]);
    x.sum().backward(undefined, { createGraph: true });
    x.sum().backward();
    expectClose(x.grad, [2, 2, 2]);
  });

  it('after a createGraph backward, leaves do not share a .grad', () => {
    // Regression: a + b passed one gradient tensor to both leaves' .grad.
    const a = leaf([1]);
    const b = leaf([2]);
    a.add(b).sum().backward(undefined, { createGraph: true });
    expect(a.grad?.storage).not.toBe(b.grad?.storage);
  });
});

describe('Tensor backward: gradOutput', () => {
  it('is the vector of the vector-Jacobian product', () => {
    // y = x², so x.grad = v · 2x = [1·6, 10·8].
    const x = leaf([3, 4]);
    x.square().backward(tensor([1, 10], { dtype: 'float64' }));
    expectClose(x.grad, [6, 80]);
  });

  it('is required for a non-scalar output, and the error says how to fix it', () => {
    const x = leaf([3, 4]);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(GraphError);
    expect(() => y.backward()).toThrow(/backward.*shape \[2\].*\.sum\(\).*gradOutput/);
    expect(x.grad).toBeNull();
  });

  it('a one-element output of any rank needs none', () => {
    const x = leaf([[2]]);
    x.square().backward();
    expectClose(x.grad, [[4]]);
  });

  it('must have the output shape', () => {
    const x = leaf([3, 4]);
    expect(() => x.square().backward(tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => x.square().backward(tensor([1, 2, 3]))).toThrow(
      'backward: gradOutput has shape [3] but the output has shape [2]',
    );
  });

  it('backward from a tensor that needs no gradient is a GraphError', () => {
    expect(() => tensor([1, 2]).sum().backward()).toThrow(GraphError);
    expect(() => tensor([1, 2]).sum().backward()).toThrow(/does not require grad/);
  });
});
