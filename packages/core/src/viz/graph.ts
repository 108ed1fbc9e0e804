/**
 * The drawable picture of a graph, shared by the DOT and Mermaid writers:
 * boxes for values/tensors, small nodes for ops, edges from inputs to ops and
 * from ops to their results. Past `maxNodes`, only the part nearest the root
 * is drawn, with a note saying how much was left out, so drawing a graph of a
 * million ops stays quick.
 */
import { ArgumentError, safeString } from '../errors';
import { checkOptionKeys } from '../internal/options';
import type { Node } from '../tensor/node';
import { arrayInputs, topologicalOrder } from '../autograd/toposort';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { Value, valueInputs } from '../value/value';

export interface DrawNode {
  id: string;
  /** A box holding data (value/tensor) or a small op marker. */
  kind: 'data' | 'op' | 'note';
  lines: string[];
}

export interface Drawing {
  nodes: DrawNode[];
  edges: [string, string][];
}

/** Options of toDot and toMermaid. */
export interface DrawOptions {
  /** Draw at most this many graph nodes, those nearest the root (default 500). */
  maxNodes?: number;
  /** Show the values of tensors with at most this many elements (default 6). */
  maxElements?: number;
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

function limitOf(op: string, options: DrawOptions): number {
  const limit = options.maxNodes ?? 500;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ArgumentError(op, `maxNodes must be a positive integer, got ${safeString(options.maxNodes)}`);
  }
  return limit;
}

function note(drawing: Drawing, left: number): void {
  if (left > 0)
    drawing.nodes.push({
      id: 'more',
      kind: 'note',
      lines: [`… ${left} more nodes not drawn (raise maxNodes to see them)`],
    });
}

function drawValues(op: string, root: Value, options: DrawOptions): Drawing {
  const all = topologicalOrder<Value>(root, valueInputs);
  const shown = all.slice(Math.max(0, all.length - limitOf(op, options)));
  const ids = new Map<Value, string>(shown.map((v, i) => [v, `v${i}`]));
  const drawing: Drawing = { nodes: [], edges: [] };
  for (const v of shown) {
    const id = ids.get(v) as string;
    const lines = [`data ${formatNumber(v.data)}`, `grad ${formatNumber(v.grad)}`];
    // safeString: labels are strings by their setters, but a drawing must not fail on one that is not.
    if (v.label !== undefined) lines.unshift(safeString(v.label));
    drawing.nodes.push({ id, kind: 'data', lines });
    if (v._op !== null) {
      drawing.nodes.push({ id: `${id}op`, kind: 'op', lines: [v.op] });
      drawing.edges.push([`${id}op`, id]);
      for (const input of v.inputs) {
        const from = ids.get(input);
        if (from !== undefined) drawing.edges.push([from, `${id}op`]);
      }
    }
  }
  note(drawing, all.length - shown.length);
  return drawing;
}

function tensorLines(t: Tensor, options: DrawOptions, title: string | undefined): string[] {
  const lines = [`${formatShape(t._shape)} ${t.dtype}`];
  if (title !== undefined) lines.unshift(safeString(title));
  if (t.size <= (options.maxElements ?? 6)) {
    lines.push(
      `data ${JSON.stringify(t.detach().toArray(), (_k, v: unknown) => (typeof v === 'number' ? Number(formatNumber(v)) : v))}`,
    );
    if (t.grad !== null) {
      lines.push(
        `grad ${JSON.stringify(t.grad.detach().toArray(), (_k, v: unknown) => (typeof v === 'number' ? Number(formatNumber(v)) : v))}`,
      );
    }
  }
  return lines;
}

function drawTensors(op: string, root: Tensor, options: DrawOptions): Drawing {
  const drawing: Drawing = { nodes: [], edges: [] };
  drawing.nodes.push({ id: 'out', kind: 'data', lines: tensorLines(root, options, root.label ?? 'output') });
  const start = root.gradFn;
  if (start === null) return drawing;
  const all = topologicalOrder<Node>(
    start,
    arrayInputs((n) => n.inputs),
  );
  const shown = all.slice(Math.max(0, all.length - limitOf(op, options)));
  const ids = new Map<Node, string>(shown.map((n, i) => [n, `n${i}`]));
  for (const node of shown) {
    const id = ids.get(node) as string;
    if (node.variable !== null) {
      drawing.nodes.push({
        id,
        kind: 'data',
        lines: tensorLines(node.variable, options, node.variable.label ?? 'leaf'),
      });
    } else {
      const name = node.def?.describe?.(node.params) ?? node.name;
      drawing.nodes.push({ id, kind: 'op', lines: [name, formatShape(node.shape)] });
    }
    for (const input of node.inputs) {
      const from = input === null ? undefined : ids.get(input);
      if (from !== undefined) drawing.edges.push([from, id]);
    }
  }
  drawing.edges.push([ids.get(start) as string, 'out']);
  note(drawing, all.length - shown.length);
  return drawing;
}

/** The picture of the graph behind `root`; `op` (toDot or toMermaid) names the caller in errors. */
export function drawingOf(op: string, root: Value | Tensor, options: DrawOptions = {}): Drawing {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(op, `options must be an object like { maxNodes: 100 }, got ${safeString(options)}`);
  }
  checkOptionKeys(op, options, ['maxNodes', 'maxElements']);
  const shown = options.maxElements;
  if (shown !== undefined && (typeof shown !== 'number' || !(shown >= 0))) {
    throw new ArgumentError(op, `maxElements must be a number ≥ 0, got ${safeString(shown)}`);
  }
  if (root instanceof Value) return drawValues(op, root, options);
  if (root instanceof Tensor) return drawTensors(op, root, options);
  throw new ArgumentError(op, 'expected a Value or a Tensor to draw');
}
