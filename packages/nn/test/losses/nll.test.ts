import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, IndexError, ShapeError, type Tensor, logSoftmax, tensor } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { crossEntropyLoss, nllLoss, type Reduction } from '../../src/index';
import { fixtureCases, fixtureSuite } from './fixture';

const reductions: Reduction[] = ['mean', 'sum', 'none'];
const f64 = (x: number[] | number[][] | number[][][]): Tensor => tensor(x, { dtype: 'float64' });
type Target = Tensor | number[] | number;

fixtureSuite('nllLoss', ([x, t], o) => nllLoss(x as Tensor, t as Target, o));
fixtureSuite('crossEntropyLoss', ([x, t], o) => crossEntropyLoss(x as Tensor, t as Target, o));

describe('the losses fixture', () => {
  it('holds cases of exactly the issue-19 losses, each checked by one of test/losses/*.test.ts', () => {
    expect([...new Set(fixtureCases.map((c) => c.loss))].sort()).toEqual(
      [
        'nllLoss',
        'crossEntropyLoss',
        'l1Loss',
        'huberLoss',
        'smoothL1Loss',
        'klDivLoss',
        'cosineSimilarity',
        'cosineEmbeddingLoss',
        'marginRankingLoss',
        'tripletMarginLoss',
        'gaussianNllLoss',
        'poissonNllLoss',
      ].sort(),
    );
  });
});

describe('nllLoss', () => {
  // Log-probabilities a[n][c]; the loss of sample n is -w[t]·a[n][t].
  const a = f64([
    [-0.5, -1.5, -2.0],
    [-3.0, -0.25, -1.0],
    [-1.0, -1.0, -1.25],
  ]);

  it('matches hand computation: plain, weighted and ignored targets', () => {
    // (0.5 + 0.25 + 1.25) / 3
    expect(nllLoss(a, [0, 1, 2]).item()).toBeCloseTo(2 / 3, 15);
    // w = [2, 1, 4]: (2·0.5 + 1·0.25 + 4·1.25) / (2 + 1 + 4) = 6.25 / 7
    const w = f64([2, 1, 4]);
    expect(nllLoss(a, [0, 1, 2], { weight: w }).item()).toBeCloseTo(6.25 / 7, 15);
    // Sample 1 ignored (default -100): (2·0.5 + 4·1.25) / (2 + 4) = 1
    expect(nllLoss(a, [0, -100, 2], { weight: w }).item()).toBeCloseTo(1, 15);
    expect(nllLoss(a, [0, -100, 2], { weight: w, reduction: 'none' }).toArray()).toEqual([1, 0, 5]);
    // ignoreIndex 2 ignores class 2: (0.5 + 0.25) / 2
    expect(nllLoss(a, [0, 1, 2], { ignoreIndex: 2 }).item()).toBeCloseTo(0.375, 15);
  });

  it('gives NaN for the mean when every target is ignored or weighs 0 (0/0, as PyTorch), 0 for the sum', () => {
    expect(nllLoss(a, [-100, -100, -100]).item()).toBeNaN();
    expect(nllLoss(a, [-100, -100, -100], { reduction: 'sum' }).item()).toBe(0);
    // Only sample 2 weighs anything: 1·-a[2][1] / 1.
    expect(nllLoss(a, [0, 0, 1], { weight: f64([0, 1, 0]) }).item()).toBeCloseTo(1, 15);
    expect(nllLoss(a, [0, 0, 2], { weight: f64([0, 1, 0]) }).item()).toBeNaN();
  });

  it('gives an ignored target no gradient, even where its input is -Infinity', () => {
    const x = tensor(
      [
        [-Infinity, -0.5, -1],
        [-1.2, -0.4, -2],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const loss = nllLoss(x, [-100, 1]);
    expect(loss.item()).toBeCloseTo(0.4, 15);
    loss.backward();
    expect(x.grad?.toArray()).toEqual([
      [0, 0, 0],
      [0, -1, 0],
    ]);
  });

  it('passes gradcheck and gradgradcheck for the input and the weight, with ignored targets', () => {
    const x = logSoftmax(
      f64([
        [0.5, -1.0, 2.0, 0.1],
        [1.2, 0.3, -0.7, 0.0],
        [-0.2, 0.9, 0.4, -1.5],
      ]),
      1,
    );
    const w = f64([0.5, 2, 1, 3]);
    for (const reduction of reductions) {
      for (const target of [
        [3, 0, 1],
        [3, -100, 1],
      ]) {
        const f = (p: Tensor, q: Tensor): Tensor => nllLoss(p, target, { reduction, weight: q });
        assertGradcheck(f, [x, w]);
        assertGradgradcheck(f, [x, w]);
      }
    }
    const spatial = f64([
      [
        [-0.5, -1.0],
        [-2.0, -0.1],
        [-1.5, -0.9],
      ],
    ]);
    assertGradcheck((p: Tensor) => nllLoss(p, tensor([[2, 7]], { dtype: 'int32' }), { ignoreIndex: 7 }), [spatial]);
  });

  it('refuses bad targets and options with typed errors naming nllLoss, the values and what is accepted', () => {
    expect(() => nllLoss(a, [0, 3, 1])).toThrow(IndexError);
    expect(() => nllLoss(a, [0, 3, 1])).toThrow(
      /^nllLoss: class index 3 \(element 1\) is out of range for 3 classes \(expected 0 to 2, or the ignoreIndex -100\)$/,
    );
    expect(() => nllLoss(a, tensor([0, -1, 1], { dtype: 'int32' }))).toThrow(/class index -1 \(element 1\)/);
    expect(() => nllLoss(a, [0, 1, 2], { ignoreIndex: 0 })).not.toThrow();
    expect(() => nllLoss(a, tensor([0, 1, 2]))).toThrow(DTypeError);
    expect(() => nllLoss(a, tensor([0, 1, 2]))).toThrow(/^nllLoss: class indices must be int32, got float32/);
    expect(() => nllLoss(a, [0, 1])).toThrow(ShapeError);
    expect(() => nllLoss(a, [0, 1])).toThrow(/^nllLoss: class indices must have shape \[3\] .*got \[2\]$/);
    expect(() => nllLoss(a, [0, 1, 2], { ignoreIndex: 0.5 })).toThrow(
      /^nllLoss: option 'ignoreIndex' must be an integer in the int32 range .*, got 0\.5$/,
    );
    expect(() => nllLoss(a, [0, 1, 2], { ignoreIndex: 2 ** 32 - 100 })).toThrow(ArgumentError);
    expect(() => nllLoss(a, [0, 1, 2], { weight: f64([1, 2]) })).toThrow(
      /^nllLoss: weight must hold one value per class/,
    );
    expect(() => nllLoss(a, [0, 1, 2], { reduction: 'batchmean' as Reduction })).toThrow(
      /^nllLoss: reduction must be 'mean', 'sum' or 'none', got "batchmean"$/,
    );
    expect(() => nllLoss(a, [0, 1, 2], { labelSmoothing: 0.1 } as never)).toThrow(
      /^nllLoss: unknown option 'labelSmoothing'; accepted: reduction, weight, ignoreIndex$/,
    );
    expect(() => nllLoss(tensor(-0.5, { dtype: 'float64' }), 0)).toThrow(/^nllLoss: the input needs a class axis/);
  });
});

describe('crossEntropyLoss: labelSmoothing and ignoreIndex', () => {
  it('with label smoothing equals the cross-entropy of the smoothed one-hot target (hand computation)', () => {
    // logits [ln 3, 0]: softmax [3/4, 1/4]. ε = 0.5, C = 2, target 0: the smoothed
    // target is 0.5·[1, 0] + 0.25 = [3/4, 1/4], and the loss -(3/4 ln 3/4 + 1/4 ln 1/4).
    const logits = f64([[Math.log(3), 0]]);
    const expected = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(crossEntropyLoss(logits, [0], { labelSmoothing: 0.5 }).item()).toBeCloseTo(expected, 15);
    expect(crossEntropyLoss(logits, f64([[1, 0]]), { labelSmoothing: 0.5 }).item()).toBeCloseTo(expected, 15);
    expect(crossEntropyLoss(logits, f64([[0.75, 0.25]])).item()).toBeCloseTo(expected, 15);
  });

  it('keeps an ignored sample out of both terms and out of the mean', () => {
    const logits = f64([
      [Math.log(3), 0],
      [5, -5],
    ]);
    const expected = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    expect(crossEntropyLoss(logits, [0, -100], { labelSmoothing: 0.5 }).item()).toBeCloseTo(expected, 15);
    expect(crossEntropyLoss(logits, [0, 1], { labelSmoothing: 0.5, ignoreIndex: 1 }).item()).toBeCloseTo(expected, 15);
    expect(crossEntropyLoss(logits, [-100, -100], { labelSmoothing: 0.5 }).item()).toBeNaN();
  });

  it('passes gradcheck and gradgradcheck with smoothing, weights and ignored targets, for indices and probabilities', () => {
    const logits = f64([
      [0.5, -1.0, 2.0, 0.1],
      [1.2, 0.3, -0.7, 0.0],
      [-0.2, 0.9, 0.4, -1.5],
    ]);
    const soft = f64([
      [0.1, 0.2, 0.3, 0.4],
      [1, 0, 0, 0],
      [0.25, 0.25, 0.5, 0],
    ]);
    const weight = f64([0.5, 2, 1, 3]);
    for (const reduction of reductions) {
      const indices = (x: Tensor, w: Tensor): Tensor =>
        crossEntropyLoss(x, [3, -100, 1], { reduction, weight: w, labelSmoothing: 0.3 });
      assertGradcheck(indices, [logits, weight]);
      assertGradgradcheck(indices, [logits, weight]);
      const probabilities = (x: Tensor, y: Tensor, w: Tensor): Tensor =>
        crossEntropyLoss(x, y, { reduction, weight: w, labelSmoothing: 0.2 });
      assertGradcheck(probabilities, [logits, soft, weight]);
      assertGradgradcheck(probabilities, [logits, soft, weight]);
    }
    const spatial = f64([
      [
        [0.5, -1.0],
        [2.0, 0.0],
        [-0.5, 1.5],
      ],
      [
        [1.0, 1.0],
        [0.0, -2.0],
        [3.0, 0.25],
      ],
    ]);
    const target = tensor(
      [
        [2, 0],
        [4, 2],
      ],
      { dtype: 'int32' },
    );
    assertGradgradcheck(
      (x: Tensor, w: Tensor) => crossEntropyLoss(x, target, { weight: w, ignoreIndex: 4, labelSmoothing: 0.1 }),
      [spatial, f64([1, 2, 0.5])],
    );
  });

  it('refuses bad smoothing, ignoreIndex with probabilities and out-of-range classes, naming what is accepted', () => {
    const logits = f64([
      [0, 1, 2],
      [2, 1, 0],
    ]);
    for (const bad of [1.5, -0.1, Number.NaN]) {
      expect(() => crossEntropyLoss(logits, [0, 1], { labelSmoothing: bad })).toThrow(ArgumentError);
    }
    expect(() => crossEntropyLoss(logits, [0, 1], { labelSmoothing: 1.5 })).toThrow(
      /^crossEntropyLoss: option 'labelSmoothing' must be a number in \[0, 1\], got 1\.5$/,
    );
    const soft = f64([
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ]);
    expect(() => crossEntropyLoss(logits, soft, { ignoreIndex: 0 })).toThrow(
      /^crossEntropyLoss: ignoreIndex 0 applies to class-index targets only; the target holds probabilities/,
    );
    // As PyTorch: a negative ignoreIndex (such as the default) is accepted and means nothing here.
    expect(crossEntropyLoss(logits, soft, { ignoreIndex: -1 }).item()).toBe(crossEntropyLoss(logits, soft).item());
    expect(() => crossEntropyLoss(logits, [0, 3], { ignoreIndex: 4 })).toThrow(
      /^crossEntropyLoss: class index 3 \(element 1\) is out of range for 3 classes \(expected 0 to 2, or the ignoreIndex 4\)$/,
    );
    expect(() => crossEntropyLoss(logits, [0, -100], { ignoreIndex: 4 })).toThrow(IndexError);
  });
});
