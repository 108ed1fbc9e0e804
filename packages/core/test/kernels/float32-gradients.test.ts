/**
 * gradcheck works in float64, where the JavaScript kernels run; the float32
 * WebAssembly (and threaded) matrix kernels are covered here instead: the
 * same gradients computed in float32 on each backend must match the float64
 * computation to float32 precision.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { gradients, setBackend, tensor, type BackendName, type Tensor } from '../../src/index';

function grads(a: number[][], b: number[][], dtype: 'float32' | 'float64'): Tensor[] {
  const A = tensor(a, { dtype, requiresGrad: true });
  const B = tensor(b, { dtype, requiresGrad: true });
  // Both matmul rules run: dA = g·Bᵀ and dB = Aᵀ·g read transposed views.
  const out = A.matmul(B).sigmoid().matmul(B.T).sum();
  return gradients(out, [A, B]) as Tensor[];
}

const arbProblem = fc
  .record({
    m: fc.integer({ min: 1, max: 40 }),
    k: fc.integer({ min: 1, max: 40 }),
    n: fc.integer({ min: 1, max: 40 }),
  })
  .chain(({ m, k, n }) => {
    const entry = fc.double({ min: -1, max: 1, noNaN: true });
    const matrix = (r: number, c: number) =>
      fc.array(fc.array(entry, { minLength: c, maxLength: c }), { minLength: r, maxLength: r });
    return fc.tuple(matrix(m, k), matrix(k, n));
  });

describe('float32 gradients through each backend match float64', () => {
  for (const backend of ['wasm', 'js'] as BackendName[]) {
    it(`${backend}`, () => {
      setBackend(backend);
      try {
        fc.assert(
          fc.property(arbProblem, ([a, b]) => {
            const reference = grads(a, b, 'float64');
            const single = grads(a, b, 'float32');
            single.forEach((g, i) => {
              expect(g.dtype).toBe('float32');
              const tol = 2e-5 * Math.sqrt(a[0]!.length + b[0]!.length);
              expect(g.data()).toBeAllClose(reference[i]!.data(), { rtol: tol, atol: tol });
            });
          }),
          { numRuns: 40 },
        );
      } finally {
        setBackend(null);
      }
    });
  }
});
