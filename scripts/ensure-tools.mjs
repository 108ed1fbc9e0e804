// Some folders are installed only when a command needs them, so that
// `pnpm install` (enough for the demo and the tests) stays lean:
//   bench      TensorFlow.js and jax-js, the engines `pnpm bench` races (~250 MB)
//   tools/asc  the AssemblyScript compiler and binaryen (~100 MB), needed only
//              when packages/core/asm changes (the compiled kernels are committed)
// Each is its own small pnpm project outside the workspace, with its own
// lockfile. `ensureInstalled` installs one when it is missing or its lockfile
// changed since the last install; run directly it takes the folders as arguments:
//   node scripts/ensure-tools.mjs bench tools/asc
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function lockHash(dir) {
  const lock = join(dir, 'pnpm-lock.yaml');
  const pkg = join(dir, 'package.json');
  const hash = createHash('sha256').update(readFileSync(pkg));
  if (existsSync(lock)) hash.update(readFileSync(lock));
  return hash.digest('hex');
}

/** Installs `folder` (relative to the repository root) unless it is current. */
export function ensureInstalled(folder) {
  const dir = resolve(root, folder);
  const stamp = join(dir, 'node_modules', '.chainrule-installed');
  const want = lockHash(dir);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  console.error(`installing ${folder}'s dependencies (kept out of the main install; see scripts/ensure-tools.mjs)`);
  const run = spawnSync('pnpm', ['install', '--dir', dir, '--ignore-workspace', '--config.confirmModulesPurge=false'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (run.status !== 0) {
    console.error(`could not install ${folder}: \`pnpm install --dir ${folder} --ignore-workspace\` failed`);
    process.exit(run.status ?? 1);
  }
  // pnpm may have written the lockfile: stamp what is there now.
  writeFileSync(stamp, lockHash(dir));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const folder of process.argv.slice(2)) ensureInstalled(folder);
}
