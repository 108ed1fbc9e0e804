/**
 * The Playground's training loop: a small MLP on a 2-D dataset, built from
 * @chainrule/nn and @chainrule/optim, stepped one mini-batch at a time so a
 * worker can interleave steps with messages. No DOM: tested in Node.
 */
import { ArgumentError, Generator, noGrad, softmax, tensor, type Tensor } from '@chainrule/core';
import { DataLoader, crossEntropyLoss, mlp, mseLoss, type Dataset, type Sequential } from '@chainrule/nn';
import { Adam, RMSprop, SGD, type Optimizer } from '@chainrule/optim';
import { DATASETS, EXTENT, makeDataset, type DatasetName, type Points2D } from './datasets';

/** Hidden-layer activations offered. */
export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid'] as const;
/** Costs offered: softmax cross-entropy over two logits, or the textbook's squared error on one sigmoid output. */
export const LOSSES = ['cross-entropy', 'mse'] as const;
/** Optimizers offered ('momentum' is SGD with momentum 0.9). */
export const OPTIMIZERS = ['sgd', 'momentum', 'adam', 'rmsprop'] as const;

/** One of {@link ACTIVATIONS}. */
export type ActivationChoice = (typeof ACTIVATIONS)[number];
/** One of {@link LOSSES}. */
export type LossChoice = (typeof LOSSES)[number];
/** One of {@link OPTIMIZERS}. */
export type OptimizerChoice = (typeof OPTIMIZERS)[number];

/** Everything that decides a Playground run. */
export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Points in the dataset. */
  points: number;
  /** Standard deviation of the noise on each coordinate. */
  noise: number;
  /** Widths of the hidden layers, e.g. [8, 8]; empty for a linear model. */
  hidden: number[];
  activation: ActivationChoice;
  loss: LossChoice;
  optimizer: OptimizerChoice;
  lr: number;
  batchSize: number;
  /** Seeds the points, the initial weights and the batch order. */
  seed: number;
}

/** The settings the page starts with: they separate the spiral (see the trainer's test for how fast). */
export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'spiral',
  points: 200,
  noise: 0.02,
  hidden: [16, 16],
  activation: 'relu',
  loss: 'cross-entropy',
  optimizer: 'adam',
  lr: 0.03,
  batchSize: 32,
  seed: 1,
};

/** Loss and accuracy over every point of the dataset. */
export interface Evaluation {
  loss: number;
  /** Fraction of points whose predicted class is their label. */
  accuracy: number;
}

const MAX_WIDTH = 64;
const MAX_LAYERS = 6;

/** Checks a config from the page, naming the first bad field and what is accepted. */
export function checkConfig(c: PlaygroundConfig): PlaygroundConfig {
  const fail = (what: string) => {
    throw new ArgumentError('Trainer', what);
  };
  if (!DATASETS.includes(c.dataset)) fail(`dataset must be one of ${DATASETS.join(', ')}, got ${String(c.dataset)}`);
  if (!Array.isArray(c.hidden) || c.hidden.length > MAX_LAYERS)
    fail(`hidden must list at most ${MAX_LAYERS} layer widths, got ${JSON.stringify(c.hidden)}`);
  if (!c.hidden.every((w) => Number.isInteger(w) && w >= 1 && w <= MAX_WIDTH))
    fail(`hidden layer widths must be integers from 1 to ${MAX_WIDTH}, got [${c.hidden.join(', ')}]`);
  if (!ACTIVATIONS.includes(c.activation))
    fail(`activation must be one of ${ACTIVATIONS.join(', ')}, got ${String(c.activation)}`);
  if (!LOSSES.includes(c.loss)) fail(`loss must be one of ${LOSSES.join(', ')}, got ${String(c.loss)}`);
  if (!OPTIMIZERS.includes(c.optimizer))
    fail(`optimizer must be one of ${OPTIMIZERS.join(', ')}, got ${String(c.optimizer)}`);
  if (!(Number.isFinite(c.lr) && c.lr > 0 && c.lr <= 10)) fail(`lr must be in (0, 10], got ${c.lr}`);
  if (!(Number.isInteger(c.batchSize) && c.batchSize >= 1 && c.batchSize <= c.points))
    fail(`batchSize must be an integer from 1 to the number of points (${c.points}), got ${c.batchSize}`);
  return c;
}

function buildOptimizer(c: PlaygroundConfig, params: Tensor[]): Optimizer {
  switch (c.optimizer) {
    case 'sgd':
      return new SGD(params, { lr: c.lr });
    case 'momentum':
      return new SGD(params, { lr: c.lr, momentum: 0.9 });
    case 'adam':
      return new Adam(params, { lr: c.lr });
    case 'rmsprop':
      return new RMSprop(params, { lr: c.lr });
  }
}

/**
 * A network and its optimizer on one dataset. `step()` runs one mini-batch
 * (forward, cost, backward, update); batches come from a shuffled loader,
 * a new order each epoch.
 *
 * @example
 * const t = new Trainer({ ...DEFAULT_CONFIG, dataset: 'xor' });
 * for (let i = 0; i < 500; i++) t.step();
 * t.evaluate().accuracy; // close to 1
 */
export class Trainer {
  readonly config: PlaygroundConfig;
  readonly data: Points2D;
  readonly model: Sequential;
  /** Mini-batch steps taken so far. */
  steps = 0;
  readonly #optimizer: Optimizer;
  readonly #loader: DataLoader;
  readonly #inputs: Tensor;
  readonly #targets: Tensor;
  #batches: Iterator<Dataset>;

  constructor(config: PlaygroundConfig) {
    this.config = checkConfig({ ...config, hidden: [...config.hidden] });
    const c = this.config;
    this.data = makeDataset(c.dataset, { points: c.points, noise: c.noise, seed: c.seed });
    const generator = new Generator(c.seed);
    const n = this.data.labels.length;
    this.#inputs = tensor(this.data.xy, { shape: [n, 2] });
    this.#targets =
      c.loss === 'cross-entropy'
        ? tensor(this.data.labels)
        : tensor(Float32Array.from(this.data.labels), { shape: [n, 1] });
    this.model = mlp([2, ...c.hidden, c.loss === 'cross-entropy' ? 2 : 1], {
      activation: c.activation,
      outputActivation: c.loss === 'cross-entropy' ? 'linear' : 'sigmoid',
      generator,
    });
    this.#optimizer = buildOptimizer(c, this.model.parameters());
    this.#loader = new DataLoader(
      { inputs: this.#inputs, targets: this.#targets },
      { batchSize: c.batchSize, shuffle: true, generator },
    );
    this.#batches = this.#loader[Symbol.iterator]();
  }

  #cost(outputs: Tensor, targets: Tensor): Tensor {
    return this.config.loss === 'cross-entropy' ? crossEntropyLoss(outputs, targets) : mseLoss(outputs, targets);
  }

  /** One mini-batch step; returns that batch's cost before the update. */
  step(): number {
    let next = this.#batches.next();
    if (next.done === true) {
      this.#batches = this.#loader[Symbol.iterator]();
      next = this.#batches.next();
    }
    const batch = next.value as Dataset;
    const loss = this.#cost(this.model.forward(batch.inputs), batch.targets);
    this.#optimizer.zeroGrad();
    loss.backward();
    this.#optimizer.step();
    this.steps++;
    return loss.item();
  }

  /** The network's probability of class 1 for each row of an [n, 2] input. */
  probabilities(xy: Float32Array): Float32Array {
    const n = xy.length / 2;
    return noGrad(() => {
      const out = this.model.forward(tensor(xy, { shape: [n, 2] }));
      const p = this.config.loss === 'cross-entropy' ? softmax(out, 1).select(1, 1) : out.reshape([n]);
      return Float32Array.from(p.data());
    });
  }

  /** Cost and accuracy on the whole dataset, without recording a graph. */
  evaluate(): Evaluation {
    const loss = noGrad(() => this.#cost(this.model.forward(this.#inputs), this.#targets).item());
    const p = this.probabilities(this.data.xy);
    let right = 0;
    for (let i = 0; i < p.length; i++) if ((p[i] as number) > 0.5 === (this.data.labels[i] === 1)) right++;
    return { loss, accuracy: right / p.length };
  }

  /**
   * P(class 1) on a `resolution` × `resolution` grid over [-EXTENT, EXTENT]²,
   * row by row from the top (largest y) so it maps onto canvas pixels;
   * cell centres are sampled.
   */
  grid(resolution: number): Float32Array {
    if (!Number.isInteger(resolution) || resolution < 2 || resolution > 512)
      throw new ArgumentError('Trainer.grid', `resolution must be an integer from 2 to 512, got ${resolution}`);
    const xy = new Float32Array(2 * resolution * resolution);
    const cell = (2 * EXTENT) / resolution;
    for (let r = 0; r < resolution; r++) {
      for (let c = 0; c < resolution; c++) {
        const k = 2 * (r * resolution + c);
        xy[k] = -EXTENT + (c + 0.5) * cell;
        xy[k + 1] = EXTENT - (r + 0.5) * cell;
      }
    }
    return this.probabilities(xy);
  }
}
