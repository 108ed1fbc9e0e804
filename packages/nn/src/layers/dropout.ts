/** Dropout: random zeroing while training (of elements, or of whole channels), identity in evaluation. */
import { ArgumentError, ShapeError, Tensor, defaultGenerator, rand, type Generator } from '@chainrule/core';
import { describeValue, formatShape, optionsObject } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { Module } from '../module';

/**
 * In training mode, zeroes each element with probability `p` and scales the
 * survivors by 1 / (1 - p), so the expected output equals the input (inverted
 * dropout, as PyTorch). In evaluation mode (`eval()`), returns x unchanged.
 * Masks are drawn from `generator` (default: the global generator).
 *
 * @example
 * const drop = new Dropout(0.2, { generator: new Generator(7) });
 * drop.forward(x);        // training: about 20% zeros, the rest × 1.25
 * drop.eval().forward(x); // x
 */
export class Dropout extends Module {
  readonly p: number;
  readonly #generator: Generator;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ArgumentError('Dropout', `p is a probability and must be in [0, 1], got ${describeValue(p)}`);
    }
    this.p = p;
    this.#generator =
      checkGenerator('Dropout', optionsObject('Dropout', options, { generator: true }).generator) ?? defaultGenerator;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor))
      throw new ArgumentError('Dropout', `the input must be a Tensor, got ${describeValue(x)}`);
    if (!this.training || this.p === 0) return x;
    // NOTE: p = 1 drops everything; returning x·0 (not x / 0) keeps the graph finite.
    if (this.p === 1) return x.mul(0);
    const keep = rand(x.shape, { generator: this.#generator }).ge(this.p);
    return x.mul(keep).div(1 - this.p);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Channel dropout, what Dropout1d/2d/3d share: each draw zeroes a whole
 * channel (every spatial position of one [n, c]), so neighbouring
 * activations, which are strongly correlated in feature maps, are dropped
 * together (Tompson et al., 2015). `lead` is the number of leading axes
 * that get their own draws.
 */
export abstract class ChannelDropout extends Module {
  readonly p: number;
  readonly #generator: Generator;
  readonly #op: string;

  protected constructor(op: string, p: number, options: { generator?: Generator }) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
      throw new ArgumentError(op, `p is a probability and must be in [0, 1], got ${describeValue(p)}`);
    }
    this.p = p;
    this.#op = op;
    this.#generator = checkGenerator(op, optionsObject(op, options, { generator: true }).generator) ?? defaultGenerator;
  }

  /** The input checked, and how many of its leading axes (batch, channels) get independent draws. */
  protected abstract leadingAxes(x: Tensor): number;

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor))
      throw new ArgumentError(this.#op, `the input must be a Tensor, got ${describeValue(x)}`);
    const lead = this.leadingAxes(x);
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return x.mul(0);
    const maskShape = x.shape.map((n, i) => (i < lead ? n : 1));
    const keep = rand(maskShape, { generator: this.#generator }).ge(this.p);
    return x.mul(keep).div(1 - this.p);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

function rankError(op: string, x: Tensor, accepted: string): ShapeError {
  return new ShapeError(op, `expected ${accepted}, got shape ${formatShape(x.shape)}`);
}

/**
 * Zeroes whole channels of `[N, C, L]` (or unbatched `[C, L]`) with
 * probability `p` while training, scaling the rest by 1 / (1 - p)
 * (PyTorch's nn.Dropout1d); the identity in evaluation.
 *
 * @example
 * const drop = new Dropout1d(0.5, { generator: new Generator(0) });
 * drop.forward(ones([2, 4, 3])); // each of the 8 rows [n, c, :] is all 0 or all 2
 */
export class Dropout1d extends ChannelDropout {
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super('Dropout1d', p, options);
  }

  protected leadingAxes(x: Tensor): number {
    if (x.ndim !== 2 && x.ndim !== 3)
      throw rankError('Dropout1d', x, 'a 3-D input [N, C, L] or a 2-D unbatched one [C, L] (use Dropout for others)');
    // Unbatched [C, L]: the channels are the first axis.
    return x.ndim - 1;
  }
}

/**
 * Zeroes whole channels of `[N, C, H, W]` with probability `p` while
 * training, scaling the rest by 1 / (1 - p) (PyTorch's nn.Dropout2d); the
 * identity in evaluation.
 *
 * NOTE: a 3-D input is read as PyTorch 1.13 reads it, as `[N, C, L]`
 * (channel-wise 1-D dropout: each [n, c, :] row is kept or zeroed), not as
 * an unbatched `[C, H, W]`; PyTorch warns that this may change. For an
 * unbatched image, add the batch axis (`x.unsqueeze(0)`); for `[N, C, L]`,
 * Dropout1d says what it means. Other ranks, which PyTorch deprecates, are
 * refused.
 *
 * @example
 * const drop = new Dropout2d(0.2);
 * drop.forward(features);        // [N, C, H, W]: about 20% of the [n, c] maps are zero, the rest × 1.25
 * drop.eval().forward(features); // features
 */
export class Dropout2d extends ChannelDropout {
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super('Dropout2d', p, options);
  }

  protected leadingAxes(x: Tensor): number {
    if (x.ndim !== 3 && x.ndim !== 4)
      throw rankError(
        'Dropout2d',
        x,
        'a 4-D input [N, C, H, W] (or 3-D, read as [N, C, L] as PyTorch does; use Dropout for other ranks)',
      );
    return 2;
  }
}

/**
 * Zeroes whole channels of `[N, C, D, H, W]` (or unbatched `[C, D, H, W]`)
 * with probability `p` while training, scaling the rest by 1 / (1 - p)
 * (PyTorch's nn.Dropout3d); the identity in evaluation.
 *
 * @example
 * new Dropout3d(0.1).forward(randn([2, 8, 4, 16, 16])); // whole [n, c] volumes zeroed
 */
export class Dropout3d extends ChannelDropout {
  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super('Dropout3d', p, options);
  }

  protected leadingAxes(x: Tensor): number {
    if (x.ndim !== 4 && x.ndim !== 5)
      throw rankError('Dropout3d', x, 'a 5-D input [N, C, D, H, W] or a 4-D unbatched one [C, D, H, W]');
    return x.ndim - 3;
  }
}
