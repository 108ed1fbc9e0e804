/**
 * The product kernels' own speed (issue 20), for the tables in README.md:
 * float64 at 512² with the JavaScript kernel (the path before issue 20) and
 * with the f64x2 WebAssembly kernel (one thread and the pool), and float32 at
 * 1024² with the build this runtime loads. Run it once plainly and once with
 * `node --experimental-wasm-relaxed-simd` to compare the two builds. Each
 * figure is the median of its samples, as wall time and as this process's
 * CPU time (on a machine shared with other work, CPU time is the steadier of
 * the two: it does not count the time the threads waited for a core).
 *
 *   node --conditions=@chainrule/source --import tsx src/kernel-speed.ts
 */
import { loadavg } from 'node:os';
import { gemmPacked, type MatrixView } from '../../packages/core/src/kernels/matmul';
import { allowThreads, kernelBuild, readyWorkers, wasmGemm } from '../../packages/core/src/kernels/wasm';
import { wasmGemmF64 } from '../../packages/core/src/kernels/wasm-gemm64';
import { uniformArray } from './data';

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] as number;
}

function time(run: () => void, samples: number): Timing {
  run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let s = 0; s < samples; s++) {
    const used = process.cpuUsage();
    const start = performance.now();
    run();
    wall.push(performance.now() - start);
    const d = process.cpuUsage(used);
    cpu.push((d.user + d.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function square(n: number, data: Float32Array | Float64Array): MatrixView {
  return { data, offset: 0, rowStride: n, colStride: 1 };
}

function report(label: string, n: number, t: Timing): void {
  const gflops = (ms: number) => ((2 * n ** 3) / ms / 1e6).toFixed(1);
  console.log(
    `| ${label} | ${t.wallMs.toFixed(1)} ms | ${gflops(t.wallMs)} | ${t.cpuMs.toFixed(1)} ms | ${gflops(t.cpuMs)} |`,
  );
}

const start = Date.now();
while (readyWorkers() === 0 && Date.now() - start < 5000) await new Promise((r) => setTimeout(r, 20));
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}; kernels: ${kernelBuild()} build`,
);
console.log('| product | wall | GFLOP/s (wall) | CPU time | GFLOP/s of CPU time |\n|---|---:|---:|---:|---:|');

const n64 = 512;
const a64 = square(n64, Float64Array.from(uniformArray(n64 * n64, 1)));
const b64 = square(n64, Float64Array.from(uniformArray(n64 * n64, 2)));
const c64 = new Float64Array(n64 * n64);
report(
  'float64 512², JavaScript kernel (before)',
  n64,
  time(() => gemmPacked(a64, b64, c64, 0, n64, n64, n64), 7),
);
allowThreads(false);
report(
  'float64 512², f64x2 kernel, 1 thread',
  n64,
  time(() => wasmGemmF64(a64, b64, c64, 0, n64, n64, n64, null), 21),
);
allowThreads(true);
report(
  'float64 512², f64x2 kernel, pool',
  n64,
  time(() => wasmGemmF64(a64, b64, c64, 0, n64, n64, n64, null), 21),
);

const n32 = 1024;
const a32 = square(n32, uniformArray(n32 * n32, 3));
const b32 = square(n32, uniformArray(n32 * n32, 4));
const c32 = new Float32Array(n32 * n32);
allowThreads(false);
report(
  `float32 1024², ${kernelBuild()} build, 1 thread`,
  n32,
  time(() => wasmGemm(a32, b32, c32, 0, n32, n32, n32), 9),
);
allowThreads(true);
report(
  `float32 1024², ${kernelBuild()} build, pool`,
  n32,
  time(() => wasmGemm(a32, b32, c32, 0, n32, n32, n32), 9),
);
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
