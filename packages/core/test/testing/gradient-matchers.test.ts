/**
 * The gradient matchers, each passing on a correct gradient and failing on a
 * planted wrong one, with the failure message (the check's report) read.
 * What they compare with is central finite differences in float64.
 */
import { describe, expect, it } from 'vitest';
import { customOp, randn, Generator, tensor, type Tensor } from '@chainrule/core';
import type { CheckableModule } from '@chainrule/core/testing';
import '@chainrule/core/testing/vitest';

/** x³ with a planted factor: the true derivative is 3x², `factor`·x² is returned. */
const cube = (factor: number) =>
  customOp({
    name: 'cube',
    forward(ctx, x) {
      ctx.save(x as Tensor);
      return (x as Tensor).pow(3);
    },
    backward({ saved: [x] }, g) {
      return g.mul((x as Tensor).square().mul(factor));
    },
  });

/**
 * A module without @chainrule/nn: y = x·w, written to the structure
 * gradcheckModule asks for, with a planted wrong gradient when `broken`.
 */
function scale(broken: boolean): CheckableModule & { w: Tensor } {
  const w = tensor([0.5, -1.5, 2], { requiresGrad: true });
  const times = customOp({
    name: 'times',
    forward(ctx, x, v) {
      ctx.save(x as Tensor, v as Tensor);
      return (x as Tensor).mul(v as Tensor);
    },
    backward({ saved: [x, v] }, g) {
      // d(x·w)/dw = x summed over the batch; the broken one forgets x.
      const dw = broken ? g.sum(0) : g.mul(x as Tensor).sum(0);
      return [g.mul(v as Tensor), dw];
    },
  });
  return {
    w,
    namedParameters: () => [['w', w]],
    namedBuffers: () => [],
    functionalCall: (state: Readonly<Record<string, Tensor>>, ...inputs: unknown[]) =>
      times(inputs[0] as Tensor, state.w ?? w),
  };
}

describe('toMatchFiniteDifferences', () => {
  const x = randn([4], { generator: new Generator(1) });

  it('passes a correct derivative', () => {
    expect((t: Tensor) => cube(3)(t).sum()).toMatchFiniteDifferences([x]);
  });

  it('fails a wrong derivative with the report as its message', () => {
    let message = '';
    try {
      expect((t: Tensor) => cube(2)(t).sum()).toMatchFiniteDifferences([x]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/the gradient does not match finite differences: 4 of 4 entries are off/);
    // 2x² against 3x² at every element: the report's constant-factor hint says 2/3.
    expect(message).toMatch(/0\.6666667 times the finite difference/);
  });

  it('is negatable', () => {
    expect((t: Tensor) => cube(2)(t).sum()).not.toMatchFiniteDifferences([x]);
  });
});

describe('toHaveCorrectGradients', () => {
  const input = randn([5, 3], { generator: new Generator(2) });

  it('passes a module whose gradients are right', () => {
    expect(scale(false)).toHaveCorrectGradients(input);
  });

  it('fails a wrong parameter gradient with a message naming the parameter and element', () => {
    let message = '';
    try {
      expect(scale(true)).toHaveCorrectGradients(input, { lossFn: (y: Tensor) => y.square().sum() });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^the gradients of 1 of 1 parameter do not match finite differences/);
    expect(message).toMatch(/worst: w\[\d\]: analytic/);
  });

  it('is negatable', () => {
    expect(scale(true)).not.toHaveCorrectGradients(input);
  });
});
