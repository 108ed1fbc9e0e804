/**
 * chainrule as a user outside this repository gets it: the three packages
 * packed into tarballs (`pnpm pack`, which turns `workspace:` ranges into
 * real ones), installed with npm into a fresh project in the system's temp
 * directory, and used from there — an ESM program and a CommonJS program
 * that train XOR, a gradcheck without fast-check installed, and a
 * TypeScript program type-checked with `--strict` under nodenext and
 * bundler resolution (no skipLibCheck, so our .d.ts files are checked too),
 * and an esbuild browser bundle that trains XOR in Debian's headless
 * Chromium (`apt-get install chromium`; .ci/run installs it).
 * It packs what `pnpm build` produced: CI builds first; locally run
 * `pnpm build` before this file.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launch } from 'puppeteer-core';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const programs = fileURLToPath(new URL('./programs', import.meta.url));
const packages = ['core', 'nn', 'optim'];
const project = mkdtempSync(join(tmpdir(), 'chainrule-consumer-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** Runs a command in the consumer project; a failure reports the command's own output. */
function run(command: string, args: string[], cwd = project): string {
  try {
    return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

beforeAll(() => {
  for (const p of packages) {
    if (!existsSync(join(root, 'packages', p, 'dist', 'index.cjs'))) {
      throw new Error(`packages/${p}/dist has no CommonJS build: run \`pnpm build\` before the consumer tests`);
    }
  }
  const tarballs = join(project, 'tarballs');
  for (const p of packages) run('pnpm', ['pack', '--pack-destination', tarballs], join(root, 'packages', p));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }, null, 2));
  const files = readdirSync(tarballs).map((f) => `./tarballs/${f}`);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...files]);
  for (const f of readdirSync(programs)) copyFileSync(join(programs, f), join(project, f));
}, 300_000);

/** XOR's outputs, each within 0.2 of its target: a network that learned it. */
function learnedXor(stdout: string): void {
  const { loss, outputs } = JSON.parse(stdout) as { loss: number; outputs: number[] };
  expect(loss).toBeLessThan(0.02);
  outputs.forEach((o, i) => expect(Math.abs(o - ([0, 1, 1, 0][i] as number))).toBeLessThan(0.2));
}

describe('installed from tarballs into a fresh npm project', () => {
  it('installs without fast-check or vitest (optional peers) and with core once', () => {
    expect(existsSync(join(project, 'node_modules', 'fast-check'))).toBe(false);
    expect(existsSync(join(project, 'node_modules', '@chainrule', 'nn', 'node_modules'))).toBe(false);
  });

  it('an ESM program trains XOR', () => {
    learnedXor(run('node', ['xor.mjs']));
  }, 60_000);

  it('a CommonJS program trains XOR with require()', () => {
    learnedXor(run('node', ['xor.cjs']));
  }, 60_000);

  it('gradcheck works without fast-check; the properties entry names the missing peer', () => {
    const out = JSON.parse(run('node', ['gradcheck-only.mjs'])) as {
      passed: boolean;
      close: boolean;
      properties: string;
    };
    expect(out.passed).toBe(true);
    expect(out.close).toBe(true);
    expect(out.properties).toMatch(/fast-check/);
  }, 60_000);

  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const settings = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext' },
    bundler: { module: 'esnext', moduleResolution: 'bundler' },
  };
  for (const [name, resolution] of Object.entries(settings)) {
    it(`type-checks a TypeScript program with --strict under ${name} resolution`, () => {
      const config = {
        compilerOptions: {
          ...resolution,
          target: 'es2022',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ['typed.ts'],
      };
      writeFileSync(join(project, `tsconfig.${name}.json`), JSON.stringify(config));
      // Throws with tsc's diagnostics on stdout when the check fails.
      expect(run('node', [tsc, '-p', `tsconfig.${name}.json`])).toBe('');
    }, 120_000);
  }

  it('the same check fails on a program that misuses the types (so it can fail)', () => {
    const config = {
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, types: [] },
      files: ['typed-wrong.ts'],
    };
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify(config));
    expect(() => run('node', [tsc, '-p', 'tsconfig.wrong.json'])).toThrow(
      /typed-wrong\.ts\(5,7\): error TS2322[\s\S]*typed-wrong\.ts\(6,12\): error TS2345/,
    );
  }, 120_000);

  it('an esbuild browser bundle trains XOR in headless Chromium', async () => {
    const bundle = join(project, 'browser-xor.js');
    await build({
      entryPoints: [join(project, 'browser-xor.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outfile: bundle,
      absWorkingDir: project,
      logLevel: 'silent',
    });
    const page = '<!doctype html><title>xor</title><script type="module" src="/browser-xor.js"></script>';
    const server = createServer((req, res) => {
      const js = req.url === '/browser-xor.js';
      res.writeHead(200, { 'content-type': js ? 'text/javascript' : 'text/html' });
      res.end(js ? readFileSync(bundle) : page);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const browser = await launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${port}/`);
      await tab.waitForFunction('window.result !== undefined', { timeout: 60_000 });
      const result = (await tab.evaluate('window.result')) as { loss: number; outputs: number[]; error?: string };
      expect(result.error).toBeUndefined();
      learnedXor(JSON.stringify(result));
    } finally {
      await browser.close();
      server.close();
    }
  }, 180_000);

  it('bundle sizes (esbuild, minified, gzip) are what README.md reports', async () => {
    const sizes: Record<string, number> = {};
    for (const probe of ['size-value', 'size-tensor', 'size-nn']) {
      // Code splitting, as a bundler does for a dynamic import: the WebAssembly
      // kernels' chunk is fetched only when a kernel first needs it, so what a
      // page loads up front is the entry and the chunks it imports statically.
      const result = await build({
        entryPoints: [join(project, `${probe}.mjs`)],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        minify: true,
        splitting: true,
        outdir: join(project, 'out', probe),
        metafile: true,
        write: false,
        absWorkingDir: project,
        logLevel: 'silent',
      });
      const outputs = result.metafile.outputs;
      const entry = Object.keys(outputs).find((f) => outputs[f]?.entryPoint !== undefined);
      const upFront = new Set<string>();
      const visit = (file: string) => {
        if (upFront.has(file)) return;
        upFront.add(file);
        for (const i of outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
      };
      if (entry !== undefined) visit(entry);
      const bytes = result.outputFiles
        .filter((f) => [...upFront].some((o) => f.path.endsWith(o)))
        .map((f) => Buffer.from(f.contents));
      sizes[probe] = Math.round(gzipSync(Buffer.concat(bytes)).length / 1024);
      // The kernels must be in a chunk of their own, loaded later.
      const lazy = result.outputFiles.filter((f) => ![...upFront].some((o) => f.path.endsWith(o)));
      // 'AGFzbQ' is the base64 of a WebAssembly module's first bytes (\0asm).
      expect(lazy.some((f) => f.text.includes('AGFzbQ'))).toBe(true);
      expect(bytes.some((b) => b.includes('AGFzbQ'))).toBe(false);
    }
    // The table in README.md ("Bundle sizes") states these in KB; a change of
    // more than 3 KB either way means the table needs updating.
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [probe, kb] of Object.entries(sizes)) {
      const row = new RegExp(`\\| \`${probe}\` \\|[^|]*\\|[^|]*\\| (\\d+) KB \\|`).exec(readme);
      expect(row, `README.md has no bundle-size row for ${probe} (measured ${kb} KB)`).not.toBeNull();
      // Soft: one run reports every row that moved, not only the first.
      expect
        .soft(Math.abs(Number(row?.[1]) - kb), `${probe}: README says ${row?.[1]} KB, measured ${kb} KB`)
        .toBeLessThanOrEqual(3);
    }
  }, 120_000);
});
