/**
 * Regression tests for what fuzzing nn (fuzz.test.ts, fuzz-data.test.ts)
 * found: each call below once threw a raw TypeError, or returned a silently
 * wrong result. Each now throws the typed error named here, from the
 * function that was called.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  ChainruleError,
  DTypeError,
  IndexError,
  ShapeError,
  Tensor,
  tensor,
  zeros,
} from '@chainrule/core';
import {
  DataLoader,
  Dense,
  Dropout,
  Flatten,
  Identity,
  LeakyReLU,
  MinMaxScaler,
  Sequential,
  Sigmoid,
  Softmax,
  StandardScaler,
  calculateGain,
  crossEntropyLoss,
  fans,
  heUniform,
  mlp,
  mseLoss,
  saveSafetensors,
  trainTestSplit,
  uniform,
  xavierUniform,
} from '../src/index';

const nullProto = (): never => Object.create(null) as never;

function expectTyped(call: () => unknown, type: new (...args: never[]) => ChainruleError, message: RegExp): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
}

describe('values that String() or JSON.stringify() cannot show', () => {
  it('a null-prototype object, a BigInt or a Symbol in an argument gives a typed error, not a TypeError from the message', () => {
    expectTyped(
      () => new Dense(nullProto() as number, 2),
      ArgumentError,
      /^Dense: inFeatures must be a positive integer, got an object$/,
    );
    expectTyped(
      () => new Dense(2, 2, { activation: 10n as never }),
      ArgumentError,
      /^Dense: unknown activation the BigInt 10n; expected one of 'sigmoid'/,
    );
    expectTyped(
      () => mlp([Symbol('s') as never, 2]),
      ArgumentError,
      /^mlp: sizes must list .*, got \[Symbol\(s\), 2\]$/,
    );
    expectTyped(() => mlp(nullProto() as number[]), ArgumentError, /^mlp: .*got an object$/);
    expectTyped(
      () => new Dropout(nullProto() as number),
      ArgumentError,
      /^Dropout: p is a probability .* got an object$/,
    );
    expectTyped(
      () => new Flatten(nullProto() as number),
      ArgumentError,
      /^Flatten: startAxis and endAxis must be integers/,
    );
    // Alone, a null-prototype object is an (empty) options object to these two; as the setting it is refused.
    expectTyped(
      () => new LeakyReLU({ negativeSlope: nullProto() }),
      ArgumentError,
      /^LeakyReLU: negativeSlope must be a finite number, got an object$/,
    );
    expectTyped(
      () => new Softmax({ axis: nullProto() }),
      ArgumentError,
      /^Softmax: axis must be an integer, got an object$/,
    );
    expectTyped(
      () => mseLoss(zeros([2]), zeros([2]), { reduction: 10n as never }),
      ArgumentError,
      /^mseLoss: reduction must be .*, got the BigInt 10n$/,
    );
    expectTyped(
      () => new DataLoader({ inputs: zeros([2]), targets: zeros([2]) }, { batchSize: nullProto() as number }),
      ArgumentError,
      /^DataLoader: batchSize/,
    );
    expectTyped(
      () => new DataLoader({ inputs: zeros([2]), targets: zeros([2]) }, { seed: nullProto() as number }),
      ArgumentError,
      /^DataLoader: seed must be a safe integer, got an object$/,
    );
    expectTyped(
      () => new MinMaxScaler({ featureRange: [0n, 1] as never }),
      ArgumentError,
      /^MinMaxScaler: featureRange .* got \[the BigInt 0n, 1\]$/,
    );
    expectTyped(
      () => trainTestSplit({ inputs: zeros([4]), targets: zeros([4]) }, { testSize: nullProto() as number }),
      ArgumentError,
      /^trainTestSplit: testSize/,
    );
    expectTyped(
      () => uniform(zeros([2]), { low: nullProto() as number }),
      ArgumentError,
      /^uniform: low must be a finite number, got an object$/,
    );
    expectTyped(() => fans(nullProto() as number[]), ShapeError, /^fans: /);
    expectTyped(
      () => calculateGain(10n as never),
      ArgumentError,
      /^calculateGain: unknown nonlinearity the BigInt 10n/,
    );
    expectTyped(
      () => calculateGain('leakyRelu', nullProto() as number),
      ArgumentError,
      /^calculateGain: the negative slope must be a finite number/,
    );
  });
});

describe('options that are not objects, or null where an option was expected', () => {
  it('null or a string in place of the options object is refused', () => {
    expectTyped(() => new Dense(2, 2, null as never), ArgumentError, /^Dense: options must be an object/);
    expectTyped(
      () => new Dense(2, 2, 'x' as never),
      ArgumentError,
      /^Dense: options must be an object like \{ name: value \}, got "x"; accepted: bias, init, generator, dtype, activation$/,
    );
    expectTyped(() => mlp([2, 2], null as never), ArgumentError, /^mlp: options must be an object/);
    expectTyped(() => new Dropout(0.5, null as never), ArgumentError, /^Dropout: options must be an object/);
    expectTyped(
      () => new DataLoader({ inputs: zeros([2]), targets: zeros([2]) }, null as never),
      ArgumentError,
      /^DataLoader: options must be an object/,
    );
    expectTyped(
      () => trainTestSplit({ inputs: zeros([4]), targets: zeros([4]) }, null as never),
      ArgumentError,
      /^trainTestSplit: options must be an object/,
    );
    expectTyped(() => uniform(zeros([2]), null as never), ArgumentError, /^uniform: options must be an object/);
    expectTyped(
      () => saveSafetensors({}, null as never),
      ChainruleError,
      /^saveSafetensors: options must be an object/,
    );
    expectTyped(
      () => mseLoss(zeros([2]), zeros([2]), [1, 2] as never),
      ArgumentError,
      /^mseLoss: options must be an object like \{ name: value \}, got \[1, 2\]; accepted: reduction$/,
    );
  });

  it('an explicit null option is refused rather than taken as the default', () => {
    expectTyped(() => new Dense(2, 2, { init: null as never }), ArgumentError, /^Dense: unknown init null/);
    expectTyped(
      () => new Dense(2, 2, { bias: null as never }),
      ArgumentError,
      /^Dense: option 'bias' must be true or false, got null$/,
    );
    expectTyped(
      () => mlp([1, 1], { outputActivation: null as never }),
      ArgumentError,
      /^Dense: unknown activation null/,
    );
    expectTyped(
      () => uniform(zeros([2]), { low: null as never }),
      ArgumentError,
      /^uniform: low must be a finite number, got null$/,
    );
    expectTyped(
      () => mseLoss(zeros([2]), zeros([2]), { reduction: null as never }),
      ArgumentError,
      /^mseLoss: reduction must be/,
    );
  });

  it('a generator that is not a Generator is refused where it is given, not when first drawn from', () => {
    expectTyped(
      () => new Dense(2, 2, { generator: {} as never }),
      ArgumentError,
      /^Dense: generator must be a Generator/,
    );
    expectTyped(
      () => new Dropout(0.5, { generator: {} as never }),
      ArgumentError,
      /^Dropout: generator must be a Generator/,
    );
    expectTyped(
      () => uniform(zeros([2]), { generator: {} as never }),
      ArgumentError,
      /^uniform: generator must be a Generator/,
    );
  });

  it('a parameter dtype other than float32/float64 is refused by Dense itself', () => {
    expectTyped(
      () => new Dense(2, 2, { dtype: 'int32' as never }),
      DTypeError,
      /^Dense: parameters are float32 or float64, got dtype "int32"$/,
    );
  });

  it('mlp checks the hidden activation even when, with two sizes, no layer uses it', () => {
    expectTyped(
      () => mlp([1, 1], { activation: {} as never, outputActivation: 'sigmoid' }),
      ArgumentError,
      /^mlp: unknown activation an object/,
    );
  });
});

describe('inputs that are not tensors', () => {
  it('activation modules, Identity and Sequential refuse a non-tensor input (core ops would take a number)', () => {
    expectTyped(() => new Sigmoid().forward(5 as never), ArgumentError, /^Sigmoid: the input must be a Tensor, got 5$/);
    expectTyped(
      () => new Identity().forward('x' as never),
      ArgumentError,
      /^Identity: the input must be a Tensor, got "x"$/,
    );
    expectTyped(
      () => new Sequential().forward([1, 2] as never),
      ArgumentError,
      /^Sequential: the input must be a Tensor, got \[1, 2\]$/,
    );
  });

  it('a Dense activation function that returns something other than a Tensor is reported by the layer', () => {
    const layer = new Dense(2, 1, { activation: () => 1 as never });
    expectTyped(
      () => layer.forward(zeros([1, 2])),
      ArgumentError,
      /^Dense: the activation 'custom' must return a Tensor, got 1$/,
    );
  });
});

describe('silently wrong results', () => {
  it('crossEntropyLoss refuses a class index beyond int32 instead of wrapping it (2³² + 1 used to become class 1)', () => {
    const logits = tensor([[1, 2, 3]]);
    expectTyped(
      () => crossEntropyLoss(logits, [2 ** 32 + 1]),
      IndexError,
      /^crossEntropyLoss: class index 4294967297 \(element 0\) is out of range for 3 classes/,
    );
    expectTyped(() => crossEntropyLoss(logits, [2 ** 40]), IndexError, /out of range for 3 classes/);
  });

  it('crossEntropyLoss names itself for logits without classes', () => {
    expectTyped(
      () => crossEntropyLoss(zeros([2, 0]), [0, 0]),
      ShapeError,
      /^crossEntropyLoss: the logits of shape \[2,0\] hold no classes/,
    );
  });

  it('scalers refuse to fit on NaN or ±Infinity, which made a whole column NaN or 0', () => {
    expectTyped(
      () =>
        new StandardScaler().fit(
          tensor([
            [1, 2],
            [NaN, 3],
          ]),
        ),
      ArgumentError,
      /^StandardScaler\.fit: cannot fit on NaN \(row 1, column 0\)/,
    );
    expectTyped(
      () => new MinMaxScaler().fit(tensor([[1], [Infinity]])),
      ArgumentError,
      /^MinMaxScaler\.fit: cannot fit on Infinity \(row 1, column 0\)/,
    );
  });

  it('StandardScaler computes the standard deviation of values whose squares overflow', () => {
    // Population std of [1e200, -1e200] is 1e200 (mean 0); d² = 1e400 used to overflow to Infinity.
    const scaler = new StandardScaler().fit(tensor([[1e200], [-1e200]], { dtype: 'float64' }));
    expect(Array.from(scaler.scale?.data() ?? [])).toEqual([1e200]);
    expect(Array.from(scaler.transform(tensor([[1e200], [-1e200]], { dtype: 'float64' })).data())).toEqual([1, -1]);
  });

  it('MinMaxScaler maps a float32 column near 3.4e38 without overflowing (x·scale + offset gave ∞ - ∞ = NaN)', () => {
    const x = tensor([
      [3e38, 0],
      [3e38, 1],
    ]);
    const scaled = new MinMaxScaler({ featureRange: [2, 5] }).fitTransform(x);
    expect(Array.from(scaled.data())).toEqual([2, 2, 2, 5]); // a constant column maps to the low end
  });

  it('xavier initializers refuse a negative gain by name (it reached uniform as low > high)', () => {
    expectTyped(
      () => xavierUniform(zeros([2, 2]), { gain: -1 }),
      ArgumentError,
      /^xavierUniform: gain must be ≥ 0, got -1$/,
    );
  });

  it('loadStateDict with values sharing memory with other parameters (names swapped) loads the values as they were', () => {
    const model = new Sequential(new Dense(2, 2), new Dense(2, 2));
    const dict = model.stateDict();
    const w0 = Array.from((dict['0.weight'] as Tensor).data());
    const w1 = Array.from((dict['1.weight'] as Tensor).data());
    model.loadStateDict({ ...dict, '0.weight': dict['1.weight'] as Tensor, '1.weight': dict['0.weight'] as Tensor });
    const [first, second] = [model.at(0), model.at(1)] as Dense[];
    expect(Array.from((first as Dense).weight.data())).toEqual(w1);
    expect(Array.from((second as Dense).weight.data())).toEqual(w0);
  });

  it('fan-based initializers fill a tensor with a 0-sized axis (nothing to fill) instead of refusing an infinite bound', () => {
    expect(heUniform(zeros([3, 0])).shape).toEqual([3, 0]);
    expect(xavierUniform(zeros([0, 0])).shape).toEqual([0, 0]);
    expectTyped(() => fans(['a', 'b'] as never), ShapeError, /^fans: .* got \["a", "b"\]$/);
  });
});
