/**
 * The README's "researcher's custom layer", as a file of its own so that the
 * README shows exactly this code and the tests beside it run it.
 */
// README: begin custom-layer
import { zeros, type Tensor } from '@chainrule/core';
import { Module, parameter, xavierUniform } from '@chainrule/nn';

/** The layer's math as a function of tensors: tanh(x·Wᵀ + b) ⊙ σ(x·Gᵀ + c). */
export function gated(x: Tensor, weight: Tensor, bias: Tensor, gateWeight: Tensor, gateBias: Tensor): Tensor {
  const value = x.matmul(weight.T).add(bias).tanh();
  const gate = x.matmul(gateWeight.T).add(gateBias).sigmoid(); // how much of each neuron passes
  return value.mul(gate);
}

/** A dense layer whose neurons each have a learned gate. */
export class GatedDense extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly gateWeight: Tensor;
  readonly gateBias: Tensor;

  constructor(inFeatures: number, outFeatures: number) {
    super();
    this.weight = parameter(xavierUniform(zeros([outFeatures, inFeatures])));
    this.bias = parameter(zeros([outFeatures]));
    this.gateWeight = parameter(xavierUniform(zeros([outFeatures, inFeatures])));
    this.gateBias = parameter(zeros([outFeatures]));
  }

  forward(x: Tensor): Tensor {
    return gated(x, this.weight, this.bias, this.gateWeight, this.gateBias);
  }
}
// README: end
