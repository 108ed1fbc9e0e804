/**
 * View 1 in Chromium: the gradients the page shows after its backward step
 * are the ones backward() gives in Node on the same numbers.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openView, type Site, screenshot, startSite, viewports } from './browser-harness';
import { type Numbers, referenceBackward } from './reference';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

interface Shown {
  numbers: Numbers;
  weightGrads: Record<string, number>;
  biasGrads: Record<string, number>;
  cost: number;
}

/** What the page draws: every number read back from the data- attributes of the drawing. */
async function readShown(page: Page): Promise<Shown> {
  const raw = (await page.evaluate(() => {
    const pg = window.__playground as { neurons: { state: Numbers } };
    const conn = Array.from(document.querySelectorAll<SVGGElement>('svg.network .connection')).map((g) => [
      g.dataset.key,
      g.dataset.weight,
      g.dataset.grad,
    ]);
    const neurons = Array.from(document.querySelectorAll<SVGGElement>('svg.network .neuron[data-bias]')).map((g) => [
      g.dataset.key,
      g.dataset.bias,
      g.dataset.biasGrad,
    ]);
    const cost = document.querySelector<HTMLElement>('[data-cost]')?.dataset.cost;
    return { state: pg.neurons.state, conn, neurons, cost };
  })) as { state: Numbers; conn: string[][]; neurons: string[][]; cost: string };
  const numbers = structuredClone(raw.state);
  const weightGrads: Record<string, number> = {};
  const biasGrads: Record<string, number> = {};
  // The drawn weights and biases, not the published state, are the ones the comparison uses.
  for (const [key, w, g] of raw.conn) {
    const [l, j, k] = key!.split('-').map(Number) as [number, number, number];
    numbers.weights[l - 1]![j]![k] = Number(w);
    weightGrads[key!] = Number(g);
  }
  for (const [key, b, g] of raw.neurons) {
    const [layer, i] = key!.split('-').map(Number) as [number, number];
    numbers.biases[layer - 1]![i] = Number(b);
    biasGrads[key!] = Number(g);
  }
  return { numbers, weightGrads, biasGrads, cost: Number(raw.cost) };
}

function expectSameAsNode(shown: Shown): void {
  const ref = referenceBackward(shown.numbers);
  expect(Math.abs(shown.cost - ref.cost.data)).toBeLessThanOrEqual(1e-12);
  let count = 0;
  ref.weights.forEach((layer, l) =>
    layer.forEach((row, j) =>
      row.forEach((w, k) => {
        const key = `${l + 1}-${j}-${k}`;
        expect(shown.weightGrads[key], key).toBeTypeOf('number');
        expect(Math.abs(shown.weightGrads[key]! - w.grad), key).toBeLessThanOrEqual(1e-12);
        count++;
      }),
    ),
  );
  ref.biases.forEach((layer, l) =>
    layer.forEach((b, i) => {
      const key = `${l + 1}-${i}`;
      expect(Math.abs(shown.biasGrads[key]! - b.grad), key).toBeLessThanOrEqual(1e-12);
    }),
  );
  expect(count).toBe(Object.keys(shown.weightGrads).length);
}

async function stepToBackward(page: Page): Promise<void> {
  for (const id of ['#step-forward', '#step-cost', '#step-backward']) await page.click(id);
  await page.waitForSelector('main[data-phase="backward"]');
}

describe('view 1: neurons and weights', () => {
  it('shows the gradients backward() gives in Node, for the 2-2-1 network and after an SGD step', async () => {
    const { page, errors } = await openView(site, 'neurons');
    await stepToBackward(page);
    const first = await readShown(page);
    expect(first.numbers.sizes).toEqual([2, 2, 1]);
    expect(Object.keys(first.weightGrads)).toHaveLength(6);
    expectSameAsNode(first);
    await screenshot(page, 'neurons-desktop');

    // One SGD step: every weight moves by −η ∂C/∂w (η = 0.5, the page's default).
    await page.click('#step-update');
    await stepToBackward(page);
    const second = await readShown(page);
    for (const [key, g] of Object.entries(first.weightGrads)) {
      const [l, j, k] = key.split('-').map(Number) as [number, number, number];
      const before = first.numbers.weights[l - 1]![j]![k]!;
      expect(second.numbers.weights[l - 1]![j]![k]!).toBeCloseTo(before - 0.5 * g, 14);
    }
    expect(second.cost).toBeLessThan(first.cost);
    expectSameAsNode(second);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('rebuilds a 3-3-2 network and still matches Node; refuses bad sizes with a message', async () => {
    const { page, errors } = await openView(site, 'neurons');
    await page.$eval('#sizes', (el) => {
      (el as HTMLInputElement).value = '2-9';
    });
    await page.click('#apply-sizes');
    const message = await page.$eval('#sizes-error', (el) => el.textContent ?? '');
    expect(message).toMatch(/^layer sizes: .*got '2-9'/);
    await page.$eval('#sizes', (el) => {
      (el as HTMLInputElement).value = '3-3-2';
    });
    await page.click('#apply-sizes');
    await stepToBackward(page);
    const shown = await readShown(page);
    expect(shown.numbers.sizes).toEqual([3, 3, 2]);
    expect(Object.keys(shown.weightGrads)).toHaveLength(15);
    expectSameAsNode(shown);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone screen without console errors', async () => {
    const { page, errors } = await openView(site, 'neurons', viewports.phone);
    await stepToBackward(page);
    // Nothing wider than the screen: the page must not scroll sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'neurons-phone');
    expect(errors).toEqual([]);
    await page.close();
  });
});
