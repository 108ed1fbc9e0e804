/** Running exported models in onnxruntime-node (its CPU build ships in the npm package). */
import { type FloatDType, Tensor, tensor } from '@chainrule/core';
import * as ort from 'onnxruntime-node';

/** Runs `bytes` in ONNX Runtime on `feeds` and returns the outputs by name as chainrule tensors. */
export async function runOnnx(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const data =
        t.dtype === 'float64'
          ? Float64Array.from(t.flatten().toArray() as number[])
          : Float32Array.from(t.flatten().toArray() as number[]);
      input[name] = new ort.Tensor(t.dtype === 'float64' ? 'float64' : 'float32', data, [...t.shape]);
    }
    const out = await session.run(input);
    const result: Record<string, Tensor> = {};
    for (const [name, v] of Object.entries(out)) {
      const dtype: FloatDType = v.type === 'float64' ? 'float64' : 'float32';
      result[name] = tensor(v.data as Float32Array | Float64Array, { dtype, shape: v.dims.map(Number) });
    }
    return result;
  } finally {
    await session.release();
  }
}

/** The largest |a − b| (NaN where the shapes differ, or where exactly one is NaN). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  if (a.shape.join() !== b.shape.join()) return Number.NaN;
  const x = a.flatten().toArray() as number[];
  const y = b.flatten().toArray() as number[];
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const p = x[i] as number;
    const q = y[i] as number;
    if (Number.isNaN(p) && Number.isNaN(q)) continue;
    if (p === q) continue;
    worst = Math.max(worst, Math.abs(p - q));
  }
  return worst;
}
