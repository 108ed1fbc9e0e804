// Compiles the AssemblyScript kernels in asm/ to WebAssembly and writes them
// into src/kernels/wasm-binary.ts as base64, so the library carries its
// kernels inside its own JavaScript (no file to fetch, no runtime dependency)
// and tests run from source. `--check` only verifies the committed file is
// current (CI runs it before the build, which rewrites the file).
//
// The compiler is not part of the main install (binaryen alone is ~100 MB):
// the generated file records a hash of what it was compiled from, and a build
// whose sources match it keeps the committed kernels without loading the
// compiler. Only a changed asm/ (or `--force`, or `--check`) installs
// tools/asc and compiles.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureInstalled } from '../../../scripts/ensure-tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const target = `${root}src/kernels/wasm-binary.ts`;
// asc resolves its inputs against the working directory.
process.chdir(root);

const common = [
  'asm/index.ts',
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--runtime',
  'stub',
  '--noAssert',
  '--outFile',
  'kernels.wasm',
];

// Two builds of the same kernels: one owning its memory (used everywhere), and
// one importing a shared memory so worker threads can compute parts of one
// product in it (used where threads exist: Node). The shared build's maximum
// (16384 pages, 1 GiB) is only reserved address space.
const shared = ['--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '16384'];
const builds = {
  wasmKernels: [...common, '--enable', 'simd', '--initialMemory', '1'],
  wasmKernelsShared: [...common, '--enable', 'simd,threads', ...shared],
};

// What the kernels are compiled from: every asm/ source, the build flags and
// the compiler's version. Recorded in the generated file's header.
function sourceHash() {
  const hash = createHash('sha256');
  for (const name of readdirSync(join(root, 'asm')).sort()) {
    hash.update(`${name}\0`);
    hash.update(readFileSync(join(root, 'asm', name)));
  }
  hash.update(JSON.stringify([builds, relaxedBuilds]));
  hash.update(readFileSync(join(root, '../../tools/asc/package.json')));
  return hash.digest('hex');
}

let compiler;
async function loadCompiler() {
  if (!compiler) {
    ensureInstalled('tools/asc');
    const entry = join(root, '../../tools/asc/node_modules/assemblyscript/dist/asc.js');
    compiler = (await import(pathToFileURL(entry).href)).default;
  }
  return compiler;
}

// The same kernels with relaxed SIMD (issue 20): the float32 product's
// multiply-adds fused (asm/gemm.ts). Chosen where the runtime validates a
// relaxed-SIMD module (src/kernels/wasm-features.ts); the builds above stay
// the fallback. They differ from their plain build in a few dozen bytes, so
// they are stored as a patch of it (a whole second copy would add ~24 KB
// gzip to every bundle).
const relaxedBuilds = {
  wasmKernelsRelaxedPatch: ['wasmKernels', [...common, '--enable', 'simd,relaxed-simd', '--initialMemory', '1']],
  wasmKernelsRelaxedSharedPatch: ['wasmKernelsShared', [...common, '--enable', 'simd,threads,relaxed-simd', ...shared]],
};

/** Whether `a` from i and `b` from j agree for `run` bytes (both in range). */
function agree(a, i, b, j, run) {
  if (i + run > a.length || j + run > b.length) return false;
  for (let t = 0; t < run; t++) if (a[i + t] !== b[j + t]) return false;
  return true;
}

/**
 * Edits turning `base` into `target`: [copy, skip, inserted base64] triples
 * (copy `copy` bytes of base, skip `skip` bytes of it, insert the bytes).
 * Greedy: at each difference, the nearest point where 16 bytes agree again.
 * Not minimal, but applying it is checked to give `target` exactly.
 */
function patchOf(base, target) {
  const edits = [];
  let i = 0;
  let j = 0;
  let copied = 0;
  while (i < base.length || j < target.length) {
    if (i < base.length && j < target.length && base[i] === target[j]) {
      i++;
      j++;
      copied++;
      continue;
    }
    let found = null;
    for (let d = 1; d < 4096 && found === null; d++) {
      for (let di = 0; di <= d; di++) {
        const run = Math.min(16, base.length - (i + di), target.length - (j + d - di));
        if (run >= 0 && (run === 16 || i + di === base.length) && agree(base, i + di, target, j + d - di, run)) {
          found = [di, d - di];
          break;
        }
      }
    }
    if (found === null) found = [base.length - i, target.length - j];
    edits.push([copied, found[0], Buffer.from(target.subarray(j, j + found[1])).toString('base64')]);
    i += found[0];
    j += found[1];
    copied = 0;
  }
  if (copied > 0) edits.push([copied, 0, '']);
  return edits;
}

/** The inverse of patchOf (the same steps as applyPatch in src/kernels/wasm-features.ts). */
function applyPatch(base, edits) {
  const parts = [];
  let i = 0;
  for (const [copy, skip, inserted] of edits) {
    parts.push(base.subarray(i, i + copy), Buffer.from(inserted, 'base64'));
    i += copy + skip;
  }
  return Buffer.concat(parts);
}

export async function compileKernels(flags) {
  const asc = await loadCompiler();
  let binary;
  const { error, stderr } = await asc.main(flags, {
    baseDir: root,
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) binary = contents;
    },
  });
  if (error) throw new Error(`asc failed: ${error.message}\n${stderr.toString()}`);
  return Buffer.from(binary);
}

function constant(name, binary) {
  const lines = binary.toString('base64').match(/.{1,100}/g) ?? [];
  return [`export const ${name} =`, lines.map((l) => `  '${l}'`).join(' +\n') + ';'].join('\n');
}

export async function moduleSource() {
  const parts = [
    '// Generated by scripts/build-wasm.mjs from asm/*.ts: do not edit.',
    '// The WebAssembly SIMD kernels, base64-encoded.',
    `// asm sources: sha256 ${sourceHash()}`,
  ];
  const compiled = {};
  for (const [name, flags] of Object.entries(builds)) {
    compiled[name] = await compileKernels(flags);
    parts.push(constant(name, compiled[name]));
  }
  parts.push('// The relaxed-SIMD builds, as edits of the builds above: [copy, skip, inserted base64].');
  for (const [name, [base, flags]] of Object.entries(relaxedBuilds)) {
    const target = await compileKernels(flags);
    const edits = patchOf(compiled[base], target);
    if (!applyPatch(compiled[base], edits).equals(target))
      throw new Error(`build-wasm: the patch ${name} does not rebuild its module`);
    const rows = edits.map((e) => `  [${e[0]}, ${e[1]}, '${e[2]}'],`).join('\n');
    parts.push(`export const ${name}: readonly (readonly [number, number, string])[] = [\n${rows}\n];`);
  }
  return `${parts.join('\n')}\n`;
}

const committedHash = /asm sources: sha256 ([0-9a-f]{64})/.exec(readFileSync(target, 'utf8'))?.[1];
if (process.argv.includes('--check-hash')) {
  // The cheap check the tests run: asm/ has not changed since the committed
  // build (the full check, `--check`, compiles and compares the bytes).
  if (committedHash !== sourceHash()) {
    console.error(
      'packages/core/src/kernels/wasm-binary.ts was built from other sources than asm/ holds now.\n' +
        'Regenerate it with `pnpm --filter @chainrule/core build:wasm` and commit it.',
    );
    process.exit(1);
  }
  console.log('wasm kernels are up to date with asm/ (by source hash)');
  process.exit(0);
}
const compileNeeded = process.argv.includes('--check') || process.argv.includes('--force');
if (!compileNeeded && committedHash === sourceHash()) {
  console.log('wasm kernels are current (asm/ unchanged since the committed build); not recompiling');
  process.exit(0);
}

const source = await moduleSource();
if (process.argv.includes('--check')) {
  // `--repeat` compiles a second time first: a build that differs from itself
  // would make every freshness check fail for the wrong reason.
  if (process.argv.includes('--repeat') && (await moduleSource()) !== source) {
    console.error(
      'build-wasm: two compilations of asm/*.ts differ; the build is not deterministic, so it cannot be checked',
    );
    process.exit(1);
  }
  const current = readFileSync(target, 'utf8');
  if (current !== source) {
    const fresh = join(mkdtempSync(join(tmpdir(), 'chainrule-wasm-')), 'wasm-binary.ts');
    writeFileSync(fresh, source);
    console.error(
      'packages/core/src/kernels/wasm-binary.ts is stale: it is not what asm/*.ts compiles to ' +
        `(fresh build: ${fresh}).\nRegenerate it with \`pnpm --filter @chainrule/core build:wasm\` and commit it.`,
    );
    process.exit(1);
  }
  console.log('wasm kernels are up to date');
} else {
  writeFileSync(target, source);
  console.log(`wrote ${target}`);
}
