/**
 * backward({ createGraph: true }) records the backward pass, so `.grad` is
 * itself differentiable: second derivatives through backward(), checked
 * against hand derivations.
 */
import { describe, expect, it } from 'vitest';
import { gradients, matmul, tensor, type Tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const take = (t: Tensor | null): Tensor => {
  expect(t).not.toBeNull();
  return t as Tensor;
};

describe('createGraph', () => {
  it('x.grad of Σ x³ is 3x², and differentiating it gives 6x', () => {
    const x = tensor([2, -1], { dtype: 'float64', requiresGrad: true });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g = take(x.grad);
    expect(g.requiresGrad).toBe(true);
    expectClose(g, [12, 3]);
    x.grad = null;
    g.sum().backward();
    expectClose(x.grad, [12, -6]);
  });

  it('a gradient penalty: d/dw ‖∂L/∂x‖² for L = Σ tanh(w·x)', () => {
    // ∂L/∂x = w·(1 - t²) with t = tanh(wx). P = Σ w²(1 - t²)²;
    // dP/dw = 2w(1 - t²)² + w²·2(1 - t²)·(-2t)·(1 - t²)·x = 2w(1 - t²)² - 4w²x t (1 - t²)².
    const w0 = 0.7;
    const x0 = 0.4;
    const w = tensor([w0], { dtype: 'float64', requiresGrad: true });
    const x = tensor([x0], { dtype: 'float64', requiresGrad: true });
    w.mul(x).tanh().sum().backward(undefined, { createGraph: true });
    const gx = take(x.grad);
    w.grad = null;
    gx.square().sum().backward();
    const t = Math.tanh(w0 * x0);
    const s = (1 - t * t) ** 2;
    expectClose(w.grad, [2 * w0 * s - 4 * w0 * w0 * x0 * t * s], { rtol: 1e-12 });
  });

  it('through a matrix product: the Hessian-vector product of ½xᵀAx is ½(A + Aᵀ)v', () => {
    const A = tensor(
      [
        [1, 2],
        [0, 3],
      ],
      { dtype: 'float64' },
    );
    const x = tensor([1, 1], { dtype: 'float64', requiresGrad: true });
    const v = tensor([1, -1], { dtype: 'float64' });
    matmul(x, matmul(A, x)).mul(0.5).backward(undefined, { createGraph: true });
    const g = take(x.grad);
    const [hv] = gradients(g.mul(v).sum(), [x]);
    // ½(A + Aᵀ) = [[1, 1], [1, 3]]; times [1, -1] = [0, -2].
    expectClose(hv, [0, -2]);
  });

  it('without createGraph the gradient is a plain tensor', () => {
    const x = tensor([2], { requiresGrad: true });
    x.pow(3).sum().backward();
    expect(take(x.grad).requiresGrad).toBe(false);
  });
});
