/**
 * The Playground's training worker: a TrainingSession wired to the Worker
 * global. Started by the page with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
 */
import type { FromWorker, ToWorker } from './protocol';
import { TrainingSession } from './session';

// The workspace type-checks with the DOM library, not WebWorker's: only the two members used here are declared.
const scope = self as unknown as {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};

const session = new TrainingSession({
  post: (message, transfer = []) => scope.postMessage(message, transfer),
  later: (f) => setTimeout(f, 0),
  now: () => performance.now(),
});

scope.onmessage = (event) => session.receive(event.data);
