/**
 * Feature scaling, fitted on training data and applied to any data with the
 * same columns: MinMaxScaler (the textbook's advice: sigmoid neurons work in
 * [0, 1], so scale inputs there) and StandardScaler. Same definitions as
 * scikit-learn. Statistics are computed in float64; transforms are Tensor ops
 * in the input's dtype. Fitting refuses NaN and ±Infinity (as scikit-learn
 * refuses infinity): one such value would silently turn a column's scale
 * into NaN or 0.
 */
import { ArgumentError, ShapeError, Tensor, tensor } from '@chainrule/core';
import { booleanOption, describeValue, describeList, optionsObject, valueOr } from '@chainrule/core/internal';

interface ColumnStats {
  min: Float64Array;
  max: Float64Array;
  mean: Float64Array;
  /** Population standard deviation. */
  std: Float64Array;
}

/** Per-column statistics of a [samples, features] float tensor. */
function columnStats(op: string, x: unknown): ColumnStats {
  if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
    throw new ArgumentError(op, 'expected a float32 or float64 Tensor of shape [samples, features]');
  }
  if (x.ndim !== 2 || x.shape[0] === 0) {
    throw new ShapeError(op, `expected shape [samples, features] with at least one sample, got [${x.shape.join(',')}]`);
  }
  const [rows, cols] = x.shape as [number, number];
  const data = x.data();
  const min = new Float64Array(cols).fill(Infinity);
  const max = new Float64Array(cols).fill(-Infinity);
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c] as number;
      if (!Number.isFinite(v)) {
        throw new ArgumentError(op, `cannot fit on ${v} (row ${r}, column ${c}); the statistics need finite values`);
      }
      if (v < (min[c] as number)) min[c] = v;
      if (v > (max[c] as number)) max[c] = v;
      mean[c] = (mean[c] as number) + v / rows;
    }
  }
  return { min, max, mean, std: populationStd(data, rows, cols, mean) };
}

/**
 * Each column's √(Σ d² / n), d = x - mean, with every d divided by the
 * column's largest |d| first: d² overflows to Infinity above 1.3e154 (and
 * underflows to 0 below 1e-162) where the standard deviation itself is an
 * ordinary number.
 */
function populationStd(data: ArrayLike<number>, rows: number, cols: number, mean: Float64Array): Float64Array {
  const largest = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      largest[c] = Math.max(largest[c] as number, Math.abs((data[r * cols + c] as number) - (mean[c] as number)));
  }
  const sums = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const s = largest[c] as number;
      const d = s === 0 ? 0 : ((data[r * cols + c] as number) - (mean[c] as number)) / s;
      sums[c] = (sums[c] as number) + d * d;
    }
  }
  return sums.map((total, c) => (largest[c] as number) * Math.sqrt(total / rows));
}

function checkInput(op: string, x: unknown, features: number | null): Tensor {
  if (features === null) throw new ArgumentError(op, 'the scaler is not fitted yet; call fit(x) first');
  if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
    throw new ArgumentError(op, 'expected a float32 or float64 Tensor of shape [samples, features]');
  }
  if (x.ndim !== 2 || x.shape[1] !== features) {
    throw new ShapeError(
      op,
      `the scaler was fitted on ${features} features, expected shape [samples, ${features}], got [${x.shape.join(',')}]`,
    );
  }
  return x;
}

function row(values: Float64Array, dtype: Tensor['dtype']): Tensor {
  return tensor(values, { dtype });
}

/**
 * Scales each column linearly so that its fitted minimum maps to
 * `featureRange[0]` and its maximum to `featureRange[1]` (default [0, 1]).
 * A constant column maps to `featureRange[0]` (its range counts as 1, as in
 * scikit-learn), so nothing is divided by zero.
 *
 * @example
 * const scaler = new MinMaxScaler();
 * const xTrain01 = scaler.fitTransform(xTrain);
 * const xTest01 = scaler.transform(xTest);
 * scaler.inverseTransform(xTest01); // ≈ xTest
 */
export class MinMaxScaler {
  readonly featureRange: readonly [number, number];
  /** Per-column minimum, maximum of the fitted data (float64), null before fit. */
  dataMin: Tensor | null = null;
  dataMax: Tensor | null = null;
  #scale: Float64Array = new Float64Array(0);
  #min: Float64Array = new Float64Array(0);
  #features: number | null = null;

  constructor(options: { featureRange?: readonly [number, number] } = {}) {
    const range: unknown = valueOr(optionsObject('MinMaxScaler', options, { featureRange: true }).featureRange, [0, 1]);
    const [lo, hi] = Array.isArray(range) ? range : [];
    if (
      typeof lo !== 'number' ||
      typeof hi !== 'number' ||
      !Number.isFinite(lo) ||
      !Number.isFinite(hi) ||
      !(lo < hi)
    ) {
      throw new ArgumentError(
        'MinMaxScaler',
        `featureRange must be [min, max] with finite min < max, got ${Array.isArray(range) ? describeList(range) : describeValue(range)}`,
      );
    }
    this.featureRange = [lo, hi];
  }

  /** Learns each column's minimum and maximum. */
  fit(x: Tensor): this {
    const { min, max } = columnStats('MinMaxScaler.fit', x);
    const [lo, hi] = this.featureRange;
    // (x - min)·scale + lo with scale = (hi - lo) / range. NOTE: scikit-learn's
    // x·scale + (lo - min·scale) is the same number, but overflows in float32
    // for columns near ±3.4e38, where x - min does not (a constant one gives lo).
    this.#scale = min.map((m, c) => (hi - lo) / ((max[c] as number) - m === 0 ? 1 : (max[c] as number) - m));
    this.#min = min;
    this.dataMin = tensor(min);
    this.dataMax = tensor(max);
    this.#features = min.length;
    return this;
  }

  /** (x - min) / (max - min) scaled into featureRange. */
  transform(x: Tensor): Tensor {
    const t = checkInput('MinMaxScaler.transform', x, this.#features);
    return t.sub(row(this.#min, t.dtype)).mul(row(this.#scale, t.dtype)).add(this.featureRange[0]);
  }

  /** Maps scaled values back to the original units. */
  inverseTransform(x: Tensor): Tensor {
    const t = checkInput('MinMaxScaler.inverseTransform', x, this.#features);
    return t.sub(this.featureRange[0]).div(row(this.#scale, t.dtype)).add(row(this.#min, t.dtype));
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }
}

/**
 * Centres each column on its mean and divides by its standard deviation
 * (population, ddof 0, as scikit-learn); a constant column keeps scale 1.
 */
export class StandardScaler {
  readonly withMean: boolean;
  readonly withStd: boolean;
  /** Per-column mean and standard deviation used (float64), null before fit. */
  mean: Tensor | null = null;
  scale: Tensor | null = null;
  #mean: Float64Array = new Float64Array(0);
  #scale: Float64Array = new Float64Array(0);
  #features: number | null = null;

  constructor(options: { withMean?: boolean; withStd?: boolean } = {}) {
    const op = 'StandardScaler';
    const o = optionsObject(op, options, { withMean: true, withStd: true });
    this.withMean = booleanOption(op, 'withMean', o.withMean, true);
    this.withStd = booleanOption(op, 'withStd', o.withStd, true);
  }

  /** Learns each column's mean and standard deviation. */
  fit(x: Tensor): this {
    const stats = columnStats('StandardScaler.fit', x);
    // NOTE: a column is constant when its min equals its max; testing the
    // variance against 0 would miss constant columns whose mean rounded.
    this.#mean = this.withMean ? stats.mean : new Float64Array(stats.mean.length);
    this.#scale = stats.std.map((s, c) => (!this.withStd || stats.min[c] === stats.max[c] ? 1 : s));
    this.mean = tensor(this.#mean);
    this.scale = tensor(this.#scale);
    this.#features = stats.mean.length;
    return this;
  }

  /** (x - mean) / std per column. */
  transform(x: Tensor): Tensor {
    const t = checkInput('StandardScaler.transform', x, this.#features);
    return t.sub(row(this.#mean, t.dtype)).div(row(this.#scale, t.dtype));
  }

  /** x · std + mean per column. */
  inverseTransform(x: Tensor): Tensor {
    const t = checkInput('StandardScaler.inverseTransform', x, this.#features);
    return t.mul(row(this.#scale, t.dtype)).add(row(this.#mean, t.dtype));
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }
}
