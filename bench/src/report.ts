/** The results table: each engine's figure per case, and chainrule's speed relative to each other engine. */
import type { BenchCase } from './cases';

export interface Row {
  name: string;
  bench: BenchCase;
  results: { engine: string; medianMs: number; samples: number; value: number; unit: string }[];
}

const others = ['tfjs-cpu', 'tfjs-wasm', 'jax-js', 'python', 'pytorch', 'pytorch-1t'];

function figure(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

/**
 * Markdown table. Ratios are speedups of chainrule (the fastest of its
 * backends for that case) over the other engine: other time / chainrule time,
 * so above 1 means chainrule is faster.
 */
export function formatTable(rows: readonly Row[]): string {
  const engines = [...new Set(rows.flatMap((r) => r.results.map((x) => x.engine)))];
  const ratioHeads = others.filter((o) => engines.includes(o)).map((o) => `× vs ${o}`);
  const lines = [
    `| case | unit | ${engines.join(' | ')} | ${ratioHeads.join(' | ')} |`,
    `|---|---|${engines.map(() => '---:').join('|')}|${ratioHeads.map(() => '---:').join('|')}|`,
  ];
  for (const row of rows) {
    const by = new Map(row.results.map((r) => [r.engine, r]));
    const unit = row.results[0]?.unit ?? '';
    // chainrule's two configurations; 'chainrule-matmul' (the einsum case's matmul twin) is a reference, not one.
    const ours = row.results
      .filter((r) => r.engine === 'chainrule' || r.engine === 'chainrule-js')
      .sort((a, b) => a.medianMs - b.medianMs)[0];
    const cells = engines.map((e) => {
      const r = by.get(e);
      return r === undefined ? '' : figure(r.value);
    });
    const ratios = others
      .filter((o) => engines.includes(o))
      .map((o) => {
        const r = by.get(o);
        return r === undefined || ours === undefined ? '' : `${(r.medianMs / ours.medianMs).toFixed(2)}×`;
      });
    lines.push(`| ${row.name} | ${unit} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return lines.join('\n');
}
