/**
 * Resampling with PyTorch's semantics (torch.nn.functional.interpolate).
 * Every mode but 'area' is separable: along each spatial dimension, output
 * position o is Σ_t w_t(o) · x[i_t(o)] over a few taps (1 for nearest, 2 for
 * linear, 4 for cubic). Each dimension is one pass of indexSelect, mul and
 * add, so the gradients (and theirs) come from those ops; 'area' is the
 * adaptive average pool, as in PyTorch.
 *
 * The taps and weights are PyTorch's own, to the float: PyTorch computes the
 * source coordinates of a float32 input in float32, where a coordinate a
 * rounding away from an integer picks a different element (14 → 46 nearest:
 * output 23 reads element 6 in float32 and 7 in float64), so chainrule
 * rounds the same way.
 */
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { booleanOption } from '../internal/options';
import { allocate, isFloat, type FloatDType } from '../tensor/dtype';
import { checkSize, formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, mul } from './binary';
import { indexSelect } from './index-ops';
import { describeOperand } from './define';
import { to } from './cast';
import { adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d } from './pool';
import { windowOptions } from './window-args';

/** How {@link interpolate} computes each output element. */
export type InterpolateMode = 'nearest' | 'nearest-exact' | 'linear' | 'bilinear' | 'bicubic' | 'trilinear' | 'area';

/** Options of {@link interpolate}: PyTorch's keyword arguments. Give `size` or `scaleFactor`. */
export interface InterpolateOptions {
  /** The output's spatial size: one number for every dimension, or one per dimension. */
  size?: number | readonly number[];
  /** Multiplies each spatial size (the output size is ⌊size · scaleFactor⌋). */
  scaleFactor?: number | readonly number[];
  /** Default 'nearest'. 'linear' takes 3-D inputs, 'bilinear' and 'bicubic' 4-D, 'trilinear' 5-D. */
  mode?: InterpolateMode;
  /** Linear and cubic modes: align the corner pixels' centres instead of their outer edges (default false). */
  alignCorners?: boolean;
  /** With scaleFactor: compute the coordinates from the sizes instead of from 1 / scaleFactor (default false). */
  recomputeScaleFactor?: boolean;
}

const interpolateKeys = ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'] as const;

const modeRank: Record<InterpolateMode, number | null> = {
  nearest: null,
  'nearest-exact': null,
  area: null,
  linear: 3,
  bilinear: 4,
  bicubic: 4,
  trilinear: 5,
};

/** The taps along one dimension: `index[t][o]` and `weight[t][o]` for tap t of output o (no weights: nearest). */
interface Taps {
  index: Int32Array[];
  weight: Float64Array[] | null;
}

/** Rounds to the dtype PyTorch computes coordinates in (float32 or float64). */
type Round = (x: number) => number;

/**
 * PyTorch's compute_scales_value: 1 / scaleFactor when one was given (and not
 * recomputed), else in / out.
 */
const scaleValue = (r: Round, scale: number | null, n: number, out: number): number =>
  scale !== null && scale > 0 ? r(1 / scale) : r(n / out);

function nearestTaps(r: Round, n: number, out: number, scale: number | null, exact: boolean): Taps {
  const index = new Int32Array(out);
  // NOTE: 'nearest' copies at equal sizes and halves at double sizes before any arithmetic (PyTorch's
  // kept-for-compatibility shortcuts); otherwise ⌊o·scale⌋ in the input's precision.
  const s = scaleValue(r, scale, n, out);
  for (let o = 0; o < out; o++) {
    if (!exact && out === n) index[o] = o;
    else if (!exact && out === 2 * n) index[o] = o >> 1;
    else index[o] = Math.min(Math.floor(r(exact ? (o + 0.5) * s : o * s)), n - 1);
  }
  return { index: [index], weight: null };
}

/** PyTorch's area_pixel_compute_scale. */
function pixelScale(r: Round, n: number, out: number, alignCorners: boolean, scale: number | null): number {
  if (alignCorners) return out > 1 ? r((n - 1) / (out - 1)) : 0;
  return scaleValue(r, scale, n, out);
}

/** PyTorch's area_pixel_compute_source_index: where output o samples the input. */
function sourceIndex(r: Round, s: number, o: number, alignCorners: boolean, cubic: boolean): number {
  if (alignCorners) return r(s * o);
  const src = r(s * (o + 0.5) - 0.5);
  return !cubic && src < 0 ? 0 : src;
}

function linearTaps(r: Round, n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  const i0 = new Int32Array(out);
  const i1 = new Int32Array(out);
  const w0 = new Float64Array(out);
  const w1 = new Float64Array(out);
  const s = pixelScale(r, n, out, alignCorners, scale);
  for (let o = 0; o < out; o++) {
    // NOTE: at equal sizes PyTorch copies (weights 1 and 0 on the same element), whatever the scale says.
    const src = out === n ? o : sourceIndex(r, s, o, alignCorners, false);
    const lo = Math.min(Math.floor(src), n - 1);
    const lambda = out === n ? 0 : Math.min(Math.max(r(src - lo), 0), 1);
    i0[o] = lo;
    i1[o] = lo + (lo < n - 1 && out !== n ? 1 : 0);
    w0[o] = r(1 - lambda);
    w1[o] = lambda;
  }
  return { index: [i0, i1], weight: [w0, w1] };
}

/** Keys' cubic convolution with a = -0.75 (PyTorch's), for |x| ≤ 1 and 1 < |x| < 2, rounded as PyTorch rounds. */
const cubic1 = (r: Round, x: number) => r(r(r(r(r(1.25 * x) - 2.25) * x) * x) + 1);
const cubic2 = (r: Round, x: number) => r(r(r(r(r(r(-0.75 * x) + 3.75) * x) - 6) * x) + 3);

function cubicTaps(r: Round, n: number, out: number, alignCorners: boolean, scale: number | null): Taps {
  const index = [0, 1, 2, 3].map(() => new Int32Array(out));
  const weight = [0, 1, 2, 3].map(() => new Float64Array(out));
  const s = pixelScale(r, n, out, alignCorners, scale);
  const clamp = (i: number) => Math.max(Math.min(i, n - 1), 0);
  for (let o = 0; o < out; o++) {
    // NOTE: cubic coordinates are not clamped at 0; taps outside the input read the edge element.
    const src = sourceIndex(r, s, o, alignCorners, true);
    const lo = Math.min(Math.floor(src), n - 1);
    const t = Math.min(Math.max(r(src - lo), 0), 1);
    const coefficients = [cubic2(r, r(t + 1)), cubic1(r, t), cubic1(r, r(1 - t)), cubic2(r, r(r(1 - t) + 1))];
    for (let k = 0; k < 4; k++) {
      (index[k] as Int32Array)[o] = clamp(lo - 1 + k);
      (weight[k] as Float64Array)[o] = coefficients[k] as number;
    }
  }
  return { index, weight };
}

/** One dimension resampled: Σ_t w_t · x[taps_t] along `axis`, accumulated in PyTorch's order. */
function resampleAxis(x: Tensor, axis: number, taps: Taps): Tensor {
  const out = taps.index[0]?.length ?? 0;
  const lift = new Array<number>(x.ndim - axis - 1).fill(1);
  let sum: Tensor | null = null;
  for (let t = 0; t < taps.index.length; t++) {
    const picked = indexSelect(x, axis, Tensor.fromData(taps.index[t] as Int32Array, [out], 'int32'));
    const w = taps.weight?.[t];
    if (w === undefined) return picked;
    const data = allocate(x.dtype as FloatDType, out);
    data.set(w);
    const term = mul(picked, Tensor.fromData(data, [out, ...lift], x.dtype));
    sum = sum === null ? term : add(sum, term);
  }
  return sum ?? x;
}

function sizesOf(op: string, name: string, value: unknown, dims: number, integer: boolean): number[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  const ok = list.every((v) => typeof v === 'number' && Number.isFinite(v) && (!integer || Number.isInteger(v)));
  if (!ok || (Array.isArray(value) && list.length !== dims)) {
    throw new ArgumentError(
      op,
      `${name} must be ${integer ? 'an integer' : 'a finite number'} or a list of ${dims} (one per spatial dimension of the input), got ${describeValue(value)}`,
    );
  }
  return list.length === dims ? (list as number[]).slice() : new Array<number>(dims).fill(list[0] as number);
}

/**
 * Resamples the spatial dimensions of a batched input `[N, C, ...]` (1-3
 * spatial dimensions), as PyTorch's `torch.nn.functional.interpolate`: to
 * `size`, or by `scaleFactor`. Modes: 'nearest' (PyTorch's legacy rule,
 * ⌊o·in/out⌋), 'nearest-exact' (pixel centres), 'linear'/'bilinear'/
 * 'trilinear', 'bicubic' (Keys' kernel, a = -0.75) and 'area' (adaptive
 * average pooling). Differentiable to any order.
 *
 * @example
 * const x = tensor([[[1, 2, 3, 4]]]);
 * interpolate(x, { scaleFactor: 2 }).toArray();                    // [[[1, 1, 2, 2, 3, 3, 4, 4]]]
 * interpolate(x, { size: 7, mode: 'linear', alignCorners: true }); // [[[1, 1.5, 2, 2.5, 3, 3.5, 4]]]
 * interpolate(randn([1, 3, 32, 32]), { size: [64, 48], mode: 'bicubic' }).shape; // [1, 3, 64, 48]
 */
export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  if (!(input instanceof Tensor))
    throw new ArgumentError(op, `the input must be a Tensor, got ${describeOperand(input)}`);
  const o = windowOptions(op, options, interpolateKeys);
  const mode = o.mode ?? 'nearest';
  if (typeof mode !== 'string' || !(mode in modeRank)) {
    throw new ArgumentError(
      op,
      `mode must be one of ${Object.keys(modeRank)
        .map((m) => `'${m}'`)
        .join(', ')}, got ${describeValue(o.mode)}`,
    );
  }
  const needs = modeRank[mode as InterpolateMode];
  if (input.ndim < 3 || input.ndim > 5 || (needs !== null && input.ndim !== needs)) {
    throw new ShapeError(
      op,
      `mode '${mode}' takes a ${needs === null ? '3-D, 4-D or 5-D' : `${needs}-D`} input [N, C, ...spatial], got shape ${formatShape(input._shape)}`,
    );
  }
  const linearish = mode === 'linear' || mode === 'bilinear' || mode === 'trilinear' || mode === 'bicubic';
  if (o.alignCorners !== undefined && !linearish) {
    throw new ArgumentError(
      op,
      `alignCorners applies to the modes linear, bilinear, bicubic and trilinear only, not '${mode}'`,
    );
  }
  const alignCorners = booleanOption(op, 'alignCorners', o.alignCorners, false);
  const recompute = booleanOption(op, 'recomputeScaleFactor', o.recomputeScaleFactor, false);
  const dims = input.ndim - 2;
  const inSize = input._shape.slice(2);
  if ((o.size === undefined) === (o.scaleFactor === undefined)) {
    throw new ArgumentError(op, 'give exactly one of size and scaleFactor');
  }
  if (o.size !== undefined && o.recomputeScaleFactor === true) {
    throw new ArgumentError(op, 'recomputeScaleFactor applies to scaleFactor, not to an explicit size');
  }
  const factors = o.scaleFactor === undefined ? null : sizesOf(op, 'scaleFactor', o.scaleFactor, dims, false);
  const outSize =
    factors === null
      ? sizesOf(op, 'size', o.size, dims, true)
      : inSize.map((n, i) => Math.floor(n * (factors[i] as number)));
  if (input._shape[1] === 0 || inSize.some((n) => n < 1) || outSize.some((n) => n < 1)) {
    throw new ShapeError(
      op,
      `input and output sizes must be positive (and the input have channels), got input ${formatShape(input._shape)} and output size ${formatShape(outSize)}`,
    );
  }
  checkSize(op, [...input._shape.slice(0, 2), ...outSize]);
  const x = isFloat(input.dtype) ? input : to(input, 'float32');
  if (mode === 'area') {
    const pools = [adaptiveAvgPool1d, adaptiveAvgPool2d, adaptiveAvgPool3d];
    return (pools[dims - 1] as (t: Tensor, s: number[]) => Tensor)(x, outSize);
  }
  const r: Round = x.dtype === 'float32' ? Math.fround : (v) => v;
  // NOTE: a given scaleFactor sets the coordinates' scale (1 / scaleFactor), not in / out, unless recomputed.
  const scaleOf = (i: number) => (factors === null || recompute ? null : (factors[i] as number));
  let out = x;
  // The last dimension first: PyTorch's kernel nests the earlier dimensions' weights outside.
  for (let i = dims - 1; i >= 0; i--) {
    const n = inSize[i] as number;
    const m = outSize[i] as number;
    const taps =
      mode === 'nearest' || mode === 'nearest-exact'
        ? nearestTaps(r, n, m, scaleOf(i), mode === 'nearest-exact')
        : mode === 'bicubic'
          ? cubicTaps(r, n, m, alignCorners, scaleOf(i))
          : linearTaps(r, n, m, alignCorners, scaleOf(i));
    out = resampleAxis(out, i + 2, taps);
  }
  return out;
}
