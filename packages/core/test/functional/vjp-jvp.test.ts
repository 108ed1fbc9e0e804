/**
 * vjp, jvp, jacobian and hessian against hand-derived Jacobians and
 * Hessians. None of them writes into any `.grad`.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, hessian, jacobian, jvp, tensor, vjp, type Tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const f64 = (data: number[]) => tensor(data, { dtype: 'float64' });

describe('vjp', () => {
  it('returns f(x) and a function of the cotangent that can be called many times', () => {
    // y = sin x, so vᵀJ = v·cos x. At x = [0, π]: cos = [1, -1].
    const [y, back] = vjp((x: Tensor) => x.sin(), f64([0, Math.PI]));
    expectClose(y, [0, 0], { atol: 1e-15 });
    expect(y.requiresGrad).toBe(false);
    expectClose(back(f64([1, 1]))[0], [1, -1]);
    expectClose(back(f64([2, 3]))[0], [2, -3]);
  });

  it('gives one cotangent per input', () => {
    // y = a·b (elementwise): vᵀ∂y/∂a = v·b, vᵀ∂y/∂b = v·a.
    const [, back] = vjp((a: Tensor, b: Tensor) => a.mul(b), f64([1, 2]), f64([3, 4]));
    const [da, db] = back(f64([1, 10]));
    expectClose(da, [3, 40]);
    expectClose(db, [1, 20]);
  });

  it('refuses a cotangent of the wrong shape', () => {
    const [, back] = vjp((x: Tensor) => x.sum(), f64([1, 2]));
    expect(() => back(f64([1, 2]))).toThrow(ShapeError);
    expect(() => back(f64([1, 2]))).toThrow("vjp: the cotangent must have the output's shape [], got [2]");
  });

  it('refuses a non-function and a function returning no tensor', () => {
    expect(() => vjp('f' as unknown as (x: Tensor) => Tensor, f64([1]))).toThrow(ArgumentError);
    expect(() => vjp((() => [1]) as unknown as (x: Tensor) => Tensor, f64([1]))).toThrow(
      /vjp: the function must return a Tensor, got an array/,
    );
  });
});

describe('jvp', () => {
  it('is J·t: for x² at 3 along 1, 6', () => {
    const [y, dy] = jvp((x: Tensor) => x.square(), [f64([3])], [f64([1])]);
    expectClose(y, [9]);
    expectClose(dy, [6]);
  });

  it('of a two-argument function sums the directional derivatives', () => {
    // y = x·w: dy = t_x·w + x·t_w = [1·4 + 3·0, 0·2 + 1·1] = [4, 1].
    const [y, dy] = jvp((x: Tensor, w: Tensor) => x.mul(w), [f64([3, 1]), f64([4, 2])], [f64([1, 0]), f64([0, 1])]);
    expectClose(y, [12, 2]);
    expectClose(dy, [4, 1]);
  });

  it('through a matrix product: d(Ax) = A·t', () => {
    // A = [[1,2],[3,4]], t = [1,-1]: A t = [-1, -1].
    const A = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    const [, dy] = jvp((x: Tensor) => A.matmul(x).tanh(), [f64([0, 0])], [f64([1, -1])]);
    // tanh′(0) = 1.
    expectClose(dy, [-1, -1]);
  });

  it('of a function that ignores its input is zero', () => {
    const [, dy] = jvp(() => f64([5, 6]), [f64([1])], [f64([1])]);
    expectClose(dy, [0, 0]);
  });

  it('refuses mismatched primals and tangents', () => {
    expect(() => jvp((x: Tensor) => x, [f64([1])], [])).toThrow(ArgumentError);
    expect(() => jvp((x: Tensor) => x, [f64([1, 2])], [f64([1])])).toThrow(ShapeError);
    expect(() => jvp((x: Tensor) => x, [f64([1, 2])], [f64([1])])).toThrow(
      "jvp: tangent 0 must have its primal's shape [2]",
    );
  });
});

describe('jacobian and hessian', () => {
  it('jacobian of an elementwise square is diag(2x)', () => {
    expectClose(jacobian((x: Tensor) => x.square())(f64([1, 2])), [
      [2, 0],
      [0, 4],
    ]);
  });

  it('jacobian of x ↦ Ax is A, shaped [...out, ...in]', () => {
    const A = tensor(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      { dtype: 'float64' },
    );
    expectClose(jacobian((x: Tensor) => A.matmul(x))(f64([7, 8])), [
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
  });

  it('hessian of Σ x³ is diag(6x)', () => {
    expectClose(hessian((x: Tensor) => x.pow(3).sum())(f64([1, 2])), [
      [6, 0],
      [0, 12],
    ]);
  });

  it('hessian of x₀·x₁ has the off-diagonal ones', () => {
    const f = (x: Tensor) =>
      x
        .slice(0, 0, 1)
        .mul(x.slice(0, 1, 2))
        .sum();
    expectClose(hessian(f)(f64([1, 2])), [
      [0, 1],
      [1, 0],
    ]);
  });

  it('hessian of a quadratic form xᵀAx is A + Aᵀ', () => {
    const A = tensor(
      [
        [1, 2],
        [0, 3],
      ],
      { dtype: 'float64' },
    );
    const f = (x: Tensor) => x.dot(A.matmul(x));
    expectClose(hessian(f)(f64([0.5, -1])), [
      [2, 2],
      [2, 6],
    ]);
  });

  it('write no .grad', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    hessian((t: Tensor) => t.pow(3).sum())(x);
    jacobian((t: Tensor) => t.square())(x);
    vjp((t: Tensor) => t.exp(), x)[1](f64([1, 1]));
    jvp((t: Tensor) => t.exp(), [x], [f64([1, 1])]);
    expect(x.grad).toBeNull();
  });

  it('refuse a non-function', () => {
    expect(() => hessian(3 as unknown as (x: Tensor) => Tensor)).toThrow(
      'hessian: expected a function of tensors, got 3',
    );
    expect(() => jacobian(null as unknown as (x: Tensor) => Tensor)).toThrow(ArgumentError);
  });
});
