/**
 * In-place updates of a tensor with no elements. Its row-major strides can
 * hold a 0 beside an axis longer than 1 ([3, 0] has strides [0, 1]), which
 * the check for expanded views used to mistake for shared elements, so
 * initializers refused to fill a [3, 0] weight.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, copyFrom, fill, ones, zeros } from '../../src/index';

describe('in-place updates of empty tensors', () => {
  it('copyFrom and fill accept a [3, 0] target and leave it empty', () => {
    const t = zeros([3, 0]);
    expect(() => copyFrom(t, zeros([3, 0]))).not.toThrow();
    expect(() => fill(t, 1)).not.toThrow();
    expect(t.shape).toEqual([3, 0]);
  });

  it('an expanded view with elements is still refused', () => {
    expect(() => fill(ones([1, 2]).expand([3, 2]), 0)).toThrow(ArgumentError);
  });
});
