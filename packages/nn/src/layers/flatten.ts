/** Flatten merges axes, e.g. images [batch, 28, 28] into rows [batch, 784]; Unflatten splits one again. */
import { ArgumentError, IndexError, ShapeError, Tensor, unflatten } from '@chainrule/core';
import { describeValue, formatShape } from '@chainrule/core/internal';
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

/**
 * Splits axis `dim` into `unflattenedSize` (PyTorch's nn.Unflatten, the
 * inverse of Flatten): `[batch, 784]` back into `[batch, 1, 28, 28]`. One
 * size may be -1, inferred from the others.
 *
 * @example
 * new Unflatten(1, [1, 28, 28]).forward(zeros([32, 784])).shape; // [32, 1, 28, 28]
 * new Unflatten(-1, [2, -1]).forward(zeros([3, 10])).shape;      // [3, 2, 5]
 */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    const op = 'Unflatten';
    if (!Number.isInteger(dim)) throw new ArgumentError(op, `dim must be an integer, got ${describeValue(dim)}`);
    const sizes = Array.isArray(unflattenedSize) ? (unflattenedSize as unknown[]) : null;
    if (
      sizes === null ||
      sizes.length === 0 ||
      !sizes.every((n) => Number.isInteger(n) && ((n as number) >= 0 || n === -1)) ||
      sizes.filter((n) => n === -1).length > 1
    ) {
      throw new ArgumentError(
        op,
        `unflattenedSize must be a non-empty list of non-negative integers with at most one -1, got ${describeValue(unflattenedSize)}`,
      );
    }
    this.dim = dim;
    this.unflattenedSize = (sizes as number[]).slice();
  }

  forward(x: Tensor): Tensor {
    const op = 'Unflatten';
    if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
    if (this.dim < -x.ndim || this.dim >= x.ndim) {
      throw new IndexError(
        op,
        `dim ${this.dim} is out of range for an input of shape ${formatShape(x.shape)} (${x.ndim} axes)`,
      );
    }
    const axis = this.dim < 0 ? this.dim + x.ndim : this.dim;
    const n = x.shape[axis] as number;
    const known = this.unflattenedSize.filter((s) => s !== -1).reduce((a, b) => a * b, 1);
    const inferred = this.unflattenedSize.includes(-1);
    if (inferred ? known === 0 || n % known !== 0 : known !== n) {
      throw new ShapeError(
        op,
        `axis ${axis} of the input ${formatShape(x.shape)} has size ${n}, which cannot be split into ${formatShape(this.unflattenedSize)}`,
      );
    }
    return unflatten(x, axis, this.unflattenedSize);
  }

  /** Like PyTorch's: `dim=1, unflattenedSize=[1, 28, 28]`. */
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.unflattenedSize.join(', ')}]`;
  }
}
