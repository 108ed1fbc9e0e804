/**
 * Attention maps as a standalone SVG file: one heat map per layer and head,
 * a row per attending position and a column per position attended to, the
 * cell's darkness its weight (0 white, 1 dark blue). Written by hand (a few
 * lines of markup), so the example needs no plotting library.
 */

const CELL = 26;
const LABEL = 18;
/** Room above each map for its title and the column labels. */
const HEAD = 34;
const GAP = 34;
/** The document's title and caption. */
const TOP = 64;

/**
 * `maps[layer][head]` is a square matrix of weights (rows sum to 1) over
 * the characters of `text` (one per row and column).
 */
export function attentionSvg(maps: readonly (readonly (readonly number[][])[])[], text: string, title: string): string {
  const n = text.length;
  const heads = Math.max(0, ...maps.map((layer) => layer.length));
  const panel = LABEL + n * CELL;
  const width = GAP + heads * (panel + GAP);
  const height = TOP + maps.length * (HEAD + n * CELL + 20);
  const chars = Array.from(text);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="13">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-family="sans-serif" font-size="15">${escapeXml(title)}</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" font-family="sans-serif" fill="#444">row: the position reading (it predicts the next character); column: the position it attends to; darker: more weight</text>`,
  ];
  maps.forEach((layer, li) => {
    layer.forEach((weights, hi) => {
      const x0 = GAP + hi * (panel + GAP);
      const y0 = TOP + li * (HEAD + n * CELL + 20);
      parts.push(`<g>`);
      parts.push(
        `<text x="${x0 + LABEL + (n * CELL) / 2}" y="${y0 + 4}" text-anchor="middle" font-family="sans-serif">layer ${li + 1}, head ${hi + 1}</text>`,
      );
      const top = y0 + HEAD;
      const left = x0 + LABEL;
      chars.forEach((c, i) => {
        parts.push(
          `<text x="${left + i * CELL + CELL / 2}" y="${top - 4}" text-anchor="middle">${escapeXml(c)}</text>`,
        );
        parts.push(
          `<text x="${left - 5}" y="${top + i * CELL + CELL / 2 + 4}" text-anchor="end">${escapeXml(c)}</text>`,
        );
      });
      weights.forEach((row, i) => {
        row.forEach((w, j) => {
          parts.push(
            `<rect x="${left + j * CELL}" y="${top + i * CELL}" width="${CELL}" height="${CELL}" fill="${shade(w)}"><title>${escapeXml(`${chars[i] ?? '?'} (position ${i}) → ${chars[j] ?? '?'} (position ${j}): ${w.toFixed(3)}`)}</title></rect>`,
          );
        });
      });
      parts.push(`<rect x="${left}" y="${top}" width="${n * CELL}" height="${n * CELL}" fill="none" stroke="#888"/>`);
      parts.push('</g>');
    });
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}

/** White at 0 to dark blue at 1, linearly in each channel; out-of-range weights are clamped. */
export function shade(weight: number): string {
  const w = Math.min(1, Math.max(0, Number.isFinite(weight) ? weight : 0));
  const [r, g, b] = [255 + (8 - 255) * w, 255 + (48 - 255) * w, 255 + (107 - 255) * w].map(Math.round);
  return `rgb(${r},${g},${b})`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
