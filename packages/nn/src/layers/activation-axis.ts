/**
 * Activation modules that work along an axis (PyTorch's `nn.LogSoftmax`,
 * `nn.Softmin`, `nn.Softmax2d`, `nn.GLU`), and the functional `softmin` and
 * `glu` core has no op for, written with core's ops. PyTorch's `dim` is
 * `axis`, as everywhere in chainrule.
 */
import {
  ArgumentError,
  ShapeError,
  Tensor,
  logSoftmax,
  narrow,
  sigmoid,
  softmax,
  type TensorLike,
} from '@chainrule/core';
import { describeValue, formatShape, optionsObject, valueOr } from '@chainrule/core/internal';
import { Module } from '../module';
import { input } from './activation';
import { axisOf, axisOption } from './activation-options';

/** Options of the modules that work along one axis. */
export interface AxisOptions {
  /** The axis (PyTorch's `dim`; default -1, the last). */
  axis?: number;
}

/**
 * log(softmax(x)) along `axis`, computed stably (PyTorch's `nn.LogSoftmax`),
 * the partner of nllLoss. NOTE: the axis defaults to the last; PyTorch's
 * implicit choice (deprecated there) is axis 1 for inputs of rank 2 and 4.
 */
export class LogSoftmax extends Module {
  readonly axis: number;

  constructor(options: AxisOptions = {}) {
    super();
    this.axis = axisOption('LogSoftmax', valueOr(optionsObject('LogSoftmax', options, { axis: true }).axis, -1));
  }

  forward(x: Tensor): Tensor {
    return logSoftmax(input('LogSoftmax', x), this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/**
 * softmin(x) = softmax(-x) along `axis`: the smallest entries get the most
 * weight (PyTorch's `softmin`). Not in core: written as the softmax of -x.
 */
export function softmin(x: TensorLike, axis = -1): Tensor {
  return softminAs('softmin', x, axis);
}

function softminAs(op: string, x: TensorLike, axis: number): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
  if (!Number.isSafeInteger(axis)) throw new ArgumentError(op, `axis must be an integer, got ${describeValue(axis)}`);
  axisOf(op, axis, x);
  return softmax(x.neg(), axis);
}

/** softmax(-x) along `axis` (PyTorch's `nn.Softmin`; the axis defaults to the last, as {@link LogSoftmax}'s). */
export class Softmin extends Module {
  readonly axis: number;

  constructor(options: AxisOptions = {}) {
    super();
    this.axis = axisOption('Softmin', valueOr(optionsObject('Softmin', options, { axis: true }).axis, -1));
  }

  forward(x: Tensor): Tensor {
    return softminAs('Softmin', input('Softmin', x), this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}

/**
 * Softmax over the channels at each position of an image batch: axis -3 of
 * [N, C, H, W] or [C, H, W] (PyTorch's `nn.Softmax2d`).
 */
export class Softmax2d extends Module {
  forward(x: Tensor): Tensor {
    const t = input('Softmax2d', x);
    if (t.ndim !== 3 && t.ndim !== 4)
      throw new ShapeError('Softmax2d', `expects [N, C, H, W] or [C, H, W], got shape ${formatShape(t.shape)}`);
    return softmax(t, -3);
  }
}

/**
 * The gated linear unit: a·σ(b), where a and b are the first and second
 * halves of `x` along `axis` (PyTorch's `glu`; default the last axis, whose
 * size must be even).
 *
 * @example
 * glu(tensor([1, 2, 0, 0])); // [1·σ(0), 2·σ(0)] = [0.5, 1]
 */
export function glu(x: TensorLike, axis = -1): Tensor {
  return gluAs('glu', x, axis);
}

function gluAs(op: string, x: TensorLike, axis: number): Tensor {
  if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
  if (!Number.isSafeInteger(axis)) throw new ArgumentError(op, `axis must be an integer, got ${describeValue(axis)}`);
  if (x.ndim === 0) throw new ShapeError(op, 'cannot halve a 0-d tensor; the input needs an axis of even size');
  const a = axisOf(op, axis, x);
  const size = x.shape[a] as number;
  if (size % 2 !== 0)
    throw new ShapeError(
      op,
      `halves axis ${axis}, which must have an even size; the input has shape ${formatShape(x.shape)}`,
    );
  return narrow(x, a, 0, size / 2).mul(sigmoid(narrow(x, a, size / 2, size / 2)));
}

/** The gated linear unit along `axis` (PyTorch's `nn.GLU`): see {@link glu}. */
export class GLU extends Module {
  readonly axis: number;

  constructor(options: AxisOptions = {}) {
    super();
    this.axis = axisOption('GLU', valueOr(optionsObject('GLU', options, { axis: true }).axis, -1));
  }

  forward(x: Tensor): Tensor {
    return gluAs('GLU', input('GLU', x), this.axis);
  }

  override extraRepr(): string {
    return `axis=${this.axis}`;
  }
}
