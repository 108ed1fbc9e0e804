/**
 * Inputs every engine shares: the same numbers, made by one small seeded
 * generator here, so no engine's own RNG decides what is measured.
 */
export function uniformArray(size: number, seed: number, scale = 1): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

/** Inputs in [0, 1) like scaled pixels, and one-hot targets. */
export function batchData(batch: number, inputs: number, outputs: number, seed: number) {
  const x = uniformArray(batch * inputs, seed).map((v) => Math.abs(v));
  const y = new Float32Array(batch * outputs);
  for (let i = 0; i < batch; i++) y[i * outputs + (i % outputs)] = 1;
  return { x, y };
}

/** Weights with the scale of PyTorch's default Linear init, U(-1/√in, 1/√in). */
export function layerWeights(inputs: number, outputs: number, seed: number) {
  const bound = 1 / Math.sqrt(inputs);
  return { w: uniformArray(outputs * inputs, seed, bound), b: uniformArray(outputs, seed + 1, bound) };
}

/** The inputs of a convolution case: x [N, C, H, W], weight [O, C, k, k] and bias with PyTorch's init scale, and an upstream gradient [N, O, Ho, Wo]. */
export function convData(n: number, c: number, o: number, size: number, kernel: number, outSize: number) {
  const { w, b } = layerWeights(c * kernel * kernel, o, 3);
  return {
    x: uniformArray(n * c * size * size, 1),
    w,
    b,
    dy: uniformArray(n * o * outSize * outSize, 5),
  };
}

/** LeNet-5's layers in PyTorch's layouts (conv weights [O, C, kH, kW], dense weights [out, in]). */
export const lenetShapes: readonly (readonly number[])[] = [
  [6, 1, 5, 5],
  [16, 6, 5, 5],
  [120, 400],
  [84, 120],
  [10, 84],
];

/** LeNet-5's weights and biases, each layer U(-1/√fanIn, 1/√fanIn) as PyTorch's default init. */
export function lenetParams(): { shape: readonly number[]; w: Float32Array; b: Float32Array }[] {
  return lenetShapes.map((shape, i) => {
    const fanIn = shape.slice(1).reduce((a, d) => a * d, 1);
    return { shape, ...layerWeights(fanIn, shape[0] as number, 21 + 2 * i) };
  });
}

/** A batch of MNIST-sized images [batch, 1, 28, 28] in [0, 1), their labels (i mod 10) and one-hot rows. */
export function lenetBatch(batch: number) {
  const { x, y } = batchData(batch, 28 * 28, 10, 17);
  return { x, labels: Array.from({ length: batch }, (_, i) => i % 10), oneHot: y };
}
