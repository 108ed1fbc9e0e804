import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  DTypeError,
  GraphError,
  ShapeError,
  Tensor,
  Generator,
  ones,
  tensor,
  zeros,
} from '@chainrule/core';
import { Dense, Dropout, Linear, Module, ReLU, Sequential, Sigmoid, isParameter, mlp, parameter } from '../src/index';

/** A model holding its layers in an array, as researchers often write them. */
class Stack extends Module {
  readonly layers: Module[];
  readonly note = 'not state';
  readonly cached = tensor([1, 2]); // a plain tensor: not a parameter
  constructor() {
    super();
    this.layers = [
      new Dense(2, 3, { generator: new Generator(0) }),
      new Dense(3, 1, { bias: false, generator: new Generator(1) }),
    ];
  }
  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }
}

describe('Module: parameters and names', () => {
  it('names parameters by dotted property paths, array elements by index', () => {
    expect(new Stack().namedParameters().map(([name]) => name)).toEqual([
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
    ]);
  });

  it('names Sequential children by position, as PyTorch does', () => {
    const model = new Sequential(new Linear(2, 4), new Sigmoid(), new Linear(4, 1));
    expect(model.namedParameters().map(([name, p]) => [name, [...p.shape]])).toEqual([
      ['0.weight', [4, 2]],
      ['0.bias', [4]],
      ['2.weight', [1, 4]],
      ['2.bias', [1]],
    ]);
    expect(model.namedChildren().map(([name]) => name)).toEqual(['0', '1', '2']);
    expect(model.length).toBe(3);
    expect(model.at(-1)).toBe(model.children()[2]);
  });

  it('counts parameters: mlp([784, 64, 10]) has 784·64 + 64 + 64·10 + 10', () => {
    expect(mlp([784, 64, 10]).parameterCount()).toBe(784 * 64 + 64 + 64 * 10 + 10);
    expect(new Stack().parameterCount()).toBe(2 * 3 + 3 + 3);
  });

  it('lists modules parents first and each once', () => {
    const shared = new Dense(2, 2);
    const model = new Sequential(shared, new ReLU(), shared);
    expect(model.namedModules().map(([name]) => name)).toEqual(['', '0', '1']);
    // A shared layer's parameters are listed once for optimizers...
    expect(model.parameters()).toHaveLength(2);
    expect(model.parameters()[0]).toBe(shared.weight);
  });

  it('only finds tensors marked with parameter()', () => {
    const s = new Stack();
    expect(s.parameters()).not.toContain(s.cached);
    expect(isParameter(s.cached)).toBe(false);
    expect(isParameter((s.layers[0] as Dense).weight)).toBe(true);
  });

  it('parameter() makes a leaf require grad and refuses integer or non-leaf tensors', () => {
    const p = parameter(zeros([2]));
    expect(p.requiresGrad).toBe(true);
    expect(() => parameter(tensor([1], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => parameter(p.mul(2))).toThrow(GraphError);
    expect(() => parameter([1] as unknown as Tensor)).toThrow(ArgumentError);
  });
});

describe('Module: train, eval, zeroGrad', () => {
  it('train/eval set the mode of every module below', () => {
    const inner = new Sequential(new Dropout(0.5), new Linear(2, 2));
    const model = new Sequential(new Linear(2, 2), inner);
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(model.eval()).toBe(model);
    expect(model.modules().map((m) => m.training)).toEqual([false, false, false, false, false]);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(() => model.train('yes' as unknown as boolean)).toThrow(ArgumentError);
  });

  it('zeroGrad clears every gradient', () => {
    const model = mlp([2, 3, 1]);
    model
      .forward(tensor([[1, 2]]))
      .sum()
      .backward();
    expect(model.parameters().every((p) => p.grad !== null)).toBe(true);
    model.zeroGrad();
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });
});

describe('Module: stateDict and loadStateDict', () => {
  it('stateDict holds every parameter by name, sharing memory but cut from the graph', () => {
    const model = mlp([2, 3, 1]);
    const dict = model.stateDict();
    expect(Object.keys(dict)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    const w = dict['0.weight'] as Tensor;
    expect(w.requiresGrad).toBe(false);
    expect(w.storage).toBe((model.at(0) as Dense).weight.storage);
  });

  it('loads values into the existing parameter tensors (optimizers keep working)', () => {
    const source = mlp([2, 3, 1], { generator: new Generator(1) });
    const target = mlp([2, 3, 1], { generator: new Generator(2) });
    const before = target.parameters();
    expect(target.loadStateDict(source.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(target.parameters()).toEqual(before);
    for (const [a, b] of target.parameters().map((p, i) => [p, source.parameters()[i]] as const)) {
      expect(a).toBe(before[target.parameters().indexOf(a)]);
      expect(Array.from(a.data())).toEqual(Array.from((b as Tensor).data()));
    }
  });

  it("loads its own state dict (values sharing the parameters' memory) unchanged", () => {
    const model = mlp([2, 3, 1], { generator: new Generator(8) });
    const snapshot = model.parameters().map((p) => Array.from(p.data()));
    model.loadStateDict(model.stateDict());
    expect(model.parameters().map((p) => Array.from(p.data()))).toEqual(snapshot);
  });

  it('converts float64 values into float32 parameters', () => {
    const layer = new Linear(1, 1);
    layer.loadStateDict({ weight: tensor([[0.1]], { dtype: 'float64' }), bias: tensor([2], { dtype: 'float64' }) });
    expect(layer.weight.dtype).toBe('float32');
    expect(layer.weight.item()).toBe(Math.fround(0.1));
  });

  it('strict loading names the missing and the unexpected keys', () => {
    const model = mlp([2, 3, 1]);
    const dict = model.stateDict();
    delete dict['1.bias'];
    dict['1.scale'] = ones([1]);
    expect(() => model.loadStateDict(dict)).toThrow(ArgumentError);
    expect(() => model.loadStateDict(dict)).toThrow(/missing keys \['1\.bias'\]; unexpected keys \['1\.scale'\]/);
  });

  it('non-strict loading loads the matching names and reports the others', () => {
    const model = mlp([2, 3, 1], { generator: new Generator(3) });
    const dict = mlp([2, 3, 1], { generator: new Generator(4) }).stateDict();
    delete dict['1.bias'];
    dict['extra'] = ones([1]);
    const oldBias = (model.at(1) as Dense).bias?.item();
    expect(model.loadStateDict(dict, { strict: false })).toEqual({
      missingKeys: ['1.bias'],
      unexpectedKeys: ['extra'],
    });
    expect(Array.from((model.at(0) as Dense).weight.data())).toEqual(Array.from((dict['0.weight'] as Tensor).data()));
    expect((model.at(1) as Dense).bias?.item()).toBe(oldBias);
  });

  it('a failing load changes nothing, even for the names that matched', () => {
    const model = mlp([2, 3, 1], { generator: new Generator(5) });
    const snapshot = model.parameters().map((p) => Array.from(p.data()));
    const dict = mlp([2, 3, 1], { generator: new Generator(6) }).stateDict();
    dict['1.weight'] = zeros([3, 1]); // transposed: the last entry is the bad one
    expect(() => model.loadStateDict(dict)).toThrow(ShapeError);
    expect(() => model.loadStateDict(dict)).toThrow(/'1\.weight' has shape \[3,1\], the parameter has \[1,3\]/);
    expect(() => model.loadStateDict(dict, { strict: false })).toThrow(ShapeError);
    expect(model.parameters().map((p) => Array.from(p.data()))).toEqual(snapshot);
  });

  it('refuses non-tensor values, bool tensors and non-objects', () => {
    const layer = new Linear(1, 1);
    expect(() => layer.loadStateDict({ weight: [[1]] as unknown as Tensor, bias: zeros([1]) })).toThrow(ArgumentError);
    expect(() => layer.loadStateDict({ weight: tensor([[true]]), bias: zeros([1]) })).toThrow(DTypeError);
    expect(() => layer.loadStateDict(null as unknown as Record<string, Tensor>)).toThrow(ArgumentError);
    expect(() => layer.loadStateDict(zeros([1]) as unknown as Record<string, Tensor>)).toThrow(ArgumentError);
  });
});

describe('Module: toString', () => {
  it('shows each layer with its settings, parameter shapes and counts', () => {
    const text = new Sequential(new Dense(2, 4), new Dropout(0.1), new Linear(4, 1, { bias: false })).toString();
    expect(text).toBe(
      [
        'Sequential  (16 parameters)',
        '  0: Dense(2 → 4, sigmoid)  weight [4,2], bias [4]  (12 parameters)',
        '  1: Dropout(p=0.1)',
        '  2: Linear(4 → 1, no bias)  weight [1,4]  (4 parameters)',
        '16 parameters, 16 trainable',
      ].join('\n'),
    );
  });

  it('indents nested models and marks frozen parameters', () => {
    const model = new Stack();
    (model.layers[1] as Dense).weight.requiresGrad = false;
    expect(model.toString()).toBe(
      [
        'Stack  (12 parameters)',
        '  layers.0: Dense(2 → 3, sigmoid)  weight [3,2], bias [3]  (9 parameters)',
        '  layers.1: Dense(3 → 1, sigmoid, no bias)  weight [1,3] (frozen)  (3 parameters)',
        '12 parameters, 9 trainable',
      ].join('\n'),
    );
  });
});
