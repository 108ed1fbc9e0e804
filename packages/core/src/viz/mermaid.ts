/** Mermaid flowchart output of a graph (renders on GitHub inside a ```mermaid block). */
import type { Tensor } from '../tensor/tensor';
import type { Value } from '../value/value';
import { drawingOf, type DrawOptions } from './graph';

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/**
 * The graph that computed `root`, as a Mermaid flowchart, for docs and
 * notebooks: boxes for values with their data and gradient, circles for ops.
 *
 * @example
 * console.log('```mermaid\n' + toMermaid(loss) + '```');
 */
export function toMermaid(root: Value | Tensor, options: DrawOptions = {}): string {
  const { nodes, edges } = drawingOf('toMermaid', root, options);
  const lines = ['flowchart LR'];
  for (const node of nodes) {
    const label = node.lines.map(escapeMermaid).join('<br/>');
    if (node.kind === 'op') lines.push(`  ${node.id}(("${label}"))`);
    else if (node.kind === 'note') lines.push(`  ${node.id}>"${label}"]`);
    else lines.push(`  ${node.id}["${label}"]`);
  }
  for (const [from, to] of edges) lines.push(`  ${from} --> ${to}`);
  return `${lines.join('\n')}\n`;
}
