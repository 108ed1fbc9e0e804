/** Flatten: merges axes, e.g. images [batch, 28, 28] into rows [batch, 784]. */
import { ArgumentError, Tensor } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { Module } from '../module';

/**
 * Flattens axes `startAxis` to `endAxis` (default 1 to -1: everything but the
 * batch axis, as PyTorch's nn.Flatten).
 *
 * @example
 * new Flatten().forward(zeros([32, 28, 28])).shape; // [32, 784]
 */
export class Flatten extends Module {
  readonly startAxis: number;
  readonly endAxis: number;

  constructor(startAxis = 1, endAxis = -1) {
    super();
    if (!Number.isInteger(startAxis) || !Number.isInteger(endAxis)) {
      throw new ArgumentError(
        'Flatten',
        `startAxis and endAxis must be integers, got ${describeValue(startAxis)} and ${describeValue(endAxis)}`,
      );
    }
    this.startAxis = startAxis;
    this.endAxis = endAxis;
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor))
      throw new ArgumentError('Flatten', `the input must be a Tensor, got ${describeValue(x)}`);
    return x.flatten(this.startAxis, this.endAxis);
  }

  override extraRepr(): string {
    return `${this.startAxis}, ${this.endAxis}`;
  }
}
