/**
 * linear is a fused op: its primitive twin x.matmul(W.T).add(b) must give the
 * same values and gradients (in float32 through the WebAssembly kernel, in
 * float64 through the JavaScript one).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  DTypeError,
  Generator,
  ShapeError,
  gradients,
  linear,
  randn,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index';

const arbCase = fc.record({
  batch: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }),
  k: fc.integer({ min: 1, max: 30 }),
  out: fc.integer({ min: 1, max: 20 }),
  withBias: fc.boolean(),
  dtype: fc.constantFrom('float32' as const, 'float64' as const),
  seed: fc.integer({ min: 0, max: 1000 }),
});

function close(a: Tensor, b: Tensor, tol: number): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.data()).toBeAllClose(b.data(), { rtol: tol, atol: tol });
}

describe('linear', () => {
  it('equals its primitive twin x·Wᵀ + b, with the same gradients', () => {
    fc.assert(
      fc.property(arbCase, ({ batch, k, out, withBias, dtype, seed }) => {
        const make = (shape: number[], s: number) => randn(shape, { dtype, generator: new Generator(s) }).requireGrad();
        const x = make([...batch, k], seed);
        const w = make([out, k], seed + 1);
        const b = withBias ? make([out], seed + 2) : null;
        const fused = linear(x, w, b);
        const twin = b === null ? x.matmul(w.T) : x.matmul(w.T).add(b);
        const tol = dtype === 'float32' ? 1e-5 : 1e-12;
        close(fused, twin, tol);
        const g = randn(fused.shape as number[], { dtype, generator: new Generator(seed + 3) });
        const inputs = b === null ? [x, w] : [x, w, b];
        const a = gradients(fused, inputs, { gradOutput: g });
        const t = gradients(twin, inputs, { gradOutput: g });
        a.forEach((gi, i) => close(gi as Tensor, t[i] as Tensor, tol));
      }),
      { numRuns: 60 },
    );
  });

  it('computes W x + b for a single example by hand', () => {
    // W = [[1, 2], [3, 4], [5, 6]], x = [1, -1], b = [0.5, 0, -0.5]: Wx = [-1, -1, -1]
    const W = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(linear(tensor([1, -1]), W, tensor([0.5, 0, -0.5])).toArray()).toEqual([-0.5, -1, -1.5]);
  });

  it('refuses shapes and dtypes that do not fit, naming the op', () => {
    const W = zeros([3, 2]);
    expect(() => linear(zeros([4, 5]), W)).toThrow(ShapeError);
    expect(() => linear(zeros([4, 5]), W)).toThrow(
      /^linear: cannot apply a weight of shape \[3,2\] to an input of shape \[4,5\]/,
    );
    expect(() => linear(zeros([4, 2]), W, zeros([2]))).toThrow(/the bias must have shape \[3\]/);
    expect(() => linear(zeros([4, 2]), zeros([3, 2, 1]))).toThrow(/the weight must be 2-D/);
    expect(() => linear(zeros([4, 2]), zeros([3, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    // An integer input is computed in float32, like all arithmetic on int32.
    expect(linear(tensor([[1, 2]], { dtype: 'int32' }), tensor([[1, 1]])).toArray()).toEqual([[3]]);
    expect(() => linear(zeros([4, 2]), W, 'b' as unknown as Tensor)).toThrow(ArgumentError);
  });
});
