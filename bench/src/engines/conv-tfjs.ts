/**
 * TensorFlow.js's side of the convolution cases (issue 16). tfjs convolves
 * channels-last (NHWC, filters [kH, kW, C, O]), so the shared NCHW numbers
 * are transposed once at setup, outside the timing. A convolution with bias
 * is `tf.fused.conv2d`, the kernel its layers use.
 *
 * NOTE: tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel, so
 * it cannot compute a 2-D convolution's weight gradient: it runs the forward
 * cases only, and neither conv2d forward+backward nor the LeNet step. The
 * pure-JavaScript tfjs-cpu runs the LeNet step in its place (the single
 * convolutions would take it seconds per call, so it sits those out).
 *
 * NOTE: `tf.grads` through `tf.fused.conv2d` with a bias fails in tfjs 4.22
 * ("Cannot read properties of undefined"), so the training step convolves
 * with conv2d, add and relu; the forward cases use the fused kernel.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { ConvCase, ConvGemmCase, LenetStepCase } from '../cases';
import { convData, lenetBatch, lenetParams, uniformArray } from '../data';
import type { Contender } from '../harness';

type Backend = 'cpu' | 'wasm';

async function use(backend: Backend): Promise<void> {
  if (tf.getBackend() !== backend) await tf.setBackend(backend);
}

/** [N, C, H, W] numbers as tfjs's [N, H, W, C]. */
const nhwc = (data: Float32Array, shape: readonly number[]) =>
  tf.tidy(() => tf.tensor4d(data, shape as [number, number, number, number]).transpose([0, 2, 3, 1]));

/** A [O, C, kH, kW] weight as tfjs's [kH, kW, C, O] filter. */
const filter = (data: Float32Array, shape: readonly number[]) =>
  tf.tidy(() => tf.tensor4d(data, shape as [number, number, number, number]).transpose([2, 3, 1, 0]));

export function tfjsConv(backend: Backend, c: ConvCase): Contender | null {
  if (backend === 'cpu' || c.pass === 'forward+backward') return null;
  return {
    engine: `tfjs-${backend}`,
    async setup() {
      await use(backend);
      const out = c.size + 2 * c.padding - c.kernel + 1;
      const d = convData(c.batch, c.inChannels, c.outChannels, c.size, c.kernel, out);
      const x = nhwc(d.x, [c.batch, c.inChannels, c.size, c.size]) as tf.Tensor4D;
      const w = filter(d.w, [c.outChannels, c.inChannels, c.kernel, c.kernel]) as tf.Tensor4D;
      const b = tf.tensor1d(d.b);
      return async () => {
        await use(backend);
        const y = tf.fused.conv2d({ x, filter: w, bias: b, strides: 1, pad: c.padding });
        y.dataSync();
        y.dispose();
      };
    },
  };
}

export function tfjsConvGemm(backend: Backend, c: ConvGemmCase): Contender | null {
  if (backend === 'cpu') return null;
  return {
    engine: `tfjs-${backend}`,
    async setup() {
      await use(backend);
      const a = tf.tensor2d(uniformArray(c.m * c.k, 1), [c.m, c.k]);
      const b = tf.tensor2d(uniformArray(c.k * c.n, 2), [c.k, c.n]);
      return async () => {
        await use(backend);
        const out = tf.matMul(a, b);
        out.dataSync();
        out.dispose();
      };
    },
  };
}

export function tfjsLenet(backend: Backend, c: LenetStepCase): Contender | null {
  if (backend === 'wasm') return null;
  return {
    engine: `tfjs-${backend}`,
    async setup() {
      await use(backend);
      const vars = lenetParams().map((l) => ({
        // Dense weights multiply from the right in tfjs: [out, in] becomes [in, out].
        w: tf.variable(
          l.shape.length === 4
            ? filter(l.w, l.shape)
            : tf.tidy(() => tf.tensor2d(l.w, l.shape as [number, number]).transpose()),
        ),
        b: tf.variable(tf.tensor1d(l.b)),
      }));
      const data = lenetBatch(c.batch);
      const x = nhwc(data.x, [c.batch, 1, 28, 28]) as tf.Tensor4D;
      const y = tf.tensor2d(data.oneHot, [c.batch, 10]);
      const optimizer = tf.train.sgd(0.01);
      const layer = (i: number) => vars[i] as (typeof vars)[number];
      const convRelu = (h: tf.Tensor4D, i: number, pad: number) =>
        tf.relu(tf.add(tf.conv2d(h, layer(i).w as tf.Tensor4D, 1, pad), layer(i).b)) as tf.Tensor4D;
      const forward = () => {
        let h = tf.maxPool(convRelu(x, 0, 2), 2, 2, 'valid');
        h = tf.maxPool(convRelu(h, 1, 0), 2, 2, 'valid');
        let z: tf.Tensor2D = h.reshape([c.batch, 400]);
        for (let i = 2; i < 5; i++) {
          z = tf.add(tf.matMul(z, layer(i).w as tf.Tensor2D), layer(i).b);
          if (i < 4) z = tf.relu(z);
        }
        return tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar;
      };
      return async () => {
        await use(backend);
        const cost = optimizer.minimize(forward, true);
        cost?.dataSync();
        cost?.dispose();
      };
    },
  };
}
