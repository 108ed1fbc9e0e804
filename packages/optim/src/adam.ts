/**
 * Adam and AdamW with PyTorch's update rules (torch.optim.Adam, AdamW).
 * Per parameter, with d the gradient and t the parameter's step count:
 *
 *   t ← t + 1
 *   d ← -d                                    if maximize
 *   Adam:  d ← d + weightDecay · p            if weightDecay ≠ 0 (L2 penalty)
 *   AdamW: p ← p · (1 - lr · weightDecay)     (decoupled weight decay)
 *   m ← β1 · m + (1 - β1) · d
 *   v ← β2 · v + (1 - β2) · d²
 *   v̂ ← max(v̂, v) and use v̂ for v below      if amsgrad
 *   p ← p - (lr / (1 - β1^t)) · m / (√v / √(1 - β2^t) + eps)
 */
import { Tensor, zerosLike } from '@chainrule/core';
import { adamUpdateF32 } from '@chainrule/core/internal';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { betaPair, flag, nonNegative, type OptionTable } from './options';
import type { Params } from './param-groups';
import type { FloatArray, Slot } from './slots';
import type { OptimizerSpec, StateTable } from './state-dict';

/** The options of an Adam or AdamW parameter group. */
export interface AdamGroupOptions {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates [β1, β2] of the first and second moment estimates (default [0.9, 0.999]). */
  betas: readonly [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay rate (default 1e-2). */
  weightDecay: number;
  /** Use the running maximum of the second moment (AMSGrad, default false). */
  amsgrad: boolean;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** Adam's and AdamW's constructor options; every one has a default. */
export type AdamOptions = Partial<AdamGroupOptions> & OptimizerOptions;

/** Adam's per-parameter state. */
export type AdamState = {
  /** Updates made to this parameter so far (t). */
  step: number;
  /** First moment estimate m. */
  expAvg: Tensor;
  /** Second moment estimate v. */
  expAvgSq: Tensor;
  /** Running maximum of v (amsgrad only). */
  maxExpAvgSq?: Tensor;
};

function table(weightDecay: number): OptionTable<AdamGroupOptions> {
  return {
    lr: nonNegative(1e-3),
    betas: betaPair([0.9, 0.999]),
    eps: nonNegative(1e-8),
    weightDecay: nonNegative(weightDecay),
    amsgrad: flag(false),
    maximize: flag(false),
  };
}

const state: StateTable<AdamState> = {
  step: { kind: 'count', required: true },
  expAvg: { kind: 'tensor', required: true },
  expAvgSq: { kind: 'tensor', required: true },
  maxExpAvgSq: { kind: 'tensor', required: false },
};

const adamSpec: OptimizerSpec<AdamGroupOptions, AdamState> = { name: 'Adam', options: table(0), state };
const adamWSpec: OptimizerSpec<AdamGroupOptions, AdamState> = { name: 'AdamW', options: table(1e-2), state };

/** What the shared kernel needs to know about the variant. */
interface Variant {
  readonly decoupled: boolean;
}

abstract class AdamBase extends Optimizer<AdamGroupOptions, AdamState> {
  protected abstract readonly variant: Variant;

  protected override update(slot: Slot, group: Readonly<AdamGroupOptions>): void {
    const { param } = slot;
    let s = this.state.get(param);
    if (s === undefined) {
      s = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
      this.state.set(param, s);
    }
    if (group.amsgrad) s.maxExpAvgSq ??= zerosLike(param);
    s.step += 1;
    adamKernel(slot, s, group, this.variant.decoupled);
  }
}

function adamKernel(slot: Slot, s: AdamState, o: Readonly<AdamGroupOptions>, decoupled: boolean): void {
  const { p, po, g, go, n } = slot;
  const [beta1, beta2] = o.betas;
  const { lr, eps } = o;
  const m = s.expAvg.buffer as FloatArray;
  const v = s.expAvgSq.buffer as FloatArray;
  const vmax = o.amsgrad ? (s.maxExpAvgSq?.buffer as FloatArray) : null;
  const stepSize = lr / (1 - beta1 ** s.step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** s.step);
  const sign = o.maximize ? -1 : 1;
  const l2 = decoupled ? 0 : o.weightDecay;
  const shrink = decoupled ? 1 - lr * o.weightDecay : 1;
  // Large float32 parameters: core runs this same loop in SIMD, bit for bit.
  if (
    p instanceof Float32Array &&
    g instanceof Float32Array &&
    m instanceof Float32Array &&
    v instanceof Float32Array &&
    (vmax === null || vmax instanceof Float32Array)
  ) {
    if (adamUpdateF32({ p, po, g, go, m, v, vmax, n }, { sign, l2, shrink, beta1, beta2, stepSize, bc2Sqrt, eps }))
      return;
  }
  for (let k = 0; k < n; k++) {
    let pk = p[po + k]!;
    let d = sign * g[go + k]!;
    if (l2 !== 0) d += l2 * pk;
    if (decoupled) pk *= shrink;
    // Moments are read back after each store so that they carry the
    // parameter's precision, as PyTorch's state tensors do.
    m[k] = beta1 * m[k]! + (1 - beta1) * d;
    v[k] = beta2 * v[k]! + (1 - beta2) * d * d;
    let second = v[k]!;
    if (vmax !== null) {
      if (second > vmax[k]!) vmax[k] = second;
      second = vmax[k]!;
    }
    // PyTorch's addcdiv multiplies before it divides: p + (-stepSize · m) / denom.
    p[po + k] = pk - (stepSize * m[k]!) / (Math.sqrt(second) / bc2Sqrt + eps);
  }
}

/**
 * Adam (Kingma & Ba), with `weightDecay` as an L2 penalty added to the
 * gradient and an optional AMSGrad variant, exactly as torch.optim.Adam.
 *
 * @example
 * const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly variant: Variant = { decoupled: false };

  constructor(params: Params<AdamGroupOptions>, options: AdamOptions = {}) {
    super(adamSpec, params, options);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with weight decay decoupled from the
 * gradient (p ← p·(1 - lr·weightDecay) before the Adam step), exactly as
 * torch.optim.AdamW. Its weightDecay defaults to 1e-2.
 *
 * @example
 * const optimizer = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 */
export class AdamW extends AdamBase {
  protected readonly variant: Variant = { decoupled: true };

  constructor(params: Params<AdamGroupOptions>, options: AdamOptions = {}) {
    super(adamWSpec, params, options);
  }
}
