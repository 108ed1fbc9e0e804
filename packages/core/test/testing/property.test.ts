import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArgumentError, customOp, type Tensor, type Value } from '../../src/index';
import { GradcheckError } from '../../src/testing/index';
import {
  arbBroadcastableShapes,
  arbTensor,
  arbTensors,
  arbValue,
  gradientProperty,
} from '../../src/testing/properties';

/** Swish with a wrong backward: the "1 +" of σ(x)(1 + x(1 - σ(x))) is missing. */
const brokenSwish = customOp({
  name: 'brokenSwish',
  forward(ctx, x) {
    ctx.save(x);
    return x.mul(x.sigmoid());
  },
  backward({ saved: [x] }, g) {
    const s = x!.sigmoid();
    return g.mul(s.mul(x!.mul(s.neg().add(1))));
  },
});

/** sin with a right first derivative that is cut from the graph, so its second derivative is lost. */
const sinDetached = customOp({
  name: 'sinDetached',
  forward(ctx, x) {
    ctx.save(x);
    return x.sin();
  },
  backward: ({ saved: [x] }, g) => g.mul(x!.detach().cos()),
});

describe('gradientProperty', () => {
  it('holds for a correct layer, one arbitrary per argument', () => {
    const layer = (x: Tensor, w: Tensor) => x.matmul(w).tanh();
    expect(() =>
      fc.assert(gradientProperty(layer, [arbTensor({ shape: [2, 3] }), arbTensor({ shape: [3, 4] })]), { numRuns: 30 }),
    ).not.toThrow();
  });

  it('takes one arbitrary of the whole argument list', () => {
    expect(() =>
      fc.assert(
        gradientProperty((a: Tensor, b: Tensor) => a.mul(b).sin(), arbTensors(arbBroadcastableShapes(2))),
        { numRuns: 30 },
      ),
    ).not.toThrow();
  });

  it('checks functions of Values', () => {
    expect(() =>
      fc.assert(
        gradientProperty((a: Value, b: Value) => a.mul(b).tanh(), [arbValue(), arbValue()]),
        { numRuns: 30 },
      ),
    ).not.toThrow();
  });

  it('fails for a wrong backward, shrinking to a small counterexample with the report as the cause', () => {
    const result = fc.check(
      gradientProperty((x: Tensor) => brokenSwish(x), [arbTensor()]),
      { seed: 42 },
    );
    expect(result.failed).toBe(true);
    const [[x]] = result.counterexample!;
    // Wrong everywhere but where x·σ(x)(1-σ(x)) happens to equal the right value: the shrinker ends at one element.
    expect(x.size).toBe(1);
    expect(result.errorInstance).toBeInstanceOf(GradcheckError);
    expect((result.errorInstance as GradcheckError).report.worst!.input).toBe(0);
  });

  it('shows the shrunk tensors as code in the message of fc.assert', () => {
    let message = '';
    try {
      fc.assert(
        gradientProperty((x: Tensor) => brokenSwish(x), [arbTensor()]),
        { seed: 42 },
      );
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/Counterexample: \[\[tensor\(.*, \{ dtype: 'float64' \}\)\]\]/);
  });

  it('checks second derivatives only when asked', () => {
    const property = (secondOrder: boolean) =>
      gradientProperty((x: Tensor) => sinDetached(x), [arbTensor({ min: 0.5, max: 2 })], { secondOrder });
    expect(fc.check(property(false), { numRuns: 20 }).failed).toBe(false);
    const result = fc.check(property(true), { numRuns: 20 });
    expect(result.failed).toBe(true);
    expect((result.errorInstance as GradcheckError).report.order).toBe(2);
  });

  it('refuses something that is not a list of arbitraries', () => {
    expect(() => gradientProperty((x: Tensor) => x, [1] as unknown as [fc.Arbitrary<Tensor>])).toThrow(ArgumentError);
  });
});
