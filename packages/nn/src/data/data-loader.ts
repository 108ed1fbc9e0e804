/** Mini-batches: the textbook's "subsample your observations into batches". */
import { ArgumentError, noGrad, tensor, type Generator } from '@chainrule/core';
import { sampleCount, type Dataset } from './dataset';
import { booleanOption, describeValue, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { generatorFor } from './random-source';

/** Options of `new DataLoader(dataset, options)`. */
export interface DataLoaderOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Seeds the loader's own random stream: the same seed gives the same sequence of epochs. */
  seed?: number;
  /** Or draw the orders from this stream (default: the global generator). */
  generator?: Generator;
  /** Skip the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

const loaderKeys: OptionKeys<DataLoaderOptions> = {
  batchSize: true,
  shuffle: true,
  seed: true,
  generator: true,
  dropLast: true,
};

/**
 * Iterates over a dataset in mini-batches; each pass (`for...of`) is one
 * epoch in which every sample appears exactly once (with `dropLast`, the
 * leftover samples of the last partial batch are skipped). With `shuffle`
 * each epoch has a new order drawn from the loader's random stream.
 *
 * @example
 * const loader = new DataLoader({ inputs: x, targets: y }, { batchSize: 16, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const { inputs, targets } of loader) { ... }
 * }
 */
export class DataLoader implements Iterable<Dataset> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** The number of samples in the dataset. */
  readonly sampleCount: number;
  readonly #data: Dataset;
  readonly #generator: Generator;

  constructor(data: Dataset, options: DataLoaderOptions = {}) {
    const op = 'DataLoader';
    this.sampleCount = sampleCount(op, data);
    const o = optionsObject(op, options, loaderKeys);
    const { batchSize = 32 } = o;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ArgumentError(op, `batchSize must be a positive integer, got ${describeValue(batchSize)}`);
    }
    const shuffle = booleanOption(op, 'shuffle', o.shuffle, false);
    const dropLast = booleanOption(op, 'dropLast', o.dropLast, false);
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.#data = { inputs: data.inputs.detach(), targets: data.targets.detach() };
    this.#generator = generatorFor(op, o);
  }

  /** Batches per epoch. */
  get length(): number {
    const whole = Math.floor(this.sampleCount / this.batchSize);
    return this.dropLast || this.sampleCount % this.batchSize === 0 ? whole : whole + 1;
  }

  /** One epoch of batches; with shuffle, each call draws a new order. */
  *[Symbol.iterator](): Iterator<Dataset> {
    const n = this.sampleCount;
    const order = this.shuffle ? this.#generator.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
    for (let b = 0; b < this.length; b++) {
      const start = b * this.batchSize;
      const index = tensor(order.slice(start, Math.min(start + this.batchSize, n)));
      yield noGrad(() => ({
        inputs: this.#data.inputs.indexSelect(0, index),
        targets: this.#data.targets.indexSelect(0, index),
      }));
    }
  }
}
