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
