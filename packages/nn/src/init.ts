/**
 * Initializers: functions that fill a parameter in place (under noGrad) and
 * return it, with PyTorch's conventions (`torch.nn.init`): fan-in is
 * `shape[1]` and fan-out `shape[0]` (times the product of any further axes),
 * which for the `[out, in]` weight of a Dense layer means fan-in = inputs and
 * fan-out = outputs. Random ones draw from `generator` (default: core's
 * global generator, seeded by `manualSeed`).
 *
 * @example
 * xavierUniform(layer.weight, { generator: new Generator(1) });
 * constant(layer.bias, 0);
 */
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  Tensor,
  defaultGenerator,
  noGrad,
  tensor,
  type Generator,
} from '@chainrule/core';
import { describeValue, describeList, optionsObject, valueOr, type OptionKeys } from '@chainrule/core/internal';
import { checkGenerator } from './arguments';

/** Options of the random initializers (the generator to draw from). */
export interface RandomInitOptions {
  /** The random stream to draw from (default: the global generator). */
  generator?: Generator;
}

/** The nonlinearities `calculateGain` knows, with PyTorch's names in camelCase. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu' | 'softmax';

function check(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `expected a Tensor to fill, got ${describeValue(t)}`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new DTypeError(op, `can only fill float32 or float64 tensors, got ${t.dtype}`);
  }
  return t;
}

function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArgumentError(op, `${name} must be a finite number, got ${describeValue(v)}`);
  return v;
}

function nonNegative(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x < 0) throw new ArgumentError(op, `${name} must be ≥ 0, got ${x}`);
  return x;
}

function fillWith(t: Tensor, draw: () => number): Tensor {
  const values = new Float64Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = draw();
  noGrad(() => t.copyFrom(tensor(values, { shape: t.shape })));
  return t;
}

/** Fills `t` with samples from U(low, high) (default U(0, 1), as PyTorch). */
export function uniform(t: Tensor, options: RandomInitOptions & { low?: number; high?: number } = {}): Tensor {
  const target = check('uniform', t);
  const o = optionsObject('uniform', options, { generator: true, low: true, high: true });
  const low = finite('uniform', 'low', valueOr(o.low, 0));
  const high = finite('uniform', 'high', valueOr(o.high, 1));
  if (low > high) throw new ArgumentError('uniform', `low ${low} is greater than high ${high}`);
  const g = checkGenerator('uniform', o.generator) ?? defaultGenerator;
  return fillWith(target, () => low + (high - low) * g.random());
}

/** Fills `t` with samples from N(mean, std²) (default N(0, 1)). */
export function normal(t: Tensor, options: RandomInitOptions & { mean?: number; std?: number } = {}): Tensor {
  const target = check('normal', t);
  const o = optionsObject('normal', options, { generator: true, mean: true, std: true });
  const mean = finite('normal', 'mean', valueOr(o.mean, 0));
  const std = finite('normal', 'std', valueOr(o.std, 1));
  if (std < 0) throw new ArgumentError('normal', `std must be non-negative, got ${std}`);
  const g = checkGenerator('normal', o.generator) ?? defaultGenerator;
  return fillWith(target, () => mean + std * g.normal());
}

/**
 * Fills `t` with `value`: `constant(bias, 0)` is the textbook's bias init,
 * `constant(weight, 0.1)` its "small value such as 0.1" (which leaves every
 * neuron of a layer identical; random inits break that symmetry).
 */
export function constant(t: Tensor, value: number): Tensor {
  const target = check('constant', t);
  const v = finite('constant', 'value', value);
  noGrad(() => target.fill(v));
  return target;
}

/** PyTorch's fan-in and fan-out of a weight of `shape` (rank ≥ 2). */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (!Array.isArray(shape) || shape.length < 2 || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    const got = Array.isArray(shape) ? describeList(shape) : describeValue(shape);
    throw new ShapeError(
      'fans',
      `fan-in and fan-out need a shape of rank 2 or more of sizes ≥ 0, like [out, in], got ${got}`,
    );
  }
  const receptive = shape.slice(2).reduce((n, d) => n * d, 1);
  return { fanIn: (shape[1] as number) * receptive, fanOut: (shape[0] as number) * receptive };
}

/**
 * The gain that keeps activations' variance steady through `nonlinearity`
 * (PyTorch's `calculate_gain`): 1 for linear, sigmoid and softmax, 5/3 for
 * tanh, √2 for relu, √(2 / (1 + slope²)) for leakyRelu (slope default 0.01),
 * 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'sigmoid':
    case 'softmax':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = finite('calculateGain', 'the negative slope', valueOr(param, 0.01));
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new ArgumentError(
        'calculateGain',
        `unknown nonlinearity ${describeValue(nonlinearity)}; expected 'linear', 'sigmoid', 'softmax', 'tanh', 'relu', 'leakyRelu' or 'selu'`,
      );
  }
}

/**
 * Glorot & Bengio's uniform init: U(-b, b) with b = gain·√(6 / (fanIn + fanOut)),
 * so the variance gain²·2 / (fanIn + fanOut) is kept forward and backward.
 * The default for sigmoid layers.
 */
export function xavierUniform(t: Tensor, options: RandomInitOptions & { gain?: number } = {}): Tensor {
  const target = check('xavierUniform', t);
  const o = optionsObject('xavierUniform', options, { generator: true, gain: true });
  const { fanIn, fanOut } = fans(target.shape);
  const gain = nonNegative('xavierUniform', 'gain', valueOr(o.gain, 1));
  const bound = fanIn + fanOut === 0 ? 0 : gain * Math.sqrt(6 / (fanIn + fanOut)); // no fan: no elements to fill
  return uniform(target, withGenerator({ low: -bound, high: bound }, o));
}

/** Glorot & Bengio's normal init: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, options: RandomInitOptions & { gain?: number } = {}): Tensor {
  const target = check('xavierNormal', t);
  const o = optionsObject('xavierNormal', options, { generator: true, gain: true });
  const { fanIn, fanOut } = fans(target.shape);
  const gain = nonNegative('xavierNormal', 'gain', valueOr(o.gain, 1));
  return normal(
    target,
    withGenerator({ mean: 0, std: fanIn + fanOut === 0 ? 0 : gain * Math.sqrt(2 / (fanIn + fanOut)) }, o),
  );
}

/** Options of the He (Kaiming) initializers, as PyTorch's kaiming_*_. */
export interface HeOptions extends RandomInitOptions {
  /** The negative slope when nonlinearity is 'leakyRelu' (default 0, which makes the gain √2). */
  a?: number;
  /** Keep the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  /** Default 'leakyRelu' (with a = 0, the same as 'relu'), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

const heKeys: OptionKeys<HeOptions> = { generator: true, a: true, mode: true, nonlinearity: true };

function heStd(op: string, t: Tensor, options: HeOptions): number {
  const { fanIn, fanOut } = fans(t.shape);
  const mode = valueOr<unknown>(options.mode, 'fanIn');
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new ArgumentError(op, `mode must be 'fanIn' or 'fanOut', got ${describeValue(mode)}`);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  const gain = calculateGain(valueOr(options.nonlinearity, 'leakyRelu'), finite(op, 'a', valueOr(options.a, 0)));
  // A fan of 0 means a 0-sized axis: there is nothing to fill, and 1/√0 would refuse it.
  return fan === 0 ? 0 : gain / Math.sqrt(fan);
}

/** He et al.'s uniform init: U(-b, b) with b = gain·√(3 / fan), fan = fanIn by default. The default for relu layers. */
export function heUniform(t: Tensor, options: HeOptions = {}): Tensor {
  const target = check('heUniform', t);
  const o = optionsObject('heUniform', options, heKeys);
  const bound = Math.sqrt(3) * heStd('heUniform', target, o);
  return uniform(target, withGenerator({ low: -bound, high: bound }, o));
}

/** He et al.'s normal init: N(0, std²) with std = gain / √fan. */
export function heNormal(t: Tensor, options: HeOptions = {}): Tensor {
  const target = check('heNormal', t);
  const o = optionsObject('heNormal', options, heKeys);
  return normal(target, withGenerator({ mean: 0, std: heStd('heNormal', target, o) }, o));
}

function withGenerator<T extends object>(o: T, from: RandomInitOptions): T & RandomInitOptions {
  return from.generator === undefined ? o : { ...o, generator: from.generator };
}
