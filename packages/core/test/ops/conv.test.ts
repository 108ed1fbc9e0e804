/**
 * The convolution family by hand: small results derived in comments, the
 * conventions PyTorch fixes at edges (NaN and ties in max pools, repeated
 * unpool indices, 'same' padding of even kernels), the typed errors and
 * their messages, and refusals that change nothing. Values over the whole
 * parameter space are in conv-fixtures.test.ts (PyTorch) and the gradient
 * tables.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  DTypeError,
  IndexError,
  ShapeError,
  adaptiveAvgPool1d,
  arange,
  interpolate,
  avgPool1d,
  conv1d,
  conv2d,
  convTranspose1d,
  fold,
  gradients,
  maxPool1d,
  maxPool1dWithIndices,
  maxPool2d,
  maxUnpool1d,
  ones,
  pad,
  tensor,
  unfold,
  zeros,
} from '../../src/index';

describe('values derived by hand', () => {
  it('conv1d is a cross-correlation: [1, 2, 3, 4] ⋆ [1, 0, -1] + 0.5 = [1 - 3, 2 - 4] + 0.5', () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    const w = tensor([[[1, 0, -1]]]);
    expect(conv1d(x, w, tensor([0.5])).toArray()).toEqual([[[-1.5, -1.5]]]);
  });

  it("conv1d 'same' with an even kernel puts the extra zero on the right, as PyTorch", () => {
    // Kernel [1, 1] pads 1 in all: 0 before and 1 after, so out[i] = x[i] + x[i + 1] (x[3] = 0).
    const out = conv1d(tensor([[[1, 2, 3]]]), tensor([[[1, 1]]]), null, { padding: 'same' });
    expect(out.toArray()).toEqual([[[3, 5, 3]]]);
  });

  it('conv2d with groups: each output channel sees only its group of input channels', () => {
    // Channel 0 is all 1s, channel 1 all 10s; 1×1 weights 2 and 3 with groups 2 scale each alone.
    const x = tensor([1, 1, 1, 1, 10, 10, 10, 10], { shape: [1, 2, 2, 2] });
    const out = conv2d(x, tensor([2, 3], { shape: [2, 1, 1, 1] }), null, { groups: 2 });
    expect(Array.from(out.data())).toEqual([2, 2, 2, 2, 30, 30, 30, 30]);
  });

  it('convTranspose1d with stride 2 spreads each input over the kernel taps', () => {
    // Inputs 1 and 2 at positions 0 and 2 with taps [1, 1, 1]: [1, 1, 1+2, 2, 2].
    expect(convTranspose1d(tensor([[[1, 2]]]), ones([1, 1, 3]), null, { stride: 2 }).toArray()).toEqual([
      [[1, 1, 3, 2, 2]],
    ]);
  });

  it('fold(unfold(x)) multiplies each pixel by the number of windows covering it', () => {
    const x = ones([1, 1, 3, 3]);
    // 2×2 windows over 3×3: corners are in 1 window, edges in 2, the centre in 4.
    expect(fold(unfold(x, 2), [3, 3], 2).toArray()).toEqual([
      [
        [
          [1, 2, 1],
          [2, 4, 2],
          [1, 2, 1],
        ],
      ],
    ]);
  });

  it('avgPool1d counts the padding in the divisor unless countIncludePad is false', () => {
    // [0 | 2, 4] with kernel 2, stride 2, padding 1: windows [0, 2] and [4, 0].
    expect(avgPool1d(tensor([[[2, 4]]]), 2, { padding: 1 }).toArray()).toEqual([[[1, 2]]]);
    expect(avgPool1d(tensor([[[2, 4]]]), 2, { padding: 1, countIncludePad: false }).toArray()).toEqual([[[2, 4]]]);
  });

  it('pad: constant, reflect (edge not repeated), replicate (edge repeated), circular; negative pads crop', () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    expect(pad(x, [2, 1]).toArray()).toEqual([[[0, 0, 1, 2, 3, 4, 0]]]);
    expect(pad(x, [2, 1], { mode: 'reflect' }).toArray()).toEqual([[[3, 2, 1, 2, 3, 4, 3]]]);
    expect(pad(x, [-1, 2], { mode: 'replicate' }).toArray()).toEqual([[[2, 3, 4, 4, 4]]]);
    expect(pad(x, [1, 2], { mode: 'circular' }).toArray()).toEqual([[[4, 1, 2, 3, 4, 1, 2]]]);
    // Circular padding wraps the part the crop keeps, [2, 3, 4], as PyTorch's _pad_circular does.
    expect(pad(x, [-1, 2], { mode: 'circular' }).toArray()).toEqual([[[2, 3, 4, 2, 3]]]);
  });

  it('the gradient of constant padding crops, and of a crop pads with zeros', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = gradients(pad(x, [-1, 2], { value: 7 }), [x], { gradOutput: tensor([10, 20, 30, 40]) });
    // Output [2, 3, 7, 7]: x[1] and x[2] get 10 and 20, the cropped x[0] gets 0.
    expect(g?.toArray()).toEqual([0, 10, 20]);
  });

  it('adaptiveAvgPool1d windows overlap when they do not divide the input: [⌊o·5/3⌋, ⌈(o+1)·5/3⌉)', () => {
    // Windows [0, 2), [1, 4), [3, 5) of [1, 2, 3, 4, 5].
    expect(adaptiveAvgPool1d(tensor([[[1, 2, 3, 4, 5]]]), 3).toArray()).toEqual([[[1.5, 3, 4.5]]]);
  });
});

describe('interpolate', () => {
  it('nearest doubles each element; linear with alignCorners puts the ends on the ends', () => {
    const x = tensor([[[1, 2, 3, 4]]]);
    expect(interpolate(x, { scaleFactor: 2 }).toArray()).toEqual([[[1, 1, 2, 2, 3, 3, 4, 4]]]);
    // Scale (4 − 1) / (7 − 1) = 0.5: output o samples position o / 2.
    expect(interpolate(x, { size: 7, mode: 'linear', alignCorners: true }).toArray()).toEqual([
      [[1, 1.5, 2, 2.5, 3, 3.5, 4]],
    ]);
  });

  it("nearest 14 → 46 reads what the input's precision says, and the gradient goes where the value came from", () => {
    // 23 · (14 / 46) is 6.9999995 in float32 and exactly 7 in float64 (PyTorch's forward agrees; its
    // float64 backward recomputes the index in float32 and sends this gradient to element 6).
    for (const [dtype, picked] of [
      ['float32', 6],
      ['float64', 7],
    ] as const) {
      const x = arange(0, 14, 1, { dtype }).requireGrad();
      const out = interpolate(x.reshape([1, 1, 14]), { size: 46 });
      expect(out.data()[23]).toBe(picked);
      const g = tensor(
        Array.from({ length: 46 }, (_, i) => (i === 23 ? 1 : 0)),
        { shape: [1, 1, 46], dtype },
      );
      const [dx] = gradients(out, [x], { gradOutput: g });
      expect(Array.from(dx?.data() ?? []).indexOf(1)).toBe(picked);
    }
  });
});

describe("max pools follow PyTorch's rule at ties and NaN", () => {
  it('ties go to the first maximum, and so does the gradient', () => {
    const x = tensor([[[3, 3, 1, 1]]], { requiresGrad: true });
    const { values, indices } = maxPool1dWithIndices(x, 2);
    expect(Array.from(indices.data())).toEqual([0, 2]);
    values.sum().backward();
    expect(Array.from(x.grad?.data() ?? [])).toEqual([1, 0, 1, 0]);
  });

  it('NaN is the maximum, and the last NaN of a window wins', () => {
    const { values, indices } = maxPool1dWithIndices(tensor([[[1, NaN, 3, NaN]]]), 4);
    expect(Number.isNaN(values.item())).toBe(true);
    expect(indices.item()).toBe(3);
  });

  it('a window of -Infinity points at its first element', () => {
    const { indices } = maxPool1dWithIndices(tensor([[[-Infinity, -Infinity]]]), 2);
    expect(indices.item()).toBe(0);
  });

  it('padding never wins: the maximum of [-5, -6] padded with one each side is -5 at index 0', () => {
    const { values, indices } = maxPool1dWithIndices(tensor([[[-5, -6]]]), 3, { stride: 1, padding: 1 });
    expect(values.toArray()).toEqual([[[-5, -5]]]);
    expect(indices.toArray()).toEqual([[[0, 0]]]);
  });

  it('maxUnpool1d: a repeated index keeps the later value, and both get the gradient there', () => {
    const x = tensor([[[1, 2, 3]]], { requiresGrad: true });
    const out = maxUnpool1d(x, tensor(new Int32Array([0, 0, 1]), { shape: [1, 1, 3] }), 2);
    expect(out.toArray()).toEqual([[[2, 3, 0, 0, 0, 0]]]);
    const [g] = gradients(out, [x], { gradOutput: tensor([[[10, 20, 30, 40, 50, 60]]]) });
    expect(g?.toArray()).toEqual([[[10, 10, 20]]]);
  });
});

describe('typed errors that name the op, the shapes and what would be accepted', () => {
  const x = zeros([1, 4, 5, 5]);

  it('channels that do not match the weight, with groups', () => {
    expect(() => conv2d(x, zeros([6, 3, 3, 3]), null, { groups: 2 })).toThrow(ShapeError);
    expect(() => conv2d(x, zeros([6, 3, 3, 3]), null, { groups: 2 })).toThrow(
      'conv2d: with groups = 2, a weight of shape [6,3,3,3] expects 6 input channels, but the input [1,4,5,5] has 4',
    );
  });

  it('groups that do not divide the output channels', () => {
    expect(() => conv2d(x, zeros([5, 2, 3, 3]), null, { groups: 2 })).toThrow(
      /^conv2d: the weight's 5 output channels must be a positive multiple of groups = 2/,
    );
  });

  it('a kernel larger than the padded input', () => {
    expect(() => conv2d(x, zeros([1, 4, 8, 3]), null, { padding: 1 })).toThrow(
      'conv2d: the padded input (7 x 7) is smaller than the kernel (8 x 3) (input shape [1,4,5,5], weight shape [1,4,8,3])',
    );
  });

  it("'same' padding with a stride, as PyTorch refuses it", () => {
    expect(() => conv2d(x, zeros([1, 4, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(ArgumentError);
    expect(() => conv2d(x, zeros([1, 4, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(
      /^conv2d: padding 'same' needs stride 1/,
    );
  });

  it('negative or fractional sizes, and misspelt options', () => {
    expect(() => conv2d(x, zeros([1, 4, 3, 3]), null, { padding: -1 })).toThrow(
      'conv2d: padding must be a non-negative integer or a list of 2 of them (one per spatial dimension), got -1',
    );
    expect(() => maxPool2d(x, 1.5)).toThrow(/^maxPool2d: kernelSize must be a positive integer/);
    expect(() => conv2d(x, zeros([1, 4, 3, 3]), null, { strides: 2 } as never)).toThrow(
      "conv2d: unknown option 'strides'; accepted: stride, padding, dilation, groups",
    );
  });

  it('a weight that is not float, indices that are not int32, indices outside the output', () => {
    expect(() => conv1d(zeros([1, 1, 4]), zeros([1, 1, 2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => maxUnpool1d(zeros([1, 1, 2]), zeros([1, 1, 2]), 2)).toThrow(DTypeError);
    expect(() => maxUnpool1d(zeros([1, 1, 2]), tensor(new Int32Array([0, 4]), { shape: [1, 1, 2] }), 2)).toThrow(
      IndexError,
    );
  });

  it('pool padding above half the kernel, and an output that would be empty', () => {
    expect(() => maxPool1d(zeros([1, 1, 6]), 3, { padding: 2 })).toThrow(
      'maxPool1d: padding (2) must be at most half the kernel size (3) in each dimension',
    );
    expect(() => maxPool1d(zeros([1, 1, 2]), 3)).toThrow(ShapeError);
  });

  it('a huge output is refused before anything is allocated', () => {
    // 4·10⁹ + 1 positions per row: more than a typed array holds, refused by the shape alone.
    expect(() => conv1d(zeros([1, 1, 1]), zeros([1, 1, 1]), null, { padding: 2e9 })).toThrow(ShapeError);
    expect(() => unfold(zeros([1, 1, 1, 1]), 1, { padding: 1e5 })).toThrow(ShapeError);
  });

  it('a refused call records nothing: the input keeps no gradient and no graph', () => {
    const input = zeros([1, 2, 4], { requiresGrad: true });
    expect(() => conv1d(input, zeros([1, 3, 2]))).toThrow(ShapeError);
    expect(input.grad).toBeNull();
    expect(input.isLeaf).toBe(true);
  });
});
