/**
 * An independent forward pass for the tests: plain loops over the weights
 * read out of a state dict, so the trainer's probabilities and costs are
 * checked against arithmetic that shares no code with the engine's ops.
 */
import type { StateDict } from '@chainrule/nn';

export interface PlainLayer {
  /** Row-major [out, in]. */
  w: Float64Array;
  b: Float64Array;
  inputs: number;
  outputs: number;
}

/** The Dense layers of an mlp's state dict ('0.weight', '0.bias', '1.weight', ...). */
export function plainLayers(state: StateDict): PlainLayer[] {
  const layers: PlainLayer[] = [];
  for (let i = 0; `${i}.weight` in state; i++) {
    const w = state[`${i}.weight`];
    const b = state[`${i}.bias`];
    if (w === undefined || b === undefined) throw new Error(`layer ${i} is incomplete`);
    const [outputs, inputs] = w.shape as [number, number];
    layers.push({ w: Float64Array.from(w.data()), b: Float64Array.from(b.data()), inputs, outputs });
  }
  return layers;
}

const activations = {
  relu: (z: number) => Math.max(z, 0),
  tanh: Math.tanh,
  sigmoid: (z: number) => 1 / (1 + Math.exp(-z)),
  linear: (z: number) => z,
};

/** a⁽ˡ⁾ = σ(W a⁽ˡ⁻¹⁾ + b) through every layer, the last with `output`. */
export function plainForward(
  layers: PlainLayer[],
  input: ArrayLike<number>,
  hidden: keyof typeof activations,
  output: keyof typeof activations,
): number[] {
  let a = Array.from(input);
  layers.forEach((l, k) => {
    const f = activations[k === layers.length - 1 ? output : hidden];
    const next: number[] = [];
    for (let j = 0; j < l.outputs; j++) {
      let z = l.b[j] as number;
      for (let i = 0; i < l.inputs; i++) z += (l.w[j * l.inputs + i] as number) * (a[i] as number);
      next.push(f(z));
    }
    a = next;
  });
  return a;
}
