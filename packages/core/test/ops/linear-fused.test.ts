/**
 * linear with a fused activation (issue 20: the GEMM's epilogue) against the
 * two ops it replaces, act(linear(x, W, b)): the standalone activations are
 * checked against PyTorch and finite differences elsewhere (activations.test,
 * unary.test, the gradient table), so here the fused op must equal them to
 * the bit — values, first derivatives and second derivatives — on every path
 * the product can take: the float32 WebAssembly tiles (one thread, the worker
 * pool, partial tiles, several k blocks), the JavaScript kernels, float64,
 * and products too small for either. Its own finite-difference checks are in
 * gradient-cases.ts (the `linear` row).
 */
import { afterEach, describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  Generator,
  gelu,
  linear,
  randn,
  ready,
  setBackend,
  vjp,
  type BackendName,
  type FusedActivation,
  type Tensor,
} from '../../src/index';

const unfused: Record<FusedActivation, (z: Tensor) => Tensor> = {
  relu: (z) => z.relu(),
  sigmoid: (z) => z.sigmoid(),
  tanh: (z) => z.tanh(),
  gelu: (z) => gelu(z),
  geluTanh: (z) => gelu(z, { approximate: 'tanh' }),
};
const activations = Object.keys(unfused) as FusedActivation[];

/** Element by element with Object.is: equal to the bit (-0 and NaN included). */
function expectIdentical(fused: Tensor, reference: Tensor, what: string): void {
  expect(fused.shape, what).toEqual(reference.shape);
  const a = fused.contiguous().data();
  const b = reference.contiguous().data();
  let differing = 0;
  let first = '';
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) {
      if (differing === 0) first = ` (first at ${i}: ${a[i]} against ${b[i]})`;
      differing++;
    }
  }
  expect(`${differing} of ${a.length} differ${first}`, what).toBe(`0 of ${a.length} differ`);
}

/** [m, k, n] products covering each path (see the file comment). */
const shapes: readonly (readonly [number, number, number, string])[] = [
  [3, 5, 7, 'the direct loop (105 multiply-adds)'],
  [9, 300, 13, 'packed, 117 outputs: the activation after the product, as the op would below 256'],
  [32, 784, 128, "a batch-32 MNIST layer: the tiles' epilogue, 4 k blocks"],
  [37, 70, 29, 'partial tiles at both edges'],
  [300, 600, 500, 'the worker pool (90M multiply-adds)'],
  [5, 1, 300, 'k = 1'],
];

describe('linear with a fused activation', () => {
  afterEach(() => setBackend(null));

  for (const backend of ['wasm', 'js'] as BackendName[]) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`equals act(linear(x, W, b)) to the bit, values and gradients (${backend}, ${dtype})`, async () => {
        await ready();
        setBackend(backend);
        let seed = 1;
        for (const [m, k, n, path] of shapes) {
          for (const activation of activations) {
            const generator = new Generator(seed++);
            // Pre-activations spread over [-6, 6] and beyond, so every branch of each activation is taken.
            const x = randn([m, k], { dtype, generator }).mul(3);
            const w = randn([n, k], { dtype, generator }).div(Math.sqrt(k));
            const b = randn([n], { dtype, generator });
            const g = randn([m, n], { dtype, generator });
            const [y1, back1] = vjp((xs, ws, bs) => linear(xs, ws, bs, { activation }), x, w, b);
            const [y2, back2] = vjp((xs, ws, bs) => unfused[activation](linear(xs, ws, bs)), x, w, b);
            const what = `${activation}, [${m}, ${k}]·[${k}, ${n}]: ${path}`;
            expectIdentical(y1, y2, `${what}: values`);
            const d1 = back1(g);
            const d2 = back2(g);
            ['x', 'W', 'b'].forEach((name, i) =>
              expectIdentical(d1[i] as Tensor, d2[i] as Tensor, `${what}: the gradient of ${name}`),
            );
          }
        }
      });
    }
  }

  it('has the second derivatives of the unfused pair (gelu recomputes z inside the graph)', () => {
    for (const activation of activations) {
      const generator = new Generator(7);
      const x = randn([4, 6], { dtype: 'float64', generator });
      const w = randn([5, 6], { dtype: 'float64', generator });
      const b = randn([5], { dtype: 'float64', generator });
      const v = randn([4, 6], { dtype: 'float64', generator });
      // The directional derivative of x ↦ Σ act(linear(x))·c along v, differentiated again in x, W and b.
      const secondOf = (f: (xs: Tensor, ws: Tensor, bs: Tensor) => Tensor) => {
        const [, back] = vjp(
          (xs: Tensor, ws: Tensor, bs: Tensor) => {
            const [, inner] = vjp(
              (xi: Tensor) =>
                f(xi, ws, bs)
                  .mul(f(xi, ws, bs))
                  .sum(),
              xs,
            );
            return (
              inner(
                randn([], { dtype: 'float64', generator: new Generator(3) })
                  .abs()
                  .add(1),
              )[0] as Tensor
            )
              .mul(v)
              .sum();
          },
          x,
          w,
          b,
        );
        return back(randn([], { dtype: 'float64', generator: new Generator(4) }));
      };
      const fused = secondOf((xs, ws, bs) => linear(xs, ws, bs, { activation }));
      const reference = secondOf((xs, ws, bs) => unfused[activation](linear(xs, ws, bs)));
      ['x', 'W', 'b'].forEach((name, i) => {
        const [a, r] = [(fused[i] as Tensor).data(), (reference[i] as Tensor).data()];
        // gelu's z is recomputed as a node of its own, so the contributions to each
        // second derivative are added in another order: equal to rounding, not to the bit.
        if (activation === 'gelu' || activation === 'geluTanh')
          expect(a, `${activation}: ∂²/∂x∂${name}`).toBeAllClose(r, { rtol: 1e-12, atol: 1e-12 });
        else expect(a, `${activation}: ∂²/∂x∂${name}`).toEqual(r);
      });
    }
  });

  it('is one node of the graph', () => {
    const x = randn([2, 3]);
    const w = randn([4, 3]).requireGrad();
    const y = linear(x, w, null, { activation: 'sigmoid' });
    expect(y.gradFn?.name).toBe('linear');
    expect(y.gradFn?.params).toBe('sigmoid');
    expect(y.gradFn?.inputs.map((n) => n?.name ?? null)).toEqual([null, 'leaf']);
  });

  it('refuses an unknown activation by name, recording nothing', () => {
    const w = randn([4, 3]).requireGrad();
    const call = () => linear(randn([2, 3]), w, null, { activation: 'softmax' as FusedActivation });
    expect(call).toThrow(ArgumentError);
    expect(call).toThrow(
      /^linear: unknown activation "softmax"; expected one of 'relu', 'sigmoid', 'tanh', 'gelu', 'geluTanh', or none$/,
    );
    expect(() => linear(randn([2, 3]), w, null, { act: 'relu' } as never)).toThrow(ArgumentError);
    expect(w.grad).toBeNull();
  });
});
