/**
 * Bad options are refused at construction with an ArgumentError whose
 * message names the optimizer, the option and what would be accepted.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor, type Tensor } from '@chainrule/core';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '../src/index';

type Make = (params: Tensor[], options: Record<string, unknown>) => unknown;

const makers: Record<string, Make> = {
  SGD: (p, o) => new SGD(p, { lr: 0.1, ...o } as never),
  Adam: (p, o) => new Adam(p, o),
  AdamW: (p, o) => new AdamW(p, o),
  RMSprop: (p, o) => new RMSprop(p, o),
  Adagrad: (p, o) => new Adagrad(p, o),
};

const NUMBER = 'a finite number ≥ 0';
const BETAS = 'a pair \\[beta1, beta2\\] of numbers in \\[0, 1\\)';

// [optimizer, options, the message after "<optimizer>: "]
const cases: [string, Record<string, unknown>, string][] = [
  ['SGD', { lr: -0.1 }, `option 'lr' must be ${NUMBER}, got -0.1`],
  ['SGD', { lr: NaN }, `option 'lr' must be ${NUMBER}, got NaN`],
  ['SGD', { lr: Infinity }, `option 'lr' must be ${NUMBER}, got Infinity`],
  ['SGD', { lr: '0.1' }, `option 'lr' must be ${NUMBER}, got "0.1"`],
  ['SGD', { lr: null }, `option 'lr' must be ${NUMBER}, got null`],
  ['SGD', { momentum: -0.5 }, `option 'momentum' must be ${NUMBER}, got -0.5`],
  ['SGD', { dampening: NaN }, `option 'dampening' must be a finite number, got NaN`],
  ['SGD', { weightDecay: -1 }, `option 'weightDecay' must be ${NUMBER}, got -1`],
  ['SGD', { nesterov: 'yes' }, `option 'nesterov' must be true or false, got "yes"`],
  ['SGD', { maximize: 1 }, `option 'maximize' must be true or false, got 1`],
  ['SGD', { nonFinite: 'ignore' }, `option 'nonFinite' must be 'throw' or 'skip', got "ignore"`],
  ['Adam', { lr: -1 }, `option 'lr' must be ${NUMBER}, got -1`],
  ['Adam', { betas: [1, 0.999] }, `option 'betas' must be ${BETAS}, got \\[1, 0.999\\]`],
  ['Adam', { betas: [0.9, -0.1] }, `option 'betas' must be ${BETAS}, got \\[0.9, -0.1\\]`],
  ['Adam', { betas: [0.9] }, `option 'betas' must be ${BETAS}, got \\[0.9\\]`],
  ['Adam', { betas: 0.9 }, `option 'betas' must be ${BETAS}, got 0.9`],
  ['Adam', { eps: -1e-8 }, `option 'eps' must be ${NUMBER}, got -1e-8`],
  ['Adam', { weightDecay: -0.1 }, `option 'weightDecay' must be ${NUMBER}, got -0.1`],
  ['Adam', { amsgrad: 'true' }, `option 'amsgrad' must be true or false, got "true"`],
  [
    'Adam',
    { momentum: 0.9 },
    `unknown option 'momentum'; accepted: lr, betas, eps, weightDecay, amsgrad, maximize, nonFinite`,
  ],
  ['AdamW', { betas: [0.9, 1] }, `option 'betas' must be ${BETAS}, got \\[0.9, 1\\]`],
  ['AdamW', { weightDecay: -0.01 }, `option 'weightDecay' must be ${NUMBER}, got -0.01`],
  ['AdamW', { lr: Infinity }, `option 'lr' must be ${NUMBER}, got Infinity`],
  ['RMSprop', { alpha: 1.5 }, `option 'alpha' must be a number in \\[0, 1\\], got 1.5`],
  ['RMSprop', { alpha: -0.1 }, `option 'alpha' must be a number in \\[0, 1\\], got -0.1`],
  ['RMSprop', { eps: -1 }, `option 'eps' must be ${NUMBER}, got -1`],
  ['RMSprop', { momentum: -0.9 }, `option 'momentum' must be ${NUMBER}, got -0.9`],
  ['RMSprop', { weightDecay: -1 }, `option 'weightDecay' must be ${NUMBER}, got -1`],
  ['RMSprop', { centered: 1 }, `option 'centered' must be true or false, got 1`],
  ['Adagrad', { lrDecay: -1 }, `option 'lrDecay' must be ${NUMBER}, got -1`],
  ['Adagrad', { initialAccumulatorValue: -0.1 }, `option 'initialAccumulatorValue' must be ${NUMBER}, got -0.1`],
  ['Adagrad', { eps: -1 }, `option 'eps' must be ${NUMBER}, got -1`],
  ['Adagrad', { weightDecay: -1 }, `option 'weightDecay' must be ${NUMBER}, got -1`],
];

describe('construction refuses bad options', () => {
  for (const [name, options, message] of cases) {
    it(`${name} ${JSON.stringify(options)}`, () => {
      const w = tensor([1], { requiresGrad: true });
      const make = makers[name] as Make;
      expect(() => make([w], options)).toThrow(ArgumentError);
      expect(() => make([w], options)).toThrow(new RegExp(`^${name}: ${message}`));
    });
  }

  it('names the group when a group option is bad', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([1], { requiresGrad: true });
    expect(() => new Adam([{ params: [a] }, { params: [b], lr: -1 }])).toThrow(
      /^Adam: option 'lr' must be a finite number ≥ 0 \(param group 1\), got -1/,
    );
  });

  it('requires an lr for SGD', () => {
    const w = tensor([1], { requiresGrad: true });
    expect(() => new SGD([w], {} as never)).toThrow(/^SGD: option 'lr' is required; it must be a finite number ≥ 0/);
  });

  it('accepts the boundary values', () => {
    const w = tensor([1], { requiresGrad: true });
    expect(() => new SGD([w], { lr: 0, momentum: 0, weightDecay: 0 })).not.toThrow();
    expect(() => new Adam([w], { betas: [0, 0], eps: 0 })).not.toThrow();
    expect(() => new RMSprop([w], { alpha: 0 })).not.toThrow();
    expect(() => new RMSprop([w], { alpha: 1 })).not.toThrow();
  });
});
