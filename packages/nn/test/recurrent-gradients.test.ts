/**
 * Gradients of the recurrent layers and cells against finite differences,
 * over random small configurations (float64): gradcheck for the input and
 * the initial states, gradgradcheck (second order, through the recurrence)
 * for the input, and a directional derivative for all parameters at once:
 * for a random direction v, (L(p + εv) - L(p - εv)) / 2ε must equal Σ ∇L·v.
 *
 * NOTE: RNN with relu is left out: at its kink finite differences are not a
 * derivative, and a random configuration can put a pre-activation within ε
 * of 0. Its gradients are pinned by the PyTorch fixtures (recurrent.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, noGrad, randn, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '../src/index';
import { expectClose } from './helpers';

/** Σ t⊙w for fixed, distinct weights w[i] = sin(0.7 i + 0.3). */
function weighted(t: Tensor): Tensor {
  const w = Array.from({ length: t.size }, (_, i) => Math.sin(i * 0.7 + 0.3));
  return t.mul(tensor(w, { shape: t.shape, dtype: 'float64' })).sum();
}

function expectDirectionalDerivative(loss: () => Tensor, params: Tensor[], generator: Generator): void {
  for (const p of params) p.grad = null;
  loss().backward();
  const directions = params.map((p) => randn(p.shape, { dtype: 'float64', generator }));
  const analytic = params.reduce((acc, p, i) => {
    if (p.grad === null) throw new Error('backward left a parameter without a gradient');
    return (
      acc +
      p.grad
        .mul(directions[i] as Tensor)
        .sum()
        .item()
    );
  }, 0);
  const base = params.map((p) => p.detach().clone());
  const at = (eps: number): number => {
    noGrad(() => params.forEach((p, i) => p.copyFrom((base[i] as Tensor).add((directions[i] as Tensor).mul(eps)))));
    return noGrad(() => loss().item());
  };
  const h = 1e-6;
  const numeric = (at(h) - at(-h)) / (2 * h);
  noGrad(() => params.forEach((p, i) => p.copyFrom(base[i] as Tensor)));
  expectClose([analytic], [numeric], { rtol: 1e-6, atol: 1e-8 });
}

const arbLayerConfig = fc.record({
  kind: fc.constantFrom('RNN' as const, 'LSTM' as const, 'GRU' as const),
  inputSize: fc.integer({ min: 1, max: 2 }),
  hiddenSize: fc.integer({ min: 1, max: 3 }),
  numLayers: fc.integer({ min: 1, max: 2 }),
  bidirectional: fc.boolean(),
  batchFirst: fc.boolean(),
  bias: fc.boolean(),
  /** Only used by LSTM, and only below hiddenSize. */
  projSize: fc.integer({ min: 0, max: 2 }),
  seqLen: fc.integer({ min: 1, max: 3 }),
  batch: fc.constantFrom(null, 1, 2),
  withState: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

type LayerConfig = typeof arbLayerConfig extends fc.Arbitrary<infer T> ? T : never;

/** The layer, its input and states, and the loss as a function of (input, states...). */
function setUp(c: LayerConfig) {
  const generator = new Generator(c.seed);
  const projSize = c.kind === 'LSTM' && c.projSize < c.hiddenSize ? c.projSize : 0;
  const options = {
    numLayers: c.numLayers,
    bidirectional: c.bidirectional,
    batchFirst: c.batchFirst,
    bias: c.bias,
    dtype: 'float64' as const,
    generator,
  };
  const layer =
    c.kind === 'LSTM'
      ? new LSTM(c.inputSize, c.hiddenSize, { ...options, projSize })
      : c.kind === 'GRU'
        ? new GRU(c.inputSize, c.hiddenSize, options)
        : new RNN(c.inputSize, c.hiddenSize, options);
  const batch = c.batch === null ? [] : [c.batch];
  const xShape =
    c.batch === null
      ? [c.seqLen, c.inputSize]
      : c.batchFirst
        ? [c.batch, c.seqLen, c.inputSize]
        : [c.seqLen, c.batch, c.inputSize];
  const stateRows = c.numLayers * (c.bidirectional ? 2 : 1);
  const hOut = projSize > 0 ? projSize : c.hiddenSize;
  const draw = (shape: number[]) => randn(shape, { dtype: 'float64', generator });
  const inputs = [draw(xShape)];
  if (c.withState) {
    inputs.push(draw([stateRows, ...batch, hOut]));
    if (c.kind === 'LSTM') inputs.push(draw([stateRows, ...batch, c.hiddenSize]));
  }
  const f = (...args: Tensor[]): Tensor => {
    const [x, h0, c0] = args as [Tensor, Tensor?, Tensor?];
    if (layer instanceof LSTM) {
      const out = h0 === undefined || c0 === undefined ? layer.forward(x) : layer.forward(x, { h0, c0 });
      return weighted(out.output).add(weighted(out.hN)).add(weighted(out.cN));
    }
    const out = layer.forward(x, h0);
    return weighted(out.output).add(weighted(out.hN));
  };
  return { layer, inputs, f, generator };
}

describe('recurrent layers: gradients against finite differences', () => {
  it('gradcheck for the input and the initial states; a directional derivative for every parameter', () => {
    fc.assert(
      fc.property(arbLayerConfig, (c) => {
        const { layer, inputs, f, generator } = setUp(c);
        assertGradcheck(f, inputs);
        expectDirectionalDerivative(() => f(...inputs), layer.parameters(), generator);
      }),
      { numRuns: 25 },
    );
  }, 60_000);

  it('gradgradcheck (second order through the recurrence) for the input', () => {
    fc.assert(
      fc.property(arbLayerConfig, (c) => {
        const { inputs, f } = setUp({ ...c, numLayers: 1, seqLen: Math.min(c.seqLen, 2) });
        assertGradgradcheck(f, inputs, { argnums: 0 });
      }),
      { numRuns: 15 },
    );
  }, 30_000);

  it('is exercised with every kind, projSize, both directions and unbatched input', () => {
    // Guards the arbitrary above against a change that would stop it reaching these.
    const seen = fc.sample(arbLayerConfig, { numRuns: 200, seed: 1 });
    expect(new Set(seen.map((c) => c.kind)).size).toBe(3);
    expect(seen.some((c) => c.kind === 'LSTM' && c.projSize > 0 && c.projSize < c.hiddenSize)).toBe(true);
    expect(seen.some((c) => c.bidirectional && c.numLayers === 2)).toBe(true);
    expect(seen.some((c) => c.batch === null && c.withState)).toBe(true);
  });
});

describe('recurrent cells: gradients against finite differences', () => {
  it('gradcheck and gradgradcheck for x and the state; a directional derivative for the parameters', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('RNNCell' as const, 'LSTMCell' as const, 'GRUCell' as const),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(null, 1, 3),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (kind, inputSize, hiddenSize, batch, bias, withState, seed) => {
          const generator = new Generator(seed);
          const options = { bias, dtype: 'float64' as const, generator };
          const cell =
            kind === 'RNNCell'
              ? new RNNCell(inputSize, hiddenSize, options)
              : kind === 'LSTMCell'
                ? new LSTMCell(inputSize, hiddenSize, options)
                : new GRUCell(inputSize, hiddenSize, options);
          const lead = batch === null ? [] : [batch];
          const draw = (n: number) => randn([...lead, n], { dtype: 'float64', generator });
          const inputs = [draw(inputSize)];
          if (withState) inputs.push(draw(hiddenSize), ...(kind === 'LSTMCell' ? [draw(hiddenSize)] : []));
          const f = (...args: Tensor[]): Tensor => {
            const [x, h, c] = args as [Tensor, Tensor?, Tensor?];
            if (cell instanceof LSTMCell) {
              const next = h === undefined || c === undefined ? cell.forward(x) : cell.forward(x, { h, c });
              return weighted(next.h).add(weighted(next.c));
            }
            return weighted(cell.forward(x, h));
          };
          assertGradcheck(f, inputs);
          assertGradgradcheck(f, inputs);
          expectDirectionalDerivative(() => f(...inputs), cell.parameters(), generator);
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
