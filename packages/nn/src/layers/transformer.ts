/**
 * The transformer layers of "Attention Is All You Need" as PyTorch builds
 * them: TransformerEncoderLayer and TransformerDecoderLayer (attention,
 * a two-layer feed-forward block, residual connections, LayerNorm after each
 * block or, with normFirst, before it), and the stacks TransformerEncoder
 * and TransformerDecoder made of copies of one layer. Child and parameter
 * names are PyTorch's, so `layers.0.self_attn.in_proj_weight` loads from a
 * PyTorch state dict as is.
 */
import {
  ArgumentError,
  DTypeError,
  Tensor,
  defaultGenerator,
  gelu,
  relu,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { booleanOption, describeValue, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { causalBias, checkProbability } from '../functional/attention';
import { checkEps } from '../functional/layer-norm';
import { Module } from '../module';
import { ModuleList } from './containers';
import type { Linear } from './dense';
import { Dropout } from './dropout';
import { LayerNorm } from './layer-norm';
import { MultiheadAttention, type AttentionNames } from './attention';
import { checkParameterDType, pytorchLinear } from './layer-options';

/** The feed-forward block's activation: 'relu' (default), 'gelu' (exact, erf-based), or a function. */
export type TransformerActivation = 'relu' | 'gelu' | ((x: Tensor) => Tensor);

/** Options of the transformer encoder and decoder layers' constructors. */
export interface TransformerLayerOptions {
  /** Width of the feed-forward block's hidden layer (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability after attention, inside and after the feed-forward block, and on the attention weights (default 0.1). */
  dropout?: number;
  /** Default 'relu'. */
  activation?: TransformerActivation;
  /** The LayerNorms' eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and output are [batch, seq, dModel] (default false: [seq, batch, dModel]). */
  batchFirst?: boolean;
  /** Normalize before each block instead of after the residual sum (pre-LN; default false). */
  normFirst?: boolean;
  /** Biases in the linear layers, attention and LayerNorms (default true; PyTorch 2.1's `bias`). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream for the init and for dropout (default: the global generator). */
  generator?: Generator;
}

const layerOptionKeys = {
  dimFeedforward: true,
  dropout: true,
  activation: true,
  layerNormEps: true,
  batchFirst: true,
  normFirst: true,
  bias: true,
  dtype: true,
  generator: true,
} as const;

/** Options of `TransformerEncoderLayer.forward` (the masks). */
export interface TransformerEncoderLayerForwardOptions {
  /** The self-attention's attnMask: [S, S] or [batch·nhead, S, S]; bool true = not allowed, float added. */
  srcMask?: Tensor | null;
  /** [batch, S] (or [S] unbatched): bool true = padding, ignored as a key. */
  srcKeyPaddingMask?: Tensor | null;
  /** Without srcMask, attend causally (position i to positions ≤ i) (default false). */
  isCausal?: boolean;
}

/** Options of `TransformerEncoder.forward` (the masks). */
export interface TransformerEncoderForwardOptions {
  /** Every layer's srcMask (PyTorch's name in TransformerEncoder.forward). */
  mask?: Tensor | null;
  srcKeyPaddingMask?: Tensor | null;
  isCausal?: boolean;
}

/** Options of the transformer decoders' `forward` (the masks). */
export interface TransformerDecoderForwardOptions {
  /** The self-attention's mask [T, T] (usually generateSquareSubsequentMask(T)). */
  tgtMask?: Tensor | null;
  /** The attention over the memory's mask [T, S]. */
  memoryMask?: Tensor | null;
  /** `[batch, T]`: true marks target padding. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[batch, S]`: true marks memory padding. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Without tgtMask, self-attend causally (default false). */
  tgtIsCausal?: boolean;
  /** Without memoryMask, attend to the memory causally (default false). */
  memoryIsCausal?: boolean;
}

interface Settings {
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  dropout: number;
  activation: TransformerActivation;
  layerNormEps: number;
  batchFirst: boolean;
  normFirst: boolean;
  bias: boolean;
  dtype: FloatDType;
  generator: Generator;
}

function settingsOf(op: string, dModel: unknown, nhead: unknown, options: TransformerLayerOptions): Settings {
  const o = optionsObject(op, options, layerOptionKeys);
  const dimFeedforward = valueOr<unknown>(o.dimFeedforward, 2048);
  for (const [what, n] of [
    ['dModel', dModel],
    ['nhead', nhead],
    ['dimFeedforward', dimFeedforward],
  ] as const) {
    if (!Number.isSafeInteger(n) || (n as number) < 1)
      throw new ArgumentError(op, `${what} must be a positive integer, got ${describeValue(n)}`);
  }
  if ((dModel as number) % (nhead as number) !== 0) {
    throw new ArgumentError(
      op,
      `dModel ${dModel as number} is not divisible by nhead ${nhead as number}; each head takes dModel / nhead features`,
    );
  }
  const activation = valueOr<unknown>(o.activation, 'relu');
  if (activation !== 'relu' && activation !== 'gelu' && typeof activation !== 'function') {
    throw new ArgumentError(
      op,
      `activation must be 'relu', 'gelu' or a function (x: Tensor) => Tensor, got ${describeValue(activation)}`,
    );
  }
  return {
    dModel: dModel as number,
    nhead: nhead as number,
    dimFeedforward: dimFeedforward as number,
    dropout: checkProbability(op, 'dropout', valueOr<unknown>(o.dropout, 0.1)),
    activation: activation as TransformerActivation,
    layerNormEps: checkEps(op, valueOr<unknown>(o.layerNormEps, 1e-5)),
    batchFirst: booleanOption(op, 'batchFirst', o.batchFirst, false),
    normFirst: booleanOption(op, 'normFirst', o.normFirst, false),
    bias: booleanOption(op, 'bias', o.bias, true),
    dtype: checkParameterDType(op, o.dtype),
    generator: checkGenerator(op, o.generator) ?? defaultGenerator,
  };
}

function activationFn(a: TransformerActivation): (x: Tensor) => Tensor {
  if (a === 'relu') return relu;
  if (a === 'gelu') return (x) => gelu(x);
  return (x) => {
    const y: unknown = a(x);
    if (!(y instanceof Tensor))
      throw new ArgumentError('Transformer', `the activation function must return a Tensor, got ${describeValue(y)}`);
    return y;
  };
}

function attentionNames(
  op: string,
  who: 'src' | 'tgt' | 'memory',
  attnMask: string,
  keyPaddingMask: string,
): AttentionNames {
  const query = who === 'memory' ? 'tgt' : who;
  return { op, query, key: who, value: who, attnMask, keyPaddingMask, embedDim: 'dModel' };
}

/** The pieces both layer kinds share: the feed-forward block and the settings a copy is built from. */
abstract class TransformerLayerBase<In extends unknown[]> extends Module<In, Tensor> {
  readonly dModel: number;
  readonly nhead: number;
  readonly normFirst: boolean;
  readonly batchFirst: boolean;
  protected readonly settings: Settings;
  readonly #activation: (x: Tensor) => Tensor;

  protected constructor(settings: Settings) {
    super();
    this.settings = settings;
    this.dModel = settings.dModel;
    this.nhead = settings.nhead;
    this.normFirst = settings.normFirst;
    this.batchFirst = settings.batchFirst;
    this.#activation = activationFn(settings.activation);
  }

  protected attention(): MultiheadAttention {
    const s = this.settings;
    return new MultiheadAttention(s.dModel, s.nhead, {
      dropout: s.dropout,
      batchFirst: s.batchFirst,
      bias: s.bias,
      dtype: s.dtype,
      generator: s.generator,
    });
  }

  protected linear(inF: number, outF: number): Linear {
    const s = this.settings;
    return pytorchLinear(inF, outF, { bias: s.bias, dtype: s.dtype, generator: s.generator });
  }

  protected norm(): LayerNorm {
    const s = this.settings;
    return new LayerNorm(s.dModel, { eps: s.layerNormEps, bias: s.bias, dtype: s.dtype });
  }

  protected dropoutLayer(): Dropout {
    return new Dropout(this.settings.dropout, { generator: this.settings.generator });
  }

  /** linear2(dropout(activation(linear1(x)))), then dropoutN. */
  protected feedForward(x: Tensor, linear1: Linear, inner: Dropout, linear2: Linear, after: Dropout): Tensor {
    return after.forward(linear2.forward(inner.forward(this.#activation(linear1.forward(x)))));
  }

  /** Copies the parameters, their requiresGrad flags and the training mode of this layer into `copy`. */
  protected copyStateInto<T extends TransformerLayerBase<In>>(copy: T): T {
    copy.loadStateDict(this.stateDict());
    const flags = this.parameters().map((p) => p.requiresGrad);
    copy.parameters().forEach((p, i) => {
      p.requiresGrad = flags[i] as boolean;
    });
    for (const [name, m] of this.namedModules()) copy.getSubmodule(name).training = m.training;
    return copy;
  }

  override extraRepr(): string {
    const s = this.settings;
    const act = typeof s.activation === 'function' ? 'custom' : s.activation;
    const parts = [
      `dModel=${s.dModel}`,
      `nhead=${s.nhead}`,
      `dimFeedforward=${s.dimFeedforward}`,
      `dropout=${s.dropout}`,
      act,
    ];
    if (s.normFirst) parts.push('normFirst');
    if (s.batchFirst) parts.push('batchFirst');
    return parts.join(', ');
  }
}

/**
 * One encoder layer (PyTorch's `nn.TransformerEncoderLayer`): self-attention
 * and a feed-forward block, each with a residual connection and LayerNorm.
 * Post-LN (default): `x = norm1(x + sa(x)); x = norm2(x + ff(x))`; with
 * normFirst: `x = x + sa(norm1(x)); x = x + ff(norm2(x))`. Children
 * `self_attn`, `linear1`, `dropout`, `linear2`, `norm1`, `norm2`,
 * `dropout1`, `dropout2`, as PyTorch.
 *
 * @example
 * const layer = new TransformerEncoderLayer(32, 4, { dimFeedforward: 64, batchFirst: true });
 * layer.forward(x, { srcKeyPaddingMask: padding }); // x [batch, seq, 32]
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[Tensor, TransformerEncoderLayerForwardOptions?]> {
  readonly selfAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(settingsOf('TransformerEncoderLayer', dModel, nhead, options));
    const s = this.settings;
    this.selfAttn = this.registerModule('self_attn', this.attention());
    this.linear1 = this.registerModule('linear1', this.linear(s.dModel, s.dimFeedforward));
    this.dropout = this.registerModule('dropout', this.dropoutLayer());
    this.linear2 = this.registerModule('linear2', this.linear(s.dimFeedforward, s.dModel));
    this.norm1 = this.registerModule('norm1', this.norm());
    this.norm2 = this.registerModule('norm2', this.norm());
    this.dropout1 = this.registerModule('dropout1', this.dropoutLayer());
    this.dropout2 = this.registerModule('dropout2', this.dropoutLayer());
  }

  /**
   * src: [S, batch, dModel] ([batch, S, dModel] with batchFirst, [S, dModel]
   * unbatched); the output has src's shape.
   */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const op = 'TransformerEncoderLayer';
    const o = optionsObject(op, options, { srcMask: true, srcKeyPaddingMask: true, isCausal: true });
    const masks = {
      attnMask: valueOr(o.srcMask, null),
      keyPaddingMask: valueOr(o.srcKeyPaddingMask, null),
      isCausal: booleanOption(op, 'isCausal', o.isCausal, false),
    };
    // Checked under this layer's names (src, srcMask) before the first norm, not as self_attn's query and attnMask.
    this.check(attentionNames(op, 'src', 'srcMask', 'srcKeyPaddingMask'), src, masks);
    const sa = (x: Tensor) =>
      this.dropout1.forward(this.selfAttn.forward(x, x, x, { ...masks, needWeights: false }).output);
    const ff = (x: Tensor) => this.feedForward(x, this.linear1, this.dropout, this.linear2, this.dropout2);
    if (this.normFirst) {
      const x = src.add(sa(this.norm1.forward(src)));
      return x.add(ff(this.norm2.forward(x)));
    }
    const x = this.norm1.forward(src.add(sa(src)));
    return this.norm2.forward(x.add(ff(x)));
  }

  /**
   * Checks src and the masks under the caller's names (TransformerEncoder calls srcMask `mask`).
   * @internal
   */
  check(names: AttentionNames, src: unknown, masks: { attnMask: unknown; keyPaddingMask: unknown }): void {
    const shape = this.selfAttn.checkInputs(names, src, src, src);
    this.selfAttn.checkAttnMask(names, masks.attnMask, shape);
    this.selfAttn.checkKeyPaddingMask(names, masks.keyPaddingMask, shape);
  }

  /** An independent copy (PyTorch's `copy.deepcopy`): the same settings, copied parameters, the same mode. */
  clone(): TransformerEncoderLayer {
    const s = this.settings;
    const { dModel, nhead, ...options } = s;
    return this.copyStateInto(new TransformerEncoderLayer(dModel, nhead, options));
  }
}

/**
 * One decoder layer (PyTorch's `nn.TransformerDecoderLayer`):
 * self-attention over the target, attention over the encoder's output (the
 * memory), and a feed-forward block, each with a residual connection and
 * LayerNorm (after, or before with normFirst). Children `self_attn`,
 * `multihead_attn`, `linear1`, `dropout`, `linear2`, `norm1`..`norm3`,
 * `dropout1`..`dropout3`, as PyTorch.
 *
 * @example
 * const layer = new TransformerDecoderLayer(32, 4, { dimFeedforward: 64 });
 * layer.forward(tgt, memory, { tgtMask: generateSquareSubsequentMask(tgt.shape[0]!) });
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[Tensor, Tensor, TransformerDecoderForwardOptions?]> {
  readonly selfAttn: MultiheadAttention;
  readonly multiheadAttn: MultiheadAttention;
  readonly linear1: Linear;
  readonly dropout: Dropout;
  readonly linear2: Linear;
  readonly norm1: LayerNorm;
  readonly norm2: LayerNorm;
  readonly norm3: LayerNorm;
  readonly dropout1: Dropout;
  readonly dropout2: Dropout;
  readonly dropout3: Dropout;

  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super(settingsOf('TransformerDecoderLayer', dModel, nhead, options));
    const s = this.settings;
    this.selfAttn = this.registerModule('self_attn', this.attention());
    this.multiheadAttn = this.registerModule('multihead_attn', this.attention());
    this.linear1 = this.registerModule('linear1', this.linear(s.dModel, s.dimFeedforward));
    this.dropout = this.registerModule('dropout', this.dropoutLayer());
    this.linear2 = this.registerModule('linear2', this.linear(s.dimFeedforward, s.dModel));
    this.norm1 = this.registerModule('norm1', this.norm());
    this.norm2 = this.registerModule('norm2', this.norm());
    this.norm3 = this.registerModule('norm3', this.norm());
    this.dropout1 = this.registerModule('dropout1', this.dropoutLayer());
    this.dropout2 = this.registerModule('dropout2', this.dropoutLayer());
    this.dropout3 = this.registerModule('dropout3', this.dropoutLayer());
  }

  /**
   * tgt: [T, batch, dModel] and memory: [S, batch, dModel] (batch first with
   * batchFirst; unbatched [T, dModel] and [S, dModel]); the output has tgt's
   * shape.
   */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    const op = 'TransformerDecoderLayer';
    const { self: selfMasks, cross: crossMasks } = decoderMasks(op, options);
    // Every input and mask is checked before the first dropout draws from the generator.
    this.check(op, tgt, memory, selfMasks, crossMasks);
    const sa = (x: Tensor) =>
      this.dropout1.forward(this.selfAttn.forward(x, x, x, { ...selfMasks, needWeights: false }).output);
    const mha = (x: Tensor) =>
      this.dropout2.forward(
        this.multiheadAttn.forward(x, memory, memory, { ...crossMasks, needWeights: false }).output,
      );
    const ff = (x: Tensor) => this.feedForward(x, this.linear1, this.dropout, this.linear2, this.dropout3);
    if (this.normFirst) {
      let x = tgt.add(sa(this.norm1.forward(tgt)));
      x = x.add(mha(this.norm2.forward(x)));
      return x.add(ff(this.norm3.forward(x)));
    }
    let x = this.norm1.forward(tgt.add(sa(tgt)));
    x = this.norm2.forward(x.add(mha(x)));
    return this.norm3.forward(x.add(ff(x)));
  }

  /**
   * Checks tgt, memory and the masks of both attentions under op's name.
   * @internal
   */
  check(op: string, tgt: unknown, memory: unknown, selfMasks: MaskSet, crossMasks: MaskSet): void {
    for (const [attn, names, key, masks] of [
      [this.selfAttn, attentionNames(op, 'tgt', 'tgtMask', 'tgtKeyPaddingMask'), tgt, selfMasks],
      [this.multiheadAttn, attentionNames(op, 'memory', 'memoryMask', 'memoryKeyPaddingMask'), memory, crossMasks],
    ] as const) {
      const shape = attn.checkInputs(names, tgt, key, key);
      attn.checkAttnMask(names, masks.attnMask, shape);
      attn.checkKeyPaddingMask(names, masks.keyPaddingMask, shape);
    }
  }

  /** An independent copy (PyTorch's `copy.deepcopy`): the same settings, copied parameters, the same mode. */
  clone(): TransformerDecoderLayer {
    const { dModel, nhead, ...options } = this.settings;
    return this.copyStateInto(new TransformerDecoderLayer(dModel, nhead, options));
  }
}

/** One attention's masks, as its forward takes them. */
interface MaskSet {
  attnMask: Tensor | null;
  keyPaddingMask: Tensor | null;
  isCausal: boolean;
}

/** The decoder's options, checked and split into the self-attention's and the memory attention's masks. */
function decoderMasks(op: string, options: TransformerDecoderForwardOptions): { self: MaskSet; cross: MaskSet } {
  const o = optionsObject(op, options, decoderForwardKeys);
  return {
    self: {
      attnMask: valueOr(o.tgtMask, null),
      keyPaddingMask: valueOr(o.tgtKeyPaddingMask, null),
      isCausal: booleanOption(op, 'tgtIsCausal', o.tgtIsCausal, false),
    },
    cross: {
      attnMask: valueOr(o.memoryMask, null),
      keyPaddingMask: valueOr(o.memoryKeyPaddingMask, null),
      isCausal: booleanOption(op, 'memoryIsCausal', o.memoryIsCausal, false),
    },
  };
}

const decoderForwardKeys = {
  tgtMask: true,
  memoryMask: true,
  tgtKeyPaddingMask: true,
  memoryKeyPaddingMask: true,
  tgtIsCausal: true,
  memoryIsCausal: true,
} as const;

/** A final normalization for a stack: any one-tensor module, usually a LayerNorm. */
export interface TransformerStackOptions {
  norm?: Module | null;
}

function checkStack(op: string, layerClass: string, ok: boolean, numLayers: unknown, options: unknown): Module | null {
  if (!ok) throw new ArgumentError(op, `the layer must be a ${layerClass} (its copies make the stack)`);
  if (!Number.isSafeInteger(numLayers) || (numLayers as number) < 0)
    throw new ArgumentError(op, `numLayers must be a non-negative integer, got ${describeValue(numLayers)}`);
  const norm = valueOr<unknown>(optionsObject(op, options as TransformerStackOptions, { norm: true }).norm, null);
  if (norm !== null && !(norm instanceof Module))
    throw new ArgumentError(
      op,
      `norm must be a Module (e.g. new LayerNorm(dModel)) or null, got ${describeValue(norm)}`,
    );
  return norm as Module | null;
}

/**
 * A stack of `numLayers` copies of an encoder layer (PyTorch's
 * `nn.TransformerEncoder`), then an optional final norm. The layer given is
 * copied, not used: `layers.0` ... are independent. State names:
 * `layers.0.self_attn.in_proj_weight`, ..., `norm.weight`.
 *
 * @example
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(64, 4), 2, { norm: new LayerNorm(64) });
 * encoder.forward(src, { mask: generateSquareSubsequentMask(src.shape[0]!) });
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderForwardOptions?], Tensor> {
  readonly layers: ModuleList<TransformerEncoderLayer>;
  readonly norm: Module | null;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    const norm = checkStack(
      'TransformerEncoder',
      'TransformerEncoderLayer',
      encoderLayer instanceof TransformerEncoderLayer,
      numLayers,
      options,
    );
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => encoderLayer.clone()));
    this.norm = norm;
  }

  /** src as the layer takes it; `mask` is each layer's srcMask. */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    const op = 'TransformerEncoder';
    const o = optionsObject(op, options, { mask: true, srcKeyPaddingMask: true, isCausal: true });
    const layerOptions = {
      srcMask: valueOr(o.mask, null),
      srcKeyPaddingMask: valueOr(o.srcKeyPaddingMask, null),
      isCausal: booleanOption(op, 'isCausal', o.isCausal, false),
    };
    const first = this.layers.length > 0 ? this.layers.at(0) : null;
    first?.check(attentionNames(op, 'src', 'mask', 'srcKeyPaddingMask'), src, {
      attnMask: layerOptions.srcMask,
      keyPaddingMask: layerOptions.srcKeyPaddingMask,
    });
    let x = src;
    for (const layer of this.layers) x = layer.forward(x, layerOptions);
    return this.norm === null ? x : this.norm.forward(x);
  }
}

/**
 * A stack of `numLayers` copies of a decoder layer (PyTorch's
 * `nn.TransformerDecoder`), each attending to the same memory, then an
 * optional final norm.
 *
 * @example
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(64, 4), 2);
 * decoder.forward(tgt, memory, { tgtMask: generateSquareSubsequentMask(tgt.shape[0]!) });
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, TransformerDecoderForwardOptions?], Tensor> {
  readonly layers: ModuleList<TransformerDecoderLayer>;
  readonly norm: Module | null;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    const norm = checkStack(
      'TransformerDecoder',
      'TransformerDecoderLayer',
      decoderLayer instanceof TransformerDecoderLayer,
      numLayers,
      options,
    );
    this.layers = new ModuleList(Array.from({ length: numLayers }, () => decoderLayer.clone()));
    this.norm = norm;
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    const op = 'TransformerDecoder';
    const { self, cross } = decoderMasks(op, options);
    if (this.layers.length > 0) this.layers.at(0).check(op, tgt, memory, self, cross);
    let x = tgt;
    for (const layer of this.layers) x = layer.forward(x, memory, options);
    return this.norm === null ? x : this.norm.forward(x);
  }
}

/**
 * The causal mask for `n` positions (PyTorch's
 * `Transformer.generate_square_subsequent_mask`): an [n, n] float mask, 0 on
 * and below the diagonal and -Infinity above it, so position i attends to
 * positions ≤ i.
 *
 * @example
 * generateSquareSubsequentMask(3);
 * // [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]
 */
export function generateSquareSubsequentMask(n: number, options: { dtype?: FloatDType } = {}): Tensor {
  const op = 'generateSquareSubsequentMask';
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ArgumentError(op, `n must be a non-negative integer, got ${describeValue(n)}`);
  const dtype = valueOr<unknown>(optionsObject(op, options, { dtype: true }).dtype, 'float32');
  if (dtype !== 'float32' && dtype !== 'float64')
    throw new DTypeError(op, `the mask is float32 or float64, got dtype ${describeValue(dtype)}`);
  return causalBias(n, n, dtype);
}
