/**
 * EmbeddingBag: sums, means or maxima of bags of embeddings without
 * materializing the [bag, length, dim] lookups first (PyTorch's
 * `nn.EmbeddingBag` and `F.embedding_bag`). Bags are the rows of a 2-D input
 * (fixed size), or runs of a 1-D input starting at `offsets`.
 *
 * Which element goes into which bag is decided here, on the integer
 * indices; the arithmetic is core's differentiable ops (indexSelect,
 * indexAdd, gather), so the gradients for the weight and the per-sample
 * weights, and their derivatives, come from core.
 */
import {
  ArgumentError,
  DTypeError,
  type FloatDType,
  type Generator,
  IndexError,
  ShapeError,
  Tensor,
  defaultGenerator,
  noGrad,
  tensor,
  zeros,
} from '@chainrule/core';
import {
  booleanOption,
  describeValue,
  formatShape,
  optionsObject,
  valueOr,
  type OptionKeys,
} from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { normal } from '../init';
import { Module } from '../module';
import { parameter } from '../parameter';
import { dtypeOption, sizeArgument } from './norm-base';

/** How a bag's embeddings are combined. */
export type EmbeddingBagMode = 'sum' | 'mean' | 'max';

/** Options of {@link embeddingBag} (PyTorch's `F.embedding_bag` keyword arguments). */
export interface FunctionalEmbeddingBagOptions {
  /** Where each bag of a 1-D input starts (int32, first 0, non-decreasing); must be absent for a 2-D input. */
  offsets?: Tensor | null;
  /** A weight per input element, multiplying its embedding; input's shape, mode 'sum' only. */
  perSampleWeights?: Tensor | null;
  /** Default 'mean', as PyTorch. */
  mode?: EmbeddingBagMode;
  /** Elements equal to this index are left out of their bag (not counted by 'mean'). Negative counts from the end. */
  paddingIdx?: number | null;
  /** Rows looked up whose norm exceeds this are scaled down to it, in place, before the lookup. */
  maxNorm?: number | null;
  /** The p of the p-norm maxNorm compares (default 2; Infinity allowed). */
  normType?: number;
  /** `offsets` has one more entry, the end of the last bag, which must equal the input's length (default false). */
  includeLastOffset?: boolean;
}

/** Options of {@link EmbeddingBag}. */
export interface EmbeddingBagOptions extends Omit<FunctionalEmbeddingBagOptions, 'offsets' | 'perSampleWeights'> {
  /** Weight dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream of the N(0, 1) init (default: the global generator). */
  generator?: Generator;
}

const modes: readonly EmbeddingBagMode[] = ['sum', 'mean', 'max'];

/** The checked settings shared by the layer and the function. */
interface BagSettings {
  mode: EmbeddingBagMode;
  paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  includeLastOffset: boolean;
}

function bagSettings(op: string, o: Partial<EmbeddingBagOptions>, numEmbeddings: number): BagSettings {
  const mode = valueOr<unknown>(o.mode, 'mean');
  if (!modes.includes(mode as EmbeddingBagMode)) {
    throw new ArgumentError(op, `mode must be 'sum', 'mean' or 'max', got ${describeValue(mode)}`);
  }
  const pad = valueOr<unknown>(o.paddingIdx, null);
  if (
    pad !== null &&
    (typeof pad !== 'number' || !Number.isInteger(pad) || pad < -numEmbeddings || pad >= numEmbeddings)
  ) {
    throw new ArgumentError(
      op,
      `paddingIdx must be null or an integer in [${-numEmbeddings}, ${numEmbeddings - 1}] (within numEmbeddings ${numEmbeddings}), got ${describeValue(pad)}`,
    );
  }
  const maxNorm = valueOr<unknown>(o.maxNorm, null);
  if (maxNorm !== null && (typeof maxNorm !== 'number' || !Number.isFinite(maxNorm) || maxNorm <= 0)) {
    throw new ArgumentError(op, `maxNorm must be null or a finite number > 0, got ${describeValue(maxNorm)}`);
  }
  const normType = valueOr<unknown>(o.normType, 2);
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new ArgumentError(
      op,
      `normType must be a number > 0 (Infinity for the largest magnitude), got ${describeValue(normType)}`,
    );
  }
  return {
    mode: mode as EmbeddingBagMode,
    // NOTE: a negative paddingIdx counts from the end, as PyTorch stores it (-1 is row numEmbeddings - 1).
    paddingIdx: pad === null ? null : pad < 0 ? pad + numEmbeddings : pad,
    maxNorm,
    normType,
    includeLastOffset: booleanOption(op, 'includeLastOffset', o.includeLastOffset, false),
  };
}

/** Which rows go into which bag, after leaving padding out. */
interface BagPlan {
  bags: number;
  /** For each kept element: its embedding row, its position in the flattened input, its bag. */
  rows: Int32Array;
  positions: Int32Array;
  bagOf: Int32Array;
  /** Kept elements per bag. */
  counts: Int32Array;
}

function intTensor(op: string, what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `${what} must be an int32 Tensor, got ${describeValue(t)}`);
  if (t.dtype !== 'int32') {
    throw new DTypeError(op, `${what} must hold int32 indices (convert with .to('int32')), got ${t.dtype}`);
  }
  return t;
}

/** Bag b's elements are [starts[b], starts[b + 1]) of the flattened input. */
function bagStarts(op: string, input: Tensor, offsets: unknown, includeLast: boolean): Int32Array {
  const n = input.size;
  if (input.ndim === 2) {
    if (offsets !== undefined && offsets !== null) {
      throw new ArgumentError(
        op,
        `a 2-D input ${formatShape(input.shape)} is a batch of bags of equal length, so offsets must be absent; pass a 1-D input with offsets for bags of varying length`,
      );
    }
    if (includeLast) {
      throw new ArgumentError(
        op,
        `includeLastOffset describes offsets, which a 2-D input does not take; use a 1-D input with offsets (PyTorch 1.13 corrupts memory here)`,
      );
    }
    const [b, l] = input.shape as [number, number];
    return Int32Array.from({ length: b + 1 }, (_, i) => i * l);
  }
  if (offsets === undefined || offsets === null) {
    throw new ArgumentError(op, 'a 1-D input needs offsets: a 1-D int32 tensor of where each bag starts');
  }
  const off = intTensor(op, 'offsets', offsets);
  if (off.ndim !== 1 || off.size === 0) {
    throw new ShapeError(op, `offsets must be a non-empty 1-D tensor, got shape ${formatShape(off.shape)}`);
  }
  const values = off.data() as Int32Array;
  if (values[0] !== 0) {
    throw new ArgumentError(op, `offsets[0] must be 0 (the first bag starts at the first element), got ${values[0]}`);
  }
  for (let i = 1; i < values.length; i++) {
    const v = values[i] as number;
    // NOTE: PyTorch does not check the order (1.13 returns arbitrary sums for decreasing offsets); refused here.
    if (v < (values[i - 1] as number) || v > n) {
      throw new ArgumentError(
        op,
        `offsets must be non-decreasing and at most the input's length ${n}, got offsets[${i - 1}] = ${values[i - 1]}, offsets[${i}] = ${v}`,
      );
    }
  }
  const last = values[values.length - 1] as number;
  if (includeLast) {
    // NOTE: PyTorch documents the last offset as the input's length; 1.13 writes out of bounds when it is smaller.
    if (last !== n) {
      throw new ArgumentError(
        op,
        `with includeLastOffset the last offset ends the last bag and must equal the input's length ${n}, got ${last}`,
      );
    }
    return values;
  }
  const starts = new Int32Array(values.length + 1);
  starts.set(values);
  starts[values.length] = n;
  return starts;
}

function planBags(op: string, input: Tensor, starts: Int32Array, numEmbeddings: number, pad: number | null): BagPlan {
  const indices = input.data() as Int32Array;
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i] as number;
    if (k < 0 || k >= numEmbeddings) {
      throw new IndexError(
        op,
        `index ${k} (element ${i} of the input) is out of range for ${numEmbeddings} embeddings (expected 0 to ${numEmbeddings - 1})`,
      );
    }
  }
  const bags = starts.length - 1;
  const counts = new Int32Array(bags);
  const rows: number[] = [];
  const positions: number[] = [];
  const bagOf: number[] = [];
  for (let b = 0; b < bags; b++) {
    for (let i = starts[b] as number; i < (starts[b + 1] as number); i++) {
      const k = indices[i] as number;
      if (k === pad) continue;
      rows.push(k);
      positions.push(i);
      bagOf.push(b);
      counts[b] = (counts[b] as number) + 1;
    }
  }
  return {
    bags,
    rows: Int32Array.from(rows),
    positions: Int32Array.from(positions),
    bagOf: Int32Array.from(bagOf),
    counts,
  };
}

const ints = (values: Int32Array): Tensor => tensor(values, { shape: [values.length], dtype: 'int32' });

/**
 * Scales each row the input looks up whose p-norm exceeds maxNorm to
 * maxNorm / (norm + 1e-7) times itself, in place and outside the graph, as
 * PyTorch's embedding_renorm_ (the padding row included).
 */
function renormRows(weight: Tensor, input: Tensor, maxNorm: number, p: number): void {
  const unique = Int32Array.from(new Set(input.data() as Int32Array));
  if (unique.length === 0) return;
  noGrad(() => {
    const rows = weight.indexSelect(0, ints(unique)).data();
    const d = weight.shape[1] as number;
    unique.forEach((row, r) => {
      let norm = 0;
      for (let j = 0; j < d; j++) {
        const a = Math.abs(rows[r * d + j] as number);
        norm = p === Infinity ? Math.max(norm, a) : norm + a ** p;
      }
      if (p !== Infinity) norm **= 1 / p;
      if (norm > maxNorm) weight.select(0, row).mulInPlace(maxNorm / (norm + 1e-7));
    });
  });
}

/** Per-bag maxima: for each bag and column, the first largest kept element (in bag order) is gathered. */
function bagMaxima(rows: Tensor, plan: BagPlan, d: number): Tensor {
  const values = rows.data();
  const filled = Array.from(plan.counts, (c, b) => (c > 0 ? b : -1)).filter((b) => b >= 0);
  const slot = new Int32Array(plan.bags).fill(-1);
  filled.forEach((b, s) => {
    slot[b] = s;
  });
  const arg = new Int32Array(filled.length * d);
  const best = new Float64Array(filled.length * d);
  const seen = new Uint8Array(filled.length);
  plan.bagOf.forEach((b, k) => {
    const s = slot[b] as number;
    for (let j = 0; j < d; j++) {
      const v = values[k * d + j] as number;
      // NOTE: ties go to the first element of the bag (strict >), as PyTorch's CPU kernel; only it gets the gradient.
      if (seen[s] === 0 || v > (best[s * d + j] as number)) {
        best[s * d + j] = v;
        arg[s * d + j] = k;
      }
    }
    seen[s] = 1;
  });
  const picked = rows.gather(0, tensor(arg, { shape: [filled.length, d], dtype: 'int32' }));
  return zeros([plan.bags, d], { dtype: rows.dtype }).indexCopy(0, filled, picked);
}

function combine(weight: Tensor, plan: BagPlan, mode: EmbeddingBagMode, psw: Tensor | null): Tensor {
  const d = weight.shape[1] as number;
  let rows = weight.indexSelect(0, ints(plan.rows));
  if (mode === 'max') return bagMaxima(rows, plan, d);
  if (psw !== null) rows = rows.mul(psw.reshape([-1]).indexSelect(0, ints(plan.positions)).unsqueeze(1));
  const sums = zeros([plan.bags, d], { dtype: rows.dtype }).indexAdd(0, ints(plan.bagOf), rows);
  if (mode === 'sum') return sums;
  // NOTE: an empty bag (or one of padding only) gives 0 in every mode, as PyTorch: 0 / max(count, 1).
  const counts = Float64Array.from(plan.counts, (c) => Math.max(c, 1));
  return sums.div(tensor(counts, { shape: [plan.bags, 1], dtype: sums.dtype }));
}

/** Everything the layer and the function check, before anything is changed. */
function embeddingBagWith(
  op: string,
  input: unknown,
  weight: Tensor,
  offsets: unknown,
  perSampleWeights: unknown,
  s: BagSettings,
): Tensor {
  const x = intTensor(op, 'the input', input);
  if (x.ndim !== 1 && x.ndim !== 2) {
    throw new ShapeError(
      op,
      `the input must be 2-D [bags, length] or 1-D with offsets, got shape ${formatShape(x.shape)}`,
    );
  }
  const starts = bagStarts(op, x, offsets, s.includeLastOffset);
  let psw: Tensor | null = null;
  if (perSampleWeights !== undefined && perSampleWeights !== null) {
    if (!(perSampleWeights instanceof Tensor)) {
      throw new ArgumentError(op, `perSampleWeights must be a Tensor or null, got ${describeValue(perSampleWeights)}`);
    }
    if (s.mode !== 'sum') {
      throw new ArgumentError(
        op,
        `perSampleWeights are only supported with mode 'sum' (as in PyTorch), got mode '${s.mode}'`,
      );
    }
    if (perSampleWeights.dtype !== 'float32' && perSampleWeights.dtype !== 'float64') {
      throw new DTypeError(op, `perSampleWeights must be float32 or float64, got ${perSampleWeights.dtype}`);
    }
    if (formatShape(perSampleWeights.shape) !== formatShape(x.shape)) {
      throw new ShapeError(
        op,
        `perSampleWeights has shape ${formatShape(perSampleWeights.shape)}; it must have the input's shape ${formatShape(x.shape)}`,
      );
    }
    psw = perSampleWeights;
  }
  const numEmbeddings = weight.shape[0] as number;
  const plan = planBags(op, x, starts, numEmbeddings, s.paddingIdx);
  if (s.maxNorm !== null) renormRows(weight, x, s.maxNorm, s.normType);
  return combine(weight, plan, s.mode, psw);
}

const functionalKeys: OptionKeys<FunctionalEmbeddingBagOptions> = {
  offsets: true,
  perSampleWeights: true,
  mode: true,
  paddingIdx: true,
  maxNorm: true,
  normType: true,
  includeLastOffset: true,
};

/**
 * Bags of embeddings from `weight` [numEmbeddings, dim] (PyTorch's
 * `F.embedding_bag`): for a 2-D input [B, L] of int32 indices, bag b is row
 * b; for a 1-D input, bag b runs from `offsets[b]` to the next offset (or
 * the end). Returns [B, dim]: each bag's sum, mean or elementwise max.
 *
 * @example
 * embeddingBag(tensor([1, 2, 4, 5, 4], { dtype: 'int32' }), weight, { offsets: tensor([0, 2], { dtype: 'int32' }), mode: 'sum' });
 * // [weight[1] + weight[2], weight[4] + weight[5] + weight[4]]
 * @throws DTypeError for indices that are not int32
 * @throws IndexError for an index outside [0, numEmbeddings)
 * @throws ArgumentError for offsets that do not describe bags, or perSampleWeights with a mode other than 'sum'
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: FunctionalEmbeddingBagOptions = {}): Tensor {
  const op = 'embeddingBag';
  const o = optionsObject(op, options, functionalKeys);
  if (!(weight instanceof Tensor) || weight.ndim !== 2) {
    throw new ShapeError(op, `weight must be a 2-D Tensor [numEmbeddings, dim], got ${describeValue(weight)}`);
  }
  if (weight.dtype !== 'float32' && weight.dtype !== 'float64') {
    throw new DTypeError(op, `weight must be float32 or float64, got ${weight.dtype}`);
  }
  const settings = bagSettings(op, o, weight.shape[0] as number);
  return embeddingBagWith(op, input, weight, o.offsets, o.perSampleWeights, settings);
}

const layerKeys: OptionKeys<EmbeddingBagOptions> = {
  mode: true,
  paddingIdx: true,
  maxNorm: true,
  normType: true,
  includeLastOffset: true,
  dtype: true,
  generator: true,
};

/**
 * A table of `numEmbeddings` embeddings of size `embeddingDim`, combined per
 * bag (PyTorch's `nn.EmbeddingBag`): `forward(input, offsets?,
 * perSampleWeights?)` gives [bags, embeddingDim], each bag's sum, mean
 * (the default) or elementwise max. The weight starts as N(0, 1) draws with
 * the `paddingIdx` row 0; that row is left out of every bag and gets no
 * gradient. State dict: `weight`.
 *
 * @example
 * const bag = new EmbeddingBag(10, 3, { mode: 'sum' });
 * bag.forward(tensor([[1, 2], [4, 5]], { dtype: 'int32' }));           // 2 bags of 2
 * bag.forward(tensor([1, 2, 4, 5, 4], { dtype: 'int32' }), tensor([0, 2], { dtype: 'int32' })); // bags of 2 and 3
 */
export class EmbeddingBag extends Module<[Tensor, (Tensor | null)?, (Tensor | null)?], Tensor> {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  readonly mode: EmbeddingBagMode;
  /** The padding row (negative paddingIdx already counted from the end), or null. */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly includeLastOffset: boolean;
  /** The embeddings, shape [numEmbeddings, embeddingDim]. */
  readonly weight: Tensor;
  readonly #settings: BagSettings;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingBagOptions = {}) {
    super();
    const op = 'EmbeddingBag';
    const o = optionsObject(op, options, layerKeys);
    this.numEmbeddings = sizeArgument(op, 'numEmbeddings', numEmbeddings);
    this.embeddingDim = sizeArgument(op, 'embeddingDim', embeddingDim);
    this.#settings = bagSettings(op, o, numEmbeddings);
    this.mode = this.#settings.mode;
    this.paddingIdx = this.#settings.paddingIdx;
    this.maxNorm = this.#settings.maxNorm;
    this.normType = this.#settings.normType;
    this.includeLastOffset = this.#settings.includeLastOffset;
    const dtype = dtypeOption(op, o.dtype);
    const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
    const weight = normal(zeros([numEmbeddings, embeddingDim], { dtype }), { generator });
    if (this.paddingIdx !== null) noGrad(() => weight.select(0, this.paddingIdx as number).fill(0));
    this.weight = this.registerParameter('weight', parameter(weight));
  }

  /**
   * The bags of `input`: a 2-D [B, L] int32 tensor (B bags of L), or a 1-D
   * one with `offsets` (where each bag starts). `perSampleWeights` (input's
   * shape, mode 'sum') multiplies each element's embedding. With `maxNorm`,
   * the rows looked up are renormalized in place first.
   *
   * @throws DTypeError, ShapeError, IndexError or ArgumentError for indices, offsets or weights that do not fit
   */
  forward(input: Tensor, offsets?: Tensor | null, perSampleWeights?: Tensor | null): Tensor {
    return embeddingBagWith('EmbeddingBag', input, this.weight, offsets, perSampleWeights, this.#settings);
  }

  override extraRepr(): string {
    const parts = [`${this.numEmbeddings}, ${this.embeddingDim}`, `mode='${this.mode}'`];
    if (this.paddingIdx !== null) parts.push(`paddingIdx=${this.paddingIdx}`);
    if (this.maxNorm !== null) parts.push(`maxNorm=${this.maxNorm}`);
    if (this.includeLastOffset) parts.push('includeLastOffset=true');
    return parts.join(', ');
  }
}
