/**
 * @chainrule/optim: optimizers (SGD, Adam, AdamW, RMSprop, Adagrad),
 * learning-rate schedulers and gradient clipping, with PyTorch's update
 * rules and semantics. The public surface, and nothing else.
 *
 * @module @chainrule/optim
 */
export { Optimizer, type OptimizerOptions, type LrOption } from './optimizer';
export type { ParamGroup, ParamGroupSpec, Params } from './param-groups';
export { NonFiniteGradientError, type NonFiniteMode } from './slots';
export type { OptimizerStateDict, SavedGroup } from './state-dict';

export { SGD, type SGDOptions, type SGDGroupOptions, type SGDState } from './sgd';
export { Adam, AdamW, type AdamOptions, type AdamGroupOptions, type AdamState } from './adam';
export { RMSprop, type RMSpropOptions, type RMSpropGroupOptions, type RMSpropState } from './rmsprop';
export { Adagrad, type AdagradOptions, type AdagradGroupOptions, type AdagradState } from './adagrad';

export {
  LRScheduler,
  type AnyOptimizer,
  type SchedulerProgress,
  type SchedulerStateDict,
} from './schedulers/scheduler';
export { StepLR, MultiStepLR, type StepLROptions, type MultiStepLROptions } from './schedulers/step-lr';
export { ExponentialLR, type ExponentialLROptions } from './schedulers/exponential-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr';
export {
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  type ReduceLROnPlateauStateDict,
  type PlateauProgress,
} from './schedulers/reduce-lr-on-plateau';

export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip';
