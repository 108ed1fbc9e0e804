/**
 * Dense: the fully connected layer of the textbook, a = σ(W a_prev + b).
 * The weight is stored `[out, in]` (row j holds the weights *to* neuron j,
 * the textbook's w_{to,from}, and PyTorch's Linear layout), so for a batch x
 * of shape `[batch, in]`, one sample per row, the layer computes
 * z = x·Wᵀ + b and a = activation(z).
 */
import {
  ArgumentError,
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  defaultGenerator,
  zeros,
  type FloatDType,
  linear,
} from '@chainrule/core';
import { Module } from '../module';
import { parameter } from '../parameter';
import { calculateGain, heUniform, xavierNormal, xavierUniform, heNormal } from '../init';
import { booleanOption, describeValue, optionsObject, valueOr, type OptionKeys } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { fusedActivation, resolveActivation, type Activation } from './activation';

/** A weight initializer by name, or a function that fills the `[out, in]` weight in place. */
export type WeightInit =
  | 'xavierUniform'
  | 'xavierNormal'
  | 'heUniform'
  | 'heNormal'
  | ((weight: Tensor, generator: Generator) => unknown);

/** Options of `new Dense(inFeatures, outFeatures, options)` (and `Linear`). */
export interface DenseOptions {
  /** Default 'sigmoid', the classic feed-forward neuron. */
  activation?: Activation;
  /** Add a learned bias b (default true). */
  bias?: boolean;
  /**
   * How to fill the weight. Default: He uniform for relu and leakyRelu,
   * Xavier uniform with the activation's gain otherwise (gain 1 for sigmoid).
   * Biases start at 0, as the textbook does.
   */
  init?: WeightInit;
  /** The random stream for the init (default: the global generator). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

const linearKeys: OptionKeys<Omit<DenseOptions, 'activation'>> = {
  bias: true,
  init: true,
  generator: true,
  dtype: true,
};
const denseKeys: OptionKeys<DenseOptions> = { ...linearKeys, activation: true };

/**
 * A fully connected layer: `activation(x·Wᵀ + b)` for x of shape
 * `[..., inFeatures]`, with W of shape `[outFeatures, inFeatures]` and b of
 * shape `[outFeatures]`.
 *
 * @example
 * const hidden = new Dense(784, 64);                       // sigmoid
 * const logits = new Dense(64, 10, { activation: 'linear' });
 * hidden.forward(randn([32, 784])).shape;                  // [32, 64]
 */
export class Dense extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** W, shape [outFeatures, inFeatures]. */
  readonly weight: Tensor;
  /** b, shape [outFeatures], or null without bias. */
  readonly bias: Tensor | null;
  readonly activation: (z: Tensor) => Tensor;
  /** The activation's name ('custom' for an anonymous function). */
  readonly activationName: string;

  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    const op = new.target.name;
    const o = optionsObject(op, options, denseKeys);
    for (const [what, n] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(n) || n < 1)
        throw new ArgumentError(op, `${what} must be a positive integer, got ${describeValue(n)}`);
    }
    const useBias = booleanOption(op, 'bias', o.bias, true);
    const { name, fn } = resolveActivation(op, valueOr<unknown>(o.activation, 'sigmoid'));
    const dtype = valueOr<unknown>(o.dtype, 'float32');
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(dtype)}`);
    const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.activation = fn;
    this.activationName = name;
    const weight = zeros([outFeatures, inFeatures], { dtype });
    initWeight(op, weight, o.init, name, generator);
    weight.label = 'weight';
    this.weight = parameter(weight);
    this.bias = useBias ? parameter(zeros([outFeatures], { dtype })) : null;
    if (this.bias !== null) this.bias.label = 'bias';
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor))
      throw new ArgumentError(this.constructor.name, 'the input must be a Tensor of shape [batch, inFeatures]');
    if (x.ndim === 0 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new ShapeError(
        this.constructor.name,
        `expected an input whose last axis holds the ${this.inFeatures} input features ([batch, ${this.inFeatures}] or [${this.inFeatures}]), got shape [${x.shape.join(',')}]`,
      );
    }
    // One op for x·Wᵀ + b: the matrix kernel adds the bias as it writes the
    // product, and applies the activations it knows as well (same values and
    // gradients as applying them after, one pass and one graph node fewer).
    const fused = fusedActivation(this.activationName, this.activation);
    if (fused !== undefined) return linear(x, this.weight, this.bias, { activation: fused });
    const a: unknown = this.activation(linear(x, this.weight, this.bias));
    if (!(a instanceof Tensor)) {
      throw new ArgumentError(
        this.constructor.name,
        `the activation '${this.activationName}' must return a Tensor, got ${describeValue(a)}`,
      );
    }
    return a;
  }

  override extraRepr(): string {
    const parts = [`${this.inFeatures} → ${this.outFeatures}`];
    if (!(this instanceof Linear)) parts.push(this.activationName);
    if (this.bias === null) parts.push('no bias');
    return parts.join(', ');
  }
}

/** Dense without an activation: `x·Wᵀ + b` (PyTorch's nn.Linear). */
export class Linear extends Dense {
  constructor(inFeatures: number, outFeatures: number, options: Omit<DenseOptions, 'activation'> = {}) {
    // Checked against Linear's own keys: an `activation` given here would be overridden without a word.
    super(inFeatures, outFeatures, { ...optionsObject('Linear', options, linearKeys), activation: 'linear' });
  }
}

function initWeight(
  op: string,
  weight: Tensor,
  init: WeightInit | undefined,
  activation: string,
  generator: Generator,
): void {
  if (typeof init === 'function') {
    init(weight, generator);
    return;
  }
  const reluLike = activation === 'relu' || activation === 'leakyRelu';
  const gain = activation === 'tanh' ? calculateGain('tanh') : 1;
  const he = {
    nonlinearity: reluLike ? (activation as 'relu' | 'leakyRelu') : 'relu',
    a: activation === 'leakyRelu' ? 0.01 : 0,
    generator,
  } as const;
  switch (valueOr<unknown>(init, reluLike ? 'heUniform' : 'xavierUniform')) {
    case 'xavierUniform':
      xavierUniform(weight, { gain, generator });
      return;
    case 'xavierNormal':
      xavierNormal(weight, { gain, generator });
      return;
    case 'heUniform':
      heUniform(weight, he);
      return;
    case 'heNormal':
      heNormal(weight, he);
      return;
    default:
      throw new ArgumentError(
        op,
        `unknown init ${describeValue(init)}; expected 'xavierUniform', 'xavierNormal', 'heUniform', 'heNormal' or a function (weight, generator) => void`,
      );
  }
}
