/**
 * @chainrule/core: reverse-mode automatic differentiation. A scalar `Value`
 * graph for learning and small models, an n-dimensional `Tensor` graph for
 * real work, functional transforms (grad, vjp, jvp, hessian), custom ops and
 * graph drawings. The public surface, and nothing else.
 *
 * @module @chainrule/core
 */
export {
  ChainruleError,
  ShapeError,
  DTypeError,
  GraphError,
  ArgumentError,
  IndexError,
  LinAlgError,
} from './errors';
// NOTE: Tensor first. tensor.ts and the op modules import each other (methods
// delegate to ops, ops make Tensors); loading tensor.ts first lets every op
// module finish loading before tensor.ts's own body runs.
export { Tensor } from './tensor/tensor';
export { AnomalyError, detectAnomaly, isAnomalyEnabled } from './autograd/anomaly';
export { noGrad, enableGrad, isGradEnabled } from './autograd/grad-mode';
export { gradients, type BackwardOptions, type GradientsOptions } from './tensor/backward';
export type { Node } from './tensor/node';

export { Value, value, type ValueLike, type ValueOptions, type ValueBackwardOptions } from './value/value';

export type { DType, FloatDType, IntDType } from './tensor/dtype';
export { promoteTypes } from './tensor/promotion';
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
export { resultType } from './ops/define';
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
// Unary special functions and rounding (issue 17).
export {
  specialOps,
  erf,
  erfc,
  erfinv,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  log2,
  log10,
  expm1,
  exp2,
  rsqrt,
  sinc,
  lgamma,
  digamma,
} from './ops/special';
export { roundingOps, floor, ceil, round, trunc, frac } from './ops/rounding';
export { binaryOps, add, sub, mul, div, pow, maximum, minimum } from './ops/binary';
export { eq, ne, gt, ge, lt, le, logicalAnd, logicalOr, logicalNot, where } from './ops/compare';
export {
  bitwiseAnd,
  bitwiseOr,
  bitwiseXor,
  bitwiseNot,
  bitwiseLeftShift,
  bitwiseRightShift,
} from './ops/bitwise';
export { sum, mean, max, min, argmax, argmin, logsumexp, variance, type AxisArg, type VarOptions } from './ops/reduce';
export { softmax, logSoftmax } from './ops/softmax';
// The rest of the reduce family (issue 17).
export {
  prod,
  amax,
  amin,
  norm,
  std,
  varMean,
  stdMean,
  nansum,
  nanmean,
  any,
  all,
  countNonzero,
} from './ops/reductions';
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
// Indexing (PyTorch's x[...], index_put, select, narrow, take, the scatter family, masks).
export { Ellipsis, type IndexItem, type IndexArray, type Slice } from './ops/index-plan';
export { index, indexPut, select, narrow, take, takeAlongDim, type IndexPutOptions } from './ops/indexing';
export {
  scatter,
  scatterAdd,
  scatterReduce,
  indexAdd,
  indexCopy,
  indexFill,
  type ScatterReduction,
  type ScatterReduceOptions,
  type IndexAddOptions,
} from './ops/scatter';
export { maskedFill, maskedSelect, maskedScatter, nonzero, argwhere } from './ops/masked';
export { matmul, dot, outer } from './ops/linalg';
export { linear, type LinearOptions, type FusedActivation } from './ops/linear';
export { addInPlace, subInPlace, mulInPlace, copyFrom, fill } from './ops/inplace';
export { to } from './ops/cast';
export { customOp, type CustomOpSpec, type ForwardContext, type CustomBackwardContext } from './ops/custom';
// Binary math ops, lerp and the value tests (issue 17).
export {
  binaryMathOps,
  atan2,
  copysign,
  hypot,
  logaddexp,
  logaddexp2,
  xlogy,
  remainder,
  fmod,
  floorDivide,
  fmax,
  fmin,
  lerp,
} from './ops/binary-math';
export {
  isnan,
  isinf,
  isfinite,
  isposinf,
  isneginf,
  isclose,
  nanToNum,
  type IscloseOptions,
  type NanToNumOptions,
} from './ops/value-tests';
// Activation functions (issue 17): ops/activations.ts.
export {
  relu6,
  elu,
  selu,
  celu,
  gelu,
  silu,
  mish,
  hardswish,
  hardsigmoid,
  hardtanh,
  softsign,
  logSigmoid,
  tanhshrink,
  softshrink,
  hardshrink,
  threshold,
  type GeluOptions,
} from './ops/activations';
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

// The shape toolbox: flips, rolls, triangles and diagonals, repeats, splits, stacks and grids.
export { flip, roll, movedim, swapaxes, unflatten } from './ops/shape-toolbox';
export { tril, triu, diag, diagonal, diagEmbed, trace, type DiagonalOptions } from './ops/triangular';
export { repeat, tile, repeatInterleave } from './ops/repeat';
export { split, chunk, unbind } from './ops/split';
export { atleast1d, atleast2d, atleast3d, hstack, vstack, dstack } from './ops/stacking';
export { broadcastTo, broadcastTensors, meshgrid, type MeshgridOptions } from './ops/broadcasting';
// Cumulative, sorting and search ops (issue 18).
export { cumsum, cumprod, logcumsumexp, cummax, cummin, type ValuesAndIndices } from './ops/cumulative';
export { sort, argsort, topk, kthvalue, median, mode, type SortOptions, type TopkOptions } from './ops/sort';
export { unique, type UniqueOptions, type UniqueResult } from './ops/unique';
export { searchsorted, bucketize, type SearchsortedOptions } from './ops/search';

// Contractions and linear algebra (issue 18): einsum, tensordot, bmm, kron, cross, cdist, the linalg namespace.
export { einsum } from './ops/einsum';
export { tensordot, bmm, kron, cross, cdist } from './ops/contractions';
export {
  linalg,
  type CholeskyOptions,
  type SolveTriangularOptions,
  type VectorNormOrder,
  type MatrixNormOrder,
} from './ops/linalg-extra';

// Finishing issues 17 and 18: the dtype option of sums, products and means; linalg.qr's modes and
// linalg.svd's full matrices.
export type { ReduceOptions } from './ops/reduce-dtype';
export type { QrMode, QrOptions, SvdOptions } from './ops/linalg-extra';

// What the kernels found in this runtime (WebAssembly, SIMD, shared memory, threads) and the slow-path warning (issue 20).
export { backendInfo, ready, setBackendWarnings, type BackendInfo } from './backend-info';
