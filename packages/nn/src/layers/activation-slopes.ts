/**
 * The leaky relus whose slopes are learned (PyTorch's `nn.PReLU`, and the
 * functional `prelu`) or drawn at random while training (`nn.RReLU`),
 * written with core's ops.
 */
import {
  ArgumentError,
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  defaultGenerator,
  full,
  leakyRelu,
  tensor,
  where,
  type FloatDType,
  type TensorLike,
} from '@chainrule/core';
import { badOptionMessage, describeValue, formatShape, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { Module } from '../module';
import { parameter } from '../parameter';
import { input } from './activation';
import { finiteOption } from './activation-options';

/**
 * x for x > 0, w·x otherwise, with w one weight or one per channel (axis 1)
 * (PyTorch's `prelu`).
 *
 * @throws ShapeError when weight has more than one element and they do not match the input's axis 1
 */
export function prelu(x: TensorLike, weight: Tensor): Tensor {
  return preluAs('prelu', x, weight);
}

function preluAs(op: string, x: TensorLike, weight: Tensor): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
  if (!(weight instanceof Tensor))
    throw new ArgumentError(op, `the weight must be a Tensor, got ${describeValue(weight)}`);
  if (weight.ndim !== 1) throw new ShapeError(op, `the weight must have shape [n], got ${formatShape(weight.shape)}`);
  const n = weight.size;
  let w: Tensor;
  if (n === 1) {
    // A 0-d weight, so that a 0-d input stays 0-d.
    w = weight.reshape([]);
  } else {
    const channels = x.ndim >= 2 ? (x.shape[1] as number) : 1;
    if (channels !== n) {
      throw new ShapeError(
        op,
        `the input has ${channels} channel${channels === 1 ? '' : 's'} (axis 1 of shape ${formatShape(x.shape)}) but there are ${n} weights, one per channel`,
      );
    }
    w = weight.reshape([n, ...new Array<number>(x.ndim - 2).fill(1)]);
  }
  // NOTE: x = 0 takes the w·x side, so its gradient is w there, as in PyTorch.
  return where(x.gt(0), x, x.mul(w));
}

/** Options of {@link PReLU}. */
export interface PReLUOptions {
  /** 1 (default, one slope shared by all) or the number of channels (axis 1 of the input). */
  numParameters?: number;
  /** Initial slope (default 0.25). */
  init?: number;
  /** The weight's dtype (default float32). */
  dtype?: FloatDType;
}

/**
 * A leaky relu whose negative slope is learned (He et al. 2015; PyTorch's
 * `nn.PReLU`): x for x > 0, w·x otherwise. The parameter `weight` (shape
 * [numParameters]) holds one slope, or one per channel of axis 1.
 *
 * @example
 * const act = new PReLU({ numParameters: 16 }); // for [N, 16, H, W] inputs
 * act.stateDict(); // { weight: [0.25, ...] }
 */
export class PReLU extends Module {
  readonly numParameters: number;
  /** The slopes, shape [numParameters], starting at `init`. */
  readonly weight: Tensor;

  constructor(options: PReLUOptions = {}) {
    super();
    const op = 'PReLU';
    const o = optionsObject(op, options, { numParameters: true, init: true, dtype: true });
    const n: unknown = valueOr<unknown>(o.numParameters, 1);
    if (!Number.isSafeInteger(n) || (n as number) < 1)
      throw new ArgumentError(op, badOptionMessage('numParameters', 'a positive integer', n));
    const init = finiteOption(op, 'init', valueOr(o.init, 0.25));
    const dtype: unknown = valueOr<unknown>(o.dtype, 'float32');
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(dtype)}`);
    this.numParameters = n as number;
    const weight = full([n as number], init, { dtype });
    weight.label = 'weight';
    this.weight = parameter(weight);
  }

  forward(x: Tensor): Tensor {
    return preluAs('PReLU', input('PReLU', x), this.weight);
  }

  override extraRepr(): string {
    return `numParameters=${this.numParameters}`;
  }
}

/** Options of {@link RReLU}. */
export interface RReLUOptions {
  /** Least slope (default 1/8). */
  lower?: number;
  /** Greatest slope (default 1/3). */
  upper?: number;
  /** The random stream of the training slopes (default: the global generator). */
  generator?: Generator;
}

/**
 * The randomized leaky relu (Xu et al. 2015; PyTorch's `nn.RReLU`): in
 * training, each element x ≤ 0 is multiplied by its own slope drawn from
 * U(lower, upper), which is also its gradient; in evaluation, by the mean
 * slope (lower + upper)/2, a leaky relu.
 */
export class RReLU extends Module {
  readonly lower: number;
  readonly upper: number;
  readonly #generator: Generator;

  constructor(options: RReLUOptions = {}) {
    super();
    const op = 'RReLU';
    const o = optionsObject(op, options, { lower: true, upper: true, generator: true });
    const lower = finiteOption(op, 'lower', valueOr(o.lower, 1 / 8));
    const upper = finiteOption(op, 'upper', valueOr(o.upper, 1 / 3));
    if (lower > upper) throw new ArgumentError(op, `lower ${lower} is greater than upper ${upper}; need lower ≤ upper`);
    this.lower = lower;
    this.upper = upper;
    this.#generator = checkGenerator(op, o.generator) ?? defaultGenerator;
  }

  forward(x: Tensor): Tensor {
    const t = input('RReLU', x);
    if (!this.training) return leakyRelu(t, (this.lower + this.upper) / 2);
    // Integer and bool inputs become float32, as core's activations make them.
    const f = t.dtype === 'float32' || t.dtype === 'float64' ? t : t.to('float32');
    const slopes = new Float64Array(f.size);
    for (let i = 0; i < slopes.length; i++)
      slopes[i] = this.lower + (this.upper - this.lower) * this.#generator.random();
    const drawn = tensor(slopes, { shape: f.shape, dtype: f.dtype });
    // NOTE: x ≤ 0 is scaled, so x = 0 has its drawn slope as gradient, as in PyTorch.
    return f.mul(where(f.le(0), drawn, 1));
  }

  override extraRepr(): string {
    return `lower=${this.lower}, upper=${this.upper}`;
  }
}
