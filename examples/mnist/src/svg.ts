/**
 * The training curves as a standalone SVG file: the training loss and the
 * test accuracy per epoch, side by side, each with its own axes. Written by
 * hand (a few lines of markup), so the example needs no plotting library.
 */
import type { EpochMetrics } from './train';

const PANEL = { width: 420, height: 300, left: 64, right: 16, top: 40, bottom: 46 };

/** An SVG document plotting `epochs`, titled `title`. */
export function trainingPlot(epochs: readonly EpochMetrics[], title: string): string {
  const xs = epochs.map((m) => m.epoch);
  const width = PANEL.width * 2;
  const height = PANEL.height + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
    panel(
      0,
      30,
      'training loss',
      xs,
      epochs.map((m) => m.trainLoss),
      formatTick,
      '#1f77b4',
    ),
    panel(
      PANEL.width,
      30,
      'test accuracy (%)',
      xs,
      epochs.map((m) => m.testAccuracy * 100),
      formatTick,
      '#d62728',
    ),
    '</svg>',
    '',
  ].join('\n');
}

function panel(
  x0: number,
  y0: number,
  label: string,
  xs: number[],
  ys: number[],
  format: (v: number) => string,
  color: string,
): string {
  const plotW = PANEL.width - PANEL.left - PANEL.right;
  const plotH = PANEL.height - PANEL.top - PANEL.bottom;
  const left = x0 + PANEL.left;
  const top = y0 + PANEL.top;
  const xTicks = ticks(Math.min(...xs, 1), Math.max(...xs, 1), 6).filter(Number.isInteger);
  const yTicks = ticks(Math.min(...ys), Math.max(...ys), 5);
  const [xLo, xHi] = span(xTicks, xs);
  const [yLo, yHi] = span(yTicks, ys);
  const px = (x: number): number => left + ((x - xLo) / (xHi - xLo)) * plotW;
  const py = (y: number): number => top + plotH - ((y - yLo) / (yHi - yLo)) * plotH;
  const parts = [
    `<g>`,
    `<text x="${left + plotW / 2}" y="${top - 12}" text-anchor="middle" font-weight="bold">${escapeXml(label)}</text>`,
  ];
  for (const t of yTicks) {
    const y = round(py(t));
    parts.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${left - 6}" y="${y + 4}" text-anchor="end">${escapeXml(format(t))}</text>`);
  }
  for (const t of xTicks) {
    const x = round(px(t));
    parts.push(`<line x1="${x}" y1="${top + plotH}" x2="${x}" y2="${top + plotH + 4}" stroke="black"/>`);
    parts.push(`<text x="${x}" y="${top + plotH + 18}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="black"/>`);
  parts.push(`<text x="${left + plotW / 2}" y="${top + plotH + 36}" text-anchor="middle">epoch</text>`);
  const points = xs.map((x, i) => `${round(px(x))},${round(py(ys[i] as number))}`);
  parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`);
  for (const p of points) {
    const [cx, cy] = p.split(',');
    parts.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${color}"/>`);
  }
  parts.push('</g>');
  return parts.join('\n');
}

/** Round tick values (multiples of 1, 2 or 5 times a power of ten), the first ≤ lo and the last ≥ hi. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 1;
    return ticks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const out: number[] = [];
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step - 1e-9);
  for (let k = first; k <= last; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

function span(tickValues: number[], values: number[]): [number, number] {
  const lo = Math.min(...tickValues, ...values);
  const hi = Math.max(...tickValues, ...values);
  return hi > lo ? [lo, hi] : [lo - 1, hi + 1];
}

function formatTick(v: number): string {
  return Number(v.toPrecision(6)).toString();
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
