/**
 * The worker's state machine, kept apart from the Worker global so Node can
 * test it: it trains in slices of at most `sliceMs` milliseconds and yields
 * to the event loop between slices, so pause and configure messages are
 * handled while training runs.
 */
import type { FromWorker, ToWorker } from './protocol';
import { DEFAULT_CONFIG, Trainer, type PlaygroundConfig } from './trainer';

/** How a session reaches the outside world. */
export interface SessionIO {
  post(message: FromWorker, transfer?: Transferable[]): void;
  /** Runs `f` later, after pending messages (setTimeout(f, 0) in a worker). */
  later(f: () => void): void;
  now(): number;
}

/** Options of a {@link TrainingSession}. */
export interface SessionOptions {
  /** Longest slice of training between two snapshots (default 40 ms). */
  sliceMs?: number;
  /** Side of the decision-boundary grid (default 48). */
  resolution?: number;
}

export class TrainingSession {
  #trainer: Trainer;
  #running = false;
  /** Steps left for a 'step' request; Infinity while started. */
  #budget = 0;
  #scheduled = false;
  readonly #io: SessionIO;
  readonly #sliceMs: number;
  readonly #resolution: number;

  constructor(io: SessionIO, options: SessionOptions = {}) {
    this.#io = io;
    this.#sliceMs = options.sliceMs ?? 40;
    this.#resolution = options.resolution ?? 48;
    this.#trainer = new Trainer(DEFAULT_CONFIG);
  }

  /** Handles one message from the page; a bad one is answered with an 'error' message. */
  receive(message: ToWorker): void {
    try {
      switch (message.type) {
        case 'configure':
          this.#configure(message.config);
          break;
        case 'reset':
          this.#configure(this.#trainer.config);
          break;
        case 'start':
          this.#budget = Number.POSITIVE_INFINITY;
          this.#run();
          break;
        case 'pause':
          this.#budget = 0;
          this.#running = false;
          this.#snapshot();
          break;
        case 'step':
          this.#budget = Math.max(1, Math.min(10_000, Math.floor(message.count)));
          this.#run();
          break;
        default:
          throw new Error(`unknown message type ${JSON.stringify((message as { type?: unknown }).type)}`);
      }
    } catch (e) {
      this.#running = false;
      this.#budget = 0;
      this.#io.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  #configure(config: PlaygroundConfig): void {
    // Built before the old trainer is dropped: a rejected config leaves the session as it was.
    const trainer = new Trainer(config);
    this.#trainer = trainer;
    this.#running = false;
    this.#budget = 0;
    const xy = trainer.data.xy.slice();
    const labels = trainer.data.labels.slice();
    this.#io.post({ type: 'dataset', xy, labels }, [xy.buffer, labels.buffer]);
    this.#snapshot();
  }

  #run(): void {
    this.#running = true;
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#io.later(() => {
      this.#scheduled = false;
      this.#slice();
    });
  }

  #slice(): void {
    if (!this.#running) return;
    const started = this.#io.now();
    try {
      while (this.#budget > 0 && this.#io.now() - started < this.#sliceMs) {
        this.#trainer.step();
        this.#budget--;
      }
    } catch (e) {
      this.#running = false;
      this.#budget = 0;
      this.#io.post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      return;
    }
    if (this.#budget === 0) this.#running = false;
    this.#snapshot();
    if (this.#running) this.#schedule();
  }

  #snapshot(): void {
    const { loss, accuracy } = this.#trainer.evaluate();
    const grid = this.#trainer.grid(this.#resolution);
    this.#io.post(
      {
        type: 'progress',
        steps: this.#trainer.steps,
        loss,
        accuracy,
        grid,
        resolution: this.#resolution,
        running: this.#running,
      },
      [grid.buffer],
    );
  }
}
