/**
 * @chainrule/core: reverse-mode automatic differentiation. A scalar `Value`
 * graph for learning and small models, an n-dimensional `Tensor` graph for
 * real work, functional transforms (grad, vjp, jvp, hessian), custom ops and
 * graph drawings. The public surface, and nothing else.
 */
export { ChainruleError, ShapeError, DTypeError, GraphError, ArgumentError, IndexError } from './errors';
// NOTE: Tensor first. tensor.ts and the op modules import each other (methods
// delegate to ops, ops make Tensors); loading tensor.ts first lets every op
// module finish loading before tensor.ts's own body runs.
export { Tensor } from './tensor/tensor';
export { AnomalyError, detectAnomaly, isAnomalyEnabled } from './autograd/anomaly';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode';
export { gradients, type BackwardOptions, type GradientsOptions } from './tensor/backward';
export type { Node } from './tensor/node';

export { Value, value, type ValueLike, type ValueOptions, type ValueBackwardOptions } from './value/value';

export type { DType, FloatDType } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export type { Nested } from './tensor/format';
export { Generator, manualSeed, defaultGenerator } from './tensor/random';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  eye,
  arange,
  linspace,
  rand,
  randn,
  randLike,
  randnLike,
  randperm,
  type CreateOptions,
  type RandomOptions,
  type TensorData,
} from './tensor/create';

export type { TensorLike, OpDef, BackwardContext } from './ops/define';
export {
  unaryOps,
  neg,
  exp,
  log,
  log1p,
  sqrt,
  abs,
  sign,
  sin,
  cos,
  tanh,
  sigmoid,
  relu,
  leakyRelu,
  softplus,
  square,
  reciprocal,
  clamp,
} from './ops/unary';
export { binaryOps, add, sub, mul, div, pow, maximum, minimum } from './ops/binary';
export { eq, ne, gt, ge, lt, le, logicalAnd, logicalOr, logicalNot, where } from './ops/compare';
export { sum, mean, max, min, argmax, argmin, logsumexp, variance, type AxisArg, type VarOptions } from './ops/reduce';
export { softmax, logSoftmax } from './ops/softmax';
export {
  reshape,
  flatten,
  permute,
  transpose,
  squeeze,
  unsqueeze,
  expand,
  slice,
  concat,
  stack,
  contiguous,
  clone,
} from './ops/shape';
export { gather, indexSelect, oneHot } from './ops/index-ops';
export { matmul, dot, outer } from './ops/linalg';
export { linear } from './ops/linear';
export { addInPlace, subInPlace, mulInPlace, copyFrom, fill } from './ops/inplace';
export { to } from './ops/cast';
export { customOp, type CustomOpSpec, type ForwardContext, type CustomBackwardContext } from './ops/custom';
// Convolution, pooling and unfold (issue 16).
export { unfold, fold, type UnfoldOptions } from './ops/unfold';
export type { SizeArg } from './ops/window-args';
export {
  conv1d,
  conv2d,
  conv3d,
  convTranspose1d,
  convTranspose2d,
  convTranspose3d,
  type ConvOptions,
  type ConvTransposeOptions,
} from './ops/conv';
export {
  maxPool1d,
  maxPool2d,
  maxPool3d,
  maxPool1dWithIndices,
  maxPool2dWithIndices,
  maxPool3dWithIndices,
  avgPool1d,
  avgPool2d,
  avgPool3d,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  type MaxPoolOptions,
  type AvgPoolOptions,
  type AdaptiveSize,
  type PoolWithIndices,
} from './ops/pool';
export { maxUnpool1d, maxUnpool2d, type MaxUnpoolOptions } from './ops/unpool';
export { pad, type PadOptions, type PadMode } from './ops/pad';
export { interpolate, type InterpolateOptions, type InterpolateMode } from './ops/interpolate';

export { grad, valueAndGrad, type GradOptions } from './functional/grad';
export { vjp, type VjpFunction } from './functional/vjp';
export { jvp } from './functional/jvp';
export { jacobian, hessian } from './functional/jacobian';
export type { TensorFunction } from './functional/inputs';

export { toDot } from './viz/dot';
export { toMermaid } from './viz/mermaid';
export type { DrawOptions } from './viz/graph';

export { setBackend, getBackend, setNumThreads, getNumThreads, type BackendName } from './kernel-settings';
