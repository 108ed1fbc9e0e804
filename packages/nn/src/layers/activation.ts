/**
 * Activation functions, as names a Dense layer accepts and as modules for
 * Sequential. All are core's primitives (sigmoid, tanh, relu, leakyRelu) or
 * built from them (softmax), so their gradients come from core.
 */
import { ArgumentError, Tensor, leakyRelu, relu, sigmoid, softmax, tanh } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { Module } from '../module';

/** The activations a Dense layer takes by name; 'linear' is none (z itself). */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'softmax' | 'linear';

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
};

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
function input(op: string, x: unknown): Tensor {
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

/** x for x > 0, `negativeSlope`·x otherwise (default 0.01, as PyTorch). */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
      throw new ArgumentError(
        'LeakyReLU',
        `negativeSlope must be a finite number, got ${describeValue(negativeSlope)}`,
      );
    }
    this.negativeSlope = negativeSlope;
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(input('LeakyReLU', x), this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/** exp(x) / Σ exp(x) along `axis` (default the last): each slice sums to 1. */
export class Softmax extends Module {
  readonly axis: number;

  constructor(axis = -1) {
    super();
    if (!Number.isInteger(axis))
      throw new ArgumentError('Softmax', `axis must be an integer, got ${describeValue(axis)}`);
    this.axis = axis;
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
