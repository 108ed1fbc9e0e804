/**
 * What the recurrent layers (rnn.ts) and cells (rnn-cells.ts) share: one
 * time step of each cell kind, written with core's differentiable ops (so
 * gradients of any order flow through the recurrence), the run of one
 * direction of a layer over a whole sequence, the creation of a
 * cell's weights under PyTorch's names and initialization, and the checks of
 * sizes, options and tensors that both word the same way.
 *
 * Gate layouts are PyTorch's, so weights move between the two unchanged:
 * the rows of `weight_ih` and `weight_hh` hold the gates stacked in the
 * order LSTM (i, f, g, o) and GRU (r, z, n).
 */
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor,
  linear,
  relu,
  sigmoid,
  stack,
  tanh,
  zeros,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { describeValue, formatShape, sameShape, valueOr } from '@chainrule/core/internal';
import { uniform } from '../init';
import { parameter } from '../parameter';
import type { Module } from '../module';
import { registry } from '../module-state';

/** How a cell turns its input projection and its state into the next state. */
export type CellKind = 'rnnTanh' | 'rnnRelu' | 'lstm' | 'gru';

/** The activation of a plain RNN (PyTorch's `nonlinearity`). */
export type RNNNonlinearity = 'tanh' | 'relu';

/** The parameters of one cell: one direction of one layer, or a cell module. */
export interface CellWeights {
  /** [gates·hiddenSize, input features]. */
  readonly weightIh: Tensor;
  /** [gates·hiddenSize, state features] (projSize when projecting). */
  readonly weightHh: Tensor;
  readonly biasIh: Tensor | null;
  readonly biasHh: Tensor | null;
  /** LSTM's projection [projSize, hiddenSize], or null. */
  readonly weightHr: Tensor | null;
}

/** A cell's state: h, and LSTM's cell state c (null for the others). */
export interface CellState {
  readonly h: Tensor;
  readonly c: Tensor | null;
}

/** How many stacked gates a kind's weights hold. */
export function gateCount(kind: CellKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

/**
 * One time step. `gi` is the input projection x·W_ihᵀ + b_ih for this step,
 * computed by the caller (for a whole sequence at once, in one product).
 */
export function cellStep(kind: CellKind, gi: Tensor, state: CellState, w: CellWeights): CellState {
  const gh = linear(state.h, w.weightHh, w.biasHh);
  switch (kind) {
    case 'rnnTanh':
      return { h: tanh(gi.add(gh)), c: null };
    case 'rnnRelu':
      return { h: relu(gi.add(gh)), c: null };
    case 'lstm':
      return lstmStep(gi.add(gh), state.c as Tensor, w.weightHr);
    case 'gru':
      return { h: gruStep(gi, gh, state.h), c: null };
  }
}

/**
 * i, f, o = σ(gates), g = tanh(gate); c' = f⊙c + i⊙g; h' = o⊙tanh(c'),
 * projected by W_hr when the layer has a projSize (Sak et al. 2014).
 */
function lstmStep(gates: Tensor, c: Tensor, weightHr: Tensor | null): CellState {
  const [i, f, g, o] = gates.chunk(4, -1) as [Tensor, Tensor, Tensor, Tensor];
  const cNext = sigmoid(f)
    .mul(c)
    .add(sigmoid(i).mul(tanh(g)));
  const h = sigmoid(o).mul(tanh(cNext));
  return { h: weightHr === null ? h : linear(h, weightHr), c: cNext };
}

/**
 * r, z = σ(gi + gh); n = tanh(gi_n + r⊙gh_n); h' = (1 - z)⊙n + z⊙h.
 * NOTE: the reset gate multiplies W_hn·h + b_hn, bias included (PyTorch's
 * and cuDNN's GRU), not h before the product as in Cho et al. 2014; the
 * two differ, and weights trained with one are wrong for the other.
 */
function gruStep(gi: Tensor, gh: Tensor, h: Tensor): Tensor {
  const [ir, iz, inn] = gi.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const [hr, hz, hn] = gh.chunk(3, -1) as [Tensor, Tensor, Tensor];
  const r = sigmoid(ir.add(hr));
  const z = sigmoid(iz.add(hz));
  const n = tanh(inn.add(r.mul(hn)));
  // (1 - z)⊙n + z⊙h written as n + z⊙(h - n): one product fewer.
  return n.add(z.mul(h.sub(n)));
}

/**
 * One direction of one layer over the whole sequence: the input projection
 * of every step in one product, then the recurrence, from the last step back
 * to the first when `reverse`. The outputs are stacked along the time axis,
 * each at its own step (so the reverse direction's output at step t is the
 * state after reading steps t..end).
 */
export function runDirection(
  kind: CellKind,
  x: Tensor,
  timeAxis: number,
  start: CellState,
  w: CellWeights,
  reverse: boolean,
): { output: Tensor; last: CellState } {
  const gi = timeSteps(linear(x, w.weightIh, w.biasIh), timeAxis);
  const steps = gi.length;
  const hs = new Array<Tensor>(steps);
  let state = start;
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    state = cellStep(kind, gi[t] as Tensor, state, w);
    hs[t] = state.h;
  }
  return { output: stack(hs, timeAxis), last: state };
}

/**
 * The steps of `seq` along `axis`, cut by halving: the sequence into two
 * halves, each half into two, and so on. Why not `seq.select(axis, t)` for
 * each t: the gradient of a slice is a tensor of the whole input's size
 * (zeros but for the slice), so L slices of one tensor cost L times its size
 * in backward, quadratic in the sequence length (20× the forward's time for
 * an LSTM over 200 steps). With halving, each level of cuts costs the size
 * once, and there are log₂ L levels.
 */
function timeSteps(seq: Tensor, axis: number): Tensor[] {
  const steps: Tensor[] = [];
  // Depth-first with an explicit stack, the second half pushed first so the steps come out in order.
  const pending: Tensor[] = [seq];
  while (pending.length > 0) {
    const part = pending.pop() as Tensor;
    const n = part.shape[axis] as number;
    if (n === 1) {
      steps.push(part.squeeze(axis));
      continue;
    }
    const half = n >> 1;
    pending.push(part.slice(axis, half, n), part.slice(axis, 0, half));
  }
  return steps;
}

/** Zeros for a state that the caller did not give, as PyTorch starts. */
export function zeroState(batch: readonly number[], size: number, dtype: FloatDType): Tensor {
  return zeros([...batch, size], { dtype });
}

/**
 * Creates one cell's parameters and registers them on `owner` under
 * PyTorch's names (`weight_ih${suffix}`, `weight_hh`, `bias_ih`, `bias_hh`,
 * `weight_hr`, in that order, which is PyTorch's state-dict order). Every
 * one is drawn from U(-1/√hiddenSize, 1/√hiddenSize), PyTorch's init for
 * recurrent layers, in registration order from `generator`.
 */
export function registerCellWeights(
  owner: Module<never, unknown>,
  suffix: string,
  sizes: { gates: number; hidden: number; input: number; state: number; proj: number },
  bias: boolean,
  dtype: FloatDType,
  generator: Generator,
): CellWeights {
  const bound = 1 / Math.sqrt(sizes.hidden);
  const make = (name: string, shape: number[]): Tensor => {
    const t = uniform(zeros(shape, { dtype }), { low: -bound, high: bound, generator });
    t.label = `${name}${suffix}`;
    return owner.registerParameter(`${name}${suffix}`, parameter(t));
  };
  const rows = sizes.gates * sizes.hidden;
  make('weight_ih', [rows, sizes.input]);
  make('weight_hh', [rows, sizes.state]);
  if (bias) make('bias_ih', [rows]);
  if (bias) make('bias_hh', [rows]);
  if (sizes.proj > 0) make('weight_hr', [sizes.proj, sizes.hidden]);
  // Read where they are registered at every use, not kept: functionalCall
  // (and a future re-registration) puts other tensors there.
  const registered = registry(owner).parameters;
  const read = (name: string): Tensor | null => registered.get(`${name}${suffix}`) ?? null;
  return {
    get weightIh() {
      return read('weight_ih') as Tensor;
    },
    get weightHh() {
      return read('weight_hh') as Tensor;
    },
    get biasIh() {
      return read('bias_ih');
    },
    get biasHh() {
      return read('bias_hh');
    },
    get weightHr() {
      return read('weight_hr');
    },
  };
}

/** A size argument: a positive integer. */
export function checkSize(op: string, name: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1)
    throw new ArgumentError(op, `${name} must be a positive integer, got ${describeValue(n)}`);
  return n;
}

/** The `dtype` option: the parameters' dtype, float32 (default) or float64. */
export function checkDType(op: string, dtype: unknown): FloatDType {
  const d = valueOr<unknown>(dtype, 'float32');
  if (d !== 'float32' && d !== 'float64')
    throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(d)}`);
  return d;
}

/** The `nonlinearity` option of RNN and RNNCell. */
export function checkNonlinearity(op: string, value: unknown): RNNNonlinearity {
  const v = valueOr<unknown>(value, 'tanh');
  if (v !== 'tanh' && v !== 'relu')
    throw new ArgumentError(op, `nonlinearity must be 'tanh' or 'relu', got ${describeValue(v)}`);
  return v;
}

/**
 * Checks a tensor argument of a forward: a Tensor of the parameters' dtype
 * (NOTE: PyTorch refuses a float64 input to float32 weights rather than
 * promoting; so does chainrule, so a float64 run cannot quietly become a
 * float32 one or the reverse).
 */
export function checkTensor(op: string, name: string, x: unknown, dtype: FloatDType, expected: string): Tensor {
  if (!(x instanceof Tensor))
    throw new ArgumentError(op, `${name} must be a Tensor of shape ${expected}, got ${describeValue(x)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new DTypeError(
      op,
      `${name} must be float32 or float64 like the layer's parameters (${dtype}), got ${x.dtype}`,
    );
  if (x.dtype !== dtype) {
    throw new DTypeError(
      op,
      `${name} is ${x.dtype} and the layer's parameters are ${dtype}; convert it (${name}.to('${dtype}')) or build the layer with { dtype: '${x.dtype}' }`,
    );
  }
  return x;
}

/** Checks that a state tensor has exactly the shape the layer expects. */
export function checkStateShape(op: string, name: string, t: Tensor, shape: readonly number[], layout: string): void {
  if (!sameShape(t.shape, shape)) {
    throw new ShapeError(op, `${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)} (${layout})`);
  }
}

/** The input feature check, worded the same for every layer and cell. */
export function checkFeatures(op: string, x: Tensor, inputSize: number): void {
  const features = x.shape[x.ndim - 1] as number;
  if (features !== inputSize)
    throw new ShapeError(op, `input has ${features} features, this layer expects ${inputSize} (inputSize)`);
}
