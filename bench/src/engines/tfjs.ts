/**
 * TensorFlow.js with its pure-JavaScript 'cpu' backend and its 'wasm'
 * (XNNPACK) backend. tfjs keeps one global backend; each timed call selects
 * its own first, which costs a map lookup when it is already active.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BenchCase, EpochCase, MlpStepCase } from '../cases';
import { batchData, layerWeights, uniformArray } from '../data';
import type { Contender } from '../harness';
import { tfjsConv, tfjsConvGemm, tfjsLenet } from './conv-tfjs';
import { tfjsOpContenders } from './tfjs-ops';

type Backend = 'cpu' | 'wasm';

async function use(backend: Backend): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

function model(sizes: readonly [number, number, number]) {
  const l1 = layerWeights(sizes[0], sizes[1], 11);
  const l2 = layerWeights(sizes[1], sizes[2], 13);
  // tfjs multiplies x·W with W as [in, out]: transpose our [out, in] data once.
  const W1 = tf.variable(tf.tensor2d(l1.w, [sizes[1], sizes[0]]).transpose());
  const b1 = tf.variable(tf.tensor1d(l1.b));
  const W2 = tf.variable(tf.tensor2d(l2.w, [sizes[2], sizes[1]]).transpose());
  const b2 = tf.variable(tf.tensor1d(l2.b));
  const forward = (x: tf.Tensor2D) => tf.sigmoid(tf.add(tf.matMul(tf.sigmoid(tf.add(tf.matMul(x, W1), b1)), W2), b2));
  return { forward };
}

function trainStep(
  forward: (x: tf.Tensor2D) => tf.Tensor,
  optimizer: tf.Optimizer,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
): void {
  const cost = optimizer.minimize(() => tf.losses.meanSquaredError(y, forward(x)) as tf.Scalar, true);
  cost?.dataSync();
  cost?.dispose();
}

function mlpStep(backend: Backend, c: MlpStepCase): Contender {
  return {
    engine: `tfjs-${backend}`,
    async setup() {
      await use(backend);
      const { forward } = model(c.sizes);
      const data = batchData(c.batch, c.sizes[0], c.sizes[2], 5);
      const x = tf.tensor2d(data.x, [c.batch, c.sizes[0]]);
      const y = tf.tensor2d(data.y, [c.batch, c.sizes[2]]);
      const optimizer = tf.train.sgd(0.1);
      return async () => {
        await use(backend);
        trainStep(forward, optimizer, x, y);
      };
    },
  };
}

function epoch(backend: Backend, c: EpochCase): Contender {
  return {
    engine: `tfjs-${backend}`,
    async setup() {
      await use(backend);
      const { forward } = model(c.sizes);
      const data = batchData(c.samples, c.sizes[0], c.sizes[2], 9);
      const optimizer = tf.train.sgd(3);
      return async () => {
        await use(backend);
        for (let start = 0; start + c.batch <= c.samples; start += c.batch) {
          const x = tf.tensor2d(data.x.subarray(start * c.sizes[0], (start + c.batch) * c.sizes[0]), [
            c.batch,
            c.sizes[0],
          ]);
          const y = tf.tensor2d(data.y.subarray(start * c.sizes[2], (start + c.batch) * c.sizes[2]), [
            c.batch,
            c.sizes[2],
          ]);
          trainStep(forward, optimizer, x, y);
          x.dispose();
          y.dispose();
        }
      };
    },
  };
}

export function tfjsContenders(c: BenchCase): Contender[] {
  const backends: Backend[] = ['cpu', 'wasm'];
  switch (c.kind) {
    case 'matmul':
      return backends.map((backend) => ({
        engine: `tfjs-${backend}`,
        async setup() {
          await use(backend);
          const a = tf.tensor2d(uniformArray(c.n * c.n, 1), [c.n, c.n]);
          const b = tf.tensor2d(uniformArray(c.n * c.n, 2), [c.n, c.n]);
          return async () => {
            await use(backend);
            const out = tf.matMul(a, b);
            out.dataSync();
            out.dispose();
          };
        },
      }));
    case 'mlp-step':
      return backends.map((b) => mlpStep(b, c));
    case 'op-overhead':
      return backends.map((backend) => ({
        engine: `tfjs-${backend}`,
        async setup() {
          await use(backend);
          const x = tf.tensor1d([1]);
          const chain = tf.grad((t: tf.Tensor) => {
            let y = t;
            for (let i = 0; i < c.ops; i++) y = tf.add(y, 1);
            return tf.sum(y);
          });
          return async () => {
            await use(backend);
            const g = tf.tidy(() => chain(x));
            g.dataSync();
            g.dispose();
          };
        },
      }));
    case 'mnist-epoch':
      return backends.map((b) => epoch(b, c));
    case 'value-mlp':
      return [];
    case 'conv2d':
      return backends.flatMap((b) => tfjsConv(b, c) ?? []);
    case 'conv-gemm':
      return backends.flatMap((b) => tfjsConvGemm(b, c) ?? []);
    case 'lenet-step':
      return backends.flatMap((b) => tfjsLenet(b, c) ?? []);
    case 'op':
      return tfjsOpContenders(c);
  }
}
