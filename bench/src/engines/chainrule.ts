/** chainrule's side of every case, written as a user would write it. */
import { matmul, tensor, value, type BackendName, type Value } from '@chainrule/core';
import type { BenchCase } from '../cases';
import { uniformArray } from '../data';
import type { Contender } from '../harness';
import { epoch, mlpStep, withBackend } from './chainrule-training';
import { convContender, convGemmContender, lenetContender } from './conv-chainrule';
import { chainruleOpContenders } from './chainrule-ops';

function matmulContender(engine: string, backend: BackendName, n: number): Contender {
  return {
    engine,
    async setup() {
      const a = tensor(uniformArray(n * n, 1), { shape: [n, n] });
      const b = tensor(uniformArray(n * n, 2), { shape: [n, n] });
      return withBackend(backend, () => {
        matmul(a, b);
      });
    },
  };
}

/** The textbook network neuron by neuron: each weight a Value. */
function valueMlp(points: number, sizes: readonly number[]): Contender {
  return {
    engine: 'chainrule',
    async setup() {
      const raw = uniformArray(10_000, 7);
      let cursor = 0;
      const next = () => raw[cursor++ % raw.length] as number;
      const layers = sizes.slice(1).map((out, l) =>
        Array.from({ length: out }, () => ({
          w: Array.from({ length: sizes[l] as number }, () => value(next())),
          b: value(0),
        })),
      );
      const xs = Array.from({ length: points }, () => Array.from({ length: sizes[0] as number }, () => next()));
      const ys = xs.map((x) => (x[0]! * x[1]! > 0 ? 1 : 0));
      return () => {
        let loss: Value = value(0);
        xs.forEach((x, i) => {
          let activations: (Value | number)[] = x;
          for (const layer of layers) {
            activations = layer.map((neuron) =>
              neuron.w.reduce<Value>((z, w, k) => z.add(w.mul(activations[k] as Value | number)), neuron.b).sigmoid(),
            );
          }
          loss = loss.add((activations[0] as Value).sub(ys[i] as number).pow(2));
        });
        loss.backward();
      };
    },
  };
}

export function chainruleContenders(c: BenchCase): Contender[] {
  switch (c.kind) {
    case 'matmul':
      return [matmulContender('chainrule', 'wasm', c.n), matmulContender('chainrule-js', 'js', c.n)];
    case 'mlp-step':
      return [mlpStep('chainrule', 'wasm', c), mlpStep('chainrule-js', 'js', c)];
    case 'op-overhead':
      return [
        {
          engine: 'chainrule',
          async setup() {
            const x = tensor([1], { requiresGrad: true });
            return () => {
              let y = x;
              for (let i = 0; i < c.ops; i++) y = y.add(1);
              y.sum().backward();
              x.grad = null;
            };
          },
        },
      ];
    case 'value-mlp':
      return [valueMlp(c.points, c.sizes)];
    case 'mnist-epoch':
      return [epoch('chainrule', 'wasm', c), epoch('chainrule-js', 'js', c)];
    case 'conv2d':
      return [convContender('chainrule', 'wasm', c), convContender('chainrule-js', 'js', c)];
    case 'conv-gemm':
      return [convGemmContender('chainrule', 'wasm', c), convGemmContender('chainrule-js', 'js', c)];
    case 'lenet-step':
      return [lenetContender('chainrule', 'wasm', c), lenetContender('chainrule-js', 'js', c)];
    case 'op':
      return chainruleOpContenders(c);
  }
}
