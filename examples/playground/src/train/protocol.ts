/**
 * The messages between the Playground page and its training worker. Plain
 * data only (structured clone): typed arrays travel as transferables.
 */
import type { PlaygroundConfig } from './trainer';

/** What the page asks of the worker. */
export type ToWorker =
  /** Build a fresh network and dataset from these settings (training stops). */
  | { type: 'configure'; config: PlaygroundConfig }
  /** Train until paused. */
  | { type: 'start' }
  | { type: 'pause' }
  /** Train `count` steps, then stop (keyboard users step through). */
  | { type: 'step'; count: number }
  /** The same settings again from the first step. */
  | { type: 'reset' };

/** A snapshot of training, posted after each slice of steps. */
export interface Progress {
  type: 'progress';
  /** Mini-batch steps taken since the last configure or reset. */
  steps: number;
  /** Cost over the whole dataset. */
  loss: number;
  /** Training accuracy over the whole dataset, in [0, 1]. */
  accuracy: number;
  /** P(class 1) on a resolution × resolution grid, top row first (see Trainer.grid). */
  grid: Float32Array;
  resolution: number;
  /** Whether the worker goes on training after this snapshot. */
  running: boolean;
}

/** What the worker tells the page. */
export type FromWorker =
  /** The dataset of the current settings, sent after each configure. */
  | { type: 'dataset'; xy: Float32Array; labels: Int32Array }
  | Progress
  /** A rejected message or a failed step; training has stopped. */
  | { type: 'error'; message: string };
