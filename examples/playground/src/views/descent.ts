/**
 * View 4: gradient descent on a cost surface. The cost over two chosen
 * parameters (the rest held) drawn as filled contours, with the path
 * mini-batch SGD takes from the network's values; the learning rate and the
 * batch size are the controls, and a rate too large is seen to diverge.
 * Charts are Observable Plot's.
 */
import * as Plot from '@observablehq/plot';
import { fmt, h } from '../components/dom';
import { publish } from '../hook';
import {
  costSurface,
  getParam,
  type ParamRef,
  type Surface,
  sgdPath,
  TEACHER_OFFSET,
  teacherExamples,
} from '../model/descent';
import { biasName, weightName } from '../model/network';
import { network } from '../model/store';
import type { View } from './registry';

function paramRefs(sizes: readonly number[]): { ref: ParamRef; name: string }[] {
  const out: { ref: ParamRef; name: string }[] = [];
  for (let l = 1; l < sizes.length; l++)
    for (let j = 0; j < sizes[l]!; j++) {
      for (let k = 0; k < sizes[l - 1]!; k++) out.push({ ref: [l, j, k], name: weightName(l, j, k) });
      out.push({ ref: [l, j], name: biasName(l, j) });
    }
  return out;
}

const key = (p: ParamRef) => p.join('-');

export const descentView: View = {
  id: 'descent',
  title: 'Descent',
  mount(root) {
    const selA = h('select', { id: 'param-a' });
    const selB = h('select', { id: 'param-b' });
    const lr = h('input', { id: 'descent-lr', type: 'number', min: 0, step: 'any', value: 10 });
    const batch = h(
      'select',
      { id: 'batch-size' },
      ...[1, 2, 4, 8, 16].map((n) => h('option', { value: n, selected: n === 4 }, String(n))),
    );
    const steps = h('input', { id: 'steps', type: 'number', min: 1, max: 500, step: 1, value: 40 });
    const small = h('button', { id: 'rate-small', class: 'secondary' }, 'Small rate (10)');
    const large = h('button', { id: 'rate-large', class: 'secondary' }, 'Too large (300)');
    const error = h('span', { class: 'error', role: 'alert', id: 'descent-error' });
    const status = h('p', { class: 'status', id: 'descent-status', 'aria-live': 'polite' });
    const surfaceChart = h('figure', { id: 'surface-chart' });
    const costChart = h('figure', { id: 'cost-chart' });
    root.append(
      h('h2', {}, 'Descent'),
      h(
        'p',
        { class: 'lead' },
        `The cost over two parameters of the network, the others held, on 16 examples labelled by a teacher: the same network with the two moved by (${TEACHER_OFFSET.join(', ')}), so the lowest point is known. The line is the path mini-batch SGD takes from the network's values. Raise the rate until it overshoots and climbs.`,
      ),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'param-a' }, 'x', selA),
        h('label', { for: 'param-b' }, 'y', selB),
        h('label', { for: 'descent-lr' }, 'Learning rate η', lr),
        h('label', { for: 'batch-size' }, 'Batch size', batch),
        h('label', { for: 'steps' }, 'Steps', steps),
      ),
      h('div', { class: 'controls' }, small, large, error),
      status,
      h('div', { class: 'charts' }, surfaceChart, costChart),
    );

    let a: ParamRef = [2, 0, 0];
    let b: ParamRef = [2, 0, 1];
    let cached: { key: string; surface: Surface } | null = null;

    const render = () => {
      const state = network.get();
      const refs = paramRefs(state.sizes);
      const known = new Set(refs.map((r) => key(r.ref)));
      if (!known.has(key(a))) a = refs[0]!.ref;
      if (!known.has(key(b)) || key(b) === key(a)) b = refs.find((r) => key(r.ref) !== key(a))!.ref;
      const options = (sel: HTMLSelectElement, picked: ParamRef) =>
        sel.replaceChildren(
          ...refs.map((r) => h('option', { value: key(r.ref), selected: key(r.ref) === key(picked) }, r.name)),
        );
      options(selA, a);
      options(selB, b);

      const rate = Number(lr.value);
      const stepCount = Number(steps.value);
      if (!(Number.isFinite(rate) && rate >= 0)) {
        error.textContent = `learning rate: expected a number ≥ 0, got '${lr.value}'`;
        return;
      }
      if (!(Number.isInteger(stepCount) && stepCount >= 1 && stepCount <= 500)) {
        error.textContent = `steps: expected a whole number from 1 to 500, got '${steps.value}'`;
        return;
      }
      if (key(a) === key(b)) {
        error.textContent = 'x and y: expected two different parameters';
        return;
      }
      error.textContent = '';
      const examples = teacherExamples(state, a, b);
      const x0 = getParam(state, a);
      const y0 = getParam(state, b);
      const [ox, oy] = TEACHER_OFFSET;
      // A box around the start and the minimum, with room on every side.
      const domain = {
        x: [Math.min(x0, x0 + ox) - 3, Math.max(x0, x0 + ox) + 3] as [number, number],
        y: [Math.min(y0, y0 + oy) - 3, Math.max(y0, y0 + oy) + 3] as [number, number],
      };
      // The surface depends on the network and the two parameters only: changing the rate reuses it.
      const surfaceKey = JSON.stringify([state, a, b]);
      if (cached?.key !== surfaceKey) cached = { key: surfaceKey, surface: costSurface(state, a, b, examples, domain) };
      const surface = cached.surface;
      const path = sgdPath(state, a, b, examples, { lr: rate, batchSize: Number(batch.value), steps: stepCount });
      const start = path[0]!.cost;
      const end = path[path.length - 1]!.cost;
      const peak = Math.max(...path.map((p) => p.cost));
      const verdict = Number.isFinite(end) && end < start ? 'descended' : 'diverged';
      const outside = path.some(
        (p) => p.x < domain.x[0] || p.x > domain.x[1] || p.y < domain.y[0] || p.y > domain.y[1],
      );

      const width = Math.max(280, Math.min(620, root.clientWidth - 16));
      const nameA = refs.find((r) => key(r.ref) === key(a))!.name;
      const nameB = refs.find((r) => key(r.ref) === key(b))!.name;
      const logCost = surface.cost.map((c) => Math.log10(Math.max(c, 1e-12)));
      // Explicit levels from the lowest to past the highest value: Plot's automatic ones can stop
      // short of the maximum, leaving the steepest corners of the surface unfilled.
      const lo = Math.floor(Math.min(...logCost) * 2) / 2;
      const hi = Math.ceil(Math.max(...logCost) * 2) / 2 + 0.5;
      const thresholds = Array.from({ length: Math.round((hi - lo) * 4) + 1 }, (_, i) => lo + i / 4);
      surfaceChart.replaceChildren(
        Plot.plot({
          width,
          height: width,
          x: { domain: domain.x, label: nameA },
          y: { domain: domain.y, label: nameB },
          color: { scheme: 'viridis', legend: true, label: 'log₁₀ C' },
          marks: [
            Plot.contour(logCost, {
              width: surface.xs.length,
              height: surface.ys.length,
              x1: domain.x[0],
              x2: domain.x[1],
              y1: domain.y[0],
              y2: domain.y[1],
              fill: Plot.identity,
              thresholds,
              stroke: 'white',
              strokeOpacity: 0.25,
            }),
            Plot.line(path, { x: 'x', y: 'y', stroke: '#ff4d4d', strokeWidth: 2, clip: true }),
            Plot.dot(path, { x: 'x', y: 'y', fill: '#ff4d4d', r: 2.5, clip: true }),
            Plot.dot([{ x: x0 + ox, y: y0 + oy }], { x: 'x', y: 'y', symbol: 'star', stroke: 'white', r: 6 }),
          ],
        }),
        h(
          'figcaption',
          { class: 'legend' },
          `Cost surface over ${nameA} and ${nameB}; ★ the minimum, red the SGD path.`,
        ),
      );
      costChart.replaceChildren(
        Plot.plot({
          width: Math.min(width, 420),
          height: 260,
          x: { label: 'step' },
          y: { type: 'log', label: 'cost C (whole data set)', grid: true, tickFormat: '~g' },
          marks: [
            Plot.line(
              path.filter((p) => p.cost > 0 && Number.isFinite(p.cost)),
              { x: 'step', y: 'cost', stroke: '#2563eb' },
            ),
          ],
        }),
        h('figcaption', { class: 'legend' }, 'The cost after each step.'),
      );
      status.className = `status ${verdict}`;
      status.dataset.status = verdict;
      status.dataset.start = String(start);
      status.dataset.end = String(end);
      status.textContent =
        verdict === 'descended'
          ? `Descended: the cost went from ${fmt(start)} to ${fmt(end)} in ${path.length - 1} steps.`
          : `Diverged: the rate is too large — the cost went from ${fmt(start)} to ${fmt(end)} (at worst ${fmt(peak)})${outside ? ' and the path left the plotted area' : ''}.`;
      publish('descent', { a, b, lr: rate, batchSize: Number(batch.value), path, verdict, domain });
    };

    selA.addEventListener('change', () => {
      a = selA.value.split('-').map(Number) as unknown as ParamRef;
      render();
    });
    selB.addEventListener('change', () => {
      b = selB.value.split('-').map(Number) as unknown as ParamRef;
      render();
    });
    for (const el of [lr, batch, steps]) el.addEventListener('change', render);
    small.addEventListener('click', () => {
      lr.value = '10';
      render();
    });
    large.addEventListener('click', () => {
      lr.value = '300';
      render();
    });
    return network.subscribe(render);
  },
};
