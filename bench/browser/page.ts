/**
 * The browser benchmark's page program (bundled by run.ts): chainrule (its
 * WebAssembly kernels and Web Worker pool), jax-js (its wasm device) and
 * TensorFlow.js-wasm (SIMD, threads) run the same cases as `pnpm bench`,
 * with the same harness alternating samples between engines, in one
 * cross-origin-isolated page; the rows go to `window.result`.
 */
import { backendInfo, ready } from '@chainrule/core';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { caseName, metric, type BenchCase } from '../src/cases';
import { chainruleContenders } from '../src/engines/chainrule';
import { type Contender, measure } from '../src/harness';

declare global {
  interface Window {
    result?: unknown;
    progress?: string;
  }
}

const params = new URLSearchParams(location.search);
const smoke = params.has('smoke');
const cores = navigator.hardwareConcurrency;
// run.ts's --only and --engines: a case-name substring, a list of engines.
const only = params.get('only') ?? '';
const engineFilter = params.get('engines')?.split(',') ?? null;
// run.ts's --profile: after the warm-up, chainrule alone runs this many
// steps between console.profile markers, which run.ts's CDP session records.
const profileSteps = Number(params.get('profile') ?? 0);

const benchCases: BenchCase[] = smoke
  ? [
      { kind: 'matmul', n: 64 },
      { kind: 'mlp-step', batch: 4, sizes: [16, 8, 4] },
      { kind: 'op-overhead', ops: 50 },
    ]
  : [
      { kind: 'matmul', n: 1024 },
      { kind: 'mlp-step', batch: 32, sizes: [784, 128, 10] },
      { kind: 'mlp-step', batch: 256, sizes: [784, 128, 10] },
      { kind: 'op-overhead', ops: 2000 },
    ];

async function main() {
  // TensorFlow.js-wasm fetches its .wasm files from here (run.ts serves them), with both cores.
  setWasmPaths('/tfjs-wasm/');
  setThreadsCount(cores);
  const info = await ready();
  const { tfjsContenders } = await import('../src/engines/tfjs');
  const { jaxContenders } = await import('../src/engines/jax');
  const rows: { name: string; engine: string; medianMs: number; value: number; unit: string; samples: number }[] = [];
  for (const c of benchCases) {
    if (!caseName(c).includes(only)) continue;
    window.progress = caseName(c);
    const contenders = [
      ...chainruleContenders(c).filter((k) => k.engine === 'chainrule'),
      ...jaxContenders(c),
      ...(await tfjsContenders(c)).filter((k) => k.engine === 'tfjs-wasm'),
    ].filter((k) => engineFilter === null || engineFilter.includes(k.engine));
    if (profileSteps > 0) {
      await profile(contenders, profileSteps);
      continue;
    }
    const measured = await measure(contenders, {
      warmup: smoke ? 1 : 5,
      warmupMs: smoke ? 0 : 1000,
      samples: smoke ? 3 : 15,
      budgetMs: smoke ? 200 : 8000,
    });
    for (const m of measured) {
      const { value, unit } = metric(c, m.medianMs);
      rows.push({ name: caseName(c), engine: m.engine, medianMs: m.medianMs, value, unit, samples: m.samples });
    }
  }
  window.result = {
    rows,
    cores,
    chainrule: { ...info, after: backendInfo().numThreads },
    userAgent: navigator.userAgent,
  };
}

/**
 * Warms every contender up as the timed runs do, then runs chainrule's step
 * `steps` times inside console.profile / console.profileEnd (run.ts turns
 * the CDP profile into a .cpuprofile file); the other engines are set up and
 * warmed so that their workers and memory are there as in a timed run.
 */
async function profile(contenders: readonly Contender[], steps: number): Promise<void> {
  const runs = await Promise.all(contenders.map(async (k) => ({ engine: k.engine, run: await k.setup() })));
  for (const r of runs) {
    const start = performance.now();
    for (let i = 0; i < 5 || performance.now() - start < 1000; i++) await r.run();
  }
  const chainrule = runs.find((r) => r.engine === 'chainrule');
  if (chainrule === undefined) return;
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
  // run.ts reads Chromium's page faults and CPU time at these two markers.
  console.log('chainrule-profile:start');
  await pause();
  console.profile('chainrule');
  const start = performance.now();
  for (let i = 0; i < steps; i++) await chainrule.run();
  const ms = performance.now() - start;
  console.profileEnd('chainrule');
  console.log(`chainrule-profile:end ${steps}`);
  await pause();
  console.log(`profiled ${steps} chainrule steps: ${(ms / steps).toFixed(3)} ms each`);
}

main().catch((e: unknown) => {
  window.result = { error: String(e instanceof Error ? e.stack : e) };
});
