/**
 * Activation modules for core's elementwise activation functions, under
 * PyTorch's class names (torch.nn's ELU, GELU, Softplus...), their settings
 * as an options object (`new ELU({ alpha: 0.5 })` for `nn.ELU(alpha=0.5)`)
 * and PyTorch's defaults. The ones along an axis are in activation-axis.ts,
 * PReLU and RReLU in activation-slopes.ts.
 *
 * Each checks its settings when it is made, so a bad one fails where it is
 * written rather than at the first forward. Each calls core's op, so values
 * and gradients (kinks included) are core's, which follow PyTorch 1.13;
 * Softplus with beta and threshold, which core's softplus lacks, is written
 * with core's ops.
 *
 * NOTE: PyTorch's `inplace` flag is not offered: autograd here never
 * overwrites an input, and the flag only saves memory there.
 */
import {
  ArgumentError,
  Tensor,
  celu,
  elu,
  gelu,
  hardshrink,
  hardsigmoid,
  hardswish,
  hardtanh,
  logSigmoid,
  mish,
  relu6,
  selu,
  silu,
  softplus,
  softshrink,
  softsign,
  tanhshrink,
  threshold,
  where,
} from '@chainrule/core';
import { badOptionMessage, describeValue, optionsObject, valueOr } from '@chainrule/core/internal';
import { Module } from '../module';
import { input } from './activation';
import { finiteOption, lambdOption, numberOption } from './activation-options';

// ------------------------------------------------------------ elementwise, no settings

/** x·σ(x), the sigmoid linear unit or swish (PyTorch's `nn.SiLU`). */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return silu(input('SiLU', x));
  }
}

/** x·tanh(softplus(x)) (PyTorch's `nn.Mish`). */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return mish(input('Mish', x));
  }
}

/** scale·elu(x, alpha) with the self-normalizing constants (PyTorch's `nn.SELU`). */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return selu(input('SELU', x));
  }
}

/** x·relu6(x + 3)/6 (MobileNetV3; PyTorch's `nn.Hardswish`). */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return hardswish(input('Hardswish', x));
  }
}

/** relu6(x + 3)/6, a piecewise-linear sigmoid (PyTorch's `nn.Hardsigmoid`). */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return hardsigmoid(input('Hardsigmoid', x));
  }
}

/** min(max(x, 0), 6) (PyTorch's `nn.ReLU6`); gradient 0 at both kinks. */
export class ReLU6 extends Module {
  forward(x: Tensor): Tensor {
    return relu6(input('ReLU6', x));
  }
}

/** x / (1 + |x|) (PyTorch's `nn.Softsign`). */
export class Softsign extends Module {
  forward(x: Tensor): Tensor {
    return softsign(input('Softsign', x));
  }
}

/** x - tanh(x) (PyTorch's `nn.Tanhshrink`). */
export class Tanhshrink extends Module {
  forward(x: Tensor): Tensor {
    return tanhshrink(input('Tanhshrink', x));
  }
}

/** log σ(x), without overflow (PyTorch's `nn.LogSigmoid`). */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return logSigmoid(input('LogSigmoid', x));
  }
}

// ------------------------------------------------------------ elementwise, with settings

/** Options of {@link GELU}. */
export interface GELUOptions {
  /** 'none' (default): x·Φ(x); 'tanh': PyTorch's tanh approximation. */
  approximate?: 'none' | 'tanh';
}

/**
 * The Gaussian error linear unit x·Φ(x), or its tanh approximation (PyTorch's
 * `nn.GELU`), as in transformers' MLPs.
 *
 * @example
 * new GELU({ approximate: 'tanh' }).forward(x);
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(options: GELUOptions = {}) {
    super();
    const approximate: unknown = valueOr<unknown>(
      optionsObject('GELU', options, { approximate: true }).approximate,
      'none',
    );
    if (approximate !== 'none' && approximate !== 'tanh')
      throw new ArgumentError('GELU', badOptionMessage('approximate', "'none' or 'tanh'", approximate));
    this.approximate = approximate;
  }

  forward(x: Tensor): Tensor {
    return gelu(input('GELU', x), { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Options of {@link ELU} and {@link CELU}. */
export interface AlphaOptions {
  /** The scale of the negative side (default 1). */
  alpha?: number;
}

/** x for x > 0, alpha·(eˣ - 1) otherwise (PyTorch's `nn.ELU`, alpha default 1). */
export class ELU extends Module {
  readonly alpha: number;

  constructor(options: AlphaOptions = {}) {
    super();
    this.alpha = finiteOption('ELU', 'alpha', valueOr(optionsObject('ELU', options, { alpha: true }).alpha, 1));
  }

  forward(x: Tensor): Tensor {
    return elu(input('ELU', x), this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** max(0, x) + min(0, alpha·(e^(x/alpha) - 1)) (PyTorch's `nn.CELU`); alpha ≠ 0, default 1. */
export class CELU extends Module {
  readonly alpha: number;

  constructor(options: AlphaOptions = {}) {
    super();
    const alpha = finiteOption('CELU', 'alpha', valueOr(optionsObject('CELU', options, { alpha: true }).alpha, 1));
    if (alpha === 0) throw new ArgumentError('CELU', "option 'alpha' must not be 0 (CELU divides by it)");
    this.alpha = alpha;
  }

  forward(x: Tensor): Tensor {
    return celu(input('CELU', x), this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/** Options of {@link Hardtanh}. */
export interface HardtanhOptions {
  /** Lower bound (default -1; -Infinity for none). */
  minVal?: number;
  /** Upper bound (default 1; Infinity for none). */
  maxVal?: number;
}

/** min(max(x, minVal), maxVal) (PyTorch's `nn.Hardtanh`); gradient 0 at the bounds. */
export class Hardtanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;

  constructor(options: HardtanhOptions = {}) {
    super();
    const o = optionsObject('Hardtanh', options, { minVal: true, maxVal: true });
    const minVal = numberOption('Hardtanh', 'minVal', valueOr(o.minVal, -1));
    const maxVal = numberOption('Hardtanh', 'maxVal', valueOr(o.maxVal, 1));
    // NOTE: refused, as core's hardtanh refuses it (PyTorch 1.13 returns maxVal everywhere).
    if (minVal > maxVal)
      throw new ArgumentError('Hardtanh', `minVal ${minVal} is greater than maxVal ${maxVal}; need minVal ≤ maxVal`);
    this.minVal = minVal;
    this.maxVal = maxVal;
  }

  forward(x: Tensor): Tensor {
    return hardtanh(input('Hardtanh', x), this.minVal, this.maxVal);
  }

  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/** Options of {@link Softplus}. */
export interface SoftplusOptions {
  /** Sharpness (default 1; any finite number but 0). */
  beta?: number;
  /** Above this value of beta·x the result is x itself (default 20). */
  threshold?: number;
}

/**
 * log(1 + e^(beta·x)) / beta, a smooth relu, and x itself where beta·x >
 * threshold (PyTorch's `nn.Softplus`, where log(1 + e^20) and 20 differ by
 * 2e-9).
 *
 * @example
 * new Softplus({ beta: 2 }).forward(x);
 */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(options: SoftplusOptions = {}) {
    super();
    const o = optionsObject('Softplus', options, { beta: true, threshold: true });
    const beta = finiteOption('Softplus', 'beta', valueOr(o.beta, 1));
    if (beta === 0) throw new ArgumentError('Softplus', "option 'beta' must not be 0 (Softplus divides by it)");
    this.beta = beta;
    this.threshold = numberOption('Softplus', 'threshold', valueOr(o.threshold, 20));
  }

  forward(x: Tensor): Tensor {
    const given = input('Softplus', x);
    // Integer and bool inputs become float32 first, as core's activations make them, so
    // that beta·x and its comparison with the threshold are float arithmetic.
    const t = given.dtype === 'float32' || given.dtype === 'float64' ? given : given.to('float32');
    const bx = this.beta === 1 ? t : t.mul(this.beta);
    const smooth = this.beta === 1 ? softplus(bx) : softplus(bx).div(this.beta);
    // NOTE: beta·x equal to the threshold takes the smooth side, as in PyTorch (its test is >).
    return where(bx.gt(this.threshold), t, smooth);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Options of {@link Softshrink} and {@link Hardshrink}. */
export interface ShrinkOptions {
  /** The half-width λ ≥ 0 of the zeroed band (default 0.5). */
  lambd?: number;
}

/** x - λ above λ, x + λ below -λ, 0 between (PyTorch's `nn.Softshrink`). */
export class Softshrink extends Module {
  readonly lambd: number;

  constructor(options: ShrinkOptions = {}) {
    super();
    this.lambd = lambdOption('Softshrink', valueOr(optionsObject('Softshrink', options, { lambd: true }).lambd, 0.5));
  }

  forward(x: Tensor): Tensor {
    return softshrink(input('Softshrink', x), this.lambd);
  }

  override extraRepr(): string {
    return `${this.lambd}`;
  }
}

/** x where |x| > λ, 0 elsewhere (PyTorch's `nn.Hardshrink`). */
export class Hardshrink extends Module {
  readonly lambd: number;

  constructor(options: ShrinkOptions = {}) {
    super();
    this.lambd = lambdOption('Hardshrink', valueOr(optionsObject('Hardshrink', options, { lambd: true }).lambd, 0.5));
  }

  forward(x: Tensor): Tensor {
    return hardshrink(input('Hardshrink', x), this.lambd);
  }

  override extraRepr(): string {
    return `${this.lambd}`;
  }
}

/**
 * `value` where x ≤ `threshold`, x elsewhere (PyTorch's `nn.Threshold`,
 * whose two settings have no defaults; ±Infinity allowed).
 *
 * @example
 * new Threshold(0.1, 20).forward(tensor([0, 0.5])); // [20, 0.5]
 */
export class Threshold extends Module {
  readonly threshold: number;
  readonly value: number;

  constructor(threshold: number, value: number) {
    super();
    for (const [name, v] of [
      ['threshold', threshold],
      ['value', value],
    ] as const) {
      if (typeof v !== 'number' || Number.isNaN(v))
        throw new ArgumentError('Threshold', `${name} must be a number (±Infinity allowed), got ${describeValue(v)}`);
    }
    this.threshold = threshold;
    this.value = value;
  }

  forward(x: Tensor): Tensor {
    return threshold(input('Threshold', x), this.threshold, this.value);
  }

  override extraRepr(): string {
    return `threshold=${this.threshold}, value=${this.value}`;
  }
}
