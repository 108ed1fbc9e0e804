/**
 * @chainrule/nn: the layer library of the textbook's feed-forward network —
 * modules and Dense sigmoid layers (a = σ(W a_prev + b)), losses built from
 * core's primitive ops, seeded initializers, mini-batches and scalers, and
 * weights saved as safetensors. Browser-safe; file helpers are in
 * '@chainrule/nn/node'.
 *
 * @module @chainrule/nn
 */
export {
  Module,
  type AnyModule,
  type StateDict,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  type RegisterBufferOptions,
} from './module';
export type { HookHandle, ForwardHook, ForwardPreHook } from './hooks';
export { ModuleList, ModuleDict } from './layers/containers';
export { parameter, isParameter } from './parameter';
export { SafetensorsError, type SafetensorsProblem } from './errors';

export { Dense, Linear, type DenseOptions, type WeightInit } from './layers/dense';
export { Sequential, mlp, type MlpOptions } from './layers/sequential';
export {
  Sigmoid,
  Tanh,
  ReLU,
  LeakyReLU,
  Softmax,
  Identity,
  type Activation,
  type ActivationName,
} from './layers/activation';
export { Dropout } from './layers/dropout';
export { Flatten } from './layers/flatten';

export { mseLoss, sseLoss } from './losses/regression';
export { bceLoss, bceWithLogitsLoss, type BceOptions, type BceWithLogitsOptions } from './losses/binary';
export { crossEntropyLoss, type CrossEntropyOptions } from './losses/cross-entropy';
export type { Reduction, ReductionOptions } from './losses/common';

export {
  uniform,
  normal,
  constant,
  xavierUniform,
  xavierNormal,
  heUniform,
  heNormal,
  calculateGain,
  fans,
  type Nonlinearity,
  type RandomInitOptions,
  type HeOptions,
} from './init';

export { DataLoader, type DataLoaderOptions } from './data/data-loader';
export type { Dataset } from './data/dataset';
export { MinMaxScaler, StandardScaler } from './data/scalers';
export { trainTestSplit, type TrainTestSplitOptions } from './data/split';

export { saveSafetensors, loadSafetensors, readSafetensorsHeader, type SaveSafetensorsOptions } from './io/safetensors';

// Recurrent layers and cells (issue 19): layers/rnn.ts, layers/rnn-cells.ts, layers/rnn-steps.ts.
export {
  RNN,
  LSTM,
  GRU,
  type RecurrentOptions,
  type RNNOptions,
  type LSTMOptions,
  type GRUOptions,
  type RecurrentOutput,
  type LSTMState,
  type LSTMOutput,
} from './layers/rnn';
export {
  RNNCell,
  LSTMCell,
  GRUCell,
  type CellOptions,
  type RNNCellOptions,
  type LSTMCellState,
} from './layers/rnn-cells';
export type { RNNNonlinearity } from './layers/rnn-steps';

// Normalization layers and EmbeddingBag (issue 19): batch, group and instance norm, their functional forms.
export { BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './layers/batch-norm';
export { GroupNorm, type GroupNormOptions } from './layers/group-norm';
export { InstanceNorm1d, InstanceNorm2d, type InstanceNormOptions } from './layers/instance-norm';
export type { NormOptions } from './layers/norm-base';
export {
  batchNorm,
  instanceNorm,
  groupNorm,
  type FunctionalBatchNormOptions,
  type FunctionalInstanceNormOptions,
  type FunctionalGroupNormOptions,
} from './functional/normalization';
export {
  EmbeddingBag,
  embeddingBag,
  type EmbeddingBagMode,
  type EmbeddingBagOptions,
  type FunctionalEmbeddingBagOptions,
} from './layers/embedding-bag';

// Losses of issue 19: nll, robust regression, KL divergence, cosine similarity, ranking and likelihoods.
export { nllLoss, type NllOptions } from './losses/nll';
export { l1Loss, huberLoss, smoothL1Loss, type HuberOptions, type SmoothL1Options } from './losses/robust';
export { klDivLoss, type KlDivOptions, type KlReduction } from './losses/divergence';
export {
  cosineSimilarity,
  cosineEmbeddingLoss,
  type CosineSimilarityOptions,
  type CosineEmbeddingOptions,
} from './losses/similarity';
export {
  marginRankingLoss,
  tripletMarginLoss,
  type MarginRankingOptions,
  type TripletMarginOptions,
} from './losses/ranking';
export {
  gaussianNllLoss,
  poissonNllLoss,
  type GaussianNllOptions,
  type PoissonNllOptions,
} from './losses/likelihood';

// Layer norms, embeddings, attention and transformers (issue 19).
export { LayerNorm, RMSNorm, type LayerNormLayerOptions, type RmsNormLayerOptions } from './layers/layer-norm';
export { layerNorm, rmsNorm, type LayerNormOptions, type RmsNormOptions } from './functional/layer-norm';
export { Embedding, type EmbeddingLayerOptions, type FromPretrainedOptions } from './layers/embedding';
export { embedding, type EmbeddingOptions } from './functional/embedding';
export {
  scaledDotProductAttention,
  type ScaledDotProductAttentionOptions,
  type AttentionResult,
} from './functional/attention';
export {
  MultiheadAttention,
  type MultiheadAttentionOptions,
  type MultiheadAttentionForwardOptions,
  type MultiheadAttentionOutput,
  type AttentionNames,
  type CallShape,
} from './layers/attention';
export {
  TransformerEncoderLayer,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerDecoder,
  generateSquareSubsequentMask,
  type TransformerActivation,
  type TransformerLayerOptions,
  type TransformerEncoderLayerForwardOptions,
  type TransformerEncoderForwardOptions,
  type TransformerDecoderForwardOptions,
  type TransformerStackOptions,
} from './layers/transformer';

// Initializers and activation modules of issue 19: PyTorch's remaining
// torch.nn.init functions (also all together as the `init` namespace, the
// only home of init.zeros, init.ones and init.eye, whose bare names are
// core's), and a module for each of core's activation functions.
export * as init from './init/namespace';
export { kaimingUniform, kaimingNormal, type KaimingOptions } from './init';
export { orthogonal, dirac, type OrthogonalOptions, type DiracOptions } from './init/structured';
export { truncNormal, type TruncNormalOptions } from './init/trunc-normal';
export {
  SiLU,
  Mish,
  SELU,
  Hardswish,
  Hardsigmoid,
  ReLU6,
  Softsign,
  Tanhshrink,
  LogSigmoid,
  GELU,
  ELU,
  CELU,
  Hardtanh,
  Softplus,
  Softshrink,
  Hardshrink,
  Threshold,
  type GELUOptions,
  type AlphaOptions,
  type HardtanhOptions,
  type SoftplusOptions,
  type ShrinkOptions,
} from './layers/activation-elementwise';
export { LogSoftmax, Softmin, Softmax2d, GLU, softmin, glu, type AxisOptions } from './layers/activation-axis';
export { PReLU, RReLU, prelu, type PReLUOptions, type RReLUOptions } from './layers/activation-slopes';

// Convolution, pooling, resampling and channel dropout layers (issue 19).
export {
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  ConvNd,
  ConvTransposeNd,
  type ConvLayerOptions,
  type ConvTransposeLayerOptions,
  type PaddingMode,
} from './layers/conv';
export {
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  MaxPoolNd,
  AvgPoolNd,
  AdaptivePoolNd,
  AdaptiveAvgPoolNd,
  AdaptiveMaxPoolNd,
  type MaxPoolLayerOptions,
  type AvgPoolLayerOptions,
  type AvgPool2dLayerOptions,
  type AdaptiveMaxPoolLayerOptions,
  type MaxPoolOutput,
} from './layers/pooling';
export { Upsample, type UpsampleOptions } from './layers/resampling';
export { Dropout1d, Dropout2d, Dropout3d, ChannelDropout } from './layers/dropout';
export { Unflatten } from './layers/flatten';
