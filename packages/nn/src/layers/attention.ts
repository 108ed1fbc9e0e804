/**
 * MultiheadAttention (PyTorch's `nn.MultiheadAttention`): projections of
 * query, key and value split into heads, scaled dot-product attention in
 * each head, and an output projection, with PyTorch's parameter names and
 * initialization and PyTorch 1.13's mask conventions (a bool mask is true
 * where attention is NOT allowed; a float mask is added to the scores).
 */
import {
  ArgumentError,
  ShapeError,
  Tensor,
  concat,
  defaultGenerator,
  linear,
  zeros,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { booleanOption, describeValue, formatShape, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { constant, xavierNormal, xavierUniform } from '../init';
import { Module } from '../module';
import { parameter } from '../parameter';
import { floatTensor } from '../losses/common';
import { attend, causalBias, checkMask, checkProbability, maskBias } from '../functional/attention';
import type { Linear } from './dense';
import { checkParameterDType, pytorchLinear } from './layer-options';

/** Options of `new MultiheadAttention(embedDim, numHeads, options)`. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Biases in the input and output projections (default true). */
  bias?: boolean;
  /** Learned key and value vectors (`bias_k`, `bias_v`) appended to the keys and values (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value (after the projections and heads split) (default false). */
  addZeroAttn?: boolean;
  /** Features of the key (default embedDim); a different size gives separate `q/k/v_proj_weight`s. */
  kdim?: number;
  /** Features of the value (default embedDim). */
  vdim?: number;
  /** Inputs and output are [batch, seq, feature] (default false: [seq, batch, feature], as PyTorch). */
  batchFirst?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream for the init and for dropout (default: the global generator). */
  generator?: Generator;
}

/** Options of `MultiheadAttention.forward` (masks and what to return). */
export interface MultiheadAttentionForwardOptions {
  /**
   * `[batch, S]` (or `[S]` unbatched): bool, true = this key is padding and
   * is ignored; or float, added to the scores of that key.
   */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true). */
  needWeights?: boolean;
  /**
   * `[L, S]` or `[batch·numHeads, L, S]`: bool, true = query i may NOT
   * attend to key j; or float, added to the scores.
   */
  attnMask?: Tensor | null;
  /** Return the weights averaged over the heads `[batch, L, S]` (default true) rather than per head `[batch, numHeads, L, S]`. */
  averageAttnWeights?: boolean;
  /**
   * With no attnMask, apply the causal mask (query i attends to keys j ≤ i);
   * with one, attnMask is used as given (default false). NOTE: PyTorch 2.x
   * takes isCausal only as a hint beside an explicit causal attnMask and
   * refuses it alone; here it alone is enough.
   */
  isCausal?: boolean;
}

/** MultiheadAttention's result: the output, and the attention weights when asked for. */
export interface MultiheadAttentionOutput {
  /** [L, batch, embedDim], or [batch, L, embedDim] with batchFirst, or [L, embedDim] unbatched. */
  output: Tensor;
  /** Averaged [batch, L, S] or per head [batch, numHeads, L, S] (no batch axis unbatched), or null without needWeights. */
  weights: Tensor | null;
}

/**
 * The names errors use: the op, and what the caller called each input. The
 * transformer layers check their inputs with this layer's checks under
 * their own names (`srcMask` is the self-attention's attnMask) before
 * calling its forward.
 */
export interface AttentionNames {
  op: string;
  query: string;
  key: string;
  value: string;
  attnMask: string;
  keyPaddingMask: string;
  /** What the caller calls embedDim (TransformerEncoderLayer's dModel). */
  embedDim: string;
}

const ownNames: AttentionNames = {
  op: 'MultiheadAttention',
  query: 'the query',
  key: 'the key',
  value: 'the value',
  attnMask: 'attnMask',
  keyPaddingMask: 'keyPaddingMask',
  embedDim: 'embedDim',
};

/** The sizes of a checked call: batch (1 when unbatched), target length L, source length S. */
export interface CallShape {
  batched: boolean;
  batch: number;
  L: number;
  S: number;
}

/** A forward call after its checks. */
interface CheckedCall {
  query: Tensor;
  key: Tensor;
  value: Tensor;
  attnMask: Tensor | null;
  paddingMask: Tensor | null;
  isCausal: boolean;
  shape: CallShape;
  needWeights: boolean;
  average: boolean;
}

const forwardKeys = {
  keyPaddingMask: true,
  needWeights: true,
  attnMask: true,
  averageAttnWeights: true,
  isCausal: true,
} as const;

/**
 * Multi-head attention: each of `numHeads` heads attends with its own
 * `embedDim / numHeads`-wide slice of the projected query, key and value;
 * the heads' outputs are concatenated and projected. Parameters as
 * PyTorch's: `in_proj_weight` [3·embedDim, embedDim] (or `q_proj_weight`,
 * `k_proj_weight`, `v_proj_weight` when kdim or vdim differ from embedDim),
 * `in_proj_bias`, optional `bias_k`/`bias_v`, and `out_proj` (a Linear).
 * Xavier-uniform input projections and zero biases, as PyTorch.
 *
 * @example
 * const attn = new MultiheadAttention(16, 4, { batchFirst: true });
 * const { output, weights } = attn.forward(x, x, x, { attnMask: generateSquareSubsequentMask(10) });
 * // x [2, 10, 16] → output [2, 10, 16], weights [2, 10, 10]
 */
export class MultiheadAttention extends Module<
  [Tensor, Tensor, Tensor, MultiheadAttentionForwardOptions?],
  MultiheadAttentionOutput
> {
  readonly embedDim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;
  /** [3·embedDim, embedDim], or null when kdim/vdim differ from embedDim. */
  readonly inProjWeight: Tensor | null;
  readonly qProjWeight: Tensor | null;
  readonly kProjWeight: Tensor | null;
  readonly vProjWeight: Tensor | null;
  /** [3·embedDim], or null without bias. */
  readonly inProjBias: Tensor | null;
  /** [1, 1, embedDim], or null without addBiasKv. */
  readonly biasK: Tensor | null;
  readonly biasV: Tensor | null;
  readonly outProj: Linear;
  readonly #generator: Generator;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    const op = 'MultiheadAttention';
    const o = optionsObject(op, options, {
      dropout: true,
      bias: true,
      addBiasKv: true,
      addZeroAttn: true,
      kdim: true,
      vdim: true,
      batchFirst: true,
      dtype: true,
      generator: true,
    });
    positiveInteger(op, 'embedDim', embedDim);
    positiveInteger(op, 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) {
      throw new ArgumentError(
        op,
        `embedDim ${embedDim} is not divisible by numHeads ${numHeads}; each head takes embedDim / numHeads features`,
      );
    }
    const kdim = positiveInteger(op, 'kdim', valueOr<unknown>(o.kdim, embedDim));
    const vdim = positiveInteger(op, 'vdim', valueOr<unknown>(o.vdim, embedDim));
    this.dropout = checkProbability(op, 'dropout', valueOr<unknown>(o.dropout, 0));
    const bias = booleanOption(op, 'bias', o.bias, true);
    const addBiasKv = booleanOption(op, 'addBiasKv', o.addBiasKv, false);
    this.addZeroAttn = booleanOption(op, 'addZeroAttn', o.addZeroAttn, false);
    this.batchFirst = booleanOption(op, 'batchFirst', o.batchFirst, false);
    const dtype = checkParameterDType(op, o.dtype);
    const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
    this.#generator = generator;
    this.embedDim = embedDim;
    this.numHeads = numHeads;
    this.headDim = embedDim / numHeads;
    this.kdim = kdim;
    this.vdim = vdim;

    const w = (rows: number, cols: number) => parameter(xavierUniform(zeros([rows, cols], { dtype }), { generator }));
    const packed = kdim === embedDim && vdim === embedDim;
    this.qProjWeight = this.registerParameter('q_proj_weight', packed ? null : w(embedDim, embedDim));
    this.kProjWeight = this.registerParameter('k_proj_weight', packed ? null : w(embedDim, kdim));
    this.vProjWeight = this.registerParameter('v_proj_weight', packed ? null : w(embedDim, vdim));
    this.inProjWeight = this.registerParameter('in_proj_weight', packed ? w(3 * embedDim, embedDim) : null);
    this.inProjBias = this.registerParameter('in_proj_bias', bias ? parameter(zeros([3 * embedDim], { dtype })) : null);
    const kv = () => parameter(xavierNormal(zeros([1, 1, embedDim], { dtype }), { generator }));
    this.biasK = this.registerParameter('bias_k', addBiasKv ? kv() : null);
    this.biasV = this.registerParameter('bias_v', addBiasKv ? kv() : null);
    this.outProj = this.registerModule('out_proj', pytorchLinear(embedDim, embedDim, { bias, dtype, generator }));
    if (this.outProj.bias !== null) constant(this.outProj.bias, 0);
  }

  /**
   * Attends from `query` to `key`/`value`: [L, batch, embedDim], [S, batch,
   * kdim], [S, batch, vdim] (batch first with batchFirst), or unbatched
   * [L, embedDim], [S, kdim], [S, vdim]. Dropout on the weights only in
   * training mode.
   *
   * NOTE: a query whose every key is masked gets zero weights and a zero
   * output (PyTorch 2.x gives that through SDPA, NaN through its explicit
   * softmax when needWeights is true; 1.13 gives NaN).
   *
   * @throws ShapeError naming the expected shape for a wrong input or mask shape
   */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionForwardOptions = {},
  ): MultiheadAttentionOutput {
    const names = ownNames;
    const o = optionsObject(names.op, options, forwardKeys);
    const needWeights = booleanOption(names.op, 'needWeights', o.needWeights, true);
    const average = booleanOption(names.op, 'averageAttnWeights', o.averageAttnWeights, true);
    const isCausal = booleanOption(names.op, 'isCausal', o.isCausal, false);
    const shape = this.checkInputs(names, query, key, value);
    const attnMask = this.checkAttnMask(names, valueOr<unknown>(o.attnMask, null), shape);
    const paddingMask = this.checkKeyPaddingMask(names, valueOr<unknown>(o.keyPaddingMask, null), shape);
    return this.#run({ query, key, value, attnMask, paddingMask, isCausal, shape, needWeights, average });
  }

  /**
   * Checks query, key and value: tensors of rank 3 (or 2, unbatched, all
   * three alike) with embedDim, kdim and vdim features, one batch size, and
   * as many keys as values. Returns the call's sizes.
   * @internal
   */
  checkInputs(names: AttentionNames, query: unknown, key: unknown, value: unknown): CallShape {
    const { op } = names;
    const q = floatTensor(op, names.query, query);
    const k = floatTensor(op, names.key, key);
    const v = floatTensor(op, names.value, value);
    const layout = this.batchFirst ? '[batch, length, features]' : '[length, batch, features]';
    if (q.ndim !== 2 && q.ndim !== 3) {
      throw new ShapeError(
        op,
        `${names.query} must be 3-D ${layout} or 2-D [length, features] (unbatched), got shape ${formatShape(q.shape)}`,
      );
    }
    for (const [what, t] of [
      [names.key, k],
      [names.value, v],
    ] as const) {
      if (t.ndim !== q.ndim) {
        throw new ShapeError(
          op,
          `${names.query} is ${q.ndim}-D (${q.ndim === 3 ? 'batched' : 'unbatched'}), so ${what} must be too; got shape ${formatShape(t.shape)}`,
        );
      }
    }
    const batched = q.ndim === 3;
    const lengthAxis = batched && this.batchFirst ? 1 : 0;
    const batchAxis = 1 - lengthAxis;
    for (const [what, t, features, option] of [
      [names.query, q, this.embedDim, names.embedDim],
      [names.key, k, this.kdim, this.kdim === this.embedDim ? names.embedDim : 'kdim'],
      [names.value, v, this.vdim, this.vdim === this.embedDim ? names.embedDim : 'vdim'],
    ] as const) {
      const last = t.shape[t.ndim - 1];
      if (last !== features) {
        throw new ShapeError(
          op,
          `${what} has ${last} features (last axis of ${formatShape(t.shape)}); this layer expects ${features} (${option})`,
        );
      }
    }
    const batch = batched ? (q.shape[batchAxis] as number) : 1;
    if (batched && (k.shape[batchAxis] !== batch || v.shape[batchAxis] !== batch)) {
      throw new ShapeError(
        op,
        `query, key and value must have one batch size (axis ${batchAxis}), got shapes ${formatShape(q.shape)}, ${formatShape(k.shape)} and ${formatShape(v.shape)}`,
      );
    }
    const S = k.shape[lengthAxis] as number;
    if (v.shape[lengthAxis] !== S) {
      throw new ShapeError(
        op,
        `${names.key} has ${S} positions and ${names.value} ${v.shape[lengthAxis]} (axis ${lengthAxis}); every key needs its value`,
      );
    }
    return { batched, batch, L: q.shape[lengthAxis] as number, S };
  }

  /**
   * Checks attnMask: [L, S], or [batch·numHeads, L, S] (unbatched: [numHeads, L, S]).
   * @internal
   */
  checkAttnMask(names: AttentionNames, mask: unknown, shape: CallShape): Tensor | null {
    if (mask === null) return null;
    const m = checkMask(names.op, names.attnMask, mask);
    const { L, S, batch } = shape;
    const heads = shape.batched ? `batch·numHeads = ${batch * this.numHeads}` : `numHeads = ${this.numHeads}`;
    if (m.ndim === 2 && (m.shape[0] !== L || m.shape[1] !== S)) {
      throw new ShapeError(
        names.op,
        `the 2-D ${names.attnMask} has shape ${formatShape(m.shape)}, expected [target length, source length] = [${L},${S}]`,
      );
    }
    if (m.ndim === 3 && (m.shape[0] !== batch * this.numHeads || m.shape[1] !== L || m.shape[2] !== S)) {
      throw new ShapeError(
        names.op,
        `the 3-D ${names.attnMask} has shape ${formatShape(m.shape)}, expected [${heads}, target length, source length] = [${batch * this.numHeads},${L},${S}]`,
      );
    }
    if (m.ndim !== 2 && m.ndim !== 3) {
      throw new ShapeError(
        names.op,
        `${names.attnMask} must be 2-D [${L},${S}] or 3-D [${batch * this.numHeads},${L},${S}] (${heads}), got shape ${formatShape(m.shape)}`,
      );
    }
    return m;
  }

  /**
   * Checks keyPaddingMask: [batch, S], or [S] unbatched.
   * @internal
   */
  checkKeyPaddingMask(names: AttentionNames, mask: unknown, shape: CallShape): Tensor | null {
    if (mask === null) return null;
    const m = checkMask(names.op, names.keyPaddingMask, mask);
    const expected = shape.batched ? [shape.batch, shape.S] : [shape.S];
    if (m.ndim !== expected.length || m.shape.some((d, i) => d !== expected[i])) {
      const meaning = shape.batched ? '[batch, source length]' : '[source length] (unbatched)';
      throw new ShapeError(
        names.op,
        `${names.keyPaddingMask} has shape ${formatShape(m.shape)}, expected ${meaning} = ${formatShape(expected)}`,
      );
    }
    return m;
  }

  #run(call: CheckedCall): MultiheadAttentionOutput {
    const { shape } = call;
    const [q, k, v, bias] = this.#headsAndBias(call);
    const p = this.training ? this.dropout : 0;
    const { output, weights } = attend(q, k, v, bias, 1 / Math.sqrt(this.headDim), p, this.#generator);
    const merged = output.permute([0, 2, 1, 3]).reshape([shape.batch, shape.L, this.embedDim]);
    let out = this.outProj.forward(merged);
    out = !shape.batched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (!call.needWeights) return { output: out, weights: null };
    let w = call.average ? weights.mean(1) : weights;
    if (!shape.batched) w = w.squeeze(0);
    return { output: out, weights: w };
  }

  /**
   * The projected query, keys and values split into heads, [N, H, L or S', hd],
   * with the extra key and value of addBiasKv and addZeroAttn, and the masks
   * as one additive bias broadcastable to [N, H, L, S'] (or null).
   */
  #headsAndBias(call: CheckedCall): [Tensor, Tensor, Tensor, Tensor | null] {
    const { shape } = call;
    const [N, H, hd, E] = [shape.batch, this.numHeads, this.headDim, this.embedDim];
    let [q, k, v] = this.#project(call);
    const dtype = q.dtype as FloatDType;
    let attnBias = call.attnMask === null ? null : maskBias(call.attnMask, dtype, 'block');
    if (attnBias !== null && attnBias.ndim === 3) attnBias = attnBias.reshape([N, H, shape.L, shape.S]);
    let padBias =
      call.paddingMask === null ? null : maskBias(call.paddingMask, dtype, 'block').reshape([N, 1, 1, shape.S]);
    // One more key: the masks gain a column that allows it.
    const allowExtraKey = () => {
      const widen = (bias: Tensor | null) =>
        bias === null ? null : concat([bias, zeros([...bias.shape.slice(0, -1), 1], { dtype })], -1);
      attnBias = widen(attnBias);
      padBias = widen(padBias);
    };
    if (this.biasK !== null && this.biasV !== null) {
      // NOTE: as PyTorch, the learned key and value are appended after the projections.
      k = concat([k, this.biasK.expand([N, 1, E])], 1);
      v = concat([v, this.biasV.expand([N, 1, E])], 1);
      allowExtraKey();
    }
    const heads = (t: Tensor) => t.reshape([N, t.shape[1] as number, H, hd]).permute([0, 2, 1, 3]);
    [q, k, v] = [heads(q), heads(k), heads(v)];
    if (this.addZeroAttn) {
      const zero = zeros([N, H, 1, hd], { dtype });
      k = concat([k, zero], 2);
      v = concat([v, zero], 2);
      allowExtraKey();
    }
    if (attnBias === null && call.isCausal) attnBias = causalBias(shape.L, k.shape[2] as number, dtype);
    const bias = attnBias === null ? padBias : padBias === null ? attnBias : attnBias.add(padBias);
    return [q, k, v, bias];
  }

  /**
   * The input projections, batch first ([N, length, E]): one product for
   * self-attention (query, key and value the same tensor), one for key and
   * value when they are the same tensor (attention over a memory).
   */
  #project({ query, key, value, shape }: CheckedCall): [Tensor, Tensor, Tensor] {
    const batchFirst = (t: Tensor) => (!shape.batched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const [q, k, v] = [batchFirst(query), batchFirst(key), batchFirst(value)];
    const E = this.embedDim;
    const b = this.inProjBias;
    const bias = (i: number, j = i + 1) => (b === null ? null : b.slice(0, i * E, j * E));
    const w = this.inProjWeight;
    if (w === null) {
      return [
        linear(q, this.qProjWeight as Tensor, bias(0)),
        linear(k, this.kProjWeight as Tensor, bias(1)),
        linear(v, this.vProjWeight as Tensor, bias(2)),
      ];
    }
    const rows = (i: number, j = i + 1) => w.slice(0, i * E, j * E);
    if (query === key && key === value) {
      const [qp, kp, vp] = linear(q, w, b).chunk(3, -1) as [Tensor, Tensor, Tensor];
      return [qp, kp, vp];
    }
    if (key === value) {
      const [kp, vp] = linear(k, rows(1, 3), bias(1, 3)).chunk(2, -1) as [Tensor, Tensor];
      return [linear(q, rows(0), bias(0)), kp, vp];
    }
    return [linear(q, rows(0), bias(0)), linear(k, rows(1), bias(1)), linear(v, rows(2), bias(2))];
  }

  override extraRepr(): string {
    const parts = [`embedDim=${this.embedDim}`, `numHeads=${this.numHeads}`];
    if (this.kdim !== this.embedDim || this.vdim !== this.embedDim)
      parts.push(`kdim=${this.kdim}`, `vdim=${this.vdim}`);
    if (this.dropout !== 0) parts.push(`dropout=${this.dropout}`);
    if (this.batchFirst) parts.push('batchFirst');
    return parts.join(', ');
  }
}

function positiveInteger(op: string, what: string, n: unknown): number {
  if (!Number.isSafeInteger(n) || (n as number) < 1) {
    throw new ArgumentError(op, `${what} must be a positive integer, got ${describeValue(n)}`);
  }
  return n as number;
}
