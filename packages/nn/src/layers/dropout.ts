/** Dropout: random zeroing while training, identity in evaluation. */
import { ArgumentError, Tensor, defaultGenerator, rand, type Generator } from '@chainrule/core';
import { describeValue, optionsObject } from '@chainrule/core/internal';
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
