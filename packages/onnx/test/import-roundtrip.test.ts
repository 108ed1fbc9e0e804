/**
 * Export → import round trips: every op the exporter maps, exported alone
 * by exportOnnx and imported back by importOnnx, must compute what the
 * chainrule function computes (float32, 1e-5 relative), and its gradients
 * with respect to the float inputs must equal chainrule's own (1e-4
 * relative; a missing gradient counts as zeros), since the imported graph
 * is built from core ops too. Backward rules (reluGrad, conv, convInput...)
 * are reached through gradients recorded with createGraph, so their round
 * trips compare second derivatives. The cases are keyed by mapping name:
 * a new mapping fails the coverage test until it has a round-trip case here.
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
  gradients as grads,
  hardshrink,
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
  softshrink,
  type Tensor,
  threshold,
  tensor,
  where,
  zerosLike,
} from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx, importOnnx, onnxMappings } from '../src/index';

interface Case {
  f: (...xs: Tensor[]) => Tensor;
  make: () => Tensor[];
  /** False where ONNX cannot carry what the gradient depends on, or where the output is bool (no gradient): each such case says why. */
  gradients?: boolean;
}

const x34 = () => [randn([3, 4])];
const positive = () => [rand([3, 4]).mul(2).add(0.1)];
const unit = () => [rand([3, 4]).mul(1.8).sub(0.9)];
const two = () => [randn([3, 4]), randn([4])];
/** Inputs with ties between them (rounded), so that eq, ne, ge and le see equal elements too. */
const ties = () => [randn([3, 4]).mul(2).round(), randn([4]).mul(2).round()];
/** Values with NaN, ±Infinity and zero among ordinary ones. */
const special = () => [tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -1.5, 2])];
/** The gradient of loss(a) at x, recorded as ops (createGraph), so that an exported function can return it. */
const backward = (loss: (a: Tensor) => Tensor, x: Tensor): Tensor => {
  const a = x.requiresGrad ? x : x.detach();
  a.requiresGrad = true;
  return grads(loss(a), [a], { createGraph: true })[0] as Tensor;
};
/** A comparison or test with a bool output: NOTE no gradient, since a bool output has none (chainrule's is undefined too). */
const boolean = (f: (...xs: Tensor[]) => Tensor, make: () => Tensor[]): Case => ({ f, make, gradients: false });
const method = (name: string, make: () => Tensor[] = x34): Case => ({
  f: (x) => (x as unknown as Record<string, () => Tensor>)[name]?.call(x) as Tensor,
  make,
});

const cases: Record<string, Case> = {
  // NOTE: ONNX has no stop-gradient: detach is written as Identity, so the imported graph differentiates through it.
  detach: { f: (x) => x.detach().mul(x), make: x34, gradients: false },
  contiguous: { f: (x) => x.transpose(0, 1).contiguous(), make: x34 },
  clone: { f: (x) => x.clone(), make: x34 },
  neg: method('neg'),
  exp: method('exp'),
  log: method('log', positive),
  sqrt: method('sqrt', positive),
  abs: method('abs'),
  sign: method('sign'),
  sin: method('sin'),
  cos: method('cos'),
  tan: method('tan', unit),
  asin: method('asin', unit),
  acos: method('acos', unit),
  atan: method('atan'),
  sinh: method('sinh'),
  cosh: method('cosh'),
  asinh: method('asinh'),
  acosh: { f: (x) => x.add(1).acosh(), make: positive },
  atanh: method('atanh', unit),
  tanh: method('tanh'),
  sigmoid: method('sigmoid'),
  relu: method('relu'),
  erf: method('erf'),
  floor: { f: (x) => x.mul(3).floor(), make: x34 },
  ceil: { f: (x) => x.mul(3).ceil(), make: x34 },
  round: { f: (x) => x.round(), make: () => [tensor([0.5, 1.5, -2.5, 2.4, -0.6, 3.5])] },
  reciprocal: method('reciprocal', positive),
  softsign: method('softsign'),
  square: method('square'),
  rsqrt: method('rsqrt', positive),
  log1p: method('log1p', positive),
  expm1: method('expm1'),
  log2: method('log2', positive),
  log10: method('log10', positive),
  exp2: method('exp2'),
  erfc: method('erfc'),
  silu: method('silu'),
  mish: method('mish'),
  logSigmoid: method('logSigmoid'),
  softplus: method('softplus'),
  leakyRelu: { f: (x) => x.leakyRelu(0.2), make: x34 },
  elu: method('elu'),
  celu: method('celu'),
  selu: method('selu'),
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
  // Backward rules, reached through gradients recorded with createGraph; the round trip then checks second derivatives.
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
  trunc: { f: (x) => x.mul(3).trunc(), make: x34 },
  frac: { f: (x) => x.mul(3).frac(), make: x34 },
  tanhshrink: method('tanhshrink'),
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
  // NOTE: comparisons, logical ops and value tests give bool outputs, which have no gradient: outputs only.
  eq: boolean((a, b) => a.eq(b), ties),
  ne: boolean((a, b) => a.ne(b), ties),
  gt: boolean((a, b) => a.gt(b), ties),
  ge: boolean((a, b) => a.ge(b), ties),
  lt: boolean((a, b) => a.lt(b), ties),
  le: boolean((a, b) => a.le(b), ties),
  logicalAnd: boolean((a, b) => a.logicalAnd(b.gt(0)), ties),
  logicalOr: boolean((a, b) => a.logicalOr(b.gt(0)), ties),
  logicalNot: boolean((a) => a.logicalNot(), ties),
  isnan: boolean((a) => a.isnan(), special),
  isinf: boolean((a) => a.isinf(), special),
  isposinf: boolean((a) => a.isposinf(), special),
  isneginf: boolean((a) => a.isneginf(), special),
  isfinite: boolean((a) => a.isfinite(), special),
  sum: { f: (x) => x.sum(1).add(x.sum([0, 1], true).reshape([1])), make: x34 },
  amax: { f: (x) => x.amax(0), make: x34 },
  amin: { f: (x) => x.amin(1, true), make: x34 },
  max: { f: (x) => x.max(1), make: x34 },
  min: { f: (x) => x.min(0, true), make: x34 },
  prod: { f: (x) => x.prod(1), make: x34 },
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
  // NOTE: all's result is bool, so a mask multiplies x (a gradient flows to x through the product, none through the mask).
  all: {
    f: (x) => x.mul(x.round().all(1, true).to('float32')).add(x.gt(-2).all().to('float32')),
    make: () => [randn([3, 4]).mul(0.6)],
  },
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

/** The gradients of Σ y·r (r fixed random weights, so every output element matters differently) with respect to the inputs, zeros where there is none. */
function gradients(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], r: Tensor): Tensor[] {
  const leaves = inputs.map((t) => {
    const leaf = t.detach().clone();
    leaf.requiresGrad = true;
    return leaf;
  });
  f(...leaves)
    .mul(r)
    .sum()
    .backward();
  // No gradient means the output does not depend on that input differentiably (reluGrad's mask, convWeight's weight):
  // its gradient is zero, which the other side must then compute too.
  return leaves.map((t) => t.grad ?? zerosLike(t));
}

describe('exportOnnx then importOnnx computes what the chainrule function computes', () => {
  it('has a round-trip case for every export mapping and no case without one', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(onnxMappings).sort());
  });

  it.each(Object.keys(onnxMappings))('%s', (name) => {
    manualSeed(11);
    const c = cases[name] as Case;
    const inputs = c.make();
    const bytes = exportOnnx(c.f, inputs, { inputNames: inputs.map((_, i) => `x${i}`), outputNames: ['y'] });
    const { fn } = importOnnx(bytes);
    const imported = (...xs: Tensor[]) => fn(...xs)[0] as Tensor;
    const expected = c.f(...inputs);
    expect(relativeError(imported(...inputs), expected)).toBeLessThanOrEqual(1e-5);

    if (c.gradients === false) return;
    const r = randn(expected.shape);
    const want = gradients(c.f, inputs, r);
    const got = gradients(imported, inputs, r);
    got.forEach((g, i) =>
      expect(relativeError(g, want[i] as Tensor), `gradient of input ${i}`).toBeLessThanOrEqual(1e-4),
    );
  });
});
