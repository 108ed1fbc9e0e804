/**
 * Module.functionalCall, PyTorch's torch.func.functional_call: forward with
 * other tensors in place of named parameters and buffers, the module's own
 * put back afterwards. Expected outputs are computed by hand from the
 * tensors given (a Linear layer is x Wᵀ + b).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, ShapeError, tensor, type Tensor } from '@chainrule/core';
import { BatchNorm1d, LSTM, Linear, Module, Sequential, parameter } from '../src/index';

describe('Module.functionalCall', () => {
  it('runs forward with the given tensors and puts the own ones back', () => {
    const layer = new Linear(2, 1);
    const own = layer.weight;
    const w = tensor([[1, 2]]);
    const b = tensor([0.5]);
    // [3, 4]·[1, 2] + 0.5 = 11.5
    expect(layer.functionalCall({ weight: w, bias: b }, tensor([[3, 4]])).toArray()).toEqual([[11.5]]);
    expect(layer.weight).toBe(own);
    expect(layer.namedParameters()[0]?.[1]).toBe(own);
  });

  it('keeps the own tensors for names left out, and reaches nested, registered and array-held state', () => {
    class Pair extends Module {
      readonly gains = [parameter(tensor([2])), parameter(tensor([3]))];
      readonly inner = new Sequential(new Linear(1, 1));
      forward(x: Tensor) {
        return this.inner.forward(x.mul(this.gains[0] as Tensor).mul(this.gains[1] as Tensor));
      }
    }
    const m = new Pair();
    const state = { 'gains.1': tensor([10]), 'inner.0.weight': tensor([[1]]), 'inner.0.bias': tensor([0]) };
    // 1 · 2 (own gain 0) · 10 (given gain 1) · 1 + 0 = 20
    expect(m.functionalCall(state, tensor([[1]])).item()).toBe(20);
    expect(m.gains[1]?.item()).toBe(3);
  });

  it('reaches the weights an LSTM reads at every step', () => {
    const lstm = new LSTM(1, 1, { bias: false });
    const zero = { weight_ih_l0: tensor([[0], [0], [0], [0]]), weight_hh_l0: tensor([[0], [0], [0], [0]]) };
    // All gates σ(0) = ½ and g = tanh(0) = 0, so c = ½·0 + ½·0 = 0 and h = ½·tanh(0) = 0.
    const { output } = lstm.functionalCall(zero, tensor([[[5]]]));
    expect(output.toArray()).toEqual([[[0]]]);
    expect(lstm.forward(tensor([[[5]]])).output.item()).not.toBe(0);
  });

  it('lets forward update the given buffers, not the own ones', () => {
    const bn = new BatchNorm1d(1);
    const running = tensor([0]);
    bn.functionalCall({ running_mean: running }, tensor([[2], [4]]));
    // momentum 0.1: 0.9·0 + 0.1·3 = 0.3
    expect(running.item()).toBeCloseTo(0.3, 6);
    expect(
      bn
        .namedBuffers()
        .find(([n]) => n === 'running_mean')?.[1]
        .item(),
    ).toBe(0);
  });

  it('puts the own tensors back when forward throws', () => {
    const layer = new Linear(2, 1);
    const own = layer.weight;
    expect(() => layer.functionalCall({ weight: tensor([[1, 2]]) }, tensor([[1, 2, 3]]))).toThrow(ShapeError);
    expect(layer.weight).toBe(own);
  });

  it('checks every name and shape before changing anything', () => {
    const layer = new Linear(2, 1);
    const own = layer.weight;
    expect(() => layer.functionalCall({ weight: tensor([[1, 2]]), nope: tensor([1]) }, tensor([[1, 2]]))).toThrow(
      /^functionalCall: the module has no parameter or buffer 'nope'; its names are \['weight', 'bias'\]/,
    );
    expect(() => layer.functionalCall({ weight: tensor([1, 2]) }, tensor([[1, 2]]))).toThrow(
      /functionalCall: state 'weight' has shape \[2\], the module's tensor has \[1,2\]/,
    );
    expect(() => layer.functionalCall({ weight: [1, 2] as never }, tensor([[1, 2]]))).toThrow(ArgumentError);
    expect(layer.weight).toBe(own);
  });
});
