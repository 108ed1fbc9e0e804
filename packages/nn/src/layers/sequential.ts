/**
 * Sequential chains modules, and `mlp` builds the textbook's input → hidden →
 * output network from a list of layer sizes.
 */
import { ArgumentError, Tensor, type Generator, type FloatDType } from '@chainrule/core';
import { describeValue, describeList, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { Module } from '../module';
import { Dense, type WeightInit } from './dense';
import { resolveActivation, type Activation } from './activation';

/**
 * Applies its modules in order, each to the previous one's output. Children
 * are named by position ('0', '1', ...), as in PyTorch, so a
 * `Sequential(Linear, Sigmoid, Linear)` has the same state dict names
 * (`0.weight`, `2.bias`, ...) as PyTorch's `nn.Sequential` of the same layers.
 *
 * @example
 * const model = new Sequential(new Linear(2, 4), new Tanh(), new Linear(4, 1));
 * model.forward(x);
 */
export class Sequential extends Module {
  readonly #layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module))
        throw new ArgumentError('Sequential', `argument ${i} is not a Module, got ${describeValue(m)}`);
    });
    this.#layers = layers;
  }

  /** The number of modules. */
  get length(): number {
    return this.#layers.length;
  }

  /** The module at position `index` (negative counts from the end). */
  at(index: number): Module {
    const m = Number.isInteger(index) ? this.#layers.at(index) : undefined;
    if (m === undefined) {
      throw new ArgumentError(
        'Sequential.at',
        `index ${describeValue(index)} is out of range for ${this.#layers.length} layers`,
      );
    }
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.#layers[Symbol.iterator]();
  }

  override namedChildren(): [string, Module][] {
    return this.#layers.map((m, i) => [String(i), m]);
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor))
      throw new ArgumentError('Sequential', `the input must be a Tensor, got ${describeValue(x)}`);
    let out = x;
    for (const layer of this.#layers) out = layer.forward(out);
    return out;
  }
}

/** Options of `mlp(sizes, options)`. */
export interface MlpOptions {
  /** The hidden layers' activation (default 'sigmoid'). */
  activation?: Activation;
  /** The last layer's activation (default: the same as `activation`). Use 'linear' before crossEntropyLoss or bceWithLogitsLoss. */
  outputActivation?: Activation;
  bias?: boolean;
  init?: WeightInit;
  generator?: Generator;
  dtype?: FloatDType;
}

const mlpKeys: OptionKeys<MlpOptions> = {
  activation: true,
  outputActivation: true,
  bias: true,
  init: true,
  generator: true,
  dtype: true,
};

/**
 * A multilayer perceptron of Dense layers: `sizes` lists the width of the
 * input layer, each hidden layer and the output layer.
 *
 * @example
 * mlp([2, 4, 1]);                                    // XOR: 2 inputs, 4 hidden sigmoid neurons, 1 output
 * mlp([784, 64, 10], { outputActivation: 'linear' }); // MNIST logits for crossEntropyLoss
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): Sequential {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ArgumentError(
      'mlp',
      `sizes must list at least two positive integers (input and output widths), got ${Array.isArray(sizes) ? describeList(sizes) : describeValue(sizes)}`,
    );
  }
  const { activation = 'sigmoid', outputActivation = activation, ...rest } = optionsObject('mlp', options, mlpKeys);
  // Checked here too: with two sizes the hidden activation is not used by any layer, but a bad one is still a mistake.
  resolveActivation('mlp', activation);
  const layers: Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const last = i + 2 === sizes.length;
    layers.push(
      new Dense(sizes[i] as number, sizes[i + 1] as number, {
        ...rest,
        activation: last ? outputActivation : activation,
      }),
    );
  }
  return new Sequential(...layers);
}
