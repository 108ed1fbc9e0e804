/**
 * View 3: the network as the graph chainrule records, micrograd's picture —
 * a box per Value with its data and grad, a small node per op — laid out by
 * dagre and drawn as SVG. It is redrawn whenever the shared network changes
 * (a step here, or in the other views).
 */
import { graphlib, layout, type Point } from '@dagrejs/dagre';
import type { Value } from '@chainrule/core';
import { fmt, h, s } from '../components/dom';
import { publish } from '../hook';
import { forwardBackward, initialState, sgdStep } from '../model/network';
import { learningRate, network } from '../model/store';
import type { View } from './registry';

const BOX_W = 128;
const BOX_H = 50;
const OP_R = 15;

/** The graph's Values in an order where inputs come first (depth-first, iterative: deep graphs are fine). */
function valuesOf(root: Value): Value[] {
  const order: Value[] = [];
  const seen = new Set<Value>();
  const stack: [Value, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [v, expanded] = stack.pop()!;
    if (expanded) {
      order.push(v);
      continue;
    }
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push([v, true]);
    for (const input of v.inputs) if (!seen.has(input)) stack.push([input, false]);
  }
  return order;
}

export const graphView: View = {
  id: 'graph',
  title: 'The graph',
  mount(root) {
    let steps = 0;
    const stepButton = h('button', { id: 'graph-step' }, 'SGD step');
    const resetButton = h('button', { id: 'graph-reset', class: 'secondary' }, 'Reset');
    const info = h('span', { id: 'graph-info', class: 'legend', 'aria-live': 'polite' });
    const scroll = h('div', { class: 'graph-scroll', tabindex: 0, 'aria-label': 'The Value graph (scrolls)' });
    root.append(
      h('h2', {}, 'The graph'),
      h(
        'p',
        { class: 'lead' },
        'The same network as chainrule records it: every box is a Value holding its data and, after backward(), its grad; every small node is the op that made the Value to its right. Blue boxes are the weights and biases that gradient descent changes.',
      ),
      h('div', { class: 'controls' }, stepButton, resetButton, info),
      scroll,
    );

    const render = () => {
      const state = network.get();
      const built = forwardBackward(state);
      const values = valuesOf(built.cost);
      const params = new Set<Value>([...built.weights.flat(2), ...built.biases.flat()]);
      const g = new graphlib.Graph();
      g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 34, marginx: 10, marginy: 10 });
      g.setDefaultEdgeLabel(() => ({}));
      const ids = new Map<Value, string>(values.map((v, i) => [v, `v${i}`]));
      for (const v of values) {
        const id = ids.get(v)!;
        g.setNode(id, { width: BOX_W, height: BOX_H });
        if (!v.isLeaf) {
          g.setNode(`${id}op`, { width: 2 * OP_R, height: 2 * OP_R });
          g.setEdge(`${id}op`, id);
          for (const input of v.inputs) g.setEdge(ids.get(input)!, `${id}op`);
        }
      }
      layout(g);
      const { width = 0, height = 0 } = g.graph();
      const svg = s('svg', {
        class: 'value-graph',
        width: Math.ceil(width),
        height: Math.ceil(height),
        viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
        role: 'img',
        'aria-label': `The computation graph: ${values.length} Values`,
        'data-values': values.length,
      });
      for (const e of g.edges()) {
        const points: Point[] = g.edge(e).points ?? [];
        const d = points
          .map((p: Point, i: number) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`)
          .join(' ');
        svg.append(s('path', { class: 'edge', d, 'marker-end': 'url(#arrow)' }));
      }
      svg.prepend(
        s(
          'defs',
          {},
          s(
            'marker',
            { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' },
            s('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9aa5b1' }),
          ),
        ),
      );
      for (const v of values) {
        const id = ids.get(v)!;
        const n = g.node(id);
        const x = n.x - BOX_W / 2;
        const y = n.y - BOX_H / 2;
        svg.append(
          s(
            'g',
            {
              class: `value-node${params.has(v) ? ' param' : ''}`,
              'data-label': v.label,
              'data-data': String(v.data),
              'data-grad': String(v.grad),
            },
            s('rect', { x, y, width: BOX_W, height: BOX_H, rx: 5 }),
            s('text', { x: x + 6, y: y + 14 }, v.label ?? ''),
            s('text', { x: x + 6, y: y + 29 }, `data ${fmt(v.data)}`),
            s('text', { x: x + 6, y: y + 44 }, `grad ${fmt(v.grad)}`),
          ),
        );
        if (!v.isLeaf) {
          const o = g.node(`${id}op`);
          svg.append(
            s(
              'g',
              { class: 'op-node', 'data-op': v.op },
              s('circle', { cx: o.x, cy: o.y, r: OP_R }),
              s('text', { x: o.x, y: o.y + 4, 'text-anchor': 'middle' }, v.op),
            ),
          );
        }
      }
      scroll.replaceChildren(svg);
      info.textContent = `${values.length} Values, cost C = ${fmt(built.cost.data)}${steps > 0 ? `, after ${steps} step${steps > 1 ? 's' : ''} here` : ''}`;
      publish('graph', {
        values: values.length,
        ops: values.filter((v) => !v.isLeaf).length,
        cost: built.cost.data,
        nodes: values.map((v) => ({ label: v.label ?? null, data: v.data, grad: v.grad, op: v.op })),
      });
    };

    stepButton.addEventListener('click', () => {
      steps++;
      const state = network.get();
      network.set(sgdStep(state, forwardBackward(state), learningRate.get()));
    });
    resetButton.addEventListener('click', () => {
      steps = 0;
      network.set(initialState(network.get().sizes));
    });
    return network.subscribe(render);
  },
};
