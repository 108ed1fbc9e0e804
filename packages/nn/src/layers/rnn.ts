/**
 * The recurrent layers RNN, LSTM and GRU, with PyTorch's arguments, state
 * names and layouts: stacked layers, both directions, batch-first or
 * time-first input, unbatched input, initial states in and final states out,
 * dropout between layers, and LSTM's projection.
 *
 * Each layer and direction computes its input projection for every time
 * step in one matrix product, then runs the recurrence step by step
 * (rnn-steps.ts), the part that cannot be batched over time.
 */
import {
  ArgumentError,
  ShapeError,
  Tensor,
  concat,
  defaultGenerator,
  rand,
  stack,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { booleanOption, describeValue, optionsObject, valueOr, type OptionKeys } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { Module } from '../module';
import {
  checkDType,
  checkFeatures,
  checkNonlinearity,
  checkSize,
  checkStateShape,
  checkTensor,
  gateCount,
  registerCellWeights,
  runDirection,
  zeroState,
  type CellKind,
  type CellState,
  type CellWeights,
  type RNNNonlinearity,
} from './rnn-steps';

/** Options shared by RNN, LSTM and GRU (PyTorch's constructor arguments, in camelCase). */
export interface RecurrentOptions {
  /** Stacked layers, each reading the previous one's output sequence (default 1). */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Batched input and output are [batch, seqLen, features] instead of [seqLen, batch, features] (default false). States are [layers·directions, batch, size] either way. */
  batchFirst?: boolean;
  /** Dropout probability on each layer's output but the last, in training mode only (default 0). */
  dropout?: number;
  /** Run a second set of layers from the last step to the first and concatenate both outputs (default false). */
  bidirectional?: boolean;
  /** Parameter dtype (default float32); inputs and states must have the same. */
  dtype?: FloatDType;
  /** The random stream for the initialization and the dropout masks (default: the global generator). */
  generator?: Generator;
}

/** Options of {@link RNN}. */
export interface RNNOptions extends RecurrentOptions {
  /** The activation of h' = act(W_ih x + b_ih + W_hh h + b_hh): 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** Options of {@link LSTM}. */
export interface LSTMOptions extends RecurrentOptions {
  /** Project h to this many features with a learned W_hr (0, the default, for none); must be smaller than hiddenSize. */
  projSize?: number;
}

/** Options of {@link GRU}. */
export type GRUOptions = RecurrentOptions;

/** What RNN and GRU return. */
export interface RecurrentOutput {
  /** The last layer's h at every step: [seqLen, batch, directions·hiddenSize] (batchFirst: [batch, seqLen, ...]; unbatched: [seqLen, ...]). */
  output: Tensor;
  /** Every layer's and direction's h after its last step: [numLayers·directions, batch, hiddenSize] (unbatched: no batch axis). */
  hN: Tensor;
}

/** LSTM's initial state: both or neither (neither means zeros). */
export interface LSTMState {
  /** [numLayers·directions, batch, projSize or hiddenSize] (unbatched: no batch axis). */
  h0: Tensor;
  /** [numLayers·directions, batch, hiddenSize] (unbatched: no batch axis). */
  c0: Tensor;
}

/** What LSTM returns. */
export interface LSTMOutput extends RecurrentOutput {
  /** Every layer's and direction's cell state after its last step, shaped as c0. */
  cN: Tensor;
}

const recurrentKeys: OptionKeys<RecurrentOptions> = {
  numLayers: true,
  bias: true,
  batchFirst: true,
  dropout: true,
  bidirectional: true,
  dtype: true,
  generator: true,
};

/** The checked settings every recurrent layer has. */
interface Settings {
  numLayers: number;
  bias: boolean;
  batchFirst: boolean;
  dropout: number;
  bidirectional: boolean;
  dtype: FloatDType;
  generator: Generator;
}

function settings(op: string, o: Partial<RecurrentOptions>): Settings {
  const numLayers = checkSize(op, 'numLayers', valueOr<unknown>(o.numLayers, 1));
  const dropout = valueOr<unknown>(o.dropout, 0);
  if (typeof dropout !== 'number' || !(dropout >= 0 && dropout <= 1))
    throw new ArgumentError(op, `dropout is a probability and must be in [0, 1], got ${describeValue(dropout)}`);
  return {
    numLayers,
    bias: booleanOption(op, 'bias', o.bias, true),
    batchFirst: booleanOption(op, 'batchFirst', o.batchFirst, false),
    dropout,
    bidirectional: booleanOption(op, 'bidirectional', o.bidirectional, false),
    dtype: checkDType(op, o.dtype),
    generator: checkGenerator(op, o.generator) ?? defaultGenerator,
  };
}

/**
 * The machinery of RNN, LSTM and GRU: the weights of every layer and
 * direction, and the run over layers, directions and time steps.
 */
abstract class RecurrentBase<In extends unknown[], Out> extends Module<In, Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly #kind: CellKind;
  readonly #projSize: number;
  readonly #generator: Generator;
  /** Layer l, direction d at index l·directions + d, as PyTorch orders them in h0. */
  readonly #cells: CellWeights[] = [];

  protected constructor(kind: CellKind, inputSize: number, hiddenSize: number, s: Settings, projSize: number) {
    super();
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
    this.numLayers = s.numLayers;
    this.bias = s.bias;
    this.batchFirst = s.batchFirst;
    this.dropout = s.dropout;
    this.bidirectional = s.bidirectional;
    this.#kind = kind;
    this.#projSize = projSize;
    this.#generator = s.generator;
    const directions = s.bidirectional ? 2 : 1;
    const stateSize = projSize > 0 ? projSize : hiddenSize;
    for (let layer = 0; layer < s.numLayers; layer++) {
      for (let d = 0; d < directions; d++) {
        const sizes = {
          gates: gateCount(kind),
          hidden: hiddenSize,
          input: layer === 0 ? inputSize : directions * stateSize,
          state: stateSize,
          proj: projSize,
        };
        const suffix = `_l${layer}${d === 1 ? '_reverse' : ''}`;
        this.#cells.push(registerCellWeights(this, suffix, sizes, s.bias, s.dtype, s.generator));
      }
    }
  }

  /** Checks every argument, then runs the layers (nothing is computed before the checks pass). */
  protected run(input: unknown, h0: unknown, c0: unknown): { output: Tensor; hN: Tensor; cN: Tensor | null } {
    const op = this.constructor.name;
    const x = this.#checkInput(op, input);
    const batched = x.ndim === 3;
    const timeAxis = batched && this.batchFirst ? 1 : 0;
    const batch = batched ? [x.shape[1 - timeAxis] as number] : [];
    const directions = this.bidirectional ? 2 : 1;
    const stack0 = directions * this.numLayers;
    const hOut = this.#projSize > 0 ? this.#projSize : this.hiddenSize;
    const layout = (size: string) =>
      `[numLayers·directions, ${batched ? 'batch, ' : ''}${size}]${batched ? '' : ' for unbatched input'}`;
    const h = this.#checkState(
      op,
      'h0',
      h0,
      [stack0, ...batch, hOut],
      layout(this.#projSize > 0 ? 'projSize' : 'hiddenSize'),
    );
    const c =
      this.#kind === 'lstm'
        ? this.#checkState(op, 'c0', c0, [stack0, ...batch, this.hiddenSize], layout('hiddenSize'))
        : undefined;

    let layerInput = x;
    const hLast: Tensor[] = [];
    const cLast: Tensor[] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      const outputs: Tensor[] = [];
      for (let d = 0; d < directions; d++) {
        const k = layer * directions + d;
        const start: CellState = {
          h: h?.select(0, k) ?? zeroState(batch, hOut, this.#dtype()),
          c: this.#kind === 'lstm' ? (c?.select(0, k) ?? zeroState(batch, this.hiddenSize, this.#dtype())) : null,
        };
        const run = runDirection(this.#kind, layerInput, timeAxis, start, this.#cells[k] as CellWeights, d === 1);
        outputs.push(run.output);
        hLast.push(run.last.h);
        if (run.last.c !== null) cLast.push(run.last.c);
      }
      layerInput = outputs.length === 1 ? (outputs[0] as Tensor) : concat(outputs, -1);
      // NOTE: as PyTorch, dropout falls between layers only: never on the last
      // layer's output, never on the final states, and not at all with one layer.
      if (this.training && this.dropout > 0 && layer < this.numLayers - 1)
        layerInput = dropBetweenLayers(layerInput, this.dropout, this.#generator);
    }
    return { output: layerInput, hN: stack(hLast, 0), cN: cLast.length > 0 ? stack(cLast, 0) : null };
  }

  /** The parameters' dtype now (functionalCall may have put float64 copies in their place). */
  #dtype(): FloatDType {
    return (this.#cells[0] as CellWeights).weightIh.dtype as FloatDType;
  }

  #checkInput(op: string, input: unknown): Tensor {
    const order = this.batchFirst ? 'batch, seqLen' : 'seqLen, batch';
    const expected = `[${order}, ${this.inputSize}] or unbatched [seqLen, ${this.inputSize}]`;
    const x = checkTensor(op, 'the input', input, this.#dtype(), expected);
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new ShapeError(op, `expected an input of shape ${expected}, got shape [${x.shape.join(',')}]`);
    checkFeatures(op, x, this.inputSize);
    const timeAxis = x.ndim === 3 && this.batchFirst ? 1 : 0;
    if (x.shape[timeAxis] === 0) {
      throw new ShapeError(
        op,
        `the input of shape [${x.shape.join(',')}] has no time steps (axis ${timeAxis}); a sequence needs at least one`,
      );
    }
    return x;
  }

  #checkState(op: string, name: string, t: unknown, shape: number[], layout: string): Tensor | undefined {
    if (t === undefined) return undefined;
    const s = checkTensor(op, name, t, this.#dtype(), `[${shape.join(',')}]`);
    checkStateShape(op, name, s, shape, layout);
    return s;
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize} → ${this.hiddenSize}`];
    if (this.#kind === 'rnnRelu') parts.push('relu');
    if (this.#projSize > 0) parts.push(`projSize=${this.#projSize}`);
    if (this.numLayers !== 1) parts.push(`numLayers=${this.numLayers}`);
    if (this.bidirectional) parts.push('bidirectional');
    if (this.batchFirst) parts.push('batchFirst');
    if (this.dropout > 0) parts.push(`dropout=${this.dropout}`);
    if (!this.bias) parts.push('no bias');
    return parts.join(', ');
  }
}

/** Inverted dropout, as the Dropout layer: survivors scaled by 1 / (1 - p). */
function dropBetweenLayers(x: Tensor, p: number, generator: Generator): Tensor {
  // NOTE: p = 1 zeroes everything; x·0 (not x / 0) keeps the graph finite.
  if (p === 1) return x.mul(0);
  const keep = rand(x.shape, { generator }).ge(p);
  return x.mul(keep).div(1 - p);
}

const rnnKeys: OptionKeys<RNNOptions> = { ...recurrentKeys, nonlinearity: true };
const lstmKeys: OptionKeys<LSTMOptions> = { ...recurrentKeys, projSize: true };

/**
 * Elman RNN: h_t = act(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), act tanh or
 * relu, as PyTorch's nn.RNN. Parameters `weight_ih_l{k}[_reverse]`
 * [hiddenSize, in], `weight_hh_l{k}` [hiddenSize, hiddenSize], `bias_ih_l{k}`,
 * `bias_hh_l{k}`, all drawn from U(-1/√hiddenSize, 1/√hiddenSize).
 *
 * @example
 * const rnn = new RNN(10, 20, { numLayers: 2 });
 * const { output, hN } = rnn.forward(randn([5, 3, 10])); // [5, 3, 20], [2, 3, 20]
 * @throws ArgumentError for sizes that are not positive integers, dropout outside [0, 1], an unknown nonlinearity or option
 */
export class RNN extends RecurrentBase<[Tensor, Tensor?], RecurrentOutput> {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    const op = new.target.name;
    const o = optionsObject(op, options, rnnKeys);
    const sizes = [checkSize(op, 'inputSize', inputSize), checkSize(op, 'hiddenSize', hiddenSize)] as const;
    const nonlinearity = checkNonlinearity(op, o.nonlinearity);
    super(nonlinearity === 'tanh' ? 'rnnTanh' : 'rnnRelu', ...sizes, settings(op, o), 0);
    this.nonlinearity = nonlinearity;
  }

  /**
   * Runs the sequence `input` ([seqLen, batch, inputSize], batchFirst
   * [batch, seqLen, inputSize], or unbatched [seqLen, inputSize]) from `h0`
   * ([numLayers·directions, batch, hiddenSize]; default zeros).
   *
   * @throws ShapeError for an input or h0 of the wrong shape (the message names the expected one)
   * @throws DTypeError for an input or h0 of another dtype than the parameters
   */
  forward(input: Tensor, h0?: Tensor): RecurrentOutput {
    const { output, hN } = this.run(input, h0, undefined);
    return { output, hN };
  }
}

/**
 * Long short-term memory, as PyTorch's nn.LSTM: per step, with the gates
 * stacked (i, f, g, o) in the rows of the weights,
 * i, f, o = σ(W_i· x + b_i· + W_h· h + b_h·), g = tanh(...),
 * c' = f⊙c + i⊙g, h' = o⊙tanh(c'), and h' = W_hr h' with `projSize`.
 * Parameters per layer k and direction: `weight_ih_l{k}` [4·hiddenSize, in],
 * `weight_hh_l{k}` [4·hiddenSize, projSize or hiddenSize], `bias_ih_l{k}`,
 * `bias_hh_l{k}` [4·hiddenSize], `weight_hr_l{k}` [projSize, hiddenSize],
 * all from U(-1/√hiddenSize, 1/√hiddenSize).
 *
 * @example
 * const lstm = new LSTM(4, 8, { numLayers: 2, bidirectional: true, batchFirst: true });
 * const { output, hN, cN } = lstm.forward(randn([3, 5, 4])); // [3, 5, 16], [4, 3, 8], [4, 3, 8]
 * lstm.forward(next, { h0: hN, c0: cN });                    // carry the state on
 * @throws ArgumentError for sizes that are not positive integers, projSize ≥ hiddenSize, dropout outside [0, 1] or an unknown option
 */
export class LSTM extends RecurrentBase<[Tensor, LSTMState?], LSTMOutput> {
  /** The size of h after the projection W_hr (0: no projection, h has hiddenSize features). */
  readonly projSize: number;

  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    const op = new.target.name;
    const o = optionsObject(op, options, lstmKeys);
    const sizes = [checkSize(op, 'inputSize', inputSize), checkSize(op, 'hiddenSize', hiddenSize)] as const;
    const projSize = valueOr<unknown>(o.projSize, 0);
    if (typeof projSize !== 'number' || !Number.isSafeInteger(projSize) || projSize < 0)
      throw new ArgumentError(
        op,
        `projSize must be an integer ≥ 0 (0 for no projection), got ${describeValue(projSize)}`,
      );
    if (projSize >= hiddenSize) {
      throw new ArgumentError(
        op,
        `projSize ${projSize} must be smaller than hiddenSize ${hiddenSize} (the projection shrinks h; 0 turns it off)`,
      );
    }
    super('lstm', ...sizes, settings(op, o), projSize);
    this.projSize = projSize;
  }

  /**
   * Runs the sequence `input` ([seqLen, batch, inputSize], batchFirst
   * [batch, seqLen, inputSize], or unbatched [seqLen, inputSize]) from
   * `{ h0, c0 }` (default zeros).
   *
   * @throws ArgumentError for a state that is not `{ h0, c0 }` with both tensors
   * @throws ShapeError for an input, h0 or c0 of the wrong shape (the message names the expected one)
   * @throws DTypeError for an input or state of another dtype than the parameters
   */
  forward(input: Tensor, state?: LSTMState): LSTMOutput {
    const op = this.constructor.name;
    let h0: unknown;
    let c0: unknown;
    if (state !== undefined) {
      if (state === null || typeof state !== 'object' || state instanceof Tensor || Array.isArray(state)) {
        throw new ArgumentError(op, `the initial state must be an object { h0, c0 }, got ${describeValue(state)}`);
      }
      ({ h0, c0 } = state as { h0?: unknown; c0?: unknown });
      if (h0 === undefined || c0 === undefined) {
        throw new ArgumentError(
          op,
          `the initial state needs both h0 and c0, got ${h0 === undefined ? 'no h0' : 'no c0'} (omit the state for zeros)`,
        );
      }
    }
    const { output, hN, cN } = this.run(input, h0, c0);
    return { output, hN, cN: cN as Tensor };
  }
}

/**
 * Gated recurrent unit, as PyTorch's nn.GRU: per step, with the gates
 * stacked (r, z, n) in the rows of the weights,
 * r, z = σ(W_i· x + b_i· + W_h· h + b_h·), n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
 * h' = (1 - z)⊙n + z⊙h. Parameters as RNN's with 3·hiddenSize rows.
 *
 * @example
 * const gru = new GRU(4, 8);
 * const { output, hN } = gru.forward(randn([6, 4])); // unbatched: [6, 8], [1, 8]
 * @throws ArgumentError for sizes that are not positive integers, dropout outside [0, 1] or an unknown option
 */
export class GRU extends RecurrentBase<[Tensor, Tensor?], RecurrentOutput> {
  constructor(inputSize: number, hiddenSize: number, options: GRUOptions = {}) {
    const op = new.target.name;
    const o = optionsObject(op, options, recurrentKeys);
    const sizes = [checkSize(op, 'inputSize', inputSize), checkSize(op, 'hiddenSize', hiddenSize)] as const;
    super('gru', ...sizes, settings(op, o), 0);
  }

  /**
   * Runs the sequence `input` ([seqLen, batch, inputSize], batchFirst
   * [batch, seqLen, inputSize], or unbatched [seqLen, inputSize]) from `h0`
   * ([numLayers·directions, batch, hiddenSize]; default zeros).
   *
   * @throws ShapeError for an input or h0 of the wrong shape (the message names the expected one)
   * @throws DTypeError for an input or h0 of another dtype than the parameters
   */
  forward(input: Tensor, h0?: Tensor): RecurrentOutput {
    const { output, hN } = this.run(input, h0, undefined);
    return { output, hN };
  }
}
