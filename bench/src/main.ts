/**
 * `pnpm bench`: every case for chainrule, TensorFlow.js (cpu, wasm) and
 * jax-js (wasm, jit), interleaved in one process; prints a table of medians
 * and ratios and writes results/latest.json.
 *
 * Flags: --smoke (tiny sizes, few samples: checks the harness, measures
 * nothing), --only <substring> (cases whose name contains it),
 * --engines <a,b> (a subset of engines).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { caseName, cases, metric, type BenchCase } from './cases';
import { measure, type Contender, type Measurement } from './harness';
import { chainruleContenders } from './engines/chainrule';
import { lenetPython, micrographPython, mlpPython } from './engines/python';
import { formatTable, type Row } from './report';
import { ready } from '@chainrule/core';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '') : '';
const engineFilter = args.includes('--engines') ? (args[args.indexOf('--engines') + 1] ?? '').split(',') : null;

// The other engines are installed on demand (`pnpm bench` does it first; see
// scripts/ensure-tools.mjs). Run directly without them, the benchmark races
// chainrule alone and says which engines were missing, rather than failing.
const missing: string[] = [];
async function optional<T>(engines: string, load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw error;
    missing.push(engines);
    return null;
  }
}
const tfjs = await optional('tfjs-cpu, tfjs-wasm', () => import('./engines/tfjs'));
const jax = await optional('jax-js', () => import('./engines/jax'));
if (missing.length > 0)
  console.log(`engines not installed: ${missing.join(', ')} (\`pnpm bench:install\` installs them)`);

function contendersFor(c: BenchCase): Contender[] {
  const all = [...chainruleContenders(c), ...(tfjs?.tfjsContenders(c) ?? []), ...(jax?.jaxContenders(c) ?? [])];
  return engineFilter === null ? all : all.filter((x) => engineFilter.includes(x.engine));
}

function optionsFor(c: BenchCase) {
  if (smoke) return { warmup: 1, warmupMs: 0, samples: 2, budgetMs: 1_000 };
  switch (c.kind) {
    case 'mnist-epoch':
      return { warmup: 1, warmupMs: 0, samples: 3, budgetMs: 20_000 };
    case 'matmul':
      return c.n >= 512
        ? { warmup: 2, warmupMs: 500, samples: 9, budgetMs: 6_000 }
        : { warmup: 5, warmupMs: 500, samples: 41, budgetMs: 3_000 };
    case 'conv2d':
    case 'conv-gemm':
    case 'lenet-step':
      // jax-js takes seconds per call on the larger convolutions: fewer forced warm-ups.
      return { warmup: 2, warmupMs: 1_000, samples: 41, budgetMs: 5_000 };
    default:
      return { warmup: 5, warmupMs: 1_000, samples: 41, budgetMs: 5_000 };
  }
}

// chainrule's WebAssembly kernels load on demand: time them, not the JavaScript ones they stand in for.
await ready();
const rows: Row[] = [];
for (const c of cases(smoke)) {
  const name = caseName(c);
  if (!name.includes(only)) continue;
  process.stdout.write(`${name} …`);
  const results: Measurement[] = await measure(contendersFor(c), optionsFor(c));
  if (c.kind === 'value-mlp' && (engineFilter === null || engineFilter.includes('python'))) {
    const python = micrographPython(c, smoke);
    if (python !== null) results.push(python);
  }
  // Issue 20: PyTorch's MLP step, for the same-sitting ratio.
  if (c.kind === 'mlp-step') {
    results.push(...mlpPython(c, smoke).filter((r) => engineFilter === null || engineFilter.includes(r.engine)));
  }
  if (c.kind === 'lenet-step') {
    results.push(...lenetPython(c, smoke).filter((r) => engineFilter === null || engineFilter.includes(r.engine)));
  }
  rows.push({ name, bench: c, results: results.map((r) => ({ ...r, ...metric(c, r.medianMs) })) });
  process.stdout.write(` ${results.map((r) => `${r.engine} ${r.medianMs.toFixed(2)} ms`).join(', ')}\n`);
}

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const table = formatTable(rows);
console.log(`\n${table}`);
if (!smoke) {
  // A run of some cases or engines must not replace the last full table.
  const name = only === '' && engineFilter === null && missing.length === 0 ? 'latest' : 'partial';
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    `${dir}${name}.json`,
    `${JSON.stringify({ date: new Date().toISOString(), machine, rows }, null, 2)}\n`,
  );
  writeFileSync(
    `${dir}${name}.md`,
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.\n\n${table}\n`,
  );
  console.log(`wrote bench/results/${name}.json and ${name}.md`);
}
