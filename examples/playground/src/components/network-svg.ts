/**
 * The network as neurons and connections, the picture the tutorial draws:
 * each connection coloured by its weight's sign and as thick as its size,
 * each neuron with its activation inside and its bias below. Every number is
 * also kept in full precision in data- attributes, which the browser tests read.
 */
import type { Built, NetworkState } from '../model/network';
import { biasName, weightName } from '../model/network';
import { fmt, s } from './dom';

export interface DrawOptions {
  state: NetworkState;
  /** The recorded pass whose activations (and, after backward, gradients) to show. */
  built?: Built | null;
  showActivations?: boolean;
  showGradients?: boolean;
  /** Lets a person pick a weight (click, Enter or Space on a focused connection). */
  onSelect?: (l: number, j: number, k: number) => void;
  selected?: readonly [number, number, number] | null;
  /** Connections "l-j-k" and neurons "layer-index" to highlight. */
  highlight?: { connections: Set<string>; neurons: Set<string> };
}

const W = 640;
/** Vertical room per neuron of the tallest layer; the drawing grows with the network. */
const ROW = 150;

function heightOf(sizes: readonly number[]): number {
  return 150 + (Math.max(...sizes) - 1) * ROW;
}

export function neuronPosition(sizes: readonly number[], layer: number, i: number): [number, number] {
  const x = 70 + (layer * (W - 140)) / Math.max(1, sizes.length - 1);
  const n = sizes[layer]!;
  const y = heightOf(sizes) / 2 - 10 + (i - (n - 1) / 2) * ROW;
  return [x, y];
}

export function drawNetwork(o: DrawOptions): SVGSVGElement {
  const { state, built } = o;
  const svg = s('svg', {
    class: 'network',
    viewBox: `0 0 ${W} ${heightOf(state.sizes)}`,
    role: 'group',
    'aria-label': `A ${state.sizes.join('-')} network`,
  });
  const maxAbs = Math.max(1e-12, ...state.weights.flat(2).map(Math.abs));
  // Past two neurons a layer, every label at once is a tangle: only the picked weight and its path keep theirs.
  const dense = state.sizes.some((n) => n > 2);
  for (let l = 0; l < state.weights.length; l++) {
    state.weights[l]!.forEach((row, j) =>
      row.forEach((w, k) => {
        const [x1, y1] = neuronPosition(state.sizes, l, k);
        const [x2, y2] = neuronPosition(state.sizes, l + 1, j);
        const key = `${l + 1}-${j}-${k}`;
        const onPath = o.highlight?.connections.has(key) ?? false;
        const grad = built?.weights[l]?.[j]?.[k]?.grad;
        const name = weightName(l + 1, j, k);
        const selected = o.selected && o.selected[0] === l + 1 && o.selected[1] === j && o.selected[2] === k;
        const g = s('g', {
          class: `connection${o.onSelect ? ' selectable' : ''}${selected ? ' selected' : ''}${onPath ? ' on-path' : ''}`,
          'data-key': key,
          'data-weight': String(w),
          'data-grad': o.showGradients && grad !== undefined ? String(grad) : undefined,
          tabindex: o.onSelect ? 0 : undefined,
          role: o.onSelect ? 'button' : undefined,
          'aria-pressed': o.onSelect ? String(Boolean(selected)) : undefined,
          'aria-label': `${name} = ${fmt(w)}${o.showGradients && grad !== undefined ? `, ∂C/∂${name} = ${fmt(grad)}` : ''}`,
        });
        // A wide transparent line under the visible one: an easy target for a finger.
        g.append(s('line', { class: 'hit', x1, y1, x2, y2, stroke: 'transparent', 'stroke-width': 16 }));
        g.append(
          s('line', {
            class: 'stroke',
            x1,
            y1,
            x2,
            y2,
            stroke: w >= 0 ? 'var(--positive)' : 'var(--negative)',
            'stroke-width': 1 + 7 * Math.min(1, Math.abs(w) / maxAbs),
            'stroke-opacity': 0.8,
          }),
        );
        // Labels sit a third of the way along, where lines into one neuron are still apart.
        const t = j === k ? 0.5 : 0.34;
        const lx = x1 + (x2 - x1) * t;
        const ly = y1 + (y2 - y1) * t;
        if (!dense || selected || onPath) {
          g.append(s('text', { x: lx, y: ly - 6, 'text-anchor': 'middle', class: 'num' }, `${name} ${fmt(w)}`));
          if (o.showGradients && grad !== undefined)
            g.append(s('text', { x: lx, y: ly + 14, 'text-anchor': 'middle', class: 'num grad' }, `∂ ${fmt(grad)}`));
        }
        if (o.onSelect) {
          const pick = () => o.onSelect?.(l + 1, j, k);
          g.addEventListener('click', pick);
          g.addEventListener('keydown', (e) => {
            if (e.key === 'Enter' || e.key === ' ') {
              e.preventDefault();
              pick();
            }
          });
        }
        svg.append(g);
      }),
    );
  }
  state.sizes.forEach((n, layer) => {
    for (let i = 0; i < n; i++) {
      const [x, y] = neuronPosition(state.sizes, layer, i);
      const a = built?.a[layer]?.[i]?.data;
      const bias = layer > 0 ? state.biases[layer - 1]![i]! : undefined;
      const biasGrad = layer > 0 ? built?.biases[layer - 1]?.[i]?.grad : undefined;
      const key = `${layer}-${i}`;
      const g = s('g', {
        class: `neuron${o.highlight?.neurons.has(key) ? ' on-path' : ''}`,
        'data-key': key,
        'data-activation': o.showActivations && a !== undefined ? String(a) : undefined,
        'data-bias': bias !== undefined ? String(bias) : undefined,
        'data-bias-grad': o.showGradients && biasGrad !== undefined ? String(biasGrad) : undefined,
      });
      g.append(s('circle', { cx: x, cy: y, r: 31 }));
      g.append(
        s(
          'text',
          { x, y: y + 4, 'text-anchor': 'middle', class: 'num' },
          o.showActivations && a !== undefined ? fmt(a) : layer === 0 ? 'x' : '·',
        ),
      );
      if (bias !== undefined) {
        g.append(
          s('text', { x, y: y + 47, 'text-anchor': 'middle', class: 'num' }, `${biasName(layer, i)} ${fmt(bias)}`),
        );
        if (o.showGradients && biasGrad !== undefined)
          g.append(s('text', { x, y: y + 62, 'text-anchor': 'middle', class: 'num grad' }, `∂ ${fmt(biasGrad)}`));
      }
      svg.append(g);
    }
  });
  return svg;
}
