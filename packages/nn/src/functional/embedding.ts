/**
 * Embedding lookup as a function (PyTorch's `F.embedding`): rows of a weight
 * table picked by integer indices, with PyTorch's padding row (its gradient
 * is always zero), max-norm renormalization and gradient scaling by
 * frequency.
 */
import {
  ArgumentError,
  DTypeError,
  IndexError,
  ShapeError,
  Tensor,
  customOp,
  noGrad,
  tensor,
  zeros,
} from '@chainrule/core';
import { booleanOption, describeValue, optionsObject, valueOr } from '@chainrule/core/internal';
import { describeTensorArgument, floatTensor } from '../losses/common';

/** Options of the functional `embedding`. */
export interface EmbeddingOptions {
  /** A row whose gradient is always zero (a padding token); negative counts from the end. Default none. */
  paddingIdx?: number | null;
  /**
   * Before the lookup, rescale (in place, without gradient) every looked-up
   * row whose `normType`-norm exceeds this to norm `maxNorm`. Default none.
   */
  maxNorm?: number | null;
  /** The p of the p-norm for maxNorm (default 2). */
  normType?: number;
  /** Divide each row's gradient by the number of times it occurs in the input (default false). */
  scaleGradByFreq?: boolean;
}

export const embeddingOptionKeys = { paddingIdx: true, maxNorm: true, normType: true, scaleGradByFreq: true } as const;

/** The checked embedding options, paddingIdx made non-negative. */
export interface EmbeddingSettings {
  paddingIdx: number | null;
  maxNorm: number | null;
  normType: number;
  scaleGradByFreq: boolean;
}

/** Checks the embedding options against a table of `numEmbeddings` rows. */
export function embeddingSettings(op: string, options: EmbeddingOptions, numEmbeddings: number): EmbeddingSettings {
  const o = optionsObject(op, options, embeddingOptionKeys);
  const pad = valueOr<unknown>(o.paddingIdx, null);
  if (
    pad !== null &&
    (!Number.isInteger(pad) || (pad as number) < -numEmbeddings || (pad as number) >= numEmbeddings)
  ) {
    throw new ArgumentError(
      op,
      `paddingIdx must be an integer in [-${numEmbeddings}, ${numEmbeddings - 1}] (a row of the ${numEmbeddings}-row table) or null, got ${describeValue(pad)}`,
    );
  }
  const maxNorm = valueOr<unknown>(o.maxNorm, null);
  if (maxNorm !== null && (typeof maxNorm !== 'number' || !(maxNorm > 0) || !Number.isFinite(maxNorm))) {
    throw new ArgumentError(op, `maxNorm must be a finite number > 0 or null, got ${describeValue(maxNorm)}`);
  }
  const normType = valueOr<unknown>(o.normType, 2);
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new ArgumentError(
      op,
      `normType must be a number > 0 (the p of the p-norm; Infinity allowed), got ${describeValue(normType)}`,
    );
  }
  return {
    // NOTE: a negative paddingIdx counts from the end, as PyTorch stores it (num + idx).
    paddingIdx: pad === null ? null : (pad as number) < 0 ? numEmbeddings + (pad as number) : (pad as number),
    maxNorm: maxNorm as number | null,
    normType,
    scaleGradByFreq: booleanOption(op, 'scaleGradByFreq', o.scaleGradByFreq, false),
  };
}

/** Checks the index tensor: int32, every value a row of the table. Returns the indices, row-major. */
export function checkIndices(op: string, input: unknown, numEmbeddings: number): Int32Array {
  if (!(input instanceof Tensor)) {
    throw new ArgumentError(op, `the input must be an int32 Tensor of indices, got ${describeTensorArgument(input)}`);
  }
  if (input.dtype !== 'int32') {
    throw new DTypeError(op, `the input must hold int32 indices, got ${input.dtype} (convert with .to('int32'))`);
  }
  const idx = input.data() as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i] as number;
    if (v < 0 || v >= numEmbeddings) {
      const at = unravel(i, input.shape);
      throw new IndexError(
        op,
        `index ${v} at position [${at.join(', ')}] of the input is out of range for ${numEmbeddings} embeddings (valid: 0 to ${numEmbeddings - 1})`,
      );
    }
  }
  return idx;
}

function unravel(flat: number, shape: readonly number[]): number[] {
  const at: number[] = new Array<number>(shape.length).fill(0);
  for (let d = shape.length - 1, r = flat; d >= 0; d--) {
    const n = shape[d] as number;
    at[d] = r % n;
    r = Math.floor(r / n);
  }
  return at;
}

/**
 * Looks up `weight[input]`: for an int32 input of any shape, a tensor of
 * shape `[...input.shape, embeddingDim]`. The gradient with respect to the
 * weight adds each position's gradient into its row (zero for `paddingIdx`;
 * divided by the row's count in the input with `scaleGradByFreq`).
 *
 * @example
 * const table = randn([10, 3], { requiresGrad: true });
 * embedding(tensor([[1, 2], [4, 9]], { dtype: 'int32' }), table).shape; // [2, 2, 3]
 * @throws IndexError naming the first index outside [0, numEmbeddings)
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  const op = 'embedding';
  const w = floatTensor(op, 'the weight', weight);
  if (w.ndim !== 2) {
    throw new ShapeError(
      op,
      `the weight must be a [numEmbeddings, embeddingDim] table, got shape [${w.shape.join(',')}]`,
    );
  }
  const settings = embeddingSettings(op, options, w.shape[0] as number);
  const idx = checkIndices(op, input, w.shape[0] as number);
  return lookup(input.shape, idx, w, settings);
}

/** The lookup after the checks (the Embedding module checks with its own name). */
export function lookup(shape: readonly number[], idx: Int32Array, weight: Tensor, s: EmbeddingSettings): Tensor {
  const dim = weight.shape[1] as number;
  const flat = tensor(idx, { dtype: 'int32' });
  if (s.maxNorm !== null) renorm(weight, idx, s.maxNorm, s.normType);
  if ((s.paddingIdx === null && !s.scaleGradByFreq) || !weight.requiresGrad) {
    return weight.indexSelect(0, flat).reshape([...shape, dim]);
  }
  return scaledLookup(weight, flat, idx, s).reshape([...shape, dim]);
}

/**
 * weight.indexSelect(0, flat) whose backward zeroes the padding positions'
 * gradients and divides the others by their row's count before adding them
 * into the weight. A custom op, because the forward value must stay the row
 * itself (a padding row need not be zero: `fromPretrained` keeps it). The
 * backward is Tensor ops, so it is differentiable again.
 *
 * NOTE: the division by the count is a constant of the second backward, not
 * part of it (PyTorch's double backward of embedding applies the padding
 * mask but not the scale), so that the second order is the derivative of the
 * scaled first-order gradient rather than being scaled twice.
 */
function scaledLookup(weight: Tensor, flat: Tensor, idx: Int32Array, s: EmbeddingSettings): Tensor {
  const shape = [...weight.shape];
  const column = (values: Float64Array) => tensor(values, { shape: [values.length, 1], dtype: weight.dtype });
  const keep = s.paddingIdx === null ? null : column(Float64Array.from(idx, (v) => (v === s.paddingIdx ? 0 : 1)));
  let perCount: Tensor | null = null;
  if (s.scaleGradByFreq) {
    const counts = new Int32Array(weight.shape[0] as number);
    for (const v of idx) counts[v] = (counts[v] as number) + 1;
    perCount = column(Float64Array.from(idx, (v) => 1 / (counts[v] as number)));
  }
  const op = customOp({
    name: 'embedding',
    forward: (_ctx, w, index) => w.indexSelect(0, index),
    backward: (ctx, g) => {
      if (!ctx.needsInputGrad[0]) return [null, null];
      const kept = keep === null ? g : g.mul(keep);
      // kept·perCount in value, with the derivative of kept (see the NOTE above).
      const scaled = perCount === null ? kept : kept.detach().mul(perCount).add(kept.sub(kept.detach()));
      return [zeros(shape, { dtype: g.dtype }).indexAdd(0, flat, scaled), null];
    },
  });
  return op(weight, flat);
}

/**
 * PyTorch's `embedding_renorm_`: each distinct looked-up row whose p-norm
 * exceeds maxNorm is multiplied, in place and outside the graph, by
 * maxNorm / (norm + 1e-7).
 */
function renorm(weight: Tensor, idx: Int32Array, maxNorm: number, p: number): void {
  const rows = [...new Set(idx)];
  if (rows.length === 0) return;
  noGrad(() => {
    const norms = weight.indexSelect(0, rows).norm(p, 1).data();
    rows.forEach((r, i) => {
      const n = norms[i] as number;
      // NOTE: the 1e-7 is PyTorch's; it leaves the row's norm just below maxNorm.
      if (n > maxNorm) weight.select(0, r).mulInPlace(maxNorm / (n + 1e-7));
    });
  });
}
