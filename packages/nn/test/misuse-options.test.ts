/**
 * Regression tests for issue 25 ("correct under misuse"), the options part:
 * each call below was once accepted without a word, the misspelt or
 * malformed option silently replaced by its default (or a hole in a label
 * array silently read as class 0). Each is now an ArgumentError that names
 * the function, the offending key or value, and what is accepted. The rule
 * is the one '@chainrule/core/internal' states for core, nn and optim alike.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, tensor, zeros } from '@chainrule/core';
import {
  DataLoader,
  Dense,
  Dropout,
  Linear,
  MinMaxScaler,
  StandardScaler,
  bceLoss,
  bceWithLogitsLoss,
  crossEntropyLoss,
  heNormal,
  mlp,
  mseLoss,
  normal,
  saveSafetensors,
  trainTestSplit,
  uniform,
  xavierUniform,
} from '../src/index';

function refused(call: () => unknown, message: RegExp): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ArgumentError);
  expect((error as Error).message).toMatch(message);
}

const data = () => ({ inputs: zeros([4, 2]), targets: zeros([4]) });

describe('a misspelt option key is refused, naming the key and the accepted ones', () => {
  it('layers', () => {
    refused(
      () => new Dense(2, 2, { activaton: 'relu' } as never),
      /^Dense: unknown option 'activaton'; accepted: bias, init, generator, dtype, activation$/,
    );
    // Linear has no activation: giving one used to be overridden by 'linear' without a word.
    refused(
      () => new Linear(2, 2, { activation: 'relu' } as never),
      /^Linear: unknown option 'activation'; accepted: bias, init, generator, dtype$/,
    );
    refused(
      () => mlp([2, 2], { outputActivaton: 'linear' } as never),
      /^mlp: unknown option 'outputActivaton'; accepted: activation, outputActivation, bias, init, generator, dtype$/,
    );
    refused(() => new Dropout(0.5, { seed: 1 } as never), /^Dropout: unknown option 'seed'; accepted: generator$/);
  });

  it('losses', () => {
    const logits = tensor([[1, 2, 3]]);
    refused(
      () => crossEntropyLoss(logits, [0], { reducton: 'sum' } as never),
      /^crossEntropyLoss: unknown option 'reducton'; accepted: reduction, weight, ignoreIndex, labelSmoothing$/,
    );
    refused(
      () => mseLoss(zeros([2]), zeros([2]), { reducton: 'sum' } as never),
      /^mseLoss: unknown option 'reducton'; accepted: reduction$/,
    );
    refused(
      () => bceLoss(zeros([2]), zeros([2]), { posWeight: zeros([2]) } as never),
      /^bceLoss: unknown option 'posWeight'; accepted: reduction, weight$/,
    );
    refused(
      () => bceWithLogitsLoss(zeros([2]), zeros([2]), { pos_weight: zeros([2]) } as never),
      /^bceWithLogitsLoss: unknown option 'pos_weight'; accepted: reduction, weight, posWeight$/,
    );
  });

  it('initializers', () => {
    refused(
      () => uniform(zeros([2]), { lo: -1 } as never),
      /^uniform: unknown option 'lo'; accepted: generator, low, high$/,
    );
    refused(
      () => normal(zeros([2]), { sd: 2 } as never),
      /^normal: unknown option 'sd'; accepted: generator, mean, std$/,
    );
    refused(
      () => xavierUniform(zeros([2, 2]), { gian: 2 } as never),
      /^xavierUniform: unknown option 'gian'; accepted: generator, gain$/,
    );
    refused(
      () => heNormal(zeros([2, 2]), { mode: 'fanIn', nonlinarity: 'relu' } as never),
      /^heNormal: unknown option 'nonlinarity'; accepted: generator, a, mode, nonlinearity$/,
    );
  });

  it('data, scalers and io', () => {
    refused(
      () => new DataLoader(data(), { batchsize: 2 } as never),
      /^DataLoader: unknown option 'batchsize'; accepted: batchSize, shuffle, seed, generator, dropLast$/,
    );
    refused(
      () => trainTestSplit(data(), { test_size: 0.5 } as never),
      /^trainTestSplit: unknown option 'test_size'; accepted: testSize, shuffle, seed, generator$/,
    );
    refused(
      () => new MinMaxScaler({ range: [0, 1] } as never),
      /^MinMaxScaler: unknown option 'range'; accepted: featureRange$/,
    );
    refused(
      () => new StandardScaler({ withMeans: false } as never),
      /^StandardScaler: unknown option 'withMeans'; accepted: withMean, withStd$/,
    );
    refused(
      () => saveSafetensors({}, { meta: {} } as never),
      /^saveSafetensors: unknown option 'meta'; accepted: metadata$/,
    );
  });

  it('module methods', () => {
    const layer = new Dense(2, 2, { generator: new Generator(0) });
    refused(
      () => layer.namedParameters({ recurce: false } as never),
      /^namedParameters: unknown option 'recurce'; accepted: recurse$/,
    );
    refused(
      () => layer.loadStateDict(layer.stateDict(), { strct: false } as never),
      /^loadStateDict: unknown option 'strct'; accepted: strict$/,
    );
  });
});

describe('a boolean option must be true or false', () => {
  it("'yes', 1 and null are refused with the wording optim uses for its flags", () => {
    refused(
      () => new DataLoader(data(), { shuffle: 'yes' } as never),
      /^DataLoader: option 'shuffle' must be true or false, got "yes"$/,
    );
    refused(
      () => trainTestSplit(data(), { shuffle: 1 } as never),
      /^trainTestSplit: option 'shuffle' must be true or false, got 1$/,
    );
    refused(
      () => new StandardScaler({ withStd: null } as never),
      /^StandardScaler: option 'withStd' must be true or false, got null$/,
    );
    // namedParameters took anything but `false` as true: 'no' listed every parameter below.
    refused(
      () => new Dense(2, 2).namedParameters({ recurse: 'no' } as never),
      /^namedParameters: option 'recurse' must be true or false, got "no"$/,
    );
  });
});

describe('a hole in a label array', () => {
  it('is refused by crossEntropyLoss instead of being read as class 0', () => {
    const labels = [0, 1, 2];
    delete labels[1]; // [0, <empty>, 2]: forEach skipped it, and the int32 conversion stored 0
    refused(
      () => crossEntropyLoss(zeros([3, 3]), labels),
      /^crossEntropyLoss: class indices must be integers, element 1 is a hole in the array/,
    );
  });
});
