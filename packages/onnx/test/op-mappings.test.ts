/**
 * Every op the exporter maps, each exported alone and run in ONNX Runtime:
 * its output must equal chainrule's (float32, within 1e-5 relative). The
 * cases are keyed by mapping name, so a new mapping fails here until it has
 * a case; the last test reports which rows of core's op tables are mapped.
 */
import {
  avgPool1d,
  avgPool2d,
  avgPool3d,
  clamp,
  concat,
  conv1d,
  conv2d,
  conv3d,
  cumsum,
  gelu,
  hardshrink,
  softshrink,
  threshold,
  gradients,
  hardtanh,
  linear,
  logSoftmax,
  manualSeed,
  maxPool1d,
  maxPool2d,
  maxPool3d,
  pad,
  rand,
  randn,
  softmax,
  type Tensor,
  tensor,
  where,
} from '@chainrule/core';
import { opTables } from '../../core/src/ops/tables';
import { describe, expect, it } from 'vitest';
import { exportOnnx, onnxMappings } from '../src/index';
import { runOnnx } from './runtime';

interface Case {
  /** The function to export, of the inputs `make` returns. */
  f: (...xs: Tensor[]) => Tensor;
  make: () => Tensor[];
}

const x34 = () => [randn([3, 4])];
/** Inputs in (0.1, 2.1): inside every domain (log, sqrt, acosh needs ≥ 1: see its case). */
const positive = () => [rand([3, 4]).mul(2).add(0.1)];
const unit = () => [rand([3, 4]).mul(1.8).sub(0.9)];
const unary = (name: string, make: () => Tensor[] = x34): Case => ({
  f: (x) => (x as unknown as Record<string, () => Tensor>)[name]?.call(x) as Tensor,
  make,
});
const two = () => [randn([3, 4]), randn([4])];
/** The gradient of loss(a) at x, recorded as ops (createGraph), so that an exported function can return it. */
const backward = (loss: (a: Tensor) => Tensor, x: Tensor): Tensor => {
  const a = x.requiresGrad ? x : x.detach();
  a.requiresGrad = true;
  return gradients(loss(a), [a], { createGraph: true })[0] as Tensor;
};

const cases: Record<string, Case> = {
  detach: { f: (x) => x.detach().mul(x), make: x34 },
  contiguous: { f: (x) => x.transpose(0, 1).contiguous(), make: x34 },
  clone: { f: (x) => x.clone(), make: x34 },
  neg: unary('neg'),
  exp: unary('exp'),
  log: unary('log', positive),
  sqrt: unary('sqrt', positive),
  abs: unary('abs'),
  sign: unary('sign'),
  sin: unary('sin'),
  cos: unary('cos'),
  tan: unary('tan', unit),
  asin: unary('asin', unit),
  acos: unary('acos', unit),
  atan: unary('atan'),
  sinh: unary('sinh'),
  cosh: unary('cosh'),
  asinh: unary('asinh'),
  acosh: { f: (x) => x.add(1).acosh(), make: positive },
  atanh: unary('atanh', unit),
  tanh: unary('tanh'),
  sigmoid: unary('sigmoid'),
  relu: unary('relu'),
  erf: unary('erf'),
  floor: { f: (x) => x.mul(3).floor(), make: x34 },
  ceil: { f: (x) => x.mul(3).ceil(), make: x34 },
  // Halves included: 0.5 → 0, 1.5 → 2, -2.5 → -2 (to even).
  round: { f: (x) => x.round(), make: () => [tensor([0.5, 1.5, -2.5, 2.4, -0.6, 3.5])] },
  reciprocal: unary('reciprocal', positive),
  softsign: unary('softsign'),
  square: unary('square'),
  rsqrt: unary('rsqrt', positive),
  log1p: unary('log1p', positive),
  expm1: unary('expm1'),
  log2: unary('log2', positive),
  log10: unary('log10', positive),
  exp2: unary('exp2'),
  erfc: unary('erfc'),
  silu: unary('silu'),
  mish: unary('mish'),
  logSigmoid: unary('logSigmoid'),
  softplus: unary('softplus'),
  leakyRelu: { f: (x) => x.leakyRelu(0.2), make: x34 },
  elu: unary('elu'),
  celu: unary('celu'),
  selu: unary('selu'),
  hardswish: { f: (x) => x.mul(4).hardswish(), make: x34 },
  hardsigmoid: { f: (x) => x.mul(4).hardsigmoid(), make: x34 },
  clamp: { f: (x) => clamp(x, -0.5, 0.7), make: x34 },
  hardtanh: { f: (x) => hardtanh(x.mul(2)), make: x34 },
  relu6: { f: (x) => x.mul(5).relu6(), make: x34 },
  gelu: { f: (x) => gelu(x).add(gelu(x, { approximate: 'tanh' })), make: x34 },
  add: { f: (a, b) => a.add(b), make: two },
  sub: { f: (a, b) => a.sub(b).sub(2), make: two },
  mul: { f: (a, b) => a.mul(b).mul(3), make: two },
  div: { f: (a, b) => a.div(b.abs().add(0.5)), make: two },
  pow: { f: (a, b) => a.abs().add(0.1).pow(b), make: two },
  maximum: { f: (a, b) => a.maximum(b), make: two },
  minimum: { f: (a, b) => a.minimum(b), make: two },
  matmul: { f: (a, b) => a.matmul(b), make: () => [randn([2, 3, 4]), randn([4, 5])] },
  where: { f: (a, b) => where(a.gt(0), a, b), make: two },
  // Backward rules, reached through gradients recorded with createGraph.
  reluGrad: { f: (x, w) => backward((a) => a.relu().mul(w).sum(), x), make: () => [randn([3, 4]), randn([3, 4])] },
  sigmoidGrad: {
    f: (x, w) => backward((a) => a.sigmoid().mul(w).sum(), x),
    make: () => [randn([3, 4]), randn([3, 4])],
  },
  tanhGrad: { f: (x, w) => backward((a) => a.tanh().mul(w).sum(), x), make: () => [randn([3, 4]), randn([3, 4])] },
  // conv2d's gradient of its input runs convInput; the second derivative runs the conv primitive itself.
  conv: {
    f: (x, w, v) =>
      backward(
        (a) =>
          backward((b) => conv2d(b, w, null, { stride: 2, padding: 1 }).square().sum(), a)
            .mul(v)
            .sum(),
        x,
      ),
    make: () => [randn([2, 2, 7, 7]), randn([3, 2, 3, 3]), randn([2, 2, 7, 7])],
  },
  convInput: {
    f: (x, w, u) => backward((a) => conv2d(a, w, null, { stride: 2, padding: 1, dilation: 2 }).mul(u).sum(), x),
    make: () => [randn([2, 2, 8, 8]), randn([3, 2, 3, 3]), randn([2, 3, 3, 3])],
  },
  convWeight: {
    f: (x, w, u) => backward((k) => conv2d(x, k, null, { stride: 2, padding: 1 }).mul(u).sum(), w),
    make: () => [randn([2, 2, 8, 8]), randn([3, 2, 3, 3]), randn([2, 3, 4, 4])],
  },
  // More unary ops and shapes.
  trunc: { f: (x) => x.mul(3).trunc(), make: x34 },
  frac: { f: (x) => x.mul(3).frac(), make: x34 },
  tanhshrink: unary('tanhshrink'),
  softshrink: { f: (x) => softshrink(x.mul(2), 0.7), make: x34 },
  hardshrink: { f: (x) => hardshrink(x.mul(2)), make: x34 },
  threshold: { f: (x) => threshold(x, 0.2, -3), make: x34 },
  // cumsum's gradient is a reversed cumsum.
  cumsum: {
    f: (x, w) => cumsum(x, 1).add(backward((a) => cumsum(a, 0).mul(w).sum(), x)),
    make: () => [randn([3, 4]), randn([3, 4])],
  },
  flip: { f: (x) => x.flip([0, 2]), make: () => [randn([2, 3, 4])] },
  unflatten: { f: (x) => x.unflatten(1, [2, 2]), make: x34 },
  tril: { f: (x) => x.tril(1), make: x34 },
  triu: { f: (x) => x.triu(-1), make: () => [randn([2, 3, 4])] },
  padSlice: { f: (x) => backward((a) => a.slice(1, 1, 3).square().sum(), x), make: x34 },
  // Comparisons and masks, as floats (runOnnx reads float outputs); ties included through a rounded copy.
  eq: { f: (a, b) => a.round().eq(b.round()).to('float32'), make: two },
  ne: { f: (a, b) => a.round().ne(b.round()).to('float32'), make: two },
  gt: { f: (a, b) => a.gt(b).to('float32'), make: two },
  ge: { f: (a, b) => a.round().ge(b.round()).to('float32'), make: two },
  lt: { f: (a, b) => a.lt(b).to('float32'), make: two },
  le: { f: (a, b) => a.round().le(b.round()).to('float32'), make: two },
  logicalAnd: { f: (a, b) => a.round().logicalAnd(b.gt(0)).to('float32'), make: two },
  logicalOr: { f: (a, b) => a.round().logicalOr(b.gt(0)).to('float32'), make: two },
  logicalNot: { f: (a) => a.round().logicalNot().to('float32'), make: x34 },
  // log of x ≤ 0 gives NaN and -Infinity; 1/0 gives +Infinity.
  isnan: { f: (a) => a.log().isnan().to('float32'), make: x34 },
  isinf: { f: (a) => a.round().reciprocal().isinf().to('float32'), make: x34 },
  isposinf: { f: (a) => a.round().reciprocal().isposinf().to('float32'), make: x34 },
  isneginf: { f: (a) => a.round().reciprocal().isneginf().to('float32'), make: x34 },
  isfinite: { f: (a) => a.log().isfinite().to('float32'), make: x34 },
  // Plain and with each activation it fuses, summed: a wrong or missing activation node changes the sum.
  linear: {
    f: (x, w, b) =>
      (['relu', 'sigmoid', 'tanh', 'gelu', 'geluTanh'] as const).reduce(
        (acc, activation) => acc.add(linear(x, w, b, { activation })),
        linear(x, w, b),
      ),
    make: () => [randn([3, 4]), randn([5, 4]), randn([5])],
  },
  to: { f: (x) => x.to('float64').mul(2).to('float32'), make: x34 },
  sum: { f: (x) => x.sum(1).add(x.sum([0, 1], true).reshape([1])), make: x34 },
  amax: { f: (x) => x.amax(0), make: x34 },
  amin: { f: (x) => x.amin(1, true), make: x34 },
  max: { f: (x) => x.max(1), make: x34 },
  min: { f: (x) => x.min(0, true), make: x34 },
  prod: { f: (x) => x.prod(1), make: x34 },
  all: {
    f: (a) =>
      a
        .round()
        .all(1, true)
        .to('float32')
        .add(a.gt(-2).all().to('float32'))
        .add(a.round().all([0, 1]).to('float32')),
    make: x34,
  },
  softmax: { f: (x) => softmax(x, 0), make: x34 },
  logSoftmax: { f: (x) => logSoftmax(x, -1), make: x34 },
  reshape: { f: (x) => x.reshape([2, 6]).flatten(), make: x34 },
  permute: { f: (x) => x.permute([2, 0, 1]), make: () => [randn([2, 3, 4])] },
  expand: { f: (x) => x.expand([2, 3, 4]), make: () => [randn([3, 1])] },
  slice: { f: (x) => x.slice(1, 1, 4, 2), make: x34 },
  concat: { f: (a, b) => concat([a, b.reshape([1, 4])], 0), make: two },
  pad: { f: (x) => pad(x, [1, 2, 0, 1], { value: 0.5 }), make: x34 },
  conv1d: {
    f: (x, w) => conv1d(x, w, null, { padding: 'same', dilation: 2 }),
    make: () => [randn([2, 3, 9]), randn([4, 3, 4])],
  },
  conv2d: {
    f: (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1, groups: 2 }),
    make: () => [randn([2, 4, 7, 7]), randn([6, 2, 3, 3]), randn([6])],
  },
  conv3d: {
    f: (x, w) => conv3d(x, w, null, { stride: [1, 2, 1] }),
    make: () => [randn([1, 2, 4, 5, 3]), randn([3, 2, 2, 2, 2])],
  },
  maxPool1d: { f: (x) => maxPool1d(x, 2, { dilation: 2 }), make: () => [randn([2, 3, 9])] },
  maxPool2d: {
    f: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }),
    make: () => [randn([2, 3, 8, 8])],
  },
  maxPool3d: { f: (x) => maxPool3d(x, 2), make: () => [randn([1, 2, 4, 4, 4])] },
  avgPool1d: { f: (x) => avgPool1d(x, 3, { padding: 1 }), make: () => [randn([2, 3, 9])] },
  avgPool2d: {
    f: (x) => avgPool2d(x, 3, { stride: 2, padding: 1, countIncludePad: false }),
    make: () => [randn([2, 3, 8, 8])],
  },
  avgPool3d: { f: (x) => avgPool3d(x, 2, { stride: 1 }), make: () => [randn([1, 2, 3, 4, 4])] },
};

/** The largest |a − b| / max(1, |b|), NaN where the shapes differ. */
function relativeError(actual: Tensor, expected: Tensor): number {
  if (actual.shape.join() !== expected.shape.join()) return Number.NaN;
  const a = actual.flatten().toArray() as number[];
  const b = expected.flatten().toArray() as number[];
  return a.reduce(
    (worst, v, i) => Math.max(worst, Math.abs(v - (b[i] as number)) / Math.max(1, Math.abs(b[i] as number))),
    0,
  );
}

describe('every mapped op, exported alone, in ONNX Runtime', () => {
  it('has a case for every mapping and no case without one', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(onnxMappings).sort());
  });

  it.each(Object.keys(onnxMappings))('%s', async (name) => {
    manualSeed(7);
    const c = cases[name] as Case;
    const inputs = c.make();
    const inputNames = inputs.map((_, i) => `x${i}`);
    const bytes = exportOnnx(c.f, inputs, { inputNames, outputNames: ['y'] });
    const feeds = Object.fromEntries(inputs.map((t, i) => [`x${i}`, t]));
    const { y } = await runOnnx(bytes, feeds);
    expect(relativeError(y as Tensor, c.f(...inputs))).toBeLessThanOrEqual(1e-5);
  });

  it("reports which rows of core's op tables are mapped", () => {
    const rows = Object.values(opTables).flatMap((table) => Object.values(table).map((def) => def.name));
    const mapped = rows.filter((n) => n in onnxMappings);
    const missing = rows.filter((n) => !(n in onnxMappings));
    console.log(`ONNX export: ${mapped.length} of ${rows.length} table ops mapped; not mapped: ${missing.join(' ')}`);
    // The MLP and CNN ops (the first increment's list) are all among them.
    for (const n of [
      'add',
      'sub',
      'mul',
      'div',
      'pow',
      'sqrt',
      'rsqrt',
      'sigmoid',
      'tanh',
      'relu',
      'gelu',
      'reshape',
      'permute',
      'sum',
      'concat',
      'pad',
      'avgPool2d',
    ]) {
      expect(mapped).toContain(n);
    }
  });
});
