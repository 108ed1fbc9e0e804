/** ONNX Runtime feeds and results of every chainrule dtype (runtime.ts handles floats only). */
import { type DType, Tensor, tensor } from '@chainrule/core';
import * as ort from 'onnxruntime-node';

type OrtType = 'float32' | 'float64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** A chainrule tensor as an ONNX Runtime tensor of the same dtype and values. */
export function toOrt(t: Tensor): ort.Tensor {
  const values = t.flatten().toArray() as (number | boolean)[];
  const numbers = values.map(Number);
  const shape = [...t.shape];
  switch (t.dtype as OrtType) {
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(numbers), shape);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(numbers), shape);
    case 'int16':
      return new ort.Tensor('int16', Int16Array.from(numbers), shape);
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from(numbers), shape);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from(numbers), shape);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from(numbers), shape);
    default:
      return new ort.Tensor('float32', Float32Array.from(numbers), shape);
  }
}

const dtypes: Record<string, DType> = {
  float32: 'float32',
  float64: 'float64',
  int32: 'int32',
  int16: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
};

/** An ONNX Runtime result as a chainrule tensor (int64 results become int32, as chainrule's indices are). */
export function fromOrt(v: ort.Tensor): Tensor {
  const shape = v.dims.map(Number);
  const data = v.data as ArrayLike<number | bigint>;
  const numbers = Float64Array.from(Array.from(data, Number));
  const dtype = v.type === 'int64' ? 'int32' : dtypes[v.type];
  if (dtype === undefined) throw new Error(`fromOrt: no chainrule dtype for ONNX Runtime's ${v.type}`);
  return tensor(numbers, { dtype, shape });
}

/** Runs `bytes` on feeds of any dtype and returns every output by name. */
export async function runOnnxAny(bytes: Uint8Array, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input = Object.fromEntries(Object.entries(feeds).map(([name, t]) => [name, toOrt(t)]));
    const out = await session.run(input);
    return Object.fromEntries(Object.entries(out).map(([name, v]) => [name, fromOrt(v)]));
  } finally {
    await session.release();
  }
}

export { Tensor };
