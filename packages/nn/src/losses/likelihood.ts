/**
 * Negative log-likelihoods of a predicted distribution: Gaussian (PyTorch's
 * GaussianNLLLoss, with a predicted variance) and Poisson (PoissonNLLLoss,
 * for counts).
 */
import { ArgumentError, ShapeError, where, type Tensor } from '@chainrule/core';
import { booleanOption, sameShape } from '@chainrule/core/internal';
import {
  checkSameShape,
  clampMinStraightThrough,
  floatTensor,
  numberOption,
  reduce,
  reductionOf,
  type ReductionOptions,
} from './common';

/** Options of `gaussianNllLoss`. */
export interface GaussianNllOptions extends ReductionOptions {
  /** Add the constant ½·log(2π) to each element (default false). */
  full?: boolean;
  /** Variances below eps are raised to eps: a finite number ≥ 0 (default 1e-6). */
  eps?: number;
}

/** Options of `poissonNllLoss`. */
export interface PoissonNllOptions extends ReductionOptions {
  /** The input is the log of the rate λ (default true): loss e^input - target·input; else input - target·log(input + eps). */
  logInput?: boolean;
  /** Add Stirling's approximation of log(target!) for targets > 1 (default false). */
  full?: boolean;
  /** Keeps log(input + eps) finite at input = 0 when `logInput` is false: a finite number ≥ 0 (default 1e-8). */
  eps?: number;
}

const halfLogTwoPi = 0.5 * Math.log(2 * Math.PI);

/**
 * Gaussian negative log-likelihood (PyTorch's GaussianNLLLoss) of `target`
 * under N(input, var): ½·(log max(var, eps) + (input - target)² / max(var, eps))
 * per element, plus ½·log(2π) with `full`. `var` has the input's shape
 * (one variance per prediction), or the input's shape without its last axis,
 * or with that axis of size 1 (one variance shared along the last axis);
 * variances must be ≥ 0.
 * NOTE: as PyTorch (which clamps a copy under no_grad), the clamp passes the
 * gradient of var through unchanged, even where var < eps.
 *
 * @example
 * gaussianNllLoss(mu, y, sigma.square()); // heteroscedastic regression
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  options: GaussianNllOptions = {},
): Tensor {
  const op = 'gaussianNllLoss';
  const reduction = reductionOf(op, options, ['reduction', 'full', 'eps']);
  const full = booleanOption(op, 'full', options.full, false);
  const eps = numberOption(op, 'eps', options.eps, 1e-6, (v) => v >= 0 && v < Infinity, 'a finite number ≥ 0');
  const mu = floatTensor(op, 'the input (mean)', input);
  const y = floatTensor(op, 'the target', target);
  checkSameShape(op, mu, y);
  let v = floatTensor(op, 'var', variance);
  const shape = mu.shape;
  const lead = shape.slice(0, -1);
  if (!sameShape(v.shape, shape)) {
    if (shape.length > 0 && sameShape(v.shape, lead)) v = v.unsqueeze(-1);
    else if (!(shape.length > 0 && sameShape(v.shape, [...lead, 1]))) {
      const allowed =
        shape.length > 0 ? `[${shape.join(',')}], [${lead.join(',')}] or [${[...lead, 1].join(',')}]` : '[]';
      throw new ShapeError(
        op,
        `var of shape [${v.shape.join(',')}] fits no input of shape [${shape.join(',')}]: expected ${allowed} (one variance per element, or one per row of the last axis)`,
      );
    }
  }
  const values = v.data();
  for (let i = 0; i < values.length; i++) {
    const value = values[i] as number;
    if (value < 0) throw new ArgumentError(op, `var must be ≥ 0, element ${i} is ${value}`);
  }
  const clamped = clampMinStraightThrough(v, eps);
  // d/dinput = (input - target)/var; d/dvar = ½(1/var - (input - target)²/var²).
  const losses = clamped.log().add(mu.sub(y).square().div(clamped)).mul(0.5);
  return reduce(full ? losses.add(halfLogTwoPi) : losses, reduction);
}

/**
 * Poisson negative log-likelihood (PyTorch's PoissonNLLLoss) of counts
 * `target` under rate λ, up to the constant log(target!): with `logInput`
 * (default) the input is log λ and the loss e^input - target·input; else the
 * input is λ and the loss input - target·log(input + eps). With `full`,
 * Stirling's target·log target - target + ½·log(2π·target) is added where
 * target > 1 (0 elsewhere, as PyTorch).
 *
 * @example
 * poissonNllLoss(logRate, counts);                       // logInput: exp(logRate) - counts·logRate
 * poissonNllLoss(rate, counts, { logInput: false });
 */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNllOptions = {}): Tensor {
  const op = 'poissonNllLoss';
  const reduction = reductionOf(op, options, ['reduction', 'logInput', 'full', 'eps']);
  const logInput = booleanOption(op, 'logInput', options.logInput, true);
  const full = booleanOption(op, 'full', options.full, false);
  const eps = numberOption(op, 'eps', options.eps, 1e-8, (v) => v >= 0 && v < Infinity, 'a finite number ≥ 0');
  const x = floatTensor(op, 'the input', input);
  const y = floatTensor(op, 'the target', target);
  checkSameShape(op, x, y);
  // d/dinput = e^input - target (logInput) or 1 - target/(input + eps).
  let losses = logInput ? x.exp().sub(y.mul(x)) : x.sub(y.mul(x.add(eps).log()));
  if (full) {
    // NOTE: Stirling's term is evaluated at a harmless 2 where target ≤ 1 and
    // then dropped, so its log(0) and log of a negative cannot put NaN into
    // the target's gradient (PyTorch's masked_fill would).
    const counted = y.gt(1);
    const t = where(counted, y, 2);
    const stirling = t
      .mul(t.log())
      .sub(t)
      .add(
        t
          .mul(2 * Math.PI)
          .log()
          .mul(0.5),
      );
    losses = losses.add(where(counted, stirling, 0));
  }
  return reduce(losses, reduction);
}
