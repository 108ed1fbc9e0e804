/**
 * chainrule's side of the convolution cases (issue 16): conv2d forward, and
 * forward with backward from a fixed upstream gradient; the GEMM the 64→64
 * forward amounts to; and a LeNet-5 training step written with core's ops
 * (conv2d, maxPool2d, linear), nn's crossEntropyLoss and optim's SGD.
 */
import { conv2d, linear, matmul, maxPool2d, tensor, type BackendName, type Tensor } from '@chainrule/core';
import { crossEntropyLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';
import type { ConvCase, ConvGemmCase, LenetStepCase } from '../cases';
import { convData, lenetBatch, lenetParams, uniformArray } from '../data';
import type { Contender } from '../harness';
import { withBackend } from './chainrule-training';

export function convContender(engine: string, backend: BackendName, c: ConvCase): Contender {
  return {
    engine,
    async setup() {
      const out = c.size + 2 * c.padding - c.kernel + 1;
      const d = convData(c.batch, c.inChannels, c.outChannels, c.size, c.kernel, out);
      const backward = c.pass === 'forward+backward';
      const x = tensor(d.x, { shape: [c.batch, c.inChannels, c.size, c.size], requiresGrad: backward });
      const w = tensor(d.w, { shape: [c.outChannels, c.inChannels, c.kernel, c.kernel], requiresGrad: backward });
      const b = tensor(d.b, { shape: [c.outChannels], requiresGrad: backward });
      const dy = tensor(d.dy, { shape: [c.batch, c.outChannels, out, out] });
      return withBackend(backend, () => {
        const y = conv2d(x, w, b, { padding: c.padding });
        if (!backward) return;
        y.backward(dy);
        x.grad = null;
        w.grad = null;
        b.grad = null;
      });
    },
  };
}

export function convGemmContender(engine: string, backend: BackendName, c: ConvGemmCase): Contender {
  return {
    engine,
    async setup() {
      const a = tensor(uniformArray(c.m * c.k, 1), { shape: [c.m, c.k] });
      const b = tensor(uniformArray(c.k * c.n, 2), { shape: [c.k, c.n] });
      return withBackend(backend, () => {
        matmul(a, b);
      });
    },
  };
}

export function lenetContender(engine: string, backend: BackendName, c: LenetStepCase): Contender {
  return {
    engine,
    async setup() {
      const params = lenetParams().flatMap((l) => [
        tensor(l.w, { shape: [...l.shape], requiresGrad: true }),
        tensor(l.b, { shape: [l.shape[0] as number], requiresGrad: true }),
      ]);
      // Layer i's weight and bias.
      const w = (i: number) => params[2 * i] as Tensor;
      const b = (i: number) => params[2 * i + 1] as Tensor;
      const data = lenetBatch(c.batch);
      const x = tensor(data.x, { shape: [c.batch, 1, 28, 28] });
      const optimizer = new SGD(params, { lr: 0.01 });
      const forward = (images: Tensor) => {
        let h = maxPool2d(conv2d(images, w(0), b(0), { padding: 2 }).relu(), 2);
        h = maxPool2d(conv2d(h, w(1), b(1)).relu(), 2).flatten(1);
        h = linear(h, w(2), b(2)).relu();
        h = linear(h, w(3), b(3)).relu();
        return linear(h, w(4), b(4));
      };
      return withBackend(backend, () => {
        optimizer.zeroGrad();
        crossEntropyLoss(forward(x), data.labels).backward();
        optimizer.step();
      });
    },
  };
}
