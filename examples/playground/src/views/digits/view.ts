/**
 * View 6: Digits. Draw a digit with the mouse or a finger; the weights a
 * `pnpm demo` run saved (loaded from a file, by picker or drag and drop),
 * or a network trained here with the demo's training loop, classify it in a
 * worker, after the MNIST preprocessing of
 * src/train/mnist-preprocess.ts. The bars are the network's shares for 0–9.
 */
import { h } from '../../components/dom';
import { publish } from '../../hook';
import type { FromDigitsWorker, ToDigitsWorker } from '../../train/digits-protocol';
import { FRAME, toMnist } from '../../train/mnist-preprocess';
import type { View } from '../registry';
import './digits.css';

/** The pad's side in canvas pixels; its CSS size may be smaller on a phone. */
const PAD = 280;
/** Brush width in pad pixels: MNIST strokes are 2–3 pixels of 28, so 20–30 of 280. */
const BRUSH = 22;

export const digitsView: View = {
  id: 'digits',
  title: 'Digits',
  mount(root) {
    const file = h('input', { id: 'dg-file', type: 'file', accept: '.safetensors' });
    const drop = h(
      'div',
      { class: 'dg-drop', id: 'dg-drop' },
      h('label', { for: 'dg-file' }, 'Weights written by ', h('code', {}, 'pnpm demo'), ' (model.safetensors): ', file),
      h('p', { class: 'lead' }, '…or drop the file here, or train a network in this page (about a minute):'),
      h('button', { id: 'dg-train', class: 'secondary' }, 'Train one here'),
    );
    const trainButton = drop.querySelector('#dg-train') as HTMLButtonElement;
    const progress = h('progress', { id: 'dg-progress', max: 1, value: 0, hidden: true });
    const model = h('p', { id: 'dg-model', 'aria-live': 'polite' }, 'No model loaded yet.');
    const error = h('p', { id: 'dg-error', class: 'error', role: 'alert' });
    const pad = h('canvas', {
      id: 'dg-pad',
      class: 'dg-pad',
      width: PAD,
      height: PAD,
      role: 'img',
      'aria-label': 'Drawing pad: draw one digit with the mouse or a finger',
    });
    const seen = h('canvas', { class: 'dg-seen', width: FRAME, height: FRAME, 'aria-label': 'What the network sees' });
    const clear = h('button', { id: 'dg-clear', class: 'secondary' }, 'Clear');
    const answer = h('p', { id: 'dg-answer', class: 'status', 'aria-live': 'polite' });
    const bars = h('div', { class: 'dg-bars', id: 'dg-bars' });
    const barEls: HTMLDivElement[] = [];
    const valueEls: HTMLSpanElement[] = [];
    for (let d = 0; d < 10; d++) {
      const bar = h('div', { class: 'dg-bar', style: 'width: 0%' });
      const value = h('span', { class: 'num' }, '–');
      barEls.push(bar);
      valueEls.push(value);
      bars.append(h('span', { class: 'num' }, String(d)), h('div', {}, bar), value);
    }

    root.append(
      h('h2', {}, 'Digits'),
      h(
        'p',
        { class: 'lead' },
        'Load the weights of a network trained by the MNIST demo, then draw a digit. The drawing is prepared as MNIST prepared its digits (scaled into a 20 × 20 box, centred by its mass in 28 × 28) and the network gives each digit a share.',
      ),
      drop,
      progress,
      model,
      error,
      h(
        'div',
        { class: 'dg-board' },
        h('div', {}, pad, h('div', { class: 'controls' }, clear, h('span', {}, 'The network sees:'), seen)),
        h('div', {}, answer, bars),
      ),
    );

    const ctx = pad.getContext('2d', { willReadFrequently: true }) as CanvasRenderingContext2D;
    const worker = new Worker(new URL('../../train/digits-worker.ts', import.meta.url), { type: 'module' });
    const send = (m: ToDigitsWorker, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
    let loaded = false;
    let asked = 0;
    // Published for the browser tests: `asked` and `answered` are the ids of the last drawing sent and classified.
    const state = {
      model: null as string | null,
      predicted: null as number | null,
      probabilities: [] as number[],
      asked: 0,
      answered: 0,
    };

    const showBars = (p: ArrayLike<number> | null) => {
      let top = -1;
      if (p !== null) for (let d = 0; d < 10; d++) if (top < 0 || (p[d] as number) > (p[top] as number)) top = d;
      for (let d = 0; d < 10; d++) {
        const v = p === null ? 0 : (p[d] as number);
        (barEls[d] as HTMLDivElement).style.width = `${(100 * v).toFixed(1)}%`;
        (barEls[d] as HTMLDivElement).classList.toggle('top', d === top);
        (valueEls[d] as HTMLSpanElement).textContent = p === null ? '–' : `${(100 * v).toFixed(1)}%`;
      }
      answer.textContent = p === null ? '' : `It looks like a ${top} (${(100 * (p[top] as number)).toFixed(0)}%).`;
      return top;
    };

    const ask = () => {
      const image = ctx.getImageData(0, 0, PAD, PAD).data;
      const ink = new Float32Array(PAD * PAD);
      for (let i = 0; i < ink.length; i++) ink[i] = (image[4 * i + 3] as number) / 255;
      const pixels = toMnist(ink, PAD, PAD);
      const seenCtx = seen.getContext('2d');
      if (seenCtx !== null) {
        const img = new ImageData(FRAME, FRAME);
        for (let i = 0; i < FRAME * FRAME; i++) {
          const v = 255 - Math.round(255 * (pixels?.[i] ?? 0));
          img.data.set([v, v, v, 255], 4 * i);
        }
        seenCtx.putImageData(img, 0, 0);
      }
      if (pixels === null || !loaded) {
        if (!loaded && pixels !== null) answer.textContent = 'Load a model to classify the drawing.';
        return;
      }
      state.asked = ++asked;
      publish('digits', state);
      send({ type: 'classify', pixels, id: asked }, [pixels.buffer]);
    };

    worker.onmessage = (event: MessageEvent<FromDigitsWorker>) => {
      const m = event.data;
      if (m.type === 'loading') {
        progress.hidden = false;
        progress.value = m.fraction;
        model.textContent = `Loading: ${m.stage}…`;
      } else if (m.type === 'loaded') {
        trainButton.disabled = false;
        progress.value = 1;
        progress.hidden = true;
        loaded = true;
        model.textContent = `Model: ${m.name} — ${m.description}.`;
        state.model = m.description;
        publish('digits', state);
        ask();
      } else if (m.type === 'probabilities') {
        if (m.id !== asked) return;
        state.predicted = showBars(m.probabilities);
        state.probabilities = Array.from(m.probabilities);
        state.answered = m.id;
        publish('digits', state);
      } else {
        trainButton.disabled = false;
        progress.hidden = true;
        error.textContent = m.message;
      }
    };
    worker.onerror = (event) => {
      error.textContent = `The digits worker failed: ${event.message}`;
    };

    const loadFile = async (f: File) => {
      error.textContent = '';
      loaded = false;
      const bytes = await f.arrayBuffer();
      send({ type: 'load', bytes, name: f.name }, [bytes]);
    };
    trainButton.addEventListener('click', () => {
      error.textContent = '';
      loaded = false;
      trainButton.disabled = true;
      send({ type: 'train' });
    });
    file.addEventListener('change', () => {
      const f = file.files?.[0];
      if (f !== undefined) void loadFile(f);
    });
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      const f = e.dataTransfer?.files[0];
      if (f !== undefined) void loadFile(f);
    });

    // Pointer events: one code path for mouse, pen and finger; capture keeps the stroke when it leaves the pad.
    let drawing = false;
    const at = (e: PointerEvent): [number, number] => {
      const r = pad.getBoundingClientRect();
      return [((e.clientX - r.left) / r.width) * PAD, ((e.clientY - r.top) / r.height) * PAD];
    };
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = BRUSH;
    ctx.strokeStyle = '#111';
    pad.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      pad.setPointerCapture(e.pointerId);
      drawing = true;
      const [x, y] = at(e);
      ctx.beginPath();
      ctx.moveTo(x, y);
      ctx.lineTo(x, y);
      ctx.stroke();
    });
    pad.addEventListener('pointermove', (e) => {
      if (!drawing) return;
      const [x, y] = at(e);
      ctx.lineTo(x, y);
      ctx.stroke();
    });
    const end = () => {
      if (!drawing) return;
      drawing = false;
      ask();
    };
    pad.addEventListener('pointerup', end);
    pad.addEventListener('pointercancel', end);
    clear.addEventListener('click', () => {
      ctx.clearRect(0, 0, PAD, PAD);
      state.predicted = null;
      state.probabilities = [];
      showBars(null);
      ask();
      publish('digits', state);
    });
    publish('digits', state);

    return () => worker.terminate();
  },
};
