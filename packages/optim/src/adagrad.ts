/**
 * Adagrad with PyTorch's update rule (torch.optim.Adagrad). Per parameter,
 * with d the gradient and t the parameter's step count:
 *
 *   t ← t + 1
 *   d ← -d                              if maximize
 *   d ← d + weightDecay · p             if weightDecay ≠ 0
 *   clr ← lr / (1 + (t - 1) · lrDecay)
 *   s ← s + d²                          (s starts at initialAccumulatorValue)
 *   p ← p - clr · d / (√s + eps)
 */
import { Tensor, fullLike } from '@chainrule/core';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { flag, nonNegative, type OptionTable } from './options';
import type { Params } from './param-groups';
import type { FloatArray, Slot } from './slots';
import type { OptimizerSpec, StateTable } from './state-dict';

/** The options of an Adagrad parameter group. */
export interface AdagradGroupOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay per step (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Where the sum of squared gradients starts (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for numerical stability (default 1e-10). */
  eps: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Adagrad's constructor options; every one has a default. */
export type AdagradOptions = Partial<AdagradGroupOptions> & OptimizerOptions;

/** Adagrad's per-parameter state. */
export type AdagradState = {
  /** Updates made to this parameter so far (t). */
  step: number;
  /** Sum s of the squared gradients (plus the initial value). */
  sum: Tensor;
};

const options: OptionTable<AdagradGroupOptions> = {
  lr: nonNegative(1e-2),
  lrDecay: nonNegative(0),
  weightDecay: nonNegative(0),
  initialAccumulatorValue: nonNegative(0),
  eps: nonNegative(1e-10),
  maximize: flag(false),
};

const state: StateTable<AdagradState> = {
  step: { kind: 'count', required: true },
  sum: { kind: 'tensor', required: true },
};

const spec: OptimizerSpec<AdagradGroupOptions, AdagradState> = { name: 'Adagrad', options, state };

/**
 * Adagrad (Duchi et al.), exactly as torch.optim.Adagrad (dense gradients).
 *
 * NOTE: PyTorch creates the accumulator in the constructor; chainrule creates
 * it at a parameter's first update, from the group's initialAccumulatorValue
 * at that time. The updates are the same; a state dict saved before the
 * first step simply has no entries yet.
 *
 * @example
 * const optimizer = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-4 });
 */
export class Adagrad extends Optimizer<AdagradGroupOptions, AdagradState> {
  constructor(params: Params<AdagradGroupOptions>, options: AdagradOptions = {}) {
    super(spec, params, options);
  }

  protected override update(slot: Slot, group: Readonly<AdagradGroupOptions>): void {
    const { param } = slot;
    let s = this.state.get(param);
    if (s === undefined) {
      s = { step: 0, sum: fullLike(param, group.initialAccumulatorValue) };
      this.state.set(param, s);
    }
    s.step += 1;
    adagradKernel(slot, s, group);
  }
}

function adagradKernel(slot: Slot, s: AdagradState, o: Readonly<AdagradGroupOptions>): void {
  const { p, po, g, go, n } = slot;
  const { eps, weightDecay } = o;
  const clr = o.lr / (1 + (s.step - 1) * o.lrDecay);
  const sum = s.sum.buffer as FloatArray;
  const sign = o.maximize ? -1 : 1;
  for (let k = 0; k < n; k++) {
    const pk = p[po + k]!;
    let d = sign * g[go + k]!;
    if (weightDecay !== 0) d += weightDecay * pk;
    sum[k] = sum[k]! + d * d;
    p[po + k] = pk - (clr * d) / (Math.sqrt(sum[k]!) + eps);
  }
}
