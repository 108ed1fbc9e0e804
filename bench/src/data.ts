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
