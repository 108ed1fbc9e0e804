/**
 * RNNCell, LSTMCell and GRUCell: one time step of the recurrent layers, for
 * loops the caller writes (attention over the states, teacher forcing, a
 * state that depends on the previous output). Same math, parameter names
 * (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`) and init as PyTorch's
 * cells and as one layer of RNN, LSTM and GRU.
 */
import { ArgumentError, ShapeError, Tensor, defaultGenerator, linear, type Generator } from '@chainrule/core';
import { booleanOption, describeValue, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { Module } from '../module';
import {
  cellStep,
  checkDType,
  checkFeatures,
  checkNonlinearity,
  checkSize,
  checkStateShape,
  checkTensor,
  gateCount,
  registerCellWeights,
  zeroState,
  type CellKind,
  type CellState,
  type CellWeights,
  type RNNNonlinearity,
} from './rnn-steps';
import type { FloatDType } from '@chainrule/core';

/** Options of the cells. */
export interface CellOptions {
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Parameter dtype (default float32); inputs and states must have the same. */
  dtype?: FloatDType;
  /** The random stream for the initialization (default: the global generator). */
  generator?: Generator;
}

/** Options of {@link RNNCell}. */
export interface RNNCellOptions extends CellOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: RNNNonlinearity;
}

/** LSTMCell's state, in and out. */
export interface LSTMCellState {
  /** [batch, hiddenSize] (unbatched: [hiddenSize]). */
  h: Tensor;
  /** [batch, hiddenSize] (unbatched: [hiddenSize]). */
  c: Tensor;
}

const cellKeys: OptionKeys<CellOptions> = { bias: true, dtype: true, generator: true };
const rnnCellKeys: OptionKeys<RNNCellOptions> = { ...cellKeys, nonlinearity: true };

/** The weights of a cell and the checked step. */
abstract class CellBase<In extends unknown[], Out> extends Module<In, Out> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  readonly #kind: CellKind;
  readonly #weights: CellWeights;

  protected constructor(op: string, kind: CellKind, inputSize: number, hiddenSize: number, o: Partial<CellOptions>) {
    super();
    this.inputSize = checkSize(op, 'inputSize', inputSize);
    this.hiddenSize = checkSize(op, 'hiddenSize', hiddenSize);
    this.bias = booleanOption(op, 'bias', o.bias, true);
    this.#kind = kind;
    const dtype = checkDType(op, o.dtype);
    const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
    const sizes = { gates: gateCount(kind), hidden: hiddenSize, input: inputSize, state: hiddenSize, proj: 0 };
    this.#weights = registerCellWeights(this, '', sizes, this.bias, dtype, generator);
  }

  /** Checks x and the state (nothing is computed before), then takes one step. */
  protected step(input: unknown, h: unknown, c: unknown): CellState {
    const op = this.constructor.name;
    const expected = `[batch, ${this.inputSize}] or unbatched [${this.inputSize}]`;
    const dtype = this.#weights.weightIh.dtype as FloatDType;
    const x = checkTensor(op, 'the input', input, dtype, expected);
    if (x.ndim !== 1 && x.ndim !== 2)
      throw new ShapeError(op, `expected an input of shape ${expected}, got shape [${x.shape.join(',')}]`);
    checkFeatures(op, x, this.inputSize);
    const batch = x.ndim === 2 ? [x.shape[0] as number] : [];
    const state = (name: string, t: unknown): Tensor => {
      if (t === undefined) return zeroState(batch, this.hiddenSize, dtype);
      const shape = [...batch, this.hiddenSize];
      const s = checkTensor(op, name, t, dtype, `[${shape.join(',')}]`);
      checkStateShape(
        op,
        name,
        s,
        shape,
        batch.length > 0 ? '[batch, hiddenSize]' : '[hiddenSize] for unbatched input',
      );
      return s;
    };
    const start = { h: state('h', h), c: this.#kind === 'lstm' ? state('c', c) : null };
    return cellStep(this.#kind, linear(x, this.#weights.weightIh, this.#weights.biasIh), start, this.#weights);
  }

  override extraRepr(): string {
    const parts = [`${this.inputSize} → ${this.hiddenSize}`];
    if (this.#kind === 'rnnRelu') parts.push('relu');
    if (!this.bias) parts.push('no bias');
    return parts.join(', ');
  }
}

/**
 * One step of an Elman RNN: h' = act(W_ih x + b_ih + W_hh h + b_hh), act
 * tanh or relu (PyTorch's nn.RNNCell).
 *
 * @example
 * const cell = new RNNCell(3, 5);
 * let h = zeros([2, 5]);
 * for (const x of sequence) h = cell.forward(x, h); // x: [2, 3]
 * @throws ArgumentError for sizes that are not positive integers, an unknown nonlinearity or option
 */
export class RNNCell extends CellBase<[Tensor, Tensor?], Tensor> {
  readonly nonlinearity: RNNNonlinearity;

  constructor(inputSize: number, hiddenSize: number, options: RNNCellOptions = {}) {
    const op = new.target.name;
    const o = optionsObject(op, options, rnnCellKeys);
    const nonlinearity = checkNonlinearity(op, o.nonlinearity);
    super(op, nonlinearity === 'tanh' ? 'rnnTanh' : 'rnnRelu', inputSize, hiddenSize, o);
    this.nonlinearity = nonlinearity;
  }

  /**
   * The next h for input x ([batch, inputSize] or unbatched [inputSize]) and
   * h ([batch, hiddenSize] or [hiddenSize]; default zeros).
   *
   * @throws ShapeError for an x or h of the wrong shape; DTypeError for one of another dtype than the parameters
   */
  forward(x: Tensor, h?: Tensor): Tensor {
    return this.step(x, h, undefined).h;
  }
}

/**
 * One step of an LSTM (PyTorch's nn.LSTMCell): gates (i, f, g, o) stacked in
 * the rows of the weights, c' = f⊙c + i⊙g, h' = o⊙tanh(c').
 *
 * @example
 * const cell = new LSTMCell(3, 5);
 * let state = cell.forward(x0);           // from zeros
 * state = cell.forward(x1, state);        // { h, c }, each [batch, 5]
 * @throws ArgumentError for sizes that are not positive integers or an unknown option
 */
export class LSTMCell extends CellBase<[Tensor, LSTMCellState?], LSTMCellState> {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    const op = new.target.name;
    super(op, 'lstm', inputSize, hiddenSize, optionsObject(op, options, cellKeys));
  }

  /**
   * The next `{ h, c }` for input x ([batch, inputSize] or unbatched
   * [inputSize]) and the state `{ h, c }` (both or neither; default zeros).
   *
   * @throws ArgumentError for a state that is not `{ h, c }` with both tensors
   * @throws ShapeError for an x, h or c of the wrong shape; DTypeError for one of another dtype than the parameters
   */
  forward(x: Tensor, state?: LSTMCellState): LSTMCellState {
    const op = this.constructor.name;
    let h: unknown;
    let c: unknown;
    if (state !== undefined) {
      if (state === null || typeof state !== 'object' || state instanceof Tensor || Array.isArray(state))
        throw new ArgumentError(op, `the state must be an object { h, c }, got ${describeValue(state)}`);
      ({ h, c } = state as { h?: unknown; c?: unknown });
      if (h === undefined || c === undefined) {
        throw new ArgumentError(
          op,
          `the state needs both h and c, got ${h === undefined ? 'no h' : 'no c'} (omit the state for zeros)`,
        );
      }
    }
    const next = this.step(x, h, c);
    return { h: next.h, c: next.c as Tensor };
  }
}

/**
 * One step of a GRU (PyTorch's nn.GRUCell): gates (r, z, n) stacked in the
 * rows of the weights, n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn)),
 * h' = (1 - z)⊙n + z⊙h.
 *
 * @example
 * const cell = new GRUCell(3, 5);
 * const h = cell.forward(x, h0); // x [batch, 3], h0 [batch, 5]
 * @throws ArgumentError for sizes that are not positive integers or an unknown option
 */
export class GRUCell extends CellBase<[Tensor, Tensor?], Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: CellOptions = {}) {
    const op = new.target.name;
    super(op, 'gru', inputSize, hiddenSize, optionsObject(op, options, cellKeys));
  }

  /**
   * The next h for input x ([batch, inputSize] or unbatched [inputSize]) and
   * h ([batch, hiddenSize] or [hiddenSize]; default zeros).
   *
   * @throws ShapeError for an x or h of the wrong shape; DTypeError for one of another dtype than the parameters
   */
  forward(x: Tensor, h?: Tensor): Tensor {
    return this.step(x, h, undefined).h;
  }
}
