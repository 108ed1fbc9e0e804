/**
 * TensorFlow.js's side of the op cases, on its WebAssembly backend only (the comparison issues 17 and 18
 * ask for), and only where tfjs has the op: it has no gelu, silu or sort, and its einsum has no kernel
 * on the wasm backend. scatterAdd is tf.scatterND into zeros, which adds up repeated indices.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { topkK, type OpCase } from '../cases';
import type { Contender } from '../harness';
import { opInputs } from '../op-data';

async function useWasm(): Promise<void> {
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
}

export function tfjsOpContenders(c: OpCase): Contender[] {
  const ops: Partial<Record<OpCase['op'], (x: tf.Tensor, y: tf.Tensor, index: tf.Tensor, n: number) => tf.Tensor>> = {
    erf: (x) => tf.erf(x),
    prod: (x) => tf.prod(x),
    norm: (x) => tf.norm(x),
    topk: (x) => tf.topk(x, topkK).values,
    // The last axis by number: tfjs-wasm's Cumsum reads out of bounds for axis -1 (tfjs 4.22).
    cumsum: (x) => tf.cumsum(x, x.rank - 1),
    bmm: (x, y) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D),
    scatterAdd: (x, _y, index, n) => tf.scatterND(index, x, [n]),
  };
  const f = ops[c.op];
  if (f === undefined) return [];
  return [
    {
      engine: 'tfjs-wasm',
      async setup() {
        await useWasm();
        const { x: xs, y: ys, index: is } = opInputs(c);
        const shape = [...c.shape];
        const x = tf.tensor(xs, shape);
        const y = ys.length > 0 ? tf.tensor(ys, shape) : x;
        const index = tf.tensor2d(is, [is.length, 1], 'int32');
        return async () => {
          await useWasm();
          const out = f(x, y, index, xs.length);
          out.dataSync();
          out.dispose();
        };
      },
    },
  ];
}
