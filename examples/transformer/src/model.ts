/**
 * The network: a small decoder-only (GPT-style) transformer built from
 * @chainrule/nn's layers. Token and learned position embeddings are summed;
 * `layers` pre-LayerNorm blocks of causal self-attention and a GELU
 * feed-forward block (TransformerEncoderLayer with normFirst, attending
 * causally); a final LayerNorm; a linear head scoring the next character.
 */
import { argmax, concat, noGrad, tensor, type Generator, type Tensor } from '@chainrule/core';
import {
  Embedding,
  LayerNorm,
  Linear,
  Module,
  TransformerEncoder,
  TransformerEncoderLayer,
  normal,
} from '@chainrule/nn';
import { ALPHABET, encode, promptText, type Layout, type Problem } from './problems';

export interface ModelConfig {
  /** Width of the residual stream (embedding size). */
  dModel: number;
  heads: number;
  layers: number;
  /** Hidden width of each feed-forward block. */
  feedforward: number;
  /** The longest text the position embedding covers. */
  contextLength: number;
}

/**
 * The model. Its state-dict names are those PyTorch would give the same
 * modules (`token_embedding.weight`, `encoder.layers.0.self_attn.in_proj_weight`,
 * `head.weight`, ...).
 *
 * @example
 * const model = new AdditionTransformer({ dModel: 64, heads: 4, layers: 2, feedforward: 256, contextLength: 8 }, new Generator(0));
 * model.forward(tensor(Int32Array.from(encode('37+85=22')), { shape: [1, 8] })).shape; // [1, 8, 12]
 */
export class AdditionTransformer extends Module<[Tensor], Tensor> {
  readonly config: ModelConfig;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: Embedding;
  readonly encoder: TransformerEncoder;
  readonly head: Linear;

  constructor(config: ModelConfig, generator: Generator) {
    super();
    this.config = config;
    const { dModel, heads, layers, feedforward, contextLength } = config;
    this.tokenEmbedding = this.registerModule('token_embedding', new Embedding(ALPHABET.length, dModel, { generator }));
    this.positionEmbedding = this.registerModule(
      'position_embedding',
      new Embedding(contextLength, dModel, { generator }),
    );
    // Small embeddings (GPT-2's 0.02 std rather than Embedding's N(0, 1)) let
    // the attention and feed-forward blocks' contributions matter from the start.
    noGrad(() => {
      normal(this.tokenEmbedding.weight, { std: 0.02, generator });
      normal(this.positionEmbedding.weight, { std: 0.02, generator });
    });
    const block = new TransformerEncoderLayer(dModel, heads, {
      dimFeedforward: feedforward,
      // No dropout: every step draws fresh problems, so there is little to overfit, and dropout slows learning.
      dropout: 0,
      activation: 'gelu',
      batchFirst: true,
      normFirst: true,
      generator,
    });
    this.encoder = this.registerModule(
      'encoder',
      new TransformerEncoder(block, layers, { norm: new LayerNorm(dModel) }),
    );
    this.head = this.registerModule('head', new Linear(dModel, ALPHABET.length, { generator }));
  }

  /** tokens: int32 [batch, length] → next-character scores (logits) [batch, length, alphabet]. */
  forward(tokens: Tensor): Tensor {
    return this.head.forward(this.encoder.forward(this.embed(tokens), { isCausal: true }));
  }

  /**
   * The attention weights of every layer and head for one text, [layers]
   * of [heads, length, length] (row: the attending position; column: the
   * position attended to). Runs the blocks as forward does, asking each
   * self-attention for its weights on the way.
   */
  attentionMaps(tokens: Tensor): Tensor[] {
    return noGrad(() => {
      let x = this.embed(tokens.reshape([1, -1]));
      const maps: Tensor[] = [];
      for (const layer of this.encoder.layers) {
        const normed = layer.norm1.forward(x);
        const { weights } = layer.selfAttn.forward(normed, normed, normed, {
          isCausal: true,
          needWeights: true,
          averageAttnWeights: false,
        });
        if (weights === null) throw new Error('MultiheadAttention returned no weights');
        maps.push(weights.squeeze(0));
        x = layer.forward(x, { isCausal: true });
      }
      return maps;
    });
  }

  /** tokens [batch, length] → the summed token and position embeddings [batch, length, dModel]. */
  embed(tokens: Tensor): Tensor {
    const length = tokens.shape[1] as number;
    const positions = tensor(
      Int32Array.from({ length }, (_, i) => i),
      { shape: [1, length] },
    );
    return this.tokenEmbedding.forward(tokens).add(this.positionEmbedding.forward(positions));
  }
}

/**
 * Greedy decoding: for each problem, starting from its prompt, append the
 * most likely next character `answerLength` times. Returns the written
 * answers as text (as the model writes them: reversed). Every problem of
 * the batch is decoded at once; the model is put in eval mode for it.
 */
export function greedyAnswers(model: AdditionTransformer, problems: readonly Problem[], l: Layout): string[] {
  if (problems.length === 0) return [];
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      const prompts = problems.flatMap((p) => encode(promptText(p, l.digits)));
      let tokens = tensor(Int32Array.from(prompts), { shape: [problems.length, l.promptLength] });
      const written: Int32Array[] = [];
      for (let step = 0; step < l.answerLength; step++) {
        const logits = model.forward(tokens);
        const last = logits.select(1, (tokens.shape[1] as number) - 1);
        const next = argmax(last, -1).reshape([problems.length, 1]);
        written.push(next.data() as Int32Array);
        tokens = concat([tokens, next], 1);
      }
      return problems.map((_, row) => written.map((column) => ALPHABET[column[row] as number] ?? '?').join(''));
    });
  } finally {
    model.train(wasTraining);
  }
}
