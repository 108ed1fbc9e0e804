/**
 * What the PyTorch fixtures do not pin: argument errors (typed, worded, and
 * raised before anything changes), dropout between layers, the seeded init,
 * long sequences (the halving that cuts them into steps), empty batches, and
 * the layer and the cell agreeing step by step.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  noGrad,
  randn,
  stack,
  tensor,
  zeros,
} from '@chainrule/core';
import { GRU, GRUCell, LSTM, LSTMCell, RNN, RNNCell } from '../src/index';
import { expectClose } from './helpers';

const f64 = { dtype: 'float64' as const };

function expectTyped(f: () => unknown, type: new (...a: never[]) => Error, message: RegExp): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as Error).message).toMatch(message);
}

describe('constructor arguments', () => {
  it('refuses sizes that are not positive integers, naming the argument', () => {
    expectTyped(() => new LSTM(0, 3), ArgumentError, /^LSTM: inputSize must be a positive integer, got 0$/);
    expectTyped(() => new GRU(2, 1.5), ArgumentError, /^GRU: hiddenSize must be a positive integer, got 1.5$/);
    expectTyped(() => new RNN(2, 3, { numLayers: 0 }), ArgumentError, /^RNN: numLayers must be a positive integer/);
    expectTyped(() => new LSTMCell(2, -1), ArgumentError, /^LSTMCell: hiddenSize must be a positive integer/);
  });

  it('refuses projSize ≥ hiddenSize, and projSize on layers other than LSTM', () => {
    expectTyped(
      () => new LSTM(4, 3, { projSize: 3 }),
      ArgumentError,
      /^LSTM: projSize 3 must be smaller than hiddenSize 3 .*0 turns it off/,
    );
    expectTyped(() => new LSTM(4, 3, { projSize: -1 }), ArgumentError, /^LSTM: projSize must be an integer ≥ 0/);
    expectTyped(
      () => new GRU(4, 3, { projSize: 1 } as never),
      ArgumentError,
      /^GRU: unknown option 'projSize'; accepted: .*bidirectional/,
    );
  });

  it('refuses dropout outside [0, 1] and an unknown nonlinearity', () => {
    for (const p of [-0.1, 1.5, Number.NaN, '0.5']) {
      expectTyped(
        () => new LSTM(4, 3, { dropout: p as number }),
        ArgumentError,
        /^LSTM: dropout is a probability and must be in \[0, 1\], got /,
      );
    }
    expectTyped(
      () => new RNN(4, 3, { nonlinearity: 'sigmoid' as never }),
      ArgumentError,
      /^RNN: nonlinearity must be 'tanh' or 'relu', got "sigmoid"$/,
    );
    expectTyped(() => new RNNCell(4, 3, { nonlinearity: 'gelu' as never }), ArgumentError, /^RNNCell: nonlinearity/);
  });

  it('refuses a non-float dtype, a bad generator and misspelt options', () => {
    expectTyped(
      () => new GRU(2, 3, { dtype: 'int32' as never }),
      DTypeError,
      /^GRU: parameters are float32 or float64/,
    );
    expectTyped(() => new LSTM(2, 3, { generator: 7 as never }), ArgumentError, /^LSTM: generator must be a Generator/);
    expectTyped(
      () => new LSTM(2, 3, { batch_first: true } as never),
      ArgumentError,
      /^LSTM: unknown option 'batch_first'; accepted: numLayers, bias, batchFirst, dropout, bidirectional, dtype, generator, projSize$/,
    );
    expectTyped(
      () => new GRUCell(2, 3, { numLayers: 2 } as never),
      ArgumentError,
      /^GRUCell: unknown option 'numLayers'/,
    );
  });
});

describe('forward arguments', () => {
  const lstm = new LSTM(4, 3, { numLayers: 2, bidirectional: true, projSize: 2 });

  it('names the input feature size it expects', () => {
    expectTyped(
      () => lstm.forward(zeros([6, 2, 5])),
      ShapeError,
      /^LSTM: input has 5 features, this layer expects 4 \(inputSize\)$/,
    );
    expectTyped(
      () => new GRUCell(4, 3).forward(zeros([2, 5])),
      ShapeError,
      /^GRUCell: input has 5 features, this layer expects 4/,
    );
  });

  it('refuses inputs that are not 2-D or 3-D, not tensors, or hold no time step', () => {
    expectTyped(
      () => lstm.forward(zeros([6, 2, 4, 1])),
      ShapeError,
      /^LSTM: expected an input of shape \[seqLen, batch, 4\] or unbatched \[seqLen, 4\], got shape \[6,2,4,1\]$/,
    );
    expectTyped(() => lstm.forward([[1, 2, 3, 4]] as never), ArgumentError, /^LSTM: the input must be a Tensor/);
    expectTyped(
      () => lstm.forward(zeros([0, 2, 4])),
      ShapeError,
      /^LSTM: the input of shape \[0,2,4\] has no time steps/,
    );
    expectTyped(() => new RNNCell(4, 3).forward(zeros([1, 2, 4])), ShapeError, /^RNNCell: expected an input of shape/);
  });

  it('names the expected shape of a wrong h0 or c0 (projSize for h, hiddenSize for c)', () => {
    const x = zeros([6, 2, 4]);
    expectTyped(
      () => lstm.forward(x, { h0: zeros([4, 2, 3]), c0: zeros([4, 2, 3]) }),
      ShapeError,
      /^LSTM: h0 has shape \[4,2,3\], expected \[4,2,2\] \(\[numLayers·directions, batch, projSize\]\)$/,
    );
    expectTyped(
      () => lstm.forward(x, { h0: zeros([4, 2, 2]), c0: zeros([4, 2, 2]) }),
      ShapeError,
      /^LSTM: c0 has shape \[4,2,2\], expected \[4,2,3\] \(\[numLayers·directions, batch, hiddenSize\]\)$/,
    );
    expectTyped(
      () => new GRU(4, 3).forward(zeros([6, 4]), zeros([1, 1, 3])),
      ShapeError,
      /^GRU: h0 has shape \[1,1,3\], expected \[1,3\] \(\[numLayers·directions, hiddenSize\] for unbatched input\)$/,
    );
    expectTyped(
      () => new LSTMCell(4, 3).forward(zeros([2, 4]), { h: zeros([3, 3]), c: zeros([2, 3]) }),
      ShapeError,
      /^LSTMCell: h has shape \[3,3\], expected \[2,3\] \(\[batch, hiddenSize\]\)$/,
    );
  });

  it('asks for both LSTM states or neither', () => {
    expectTyped(
      () => lstm.forward(zeros([6, 2, 4]), { h0: zeros([4, 2, 2]) } as never),
      ArgumentError,
      /^LSTM: the initial state needs both h0 and c0, got no c0 \(omit the state for zeros\)$/,
    );
    expectTyped(
      () => lstm.forward(zeros([6, 2, 4]), zeros([4, 2, 2]) as never),
      ArgumentError,
      /^LSTM: the initial state must be an object \{ h0, c0 \}/,
    );
    expectTyped(
      () => new LSTMCell(4, 3).forward(zeros([4]), { c: zeros([3]) } as never),
      ArgumentError,
      /^LSTMCell: the state needs both h and c, got no h/,
    );
  });

  it('refuses an input or state of another dtype than the parameters, saying how to convert', () => {
    expectTyped(
      () => lstm.forward(zeros([6, 2, 4], f64)),
      DTypeError,
      /^LSTM: the input is float64 and the layer's parameters are float32; convert it .*\{ dtype: 'float64' \}/,
    );
    expectTyped(
      () => new GRU(4, 3, f64).forward(zeros([6, 4], f64), zeros([1, 3])),
      DTypeError,
      /^GRU: h0 is float32 and the layer's parameters are float64/,
    );
    expectTyped(
      () => new RNNCell(4, 3).forward(zeros([4], { dtype: 'int32' })),
      DTypeError,
      /^RNNCell: the input must be float32 or float64 like the layer's parameters \(float32\), got int32$/,
    );
  });

  it('checks everything before drawing a dropout mask: a refused call leaves the generator where it was', () => {
    const generator = new Generator(5);
    const twin = new Generator(5);
    const layer = new GRU(2, 3, { numLayers: 2, dropout: 0.5, generator });
    new GRU(2, 3, { numLayers: 2, dropout: 0.5, generator: twin }); // the same draws for the init
    expect(() => layer.forward(zeros([3, 2, 2]), zeros([2, 1, 3]))).toThrow(ShapeError);
    expect(generator.random()).toBe(twin.random());
  });
});

describe('dropout between layers', () => {
  const x = randn([5, 2, 3], { ...f64, generator: new Generator(1) });

  it('is off in evaluation mode and at p = 0', () => {
    const make = (dropout: number) => new LSTM(3, 4, { numLayers: 2, dropout, ...f64, generator: new Generator(2) });
    const reference = make(0).forward(x);
    const evaluated = make(0.7).eval().forward(x);
    expect(evaluated.output.data()).toEqual(reference.output.data());
    expect(evaluated.hN.data()).toEqual(reference.hN.data());
    expect(evaluated.cN.data()).toEqual(reference.cN.data());
  });

  it('at p = 1 feeds zeros to the next layer, leaving the first layer’s final state alone', () => {
    const layer = new GRU(3, 4, { numLayers: 2, dropout: 1, ...f64, generator: new Generator(3) });
    const trained = layer.forward(x);
    const evaluated = noGrad(() => layer.eval().forward(x));
    // Layer 1 alone, fed zeros: a one-layer GRU with layer 1's weights.
    const second = new GRU(4, 4, f64);
    const dict = layer.stateDict();
    second.loadStateDict(
      Object.fromEntries(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => [`${n}_l0`, dict[`${n}_l1`]!])),
    );
    const fromZeros = second.forward(zeros([5, 2, 4], f64));
    expectClose(trained.output, fromZeros.output, { rtol: 0, atol: 0 });
    expectClose(trained.hN.select(0, 1), fromZeros.hN.select(0, 0), { rtol: 0, atol: 0 });
    expectClose(trained.hN.select(0, 0), evaluated.hN.select(0, 0), { rtol: 0, atol: 0 });
  });

  it('at 0 < p < 1 changes the later layers in training only, drawing masks from the generator', () => {
    const make = () => new RNN(3, 4, { numLayers: 3, dropout: 0.5, ...f64, generator: new Generator(4) });
    const a = make().forward(x);
    const b = make().forward(x);
    expect(a.output.data()).toEqual(b.output.data()); // same seed, same masks
    const evaluated = make().eval().forward(x);
    expect(a.hN.select(0, 0).data()).toEqual(evaluated.hN.select(0, 0).data());
    expect(a.hN.select(0, 2).data()).not.toEqual(evaluated.hN.select(0, 2).data());
  });
});

describe('initialization', () => {
  it('draws every parameter from U(-1/√hiddenSize, 1/√hiddenSize), reproducibly from the generator', () => {
    const make = (seed: number) =>
      new LSTM(8, 16, { numLayers: 2, bidirectional: true, projSize: 4, generator: new Generator(seed) });
    const bound = 1 / Math.sqrt(16);
    const lstm = make(9);
    for (const [name, p] of lstm.namedParameters()) {
      const values = Array.from(p.data());
      expect(Math.max(...values.map(Math.abs)), name).toBeLessThanOrEqual(bound);
      // Hundreds of uniform draws reach close to both ends of the interval.
      if (values.length >= 200) {
        expect(Math.max(...values), name).toBeGreaterThan(0.95 * bound);
        expect(Math.min(...values), name).toBeLessThan(-0.95 * bound);
      }
    }
    const again = make(9).stateDict();
    const other = make(10).stateDict();
    for (const [name, p] of Object.entries(lstm.stateDict())) {
      expect(p.data(), name).toEqual(again[name]!.data());
      expect(p.data(), name).not.toEqual(other[name]!.data());
    }
  });

  it('makes parameters of the requested dtype, and no biases with bias: false', () => {
    const gru = new GRU(2, 3, { bias: false, ...f64 });
    expect(gru.namedParameters().map(([n, p]) => [n, p.dtype, p.shape])).toEqual([
      ['weight_ih_l0', 'float64', [9, 2]],
      ['weight_hh_l0', 'float64', [9, 3]],
    ]);
  });
});

describe('sequences and batches', () => {
  it('runs a long sequence in both directions exactly as the cell stepped by hand', () => {
    // 13 steps: odd lengths at several levels of the halving that cuts the sequence into steps.
    const lstm = new LSTM(3, 4, { bidirectional: true, ...f64, generator: new Generator(6) });
    const cell = new LSTMCell(3, 4, f64);
    const dict = lstm.stateDict();
    const x = randn([13, 2, 3], { ...f64, generator: new Generator(7) });
    const { output, hN } = lstm.forward(x);
    for (const [d, suffix] of [
      [0, '_l0'],
      [1, '_l0_reverse'],
    ] as const) {
      cell.loadStateDict(
        Object.fromEntries(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => [n, dict[`${n}${suffix}`]!])),
      );
      const order = Array.from({ length: 13 }, (_, t) => (d === 0 ? t : 12 - t));
      const hs = new Array<Tensor>(13);
      let state = cell.forward(x.select(0, order[0]!));
      hs[order[0]!] = state.h;
      for (const t of order.slice(1)) {
        state = cell.forward(x.select(0, t), state);
        hs[t] = state.h;
      }
      expectClose(output.narrow(-1, 4 * d, 4), stack(hs, 0), { rtol: 1e-14, atol: 1e-15 });
      expectClose(hN.select(0, d), state.h, { rtol: 1e-14, atol: 1e-15 });
    }
  });

  it('takes an empty batch, as PyTorch', () => {
    const gru = new GRU(2, 3, { numLayers: 2, bidirectional: true, batchFirst: true });
    const { output, hN } = gru.forward(zeros([0, 4, 2]));
    expect(output.shape).toEqual([0, 4, 6]);
    expect(hN.shape).toEqual([4, 0, 3]);
    expect(new RNNCell(2, 3).forward(zeros([0, 2])).shape).toEqual([0, 3]);
  });

  it('gives unbatched results without a batch axis, equal to a batch of one', () => {
    const rnn = new RNN(2, 3, { numLayers: 2, batchFirst: true, ...f64, generator: new Generator(8) });
    const x = randn([5, 2], { ...f64, generator: new Generator(9) });
    const single = rnn.forward(x);
    const batch = rnn.forward(x.unsqueeze(0));
    expect(single.output.shape).toEqual([5, 3]);
    expect(single.hN.shape).toEqual([2, 3]);
    expectClose(single.output, batch.output.squeeze(0), { rtol: 1e-15, atol: 0 });
    expectClose(single.hN, batch.hN.squeeze(1), { rtol: 1e-15, atol: 0 });
  });

  it('carries the state from one call to the next as one longer sequence', () => {
    const lstm = new LSTM(2, 3, { numLayers: 2, ...f64, generator: new Generator(10) });
    const x = randn([6, 1, 2], { ...f64, generator: new Generator(11) });
    const whole = lstm.forward(x);
    const first = lstm.forward(x.slice(0, 0, 4));
    const rest = lstm.forward(x.slice(0, 4), { h0: first.hN, c0: first.cN });
    expectClose(rest.output, whole.output.slice(0, 4), { rtol: 1e-14, atol: 1e-15 });
    expectClose(rest.cN, whole.cN, { rtol: 1e-14, atol: 1e-15 });
  });

  it('describes itself in toString', () => {
    expect(new LSTM(4, 8, { numLayers: 2, bidirectional: true, projSize: 3, dropout: 0.1 }).extraRepr()).toBe(
      '4 → 8, projSize=3, numLayers=2, bidirectional, dropout=0.1',
    );
    expect(new RNN(2, 3, { nonlinearity: 'relu', bias: false, batchFirst: true }).extraRepr()).toBe(
      '2 → 3, relu, batchFirst, no bias',
    );
    expect(new GRUCell(2, 3).toString()).toContain(
      'GRUCell(2 → 3)  weight_ih [9,2], weight_hh [9,3], bias_ih [9], bias_hh [9]',
    );
  });
});

// Values from hand derivations, independent of PyTorch: one step of each cell with tiny weights.
describe('one step by hand', () => {
  it('GRU: the reset gate multiplies W_hn·h + b_hn, bias included', () => {
    // inputSize 1, hiddenSize 1, x = 1, h = 0.5; rows (r, z, n).
    // W_ih = [0, 0, 1], b_ih = 0, W_hh = [0, 0, 2], b_hh = [0, 0, 1]:
    // r = z = σ(0) = 1/2; n = tanh(1 + ½·(2·0.5 + 1)) = tanh(2); h' = ½·tanh(2) + ½·0.5.
    const cell = new GRUCell(1, 1, f64);
    cell.loadStateDict({
      weight_ih: tensor([[0], [0], [1]], f64),
      weight_hh: tensor([[0], [0], [2]], f64),
      bias_ih: zeros([3], f64),
      bias_hh: tensor([0, 0, 1], f64),
    });
    const h = cell.forward(tensor([1], f64), tensor([0.5], f64));
    expectClose(h, [0.5 * Math.tanh(2) + 0.25], { rtol: 1e-15, atol: 0 });
  });

  it('LSTM: gates in the order i, f, g, o', () => {
    // inputSize 1, hiddenSize 1, x = 1, h = 0, c = 2; W_ih = [a_i, a_f, a_g, a_o] = [1, 2, 3, 4], rest 0:
    // c' = σ(2)·2 + σ(1)·tanh(3); h' = σ(4)·tanh(c').
    const cell = new LSTMCell(1, 1, { bias: false, ...f64 });
    cell.loadStateDict({ weight_ih: tensor([[1], [2], [3], [4]], f64), weight_hh: zeros([4, 1], f64) });
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const { h, c } = cell.forward(tensor([1], f64), { h: zeros([1], f64), c: tensor([2], f64) });
    const cNext = s(2) * 2 + s(1) * Math.tanh(3);
    expectClose(c, [cNext], { rtol: 1e-15, atol: 0 });
    expectClose(h, [s(4) * Math.tanh(cNext)], { rtol: 1e-15, atol: 0 });
  });
});
