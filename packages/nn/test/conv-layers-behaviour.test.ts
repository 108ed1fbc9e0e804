/**
 * What the PyTorch fixtures do not pin: the default initialization
 * (PyTorch's bounds, drawn from a seeded generator, weight before bias), the
 * typed errors of every layer (raised at construction where the mistake is
 * made, and naming the layer), extraRepr, and the types of the max pools'
 * `returnIndices` forms.
 */
import { describe, expect, it } from 'vitest';
import {
  ArgumentError,
  ChainruleError,
  DTypeError,
  Generator,
  ShapeError,
  Tensor,
  noGrad,
  randn,
  tensor,
  zeros,
  type PoolWithIndices,
} from '@chainrule/core';
import {
  AdaptiveAvgPool2d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  Flatten,
  Linear,
  MaxPool1d,
  MaxPool2d,
  ReLU,
  Sequential,
  Upsample,
} from '../src/index';
import { expectClose } from './helpers';

function expectError(call: () => unknown, type: new (...args: never[]) => ChainruleError, message: RegExp): void {
  let error: unknown;
  try {
    call();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
}

const absMax = (t: Tensor): number => Math.max(...Array.from(t.data(), (v) => Math.abs(Number(v))));

describe('default initialization', () => {
  it('draws weight and bias from U(-1/√fanIn, 1/√fanIn), fanIn = inChannels / groups · kernel size', () => {
    // 16 input channels, 3×3 kernel: fanIn = 144, bound 1/12. 4608 weights fill the interval:
    // P(all |w| < 0.99·bound) = 0.99^4608 ≈ 1e-20.
    const conv = new Conv2d(16, 32, 3, { generator: new Generator(1) });
    const bound = 1 / 12;
    expect(conv.weight.shape).toEqual([32, 16, 3, 3]);
    expect(absMax(conv.weight)).toBeLessThanOrEqual(bound);
    expect(absMax(conv.weight)).toBeGreaterThan(0.99 * bound);
    // U(-b, b) has variance b²/3; the mean of 4608 squares has a standard error of about 1.3% of it.
    const meanSquare = Array.from(conv.weight.data(), (v) => Number(v) ** 2).reduce((a, b) => a + b) / 4608;
    expect(meanSquare / ((bound * bound) / 3)).toBeGreaterThan(0.95);
    expect(meanSquare / ((bound * bound) / 3)).toBeLessThan(1.05);
    expect(conv.bias?.shape).toEqual([32]);
    expect(absMax(conv.bias as Tensor)).toBeLessThanOrEqual(bound);
    expect(conv.weight.dtype).toBe('float32');
  });

  it('counts the groups and, for a transposed convolution, weight.shape[1] = outChannels / groups', () => {
    // Conv1d(6, 6, 5, groups 3): weight [6, 2, 5], fanIn 10. ConvTranspose2d(8, 4, 3, groups 2): weight [8, 2, 3, 3], fanIn 18.
    const grouped = new Conv1d(6, 6, 5, { groups: 3, generator: new Generator(2), dtype: 'float64' });
    expect(grouped.weight.shape).toEqual([6, 2, 5]);
    expect(absMax(grouped.weight)).toBeLessThanOrEqual(1 / Math.sqrt(10));
    expect(absMax(grouped.weight)).toBeGreaterThan(0.8 / Math.sqrt(10));
    const up = new ConvTranspose2d(8, 4, 3, { groups: 2, generator: new Generator(3) });
    expect(up.weight.shape).toEqual([8, 2, 3, 3]);
    expect(absMax(up.weight)).toBeLessThanOrEqual(1 / Math.sqrt(18));
    expect(absMax(up.weight)).toBeGreaterThan(0.9 / Math.sqrt(18));
  });

  it('takes the weight first, then the bias, from the generator (as PyTorch resets them)', () => {
    const conv = new Conv1d(1, 2, 2, { generator: new Generator(5), dtype: 'float64' });
    // fanIn = 2: U(-1/√2, 1/√2); uniform(low, high) draws low + (high - low)·u, four weights then two biases.
    const g = new Generator(5);
    const b = 1 / Math.sqrt(2);
    const draws = Array.from({ length: 6 }, () => -b + 2 * b * g.random());
    expectClose(conv.weight, [[draws.slice(0, 2)], [draws.slice(2, 4)]], { rtol: 1e-15, atol: 0 });
    expectClose(conv.bias as Tensor, draws.slice(4), { rtol: 1e-15, atol: 0 });
    const same = new Conv1d(1, 2, 2, { generator: new Generator(5), dtype: 'float64' });
    expect(same.weight.toArray()).toEqual(conv.weight.toArray());
  });

  it('leaves the bias out of the parameters and the state dict with bias: false', () => {
    const conv = new Conv2d(2, 3, 3, { bias: false });
    expect(conv.bias).toBeNull();
    expect(Object.keys(conv.stateDict())).toEqual(['weight']);
    expect(conv.parameters()).toEqual([conv.weight]);
  });
});

describe('errors at construction', () => {
  it('refuses groups that do not divide the channels', () => {
    expectError(
      () => new Conv2d(3, 6, 3, { groups: 2 }),
      ArgumentError,
      /^Conv2d: inChannels 3 is not divisible by groups 2/,
    );
    expectError(
      () => new Conv2d(4, 6, 3, { groups: 4 }),
      ArgumentError,
      /^Conv2d: outChannels 6 is not divisible by groups 4/,
    );
    expectError(
      () => new ConvTranspose2d(4, 3, 3, { groups: 2 }),
      ArgumentError,
      /^ConvTranspose2d: outChannels 3 is not divisible by groups 2/,
    );
    expectError(
      () => new Conv1d(2, 2, 3, { groups: 0 }),
      ArgumentError,
      /^Conv1d: groups must be a positive integer, got 0/,
    );
  });

  it('refuses bad sizes, paddings and modes, naming what is accepted', () => {
    expectError(() => new Conv2d(0, 6, 3), ArgumentError, /^Conv2d: inChannels must be a positive integer, got 0/);
    expectError(
      () => new Conv2d(1, 6, [3, 3, 3]),
      ArgumentError,
      /^Conv2d: kernelSize must be a positive integer or a list of 2/,
    );
    expectError(() => new Conv3d(1, 6, 0), ArgumentError, /^Conv3d: kernelSize must be a positive integer/);
    expectError(() => new Conv2d(1, 6, 3, { stride: 0 }), ArgumentError, /^Conv2d: stride must be a positive integer/);
    expectError(() => new Conv2d(1, 6, 3, { padding: -1 }), ArgumentError, /^Conv2d: padding must be a non-negative/);
    expectError(
      () => new Conv2d(1, 6, 3, { padding: 'full' as 'same' }),
      ArgumentError,
      /^Conv2d: padding must be 'same', 'valid' or non-negative integers, got "full"/,
    );
    expectError(
      () => new Conv2d(1, 6, 3, { padding: 'same', stride: 2 }),
      ArgumentError,
      /^Conv2d: padding 'same' needs stride 1 in every dimension, got stride \[2, 2\]/,
    );
    expectError(
      () => new Conv2d(1, 6, 3, { paddingMode: 'mirror' as 'reflect' }),
      ArgumentError,
      /^Conv2d: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got "mirror"/,
    );
    expectError(
      () => new Conv2d(1, 6, 3, { dtype: 'int32' as 'float32' }),
      DTypeError,
      /^Conv2d: parameters are float32 or float64/,
    );
    expectError(() => new Conv2d(1, 6, 3, { strides: 2 } as never), ArgumentError, /^Conv2d: unknown option 'strides'/);
    expectError(
      () => new Conv2d(1, 6, 3, { bias: 1 } as never),
      ArgumentError,
      /^Conv2d: option 'bias' must be true or false/,
    );
    expectError(
      () => new Conv2d(1, 6, 3, { generator: 7 } as never),
      ArgumentError,
      /^Conv2d: generator must be a Generator/,
    );
  });

  it('refuses a transposed convolution with a string padding or an output padding past the stride and dilation', () => {
    expectError(
      () => new ConvTranspose2d(2, 2, 3, { padding: 'same' as never }),
      ArgumentError,
      /^ConvTranspose2d: padding must be non-negative integers \(transposed convolutions take no 'same' or 'valid'/,
    );
    expectError(
      () => new ConvTranspose1d(2, 2, 3, { stride: 2, outputPadding: 2 }),
      ArgumentError,
      /^ConvTranspose1d: outputPadding \[2\] must be smaller than the stride \[2\] or the dilation \[1\]/,
    );
    // Smaller than the dilation is enough, as in PyTorch.
    expect(new ConvTranspose1d(2, 2, 3, { dilation: 3, outputPadding: 2 }).outputPadding).toEqual([2]);
  });

  it('refuses pool settings PyTorch refuses when the layer runs', () => {
    expectError(
      () => new MaxPool2d(3, { padding: 2 }),
      ArgumentError,
      /^MaxPool2d: padding \(2 x 2\) must be at most half the kernel size \(3 x 3\)/,
    );
    expectError(() => new AvgPool2d(2, { stride: 0 }), ArgumentError, /^AvgPool2d: stride must be a positive integer/);
    expectError(
      () => new AvgPool1d(2, { divisorOverride: 2 } as never),
      ArgumentError,
      /^AvgPool1d: unknown option 'divisorOverride'/,
    );
    expectError(
      () => new AvgPool2d(2, { divisorOverride: 0 }),
      ArgumentError,
      /^AvgPool2d: divisorOverride must be a positive integer or null/,
    );
    expectError(
      () => new MaxPool1d(2, { returnIndices: 'yes' as never }),
      ArgumentError,
      /^MaxPool1d: option 'returnIndices' must be true or false/,
    );
    expectError(
      () => new AdaptiveAvgPool2d([2, 2, 2]),
      ArgumentError,
      /^AdaptiveAvgPool2d: outputSize must be a non-negative integer or a list of 2/,
    );
    expectError(() => new AdaptiveMaxPool2d(null as never), ArgumentError, /^AdaptiveMaxPool2d: outputSize/);
  });

  it('refuses Upsample settings that interpolate would refuse', () => {
    expectError(
      () => new Upsample({ size: 4, scaleFactor: 2 }),
      ArgumentError,
      /^Upsample: give exactly one of size and scaleFactor/,
    );
    expectError(() => new Upsample({}), ArgumentError, /^Upsample: give exactly one of size and scaleFactor/);
    expectError(
      () => new Upsample({ scaleFactor: 2, alignCorners: true }),
      ArgumentError,
      /^Upsample: alignCorners applies to the modes linear, bilinear, bicubic and trilinear only, not 'nearest'/,
    );
    expectError(
      () => new Upsample({ scaleFactor: 2, mode: 'cubic' as 'bicubic' }),
      ArgumentError,
      /^Upsample: mode must be one of/,
    );
    expectError(
      () => new Upsample({ scaleFactor: -2 }),
      ArgumentError,
      /^Upsample: scaleFactor must be a positive number/,
    );
    expectError(() => new Upsample({ size: 2.5 }), ArgumentError, /^Upsample: size must be a positive integer/);
  });
});

describe('errors at forward name the layer and say what to change', () => {
  it('a wrong channel count', () => {
    expectError(
      () => new Conv2d(1, 6, 5).forward(zeros([2, 3, 28, 28])),
      ShapeError,
      /^Conv2d: input has 3 channels, this layer expects 1 \(inChannels\)/,
    );
    expectError(
      () => new Conv1d(4, 2, 3).forward(zeros([3, 10])),
      ShapeError,
      /^Conv1d: input has 3 channels, this layer expects 4 \(inChannels\)/,
    );
    expectError(
      () => new ConvTranspose2d(4, 2, 3).forward(zeros([1, 2, 5, 5])),
      ShapeError,
      /^ConvTranspose2d: input has 2 channels, this layer expects 4/,
    );
  });

  it('a wrong rank', () => {
    expectError(
      () => new Conv2d(1, 6, 5).forward(zeros([28, 28])),
      ShapeError,
      /^Conv2d: expected a 4-D input \[N, C, H, W\] or a 3-D unbatched one \[C, H, W\], got shape \[28,28\]/,
    );
    expectError(() => new MaxPool2d(2).forward(zeros([4, 4])), ShapeError, /^MaxPool2d: expected a 4-D input/);
    expectError(
      () => new AdaptiveAvgPool2d(1).forward(zeros([1, 1, 2, 2, 2])),
      ShapeError,
      /^AdaptiveAvgPool2d: expected a 4-D input/,
    );
    expectError(
      () => new Upsample({ scaleFactor: 2, mode: 'bilinear' }).forward(zeros([1, 1, 4])),
      ShapeError,
      /^Upsample: mode 'bilinear' takes a 4-D input/,
    );
    expectError(
      () => new Upsample({ size: [2, 2] }).forward(zeros([1, 1, 4])),
      ShapeError,
      /^Upsample: size \[2, 2\] has 2 entries, but the input \[1,1,4\] has 1 spatial dimensions/,
    );
    expectError(
      () => new Conv2d(1, 1, 3).forward([[1]] as never),
      ArgumentError,
      /^Conv2d: the input must be a Tensor/,
    );
  });

  it('an input smaller than the kernel, or than the border it must reflect', () => {
    expectError(
      () => new Conv2d(1, 1, 5).forward(zeros([1, 1, 3, 3])),
      ShapeError,
      /^Conv2d: the input's spatial size \(3 x 3\), padded to \(3 x 3\), is smaller than the kernel \(5 x 5\)/,
    );
    expectError(
      () => new Conv1d(1, 1, 3, { dilation: 3 }).forward(zeros([1, 1, 6])),
      ShapeError,
      /^Conv1d: .* smaller than the dilated kernel \(7\)/,
    );
    expectError(
      () => new Conv2d(1, 1, 3, { padding: 3, paddingMode: 'reflect' }).forward(zeros([1, 1, 3, 3])),
      ShapeError,
      /^Conv2d: 'reflect' padding of 3 does not fit spatial dimension 0 of size 3/,
    );
    expectError(
      () => new Conv2d(1, 1, 3, { padding: 4, paddingMode: 'circular' }).forward(zeros([1, 1, 3, 3])),
      ShapeError,
      /^Conv2d: 'circular' padding of 4 .* it can wrap around at most once/,
    );
    expectError(
      () => new MaxPool2d(3).forward(zeros([1, 1, 2, 5])),
      ShapeError,
      /^MaxPool2d: the input's spatial size \(2 x 5\) is smaller than one window/,
    );
    expectError(
      () => new Conv2d(1, 1, 1).forward(zeros([1, 1, 0, 3])),
      ShapeError,
      /^Conv2d: the input's spatial dimensions must be non-empty/,
    );
  });

  it('an outputSize a transposed convolution cannot make', () => {
    // Input length 4, stride 3, kernel 3, padding 1: (4 − 1)·3 − 2 + 2 + 1 = 10, up to 10 + 3 − 1 = 12.
    const up = new ConvTranspose1d(1, 1, 3, { stride: 3, padding: 1 });
    expect(up.forward(zeros([1, 1, 4])).shape).toEqual([1, 1, 10]);
    expect(up.forward(zeros([1, 1, 4]), [12]).shape).toEqual([1, 1, 12]);
    expect(up.forward(zeros([1, 1, 4]), [1, 1, 11]).shape).toEqual([1, 1, 11]);
    expectError(
      () => up.forward(zeros([1, 1, 4]), [13]),
      ArgumentError,
      /^ConvTranspose1d: outputSize \(13\) cannot come from this input: each size must be between \(10\) and \(12\)/,
    );
    expectError(
      () => up.forward(zeros([1, 1, 4]), [1, 11]),
      ArgumentError,
      /^ConvTranspose1d: outputSize must be a list of 1 spatial sizes/,
    );
  });
});

describe('extraRepr, as PyTorch prints the same layers', () => {
  it('shows what differs from the defaults, in chainrule spelling', () => {
    expect(new Conv2d(1, 6, 5, { padding: 2 }).extraRepr()).toBe(
      '1, 6, kernelSize=[5, 5], stride=[1, 1], padding=[2, 2]',
    );
    expect(
      new Conv2d(2, 4, [4, 3], { padding: 'same', dilation: [1, 2], paddingMode: 'reflect', bias: false }).extraRepr(),
    ).toBe('2, 4, kernelSize=[4, 3], stride=[1, 1], padding=same, dilation=[1, 2], bias=false, paddingMode=reflect');
    expect(new ConvTranspose2d(2, 4, 3, { stride: 2, groups: 2, outputPadding: 1 }).extraRepr()).toBe(
      '2, 4, kernelSize=[3, 3], stride=[2, 2], outputPadding=[1, 1], groups=2',
    );
    expect(new MaxPool2d(2).extraRepr()).toBe('kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false');
    expect(new AvgPool2d(3, { stride: 2, padding: 1 }).extraRepr()).toBe('kernelSize=3, stride=2, padding=1');
    expect(new AdaptiveAvgPool2d([5, null]).extraRepr()).toBe('outputSize=[5, null]');
    expect(new Upsample({ scaleFactor: 2 }).extraRepr()).toBe('scaleFactor=2, mode=nearest');
    expect(new Upsample({ size: [3, 4], mode: 'bilinear', alignCorners: true }).extraRepr()).toBe(
      'size=[3, 4], mode=bilinear',
    );
  });

  it('appears in a model summary', () => {
    const model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(2, 1));
    expect(model.toString().split('\n').slice(0, 4)).toEqual([
      'Sequential  (23 parameters)',
      '  0: Conv2d(1, 2, kernelSize=[3, 3], stride=[1, 1])  weight [2,1,3,3], bias [2]  (20 parameters)',
      '  1: ReLU',
      '  2: MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)',
    ]);
  });
});

describe('max pools with returnIndices', () => {
  it('return { values, indices } when asked, and the type says which', () => {
    const x = tensor([[[1, 3, 2, 5, 4, 0]]]);
    const plain: Tensor = new MaxPool1d(2).forward(x);
    const both: PoolWithIndices = new MaxPool1d(2, { returnIndices: true }).forward(x);
    expect(plain.toArray()).toEqual([[[3, 5, 4]]]);
    expect(both.values.toArray()).toEqual([[[3, 5, 4]]]);
    expect(both.indices.toArray()).toEqual([[[1, 3, 4]]]);
    // Layers that return a tensor fit a Sequential (a transposed convolution's optional outputSize too);
    // a pool that returns { values, indices } does not, and the compiler says so.
    expect(new Sequential(new ConvTranspose2d(1, 1, 2), new MaxPool2d(2), new AdaptiveMaxPool2d(1)).length).toBe(3);
    // @ts-expect-error: MaxPool2d with returnIndices: true returns PoolWithIndices, not a Tensor
    expect(new Sequential(new MaxPool2d(2, { returnIndices: true })).length).toBe(1);
  });

  it('AdaptiveMaxPool finds indices by PyTorch rule: the first of equal maxima, the last NaN', () => {
    // Numbers from PyTorch 1.13's adaptive_max_pool1d/2d on the same inputs (its CPU kernel takes v when
    // v > best or v is NaN).
    const nan = Number.NaN;
    const pool = new AdaptiveMaxPool2d([1, 2], { returnIndices: true });
    const ties = pool.forward(
      tensor(
        [
          [
            [1, 3, 3, 2],
            [4, 0, 4, 5],
          ],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(ties.values.toArray()).toEqual([[[4, 5]]]);
    expect(ties.indices.toArray()).toEqual([[[4, 7]]]);
    const nans = pool.forward(
      tensor([
        [
          [1, 3, 3, 2],
          [nan, 0, nan, 5],
        ],
      ]),
    );
    expect(nans.indices.toArray()).toEqual([[[4, 6]]]);
    const whole = new AdaptiveMaxPool2d(1, { returnIndices: true }).forward(
      tensor([
        [
          [1, 3, 3, 2],
          [nan, 0, nan, 5],
        ],
      ]),
    );
    expect(whole.indices.toArray()).toEqual([[[6]]]);
    const line = new AdaptiveMaxPool1d(2, { returnIndices: true }).forward(tensor([[[2, 2, nan, 1, nan, 0]]]));
    expect(line.indices.toArray()).toEqual([[[2, 4]]]);
    expect(Number.isNaN(line.values.data()[1] as number)).toBe(true);
    const first = new AdaptiveMaxPool1d(1, { returnIndices: true }).forward(tensor([[[7, 1, 7]]]));
    expect(first.indices.toArray()).toEqual([[[0]]]);
  });

  it('AdaptiveMaxPool with indices sends the gradient to the element the index names', () => {
    const x = tensor([[[3, 3, 1, 2]]], { dtype: 'float64', requiresGrad: true });
    const { values } = new AdaptiveMaxPool1d(2, { returnIndices: true }).forward(x);
    values.sum().backward();
    expect(x.grad?.toArray()).toEqual([[[1, 0, 0, 1]]]);
  });
});

describe('unbatched inputs', () => {
  it('give the batched result without its batch axis, in every padding mode (circular too, which PyTorch 1.13 refuses)', () => {
    const x = randn([2, 5, 6], { generator: new Generator(4), dtype: 'float64' });
    for (const paddingMode of ['zeros', 'reflect', 'replicate', 'circular'] as const) {
      const conv = new Conv2d(2, 3, 3, { padding: [1, 2], paddingMode, dtype: 'float64', generator: new Generator(1) });
      const [one, batch] = noGrad(() => [conv.forward(x), conv.forward(x.unsqueeze(0))]);
      expect(one?.shape).toEqual([3, 5, 8]);
      expectClose(one as Tensor, (batch as Tensor).squeeze(0), { rtol: 0, atol: 0 });
    }
  });
});
