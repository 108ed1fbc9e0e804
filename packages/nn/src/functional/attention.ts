/**
 * Scaled dot-product attention (PyTorch 2.x's
 * `F.scaled_dot_product_attention`), and the pieces MultiheadAttention
 * shares with it: masks turned into an additive bias, a softmax that gives
 * rows with nothing to attend to zero weight, and dropout on the weights.
 * Everything is written with core ops, so gradients of any order come from
 * core.
 */
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor,
  defaultGenerator,
  rand,
  tensor,
  where,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { booleanOption, describeValue, formatShape, isTracing, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { describeTensorArgument } from '../losses/common';

/** Options of `scaledDotProductAttention`. */
export interface ScaledDotProductAttentionOptions {
  /**
   * Which keys each query may attend to, broadcastable to `[..., L, S]`: a
   * bool mask (true = may attend, as PyTorch 2's SDPA) or a float mask added
   * to the scores (0 to keep, -Infinity to block, or any bias).
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever > 0, as PyTorch's functional form). */
  dropoutP?: number;
  /** Let query i attend to keys j ≤ i only (default false); not together with attnMask. */
  isCausal?: boolean;
  /** Multiplies the scores (default 1/√E, E the query's last size). */
  scale?: number | null;
  /** The random stream for dropout (default: the global generator). */
  generator?: Generator;
}

/** What the attention core returns: the output and the weights it used (after dropout). */
export interface AttentionResult {
  output: Tensor;
  weights: Tensor;
}

/**
 * Attention of queries over keys and values:
 * `softmax(Q·Kᵀ·scale + mask) · V` for query `[..., L, E]`, key `[..., S, E]`
 * and value `[..., S, Ev]`, giving `[..., L, Ev]`. The leading (batch) axes,
 * of any number, broadcast as in matmul.
 *
 * NOTE: a query row whose every key is masked gets zero weights and a zero
 * output (PyTorch ≥ 2.5's `_safe_softmax`; the textbook softmax would give
 * NaN), and no gradient flows through it.
 *
 * @example
 * const q = randn([2, 4, 10, 8]);                    // [batch, heads, L, E]
 * const out = scaledDotProductAttention(q, k, v, { isCausal: true });
 * @throws ShapeError naming the shapes when E, S or the batch axes do not agree, or the mask does not broadcast to [..., L, S]
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): Tensor {
  const op = 'scaledDotProductAttention';
  const o = optionsObject(op, options, {
    attnMask: true,
    dropoutP: true,
    isCausal: true,
    scale: true,
    generator: true,
  });
  const [q, k, v] = (['query', 'key', 'value'] as const).map((what, i) => {
    const t: unknown = [query, key, value][i];
    if (!(t instanceof Tensor))
      throw new ArgumentError(op, `the ${what} must be a Tensor, got ${describeTensorArgument(t)}`);
    if (t.dtype !== 'float32' && t.dtype !== 'float64')
      throw new DTypeError(op, `the ${what} must be float32 or float64, got ${t.dtype}`);
    if (t.ndim < 2)
      throw new ShapeError(
        op,
        `the ${what} must have rank 2 or more ([..., length, features]), got shape [${t.shape.join(',')}]`,
      );
    return t;
  }) as [Tensor, Tensor, Tensor];
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError(op, `query, key and value must have one dtype, got ${q.dtype}, ${k.dtype} and ${v.dtype}`);
  }
  const L = q.shape[q.ndim - 2] as number;
  const E = q.shape[q.ndim - 1] as number;
  const S = k.shape[k.ndim - 2] as number;
  if (k.shape[k.ndim - 1] !== E) {
    throw new ShapeError(
      op,
      `the query's last axis has ${E} features and the key's ${k.shape[k.ndim - 1]}; they must match (query [..., L, E], key [..., S, E]), got [${q.shape.join(',')}] and [${k.shape.join(',')}]`,
    );
  }
  if (v.shape[v.ndim - 2] !== S) {
    throw new ShapeError(
      op,
      `the key has ${S} positions (axis -2) and the value ${v.shape[v.ndim - 2]}; they must match (key [..., S, E], value [..., S, Ev])`,
    );
  }
  const batch = broadcastBatch(op, [q.shape.slice(0, -2), k.shape.slice(0, -2), v.shape.slice(0, -2)]);
  const isCausal = booleanOption(op, 'isCausal', o.isCausal, false);
  const mask = valueOr<unknown>(o.attnMask, null);
  if (isCausal && mask !== null) {
    throw new ArgumentError(op, 'give attnMask or isCausal, not both (fold the causal mask into attnMask instead)');
  }
  let bias: Tensor | null = null;
  if (mask !== null) {
    const m = checkMask(op, 'attnMask', mask);
    const target = [...batch, L, S];
    if (!broadcastsTo(m.shape, target)) {
      throw new ShapeError(
        op,
        `attnMask of shape ${formatShape(m.shape)} does not broadcast to the attention weights' shape ${formatShape(target)} ([..., L, S] with L = ${L} queries and S = ${S} keys)`,
      );
    }
    bias = maskBias(m, q.dtype as FloatDType, 'attend');
  }
  if (isCausal) bias = causalBias(L, S, q.dtype as FloatDType);
  const scale = valueOr<unknown>(o.scale, null);
  if (scale !== null && (typeof scale !== 'number' || !Number.isFinite(scale))) {
    throw new ArgumentError(op, `scale must be a finite number or null (1/√E), got ${describeValue(scale)}`);
  }
  const dropoutP = checkProbability(op, 'dropoutP', valueOr<unknown>(o.dropoutP, 0));
  const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
  return attend(q, k, v, bias, (scale as number | null) ?? 1 / Math.sqrt(E), dropoutP, generator).output;
}

/** Checks a probability option: a number in [0, 1]. */
export function checkProbability(op: string, what: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new ArgumentError(op, `${what} is a probability and must be in [0, 1], got ${describeValue(p)}`);
  }
  return p;
}

/** Checks a mask: a bool or float Tensor. */
export function checkMask(op: string, what: string, mask: unknown): Tensor {
  if (!(mask instanceof Tensor)) {
    throw new ArgumentError(op, `${what} must be a bool or float Tensor, got ${describeTensorArgument(mask)}`);
  }
  if (mask.dtype !== 'bool' && mask.dtype !== 'float32' && mask.dtype !== 'float64') {
    throw new DTypeError(op, `${what} must be a bool or float tensor, got ${mask.dtype}`);
  }
  return mask;
}

/** True when `shape` broadcasts to exactly `target`. */
export function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  if (shape.length > target.length) return false;
  const offset = target.length - shape.length;
  return shape.every((d, i) => d === 1 || d === target[offset + i]);
}

function broadcastBatch(op: string, shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const sizes = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const size = Math.max(...sizes);
    if (sizes.some((d) => d !== 1 && d !== size)) {
      throw new ShapeError(
        op,
        `the batch axes of query, key and value (all but the last two) must broadcast, got ${shapes.map((s) => formatShape(s)).join(', ')}`,
      );
    }
    out.push(size);
  }
  return out;
}

/**
 * A mask as an additive bias of the scores' dtype: a float mask as given
 * (cast), a bool mask as 0 where attention is allowed and -Infinity where it
 * is not. `trueMeans` says which of the two conventions the bool mask uses:
 * 'attend' (SDPA) or 'block' (nn.MultiheadAttention).
 */
export function maskBias(mask: Tensor, dtype: FloatDType, trueMeans: 'attend' | 'block'): Tensor {
  if (mask.dtype !== 'bool') return mask.dtype === dtype ? mask : mask.to(dtype);
  const zero = tensor(0, { dtype });
  const blocked = tensor(-Infinity, { dtype });
  return trueMeans === 'attend' ? where(mask, zero, blocked) : where(mask, blocked, zero);
}

/** The causal bias [L, S]: 0 where key j ≤ query i, -Infinity above the diagonal (top-left aligned, as PyTorch). */
export function causalBias(L: number, S: number, dtype: FloatDType): Tensor {
  const values = new Float64Array(L * S);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < S; j++) values[i * S + j] = -Infinity;
  return tensor(values, { shape: [L, S], dtype });
}

/**
 * The attention core: scores = q·kᵀ·scale (+ bias), weights = the safe
 * softmax of the scores over the keys (dropped out when dropoutP > 0), and
 * output = weights·v.
 */
export function attend(
  q: Tensor,
  k: Tensor,
  v: Tensor,
  bias: Tensor | null,
  scale: number,
  dropoutP: number,
  generator: Generator,
): AttentionResult {
  let scores = q.mul(scale).matmul(k.transpose(-2, -1));
  if (bias !== null) scores = scores.add(bias);
  let weights = bias === null ? scores.softmax(-1) : safeSoftmax(scores);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, generator);
  return { output: weights.matmul(v), weights };
}

/**
 * softmax over the last axis, with rows that are -Infinity throughout (a
 * query allowed no key) set to zero instead of NaN. Those rows are replaced
 * by zeros before the softmax too, so that their gradient is zero rather
 * than NaN.
 */
function safeSoftmax(scores: Tensor): Tensor {
  const empty = scores.isneginf().all(-1, true);
  // NOTE: the plain softmax is a shortcut taken on the values; while tracing (exportOnnx), the masked form is always
  // taken, so the exported graph is right for every mask, not only for masks like the example's (same values).
  if (!isTracing() && !empty.any().item()) return scores.softmax(-1);
  const zero = tensor(0, { dtype: scores.dtype });
  return where(empty, zero, where(empty, zero, scores).softmax(-1));
}

/** Inverted dropout: zero each element with probability p, scale the rest by 1/(1-p). */
export function dropout(x: Tensor, p: number, generator: Generator): Tensor {
  // NOTE: p = 1 drops everything; x·0 keeps the graph finite where x / 0 would not.
  if (p === 1) return x.mul(0);
  const keep = rand(x.shape, { generator }).ge(p);
  return x.mul(keep).div(1 - p);
}
