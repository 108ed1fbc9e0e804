/**
 * The graph-level API on random programs:
 * - jvp against central finite differences of the forward function alone
 *   (the reference), vjp against jvp by duality (⟨v, J t⟩ = ⟨Jᵀv, t⟩), and
 *   grad / gradients / backward agreeing with vjp;
 * - backward's rules of use: a second backward through a freed graph is a
 *   GraphError that changes no `.grad`, retainGraph accumulates, a
 *   gradOutput of the wrong shape is a ShapeError naming the function;
 * - toDot/toMermaid of random graphs with random maxNodes draw at most that
 *   many nodes and account for the rest in their note;
 * - setBackend/setNumThreads change no result beyond float32 rounding.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  GraphError,
  ShapeError,
  getBackend,
  getNumThreads,
  grad,
  gradients,
  jvp,
  noGrad,
  setBackend,
  setNumThreads,
  tensor,
  toDot,
  toMermaid,
  vjp,
  type Tensor,
} from '../../src/index';
import { attempt, expectContract, fuzzRuns } from './contract';

/** Smooth [2,3] → [2,3] steps of a random function of x and y (float64). */
const steps: Record<string, (x: Tensor, y: Tensor) => Tensor> = {
  sin: (x) => x.sin(),
  tanh: (x) => x.tanh(),
  sigmoid: (x) => x.sigmoid(),
  softplus: (x) => x.softplus(),
  mulY: (x, y) => x.mul(y),
  addY: (x, y) => x.add(y),
  divY: (x, y) => x.div(y.square().add(1)),
  square: (x) => x.square(),
  softmax: (x) => x.softmax(-1),
  logSoftmax: (x) => x.logSoftmax(0),
  centre: (x) => x.sub(x.mean(0, true)),
  rowSum: (x) => x.add(x.sum(-1, true)),
  logsumexp: (x) => x.mul(x.logsumexp(-1, true)),
  shuffle: (x) => x.T.reshape([2, 3]),
  matmul: (x, y) => x.matmul(y.T).matmul(x).mul(0.1),
  maxRow: (x) => x.add(x.max(-1, true).mul(0.5)),
  pow: (x, y) => x.square().add(1).pow(y.mul(0.5)),
};

const stepNames = Object.keys(steps);
const arbProgram = fc.array(fc.constantFrom(...stepNames), { minLength: 1, maxLength: 5 });
const arbValues = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 6, maxLength: 6 });
const f64 = (values: number[]) => tensor(values, { dtype: 'float64', shape: [2, 3] });

function program(names: readonly string[]): (x: Tensor, y: Tensor) => Tensor {
  return (x, y) => names.reduce((t, name) => (steps[name] as (a: Tensor, b: Tensor) => Tensor)(t, y), x);
}

const dot = (a: Tensor, b: Tensor) => a.mul(b).sum().item();

describe('functional transforms on random functions (float64)', () => {
  it('jvp matches central finite differences of the forward function', () => {
    // max has a kink at ties, where differences and derivatives part ways.
    const smooth = fc.array(fc.constantFrom(...stepNames.filter((n) => n !== 'maxRow')), {
      minLength: 1,
      maxLength: 5,
    });
    fc.assert(
      fc.property(smooth, arbValues, arbValues, arbValues, (names, xs, ys, ts) => {
        const f = program(names);
        const [x, y, t] = [f64(xs), f64(ys), f64(ts)];
        const [, tangent] = jvp((a) => f(a, y), [x], [t]);
        // (f(x + εt) - f(x - εt)) / 2ε: error O(ε²) plus rounding O(1e-16/ε).
        const eps = 1e-5;
        const fd = noGrad(() =>
          f(x.add(t.mul(eps)), y)
            .sub(f(x.sub(t.mul(eps)), y))
            .div(2 * eps),
        );
        const err = tangent.sub(fd).abs().max().item();
        const scale = 1 + fd.abs().max().item();
        expect(err, names.join(' → ')).toBeLessThan(1e-6 * scale);
      }),
      { numRuns: fuzzRuns(80) },
    );
  });

  it('vjp is the transpose of jvp: ⟨v, J t⟩ = ⟨Jᵀ v, t⟩, over both inputs', () => {
    fc.assert(
      fc.property(arbProgram, arbValues, arbValues, arbValues, arbValues, (names, xs, ys, vs, ts) => {
        const f = program(names);
        const [x, y, v, t] = [f64(xs), f64(ys), f64(vs), f64(ts)];
        const [, jt] = jvp(f, [x, y], [t, t.mul(-0.5)]);
        const [, back] = vjp(f, x, y);
        const [vx, vy] = back(v) as [Tensor, Tensor];
        const left = dot(v, jt);
        const right = dot(vx, t) + dot(vy, t.mul(-0.5));
        expect(Math.abs(left - right), names.join(' → ')).toBeLessThan(1e-9 * (1 + Math.abs(left)));
      }),
      { numRuns: fuzzRuns(80) },
    );
  });

  it('grad, gradients and backward all give vjp with v = 1', () => {
    fc.assert(
      fc.property(arbProgram, arbValues, arbValues, (names, xs, ys) => {
        const f = program(names);
        const y = f64(ys);
        const [, back] = vjp((a) => f(a, y).sum(), f64(xs));
        const [expected] = back(tensor(1, { dtype: 'float64' })) as [Tensor];
        const viaGrad = grad((a: Tensor) => f(a, y).sum())(f64(xs));
        const x = f64(xs).requireGrad();
        const [viaGradients] = gradients(f(x, y).sum(), [x]) as [Tensor];
        f(x, y).sum().backward();
        for (const g of [viaGrad, viaGradients, x.grad as Tensor]) {
          expect(g.sub(expected).abs().max().item(), names.join(' → ')).toBeLessThan(1e-12);
        }
      }),
      { numRuns: fuzzRuns(60) },
    );
  });
});

describe('the rules of backward, on random graphs', () => {
  it('a second backward through a freed graph is a GraphError that changes nothing; retainGraph doubles exactly', () => {
    fc.assert(
      fc.property(arbProgram, arbValues, arbValues, (names, xs, ys) => {
        const f = program(names);
        const x = f64(xs).requireGrad();
        const out = f(x, f64(ys)).sum();
        out.backward();
        const first = x.grad?.toArray();
        // The error names the first op whose saved tensors were released (any op of the program).
        const again = attempt(() => out.backward());
        expect(again.ok).toBe(false);
        if (!again.ok) {
          expect(again.error).toBeInstanceOf(GraphError);
          expect((again.error as Error).message).toMatch(/^\w+: backward through a graph that was already freed/);
        }
        expect(x.grad?.toArray()).toEqual(first);

        const z = f64(xs).requireGrad();
        const kept = f(z, f64(ys)).sum();
        kept.backward(undefined, { retainGraph: true });
        const once = (z.grad as Tensor).data();
        kept.backward();
        const twice = (z.grad as Tensor).data();
        once.forEach((g, i) => expect(twice[i]).toBe(g + g));
      }),
      { numRuns: fuzzRuns(40) },
    );
  });

  it('a gradOutput of the wrong shape is a ShapeError naming backward or gradients, and changes nothing', () => {
    fc.assert(
      fc.property(arbProgram, fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), (names, shape) => {
        const x = f64([1, 2, 3, 4, 5, 6].map((v) => v / 7)).requireGrad();
        const out = program(names)(x, f64([0.5, -0.5, 1, 1, -1, 0.25]));
        const seed = tensor(new Float64Array(shape.reduce((a, b) => a * b, 1)).fill(1), { shape });
        const wrong = JSON.stringify(shape) !== JSON.stringify(out.shape);
        const viaBackward = expectContract('backward', () => out.backward(seed, { retainGraph: true }));
        const viaGradients = expectContract('gradients', () =>
          gradients(out, [x], { gradOutput: seed, retainGraph: true }),
        );
        if (wrong) {
          for (const o of [viaBackward, viaGradients]) expect(!o.ok && o.error instanceof ShapeError).toBe(true);
          expect(x.grad).toBeNull();
        } else {
          expect(viaBackward.ok && viaGradients.ok).toBe(true);
        }
      }),
      { numRuns: fuzzRuns(40) },
    );
  });
});

describe('drawing random graphs', () => {
  /** The number of graph nodes a drawing shows (boxes and op nodes, not the output box or the note). */
  const drawn = (dot: string) => (dot.match(/^ {2}n\d+ \[/gm) ?? []).length;

  it('at most maxNodes nodes, the rest counted in the note; Mermaid draws the same nodes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...stepNames), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        (names, maxNodes) => {
          const x = f64([1, 2, 3, 4, 5, 6].map((v) => v / 10)).requireGrad();
          const out = program(names)(x, f64([0.5, -0.5, 1, 1, -1, 0.25]));
          const all = drawn(toDot(out, { maxNodes: 1e6 }));
          const dot = toDot(out, { maxNodes });
          const shown = drawn(dot);
          expect(shown).toBe(Math.min(all, maxNodes));
          const left = /… (\d+) more nodes not drawn/.exec(dot);
          expect(left === null ? 0 : Number(left[1])).toBe(all - shown);
          const mermaid = toMermaid(out, { maxNodes });
          expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
          expect((mermaid.match(/^ {2}n\d+[[(]/gm) ?? []).length).toBe(shown);
        },
      ),
      { numRuns: fuzzRuns(40) },
    );
  });
});

describe('backends and threads', () => {
  const threads = getNumThreads();
  const backend = getBackend();
  afterAll(() => {
    setBackend(null);
    setNumThreads(threads);
  });

  it("'js' and the default backend agree on float32 matmuls of any shape (to float32 rounding), views included", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 0, max: 40 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1e6 }),
        (m, k, n, transposed, seed) => {
          const values = (count: number) => Float32Array.from({ length: count }, (_, i) => Math.sin(seed + i * 1.7));
          const a = transposed ? tensor(values(m * k), { shape: [k, m] }).T : tensor(values(m * k), { shape: [m, k] });
          const b = tensor(values(k * n).reverse(), { shape: [k, n] });
          setBackend(null);
          const auto = a.matmul(b);
          setBackend('js');
          const js = a.matmul(b);
          setBackend(null);
          expect(auto.shape).toEqual([m, n]);
          if (k === 0 || m * n === 0) return;
          // Each is within k·2⁻²⁴·Σ|a||b| of the exact sum (the classic bound for a float32 dot product
          // of length k), so they are within twice that of each other.
          const bound = a
            .abs()
            .matmul(b.abs())
            .mul((k + 1) * 2 ** -23);
          expect(auto.sub(js).abs().sub(bound).max().item()).toBeLessThanOrEqual(0);
        },
      ),
      { numRuns: fuzzRuns(40) },
    );
    expect(getBackend()).toBe(backend);
  });

  it('one thread and many give identical results for a product big enough to be split', () => {
    const a = tensor(
      Float32Array.from({ length: 160 * 120 }, (_, i) => Math.cos(i)),
      { shape: [160, 120] },
    );
    const b = tensor(
      Float32Array.from({ length: 120 * 130 }, (_, i) => Math.sin(i)),
      { shape: [120, 130] },
    );
    setNumThreads(4);
    const many = a.matmul(b).data();
    setNumThreads(1);
    const one = a.matmul(b).data();
    expect(Array.from(many)).toEqual(Array.from(one));
  });
});
