/**
 * @chainrule/nn: the layer library of the textbook's feed-forward network —
 * modules and Dense sigmoid layers (a = σ(W a_prev + b)), losses built from
 * core's primitive ops, seeded initializers, mini-batches and scalers, and
 * weights saved as safetensors. Browser-safe; file helpers are in
 * '@chainrule/nn/node'.
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
