/**
 * The playground's four 2-D datasets, each drawn from a seeded Generator so
 * a page, a worker and a Node test given the same seed see the same points.
 * Points lie in about [-1, 1]²; labels are 0 or 1.
 */
import { ArgumentError, Generator } from '@chainrule/core';

/** The datasets the Playground offers. */
export const DATASETS = ['circles', 'xor', 'spiral', 'blobs'] as const;

/** One of {@link DATASETS}. */
export type DatasetName = (typeof DATASETS)[number];

/** What a dataset is drawn from. */
export interface DatasetOptions {
  /** Points in all, shared evenly between the two classes (default 200). */
  points?: number;
  /** Standard deviation of the Gaussian noise added to each coordinate (default 0.05). */
  noise?: number;
  /** Seeds the points (default 0). */
  seed?: number;
}

/** Points as an [n, 2] row-major array and their labels. */
export interface Points2D {
  /** x0, y0, x1, y1, ... */
  xy: Float32Array;
  /** 0 or 1 per point. */
  labels: Int32Array;
}

/** Half-width of the square every dataset fits in, with room for the noise. */
export const EXTENT = 1.2;

type Draw = (i: number, half: number, g: Generator) => [number, number, number];

// Each draw returns x, y and the label of point i (of `half` per class) before noise.
const draws: Record<DatasetName, Draw> = {
  // Inner disc (r < 0.4) against a ring (0.6 < r < 1), angles uniform.
  circles: (i, half, g) => {
    const inner = i < half;
    const r = inner ? 0.4 * Math.sqrt(g.random()) : 0.6 + 0.4 * g.random();
    const t = 2 * Math.PI * g.random();
    return [r * Math.cos(t), r * Math.sin(t), inner ? 0 : 1];
  },
  // Uniform in the square; the label is whether x and y have the same sign.
  // Points closer than 0.05 to an axis are pushed off it so the quadrants have a margin.
  xor: (_i, _half, g) => {
    const away = (v: number) => (v >= 0 ? v + 0.05 : v - 0.05);
    const x = away(1.9 * g.random() - 0.95);
    const y = away(1.9 * g.random() - 0.95);
    return [x, y, x * y > 0 ? 0 : 1];
  },
  // Two arms of 1.75 turns each, the second rotated by π: r grows linearly with the angle.
  spiral: (i, half, _g) => {
    const k = i % half;
    const r = k / half;
    const t = 1.75 * 2 * Math.PI * r + (i < half ? 0 : Math.PI);
    return [r * Math.sin(t), r * Math.cos(t), i < half ? 0 : 1];
  },
  // Two Gaussian clusters (σ 0.25) centred at (-0.45, -0.45) and (0.45, 0.45).
  blobs: (i, half, g) => {
    const c = i < half ? -0.45 : 0.45;
    return [c + 0.25 * g.normal(), c + 0.25 * g.normal(), i < half ? 0 : 1];
  },
};

/**
 * Draws a dataset: `points / 2` of each class (rounded down), in class order,
 * with Gaussian noise of standard deviation `noise` on both coordinates.
 *
 * @example
 * const { xy, labels } = makeDataset('spiral', { points: 300, noise: 0.02, seed: 1 });
 */
export function makeDataset(name: DatasetName, options: DatasetOptions = {}): Points2D {
  const { points = 200, noise = 0.05, seed = 0 } = options;
  if (!DATASETS.includes(name))
    throw new ArgumentError(
      'makeDataset',
      `unknown dataset ${JSON.stringify(name)}; expected one of ${DATASETS.join(', ')}`,
    );
  if (!Number.isInteger(points) || points < 2 || points > 100_000)
    throw new ArgumentError('makeDataset', `points must be an integer from 2 to 100000, got ${points}`);
  if (!(noise >= 0 && noise <= 1)) throw new ArgumentError('makeDataset', `noise must be in [0, 1], got ${noise}`);
  if (!Number.isSafeInteger(seed)) throw new ArgumentError('makeDataset', `seed must be a safe integer, got ${seed}`);
  const half = Math.floor(points / 2);
  const n = 2 * half;
  const g = new Generator(seed);
  const xy = new Float32Array(2 * n);
  const labels = new Int32Array(n);
  const draw = draws[name];
  for (let i = 0; i < n; i++) {
    const [x, y, label] = draw(i, half, g);
    xy[2 * i] = x + noise * g.normal();
    xy[2 * i + 1] = y + noise * g.normal();
    labels[i] = label;
  }
  return { xy, labels };
}
