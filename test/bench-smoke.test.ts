/**
 * The benchmark is never timed in CI, but it must keep running: a smoke run
 * (tiny sizes, two samples) of every case against every engine. It prints
 * the same table as a real run and writes no results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = fileURLToPath(new URL('../bench/src/main.ts', import.meta.url));
// The other engines are installed on demand (`pnpm bench:install`), so a plain
// `pnpm install && pnpm test` races chainrule alone; CI installs them first
// and requires every engine.
const othersInstalled = existsSync(fileURLToPath(new URL('../bench/node_modules/@tensorflow/tfjs', import.meta.url)));
const engines = [
  'chainrule',
  'chainrule-js',
  ...(othersInstalled || process.env.CI ? ['tfjs-cpu', 'tfjs-wasm', 'jax-js'] : []),
];

it('pnpm bench --smoke runs every case for every engine and prints the table', { timeout: 120_000 }, () => {
  const run = spawnSync(process.execPath, ['--conditions=@chainrule/source', '--import', 'tsx', main, '--smoke'], {
    cwd: root,
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  const lines = run.stdout.split('\n');
  const header = lines.find((l) => l.startsWith('| case |')) ?? '';
  for (const engine of engines) expect(header).toContain(` ${engine} |`);
  if (engines.length === 2) expect(run.stdout).toContain('engines not installed: tfjs-cpu, tfjs-wasm, jax-js');
  const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| case |'));
  expect(rows.map((r) => r.split('|')[1]?.trim().split(' ')[0])).toEqual([
    'matmul',
    'MLP',
    '50',
    'Value',
    'MNIST-size',
    // Convolution (issue 16): forward+backward and forward, the GEMM of the same product, the LeNet-5 step.
    'conv2d',
    'conv2d',
    'matmul',
    'LeNet-5',
    // The op cases of issues 17 and 18.
    'gelu',
    'erf',
    'silu',
    'prod',
    'norm',
    'sort',
    'topk',
    'cumsum',
    'einsum',
    'matmul',
    'scatterAdd',
  ]);
  // chainrule's own figure is a positive number in every row.
  for (const row of rows) expect(Number(row.split('|')[3])).toBeGreaterThan(0);
  expect(run.stdout).not.toContain('wrote bench/results');
});
