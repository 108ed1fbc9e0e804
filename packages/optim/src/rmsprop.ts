/**
 * RMSprop with PyTorch's update rule (torch.optim.RMSprop). Per parameter,
 * with d the gradient:
 *
 *   d ← -d                                  if maximize
 *   d ← d + weightDecay · p                 if weightDecay ≠ 0
 *   v ← α · v + (1 - α) · d²
 *   if centered: a ← α · a + (1 - α) · d,   avg ← √(v - a²) + eps
 *   else:                                   avg ← √v + eps
 *   if momentum > 0: buf ← momentum · buf + d / avg,   p ← p - lr · buf
 *   else:            p ← p - lr · d / avg
 */
import { Tensor, zerosLike } from '@chainrule/core';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { flag, nonNegative, unitInterval, type OptionTable } from './options';
import type { Params } from './param-groups';
import type { FloatArray, Slot } from './slots';
import type { OptimizerSpec, StateTable } from './state-dict';

/** The options of an RMSprop parameter group. */
export interface RMSpropGroupOptions {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance of the gradient instead of its second moment (default false). */
  centered: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** RMSprop's constructor options; every one has a default. */
export type RMSpropOptions = Partial<RMSpropGroupOptions> & OptimizerOptions;

/** RMSprop's per-parameter state. */
export type RMSpropState = {
  /** Updates made to this parameter so far. */
  step: number;
  /** Running average v of the squared gradient. */
  squareAvg: Tensor;
  /** Momentum buffer (momentum > 0 only). */
  momentumBuffer?: Tensor;
  /** Running average a of the gradient (centered only). */
  gradAvg?: Tensor;
};

const options: OptionTable<RMSpropGroupOptions> = {
  lr: nonNegative(1e-2),
  // NOTE: PyTorch accepts any alpha ≥ 0; above 1 the average's weights turn
  // negative and v can go below zero, so chainrule refuses it.
  alpha: unitInterval(0.99),
  eps: nonNegative(1e-8),
  weightDecay: nonNegative(0),
  momentum: nonNegative(0),
  centered: flag(false),
  maximize: flag(false),
};

const state: StateTable<RMSpropState> = {
  step: { kind: 'count', required: true },
  squareAvg: { kind: 'tensor', required: true },
  momentumBuffer: { kind: 'tensor', required: false },
  gradAvg: { kind: 'tensor', required: false },
};

const spec: OptimizerSpec<RMSpropGroupOptions, RMSpropState> = { name: 'RMSprop', options, state };

/**
 * RMSprop (Hinton), optionally centered and with momentum, exactly as
 * torch.optim.RMSprop.
 *
 * @example
 * const optimizer = new RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropGroupOptions, RMSpropState> {
  constructor(params: Params<RMSpropGroupOptions>, options: RMSpropOptions = {}) {
    super(spec, params, options);
  }

  protected override update(slot: Slot, group: Readonly<RMSpropGroupOptions>): void {
    const { param } = slot;
    let s = this.state.get(param);
    if (s === undefined) this.state.set(param, (s = { step: 0, squareAvg: zerosLike(param) }));
    // Buffers start at zero, as PyTorch's do, also when momentum or
    // centering is switched on after the first step.
    if (group.momentum > 0) s.momentumBuffer ??= zerosLike(param);
    if (group.centered) s.gradAvg ??= zerosLike(param);
    s.step += 1;
    rmspropKernel(slot, s, group);
  }
}

function rmspropKernel(slot: Slot, s: RMSpropState, o: Readonly<RMSpropGroupOptions>): void {
  const { p, po, g, go, n } = slot;
  const { lr, alpha, eps, weightDecay, momentum } = o;
  const v = s.squareAvg.buffer as FloatArray;
  const a = o.centered ? (s.gradAvg?.buffer as FloatArray) : null;
  const buf = momentum > 0 ? (s.momentumBuffer?.buffer as FloatArray) : null;
  const sign = o.maximize ? -1 : 1;
  for (let k = 0; k < n; k++) {
    const pk = p[po + k]!;
    let d = sign * g[go + k]!;
    if (weightDecay !== 0) d += weightDecay * pk;
    v[k] = alpha * v[k]! + (1 - alpha) * d * d;
    let avg: number;
    if (a !== null) {
      a[k] = alpha * a[k]! + (1 - alpha) * d;
      // NOTE: v - a² ≥ 0 in exact arithmetic, but rounding can take it below 0 when the
      // gradient barely varies; PyTorch then takes √ of a negative number and the parameter
      // becomes NaN. Clamping at 0 differs from PyTorch only where PyTorch gives NaN.
      avg = Math.sqrt(Math.max(v[k]! - a[k]! * a[k]!, 0)) + eps;
    } else {
      avg = Math.sqrt(v[k]!) + eps;
    }
    if (buf !== null) {
      buf[k] = momentum * buf[k]! + d / avg;
      p[po + k] = pk - lr * buf[k]!;
    } else {
      p[po + k] = pk - (lr * d) / avg;
    }
  }
}
