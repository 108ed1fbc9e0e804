/**
 * `pnpm bench:browser`: bundles page.ts with esbuild, serves it from
 * 127.0.0.1 with COOP/COEP (so the page is cross-origin isolated and every
 * engine may use threads), drives Debian's headless Chromium
 * (/usr/bin/chromium through puppeteer-core; no browser is downloaded), and
 * writes the table between the browser-table markers of bench/README.md
 * (with the machine's load) and a JSON record in bench/results/.
 * `--smoke` runs tiny cases and writes nothing.
 *
 * Filters, which print the table and write nothing: `--only <substring>`
 * (cases whose name contains it), `--engines <a,b>` (a subset of chainrule,
 * jax-js, tfjs-wasm). `--profile <steps>` times nothing: after the usual
 * warm-up of every engine it records a CPU profile (CDP's Profiler, 50 µs
 * sampling) of chainrule alone running that many steps of each chosen case,
 * and writes it to `--profile-out <file>` (default
 * chainrule-browser.cpuprofile in the temporary folder; Chrome DevTools opens
 * it, and bench/browser/profile-summary.ts summarizes it). It also prints
 * Chromium's minor page faults and CPU time per profiled step (from /proc).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from 'puppeteer-core';

const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const flag = (name: string): string | null => (args.includes(name) ? (args[args.indexOf(name) + 1] ?? '') : null);
const only = flag('--only');
const engines = flag('--engines');
const profileSteps = Number(flag('--profile') ?? 0);
const filtered = only !== null || engines !== null || profileSteps > 0;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'package.json'));
const tfjsWasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));

const bundled = await build({
  entryPoints: [join(here, 'page.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  conditions: ['@chainrule/source'],
  // A profile names functions and lines as the sources do.
  minify: profileSteps === 0,
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

interface ProcessCounters {
  minorFaults: number;
  /** User + system time in clock ticks (1/100 s on Linux). */
  cpuTicks: number;
}

/** Minor page faults and CPU time of `root` and its descendants (Chromium's processes), from Linux's /proc; null elsewhere. */
function chromiumCounters(root: number | undefined): ProcessCounters | null {
  if (root === undefined || !existsSync('/proc')) return null;
  const children = new Map<number, number[]>();
  const stats = new Map<number, string[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The fields after the command name, which may hold spaces: state is field 3, ppid 4, minflt 10, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const pid = Number(entry);
    stats.set(pid, fields);
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const total = { minorFaults: 0, cpuTicks: 0 };
  const queue = [root];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    const f = stats.get(pid);
    if (f !== undefined) {
      total.minorFaults += Number(f[7]);
      total.cpuTicks += Number(f[11]) + Number(f[12]);
    }
    queue.push(...(children.get(pid) ?? []));
  }
  return total;
}

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
  // The profiled steps' page faults and CPU time, from /proc: the page says
  // when the steps start and end, and waits a moment for this to read.
  let faultsBefore: ProcessCounters | null = null;
  tab.on('console', (m) => {
    const text = m.text();
    if (text === 'chainrule-profile:start') faultsBefore = chromiumCounters(browser.process()?.pid);
    else if (text.startsWith('chainrule-profile:end') && faultsBefore !== null) {
      const after = chromiumCounters(browser.process()?.pid);
      const steps = Number(text.split(' ')[1]);
      if (after !== null) {
        const per = (x: number) => (x / steps).toFixed(1);
        console.log(
          `[run] during the profiled steps, Chromium's processes took ${per(after.minorFaults - faultsBefore.minorFaults)} ` +
            `minor page faults and ${per((after.cpuTicks - faultsBefore.cpuTicks) * 10_000)} µs of CPU per step`,
        );
      }
    } else console.log(`[page] ${text}`);
  });
  const profiles: unknown[] = [];
  if (profileSteps > 0) {
    const cdp = await tab.createCDPSession();
    cdp.on('Profiler.consoleProfileFinished', (e) => profiles.push(e.profile));
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  }
  const query = new URLSearchParams();
  if (smoke) query.set('smoke', '');
  if (only !== null) query.set('only', only);
  if (engines !== null) query.set('engines', engines);
  if (profileSteps > 0) query.set('profile', String(profileSteps));
  await tab.goto(`http://127.0.0.1:${port}/?${query}`);
  await tab.waitForFunction('window.result !== undefined', { timeout: 1_800_000, polling: 1000 });
  result = (await tab.evaluate('window.result')) as typeof result;
  for (const [i, p] of profiles.entries()) {
    const out = flag('--profile-out') ?? join(tmpdir(), 'chainrule-browser.cpuprofile');
    const file = i === 0 ? out : out.replace(/(\.cpuprofile)?$/, `-${i}.cpuprofile`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(p));
    console.log(`wrote ${file}`);
  }
} finally {
  await browser.close();
  server.close();
}
if (result.error !== undefined) throw new Error(`the benchmark page failed: ${result.error}`);
const loadAfter = loadavg()[0] ?? 0;

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const names = [...new Set(result.rows.map((r) => r.name))];
const columns = ['chainrule', 'jax-js', 'tfjs-wasm'];
const lines = [
  `| case | ${columns.join(' | ')} | chainrule ÷ jax-js | chainrule ÷ tfjs-wasm |`,
  `|---|${columns.map(() => '---:').join('|')}|---:|---:|`,
];
for (const name of names) {
  const of = (e: string) => result.rows.find((r) => r.name === name && r.engine === e);
  const cells = columns.map((e) => {
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
if (!smoke && !filtered) {
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
