/**
 * RNN, LSTM, GRU and their cells against PyTorch 1.13 (fixtures/recurrent.py,
 * float64): with PyTorch's weights loaded through the state dict, the same
 * outputs and final states, and the same gradients of
 * L = Σ output⊙w_out + Σ hN⊙w_h (+ Σ cN⊙w_c) for the input, the initial
 * states and every parameter; the state-dict keys in PyTorch's order; and a
 * float32 LSTM saved by PyTorch as safetensors, loaded strictly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, noGrad, tensor } from '@chainrule/core';
import {
  GRU,
  GRUCell,
  LSTM,
  LSTMCell,
  RNN,
  RNNCell,
  loadSafetensors,
  type LSTMOptions,
  type RNNCellOptions,
  type RNNOptions,
  type StateDict,
} from '../src/index';
import { expectClose } from './helpers';

interface Encoded {
  shape: number[];
  values: number[];
}

interface Grads {
  input: Encoded;
  h0?: Encoded;
  c0?: Encoded;
  params: Record<string, Encoded>;
}

interface LayerCase {
  kind: 'RNN' | 'LSTM' | 'GRU';
  inputSize: number;
  hiddenSize: number;
  options: RNNOptions & LSTMOptions;
  training: boolean;
  keys: string[];
  state: Record<string, Encoded>;
  input: Encoded;
  h0?: Encoded;
  c0?: Encoded;
  output: Encoded;
  hN: Encoded;
  cN?: Encoded;
  grads: Grads;
}

interface CellCase {
  kind: 'RNNCell' | 'LSTMCell' | 'GRUCell';
  inputSize: number;
  hiddenSize: number;
  options: RNNCellOptions;
  keys: string[];
  state: Record<string, Encoded>;
  input: Encoded;
  h0?: Encoded;
  c0?: Encoded;
  h: Encoded;
  c?: Encoded;
  grads: Grads;
}

interface SavedLstm {
  file: string;
  inputSize: number;
  hiddenSize: number;
  options: LSTMOptions;
  keys: string[];
  input: Encoded;
  output: Encoded;
  hN: Encoded;
  cN: Encoded;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/recurrent.json', import.meta.url), 'utf8')) as {
  torch: string;
  layers: LayerCase[];
  cells: CellCase[];
  savedLstm: SavedLstm;
};

const tol = { rtol: 1e-10, atol: 1e-12 };

const f64 = (e: Encoded, requiresGrad = false): Tensor =>
  tensor(e.values, { shape: e.shape, dtype: 'float64', requiresGrad });

const stateOf = (state: Record<string, Encoded>): StateDict =>
  Object.fromEntries(Object.entries(state).map(([k, v]) => [k, f64(v)]));

/** The script's fixed weights: w[i] = sin(0.7 i + 0.3) over the flattened elements. */
const cotangent = (shape: readonly number[]): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + 0.3)),
    { shape, dtype: 'float64' },
  );
};

const weighted = (t: Tensor): Tensor => t.mul(cotangent(t.shape)).sum();

const label = (c: { kind: string; options: object; input: Encoded; h0?: Encoded }) =>
  `${c.kind} ${JSON.stringify(c.options)} input [${c.input.shape}]${c.h0 === undefined ? '' : ' with state'}`;

function makeLayer(c: LayerCase): RNN | LSTM | GRU {
  const options = { ...c.options, dtype: 'float64' as const };
  if (c.kind === 'LSTM') return new LSTM(c.inputSize, c.hiddenSize, options);
  const { projSize: _p, nonlinearity, ...rest } = options;
  if (c.kind === 'RNN')
    return new RNN(c.inputSize, c.hiddenSize, { ...rest, ...(nonlinearity ? { nonlinearity } : {}) });
  return new GRU(c.inputSize, c.hiddenSize, rest);
}

function expectParamGrads(module: { namedParameters(): [string, Tensor][] }, expected: Record<string, Encoded>) {
  const names = module.namedParameters().map(([n]) => n);
  expect(names).toEqual(Object.keys(expected));
  for (const [name, p] of module.namedParameters()) {
    if (p.grad === null) throw new Error(`no gradient for ${name}`);
    expectClose(p.grad, expected[name]!.values.length === 0 ? [] : f64(expected[name]!), tol);
  }
}

describe(`recurrent layers against PyTorch ${fixture.torch} (float64)`, () => {
  it.each(fixture.layers.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const layer = makeLayer(c);
    expect(Object.keys(layer.stateDict())).toEqual(c.keys);
    layer.loadStateDict(stateOf(c.state));
    layer.train(c.training);

    const x = f64(c.input, true);
    const h0 = c.h0 === undefined ? undefined : f64(c.h0, true);
    const c0 = c.c0 === undefined ? undefined : f64(c.c0, true);
    let loss: Tensor;
    if (layer instanceof LSTM) {
      const out = h0 === undefined || c0 === undefined ? layer.forward(x) : layer.forward(x, { h0, c0 });
      expectClose(out.output, f64(c.output), tol);
      expectClose(out.hN, f64(c.hN), tol);
      expectClose(out.cN, f64(c.cN as Encoded), tol);
      loss = weighted(out.output).add(weighted(out.hN)).add(weighted(out.cN));
    } else {
      const out = layer.forward(x, h0);
      expectClose(out.output, f64(c.output), tol);
      expectClose(out.hN, f64(c.hN), tol);
      loss = weighted(out.output).add(weighted(out.hN));
    }
    loss.backward();
    expectClose(x.grad as Tensor, f64(c.grads.input), tol);
    if (h0 !== undefined) expectClose(h0.grad as Tensor, f64(c.grads.h0 as Encoded), tol);
    if (c0 !== undefined) expectClose(c0.grad as Tensor, f64(c.grads.c0 as Encoded), tol);
    expectParamGrads(layer, c.grads.params);
  });

  it('covers every layer, both directions, several layers, batchFirst, projSize, states and unbatched input', () => {
    const has = (p: (c: LayerCase) => boolean) =>
      ['RNN', 'LSTM', 'GRU'].every((k) => fixture.layers.some((c) => c.kind === k && p(c)));
    expect(has((c) => c.options.bidirectional === true && c.options.numLayers === 2)).toBe(true);
    expect(has((c) => c.options.batchFirst === true)).toBe(true);
    expect(has((c) => c.h0 !== undefined)).toBe(true);
    expect(has((c) => c.input.shape.length === 2)).toBe(true);
    expect(has((c) => c.options.bias === false)).toBe(true);
    expect(fixture.layers.filter((c) => (c.options.projSize ?? 0) > 0).length).toBeGreaterThanOrEqual(3);
  });
});

describe(`recurrent cells against PyTorch ${fixture.torch} (float64)`, () => {
  it.each(fixture.cells.map((c) => [label(c), c] as const))('%s', (_, c) => {
    const options = { ...c.options, dtype: 'float64' as const };
    const cell =
      c.kind === 'RNNCell'
        ? new RNNCell(c.inputSize, c.hiddenSize, options)
        : c.kind === 'LSTMCell'
          ? new LSTMCell(c.inputSize, c.hiddenSize, options)
          : new GRUCell(c.inputSize, c.hiddenSize, options);
    expect(Object.keys(cell.stateDict())).toEqual(c.keys);
    cell.loadStateDict(stateOf(c.state));

    const x = f64(c.input, true);
    const h0 = c.h0 === undefined ? undefined : f64(c.h0, true);
    const c0 = c.c0 === undefined ? undefined : f64(c.c0, true);
    let loss: Tensor;
    if (cell instanceof LSTMCell) {
      const next = h0 === undefined || c0 === undefined ? cell.forward(x) : cell.forward(x, { h: h0, c: c0 });
      expectClose(next.h, f64(c.h), tol);
      expectClose(next.c, f64(c.c as Encoded), tol);
      loss = weighted(next.h).add(weighted(next.c));
    } else {
      const h = cell.forward(x, h0);
      expectClose(h, f64(c.h), tol);
      loss = weighted(h);
    }
    loss.backward();
    expectClose(x.grad as Tensor, f64(c.grads.input), tol);
    if (h0 !== undefined) expectClose(h0.grad as Tensor, f64(c.grads.h0 as Encoded), tol);
    if (c0 !== undefined) expectClose(c0.grad as Tensor, f64(c.grads.c0 as Encoded), tol);
    expectParamGrads(cell, c.grads.params);
  });
});

describe('a float32 LSTM saved by PyTorch (fixtures/recurrent_lstm.safetensors)', () => {
  it('loads strictly into a 2-layer bidirectional LSTM and reproduces PyTorch’s outputs', () => {
    const saved = fixture.savedLstm;
    const dict = loadSafetensors(new Uint8Array(readFileSync(new URL(`./fixtures/${saved.file}`, import.meta.url))));
    expect(Object.keys(dict)).toEqual(saved.keys);
    const lstm = new LSTM(saved.inputSize, saved.hiddenSize, saved.options);
    expect(Object.keys(lstm.stateDict())).toEqual(saved.keys);
    expect(lstm.loadStateDict(dict)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    for (const [name, p] of Object.entries(lstm.stateDict())) expect(p.data()).toEqual((dict[name] as Tensor).data());

    const x = tensor(saved.input.values, { shape: saved.input.shape });
    const { output, hN, cN } = noGrad(() => lstm.forward(x));
    expect(output.dtype).toBe('float32');
    // Both sides compute in float32; the sums may be ordered differently.
    const f32 = { rtol: 1e-5, atol: 1e-6 };
    expectClose(output, f64(saved.output), f32);
    expectClose(hN, f64(saved.hN), f32);
    expectClose(cN, f64(saved.cN), f32);
  });
});
