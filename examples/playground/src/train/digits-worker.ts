/**
 * View 6's worker: reads a demo model, fits the demo's input scaling again
 * from the mnist digits (a second or two of work that would freeze the page)
 * and classifies drawn digits.
 */
import type { MinMaxScaler } from '@chainrule/nn';
import type { Digits } from '../../../mnist/src/data';
import { fetchDigits } from './mnist-digits';
import { classify, readDemoModel, type DemoModel } from './digits-model';
import type { FromDigitsWorker, ToDigitsWorker } from './digits-protocol';

const scope = self as unknown as {
  postMessage(message: FromDigitsWorker, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToDigitsWorker>) => void) | null;
};

let current: { demo: DemoModel; scaler: MinMaxScaler } | null = null;
let digits: Promise<Digits> | null = null;

async function load(bytes: ArrayBuffer, name: string): Promise<void> {
  scope.postMessage({ type: 'loading', fraction: 0.1, stage: `reading ${name}` });
  const demo = readDemoModel(new Uint8Array(bytes));
  scope.postMessage({ type: 'loading', fraction: 0.3, stage: 'loading the mnist digits to rebuild the input scaling' });
  digits ??= fetchDigits();
  const all = await digits;
  const { demoData } = await import('./mnist-scaler');
  scope.postMessage({ type: 'loading', fraction: 0.7, stage: 'fitting the scaler on the run’s training split' });
  const { scaler } = demoData(demo.config, all);
  current = { demo, scaler };
  scope.postMessage({ type: 'loaded', name, description: demo.description });
}

async function trainHere(): Promise<void> {
  scope.postMessage({ type: 'loading', fraction: 0, stage: 'loading the mnist digits' });
  digits ??= fetchDigits();
  const all = await digits;
  const { IN_PAGE_CONFIG, trainDigits } = await import('./digits-train');
  const { demo, scaler } = trainDigits(
    IN_PAGE_CONFIG,
    (fraction, stage) => scope.postMessage({ type: 'loading', fraction, stage }),
    all,
  );
  current = { demo, scaler };
  scope.postMessage({ type: 'loaded', name: 'trained in this page', description: demo.description });
}

scope.onmessage = (event) => {
  const m = event.data;
  try {
    if (m.type === 'train') {
      trainHere().catch((e: unknown) => scope.postMessage({ type: 'error', message: (e as Error).message }));
    } else if (m.type === 'load') {
      load(m.bytes, m.name).catch((e: unknown) => scope.postMessage({ type: 'error', message: (e as Error).message }));
    } else if (m.type === 'classify') {
      if (current === null) throw new Error('classify: no model yet; load a model.safetensors first');
      const probabilities = classify(current.demo, current.scaler, m.pixels);
      scope.postMessage({ type: 'probabilities', id: m.id, probabilities }, [probabilities.buffer]);
    }
  } catch (e) {
    scope.postMessage({ type: 'error', message: (e as Error).message });
  }
};
