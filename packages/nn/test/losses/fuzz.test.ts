/**
 * Fuzzing the issue-19 losses. Valid calls on random shapes (class axes,
 * spatial axes, ignored targets, weights, smoothing) must match plain
 * float64 references written here from PyTorch's documented formulas (loops
 * over numbers, not chainrule's ops) and backpropagate a gradient of each
 * input's shape; any argument, junk included, must give a result or a
 * ChainruleError naming the loss, never a raw error.
 */
import { describe, expect, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import { Tensor, tensor } from '@chainrule/core';
import {
  cosineEmbeddingLoss,
  cosineSimilarity,
  crossEntropyLoss,
  gaussianNllLoss,
  huberLoss,
  klDivLoss,
  l1Loss,
  marginRankingLoss,
  nllLoss,
  poissonNllLoss,
  smoothL1Loss,
  tripletMarginLoss,
} from '../../src/index';
import { attempt } from '../fuzz/contract';
import {
  arbFloatTensorOf,
  arbJunk,
  arbOptions,
  arbShape,
  arbTensorArgument,
  arbTensorOf,
  sizeOf,
  validOrJunk,
} from '../fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 80) };
const reductions = ['mean', 'sum', 'none'] as const;
type ReductionName = (typeof reductions)[number];

/** Per-element losses reduced as PyTorch does, with the sum of |terms| as the rounding scale. */
interface Reference {
  shape: number[];
  values: number[];
  scale: number;
}

function reduced(shape: number[], losses: number[], reduction: ReductionName, divisor = losses.length): Reference {
  const scale = losses.reduce((s, v) => s + Math.abs(v), 0);
  if (reduction === 'none') return { shape, values: losses, scale };
  const sum = losses.reduce((s, v) => s + v, 0);
  return { shape: [], values: [reduction === 'sum' ? sum : sum / divisor], scale };
}

/** Float64 results within rounding of the reference (NaN only where the reference is NaN). */
function expectReference(actual: Tensor, ref: Reference, what: string): void {
  expect([...actual.shape], `${what}: shape`).toEqual(ref.shape);
  const a = Array.from(actual.data(), Number);
  const bad = ref.values.flatMap((e, i) => {
    const x = a[i] as number;
    const ok = Number.isNaN(e) ? Number.isNaN(x) : Math.abs(x - e) <= 1e-10 * Math.abs(e) + 1e-12 * (1 + ref.scale);
    return ok ? [] : [`[${i}] got ${x}, reference ${e}`];
  });
  expect(bad.slice(0, 4), `${what}: elements differ from the reference`).toEqual([]);
}

/** The gradient of every float input has its shape, and is finite when the loss is. */
function expectGradients(loss: (...xs: Tensor[]) => Tensor, inputs: Tensor[], what: string): void {
  const leaves = inputs.map((t) => tensor(t.data(), { shape: t.shape, dtype: 'float64', requiresGrad: true }));
  const out = loss(...leaves);
  out.sum().backward();
  leaves.forEach((leaf, i) => {
    const g = leaf.grad;
    expect(g === null ? null : [...g.shape], `${what}: gradient ${i} shape`).toEqual([...leaf.shape]);
    if (out.data().every(Number.isFinite)) {
      expect(Array.from(g?.data() ?? []).every(Number.isFinite), `${what}: gradient ${i} finite`).toBe(true);
    }
  });
}

const f64Of = (shape: number[], min = -4, max = 4): Arbitrary<Tensor> =>
  arbTensorOf(shape, 'float64', fc.double({ min, max, noNaN: true }));

// ------------------------------------------------------------ nll and cross-entropy

const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  return m + Math.log(xs.reduce((s, v) => s + Math.exp(v - m), 0));
};

/**
 * PyTorch's nll_loss / cross_entropy for an input of shape [C] or [N, C, ...]:
 * per position, -w[t]·logp[t] (0 if ignored); with smoothing ε,
 * (1 - ε)·that + ε/C·Σ_c -w[c]·logp[c]; 'mean' divides each part by Σ w[t]
 * over the non-ignored targets. Probability targets: -Σ_c w[c]·y'[c]·logp[c],
 * 'mean' over positions.
 */
function classReference(
  x: number[],
  shape: number[],
  target: number[],
  probabilities: boolean,
  o: { weight?: number[]; ignoreIndex: number; smoothing: number; softmax: boolean },
  reduction: ReductionName,
): Reference {
  const classAxis = shape.length === 1 ? 0 : 1;
  const c = shape[classAxis] as number;
  const outer = shape.length === 1 ? 1 : (shape[0] as number);
  const inner = sizeOf(shape.slice(2));
  const w = o.weight ?? new Array<number>(c).fill(1);
  const losses: number[] = [];
  let nllSum = 0;
  let smoothSum = 0;
  let weightSum = 0;
  for (let n = 0; n < outer; n++) {
    for (let k = 0; k < inner; k++) {
      const row = Array.from({ length: c }, (_, j) => x[(n * c + j) * inner + k] as number);
      const lse = o.softmax ? logSumExp(row) : 0;
      const logp = row.map((v) => v - lse);
      const pos = n * inner + k;
      if (probabilities) {
        losses.push(
          -logp.reduce((s, lp, j) => {
            const y = (target[(n * c + j) * inner + k] as number) * (1 - o.smoothing) + o.smoothing / c;
            return s + (w[j] as number) * y * lp;
          }, 0),
        );
        continue;
      }
      const t = target[pos] as number;
      const ignored = t === o.ignoreIndex;
      const nll = ignored ? 0 : -(w[t] as number) * (logp[t] as number);
      const smooth = ignored ? 0 : -logp.reduce((s, lp, j) => s + (w[j] as number) * lp, 0);
      nllSum += nll;
      smoothSum += smooth;
      weightSum += ignored ? 0 : (w[t] as number);
      losses.push((1 - o.smoothing) * nll + (o.smoothing / c) * smooth);
    }
  }
  const positions = shape.filter((_, i) => i !== classAxis);
  if (probabilities || reduction !== 'mean') return reduced(positions, losses, reduction);
  const scale = losses.reduce((s, v) => s + Math.abs(v), 0);
  // NOTE: two divisions, as PyTorch reduces its nll and smoothing terms separately.
  const value = (1 - o.smoothing) * (nllSum / weightSum) + (o.smoothing / c) * (smoothSum / weightSum);
  return {
    shape: [],
    values: [o.smoothing === 0 ? nllSum / weightSum : value],
    scale: scale / Math.max(weightSum, 1e-3),
  };
}

describe('fuzz: nllLoss and crossEntropyLoss with ignoreIndex, weights and labelSmoothing', () => {
  const arbCase = fc
    .record({
      shape: fc.oneof(
        fc.integer({ min: 1, max: 4 }).map((c) => [c]),
        fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 })).map(([n, c]) => [n, c]),
        fc
          .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }))
          .map(([n, c, d]) => [n, c, d]),
      ),
      nll: fc.boolean(),
      probabilities: fc.boolean(),
      weighted: fc.boolean(),
      ignoreIndex: fc.constantFrom(-100, -1, 0, 2, 7),
      smoothing: fc.constantFrom(0, 0, 0.1, 0.5, 1),
      reduction: fc.constantFrom(...reductions),
    })
    .chain((p) => {
      const c = p.shape[p.shape.length === 1 ? 0 : 1] as number;
      const positions = p.shape.filter((_, i) => i !== (p.shape.length === 1 ? 0 : 1));
      const indices = fc.array(fc.oneof(fc.integer({ min: 0, max: c - 1 }), fc.constant(p.ignoreIndex)), {
        minLength: sizeOf(positions),
        maxLength: sizeOf(positions),
      });
      return fc.record({
        p: fc.constant({ ...p, probabilities: p.probabilities && !p.nll && p.ignoreIndex < 0, c, positions }),
        x: f64Of(p.shape),
        indices,
        soft: f64Of(p.shape, 0, 1),
        // 0 or at least 0.01: a subnormal total weight makes 1/Σw overflow in any implementation.
        weight: arbTensorOf([c], 'float64', fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 2, noNaN: true }))),
      });
    });

  it('match the float64 reference and give gradients of the input shape', () => {
    fc.assert(
      fc.property(arbCase, ({ p, x, indices, soft, weight }) => {
        const target = p.probabilities ? soft : tensor(indices, { shape: p.positions, dtype: 'int32' });
        const options = {
          reduction: p.reduction,
          ignoreIndex: p.ignoreIndex,
          ...(p.weighted ? { weight } : {}),
          ...(p.nll ? {} : { labelSmoothing: p.smoothing }),
        };
        const call = (z: Tensor): Tensor =>
          p.nll ? nllLoss(z, target, options) : crossEntropyLoss(z, target, options);
        const ref = classReference(
          Array.from(x.data()),
          p.shape,
          Array.from(target.data(), Number),
          p.probabilities,
          {
            ...(p.weighted ? { weight: Array.from(weight.data()) } : {}),
            ignoreIndex: p.ignoreIndex,
            smoothing: p.nll ? 0 : p.smoothing,
            softmax: !p.nll,
          },
          p.reduction,
        );
        const what = `${p.nll ? 'nllLoss' : 'crossEntropyLoss'} [${p.shape}] ${JSON.stringify(options)}`;
        expectReference(call(x), ref, what);
        expectGradients(call, [x], what);
      }),
      runs,
    );
  }, 120_000);
});

// ------------------------------------------------------------ elementwise losses

/** PyTorch's per-element formulas, written on numbers. */
const elementwise = {
  l1: (x: number, y: number) => Math.abs(x - y),
  huber: (x: number, y: number) => (Math.abs(x - y) < 0.7 ? 0.5 * (x - y) ** 2 : 0.7 * (Math.abs(x - y) - 0.35)),
  smoothL1: (x: number, y: number) => (Math.abs(x - y) < 1.3 ? (0.5 * (x - y) ** 2) / 1.3 : Math.abs(x - y) - 0.65),
  kl: (x: number, y: number) => (y === 0 ? 0 : y * Math.log(y)) - y * x,
  klLog: (x: number, y: number) => Math.exp(y) * (y - x),
  poisson: (x: number, y: number) => Math.exp(x) - y * x,
  poissonRate: (x: number, y: number) =>
    x - y * Math.log(x + 1e-8) + (y > 1 ? y * Math.log(y) - y + 0.5 * Math.log(2 * Math.PI * y) : 0),
  gaussian: (x: number, y: number, v: number) => 0.5 * (Math.log(Math.max(v, 1e-6)) + (x - y) ** 2 / Math.max(v, 1e-6)),
} as const;
type Kind = keyof typeof elementwise;

const calls: Record<Kind, (x: Tensor, y: Tensor, v: Tensor, reduction: ReductionName) => Tensor> = {
  l1: (x, y, _v, reduction) => l1Loss(x, y, { reduction }),
  huber: (x, y, _v, reduction) => huberLoss(x, y, { reduction, delta: 0.7 }),
  smoothL1: (x, y, _v, reduction) => smoothL1Loss(x, y, { reduction, beta: 1.3 }),
  kl: (x, y, _v, reduction) => klDivLoss(x, y, { reduction }),
  klLog: (x, y, _v, reduction) => klDivLoss(x, y, { reduction, logTarget: true }),
  poisson: (x, y, _v, reduction) => poissonNllLoss(x, y, { reduction }),
  poissonRate: (x, y, _v, reduction) => poissonNllLoss(x, y, { reduction, logInput: false, full: true }),
  gaussian: (x, y, v, reduction) => gaussianNllLoss(x, y, v, { reduction }),
};

describe('fuzz: elementwise losses', () => {
  const arbCase = fc
    .record({
      kind: fc.constantFrom(...(Object.keys(elementwise) as Kind[])),
      shape: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 3 }),
      reduction: fc.constantFrom(...reductions),
    })
    .chain(({ kind, shape, reduction }) =>
      fc.record({
        kind: fc.constant(kind),
        shape: fc.constant(shape),
        reduction: fc.constant(reduction),
        x: f64Of(shape, kind === 'poissonRate' ? 0 : -4, 4),
        y: f64Of(shape, kind === 'kl' || kind.startsWith('poisson') ? 0 : -4, 4),
        v: f64Of(shape, 0, 3),
      }),
    );

  it('match the float64 reference for every reduction and give gradients of each input shape', () => {
    fc.assert(
      fc.property(arbCase, ({ kind, shape, reduction, x, y, v }) => {
        const [xs, ys, vs] = [x, y, v].map((t) => Array.from(t.data()));
        const losses = (xs as number[]).map((xi, i) => elementwise[kind](xi, ys?.[i] as number, vs?.[i] as number));
        const what = `${kind} [${shape}] ${reduction}`;
        expectReference(calls[kind](x, y, v, reduction), reduced(shape, losses, reduction), what);
        if (kind === 'gaussian') expectGradients((a, b, c) => calls[kind](a, b, c, reduction), [x, y, v], what);
        // NOTE: the KL target's gradient is NaN at target 0 (d(t log t) = log t + 1), as PyTorch's.
        else if (kind === 'kl') expectGradients((a) => calls[kind](a, y, v, reduction), [x], what);
        else expectGradients((a, b) => calls[kind](a, b, v, reduction), [x, y], what);
      }),
      runs,
    );
  }, 120_000);
});

// ------------------------------------------------------------ pair losses

const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
/** The `count` vectors of length d held by a [count, d] (or [d]) tensor. */
const rows = (t: Tensor, count: number, d: number): number[][] => {
  const flat = Array.from(t.data());
  return Array.from({ length: count }, (_, i) => flat.slice(i * d, (i + 1) * d));
};

describe('fuzz: cosine, ranking and triplet losses', () => {
  const arbCase = fc
    .record({
      n: fc.integer({ min: 0, max: 3 }),
      d: fc.integer({ min: 1, max: 4 }),
      batched: fc.boolean(),
      reduction: fc.constantFrom(...reductions),
      margin: fc.double({ min: -1, max: 1, noNaN: true }),
      p: fc.constantFrom(1, 2, 3, Number.POSITIVE_INFINITY),
      swap: fc.boolean(),
    })
    .chain((c) => {
      const shape = c.batched ? [c.n, c.d] : [c.d];
      const count = c.batched ? c.n : 1;
      return fc.record({
        c: fc.constant({ ...c, shape, count }),
        a: f64Of(shape),
        b: f64Of(shape),
        e: f64Of(shape),
        labels: fc.array(fc.constantFrom(1, -1), { minLength: count, maxLength: count }),
      });
    });

  it('match the float64 references of PyTorch formulas and give gradients of each input shape', () => {
    fc.assert(
      fc.property(arbCase, ({ c, a, b, e, labels }) => {
        const [ra, rb, re] = [a, b, e].map((t) => rows(t, c.count, c.d)) as [number[][], number[][], number[][]];
        const outShape = c.batched ? [c.n] : [];
        const target = c.batched ? labels : (labels[0] as number);
        const what = `[${c.shape}] ${JSON.stringify(c)}`;
        // cosineSimilarity over the last axis: Σ x1·x2 / (max(‖x1‖, 1e-8)·max(‖x2‖, 1e-8)).
        const cos = ra.map((u, i) => {
          const v = rb[i] as number[];
          return dot(u, v) / (Math.max(Math.sqrt(dot(u, u)), 1e-8) * Math.max(Math.sqrt(dot(v, v)), 1e-8));
        });
        expectReference(cosineSimilarity(a, b, { axis: -1 }), { shape: outShape, values: cos, scale: 1 }, what);
        // cosineEmbeddingLoss with PyTorch's float EPSILON.
        const tiny = Math.fround(1e-12);
        const embedding = ra.map((u, i) => {
          const v = rb[i] as number[];
          const k = dot(u, v) / Math.sqrt((dot(u, u) + tiny) * (dot(v, v) + tiny));
          return labels[i] === 1 ? 1 - k : Math.max(0, k - c.margin);
        });
        const embed = (x: Tensor, y: Tensor): Tensor =>
          cosineEmbeddingLoss(x, y, target, { margin: c.margin, reduction: c.reduction });
        expectReference(embed(a, b), reduced(outShape, embedding, c.reduction), `cosineEmbeddingLoss ${what}`);
        expectGradients(embed, [a, b], `cosineEmbeddingLoss ${what}`);
        // marginRankingLoss on the first coordinates: max(0, -y·(x1 - x2) + margin).
        const x1 = a.slice(-1, 0, 1).squeeze(-1);
        const x2 = b.slice(-1, 0, 1).squeeze(-1);
        const ranking = ra.map((u, i) =>
          Math.max(0, -(labels[i] as number) * ((u[0] as number) - ((rb[i] as number[])[0] as number)) + c.margin),
        );
        const rank = (x: Tensor, y: Tensor): Tensor =>
          marginRankingLoss(x, y, target, { margin: c.margin, reduction: c.reduction });
        expectReference(rank(x1, x2), reduced(outShape, ranking, c.reduction), `marginRankingLoss ${what}`);
        expectGradients(rank, [x1, x2], `marginRankingLoss ${what}`);
        // tripletMarginLoss: max(0, margin + d(a, p) - d(a, n)), d(u, v) = ‖u - v + 1e-6‖_p.
        const dist = (u: number[], v: number[]): number => {
          const diff = u.map((ui, i) => Math.abs(ui - (v[i] as number) + 1e-6));
          return c.p === Number.POSITIVE_INFINITY
            ? Math.max(...diff)
            : diff.reduce((s, x) => s + x ** c.p, 0) ** (1 / c.p);
        };
        const triplets = ra.map((u, i) => {
          const pos = rb[i] as number[];
          const neg = re[i] as number[];
          const toNeg = c.swap ? Math.min(dist(u, neg), dist(pos, neg)) : dist(u, neg);
          return Math.max(0, c.margin + dist(u, pos) - toNeg);
        });
        const triplet = (x: Tensor, y: Tensor, z: Tensor): Tensor =>
          tripletMarginLoss(x, y, z, { margin: c.margin, p: c.p, swap: c.swap, reduction: c.reduction });
        expectReference(triplet(a, b, e), reduced(outShape, triplets, c.reduction), `tripletMarginLoss ${what}`);
        expectGradients(triplet, [a, b, e], `tripletMarginLoss ${what}`);
      }),
      runs,
    );
  }, 120_000);
});

// ------------------------------------------------------------ junk arguments

describe('fuzz: the issue-19 losses with junk arguments', () => {
  const arbReduction = validOrJunk(fc.constantFrom('mean', 'sum', 'none', 'batchmean'));
  const arbNumberOption = validOrJunk(fc.constantFrom(0, 0.5, 1, -1, 2, 1e-6));
  const arbBooleanOption = validOrJunk(fc.boolean());
  const arbIndexArgument: Arbitrary<unknown> = fc.oneof(
    arbTensorArgument,
    fc.array(fc.oneof(fc.integer({ min: -101, max: 4 }), arbJunk), { maxLength: 4 }),
    fc.integer({ min: -101, max: 4 }),
  );
  const losses: [string, number, (args: unknown[], o: unknown) => unknown, Arbitrary<unknown>][] = [
    [
      'nllLoss',
      2,
      ([a, b], o) => nllLoss(a as Tensor, b as Tensor, o as never),
      arbOptions({ reduction: arbReduction, weight: arbTensorArgument, ignoreIndex: arbNumberOption }),
    ],
    [
      'crossEntropyLoss',
      2,
      ([a, b], o) => crossEntropyLoss(a as Tensor, b as Tensor, o as never),
      arbOptions({
        reduction: arbReduction,
        weight: arbTensorArgument,
        ignoreIndex: arbNumberOption,
        labelSmoothing: arbNumberOption,
      }),
    ],
    ['l1Loss', 2, ([a, b], o) => l1Loss(a as Tensor, b as Tensor, o as never), arbOptions({ reduction: arbReduction })],
    [
      'huberLoss',
      2,
      ([a, b], o) => huberLoss(a as Tensor, b as Tensor, o as never),
      arbOptions({ reduction: arbReduction, delta: arbNumberOption }),
    ],
    [
      'smoothL1Loss',
      2,
      ([a, b], o) => smoothL1Loss(a as Tensor, b as Tensor, o as never),
      arbOptions({ reduction: arbReduction, beta: arbNumberOption }),
    ],
    [
      'klDivLoss',
      2,
      ([a, b], o) => klDivLoss(a as Tensor, b as Tensor, o as never),
      arbOptions({ reduction: arbReduction, logTarget: arbBooleanOption }),
    ],
    [
      'cosineSimilarity',
      2,
      ([a, b], o) => cosineSimilarity(a as Tensor, b as Tensor, o as never),
      arbOptions({ axis: validOrJunk(fc.integer({ min: -3, max: 3 })), eps: arbNumberOption }),
    ],
    [
      'cosineEmbeddingLoss',
      3,
      ([a, b, c], o) => cosineEmbeddingLoss(a as Tensor, b as Tensor, c as Tensor, o as never),
      arbOptions({ reduction: arbReduction, margin: arbNumberOption }),
    ],
    [
      'marginRankingLoss',
      3,
      ([a, b, c], o) => marginRankingLoss(a as Tensor, b as Tensor, c as Tensor, o as never),
      arbOptions({ reduction: arbReduction, margin: arbNumberOption }),
    ],
    [
      'tripletMarginLoss',
      3,
      ([a, b, c], o) => tripletMarginLoss(a as Tensor, b as Tensor, c as Tensor, o as never),
      arbOptions({
        reduction: arbReduction,
        margin: arbNumberOption,
        p: arbNumberOption,
        eps: arbNumberOption,
        swap: arbBooleanOption,
      }),
    ],
    [
      'gaussianNllLoss',
      3,
      ([a, b, c], o) => gaussianNllLoss(a as Tensor, b as Tensor, c as Tensor, o as never),
      arbOptions({ reduction: arbReduction, full: arbBooleanOption, eps: arbNumberOption }),
    ],
    [
      'poissonNllLoss',
      2,
      ([a, b], o) => poissonNllLoss(a as Tensor, b as Tensor, o as never),
      arbOptions({ reduction: arbReduction, logInput: arbBooleanOption, full: arbBooleanOption, eps: arbNumberOption }),
    ],
  ];

  it('any arguments and options: a result or a typed error naming the loss, never a raw one', () => {
    // Arguments mostly related to one shape (the same shape, or without its class axis or last axis),
    // with any values (NaN, ±Infinity, huge), so that calls get past the checks often.
    const arbRelated = (shape: number[]): Arbitrary<unknown> =>
      fc.oneof(
        { weight: 4, arbitrary: arbFloatTensorOf(shape) },
        { weight: 1, arbitrary: arbFloatTensorOf(shape.filter((_, i) => i !== 1)) },
        { weight: 1, arbitrary: arbFloatTensorOf(shape.slice(0, -1)) },
        {
          weight: 1,
          arbitrary: arbTensorOf(
            shape.filter((_, i) => i !== (shape.length === 1 ? 0 : 1)),
            'int32',
          ),
        },
        { weight: 1, arbitrary: arbIndexArgument },
        { weight: 1, arbitrary: arbTensorArgument },
      );
    const arbCase = fc.tuple(fc.integer({ min: 0, max: losses.length - 1 }), arbShape()).chain(([k, shape]) => {
      const [, arity, , options] = losses[k] as (typeof losses)[number];
      return fc.record({
        k: fc.constant(k),
        args: fc.tuple(arbRelated(shape), arbRelated(shape), arbRelated(shape)).map((xs) => xs.slice(0, arity)),
        options,
      });
    });
    fc.assert(
      fc.property(arbCase, ({ k, args, options }) => {
        const [name, , call] = losses[k] as (typeof losses)[number];
        attempt([name], () => call(args, options));
      }),
      runs,
    );
  }, 120_000);
});
