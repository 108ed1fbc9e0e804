/**
 * View 2: the chain rule, term by term. For the weight a person picks, the
 * page writes ∂C/∂w as the product of the local partial derivatives along
 * the path from the weight to the cost, summed over every such path when the
 * later layers have several neurons. Each factor is taken by the engine (the
 * layer's builders run again on fresh Values and backward() reads it off);
 * the total is set beside the gradient backward() put on the weight itself.
 */
import { fmt, h } from '../components/dom';
import { drawNetwork } from '../components/network-svg';
import { publish } from '../hook';
import { type ChainPath, chainPaths, forwardBackward, weightName } from '../model/network';
import { network } from '../model/store';
import type { View } from './registry';

type Pick = [number, number, number];

export const chainRuleView: View = {
  id: 'chain-rule',
  title: 'The chain rule',
  mount(root) {
    let picked: Pick = [1, 0, 0];
    const select = h('select', { id: 'weight' });
    const drawing = h('div', { class: 'drawing' });
    const panel = h('div', { class: 'panel', id: 'chain-panel', 'aria-live': 'polite' });
    root.append(
      h('h2', {}, 'The chain rule, term by term'),
      h(
        'p',
        { class: 'lead' },
        'Pick a weight (a line of the drawing, or the list). ∂C/∂w is the product of the partial derivatives along the path from that weight to the cost — one product per path when later layers have several neurons, added up. Every factor comes from chainrule’s Value graph; the sum is checked against the gradient backward() leaves on the weight.',
      ),
      h('div', { class: 'controls' }, h('label', { for: 'weight' }, 'Weight', select)),
      h('div', { class: 'split' }, drawing, panel),
    );

    const render = () => {
      const state = network.get();
      // A network of other sizes may not have the weight picked before.
      const [pl, pj, pk] = picked;
      if (state.weights[pl - 1]?.[pj]?.[pk] === undefined) picked = [1, 0, 0];
      const [l, j, k] = picked;
      const built = forwardBackward(state);
      const paths = chainPaths(state, built, l, j, k);
      const total = paths.reduce((s, p) => s + p.product, 0);
      const grad = built.weights[l - 1]![j]![k]!.grad;
      const connections = new Set<string>();
      const neurons = new Set<string>();
      for (const p of paths) {
        p.neurons.forEach(([layer, i], n) => {
          neurons.add(`${layer}-${i}`);
          const prev = p.neurons[n - 1];
          if (prev) connections.add(`${layer}-${i}-${prev[1]}`);
        });
      }
      drawing.replaceChildren(
        drawNetwork({
          state,
          built,
          showActivations: true,
          showGradients: true,
          selected: picked,
          highlight: { connections, neurons },
          onSelect: (...pick) => {
            picked = pick;
            render();
            (drawing.querySelector(`[data-key="${pick.join('-')}"]`) as SVGElement | null)?.focus();
          },
        }),
      );
      select.replaceChildren(
        ...state.weights.flatMap((layer, li) =>
          layer.flatMap((row, ji) =>
            row.map((_, ki) => {
              const value = `${li + 1}-${ji}-${ki}`;
              return h('option', { value, selected: value === picked.join('-') }, weightName(li + 1, ji, ki));
            }),
          ),
        ),
      );
      panel.replaceChildren(...explain(weightName(l, j, k), paths, total, grad));
      panel.dataset.weight = picked.join('-');
      panel.dataset.product = String(total);
      panel.dataset.grad = String(grad);
      panel.dataset.paths = String(paths.length);
      publish('chainRule', { weight: picked, paths, total, grad });
    };

    select.addEventListener('change', () => {
      picked = select.value.split('-').map(Number) as Pick;
      render();
    });
    return network.subscribe(render);
  },
};

function explain(name: string, paths: ChainPath[], total: number, grad: number): HTMLElement[] {
  const out: HTMLElement[] = [
    h('h3', {}, `∂C/∂${name}`, paths.length > 1 ? ` — the sum over ${paths.length} paths` : ''),
  ];
  paths.forEach((p, n) => {
    const row = h('div', { class: 'chain', 'data-path': n });
    if (n > 0) row.append(h('span', { class: 'math' }, '+'));
    p.factors.forEach((f, i) => {
      if (i > 0) row.append(h('span', { class: 'math', 'aria-hidden': 'true' }, '·'));
      row.append(
        h(
          'span',
          { class: 'factor', 'data-value': String(f.value) },
          h('span', { class: 'sym' }, f.symbol),
          h('span', { class: 'num' }, fmt(f.value)),
        ),
      );
    });
    row.append(
      h('span', { class: 'math' }, '='),
      h('span', { class: 'num', 'data-product': String(p.product) }, fmt(p.product)),
    );
    out.push(row);
  });
  const diff = Math.abs(total - grad);
  const agree = diff <= 1e-12 * Math.max(1, Math.abs(grad));
  out.push(
    h('p', {}, paths.length > 1 ? 'Sum of the products: ' : 'The product: ', h('strong', { class: 'num' }, fmt(total))),
    h('p', {}, `The gradient backward() put on ${name}: `, h('strong', { class: 'num' }, fmt(grad))),
    h(
      'p',
      { class: `check ${agree ? 'ok' : 'bad'}` },
      agree ? `Equal (they differ by ${diff.toExponential(1)}).` : `They differ by ${diff.toExponential(3)}.`,
    ),
  );
  return out;
}
