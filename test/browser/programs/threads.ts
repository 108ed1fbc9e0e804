// Run in Chromium by threads.test.ts: a large float32 product and a
// convolution, once on this thread alone and once with the worker pool (when
// the page is cross-origin isolated), checked against each other bit for bit
// and against the JavaScript kernels (the reference).
import {
  conv2d,
  getBackend,
  getNumThreads,
  ready,
  setBackend,
  setNumThreads,
  tensor,
  type Tensor,
} from '@chainrule/core';
import { readyWorkers, workerPool } from '../../../packages/core/src/kernels/wasm';

declare global {
  interface Window {
    result?: unknown;
  }
}

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i * 0.7));
const a = tensor(values(256 * 300, 1), { shape: [256, 300] });
const b = tensor(values(300 * 200, 2), { shape: [300, 200] });
// 16 samples, 8→16 channels, 3×3 kernel on 24×24: 16·16·22²·72 ≈ 8.9M multiply-adds, past the threading bound.
const x = tensor(values(16 * 8 * 24 * 24, 3), { shape: [16, 8, 24, 24] });
const w = tensor(values(16 * 8 * 3 * 3, 4), { shape: [16, 8, 3, 3] });

const compute = (): Float32Array[] =>
  [a.matmul(b), conv2d(x, w)].map((t: Tensor) => Float32Array.from(t.data() as Float32Array));

const sameBits = (p: Float32Array[], q: Float32Array[]) =>
  p.every((arr, i) => {
    const other = q[i] as Float32Array;
    const pb = new Uint32Array(arr.buffer);
    const qb = new Uint32Array(other.buffer);
    return pb.length === qb.length && pb.every((v, j) => v === qb[j]);
  });

const maxDiff = (p: Float32Array[], q: Float32Array[]) =>
  Math.max(...p.map((arr, i) => Math.max(...arr.map((v, j) => Math.abs(v - ((q[i] as Float32Array)[j] as number))))));

async function main() {
  await ready();
  const backend = getBackend();
  setBackend('js');
  const reference = compute();
  setBackend(null);
  setNumThreads(1);
  const single = compute();
  setNumThreads(navigator.hardwareConcurrency);
  // The first large call starts the workers; it and those until a worker is ready run here alone.
  const first = compute();
  const started = performance.now();
  while (readyWorkers() === 0 && crossOriginIsolated && performance.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const threaded = compute();
  window.result = {
    backend,
    crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    threads: getNumThreads(),
    readyWorkers: readyWorkers(),
    teamSize: workerPool()?.lastTeamSize ?? 0,
    firstEqualsSingle: sameBits(first, single),
    threadedEqualsSingle: sameBits(threaded, single),
    maxDiffFromReference: maxDiff(threaded, reference),
  };
}

main().catch((e: unknown) => {
  window.result = { error: String(e instanceof Error ? e.stack : e) };
});
