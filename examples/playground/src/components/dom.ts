/** Small helpers to build DOM and SVG elements without a framework. */

type Attrs = Record<string, string | number | boolean | undefined>;
type Child = Node | string | null | undefined | false;

function apply(el: Element, attrs: Attrs, children: Child[]): void {
  for (const [name, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    el.setAttribute(name, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
}

/** An HTML element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function s<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs, children);
  return el;
}

/** A number for people: four significant decimals, exponent form when tiny or huge. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return v.toExponential(3);
  return v.toFixed(4);
}

/** A matrix (or a column vector when given numbers) as a bracketed table. */
export function matrix(rows: readonly (readonly number[])[] | readonly number[], title?: string): HTMLTableElement {
  const table = h('table', { class: 'matrix num', 'aria-label': title });
  for (const row of rows) {
    const tr = h('tr');
    for (const v of typeof row === 'number' ? [row] : row) tr.append(h('td', {}, fmt(v)));
    table.append(tr);
  }
  return table;
}
