/**
 * Stochastic gradient descent with PyTorch's update rule (torch.optim.SGD).
 * Per parameter, with d the gradient:
 *
 *   d ← -d                            if maximize
 *   d ← d + weightDecay · p           if weightDecay ≠ 0
 *   if momentum ≠ 0:
 *     buf ← d                         at the parameter's first update
 *     buf ← momentum · buf + (1 - dampening) · d   afterwards
 *     d ← d + momentum · buf          if nesterov, else d ← buf
 *   p ← p - lr · d
 */
import { Tensor, addInPlace, zerosLike } from '@chainrule/core';
import { peekGrad } from '@chainrule/core/internal';
import { Optimizer, type OptimizerOptions } from './optimizer';
import { finiteNumber, flag, nonNegative, type OptionTable } from './options';
import type { Params } from './param-groups';
import type { FloatArray, Slot } from './slots';
import type { OptimizerSpec, StateTable } from './state-dict';

/** The options of an SGD parameter group. */
export interface SGDGroupOptions {
  lr: number;
  /** Momentum factor (default 0: plain gradient descent). */
  momentum: number;
  /** Scales down the gradient's share of the momentum buffer: buf ← m·buf + (1 - dampening)·d (default 0). */
  dampening: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov: boolean;
  /** L2 penalty added to the gradient: d ← d + weightDecay · p (default 0). */
  weightDecay: number;
  /** Ascend instead of descend (default false). */
  maximize: boolean;
}

/** SGD's constructor options: `lr` is required, the rest default as in PyTorch. */
export type SGDOptions = Pick<SGDGroupOptions, 'lr'> & Partial<SGDGroupOptions> & OptimizerOptions;

/** SGD's per-parameter state: the momentum buffer, once momentum has been used. */
export type SGDState = { momentumBuffer?: Tensor };

const options: OptionTable<SGDGroupOptions> = {
  lr: nonNegative(),
  momentum: nonNegative(0),
  dampening: finiteNumber(0),
  nesterov: flag(false),
  weightDecay: nonNegative(0),
  maximize: flag(false),
};

const state: StateTable<SGDState> = { momentumBuffer: { kind: 'tensor', required: false } };

const spec: OptimizerSpec<SGDGroupOptions, SGDState> = {
  name: 'SGD',
  options,
  // PyTorch's rule: Nesterov's look-ahead is defined for undampened momentum.
  check: (o) =>
    o.nesterov && (o.momentum <= 0 || o.dampening !== 0)
      ? `nesterov needs momentum > 0 and dampening 0, got momentum ${o.momentum} and dampening ${o.dampening}`
      : null,
  state,
};

/**
 * Stochastic gradient descent, optionally with (Nesterov) momentum and weight
 * decay, exactly as torch.optim.SGD.
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * optimizer.zeroGrad();
 * loss.backward();
 * optimizer.step();
 */
export class SGD extends Optimizer<SGDGroupOptions, SGDState> {
  constructor(params: Params<SGDGroupOptions>, options: SGDOptions) {
    super(spec, params, options);
  }

  protected override update(slot: Slot, group: Readonly<SGDGroupOptions>): void {
    const { lr, momentum, dampening, nesterov, weightDecay, maximize } = group;
    const { p, po, g, go, n } = slot;
    if (momentum === 0 && weightDecay === 0 && !slot.copied) {
      // PyTorch's param.add_(grad, alpha=-lr): p + (-lr)·g is p - lr·g bit for
      // bit, and core's in-place kernel runs it in SIMD for float32 (this
      // loop was a fifth of a small MLP's training step in plain JavaScript).
      addInPlace(slot.param, peekGrad(slot.param) as Tensor, maximize ? lr : -lr);
      return;
    }
    if (momentum === 0) {
      plainStep(p, po, g, go, n, lr, weightDecay, maximize);
      return;
    }
    let s = this.state.get(slot.param);
    if (s === undefined) this.state.set(slot.param, (s = {}));
    const first = s.momentumBuffer === undefined;
    s.momentumBuffer ??= zerosLike(slot.param);
    const buf = s.momentumBuffer.buffer as FloatArray;
    momentumStep({
      p,
      po,
      g,
      go,
      buf,
      n,
      lr,
      momentum,
      gradShare: first ? 0 : 1 - dampening,
      first,
      nesterov,
      weightDecay,
      maximize,
    });
  }
}

function plainStep(
  p: FloatArray,
  po: number,
  g: FloatArray,
  go: number,
  n: number,
  lr: number,
  wd: number,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  if (wd === 0) {
    // sign·g is exact, so this is p - lr·g (or p + lr·g) bit for bit.
    for (let k = 0; k < n; k++) p[po + k] = p[po + k]! - lr * (sign * g[go + k]!);
    return;
  }
  for (let k = 0; k < n; k++) {
    const pk = p[po + k]!;
    p[po + k] = pk - lr * (sign * g[go + k]! + wd * pk);
  }
}

/** What one momentum update reads and writes: the slot's arrays, the buffer, and the group's settings. */
interface MomentumStep {
  readonly p: FloatArray;
  readonly po: number;
  readonly g: FloatArray;
  readonly go: number;
  /** The momentum buffer, contiguous from 0. */
  readonly buf: FloatArray;
  readonly n: number;
  readonly lr: number;
  readonly momentum: number;
  /** 1 - dampening, or 0 at the first update (when the buffer is set to d). */
  readonly gradShare: number;
  readonly first: boolean;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  readonly maximize: boolean;
}

// One named object instead of 13 positional numbers and flags, which were
// easy to pass in the wrong order. Destructured once, outside the loop: the
// loop reads locals, as before (timed the same, see the commit message).
function momentumStep(step: MomentumStep): void {
  const { p, po, g, go, buf, n, lr, momentum, gradShare, first, nesterov, weightDecay: wd, maximize } = step;
  const sign = maximize ? -1 : 1;
  for (let k = 0; k < n; k++) {
    const pk = p[po + k]!;
    let d = sign * g[go + k]!;
    if (wd !== 0) d += wd * pk;
    // Reading the buffer back after storing it rounds it to the parameter's
    // dtype, as PyTorch's buffer tensor is.
    buf[k] = first ? d : momentum * buf[k]! + gradShare * d;
    const b = buf[k]!;
    p[po + k] = pk - lr * (nesterov ? d + momentum * b : b);
  }
}
