/** chainrule training steps through the libraries a user would use: nn's mlp and mseLoss, optim's SGD. */
import { noGrad, setBackend, tensor, type BackendName, type Tensor } from '@chainrule/core';
import { mlp, mseLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';
import type { EpochCase, MlpStepCase } from '../cases';
import { batchData, layerWeights } from '../data';
import type { Contender } from '../harness';

function model(sizes: readonly [number, number, number]) {
  const net = mlp([...sizes], { activation: 'sigmoid', outputActivation: 'sigmoid' });
  const l1 = layerWeights(sizes[0], sizes[1], 11);
  const l2 = layerWeights(sizes[1], sizes[2], 13);
  const values = [l1.w, l1.b, l2.w, l2.b];
  noGrad(() => net.parameters().forEach((p, i) => p.copyFrom(tensor(values[i] as Float32Array, { shape: p.shape }))));
  return net;
}

function trainer(sizes: readonly [number, number, number], lr: number) {
  const net = model(sizes);
  const optimizer = new SGD(net.parameters(), { lr });
  return (x: Tensor, y: Tensor) => {
    optimizer.zeroGrad();
    const loss = mseLoss(net.forward(x), y);
    loss.backward();
    optimizer.step();
  };
}

/** Runs `run` with chainrule's kernel set forced to `backend`. */
export function withBackend(backend: BackendName, run: () => void): () => void {
  return () => {
    setBackend(backend);
    try {
      run();
    } finally {
      setBackend(null);
    }
  };
}

export function mlpStep(engine: string, backend: BackendName, c: MlpStepCase): Contender {
  return {
    engine,
    async setup() {
      const data = batchData(c.batch, c.sizes[0], c.sizes[2], 5);
      const x = tensor(data.x, { shape: [c.batch, c.sizes[0]] });
      const y = tensor(data.y, { shape: [c.batch, c.sizes[2]] });
      const step = trainer(c.sizes, 0.1);
      return withBackend(backend, () => step(x, y));
    },
  };
}

export function epoch(engine: string, backend: BackendName, c: EpochCase): Contender {
  return {
    engine,
    async setup() {
      const data = batchData(c.samples, c.sizes[0], c.sizes[2], 9);
      const step = trainer(c.sizes, 3);
      return withBackend(backend, () => {
        for (let start = 0; start + c.batch <= c.samples; start += c.batch) {
          const x = tensor(data.x.subarray(start * c.sizes[0], (start + c.batch) * c.sizes[0]), {
            shape: [c.batch, c.sizes[0]],
          });
          const y = tensor(data.y.subarray(start * c.sizes[2], (start + c.batch) * c.sizes[2]), {
            shape: [c.batch, c.sizes[2]],
          });
          step(x, y);
        }
      });
    },
  };
}
