/** Graphviz DOT output of a graph (render with `dot -Tsvg graph.dot`). */
import type { Tensor } from '../tensor/tensor';
import type { Value } from '../value/value';
import { drawingOf, type DrawOptions } from './graph';

function escapeDot(text: string): string {
  return text.replace(/[\\"{}|<>]/g, (c) => `\\${c}`);
}

/**
 * The graph that computed `root`, as Graphviz DOT: each value (or tensor) a
 * box with its label, data and gradient, each op a small node between its
 * inputs and its result.
 *
 * @example
 * writeFileSync('net.dot', toDot(loss)); // then: dot -Tsvg net.dot > net.svg
 */
export function toDot(root: Value | Tensor, options: DrawOptions = {}): string {
  const { nodes, edges } = drawingOf('toDot', root, options);
  const lines = ['digraph chainrule {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
  for (const node of nodes) {
    const label = node.lines.map(escapeDot).join(' | ');
    if (node.kind === 'data') lines.push(`  ${node.id} [shape=record, label="{ ${label} }"];`);
    else if (node.kind === 'op')
      lines.push(`  ${node.id} [shape=ellipse, label="${node.lines.map(escapeDot).join('\\n')}"];`);
    else lines.push(`  ${node.id} [shape=note, label="${escapeDot(node.lines.join(' '))}"];`);
  }
  for (const [from, to] of edges) lines.push(`  ${from} -> ${to};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
