/**
 * Plain-JavaScript float64 references for what the fuzz tests check: a Dense
 * layer's output and the losses, written from their definitions (PyTorch's
 * documented formulas) with loops over numbers, not with chainrule's ops.
 *
 * Each reference value comes with a scale: the sum of the magnitudes of the
 * terms that produced it (a weight counts as at least 1, since an overflow
 * before a multiplication by 0 still gives NaN). Rounding in float32 moves a result by about
 * eps·scale, so comparisons use it as the tolerance; and where the scale
 * passes float32's largest value, a float32 result may legitimately be
 * ±Infinity or NaN depending on the order of summation, so it is not compared.
 */
import { expect } from 'vitest';
import type { Tensor } from '@chainrule/core';
import type { ActivationName } from '../../src/index';

export interface Reference {
  shape: number[];
  values: Float64Array;
  scale: Float64Array;
}

const float32Max = 3.4028234663852886e38;

/**
 * Asserts that `actual` has the reference's shape and values, within the
 * rounding of float32 when it or any of `inputs` is float32 (a float64
 * result computed from a float32 operand carries float32 rounding).
 */
export function expectMatches(actual: Tensor, ref: Reference, what: string, inputs: readonly unknown[] = []): void {
  expect([...actual.shape], `${what}: shape`).toEqual(ref.shape);
  const a = actual.data();
  const f32 =
    actual.dtype === 'float32' ||
    inputs.some((t) => t !== null && typeof t === 'object' && (t as Tensor).dtype === 'float32');
  const rtol = f32 ? 1e-5 : 1e-12;
  const bad: string[] = [];
  for (let i = 0; i < ref.values.length; i++) {
    const s = ref.scale[i] as number;
    // A scale of ∞ or NaN means the terms themselves overflow: the result depends on their order.
    if (!(s < Infinity) || (f32 && !(s <= float32Max))) continue;
    const e = actual.dtype === 'float32' ? Math.fround(ref.values[i] as number) : (ref.values[i] as number);
    const x = a[i] as number;
    const ok = Number.isNaN(e)
      ? Number.isNaN(x)
      : Number.isFinite(e)
        ? Math.abs(x - e) <= rtol * (s + Math.abs(e)) + 1e-30
        : x === e;
    if (!ok) bad.push(`[${i}] got ${x}, reference ${e} (scale ${s})`);
  }
  expect(bad.slice(0, 4), `${what}: elements differ from the float64 reference`).toEqual([]);
}

function values(t: Tensor): Float64Array {
  return Float64Array.from(t.data(), Number);
}

/** z = x·Wᵀ + b for x of shape [..., in], W [out, in], b [out]. */
export function denseReference(x: Tensor, weight: Tensor, bias: Tensor | null): Reference {
  const [out, inF] = weight.shape as [number, number];
  const xv = values(x);
  const w = values(weight);
  const b = bias === null ? new Float64Array(out) : values(bias);
  const rows = inF === 0 ? 0 : xv.length / inF;
  const z = new Float64Array(rows * out);
  const scale = new Float64Array(rows * out);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < out; j++) {
      let acc = 0;
      let mag = 0;
      for (let k = 0; k < inF; k++) {
        const term = (xv[r * inF + k] as number) * (w[j * inF + k] as number);
        acc += term;
        mag += Math.abs(term);
      }
      z[r * out + j] = acc + (b[j] as number);
      scale[r * out + j] = mag + Math.abs(b[j] as number);
    }
  }
  return { shape: [...x.shape.slice(0, -1), out], values: z, scale };
}

const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

// ---- core's other activation functions, as Dense takes them by name (issue 19): PyTorch's
// documented formulas with their default settings, for the finite z the comparisons use.

/** log(1 + e^z) without overflow. */
const softplusExact = (z: number): number => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));

/**
 * erfc(x) to about 1e-15 absolute: for |x| < 3 from erf's series
 * e^(-x²)·2/√π·Σ 2ⁿx^(2n+1)/(1·3···(2n+1)), whose terms are all positive (no
 * cancellation); beyond, from the continued fraction
 * erfc(x) = e^(-x²)/√π / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), x > 0.
 */
function erfcReference(x: number): number {
  if (Math.abs(x) < 3) {
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / Math.sqrt(Math.PI)) * Math.exp(-x * x) * sum;
  }
  const a = Math.abs(x);
  let fraction = a;
  for (let k = 80; k >= 1; k--) fraction = a + k / 2 / fraction;
  const tail = Math.exp(-a * a) / Math.sqrt(Math.PI) / fraction;
  return x > 0 ? tail : 2 - tail;
}

// PyTorch's constants 1.6732632423543772848170429916717 and 1.0507009873554804934193349852946, rounded to float64.
const seluAlpha = 1.6732632423543772;
const seluScale = 1.0507009873554805;
const clampTo = (z: number, lo: number, hi: number): number => Math.min(Math.max(z, lo), hi);

const moreActivations: Record<string, (z: number) => number> = {
  relu6: (z) => clampTo(z, 0, 6),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  selu: (z) => seluScale * (z > 0 ? z : seluAlpha * Math.expm1(z)),
  celu: (z) => (z > 0 ? z : Math.expm1(z)),
  // x·Φ(x), Φ(x) = erfc(-x/√2)/2
  gelu: (z) => z * (erfcReference(-z / Math.SQRT2) / 2),
  silu: (z) => z * sigmoid(z),
  mish: (z) => z * Math.tanh(softplusExact(z)),
  // z·(relu6(z + 3)/6): dividing last would overflow z·6 near the largest float64.
  hardswish: (z) => z * (clampTo(z + 3, 0, 6) / 6),
  hardsigmoid: (z) => clampTo(z + 3, 0, 6) / 6,
  hardtanh: (z) => clampTo(z, -1, 1),
  // PyTorch's Softplus() returns z itself above its threshold 20.
  softplus: (z) => (z > 20 ? z : softplusExact(z)),
  softsign: (z) => z / (1 + Math.abs(z)),
  tanhshrink: (z) => z - Math.tanh(z),
  logSigmoid: (z) => -softplusExact(-z),
  softshrink: (z) => (z > 0.5 ? z - 0.5 : z < -0.5 ? z + 0.5 : 0),
  hardshrink: (z) => (Math.abs(z) > 0.5 ? z : 0),
};

/** log softmax over rows of `width`: z - m - log Σ e^(z - m); its error scale is about twice the row's. */
function logSoftmaxRows(ref: Reference, width: number): Reference {
  const out = new Float64Array(ref.values.length);
  const scale = new Float64Array(ref.values.length);
  for (let start = 0; start < out.length; start += width) {
    const row = ref.values.subarray(start, start + width);
    const m = Math.max(...row);
    const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    const rowScale = 2 * Math.max(...ref.scale.subarray(start, start + width)) + Math.abs(lse);
    for (let j = 0; j < width; j++) {
      out[start + j] = (row[j] as number) - m - lse;
      scale[start + j] = rowScale;
    }
  }
  return { shape: ref.shape, values: out, scale };
}

/** Every activation Dense takes by name, each with a reference below. */
export const denseActivationNames = [
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'softmax',
  'linear',
  // core's other activation functions (issue 19)
  'relu6',
  'elu',
  'selu',
  'celu',
  'gelu',
  'silu',
  'mish',
  'hardswish',
  'hardsigmoid',
  'hardtanh',
  'softplus',
  'softsign',
  'tanhshrink',
  'logSigmoid',
  'softshrink',
  'hardshrink',
  'logSoftmax',
] as const satisfies readonly ActivationName[];
// A name added to ActivationName but not listed here (so never fuzzed) does not compile.
const everyNameListed: [Exclude<ActivationName, (typeof denseActivationNames)[number]>] extends [never] ? true : never =
  true;
void everyNameListed;

/** An activation by name applied to a reference (softmax over the last axis of size `width`). */
export function activationReference(name: string, ref: Reference, width: number): Reference {
  const elementwise: Record<string, (z: number) => number> = {
    sigmoid,
    tanh: Math.tanh,
    // NaN stays NaN (as in PyTorch's relu)
    relu: (z) => (Number.isNaN(z) ? NaN : Math.max(z, 0)),
    leakyRelu: (z) => (z > 0 ? z : Number.isNaN(z) ? NaN : 0.01 * z),
    linear: (z) => z,
    ...moreActivations,
  };
  const f = elementwise[name];
  if (f !== undefined) return { shape: ref.shape, values: ref.values.map(f), scale: ref.scale };
  if (name === 'logSoftmax') return logSoftmaxRows(ref, width);
  if (name !== 'softmax') throw new Error(`no reference for activation ${name}`);
  const out = new Float64Array(ref.values.length);
  const scale = new Float64Array(ref.values.length);
  for (let start = 0; start < out.length; start += width) {
    const row = ref.values.subarray(start, start + width);
    const m = Math.max(...row);
    const exps = row.map((v) => Math.exp(v - m));
    const total = exps.reduce((s, v) => s + v, 0);
    const rowScale = 2 * Math.max(...ref.scale.subarray(start, start + width));
    for (let j = 0; j < width; j++) {
      out[start + j] = (exps[j] as number) / total;
      scale[start + j] = rowScale;
    }
  }
  return { shape: ref.shape, values: out, scale };
}

export type ReductionName = 'mean' | 'sum' | 'none';

/** Reduces per-element losses (and their scales) as PyTorch's reduction does. */
export function reduceReference(
  shape: number[],
  losses: Float64Array,
  scales: Float64Array,
  reduction: ReductionName,
  divisor = losses.length,
): Reference {
  if (reduction === 'none') return { shape, values: losses, scale: scales };
  const sum = losses.reduce((s, v) => s + v, 0);
  const mag = scales.reduce((s, v) => s + v, 0);
  // NOTE: the mean of nothing is 0/0 = NaN, as in PyTorch. Its scale is the sum's (which is what
  // may overflow in float32 before the division), and larger when dividing by |divisor| < 1.
  const meanScale = mag * Math.max(1, 1 / Math.abs(divisor));
  return reduction === 'sum'
    ? { shape: [], values: Float64Array.of(sum), scale: Float64Array.of(mag) }
    : { shape: [], values: Float64Array.of(sum / divisor), scale: Float64Array.of(meanScale) };
}

/** (ŷ - y)² per element. */
export function mseReference(input: Tensor, target: Tensor, reduction: ReductionName): Reference {
  const p = values(input);
  const y = values(target);
  const losses = p.map((v, i) => (v - (y[i] as number)) ** 2);
  const scales = p.map((v, i) => (Math.abs(v) + Math.abs(y[i] as number)) ** 2);
  return reduceReference([...input.shape], losses, scales, reduction);
}

/** Broadcasts an elementwise weight of a trailing shape to `n` elements of `shape`. */
function broadcastValues(weight: Tensor | undefined, shape: readonly number[]): Float64Array | null {
  if (weight === undefined) return null;
  const w = values(weight);
  const n = shape.reduce((a, d) => a * d, 1);
  const out = new Float64Array(n);
  const wShape = [...Array(shape.length - weight.ndim).fill(1), ...weight.shape] as number[];
  for (let i = 0; i < n; i++) {
    let rest = i;
    let index = 0;
    let stride = 1;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const d = shape[axis] as number;
      const coordinate = rest % d;
      rest = Math.floor(rest / d);
      const wd = wShape[axis] as number;
      index += (wd === 1 ? 0 : coordinate) * stride;
      stride *= wd;
    }
    out[i] = w[index] as number;
  }
  return out;
}

/** -(y·max(log p, -100) + (1 - y)·max(log(1 - p), -100)) per element, times the weight. */
export function bceReference(input: Tensor, target: Tensor, reduction: ReductionName, weight?: Tensor): Reference {
  const p = values(input);
  const y = values(target);
  const w = broadcastValues(weight, input.shape);
  const log = (v: number): number => Math.max(Math.log(v), -100);
  const losses = p.map(
    (v, i) => -((y[i] as number) * log(v) + (1 - (y[i] as number)) * log(1 - v)) * (w === null ? 1 : (w[i] as number)),
  );
  const scales = p.map(
    (v, i) =>
      (Math.abs(y[i] as number) * -log(v) + Math.abs(1 - (y[i] as number)) * -log(1 - v) + 1) *
      Math.max(1, w === null ? 1 : Math.abs(w[i] as number)),
  );
  return reduceReference([...input.shape], losses, scales, reduction);
}

/** log(1 + e⁻ᶻ) without overflow. */
function softplusNeg(z: number): number {
  return Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

/** (1 - y)·z + (1 + (posWeight - 1)·y)·log(1 + e⁻ᶻ) per element, times the weight (PyTorch's BCEWithLogitsLoss). */
export function bceWithLogitsReference(
  input: Tensor,
  target: Tensor,
  reduction: ReductionName,
  weight?: Tensor,
  posWeight?: Tensor,
): Reference {
  const z = values(input);
  const y = values(target);
  const w = broadcastValues(weight, input.shape);
  const pw = broadcastValues(posWeight, input.shape);
  const losses = new Float64Array(z.length);
  const scales = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const zi = z[i] as number;
    const yi = y[i] as number;
    const factor = pw === null ? 1 : 1 + ((pw[i] as number) - 1) * yi;
    const wi = w === null ? 1 : (w[i] as number);
    losses[i] = ((1 - yi) * zi + factor * softplusNeg(zi)) * wi;
    scales[i] =
      (Math.abs(1 - yi) * Math.abs(zi) + Math.abs(factor) * (softplusNeg(zi) + Math.abs(zi) + 1)) *
        Math.max(1, Math.abs(wi)) +
      1;
  }
  return reduceReference([...input.shape], losses, scales, reduction);
}

/**
 * Cross-entropy of [N, C] (or [C]) logits: against class indices, lse - x[t]
 * (times weight[t]; 'mean' divides by Σ weight[t]); against probabilities,
 * -Σ_c w_c·y_c·(x_c - lse) ('mean' divides by N).
 */
export function crossEntropyReference(
  logits: Tensor,
  target: Tensor | number[] | number,
  reduction: ReductionName,
  weight?: Tensor,
): Reference {
  const x = values(logits);
  const [n, c] = logits.ndim === 1 ? [1, logits.shape[0] as number] : (logits.shape as [number, number]);
  const w = weight === undefined ? new Float64Array(c).fill(1) : values(weight);
  const indices =
    typeof target === 'number'
      ? [target]
      : Array.isArray(target)
        ? target
        : target.dtype === 'int32'
          ? Array.from(target.data(), Number)
          : null;
  const probabilities = indices === null ? values(target as Tensor) : null;
  const losses = new Float64Array(n);
  const scales = new Float64Array(n);
  let weightSum = 0;
  for (let r = 0; r < n; r++) {
    const row = x.subarray(r * c, (r + 1) * c);
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    const rowScale = Math.max(...row.map(Math.abs)) + Math.log(c) + 1;
    if (indices !== null) {
      const t = indices[r] as number;
      losses[r] = (lse - (row[t] as number)) * (w[t] as number);
      scales[r] = 2 * rowScale * Math.max(1, Math.abs(w[t] as number));
      weightSum += w[t] as number;
    } else {
      let loss = 0;
      let mag = 0;
      for (let j = 0; j < c; j++) {
        const term = (w[j] as number) * ((probabilities as Float64Array)[r * c + j] as number);
        loss -= term * ((row[j] as number) - lse);
        mag += Math.max(1, Math.abs(term)) * 2 * rowScale;
      }
      losses[r] = loss;
      scales[r] = mag;
    }
  }
  const shape = logits.ndim === 1 ? [] : [n];
  const divisor = indices !== null && weight !== undefined ? weightSum : n;
  return reduceReference(shape, losses, scales, reduction, divisor);
}
