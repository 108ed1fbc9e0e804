/** Upsample: resampling as a layer (PyTorch's nn.Upsample), on core's interpolate. */
import { ArgumentError, ShapeError, Tensor, interpolate, type InterpolateMode } from '@chainrule/core';
import { booleanOption, describeValue, formatShape, optionsObject, type OptionKeys } from '@chainrule/core/internal';
import { Module } from '../module';
import { showSize } from './window-options';

/** Options of {@link Upsample}: give `size` or `scaleFactor`. */
export interface UpsampleOptions {
  /** The output's spatial size, once for every dimension or one per dimension. */
  size?: number | readonly number[];
  /** Multiplies each spatial size (the output size is ⌊size · scaleFactor⌋). */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest'. 'linear' takes [N, C, L] inputs, 'bilinear' and 'bicubic' [N, C, H, W], 'trilinear' [N, C, D, H, W]. */
  mode?: InterpolateMode;
  /** Linear and cubic modes: align the corner pixels' centres instead of their outer edges (default false). */
  alignCorners?: boolean;
  /** With scaleFactor: compute the sampling coordinates from the sizes instead of from 1 / scaleFactor (default false). */
  recomputeScaleFactor?: boolean;
}

const upsampleKeys: OptionKeys<UpsampleOptions> = {
  size: true,
  scaleFactor: true,
  mode: true,
  alignCorners: true,
  recomputeScaleFactor: true,
};

/** The input rank each mode takes (null: any of 3, 4 and 5). */
const modeRank: Record<InterpolateMode, number | null> = {
  nearest: null,
  'nearest-exact': null,
  area: null,
  linear: 3,
  bilinear: 4,
  bicubic: 4,
  trilinear: 5,
};

function sizeOption(op: string, name: string, value: unknown, integer: boolean): number | number[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const ok =
    list.length >= 1 &&
    list.length <= 3 &&
    list.every(
      (v) =>
        typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || (Number.isInteger(v) && v <= 2 ** 31 - 1)),
    );
  if (!ok) {
    throw new ArgumentError(
      op,
      `${name} must be a positive ${integer ? 'integer' : 'number'} or a list of 1 to 3 of them (one per spatial dimension), got ${describeValue(value)}`,
    );
  }
  return Array.isArray(value) ? (list as number[]) : (value as number);
}

/**
 * Upsamples (or downsamples) the spatial dimensions of `[N, C, ...spatial]`
 * to `size` or by `scaleFactor`, with PyTorch's interpolation modes and
 * coordinates: 'nearest' (the default; PyTorch's legacy rule ⌊o·in/out⌋),
 * 'nearest-exact', 'linear', 'bilinear', 'bicubic', 'trilinear' and 'area'.
 * No parameters; differentiable to any order.
 *
 * @example
 * new Upsample({ scaleFactor: 2 }).forward(randn([1, 3, 16, 16])).shape;       // [1, 3, 32, 32]
 * new Upsample({ size: [5, 7], mode: 'bilinear', alignCorners: true }).forward(x);
 */
export class Upsample extends Module {
  readonly size: number | readonly number[] | null;
  readonly scaleFactor: number | readonly number[] | null;
  readonly mode: InterpolateMode;
  /** null when not given (the modes without corners take none). */
  readonly alignCorners: boolean | null;
  readonly recomputeScaleFactor: boolean;

  constructor(options: UpsampleOptions) {
    super();
    const op = 'Upsample';
    if (options === undefined)
      throw new ArgumentError(op, 'give { size } or { scaleFactor }, e.g. new Upsample({ scaleFactor: 2 })');
    const o = optionsObject(op, options, upsampleKeys);
    if ((o.size === undefined) === (o.scaleFactor === undefined))
      throw new ArgumentError(op, 'give exactly one of size and scaleFactor');
    const mode = o.mode ?? 'nearest';
    if (typeof mode !== 'string' || !Object.hasOwn(modeRank, mode)) {
      throw new ArgumentError(
        op,
        `mode must be one of ${Object.keys(modeRank)
          .map((m) => `'${m}'`)
          .join(', ')}, got ${describeValue(o.mode)}`,
      );
    }
    const cornered = mode === 'linear' || mode === 'bilinear' || mode === 'bicubic' || mode === 'trilinear';
    // NOTE: as PyTorch, alignCorners is refused (not ignored) for the modes that have no corners to align.
    if (o.alignCorners !== undefined && !cornered)
      throw new ArgumentError(
        op,
        `alignCorners applies to the modes linear, bilinear, bicubic and trilinear only, not '${mode}'`,
      );
    this.alignCorners = o.alignCorners === undefined ? null : booleanOption(op, 'alignCorners', o.alignCorners, false);
    this.recomputeScaleFactor = booleanOption(op, 'recomputeScaleFactor', o.recomputeScaleFactor, false);
    if (o.size !== undefined && this.recomputeScaleFactor)
      throw new ArgumentError(op, 'recomputeScaleFactor applies to scaleFactor, not to an explicit size');
    this.size = o.size === undefined ? null : sizeOption(op, 'size', o.size, true);
    this.scaleFactor = o.scaleFactor === undefined ? null : sizeOption(op, 'scaleFactor', o.scaleFactor, false);
    this.mode = mode as InterpolateMode;
  }

  /** Resamples `x` of shape `[N, C, ...spatial]` (1 to 3 spatial dimensions, as the mode takes). */
  forward(x: Tensor): Tensor {
    const op = 'Upsample';
    if (!(x instanceof Tensor)) throw new ArgumentError(op, `the input must be a Tensor, got ${describeValue(x)}`);
    const rank = modeRank[this.mode];
    if (x.ndim < 3 || x.ndim > 5 || (rank !== null && x.ndim !== rank)) {
      throw new ShapeError(
        op,
        `mode '${this.mode}' takes a ${rank === null ? '3-D, 4-D or 5-D' : `${rank}-D`} input [N, C, ...spatial] (a batch axis first, as in PyTorch), got shape ${formatShape(x.shape)}`,
      );
    }
    const given = this.size ?? this.scaleFactor;
    if (Array.isArray(given) && given.length !== x.ndim - 2) {
      throw new ShapeError(
        op,
        `${this.size === null ? 'scaleFactor' : 'size'} ${showSize(given as number[])} has ${given.length} entries, but the input ${formatShape(x.shape)} has ${x.ndim - 2} spatial dimensions`,
      );
    }
    return interpolate(x, {
      mode: this.mode,
      ...(this.size === null ? {} : { size: this.size }),
      ...(this.scaleFactor === null ? {} : { scaleFactor: this.scaleFactor }),
      ...(this.alignCorners === null ? {} : { alignCorners: this.alignCorners }),
      ...(this.recomputeScaleFactor ? { recomputeScaleFactor: true } : {}),
    });
  }

  /** Like PyTorch's: `scaleFactor=2, mode=nearest` or `size=[5, 7], mode=bilinear`. */
  override extraRepr(): string {
    const what =
      this.scaleFactor === null ? `size=${showSize(this.size ?? [])}` : `scaleFactor=${showSize(this.scaleFactor)}`;
    return `${what}, mode=${this.mode}`;
  }
}
