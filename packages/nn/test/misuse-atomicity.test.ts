/**
 * Regression tests for issue 25 ("correct under misuse"), the nn part of
 * "updates that cannot fail half-way". A parameter made from an expanded
 * view (`ones([1]).expand([3])`: three elements, one memory location) used
 * to be accepted by parameter(); loadStateDict then copied the parameters
 * before it and threw on it, again on every retry. Now parameter() refuses
 * it, and loadStateDict checks every target before the first copy.
 * Compared bit for bit (test/support/bit-snapshot.ts).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Tensor, ones, tensor, zeros } from '@chainrule/core';
import { Module, isParameter, parameter } from '../src/index';
import { bitsOf } from '../../../test/support/bit-snapshot';

class TwoParams extends Module {
  readonly a = parameter(tensor([1, 2], { dtype: 'float64' }));
  readonly b: Tensor;
  constructor(b: Tensor) {
    super();
    this.b = parameter(b);
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.a).sum().add(this.b.sum());
  }
}

describe('parameter()', () => {
  it('refuses an expanded view, naming what to do, and leaves the tensor as it was', () => {
    const view = ones([1], { dtype: 'float64' }).expand([3]);
    let error: unknown;
    try {
      parameter(view);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toMatch(
      /^parameter: the tensor is an expanded view of shape \[3\] \(strides \[0\]\) whose elements share memory, so it cannot be updated in place; use a clone\(\) of it$/,
    );
    expect(view.requiresGrad).toBe(false);
    expect(isParameter(view)).toBe(false);
  });

  it("refuses an int32 tensor with a DTypeError of its own (not the requiresGrad setter's)", () => {
    expect(() => parameter(zeros([2], { dtype: 'int32' }))).toThrow(DTypeError);
    expect(() => parameter(zeros([2], { dtype: 'int32' }))).toThrow(
      /^parameter: the tensor is int32; only float32 and float64 tensors can be updated in place$/,
    );
  });

  it('accepts a clone of the view, and an expanded view with no elements (nothing shares memory)', () => {
    expect(isParameter(parameter(ones([1]).expand([3]).clone()))).toBe(true);
    expect(isParameter(parameter(zeros([1, 0]).expand([3, 0])))).toBe(true);
  });
});

describe('loadStateDict with a parameter that cannot be written', () => {
  it('cannot arise: the module holding it is refused at construction, before any load could change its other parameter', () => {
    expect(() => new TwoParams(ones([1], { dtype: 'float64' }).expand([3]))).toThrow(
      /^parameter: the tensor is an expanded view/,
    );
  });

  it('a valid load into the same module with a writable b copies every value (so the case above fails only by its view)', () => {
    const model = new TwoParams(zeros([3], { dtype: 'float64' }));
    const before = model.parameters().map(bitsOf);
    model.loadStateDict({ a: tensor([5, 6], { dtype: 'float64' }), b: tensor([7, 8, 9], { dtype: 'float64' }) });
    expect(model.parameters().map(bitsOf)).not.toEqual(before);
    expect(Array.from(model.b.data())).toEqual([7, 8, 9]);
  });
});
