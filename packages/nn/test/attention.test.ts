/**
 * scaledDotProductAttention and MultiheadAttention against PyTorch 1.13
 * (fixtures/sdpa.json and fixtures/attention.json, written by
 * fixtures/attention.py). PyTorch 1.13 has no F.scaled_dot_product_attention;
 * the fixture's reference is PyTorch 2.x's documented formula written with
 * torch ops:
 *
 *   bias = 0 (L×S); causal: bias[i, j] = -inf for j > i;
 *   bool mask: bias = -inf where the mask is false; float mask: bias += mask
 *   out  = softmax(Q Kᵀ · scale + bias, over the keys) · V,  scale = 1/√E by default
 *
 * Also: hand-derived values, rows with nothing to attend to, dropout,
 * PyTorch's initialization, gradients against finite differences and errors.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, DTypeError, Generator, ShapeError, type Tensor, randn, tensor, zeros } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import { MultiheadAttention, generateSquareSubsequentMask, scaledDotProductAttention } from '../src/index';
import { expectClose, expectParameterGradientMatches } from './helpers';
import { type Nested, type NestedMask, stateOf, t64, torchFixture } from './torch-fixtures';

const tight = { rtol: 1e-10, atol: 1e-12 };

interface SdpaCase {
  name: string;
  q: Nested;
  k: Nested;
  v: Nested;
  mask: NestedMask | null;
  maskIsBool: boolean;
  isCausal: boolean;
  scale: number | null;
  w: Nested;
  out: Nested;
  grads: Record<string, Nested>;
}

interface MhaCase {
  name: string;
  options: {
    embedDim: number;
    numHeads: number;
    batchFirst: boolean;
    kdim: number;
    vdim: number;
    bias: boolean;
    addBiasKv: boolean;
    addZeroAttn: boolean;
  };
  forward: {
    attnMask: NestedMask | null;
    attnMaskIsBool: boolean;
    keyPaddingMask: NestedMask | null;
    needWeights: boolean;
    averageAttnWeights: boolean;
  };
  training: boolean;
  same: 'qkv' | 'kv' | null;
  keys: string[];
  state: Record<string, Nested>;
  query: Nested;
  key: Nested;
  value: Nested;
  w: Nested;
  ww: Nested | null;
  out: Nested;
  weights: Nested | null;
  grads: Record<string, Nested>;
}

const sdpaCases = torchFixture<{ sdpa: SdpaCase[] }>('sdpa.json').sdpa;
const mhaCases = torchFixture<{ mha: MhaCase[] }>('attention.json').mha;

describe('scaledDotProductAttention against PyTorch', () => {
  for (const c of sdpaCases) {
    it(`${c.name}: output and the gradients of q, k, v (and a float mask)`, () => {
      const [q, k, v] = [c.q, c.k, c.v].map((x) => t64(x, { requiresGrad: true })) as [Tensor, Tensor, Tensor];
      const mask = c.mask === null ? null : t64(c.mask, { requiresGrad: !c.maskIsBool });
      expect(mask === null || (mask.dtype === 'bool') === c.maskIsBool).toBe(true);
      const out = scaledDotProductAttention(q, k, v, { attnMask: mask, isCausal: c.isCausal, scale: c.scale });
      expectClose(out, c.out, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(q.grad as Tensor, c.grads.q as Nested, tight);
      expectClose(k.grad as Tensor, c.grads.k as Nested, tight);
      expectClose(v.grad as Tensor, c.grads.v as Nested, tight);
      if (c.grads.mask !== undefined) expectClose((mask as Tensor).grad as Tensor, c.grads.mask, tight);
    });
  }
});

describe('scaledDotProductAttention', () => {
  it('is softmax(q·kᵀ·scale)·v, by hand', () => {
    // q = [1, 0], keys [1, 0] and [0, 1], scale 1: scores [1, 0], weights
    // [e/(e+1), 1/(e+1)]; values [1, 2] and [3, 4]: out = (e·[1,2] + [3,4]) / (e + 1).
    const f64 = (x: number[][]) => tensor(x, { dtype: 'float64' });
    const out = scaledDotProductAttention(
      f64([[1, 0]]),
      f64([
        [1, 0],
        [0, 1],
      ]),
      f64([
        [1, 2],
        [3, 4],
      ]),
      { scale: 1 },
    );
    const e = Math.E;
    expectClose(out, [[(e + 3) / (e + 1), (2 * e + 4) / (e + 1)]], { rtol: 1e-15, atol: 0 });
    // Default scale 1/√2 for E = 2: scores [1/√2, 0].
    const s = Math.exp(Math.SQRT1_2);
    const scaled = scaledDotProductAttention(
      f64([[1, 0]]),
      f64([
        [1, 0],
        [0, 1],
      ]),
      f64([
        [1, 2],
        [3, 4],
      ]),
    );
    expectClose(scaled, [[(s + 3) / (s + 1), (2 * s + 4) / (s + 1)]], { rtol: 1e-15, atol: 0 });
  });

  it('gives a query with no key to attend to zero output and zero gradient, not NaN (PyTorch ≥ 2.5)', () => {
    const q = randn([3, 2], { dtype: 'float64', requiresGrad: true, generator: new Generator(1) });
    const k = randn([4, 2], { dtype: 'float64', requiresGrad: true, generator: new Generator(2) });
    const v = randn([4, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(3) });
    // Row 1 may attend to nothing; rows 0 and 2 to some keys.
    const mask = tensor(
      [
        [true, false, true, false],
        [false, false, false, false],
        [false, false, false, true],
      ],
      { dtype: 'bool' },
    );
    const out = scaledDotProductAttention(q, k, v, { attnMask: mask });
    expect((out.toArray() as number[][])[1]).toEqual([0, 0, 0]);
    // The other rows are unaffected: row 2 attends to key 3 alone, so it is v[3].
    expectClose((out.toArray() as number[][])[2] as number[], (v.toArray() as number[][])[3] as number[], {
      rtol: 1e-15,
      atol: 0,
    });
    out.sum().backward();
    for (const t of [q, k, v]) expect(Array.from((t.grad as Tensor).data()).every(Number.isFinite)).toBe(true);
    expect((q.grad as Tensor).toArray()).toHaveProperty([1], [0, 0]);
    // A float mask of -Infinity throughout a row counts the same.
    const floatMask = tensor(
      [
        [0, -Infinity, 0, 0],
        [-Infinity, -Infinity, -Infinity, -Infinity],
        [0, 0, 0, 0],
      ],
      {
        dtype: 'float64',
      },
    );
    expect((scaledDotProductAttention(q, k, v, { attnMask: floatMask }).toArray() as number[][])[1]).toEqual([0, 0, 0]);
  });

  it('drops weights out with dropoutP (all of them at 1), scaling the survivors', () => {
    const q = randn([2, 5, 3], { generator: new Generator(4) });
    const k = randn([2, 6, 3], { generator: new Generator(5) });
    const v = randn([2, 6, 4], { generator: new Generator(6) });
    expect(Array.from(scaledDotProductAttention(q, k, v, { dropoutP: 1 }).data()).every((x) => x === 0)).toBe(true);
    // Same generator seed, same mask: the result is reproducible and differs from no dropout.
    const a = scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new Generator(9) });
    const b = scaledDotProductAttention(q, k, v, { dropoutP: 0.5, generator: new Generator(9) });
    expect(Array.from(a.data())).toEqual(Array.from(b.data()));
    expect(Array.from(a.data())).not.toEqual(Array.from(scaledDotProductAttention(q, k, v).data()));
  });

  it('has gradients that match finite differences, first and second order, in q, k, v and a float mask', () => {
    const arb = fc
      .record({
        L: fc.integer({ min: 1, max: 3 }),
        S: fc.integer({ min: 1, max: 3 }),
        E: fc.integer({ min: 1, max: 3 }),
      })
      .chain(({ L, S, E }) =>
        fc.tuple(
          arbTensor({ shape: [2, L, E] }),
          arbTensor({ shape: [2, S, E] }),
          arbTensor({ shape: [2, S, 2] }),
          arbTensor({ shape: [L, S] }),
        ),
      );
    fc.assert(
      fc.property(arb, ([q, k, v, m]) => {
        const f = (a: Tensor, b: Tensor, c: Tensor, d: Tensor) => scaledDotProductAttention(a, b, c, { attnMask: d });
        assertGradcheck(f, [q, k, v, m]);
        assertGradgradcheck(f, [q, k, v, m]);
      }),
      { numRuns: 8 },
    );
    const causal = (a: Tensor, b: Tensor, c: Tensor) => scaledDotProductAttention(a, b, c, { isCausal: true });
    const g = new Generator(8);
    const qkv = [randn([3, 2], { dtype: 'float64', generator: g }), randn([3, 2], { dtype: 'float64', generator: g })];
    assertGradgradcheck(causal, [
      qkv[0] as Tensor,
      qkv[1] as Tensor,
      randn([3, 2], { dtype: 'float64', generator: g }),
    ]);
  }, 120_000);

  it('refuses mismatched shapes, masks and options with typed errors naming the shapes', () => {
    const q = zeros([2, 3, 4]);
    const k = zeros([2, 5, 4]);
    const v = zeros([2, 5, 6]);
    expect(() => scaledDotProductAttention(q, zeros([2, 5, 3]), v)).toThrow(
      /^scaledDotProductAttention: the query's last axis has 4 features and the key's 3/,
    );
    expect(() => scaledDotProductAttention(q, k, zeros([2, 4, 6]))).toThrow(
      /the key has 5 positions .* and the value 4/,
    );
    expect(() => scaledDotProductAttention(q, zeros([3, 5, 4]), zeros([3, 5, 6]))).toThrow(ShapeError);
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 4]) })).toThrow(
      /^scaledDotProductAttention: attnMask of shape \[3,4\] does not broadcast to the attention weights' shape \[2,3,5\]/,
    );
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 5]), isCausal: true })).toThrow(
      /give attnMask or isCausal, not both/,
    );
    expect(() => scaledDotProductAttention(q, k, v, { attnMask: zeros([3, 5], { dtype: 'int32' }) })).toThrow(
      DTypeError,
    );
    expect(() => scaledDotProductAttention(q, k.to('float64'), v)).toThrow(/must have one dtype/);
    expect(() => scaledDotProductAttention(zeros([4]), k, v)).toThrow(/rank 2 or more/);
    expect(() => scaledDotProductAttention(q, k, v, { dropoutP: 2 })).toThrow(/dropoutP is a probability/);
    expect(() => scaledDotProductAttention(q, k, v, { scale: Number.NaN })).toThrow(/scale must be a finite number/);
    expect(() => scaledDotProductAttention(q, k, v, { causal: true } as object)).toThrow(ArgumentError);
  });
});

function buildMha(c: MhaCase): MultiheadAttention {
  const { embedDim, numHeads, ...rest } = c.options;
  const m = new MultiheadAttention(embedDim, numHeads, { ...rest, dtype: 'float64' });
  m.loadStateDict(stateOf(c.state));
  return m.train(c.training);
}

describe('MultiheadAttention against PyTorch', () => {
  for (const c of mhaCases) {
    it(`${c.name}: state-dict keys, output, weights and every gradient`, () => {
      const m = buildMha(c);
      expect(Object.keys(m.stateDict())).toEqual(c.keys);
      const query = t64(c.query, { requiresGrad: true });
      const key = c.same === 'qkv' ? query : t64(c.key, { requiresGrad: true });
      const value = c.same !== null ? key : t64(c.value, { requiresGrad: true });
      const f = c.forward;
      const { output, weights } = m.forward(query, key, value, {
        attnMask: f.attnMask === null ? null : t64(f.attnMask),
        keyPaddingMask: f.keyPaddingMask === null ? null : t64(f.keyPaddingMask),
        needWeights: f.needWeights,
        averageAttnWeights: f.averageAttnWeights,
      });
      expectClose(output, c.out, tight);
      let loss = output.mul(t64(c.w)).sum();
      if (c.weights === null) {
        expect(weights).toBeNull();
      } else {
        expectClose(weights as Tensor, c.weights, tight);
        loss = loss.add((weights as Tensor).mul(t64(c.ww as Nested)).sum());
      }
      loss.backward();
      expectClose(query.grad as Tensor, c.grads.query as Nested, tight);
      if (c.same !== 'qkv') expectClose(key.grad as Tensor, c.grads.key as Nested, tight);
      if (c.same === null) expectClose(value.grad as Tensor, c.grads.value as Nested, tight);
      for (const [name, p] of m.namedParameters()) expectClose(p.grad as Tensor, c.grads[name] as Nested, tight);
    });
  }
});

describe('MultiheadAttention', () => {
  it('initializes as PyTorch: Xavier-uniform projections, zero biases, out_proj U(±1/√E), bias_k/v normal', () => {
    const E = 40;
    const m = new MultiheadAttention(E, 4, { addBiasKv: true, generator: new Generator(2) });
    expect(Object.keys(m.stateDict())).toEqual([
      'in_proj_weight',
      'in_proj_bias',
      'bias_k',
      'bias_v',
      'out_proj.weight',
      'out_proj.bias',
    ]);
    // xavier_uniform on [3E, E]: bound √(6 / (E + 3E)); 4800 draws should come near it.
    const bound = Math.sqrt(6 / (4 * E));
    const w = Array.from((m.inProjWeight as Tensor).data()).map(Math.abs);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.max(...w)).toBeGreaterThan(0.98 * bound);
    const out = Array.from(m.outProj.weight.data()).map(Math.abs);
    expect(Math.max(...out)).toBeLessThanOrEqual(1 / Math.sqrt(E));
    expect(Math.max(...out)).toBeGreaterThan(0.95 / Math.sqrt(E));
    expect(Array.from((m.inProjBias as Tensor).data()).every((x) => x === 0)).toBe(true);
    expect(Array.from((m.outProj.bias as Tensor).data()).every((x) => x === 0)).toBe(true);
    expect(m.biasK?.shape).toEqual([1, 1, E]);
    const separate = new MultiheadAttention(6, 2, { kdim: 3, vdim: 5, bias: false });
    expect(Object.keys(separate.stateDict())).toEqual([
      'q_proj_weight',
      'k_proj_weight',
      'v_proj_weight',
      'out_proj.weight',
    ]);
    expect(separate.kProjWeight?.shape).toEqual([6, 3]);
  });

  it('isCausal without attnMask is the square subsequent mask', () => {
    const m = new MultiheadAttention(4, 2, { dtype: 'float64', generator: new Generator(3) });
    const x = randn([3, 2, 4], { dtype: 'float64', generator: new Generator(4) });
    const a = m.forward(x, x, x, { isCausal: true });
    const b = m.forward(x, x, x, { attnMask: generateSquareSubsequentMask(3, { dtype: 'float64' }) });
    expectClose(a.output, b.output, { rtol: 0, atol: 0 });
    expectClose(a.weights as Tensor, b.weights as Tensor, { rtol: 0, atol: 0 });
    // Query 0 attends to key 0 only.
    expect(((a.weights as Tensor).toArray() as number[][][])[0]?.[0]).toEqual([1, 0, 0]);
  });

  it('gives a fully padded batch entry zero weights and finite gradients', () => {
    const m = new MultiheadAttention(4, 2, { dtype: 'float64', generator: new Generator(5) });
    const x = randn([3, 2, 4], { dtype: 'float64', requiresGrad: true, generator: new Generator(6) });
    const padding = tensor(
      [
        [true, true, true],
        [false, true, false],
      ],
      { dtype: 'bool' },
    );
    const { output, weights } = m.forward(x, x, x, { keyPaddingMask: padding });
    // Batch entry 0 (axis 1, sequence first) attends to nothing: weights 0,
    // output = out_proj applied to 0 = its bias (0 at init).
    expect(Array.from((weights as Tensor).select(0, 0).data()).every((w) => w === 0)).toBe(true);
    expect(Array.from(output.select(1, 0).data()).every((o) => o === 0)).toBe(true);
    output.sum().backward();
    expect(Array.from((x.grad as Tensor).data()).every(Number.isFinite)).toBe(true);
  });

  it('returns the weights after dropout in training and drops nothing in eval', () => {
    const m = new MultiheadAttention(4, 1, { dropout: 0.5, generator: new Generator(7) });
    const x = randn([5, 1, 4], { generator: new Generator(8) });
    const clean = (m.eval().forward(x, x, x).weights as Tensor).data();
    const dropped = (m.train().forward(x, x, x).weights as Tensor).data();
    // Each weight either dropped (0) or kept and doubled (1 / (1 - 0.5)).
    dropped.forEach((w, i) => expect([0, 2 * (clean[i] as number)]).toContainEqual(expect.closeTo(w, 6)));
    expect(Array.from(dropped).some((w) => w === 0)).toBe(true);
  });

  it('has input and parameter gradients that match finite differences (second order in the inputs)', () => {
    const g = new Generator(9);
    const m = new MultiheadAttention(4, 2, { kdim: 3, vdim: 2, dtype: 'float64', generator: g, addBiasKv: true });
    const q = randn([2, 1, 4], { dtype: 'float64', generator: g });
    const k = randn([3, 1, 3], { dtype: 'float64', generator: g });
    const v = randn([3, 1, 2], { dtype: 'float64', generator: g });
    const mask = tensor(
      [
        [false, true, false],
        [false, false, false],
      ],
      { dtype: 'bool' },
    );
    const f = (a: Tensor, b: Tensor, c: Tensor) => {
      const { output, weights } = m.forward(a, b, c, { attnMask: mask, averageAttnWeights: false });
      return output.sum().add((weights as Tensor).square().sum());
    };
    assertGradcheck(f, [q, k, v]);
    assertGradgradcheck(f, [q, k, v]);
    for (const [, p] of m.namedParameters()) expectParameterGradientMatches(() => f(q, k, v), p);
  }, 60_000);

  it('has input gradients that match finite differences over random small configurations', () => {
    const config = fc.record({
      heads: fc.integer({ min: 1, max: 2 }),
      headDim: fc.integer({ min: 1, max: 2 }),
      L: fc.integer({ min: 1, max: 3 }),
      S: fc.integer({ min: 1, max: 3 }),
      N: fc.integer({ min: 1, max: 2 }),
      kdim: fc.integer({ min: 1, max: 3 }),
      batchFirst: fc.boolean(),
      padLast: fc.boolean(),
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    const arb = config.chain((c) => {
      const E = c.heads * c.headDim;
      const shape = (len: number, features: number) => (c.batchFirst ? [c.N, len, features] : [len, c.N, features]);
      return fc.tuple(
        fc.constant(c),
        arbTensor({ shape: shape(c.L, E) }),
        arbTensor({ shape: shape(c.S, c.kdim) }),
        arbTensor({ shape: shape(c.S, 2) }),
      );
    });
    fc.assert(
      fc.property(arb, ([c, q, k, v]) => {
        const E = c.heads * c.headDim;
        const m = new MultiheadAttention(E, c.heads, {
          kdim: c.kdim,
          vdim: 2,
          batchFirst: c.batchFirst,
          dtype: 'float64',
          generator: new Generator(c.seed),
        });
        // Padding the last key of every batch entry leaves a key to attend to when S > 1.
        const pad = tensor(
          Array.from({ length: c.N }, () =>
            Array.from({ length: c.S }, (_, j) => c.padLast && c.S > 1 && j === c.S - 1),
          ),
          { dtype: 'bool' },
        );
        const f = (a: Tensor, b: Tensor, d: Tensor) => {
          const { output, weights } = m.forward(a, b, d, { keyPaddingMask: pad });
          return output
            .square()
            .sum()
            .add((weights as Tensor).mul(weights as Tensor).sum());
        };
        assertGradcheck(f, [q, k, v]);
      }),
      { numRuns: 10 },
    );
  }, 120_000);

  it('refuses bad sizes, inputs and masks before computing, naming the expected shapes', () => {
    expect(() => new MultiheadAttention(10, 3)).toThrow(ArgumentError);
    expect(() => new MultiheadAttention(10, 3)).toThrow(
      /^MultiheadAttention: embedDim 10 is not divisible by numHeads 3/,
    );
    expect(() => new MultiheadAttention(4, 2, { dropout: 1.5 })).toThrow(/dropout is a probability/);
    expect(() => new MultiheadAttention(4, 2, { kdim: 0 })).toThrow(/kdim must be a positive integer/);
    const m = new MultiheadAttention(4, 2);
    const x = zeros([3, 2, 4]);
    const kv = zeros([5, 2, 4]);
    expect(() => m.forward(zeros([3, 2, 5]), kv, kv)).toThrow(
      /^MultiheadAttention: the query has 5 features \(last axis of \[3,2,5\]\); this layer expects 4 \(embedDim\)/,
    );
    expect(() => m.forward(x, kv, zeros([4, 2, 4]))).toThrow(/the key has 5 positions and the value 4/);
    expect(() => m.forward(x, zeros([5, 3, 4]), zeros([5, 3, 4]))).toThrow(/one batch size/);
    expect(() => m.forward(x, zeros([5, 4]), zeros([5, 4]))).toThrow(/so the key must be too/);
    expect(() => m.forward(zeros([1, 3, 2, 4]), kv, kv)).toThrow(/must be 3-D \[length, batch, features\] or 2-D/);
    expect(() => m.forward(x, kv, kv, { attnMask: zeros([5, 3]) })).toThrow(
      /^MultiheadAttention: the 2-D attnMask has shape \[5,3\], expected \[target length, source length\] = \[3,5\]/,
    );
    expect(() => m.forward(x, kv, kv, { attnMask: zeros([2, 3, 5]) })).toThrow(
      /the 3-D attnMask has shape \[2,3,5\], expected \[batch·numHeads = 4, target length, source length\] = \[4,3,5\]/,
    );
    expect(() => m.forward(x, kv, kv, { keyPaddingMask: zeros([5, 2], { dtype: 'bool' }) })).toThrow(
      /keyPaddingMask has shape \[5,2\], expected \[batch, source length\] = \[2,5\]/,
    );
    expect(() => m.forward(zeros([3, 4]), zeros([5, 4]), zeros([5, 4]), { keyPaddingMask: zeros([2, 5]) })).toThrow(
      /expected \[source length\] \(unbatched\) = \[5\]/,
    );
    expect(() => m.forward(x, kv, kv, { attnMask: zeros([3, 5], { dtype: 'int32' }) })).toThrow(DTypeError);
    expect(() => m.forward(x, kv, kv, { needWeight: false } as object)).toThrow(/unknown option 'needWeight'/);
    const bf = new MultiheadAttention(4, 2, { batchFirst: true });
    expect(() => bf.forward(zeros([2, 3, 4]), zeros([2, 5, 4]), zeros([2, 5, 4]), { attnMask: zeros([5, 3]) })).toThrow(
      /expected \[target length, source length\] = \[3,5\]/,
    );
  });

  it('refuses hostile arguments with typed errors, never a TypeError', () => {
    const nullProto = Object.create(null) as never;
    expect(() => new MultiheadAttention(nullProto, 2)).toThrow(
      /^MultiheadAttention: embedDim must be a positive integer, got an object/,
    );
    expect(() => new MultiheadAttention(4, 2, null as never)).toThrow(/^MultiheadAttention: options must be an object/);
    expect(() => new MultiheadAttention(4, 2, { batchFirst: 1 as never })).toThrow(
      /option 'batchFirst' must be true or false/,
    );
    const m = new MultiheadAttention(4, 2);
    const x = zeros([3, 2, 4]);
    expect(() => m.forward(x, x, x, null as never)).toThrow(/^MultiheadAttention: options must be an object/);
    expect(() => m.forward(x, x, x, { attnMask: [[0]] as never })).toThrow(
      /^MultiheadAttention: attnMask must be a bool or float Tensor/,
    );
    expect(() => m.forward(nullProto, x, x)).toThrow(/^MultiheadAttention: the query must be a Tensor, got an object/);
    expect(() => scaledDotProductAttention(x, x, x, { scale: 10n as never })).toThrow(
      /scale must be a finite number or null/,
    );
  });
});
