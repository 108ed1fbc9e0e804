/**
 * Views 2-4 in Chromium, and every view of the textbook at desktop and
 * phone width: loads without a console error, fits the screen, is photographed.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openView, type Site, screenshot, startSite, viewports } from './browser-harness';
import { countValues, type Numbers, referenceBackward } from './reference';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

const published = (page: Page, key: string) =>
  page.evaluate((k) => (window.__playground as Record<string, unknown>)[k], key) as Promise<unknown>;

/** The network a fresh page starts with, as view 1 publishes it (a page of its own, closed after). */
async function startingNumbers(): Promise<Numbers> {
  const { page } = await openView(site, 'neurons');
  const numbers = ((await published(page, 'neurons')) as { state: Numbers }).state;
  await page.close();
  return numbers;
}

describe('every view of the textbook', () => {
  for (const route of ['neurons', 'chain-rule', 'graph', 'descent'])
    for (const size of ['desktop', 'phone'] as const)
      it(`${route} loads without console errors and fits a ${size} screen`, async () => {
        const { page, errors } = await openView(site, route, viewports[size]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        // The tab of this view is marked as the current page.
        expect(await page.$eval('#tabs a[aria-current="page"]', (a) => a.getAttribute('href'))).toBe(`#/${route}`);
        await screenshot(page, `${route}-${size}`);
        expect(errors).toEqual([]);
        await page.close();
      });
});

describe('view 2: the chain rule', () => {
  it('for every weight of the 2-2-1 network, the product of the factors is the gradient backward() gives', async () => {
    const { page, errors } = await openView(site, 'chain-rule');
    const weights = await page.$$eval('#weight option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    // 2-2-1: four first-layer weights and two output weights.
    expect(weights).toEqual(['1-0-0', '1-0-1', '1-1-0', '1-1-1', '2-0-0', '2-0-1']);
    const numbers = await startingNumbers();
    const ref = referenceBackward(numbers);
    for (const w of weights) {
      await page.select('#weight', w);
      await page.waitForSelector(`#chain-panel[data-weight="${w}"]`);
      const shown = await page.$eval('#chain-panel', (el) => {
        const p = el as HTMLElement;
        const factors = Array.from(p.querySelectorAll<HTMLElement>('.chain[data-path="0"] .factor')).map((f) =>
          Number(f.dataset.value),
        );
        return {
          product: Number(p.dataset.product),
          grad: Number(p.dataset.grad),
          paths: Number(p.dataset.paths),
          factors,
        };
      });
      const [l, j, k] = w.split('-').map(Number) as [number, number, number];
      const expected = ref.weights[l - 1]![j]![k]!.grad;
      expect(shown.paths, w).toBe(1);
      // The textbook's product: ∂C/∂a⁽²⁾ ∂a⁽²⁾/∂z⁽²⁾ [∂z⁽²⁾/∂a⁽¹⁾ ∂a⁽¹⁾/∂z⁽¹⁾] ∂z/∂w — 3 factors or 5.
      expect(shown.factors, w).toHaveLength(l === 2 ? 3 : 5);
      expect(Math.abs(shown.product - expected), w).toBeLessThanOrEqual(1e-12);
      expect(Math.abs(shown.grad - expected), w).toBeLessThanOrEqual(1e-12);
      // The product the page shows is the product of the factors it shows.
      expect(shown.factors.reduce((p, f) => p * f, 1)).toBeCloseTo(shown.product, 15);
      // The chosen weight and its path are highlighted in the drawing.
      const onPath = await page.$$eval('svg.network .connection.on-path', (gs) =>
        gs.map((g) => (g as SVGGElement).dataset.key),
      );
      expect(onPath, w).toContain(w);
      expect(onPath, w).toHaveLength(l === 2 ? 1 : 2);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sums over paths when later layers have several neurons (2-3-2: two paths per first-layer weight)', async () => {
    const { page, errors } = await openView(site, 'neurons');
    await page.$eval('#sizes', (el) => {
      (el as HTMLInputElement).value = '2-3-2';
    });
    await page.click('#apply-sizes');
    const numbers = ((await published(page, 'neurons')) as { state: Numbers }).state;
    const ref = referenceBackward(numbers);
    await page.click('#tabs a[href="#/chain-rule"]');
    await page.waitForSelector('main[data-view="chain-rule"]');
    // Keyboard: focus the connection w⁽¹⁾₂₁ and press Enter.
    // (SVG elements are focusable through tabindex, but puppeteer's focus() takes HTML elements only.)
    await page.$eval('svg.network .connection[data-key="1-1-0"]', (g) => (g as SVGGElement).focus());
    await page.keyboard.press('Enter');
    await page.waitForSelector('#chain-panel[data-weight="1-1-0"]');
    const shown = await page.$eval('#chain-panel', (el) => ({ ...(el as HTMLElement).dataset }));
    expect(Number(shown.paths)).toBe(2);
    expect(Math.abs(Number(shown.product) - ref.weights[0]![1]![0]!.grad)).toBeLessThanOrEqual(1e-12);
    await screenshot(page, 'chain-rule-paths-desktop');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('view 3: the graph', () => {
  it('draws one box per Value of the graph, each with the data and grad of Node’s graph', async () => {
    const { page, errors } = await openView(site, 'graph');
    const numbers = await startingNumbers();
    const ref = referenceBackward(numbers);
    // By hand for 2-2-1: 2 inputs + 6 weights + 3 biases + 6 products + 6 sums (w·a + w·a, then + b)
    // + 3 sigmoids + (a − y) + its square = 28 Values.
    expect(countValues(ref.cost)).toBe(28);
    const boxes = await page.$$eval('svg.value-graph .value-node', (gs) =>
      gs.map((g) => ({ ...(g as SVGGElement).dataset })),
    );
    expect(boxes).toHaveLength(28);
    // Every op result has its op node: 28 Values less 11 leaves.
    expect(await page.$$eval('svg.value-graph .op-node', (gs) => gs.length)).toBe(17);
    const cost = boxes.find((b) => b.label === 'C');
    expect(Math.abs(Number(cost?.data) - ref.cost.data)).toBeLessThanOrEqual(1e-12);
    const w = boxes.find((b) => b.label === 'w⁽¹⁾₂₁');
    expect(Math.abs(Number(w?.grad) - ref.weights[0]![1]![0]!.grad)).toBeLessThanOrEqual(1e-12);

    // After an SGD step the graph is drawn again, from the new weights.
    await page.click('#graph-step');
    await page.waitForFunction(
      (before) =>
        document.querySelector('svg.value-graph .value-node[data-label="C"]')?.getAttribute('data-data') !== before,
      {},
      cost?.data ?? '',
    );
    const after = await page.$eval('svg.value-graph .value-node[data-label="C"]', (g) =>
      Number((g as SVGGElement).dataset.data),
    );
    expect(after).toBeLessThan(ref.cost.data);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('view 4: descent', () => {
  async function runWith(
    page: Page,
    rate: string,
  ): Promise<{ status: string; start: number; end: number; path: { cost: number }[] }> {
    await page.$eval(
      '#descent-lr',
      (el, r) => {
        (el as HTMLInputElement).value = r;
        el.dispatchEvent(new Event('change'));
      },
      rate,
    );
    const status = await page.$eval('#descent-status', (el) => ({ ...(el as HTMLElement).dataset }));
    const { path } = (await published(page, 'descent')) as { path: { cost: number }[] };
    return { status: status.status ?? '', start: Number(status.start), end: Number(status.end), path };
  }

  it('descends for a small rate and diverges for a large one', async () => {
    const { page, errors } = await openView(site, 'descent');
    const small = await runWith(page, '10');
    expect(small.status).toBe('descended');
    expect(small.end).toBeLessThan(small.start / 2);
    expect(small.path).toHaveLength(41);
    await screenshot(page, 'descent-small-rate-desktop');

    const large = await runWith(page, '300');
    expect(large.status).toBe('diverged');
    expect(large.end).toBeGreaterThan(large.start);
    expect(Math.max(...large.path.map((p) => p.cost))).toBeGreaterThan(5 * large.start);
    await screenshot(page, 'descent-large-rate-desktop');
    expect(errors).toEqual([]);
    await page.close();
  });
});
