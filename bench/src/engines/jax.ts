/**
 * jax-js on its WebAssembly device, with `jit` around whole training steps
 * (its intended use). Its arrays are reference-counted: an argument used twice
 * is passed as `.ref`. On Node 20 it expects a `navigator` global.
 */
import type { BenchCase, EpochCase, MlpStepCase } from '../cases';
import { batchData, layerWeights, uniformArray } from '../data';
import type { Contender } from '../harness';
import { jaxConv, jaxConvGemm, jaxLenet } from './conv-jax';
import { jaxOpContenders } from './jax-ops';

(globalThis as { navigator?: object }).navigator ??= {};
const jax = await import('@jax-js/jax');
await jax.init('wasm');
jax.defaultDevice('wasm');
const { numpy: np, nn, jit, valueAndGrad } = jax;
type JArray = InstanceType<typeof jax.Array>;

function params(sizes: readonly [number, number, number]): JArray[] {
  const l1 = layerWeights(sizes[0], sizes[1], 11);
  const l2 = layerWeights(sizes[1], sizes[2], 13);
  return [
    np.array(l1.w).reshape([sizes[1], sizes[0]]).transpose(),
    np.array(l1.b),
    np.array(l2.w).reshape([sizes[2], sizes[1]]).transpose(),
    np.array(l2.b),
  ];
}

function loss(W1: JArray, b1: JArray, W2: JArray, b2: JArray, x: JArray, y: JArray): JArray {
  const h = nn.sigmoid(np.matmul(x, W1).add(b1));
  const o = nn.sigmoid(np.matmul(h, W2).add(b2));
  return np.mean(np.square(o.sub(y)));
}

function makeStep(lr: number) {
  return jit((W1: JArray, b1: JArray, W2: JArray, b2: JArray, x: JArray, y: JArray) => {
    const [value, grads] = valueAndGrad(loss, { argnums: [0, 1, 2, 3] })(
      W1.ref,
      b1.ref,
      W2.ref,
      b2.ref,
      x,
      y,
    ) as unknown as [JArray, JArray[]];
    const updated = [W1, b1, W2, b2].map((p, i) => p.sub((grads[i] as JArray).mul(lr)));
    return [value, ...updated];
  });
}

function trainer(sizes: readonly [number, number, number], lr: number) {
  let current = params(sizes);
  const step = makeStep(lr);
  return async (x: JArray, y: JArray) => {
    const [value, ...next] = step(...(current as [JArray, JArray, JArray, JArray]), x, y) as unknown as JArray[];
    current = next;
    await (value as JArray).data();
  };
}

function mlpStep(c: MlpStepCase): Contender {
  return {
    engine: 'jax-js',
    async setup() {
      const data = batchData(c.batch, c.sizes[0], c.sizes[2], 5);
      const x = np.array(data.x).reshape([c.batch, c.sizes[0]]);
      const y = np.array(data.y).reshape([c.batch, c.sizes[2]]);
      const run = trainer(c.sizes, 0.1);
      return () => run(x.ref, y.ref);
    },
  };
}

function epoch(c: EpochCase): Contender {
  return {
    engine: 'jax-js',
    async setup() {
      const data = batchData(c.samples, c.sizes[0], c.sizes[2], 9);
      const run = trainer(c.sizes, 3);
      return async () => {
        for (let start = 0; start + c.batch <= c.samples; start += c.batch) {
          const x = np
            .array(data.x.subarray(start * c.sizes[0], (start + c.batch) * c.sizes[0]))
            .reshape([c.batch, c.sizes[0]]);
          const y = np
            .array(data.y.subarray(start * c.sizes[2], (start + c.batch) * c.sizes[2]))
            .reshape([c.batch, c.sizes[2]]);
          await run(x, y);
        }
      };
    },
  };
}

export function jaxContenders(c: BenchCase): Contender[] {
  switch (c.kind) {
    case 'matmul':
      return [
        {
          engine: 'jax-js',
          async setup() {
            const a = np.array(uniformArray(c.n * c.n, 1)).reshape([c.n, c.n]);
            const b = np.array(uniformArray(c.n * c.n, 2)).reshape([c.n, c.n]);
            const mm = jit((p: JArray, q: JArray) => np.matmul(p, q));
            return async () => {
              await (mm(a.ref, b.ref) as JArray).data();
            };
          },
        },
      ];
    case 'mlp-step':
      return [mlpStep(c)];
    case 'op-overhead':
      return [
        {
          engine: 'jax-js',
          async setup() {
            const chain = jax.grad((t: JArray) => {
              let y = t;
              for (let i = 0; i < c.ops; i++) y = y.add(1);
              return np.sum(y);
            });
            return async () => {
              await (chain(np.array([1])) as JArray).data();
            };
          },
        },
      ];
    case 'mnist-epoch':
      return [epoch(c)];
    case 'value-mlp':
      return [];
    case 'conv2d':
      return [jaxConv(c)];
    case 'conv-gemm':
      return [jaxConvGemm(c)];
    case 'lenet-step':
      return [jaxLenet(c)];
    case 'op':
      return jaxOpContenders(c);
  }
}
