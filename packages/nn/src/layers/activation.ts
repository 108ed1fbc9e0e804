/**
 * Activation functions, as names a Dense layer accepts and as modules for
 * Sequential. All are core's ops, so their gradients come from core. The
 * modules of core's other activations are in activations-extra.ts.
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
  leakyRelu,
  logSigmoid,
  logSoftmax,
  mish,
  relu,
  relu6,
  selu,
  sigmoid,
  silu,
  softmax,
  softplus,
  softshrink,
  softsign,
  tanh,
  tanhshrink,
  where,
  type FusedActivation,
} from '@chainrule/core';
import { describeValue, isOptionsObject, optionsObject, valueOr } from '@chainrule/core/internal';
import { Module } from '../module';

/**
 * The activations a Dense layer takes by name, each with PyTorch's default
 * settings; 'linear' is none (z itself). For other settings, pass a function
 * (`(z) => elu(z, 0.5)`).
 */
export type ActivationName =
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'softmax'
  | 'linear'
  // core's other activation functions (issue 19)
  | 'relu6'
  | 'elu'
  | 'selu'
  | 'celu'
  | 'gelu'
  | 'silu'
  | 'mish'
  | 'hardswish'
  | 'hardsigmoid'
  | 'hardtanh'
  | 'softplus'
  | 'softsign'
  | 'tanhshrink'
  | 'logSigmoid'
  | 'softshrink'
  | 'hardshrink'
  | 'logSoftmax';

/** An activation by name, or any function of z written with Tensor ops. */
export type Activation = ActivationName | ((z: Tensor) => Tensor);

const byName: Record<ActivationName, (z: Tensor) => Tensor> = {
  sigmoid: (z) => sigmoid(z),
  tanh: (z) => tanh(z),
  relu: (z) => relu(z),
  leakyRelu: (z) => leakyRelu(z),
  // NOTE: over the last axis, the features of each sample.
  softmax: (z) => softmax(z, -1),
  linear: (z) => z,
  // core's other activation functions (issue 19), with their defaults.
  relu6: (z) => relu6(z),
  elu: (z) => elu(z),
  selu: (z) => selu(z),
  celu: (z) => celu(z),
  gelu: (z) => gelu(z),
  silu: (z) => silu(z),
  mish: (z) => mish(z),
  hardswish: (z) => hardswish(z),
  hardsigmoid: (z) => hardsigmoid(z),
  hardtanh: (z) => hardtanh(z),
  // NOTE: z itself above 20, as PyTorch's Softplus() (log(1 + e^20) - 20 = 2e-9).
  softplus: (z) => where(z.gt(20), z, softplus(z)),
  softsign: (z) => softsign(z),
  tanhshrink: (z) => tanhshrink(z),
  logSigmoid: (z) => logSigmoid(z),
  softshrink: (z) => softshrink(z),
  hardshrink: (z) => hardshrink(z),
  // NOTE: over the last axis, as softmax.
  logSoftmax: (z) => logSoftmax(z, -1),
};

/** The named activations core's linear applies as it writes its result (the same values and gradients). */
const fusable: Partial<Record<ActivationName, FusedActivation>> = {
  relu: 'relu',
  sigmoid: 'sigmoid',
  tanh: 'tanh',
  gelu: 'gelu',
};

/**
 * The activation `linear(x, W, b, { activation })` can apply in place of
 * `fn`, or undefined: only the functions of the names above (a user's own
 * function, even one called 'sigmoid', is applied as written).
 */
export function fusedActivation(name: string, fn: (z: Tensor) => Tensor): FusedActivation | undefined {
  if (!Object.hasOwn(fusable, name) || byName[name as ActivationName] !== fn) return undefined;
  return fusable[name as ActivationName];
}

/** Checks an activation option and returns its function and a name for summaries. */
export function resolveActivation(op: string, activation: unknown): { name: string; fn: (z: Tensor) => Tensor } {
  if (typeof activation === 'function') {
    // An arrow written inline as `{ activation: (z) => ... }` is named 'activation' by JavaScript.
    const named = activation.name !== '' && activation.name !== 'activation';
    return { name: named ? activation.name : 'custom', fn: activation as (z: Tensor) => Tensor };
  }
  if (typeof activation === 'string' && Object.hasOwn(byName, activation)) {
    return { name: activation, fn: byName[activation as ActivationName] };
  }
  throw new ArgumentError(
    op,
    `unknown activation ${describeValue(activation)}; expected one of ${Object.keys(byName)
      .map((n) => `'${n}'`)
      .join(', ')} or a function of a Tensor`,
  );
}

/** Throws unless a module's input is a Tensor (core's ops would also take a number). */
export function input(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
  return x;
}

/** σ(x) = 1 / (1 + e⁻ˣ), elementwise: squashes to (0, 1). */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(input('Sigmoid', x));
  }
}

/** tanh(x), elementwise: squashes to (-1, 1). */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(input('Tanh', x));
  }
}

/** max(x, 0), elementwise (gradient 0 at 0, as PyTorch). */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(input('ReLU', x));
  }
}

/**
 * x for x > 0, `negativeSlope`·x otherwise (default 0.01, as PyTorch). The
 * slope may be given alone or as `{ negativeSlope }`, like the settings of
 * the other activation modules.
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope: number | { negativeSlope?: number } = 0.01) {
    super();
    const slope = isOptionsObject(negativeSlope)
      ? valueOr<unknown>(optionsObject('LeakyReLU', negativeSlope, { negativeSlope: true }).negativeSlope, 0.01)
      : negativeSlope;
    if (typeof slope !== 'number' || !Number.isFinite(slope)) {
      throw new ArgumentError('LeakyReLU', `negativeSlope must be a finite number, got ${describeValue(slope)}`);
    }
    this.negativeSlope = slope;
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(input('LeakyReLU', x), this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * exp(x) / Σ exp(x) along `axis` (default the last): each slice sums to 1.
 * The axis may be given alone or as `{ axis }` (PyTorch's `dim`).
 */
export class Softmax extends Module {
  readonly axis: number;

  constructor(axis: number | { axis?: number } = -1) {
    super();
    const a = isOptionsObject(axis) ? valueOr<unknown>(optionsObject('Softmax', axis, { axis: true }).axis, -1) : axis;
    if (!Number.isInteger(a)) throw new ArgumentError('Softmax', `axis must be an integer, got ${describeValue(a)}`);
    this.axis = a as number;
  }

  forward(x: Tensor): Tensor {
    return softmax(input('Softmax', x), this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/** Returns its input unchanged: a placeholder layer. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return input('Identity', x);
  }
}
