import { describe, expect, it } from 'vitest';
import { ArgumentError, Generator, ShapeError, Tensor, noGrad, tensor } from '@chainrule/core';
import { Dense, Linear, Sequential, constant, mlp, mseLoss } from '../src/index';
import { expectClose, expectParameterGradientMatches } from './helpers';

const sigma = (v: number): number => 1 / (1 + Math.exp(-v));

/** A float64 Dense layer with the given weight [out, in] and bias. */
function layerWith(weight: number[][], bias: number[], activation?: Dense['activationName']): Dense {
  const layer = new Dense(weight[0]!.length, weight.length, {
    dtype: 'float64',
    ...(activation === undefined ? {} : { activation: activation as 'relu' }),
  });
  layer.loadStateDict({ weight: tensor(weight, { dtype: 'float64' }), bias: tensor(bias, { dtype: 'float64' }) });
  return layer;
}

describe('Dense forward', () => {
  it('is a = σ(W a_prev + b) for one sample, W stored [to, from]', () => {
    // Textbook notation: w_{j,k} is the weight to neuron j from neuron k.
    const layer = layerWith(
      [
        [0.1, -0.2, 0.3],
        [0.5, 0.4, -0.6],
      ],
      [0.05, -0.1],
    );
    const a = [1, 2, 3];
    // Hand computation: z_0 = 0.1·1 - 0.2·2 + 0.3·3 + 0.05 = 0.65; z_1 = 0.5 + 0.8 - 1.8 - 0.1 = -0.6.
    const out = layer.forward(tensor(a, { dtype: 'float64' }));
    expectClose(out, [sigma(0.65), sigma(-0.6)], { rtol: 1e-15, atol: 0 });
  });

  it('computes x·Wᵀ + b row by row for a batch [batch, in]', () => {
    const layer = layerWith(
      [
        [1, 2],
        [3, 4],
        [-1, 0.5],
      ],
      [0.5, 0, -1],
    );
    const x = [
      [1, 0],
      [0, 1],
      [2, -1],
    ];
    const out = layer.forward(tensor(x, { dtype: 'float64' }));
    // z[n][j] = Σ_k W[j][k] x[n][k] + b[j], written out for each sample.
    const z = [
      [1 + 0.5, 3, -1 - 1],
      [2 + 0.5, 4, 0.5 - 1],
      [2 - 2 + 0.5, 6 - 4, -2 - 0.5 - 1],
    ];
    expectClose(
      out,
      z.map((row) => row.map(sigma)),
      { rtol: 1e-15, atol: 0 },
    );
    expect(out.shape).toEqual([3, 3]);
  });

  it('applies the activation named, or a function', () => {
    const x = tensor([[1, -1]], { dtype: 'float64' });
    const weight = [
      [2, 0],
      [0, 2],
    ];
    // z = [2, -2]
    expectClose(layerWith(weight, [0, 0], 'relu').forward(x), [[2, 0]], { rtol: 0, atol: 0 });
    expectClose(layerWith(weight, [0, 0], 'linear').forward(x), [[2, -2]], { rtol: 0, atol: 0 });
    expectClose(layerWith(weight, [0, 0], 'tanh').forward(x), [[Math.tanh(2), Math.tanh(-2)]], {
      rtol: 1e-15,
      atol: 0,
    });
    const e = Math.exp(4);
    expectClose(layerWith(weight, [0, 0], 'softmax').forward(x), [[e / (e + 1), 1 / (e + 1)]], {
      rtol: 1e-15,
      atol: 1e-17,
    });
    expectClose(layerWith(weight, [0, 0], 'leakyRelu').forward(x), [[2, -0.02]], { rtol: 1e-15, atol: 0 });
    const cube = new Dense(2, 2, { dtype: 'float64', activation: (z: Tensor) => z.pow(3) });
    cube.loadStateDict({ weight: tensor(weight, { dtype: 'float64' }), bias: tensor([0, 0], { dtype: 'float64' }) });
    expectClose(cube.forward(x), [[8, -8]], { rtol: 0, atol: 0 });
    expect(cube.activationName).toBe('custom');
  });

  it('works without bias, and Linear has no activation', () => {
    const layer = new Dense(2, 1, { bias: false, activation: 'linear' });
    expect(layer.bias).toBeNull();
    expect(layer.namedParameters().map(([n]) => n)).toEqual(['weight']);
    const linear = new Linear(3, 2);
    noGrad(() => {
      constant(linear.weight, 1);
      constant(linear.bias as Tensor, -10);
    });
    expect(linear.forward(tensor([[1, 2, 3]])).toArray()).toEqual([[-4, -4]]);
  });

  it('refuses inputs whose last axis is not inFeatures, naming the shapes', () => {
    const layer = new Dense(3, 2);
    expect(() => layer.forward(tensor([[1, 2]]))).toThrow(ShapeError);
    expect(() => layer.forward(tensor([[1, 2]]))).toThrow(
      /Dense: expected an input whose last axis holds the 3 input features.*got shape \[1,2\]/,
    );
    expect(() => layer.forward(tensor(1))).toThrow(ShapeError);
  });

  it('refuses bad sizes, activations and inits', () => {
    expect(() => new Dense(0, 2)).toThrow(ArgumentError);
    expect(() => new Dense(2.5, 2)).toThrow(ArgumentError);
    expect(() => new Dense(2, 2, { activation: 'swish' as 'relu' })).toThrow(/unknown activation "swish"/);
    expect(() => new Dense(2, 2, { init: 'orthogonal' as 'heNormal' })).toThrow(ArgumentError);
    expect(() => new Linear(2, 2, { bias: 1 as unknown as boolean })).toThrow(ArgumentError);
  });
});

describe('Dense gradients', () => {
  it('match finite differences for weight and bias, for each activation', () => {
    const x = tensor(
      [
        [0.3, -1.2, 0.5],
        [0.8, 0.1, -0.4],
      ],
      { dtype: 'float64' },
    );
    const y = tensor(
      [
        [0.2, 0.9],
        [0.6, 0.1],
      ],
      { dtype: 'float64' },
    );
    for (const activation of ['sigmoid', 'tanh', 'linear', 'softmax', 'leakyRelu'] as const) {
      const layer = new Dense(3, 2, { activation, dtype: 'float64', generator: new Generator(11) });
      for (const p of layer.parameters()) expectParameterGradientMatches(() => mseLoss(layer.forward(x), y), p);
    }
  });

  it("give the textbook delta rule for one sigmoid neuron: ∂C/∂w = (a - y)·σ'(z)·a_prev with C = ½(a - y)²", () => {
    const layer = layerWith([[0.4, -0.3]], [0.1]);
    const aPrev = [0.5, 0.8];
    const z = 0.4 * 0.5 - 0.3 * 0.8 + 0.1;
    const a = sigma(z);
    const y = 1;
    const delta = (a - y) * a * (1 - a);
    layer
      .forward(tensor(aPrev, { dtype: 'float64' }))
      .sub(y)
      .square()
      .mul(0.5)
      .sum()
      .backward();
    expectClose(layer.weight.grad ?? [], [[delta * 0.5, delta * 0.8]], { rtol: 1e-14, atol: 0 });
    expectClose(layer.bias?.grad ?? [], [delta], { rtol: 1e-14, atol: 0 });
  });
});

describe('Dense initialization', () => {
  it('defaults to Xavier uniform for sigmoid (|w| ≤ √(6 / (in + out))) and zero biases', () => {
    const layer = new Dense(30, 20);
    const bound = Math.sqrt(6 / 50);
    const w = Array.from(layer.weight.data());
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Array.from(layer.bias?.data() ?? [1])).toEqual(new Array(20).fill(0));
  });

  it('defaults to He uniform for relu (|w| ≤ √2·√(3 / in)), and Xavier with gain 5/3 for tanh', () => {
    const relu = Array.from(new Dense(50, 40, { activation: 'relu' }).weight.data()).map(Math.abs);
    expect(Math.max(...relu)).toBeLessThanOrEqual(Math.SQRT2 * Math.sqrt(3 / 50));
    expect(Math.max(...relu)).toBeGreaterThan(0.9 * Math.SQRT2 * Math.sqrt(3 / 50));
    const tanh = Array.from(new Dense(50, 40, { activation: 'tanh' }).weight.data()).map(Math.abs);
    expect(Math.max(...tanh)).toBeLessThanOrEqual((5 / 3) * Math.sqrt(6 / 90));
    expect(Math.max(...tanh)).toBeGreaterThan(0.9 * (5 / 3) * Math.sqrt(6 / 90));
  });

  it('is reproducible by generator and differs between seeds', () => {
    const a = new Dense(4, 3, { generator: new Generator(42) }).weight.toArray();
    expect(new Dense(4, 3, { generator: new Generator(42) }).weight.toArray()).toEqual(a);
    expect(new Dense(4, 3, { generator: new Generator(43) }).weight.toArray()).not.toEqual(a);
  });

  it("takes an init function, e.g. the textbook's constant 0.1", () => {
    const layer = new Dense(2, 2, { init: (w) => constant(w, 0.1) });
    expect(layer.weight.toArray()).toEqual([
      [Math.fround(0.1), Math.fround(0.1)],
      [Math.fround(0.1), Math.fround(0.1)],
    ]);
  });
});

describe('mlp', () => {
  it('builds Dense layers between consecutive sizes, sigmoid everywhere by default', () => {
    const model = mlp([784, 64, 10]);
    const layers = [...model] as Dense[];
    expect(layers.map((l) => [l.inFeatures, l.outFeatures, l.activationName])).toEqual([
      [784, 64, 'sigmoid'],
      [64, 10, 'sigmoid'],
    ]);
    expect(model).toBeInstanceOf(Sequential);
  });

  it('uses outputActivation for the last layer only', () => {
    const layers = [...mlp([3, 5, 5, 2], { activation: 'relu', outputActivation: 'linear' })] as Dense[];
    expect(layers.map((l) => l.activationName)).toEqual(['relu', 'relu', 'linear']);
  });

  it('is reproducible with a generator and produces [batch, out]', () => {
    const x = tensor([
      [0, 1],
      [1, 0],
      [1, 1],
    ]);
    const a = mlp([2, 4, 1], { generator: new Generator(3) }).forward(x);
    expect(a.shape).toEqual([3, 1]);
    expect(
      mlp([2, 4, 1], { generator: new Generator(3) })
        .forward(x)
        .toArray(),
    ).toEqual(a.toArray());
  });

  it('refuses fewer than two sizes or non-positive sizes', () => {
    expect(() => mlp([3])).toThrow(ArgumentError);
    expect(() => mlp([3, 0, 1])).toThrow(ArgumentError);
  });
});

// Issue 20: Dense hands its activation to core's linear when linear can apply
// it as the product is written (relu, sigmoid, tanh, gelu).
describe('Dense fuses the activations linear knows', () => {
  const x = () =>
    tensor([
      [0.3, -1.2, 2.0],
      [-0.7, 0.1, 0.9],
    ]);

  for (const activation of ['relu', 'sigmoid', 'tanh', 'gelu'] as const) {
    it(`${activation}: one linear node, with the values and gradients of the unfused layer`, () => {
      const fused = new Dense(3, 4, { activation, generator: new Generator(5) });
      // The same layer with the activation as a function of its own, which is applied as written.
      const plain = new Dense(3, 4, { activation: (z: Tensor) => fused.activation(z) });
      plain.loadStateDict(fused.stateDict());
      const y = fused.forward(x());
      expect(y.gradFn?.name).toBe('linear');
      expect(y.gradFn?.params).toBe(activation);
      const yPlain = plain.forward(x());
      expect(yPlain.gradFn?.name).not.toBe('linear');
      expect(Array.from(y.data())).toEqual(Array.from(yPlain.data()));
      y.mul(y).sum().backward();
      yPlain.mul(yPlain).sum().backward();
      expect(Array.from(fused.weight.grad?.data() ?? [])).toEqual(Array.from(plain.weight.grad?.data() ?? []));
      expect(Array.from(fused.bias?.grad?.data() ?? [])).toEqual(Array.from(plain.bias?.grad?.data() ?? []));
    });
  }

  it('applies a function of its own as written, even one named like a fused activation', () => {
    const halved = function sigmoid(z: Tensor): Tensor {
      return z.sigmoid().mul(0.5);
    };
    const layer = new Dense(3, 2, { activation: halved, generator: new Generator(2) });
    expect(layer.activationName).toBe('sigmoid');
    const y = layer.forward(x());
    expect(y.gradFn?.name).toBe('mul');
    expect(Math.max(...Array.from(y.data()))).toBeLessThanOrEqual(0.5);
  });
});
