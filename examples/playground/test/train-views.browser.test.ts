/**
 * Views 5 and 6 in Chromium: the Playground trains the spiral in its worker
 * while the page's own timer keeps firing, and the Digits view classifies
 * digits drawn with the mouse, using weights the real MNIST demo saved.
 */
import { readSafetensorsHeader } from '@chainrule/nn';
import type { Page } from 'puppeteer-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PIXELS, splitIndices } from '../../mnist/src/data';
import { loadDigits } from '../../mnist/src/digits';
import { Generator } from '@chainrule/core';
import { IN_PAGE_CONFIG as IN_PAGE } from '../src/train/digits-train';
import { openView, type Site, screenshot, startSite, viewports } from './browser-harness';

/** The bound the Node test of the trainer states too (test/train/trainer.test.ts). */
const SPIRAL_STEP_BOUND = 1000;
/** The page's test timer: it should fire every TICK_MS; a frozen main thread would leave a long gap. */
const TICK_MS = 20;

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

describe('view 5, the Playground', () => {
  it(`trains the spiral to ≥ 95% within ${SPIRAL_STEP_BOUND} steps while the main thread keeps responding`, async () => {
    const { page, errors } = await openView(site, 'playground');
    await page.waitForFunction(() => (window.__playground?.playground as { steps?: number } | undefined)?.steps === 0);
    // A timer of the page's own: it records when it fired and every snapshot the view published.
    await page.evaluate((tick) => {
      const w = window as unknown as { __ticks: number[]; __seen: { steps: number; accuracy: number }[] };
      w.__ticks = [];
      w.__seen = [];
      let last: unknown = null;
      setInterval(() => {
        w.__ticks.push(performance.now());
        const p = window.__playground?.playground as { steps: number; accuracy: number } | undefined;
        if (p !== undefined && p !== last) {
          last = p;
          w.__seen.push({ steps: p.steps, accuracy: p.accuracy });
        }
      }, tick);
    }, TICK_MS);
    // The same timer on the idle page first: its rate is printed beside the training run's,
    // measured in the same run because the machine's load changes both.
    await new Promise((ok) => setTimeout(ok, 2000));
    const idle = await page.evaluate(() => (window as unknown as { __ticks: number[] }).__ticks.splice(0));
    await page.click('#pg-run');
    await page.waitForFunction(
      (bound) => {
        const p = window.__playground?.playground as { steps: number; accuracy: number } | undefined;
        return p !== undefined && (p.accuracy >= 0.95 || p.steps > bound);
      },
      { timeout: 120_000, polling: 100 },
      SPIRAL_STEP_BOUND,
    );
    await page.click('#pg-run');
    const { ticks, seen } = await page.evaluate(() => {
      const w = window as unknown as { __ticks: number[]; __seen: { steps: number; accuracy: number }[] };
      return { ticks: w.__ticks, seen: w.__seen };
    });
    const first = seen.find((s) => s.accuracy >= 0.95);
    expect(first, JSON.stringify(seen.slice(-5))).toBeDefined();
    expect(first?.steps).toBeLessThanOrEqual(SPIRAL_STEP_BOUND);
    // Snapshots arrived one slice at a time, not all at the end.
    expect(seen.length).toBeGreaterThan(5);
    const elapsed = (ticks.at(-1) as number) - (ticks[0] as number);
    const idleRate = (idle.length - 1) / ((idle.at(-1) as number) - (idle[0] as number));
    const rate = (ticks.length - 1) / elapsed;
    const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
    gaps.sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)] as number;
    const p95 = gaps[Math.floor(gaps.length * 0.95)] as number;
    const worst = gaps.at(-1) as number;
    console.log(
      `spiral: 95% at step ${first?.steps}; page timer (${TICK_MS} ms) fired ${ticks.length} times in ${elapsed.toFixed(0)} ms while training (${(1000 * rate).toFixed(1)}/s; idle page ${(1000 * idleRate).toFixed(1)}/s), gaps: median ${median.toFixed(1)} ms, 95th percentile ${p95.toFixed(1)} ms, longest ${worst.toFixed(1)} ms`,
    );
    // While the worker trains, the page's timer typically fires on time and never stops for a
    // second (training on the main thread would stop it for the whole run, seconds at a time).
    // Its rate against the idle page's is printed, not asserted: the worker takes one of the
    // machine's cores, so on a loaded machine the page gets less CPU whatever it does.
    expect(ticks.length).toBeGreaterThan(20);
    expect(median).toBeLessThan(TICK_MS * 2);
    expect(worst).toBeLessThan(1000);
    // Once paused, the status line says what the last snapshot said (training went on a little
    // after 95% before the pause arrived, so not 95% itself). Both are read in one go.
    await page.waitForFunction(
      () => (window.__playground?.playground as { running?: boolean } | undefined)?.running === false,
      { timeout: 30_000 },
    );
    const { shown, status } = await page.evaluate(() => ({
      shown: window.__playground?.playground as { steps: number; accuracy: number },
      status: document.querySelector('#pg-status')?.textContent ?? '',
    }));
    expect(status).toContain(`step ${shown.steps} · loss`);
    expect(status).toContain(`training accuracy ${(100 * shown.accuracy).toFixed(1)}%`);
    await screenshot(page, 'playground-desktop');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone-sized screen and is driven from the keyboard', async () => {
    const { page, errors } = await openView(site, 'playground', viewports.phone);
    await page.waitForFunction(() => (window.__playground?.playground as { steps?: number } | undefined)?.steps === 0);
    // Tab to the step button and press it with the keyboard: ten steps.
    await page.focus('#pg-reset');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('pg-step');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => (window.__playground?.playground as { steps?: number } | undefined)?.steps === 10,
      { timeout: 30_000 },
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'playground-phone');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('view 6, Digits', () => {
  it('fits a phone-sized screen without a console error', async () => {
    const { page, errors } = await openView(site, 'digits', viewports.phone);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The pad shrinks to the screen but stays square.
    const box = await (await page.$('#dg-pad'))?.boundingBox();
    expect(box?.width).toBeLessThanOrEqual(390);
    expect(box?.width).toBeCloseTo(box?.height ?? 0, 0);
    await screenshot(page, 'digits-phone');
    expect(errors).toEqual([]);
    await page.close();
  });

  const weights = fileURLToPath(new URL('./fixtures/demo-mlp.safetensors', import.meta.url));

  it('classifies digits traced from mnist test images with the mouse, using weights `pnpm demo` saved', async () => {
    // The test images the demo held out: the same split its settings (in the file) describe.
    const config = JSON.parse(
      readSafetensorsHeader(readFileSync(weights)).metadata['chainrule.mnist.config'] as string,
    );
    const digits = loadDigits();
    const split = splitIndices(10_000, config.trainSize, config.testSize, new Generator(config.seed));
    const pixels = digits.images.data() as Float32Array;
    const labels = digits.labels.data() as Int32Array;
    const rows = [...split.test.slice(0, 5)];

    const { page, errors } = await openView(site, 'digits');
    const file = await page.$('input#dg-file');
    if (file === null) throw new Error('view 6 has no file input');
    await file.uploadFile(weights);
    await page.waitForFunction(
      () => (window.__playground?.digits as { model: string | null } | undefined)?.model != null,
      { timeout: 120_000 },
    );
    expect(await page.$eval('#dg-model', (el) => el.textContent)).toContain('784-64-10 relu');
    const results = await traceDigits(
      page,
      rows.map((row) => ({ pixels: pixels.subarray(row * PIXELS, (row + 1) * PIXELS), label: labels[row] as number })),
    );
    const right = results.filter((r) => r.label === r.predicted).length;
    console.log(`digits drawn from test rows ${rows.join(', ')}: ${JSON.stringify(results)}`);
    expect(right, JSON.stringify(results)).toBeGreaterThanOrEqual(4);
    await screenshot(page, 'digits-desktop');
    expect(errors).toEqual([]);
    await page.close();
  });
  it('trains a network in the page with a progress bar, which reads traced test digits too', async () => {
    const digits = loadDigits();
    const split = splitIndices(10_000, IN_PAGE.trainSize, IN_PAGE.testSize, new Generator(IN_PAGE.seed));
    const pixels = digits.images.data() as Float32Array;
    const labels = digits.labels.data() as Int32Array;
    const rows = [...split.test.slice(0, 5)];
    const { page, errors } = await openView(site, 'digits');
    await page.click('#dg-train');
    // The bar shows and moves past the middle before the network is ready.
    await page.waitForFunction(
      () => {
        const bar = document.querySelector<HTMLProgressElement>('#dg-progress');
        return bar !== null && !bar.hidden && bar.value >= 0.5 && bar.value < 1;
      },
      { timeout: 240_000, polling: 50 },
    );
    await page.waitForFunction(
      () => (window.__playground?.digits as { model: string | null } | undefined)?.model != null,
      { timeout: 240_000 },
    );
    expect(await page.$eval('#dg-model', (el) => el.textContent)).toMatch(
      /784-64-10 relu, cross-entropy, trained here/,
    );
    const results = await traceDigits(
      page,
      rows.map((row) => ({ pixels: pixels.subarray(row * PIXELS, (row + 1) * PIXELS), label: labels[row] as number })),
    );
    console.log(`digits read by the network trained in the page: ${JSON.stringify(results)}`);
    expect(results.filter((r) => r.label === r.predicted).length, JSON.stringify(results)).toBeGreaterThanOrEqual(4);
    expect(errors).toEqual([]);
    await page.close();
  }, 400_000);
});

/** Traces each test image onto view 6's pad with the mouse and returns what the page read. */
async function traceDigits(page: Page, images: { pixels: Float32Array; label: number }[]) {
  const pad = await page.$('#dg-pad');
  const box = await pad?.boundingBox();
  if (box === null || box === undefined) throw new Error('the drawing pad has no box');
  // A pixel (c, r) of the 28 × 28 image is the 10 × 10 square of the 280 × 280 pad at (10c, 10r).
  const toScreen = (c: number, r: number): [number, number] => [
    box.x + ((c * 10 + 5) / 280) * box.width,
    box.y + ((r * 10 + 5) / 280) * box.height,
  ];
  const results: { label: number; predicted: number }[] = [];
  for (const { pixels: image, label } of images) {
    await page.click('#dg-clear');
    // One stroke per run of pixels darker than 0.75 in a row, as a pen would colour the digit in.
    // The view's brush is about two pixels of 28 wide, so tracing the darker core keeps the
    // strokes about as thick as the original's (in Node, tracing 100 test digits this way the
    // network got 91 right at 0.75 and 89 at 0.5; it gets 94 of the originals).
    for (let r = 0; r < 28; r++) {
      let c = 0;
      while (c < 28) {
        if ((image[r * 28 + c] as number) <= 0.75) {
          c++;
          continue;
        }
        const start = c;
        while (c < 28 && (image[r * 28 + c] as number) > 0.75) c++;
        await page.mouse.move(...toScreen(start, r));
        await page.mouse.down();
        await page.mouse.move(...toScreen(c - 1, r), { steps: 3 });
        await page.mouse.up();
      }
    }
    await page.waitForFunction(
      () => {
        const d = window.__playground?.digits as { asked: number; answered: number } | undefined;
        return d !== undefined && d.asked > 0 && d.answered === d.asked;
      },
      { timeout: 30_000 },
    );
    const predicted = await page.evaluate(
      () => (window.__playground?.digits as { predicted: number } | undefined)?.predicted ?? -1,
    );
    results.push({ label, predicted });
  }
  return results;
}
