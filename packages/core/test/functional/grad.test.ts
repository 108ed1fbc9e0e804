/**
 * grad and valueAndGrad with JAX semantics, checked against derivatives
 * worked out by hand: argnums, nesting (grad of grad, and a grad closing over
 * an outer grad's variable), and that nothing is written into any `.grad`.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  GraphError,
  grad,
  noGrad,
  tensor,
  valueAndGrad,
  type Tensor,
} from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const cube = (x: Tensor) => x.pow(3).sum();

describe('grad', () => {
  it('differentiates with respect to the first argument by default', () => {
    // d/dx Σ x³ = 3x²
    expectClose(grad(cube)(tensor([2, 3])), [12, 27]);
  });

  it('argnums picks another argument, or a list of them (then it returns a list)', () => {
    // f(a, b) = Σ a·b²: df/da = b² = 25, df/db = 2ab = 20 at a = 2, b = 5.
    const f = (a: Tensor, b: Tensor) => a.mul(b.square()).sum();
    expectClose(grad(f, { argnums: 1 })(tensor([2]), tensor([5])), [20]);
    const [da, db] = grad(f, { argnums: [0, 1] })(tensor([2]), tensor([5]));
    expectClose(da, [25]);
    expectClose(db, [20]);
    expectClose(grad(f, { argnums: -1 })(tensor([2]), tensor([5])), [20]);
  });

  it('gives zeros (not null) for an argument the output does not use, and for a constant output', () => {
    const [dx, dy] = grad((_x: Tensor, y: Tensor) => y.sum(), { argnums: [0, 1] })(tensor([1, 2]), tensor([3]));
    expectClose(dx, [0, 0]);
    expectClose(dy, [1]);
    expectClose(grad(() => tensor(3))(tensor([1])), [0]);
  });

  it('grad(grad(f)) is the second derivative', () => {
    // d²/dx² x³ = 6x
    const second = grad((x: Tensor) => grad(cube)(x).sum());
    expectClose(second(tensor([2, 3])), [12, 18]);
  });

  it('three levels: d³/dx³ x⁴ = 24x', () => {
    const f = (x: Tensor) => x.pow(4).sum();
    const third = grad((x: Tensor) => grad((y: Tensor) => grad(f)(y).sum())(x).sum());
    expectClose(third(tensor([0.5, 2], { dtype: 'float64' })), [12, 48], { rtol: 1e-12 });
  });

  it('an inner grad closing over the outer variable is differentiated through', () => {
    // inner(x) = d/dy Σ x·y² at y = x, = 2xy = 2x²; outer f(x) = Σ x·inner(x) = 2x³; f′ = 6x² = 24 at 2.
    const outer = grad((x: Tensor) => {
      const inner = grad((y: Tensor) => x.mul(y.square()).sum())(x);
      return x.mul(inner).sum();
    });
    expectClose(outer(tensor([2])), [24]);
  });

  it('an inner grad with respect to a fresh variable still carries the outer dependence', () => {
    // d/dy Σ x·y = x for any y, so d/dx Σ (that) = 1.
    const outer = grad((x: Tensor) => grad((y: Tensor) => x.mul(y).sum())(tensor([1])).sum());
    expectClose(outer(tensor([2])), [1]);
  });

  it('writes no .grad, also on arguments that require grad', () => {
    const x = tensor([2], { requiresGrad: true });
    expectClose(grad(cube)(x), [12]);
    expectClose(grad((t: Tensor) => grad(cube)(t).sum())(x), [12]);
    expect(x.grad).toBeNull();
  });

  it('works under noGrad (the transform records what it needs)', () => {
    expectClose(
      noGrad(() => grad(cube)(tensor([1, 2]))),
      [3, 12],
    );
    expectClose(
      noGrad(() => grad((x: Tensor) => grad(cube)(x).sum())(tensor([2]))),
      [12],
    );
  });

  it('takes numbers as float32 scalars and keeps a float64 argument float64', () => {
    const g = grad((x: Tensor) => x.square())(3);
    expect(g.shape).toEqual([]);
    expectClose(g, 6);
    expect(grad(cube)(tensor([2], { dtype: 'float64' })).dtype).toBe('float64');
  });
});

describe('valueAndGrad', () => {
  it('returns f(x) and its gradient; the value is cut from the graph', () => {
    // f = Σ x³ = 8, f′ = 12 at 2.
    const [value, g] = valueAndGrad(cube)(tensor([2]));
    expectClose(value, 8);
    expectClose(g, [12]);
    expect(value.requiresGrad).toBe(false);
  });

  it('with a list of argnums the gradient is a list', () => {
    // f(a, b) = Σ a·b = 6: df/da = b, df/db = a.
    const [value, [da, db]] = valueAndGrad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(
      tensor([2]),
      tensor([3]),
    );
    expectClose(value, 6);
    expectClose(da, [3]);
    expectClose(db, [2]);
  });
});

describe('grad errors', () => {
  it('a non-scalar output is a GraphError pointing at vjp', () => {
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(GraphError);
    expect(() => grad((x: Tensor) => x.mul(2))(tensor([1, 2]))).toThrow(
      'grad: the function must return a scalar (one element) tensor, got shape [2]; use vjp for other outputs',
    );
  });

  it('a function that returns no tensor is an ArgumentError, not a TypeError', () => {
    // Regression: this read `.shape` of a number and threw a raw TypeError.
    const f = (() => 3) as unknown as (x: Tensor) => Tensor;
    expect(() => grad(f)(tensor([1]))).toThrow(ArgumentError);
    expect(() => grad(f)(tensor([1]))).toThrow('grad: the function must return a Tensor, got 3');
  });

  it('something other than a function is refused when the transform is made', () => {
    // Regression: grad(loss) with a tensor instead of a function failed later with "f is not a function".
    expect(() => grad(tensor([1]) as unknown as (x: Tensor) => Tensor)).toThrow(ArgumentError);
    expect(() => grad(tensor([1]) as unknown as (x: Tensor) => Tensor)).toThrow(
      'grad: expected a function of tensors, got a Tensor',
    );
  });

  it('bad arguments: non-float tensors, non-tensors, argnums out of range', () => {
    expect(() => grad(cube)(tensor(new Int32Array([1])))).toThrow(DTypeError);
    expect(() => grad(cube)(tensor(new Int32Array([1])))).toThrow(
      'grad: argument 0 is int32; only float32 and float64 arguments can be differentiated',
    );
    expect(() => grad(cube)('a' as unknown as Tensor)).toThrow(ArgumentError);
    expect(() => grad(cube, { argnums: 2 })(tensor([1]))).toThrow('grad: argnums 2 is out of range for 1 argument(s)');
    expect(() => grad(cube, { argnums: [] })(tensor([1]))).toThrow(ArgumentError);
  });
});
