/** Builds chainrule optimizers and schedulers from the fixtures' names and camelCase options. */
import type { Tensor } from '@chainrule/core';
import {
  Adagrad,
  Adam,
  AdamW,
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  MultiStepLR,
  RMSprop,
  SGD,
  StepLR,
  type LRScheduler,
  type Optimizer,
} from '../../src/index';

type AnyOptimizer = Optimizer<{ lr: number }, object>;
type GroupList = { params: Tensor[]; [option: string]: unknown }[];

// The fixtures' options are checked at runtime by the constructors; the
// casts only hand them over.
export function makeOptimizer(
  name: string,
  params: Tensor[] | GroupList,
  options: Record<string, unknown>,
): AnyOptimizer {
  switch (name) {
    case 'SGD':
      return new SGD(params as Tensor[], options as { lr: number });
    case 'Adam':
      return new Adam(params as Tensor[], options);
    case 'AdamW':
      return new AdamW(params as Tensor[], options);
    case 'RMSprop':
      return new RMSprop(params as Tensor[], options);
    case 'Adagrad':
      return new Adagrad(params as Tensor[], options);
    default:
      throw new Error(`no optimizer ${name}`);
  }
}

export function makeScheduler(
  name: string,
  optimizer: AnyOptimizer,
  options: Record<string, unknown>,
): LRScheduler<object> {
  const o = options as never;
  switch (name) {
    case 'StepLR':
      return new StepLR(optimizer, o);
    case 'MultiStepLR':
      return new MultiStepLR(optimizer, o);
    case 'ExponentialLR':
      return new ExponentialLR(optimizer, o);
    case 'CosineAnnealingLR':
      return new CosineAnnealingLR(optimizer, o);
    case 'LinearLR':
      return new LinearLR(optimizer, o);
    default:
      throw new Error(`no scheduler ${name}`);
  }
}
