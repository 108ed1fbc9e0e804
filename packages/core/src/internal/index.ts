/**
 * @chainrule/core/internal: helpers that core, @chainrule/nn and
 * @chainrule/optim share so that they check and word the same mistake the
 * same way (how a bad value is shown, how options are checked, which tensors
 * can be updated in place). For chainrule's own packages: not part of the
 * public API, and it may change in any release.
 */
export { describeValue, describeList } from './describe';
export {
  optionsObject,
  checkOptionKeys,
  isOptionsObject,
  valueOr,
  booleanOption,
  optionalBoolean,
  unknownOptionMessage,
  badOptionMessage,
  type OptionKeys,
} from './options';
export { notWritable, type NotWritable } from './writable';
export { firstNonFinite } from './numbers';
export { formatShape, sameShape } from '../tensor/shape';
// The fused Adam/AdamW update in WebAssembly SIMD, for @chainrule/optim.
export { adamUpdateF32, type AdamUpdateArrays, type AdamUpdateConstants } from '../optimizer-kernels';
// Op tracing, for @chainrule/onnx's exporter.
export { traceOps, isTracing, type TraceRecord, type ValueRead } from '../ops/trace';
// Faults tests plant in the backward pass, to prove the program properties catch them (issue 24).
export { plantFault } from '../autograd/planted-faults';
// Leaf gradients that zeroGrad may recycle (issue 20): read .grad without marking it seen, clear it.
export { peekGrad, releaseGrad } from '../tensor/tensor';
