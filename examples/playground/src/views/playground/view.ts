/**
 * View 5: the Playground. A small network learns a 2-D dataset in a Web
 * Worker (src/train/worker.ts) while this page only draws what the worker
 * posts: the decision boundary, the points, and the loss and accuracy curves.
 */
import { h } from '../../components/dom';
import { publish } from '../../hook';
import { DATASETS, type DatasetName } from '../../train/datasets';
import type { FromWorker, Progress, ToWorker } from '../../train/protocol';
import {
  ACTIVATIONS,
  DEFAULT_CONFIG,
  LOSSES,
  OPTIMIZERS,
  type ActivationChoice,
  type LossChoice,
  type OptimizerChoice,
  type PlaygroundConfig,
} from '../../train/trainer';
import type { View } from '../registry';
import { drawBoundary } from './boundary';
import { type CurvePoint, drawCurves, thin } from './curves';
import './playground.css';

const DATASET_TITLES: Record<DatasetName, string> = {
  circles: 'Circles',
  xor: 'XOR',
  spiral: 'Spiral',
  blobs: 'Two blobs',
};

function select<T extends string>(id: string, options: readonly T[], value: T): HTMLSelectElement {
  const el = h('select', { id });
  for (const o of options) el.append(h('option', { value: o, selected: o === value }, o));
  return el;
}

/** "16, 16" → [16, 16]; "" → [] (no hidden layer). Returns a message for anything else. */
export function parseHidden(text: string): number[] | string {
  const parts = text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const widths = parts.map(Number);
  if (!widths.every((w) => Number.isInteger(w) && w >= 1 && w <= 64))
    return `Hidden layers: widths from 1 to 64 separated by commas, e.g. "16, 16"; got "${text}"`;
  return widths;
}

export const playgroundView: View = {
  id: 'playground',
  title: 'Playground',
  mount(root) {
    const c = DEFAULT_CONFIG;
    const dataset = h('select', { id: 'pg-dataset' });
    for (const d of DATASETS) dataset.append(h('option', { value: d, selected: d === c.dataset }, DATASET_TITLES[d]));
    const hidden = h('input', { id: 'pg-hidden', value: c.hidden.join(', '), size: 8, inputmode: 'numeric' });
    const activation = select('pg-activation', ACTIVATIONS, c.activation);
    const loss = select('pg-loss', LOSSES, c.loss);
    const optimizer = select('pg-optimizer', OPTIMIZERS, c.optimizer);
    const lr = h('input', { id: 'pg-lr', type: 'number', min: 0.0001, max: 10, step: 0.001, value: c.lr });
    const batch = h('input', { id: 'pg-batch', type: 'number', min: 1, max: c.points, step: 1, value: c.batchSize });
    const noise = h('input', { id: 'pg-noise', type: 'number', min: 0, max: 0.5, step: 0.01, value: c.noise });
    const run = h('button', { id: 'pg-run', 'aria-pressed': 'false' }, 'Start');
    const step = h('button', { id: 'pg-step', class: 'secondary' }, 'Step ×10');
    const reset = h('button', { id: 'pg-reset', class: 'secondary' }, 'Reset');
    const error = h('p', { id: 'pg-error', class: 'error', role: 'alert' });
    const canvas = h('canvas', { id: 'pg-canvas', role: 'img', 'aria-label': 'Decision boundary and points' });
    const status = h('p', { id: 'pg-status', class: 'status', 'aria-live': 'polite' }, 'Starting the worker…');
    const curves = h('div', { id: 'pg-curves', class: 'pg-curves' });

    root.append(
      h('h2', {}, 'Playground'),
      h(
        'p',
        { class: 'lead' },
        'A network learns to separate two classes of points. Training runs in a Web Worker, so the page stays responsive; the background shows the probability the network gives to the blue class at each place.',
      ),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'pg-dataset' }, 'Dataset', dataset),
        h('label', { for: 'pg-noise' }, 'Noise', noise),
        h('label', { for: 'pg-hidden' }, 'Hidden layers', hidden),
        h('label', { for: 'pg-activation' }, 'Activation', activation),
        h('label', { for: 'pg-loss' }, 'Loss', loss),
        h('label', { for: 'pg-optimizer' }, 'Optimizer', optimizer),
        h('label', { for: 'pg-lr' }, 'Learning rate', lr),
        h('label', { for: 'pg-batch' }, 'Batch size', batch),
      ),
      h('div', { class: 'controls', role: 'toolbar', 'aria-label': 'Training' }, run, step, reset),
      error,
      h('div', { class: 'pg-board' }, canvas, h('div', {}, status, curves)),
    );

    let points: { xy: Float32Array; labels: Int32Array } | null = null;
    let last: Progress | null = null;
    let history: CurvePoint[] = [];
    let frame = 0;
    let lastCurves = 0;

    const resize = () => {
      const side = Math.round(Math.min(360, canvas.clientWidth || 360) * (window.devicePixelRatio || 1));
      if (canvas.width !== side) {
        canvas.width = side;
        canvas.height = side;
      }
    };

    const render = () => {
      frame = 0;
      resize();
      drawBoundary(canvas, last?.grid ?? null, last?.resolution ?? 0, points);
      // The SVG charts are rebuilt at most once a second while training (a rebuild costs tens of
      // milliseconds of the main thread); the heatmap is what must feel live.
      const now = performance.now();
      if (now - lastCurves > 1000 || last?.running !== true) {
        lastCurves = now;
        drawCurves(curves, history);
      }
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(render);
    };

    const worker = new Worker(new URL('../../train/worker.ts', import.meta.url), { type: 'module' });
    const send = (message: ToWorker) => worker.postMessage(message);

    const setRunning = (running: boolean) => {
      run.textContent = running ? 'Pause' : 'Start';
      run.setAttribute('aria-pressed', String(running));
    };

    worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      if (m.type === 'dataset') {
        points = { xy: m.xy, labels: m.labels };
        history = [];
      } else if (m.type === 'progress') {
        last = m;
        if (history.at(-1)?.step !== m.steps) history.push({ step: m.steps, loss: m.loss, accuracy: m.accuracy });
        history = thin(history);
        setRunning(m.running);
        status.textContent = `step ${m.steps} · loss ${m.loss.toFixed(4)} · training accuracy ${(100 * m.accuracy).toFixed(1)}%`;
        publish('playground', { steps: m.steps, loss: m.loss, accuracy: m.accuracy, running: m.running });
      } else {
        error.textContent = m.message;
        setRunning(false);
      }
      schedule();
    };
    worker.onerror = (event) => {
      error.textContent = `The training worker failed: ${event.message}`;
    };

    const configure = () => {
      const widths = parseHidden(hidden.value);
      if (typeof widths === 'string') {
        error.textContent = widths;
        return;
      }
      error.textContent = '';
      const config: PlaygroundConfig = {
        ...DEFAULT_CONFIG,
        dataset: dataset.value as DatasetName,
        noise: Number(noise.value),
        hidden: widths,
        activation: activation.value as ActivationChoice,
        loss: loss.value as LossChoice,
        optimizer: optimizer.value as OptimizerChoice,
        lr: Number(lr.value),
        batchSize: Number(batch.value),
      };
      send({ type: 'configure', config });
    };

    for (const control of [dataset, noise, hidden, activation, loss, optimizer, lr, batch])
      control.addEventListener('change', configure);
    run.addEventListener('click', () =>
      send({ type: run.getAttribute('aria-pressed') === 'true' ? 'pause' : 'start' }),
    );
    step.addEventListener('click', () => send({ type: 'step', count: 10 }));
    reset.addEventListener('click', () => {
      error.textContent = '';
      send({ type: 'reset' });
    });
    const onResize = () => schedule();
    window.addEventListener('resize', onResize);
    configure();

    return () => {
      worker.terminate();
      if (frame !== 0) cancelAnimationFrame(frame);
      window.removeEventListener('resize', onResize);
    };
  },
};
