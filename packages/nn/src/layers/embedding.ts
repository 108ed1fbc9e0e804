/**
 * Embedding: a learned table of `numEmbeddings` vectors looked up by integer
 * index (PyTorch's `nn.Embedding`), the first layer of every language model.
 */
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor,
  defaultGenerator,
  noGrad,
  zeros,
  type FloatDType,
  type Generator,
} from '@chainrule/core';
import { booleanOption, describeValue, optionsObject } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { normal } from '../init';
import { Module } from '../module';
import { parameter } from '../parameter';
import {
  checkIndices,
  embeddingOptionKeys,
  embeddingSettings,
  lookup,
  type EmbeddingOptions,
  type EmbeddingSettings,
} from '../functional/embedding';
import { checkParameterDType } from './layer-options';

/**
 * The table fromPretrained hands to the one constructor call it makes, so
 * that the constructor neither draws (and discards) a random table nor
 * advances the caller's random stream.
 */
let pretrained: Tensor | null = null;

/** Options of `new Embedding(numEmbeddings, embeddingDim, options)`. */
export interface EmbeddingLayerOptions extends EmbeddingOptions {
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
  /** The random stream for the N(0, 1) init (default: the global generator). */
  generator?: Generator;
}

/** Options of `Embedding.fromPretrained`. */
export interface FromPretrainedOptions extends EmbeddingOptions {
  /** Keep the table fixed: its `requiresGrad` is false (default true, as PyTorch). */
  freeze?: boolean;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`. The
 * input is an int32 tensor of indices of any shape; the output has shape
 * `[...input.shape, embeddingDim]`. The table (`weight`) starts as N(0, 1)
 * samples, with the `paddingIdx` row (if any) zero; that row's gradient is
 * always zero, so it stays what it is while the rest trains.
 *
 * @example
 * const tokens = new Embedding(1000, 64, { paddingIdx: 0 });
 * tokens.forward(tensor([[5, 7, 0]], { dtype: 'int32' })).shape; // [1, 3, 64]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The table, shape [numEmbeddings, embeddingDim]. */
  readonly weight: Tensor;
  readonly #settings: EmbeddingSettings;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    const op = 'Embedding';
    checkSize(op, 'numEmbeddings', numEmbeddings);
    checkSize(op, 'embeddingDim', embeddingDim);
    const { dtype, generator, ...rest } = optionsObject(op, options, {
      ...embeddingOptionKeys,
      dtype: true,
      generator: true,
    });
    this.#settings = embeddingSettings(op, rest, numEmbeddings);
    const d = checkParameterDType(op, dtype);
    const g = checkGenerator(op, generator) ?? defaultGenerator;
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    if (pretrained !== null) {
      this.weight = this.registerParameter('weight', pretrained);
      return;
    }
    const weight = normal(zeros([numEmbeddings, embeddingDim], { dtype: d }), { generator: g });
    const pad = this.#settings.paddingIdx;
    if (pad !== null) noGrad(() => weight.select(0, pad).fill(0));
    this.weight = this.registerParameter('weight', parameter(weight));
  }

  /**
   * An Embedding holding `embeddings` (a `[numEmbeddings, embeddingDim]`
   * float tensor) as its table, sharing its memory as PyTorch's
   * `from_pretrained` does. Frozen unless `freeze: false`. The padding row is
   * kept as given (not zeroed); its gradient is still zero.
   *
   * @example
   * const glove = Embedding.fromPretrained(vectors);                 // fixed
   * const tuned = Embedding.fromPretrained(vectors, { freeze: false });
   */
  static fromPretrained(embeddings: Tensor, options: FromPretrainedOptions = {}): Embedding {
    const op = 'Embedding.fromPretrained';
    if (!(embeddings instanceof Tensor)) {
      throw new ArgumentError(op, `expected a [numEmbeddings, embeddingDim] Tensor, got ${describeValue(embeddings)}`);
    }
    if (embeddings.ndim !== 2 || embeddings.shape[0] === 0 || embeddings.shape[1] === 0) {
      throw new ShapeError(
        op,
        `the embeddings must be a non-empty 2-D [numEmbeddings, embeddingDim] tensor, got shape [${embeddings.shape.join(',')}]`,
      );
    }
    if (embeddings.dtype !== 'float32' && embeddings.dtype !== 'float64') {
      throw new DTypeError(op, `the embeddings must be float32 or float64, got ${embeddings.dtype}`);
    }
    const { freeze, ...rest } = optionsObject(op, options, { ...embeddingOptionKeys, freeze: true });
    const frozen = booleanOption(op, 'freeze', freeze, true);
    const [n, dim] = embeddings.shape as [number, number];
    // Checked with this op's name before anything is built.
    embeddingSettings(op, rest, n);
    // The caller's table itself (detached, so that a tensor computed by ops
    // can be used; sharing memory, so updates reach the caller's tensor).
    const table = parameter(embeddings.detach());
    table.requiresGrad = !frozen;
    pretrained = table;
    try {
      return new Embedding(n, dim, { ...rest, dtype: embeddings.dtype });
    } finally {
      pretrained = null;
    }
  }

  /** The checked options (paddingIdx non-negative). */
  get paddingIdx(): number | null {
    return this.#settings.paddingIdx;
  }

  get maxNorm(): number | null {
    return this.#settings.maxNorm;
  }

  get normType(): number {
    return this.#settings.normType;
  }

  get scaleGradByFreq(): boolean {
    return this.#settings.scaleGradByFreq;
  }

  forward(input: Tensor): Tensor {
    const idx = checkIndices('Embedding', input, this.numEmbeddings);
    return lookup(input.shape, idx, this.weight, this.#settings);
  }

  override extraRepr(): string {
    const parts = [`${this.numEmbeddings}, ${this.embeddingDim}`];
    if (this.paddingIdx !== null) parts.push(`paddingIdx=${this.paddingIdx}`);
    if (this.maxNorm !== null) parts.push(`maxNorm=${this.maxNorm}`);
    if (this.normType !== 2) parts.push(`normType=${this.normType}`);
    if (this.scaleGradByFreq) parts.push('scaleGradByFreq=true');
    return parts.join(', ');
  }
}

function checkSize(op: string, what: string, n: unknown): void {
  if (!Number.isSafeInteger(n) || (n as number) < 1) {
    throw new ArgumentError(op, `${what} must be a positive integer, got ${describeValue(n)}`);
  }
}
