/**
 * Pooling loops over one, two or three spatial dimensions (shorter layouts
 * run as three-dimensional ones with leading size-1 dimensions). Windows are
 * given per dimension as tables indexed by output position, computed once
 * per call by the op: every pool (plain, strided, dilated, padded, ceil-mode,
 * adaptive) is then the same loop over valid taps, with no bounds tests
 * inside it.
 */
import type { FloatArr } from './arrays';

/**
 * The windows along one dimension: output position o reads the `count[o]`
 * input positions `first[o] + j·step`, all inside the input (the op has
 * clipped away taps in the padding).
 */
export interface PoolAxis {
  readonly inSize: number;
  readonly first: Int32Array;
  readonly count: Int32Array;
  readonly step: number;
}

/** A size-1 dimension: one window of one tap. */
const unitAxis: PoolAxis = { inSize: 1, first: new Int32Array(1), count: new Int32Array([1]), step: 1 };

function to3(axes: readonly PoolAxis[]): [PoolAxis, PoolAxis, PoolAxis] {
  const lead = 3 - axes.length;
  const at = (i: number) => (i < lead ? unitAxis : (axes[i - lead] as PoolAxis));
  return [at(0), at(1), at(2)];
}

/**
 * For each window of `planes` contiguous input planes (from `xOffset`), its
 * maximum into `values` and the maximum's position into `flat` (row-major
 * over all the planes, counted from `xOffset`: plane p's positions start at
 * p·planeSize), both planes × windows long. NOTE: PyTorch's rule, tap by tap
 * in row-major order: a value replaces the maximum if it is larger or NaN,
 * so ties go to the first maximum, a NaN wins over numbers and the last NaN
 * wins; a window of only -Infinity points at its first tap.
 */
export function maxPool(
  x: FloatArr,
  xOffset: number,
  planes: number,
  axes: readonly PoolAxis[],
  values: FloatArr,
  flat: Int32Array,
): void {
  const [d, h, w] = to3(axes);
  if (d.inSize === 1 && d.count.length === 1 && h.step === 1 && w.step === 1) {
    maxPool2d(x, xOffset, planes, h, w, values, flat);
    return;
  }
  const planeSize = d.inSize * h.inSize * w.inSize;
  const oD = d.count.length;
  const oH = h.count.length;
  const oW = w.count.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = xOffset + p * planeSize;
    for (let od = 0; od < oD; od++) {
      const d0 = d.first[od];
      const dn = d.count[od];
      for (let oh = 0; oh < oH; oh++) {
        const h0 = h.first[oh];
        const hn = h.count[oh];
        for (let ow = 0; ow < oW; ow++, o++) {
          const w0 = w.first[ow];
          const wn = w.count[ow];
          let best = (d0 * h.inSize + h0) * w.inSize + w0;
          let max = Number.NEGATIVE_INFINITY;
          for (let i = 0; i < dn; i++) {
            const rowD = (d0 + i * d.step) * h.inSize;
            for (let j = 0; j < hn; j++) {
              const row = (rowD + h0 + j * h.step) * w.inSize;
              for (let k = 0; k < wn; k++) {
                const at = row + w0 + k * w.step;
                const v = x[base + at];
                if (v > max || v !== v) {
                  max = v;
                  best = at;
                }
              }
            }
          }
          // A window of -Infinity keeps max = -Infinity, its first tap's value.
          values[o] = max;
          flat[o] = p * planeSize + best;
        }
      }
    }
  }
}

/**
 * {@link maxPool} for one plane dimension of windows (2-D pools, and 1-D as
 * 2-D with one row) without dilation: the same rule with fewer indirections,
 * the form of nearly every max pool in a network.
 */
function maxPool2d(
  x: FloatArr,
  xOffset: number,
  planes: number,
  h: PoolAxis,
  w: PoolAxis,
  values: FloatArr,
  flat: Int32Array,
): void {
  const inW = w.inSize;
  const planeSize = h.inSize * inW;
  const oH = h.count.length;
  const oW = w.count.length;
  const hFirst = h.first;
  const hCount = h.count;
  const wFirst = w.first;
  const wCount = w.count;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = xOffset + p * planeSize;
    const planeStart = p * planeSize;
    for (let oh = 0; oh < oH; oh++) {
      const rowStart = hFirst[oh] * inW;
      const hn = hCount[oh];
      for (let ow = 0; ow < oW; ow++, o++) {
        const first = rowStart + wFirst[ow];
        const wn = wCount[ow];
        let best = first;
        let max = Number.NEGATIVE_INFINITY;
        for (let j = 0, row = first; j < hn; j++, row += inW) {
          for (let k = 0; k < wn; k++) {
            const v = x[base + row + k];
            if (v > max || v !== v) {
              max = v;
              best = row + k;
            }
          }
        }
        values[o] = max;
        flat[o] = planeStart + best;
      }
    }
  }
}

/**
 * The boxes of an average pool along one dimension: output position o
 * averages input positions [lo[o], hi[o]) and divides by `divisor[o]` (which
 * may count padding the box no longer covers).
 */
export interface MeanAxis {
  readonly inSize: number;
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly divisor: Int32Array;
}

const unitMean: MeanAxis = {
  inSize: 1,
  lo: new Int32Array(1),
  hi: new Int32Array([1]),
  divisor: new Int32Array([1]),
};

function mean3(axes: readonly MeanAxis[]): [MeanAxis, MeanAxis, MeanAxis] {
  const lead = 3 - axes.length;
  const at = (i: number) => (i < lead ? unitMean : (axes[i - lead] as MeanAxis));
  return [at(0), at(1), at(2)];
}

/**
 * out[window] = Σ box / divisor for `planes` contiguous planes. The divisor
 * is the product of the axes' divisors, or `override` when it is not 0
 * (PyTorch's divisor_override).
 */
export function meanPool(
  x: FloatArr,
  xOffset: number,
  out: FloatArr,
  planes: number,
  axes: readonly MeanAxis[],
  override: number,
): void {
  const [d, h, w] = mean3(axes);
  const inPlane = d.inSize * h.inSize * w.inSize;
  const oD = d.lo.length;
  const oH = h.lo.length;
  const oW = w.lo.length;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = xOffset + p * inPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++, o++) {
          let s = 0;
          for (let i = d.lo[od]; i < d.hi[od]; i++) {
            for (let j = h.lo[oh]; j < h.hi[oh]; j++) {
              const row = base + (i * h.inSize + j) * w.inSize;
              for (let k = w.lo[ow]; k < w.hi[ow]; k++) s += x[row + k];
            }
          }
          out[o] = s / (override !== 0 ? override : d.divisor[od] * h.divisor[oh] * w.divisor[ow]);
        }
      }
    }
  }
}

/**
 * The transpose of {@link meanPool}: every window's g / divisor added to
 * each position of its box, into `dx` (planes contiguous planes, zero-filled
 * by the caller).
 */
export function meanPoolAdjoint(
  g: FloatArr,
  gOffset: number,
  dx: FloatArr,
  planes: number,
  axes: readonly MeanAxis[],
  override: number,
): void {
  const [d, h, w] = mean3(axes);
  const inPlane = d.inSize * h.inSize * w.inSize;
  const oD = d.lo.length;
  const oH = h.lo.length;
  const oW = w.lo.length;
  let o = gOffset;
  for (let p = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let od = 0; od < oD; od++) {
      for (let oh = 0; oh < oH; oh++) {
        for (let ow = 0; ow < oW; ow++, o++) {
          const share = g[o] / (override !== 0 ? override : d.divisor[od] * h.divisor[oh] * w.divisor[ow]);
          for (let i = d.lo[od]; i < d.hi[od]; i++) {
            for (let j = h.lo[oh]; j < h.hi[oh]; j++) {
              const row = base + (i * h.inSize + j) * w.inSize;
              for (let k = w.lo[ow]; k < w.hi[ow]; k++) dx[row + k] += share;
            }
          }
        }
      }
    }
  }
}

/**
 * out[index[i]] = x[xOffset + i] into zeros, for `index.length` values.
 * NOTE: where two entries share an index the later one wins, as in
 * PyTorch's max_unpool.
 */
export function place(x: FloatArr, xOffset: number, index: Int32Array, out: FloatArr): void {
  for (let i = 0; i < index.length; i++) out[index[i]] = x[xOffset + i];
}
