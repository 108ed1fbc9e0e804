/**
 * Runs a program in Debian's headless Chromium (/usr/bin/chromium through
 * puppeteer-core, as the consumer test does): the program is bundled by
 * esbuild from core's TypeScript sources, served from 127.0.0.1 with the
 * headers a test chooses (COOP/COEP for cross-origin isolation, a CSP), and
 * its `window.result` and console warnings are handed back.
 */
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { launch } from 'puppeteer-core';

/** The two headers that make a page cross-origin isolated (and so give it SharedArrayBuffer). */
export const isolationHeaders = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

export interface PageRun<T> {
  result: T;
  warnings: string[];
}

/** Bundles `programs/<name>.ts`, serves it with `headers` on page and script, and returns what the page reports. */
export async function runInChromium<T>(name: string, headers: Record<string, string>): Promise<PageRun<T>> {
  const entry = fileURLToPath(new URL(`./programs/${name}.ts`, import.meta.url));
  const bundled = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['@chainrule/source'],
    write: false,
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0]?.contents ?? new Uint8Array();
  const page = '<!doctype html><title>chainrule</title><script type="module" src="/program.js"></script>';
  const server = createServer((req, res) => {
    const js = req.url === '/program.js';
    res.writeHead(js || req.url === '/' ? 200 : 404, {
      'content-type': js ? 'text/javascript' : 'text/html',
      ...headers,
    });
    res.end(js ? script : page);
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
    const warnings: string[] = [];
    tab.on('console', (message) => {
      if (message.type() === 'warn') warnings.push(message.text());
    });
    await tab.goto(`http://127.0.0.1:${port}/`);
    await tab.waitForFunction('window.result !== undefined', { timeout: 120_000 });
    const result = (await tab.evaluate('window.result')) as T & { error?: string };
    if (result.error !== undefined) throw new Error(`the page failed: ${result.error}`);
    return { result, warnings };
  } finally {
    await browser.close();
    server.close();
  }
}
