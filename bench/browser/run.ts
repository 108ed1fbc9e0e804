/**
 * `pnpm bench:browser`: bundles page.ts with esbuild, serves it from
 * 127.0.0.1 with COOP/COEP (so the page is cross-origin isolated and every
 * engine may use threads), drives Debian's headless Chromium
 * (/usr/bin/chromium through puppeteer-core; no browser is downloaded), and
 * writes the table between the browser-table markers of bench/README.md
 * (with the machine's load) and a JSON record in bench/results/.
 * `--smoke` runs tiny cases and writes nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from 'puppeteer-core';

const smoke = process.argv.includes('--smoke');
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const tfjsWasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));

const bundled = await build({
  entryPoints: [join(here, 'page.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['@chainrule/source'],
  minify: true,
  write: false,
  logLevel: 'silent',
  // Node built-ins that TensorFlow.js's wasm glue mentions but never calls in a browser.
  external: ['fs', 'path', 'worker_threads', 'perf_hooks', 'os', 'crypto'],
});
const script = bundled.outputFiles[0]?.contents ?? new Uint8Array();
const page = '<!doctype html><title>chainrule browser bench</title><script type="module" src="/bench.js"></script>';
const isolation = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

const server = createServer((req, res) => {
  const url = (req.url ?? '/').split('?')[0] ?? '/';
  if (url === '/bench.js') {
    res.writeHead(200, { 'content-type': 'text/javascript', ...isolation });
    res.end(script);
  } else if (url.startsWith('/tfjs-wasm/') && url.endsWith('.wasm') && !url.includes('..')) {
    res.writeHead(200, { 'content-type': 'application/wasm', ...isolation });
    res.end(readFileSync(join(tfjsWasmDir, 'dist', url.slice('/tfjs-wasm/'.length))));
  } else if (url === '/') {
    res.writeHead(200, { 'content-type': 'text/html', ...isolation });
    res.end(page);
  } else {
    res.writeHead(404, isolation);
    res.end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };

const loadBefore = loadavg()[0] ?? 0;
const browser = await launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  protocolTimeout: 1_800_000,
});
interface Row {
  name: string;
  engine: string;
  medianMs: number;
  value: number;
  unit: string;
  samples: number;
}
let result: { rows: Row[]; cores: number; chainrule: unknown; userAgent: string; error?: string };
try {
  const tab = await browser.newPage();
  tab.on('console', (m) => console.log(`[page] ${m.text()}`));
  await tab.goto(`http://127.0.0.1:${port}/${smoke ? '?smoke' : ''}`);
  await tab.waitForFunction('window.result !== undefined', { timeout: 1_800_000, polling: 1000 });
  result = (await tab.evaluate('window.result')) as typeof result;
} finally {
  await browser.close();
  server.close();
}
if (result.error !== undefined) throw new Error(`the benchmark page failed: ${result.error}`);
const loadAfter = loadavg()[0] ?? 0;

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const names = [...new Set(result.rows.map((r) => r.name))];
const engines = ['chainrule', 'jax-js', 'tfjs-wasm'];
const lines = [
  `| case | ${engines.join(' | ')} | chainrule ÷ jax-js | chainrule ÷ tfjs-wasm |`,
  `|---|${engines.map(() => '---:').join('|')}|---:|---:|`,
];
for (const name of names) {
  const of = (e: string) => result.rows.find((r) => r.name === name && r.engine === e);
  const cells = engines.map((e) => {
    const r = of(e);
    return r === undefined ? '—' : `${fmt(r.medianMs)} ms${r.unit === 'GFLOP/s' ? ` (${fmt(r.value)} GFLOP/s)` : ''}`;
  });
  // Speed ratios: the other engine's time over chainrule's (above 1: chainrule is faster).
  const ratio = (e: string) => {
    const c = of('chainrule');
    const o = of(e);
    return c === undefined || o === undefined ? '—' : `${(o.medianMs / c.medianMs).toFixed(2)}×`;
  };
  lines.push(`| ${name} | ${cells.join(' | ')} | ${ratio('jax-js')} | ${ratio('tfjs-wasm')} |`);
}
const date = new Date().toISOString().slice(0, 10);
const table = [
  `Run of ${date} in ${result.userAgent.match(/(?:Headless)?Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, headless, cross-origin isolated, ` +
    `${result.cores} cores (${cpus()[0]?.model ?? 'unknown CPU'}); load average ${loadBefore.toFixed(1)} before, ` +
    `${loadAfter.toFixed(1)} after (other work on the machine slows every engine, unevenly). Median of alternating samples; ` +
    "the ratio columns are the other engine's time over chainrule's (above 1×: chainrule is faster).",
  '',
  ...lines,
].join('\n');
console.log(table);
if (!smoke) {
  const resultsDir = join(here, '..', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `browser-${date}.json`),
    `${JSON.stringify({ ...result, loadBefore, loadAfter }, null, 2)}\n`,
  );
  const readmePath = join(here, '..', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- browser-table:start -->';
  const end = '<!-- browser-table:end -->';
  const block = `${start}\n${table}\n${end}`;
  const updated =
    readme.includes(start) && readme.includes(end)
      ? readme.slice(0, readme.indexOf(start)) + block + readme.slice(readme.indexOf(end) + end.length)
      : `${readme.trimEnd()}\n\n## In the browser (\`pnpm bench:browser\`)\n\n${block}\n`;
  writeFileSync(readmePath, updated);
}
