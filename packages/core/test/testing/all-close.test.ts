import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { tensor, value } from '../../src/index';
import { allClose } from '../../src/testing/index';

describe('allClose', () => {
  it('accepts differences within atol + rtol·|expected| and rejects the first one beyond', () => {
    // expected 100, rtol 1e-3, atol 0: allowed |difference| is 0.1.
    expect(allClose(100.09, 100, { rtol: 1e-3, atol: 0 }).pass).toBe(true);
    expect(allClose(100.11, 100, { rtol: 1e-3, atol: 0 }).pass).toBe(false);
    // expected 0: only atol counts.
    expect(allClose(tensor([1e-6], { dtype: 'float64' }), [0], { rtol: 1, atol: 1e-6 }).pass).toBe(true);
    expect(allClose(tensor([2e-6], { dtype: 'float64' }), [0], { rtol: 1, atol: 1e-6 }).pass).toBe(false);
  });

  it('reads Tensors, Values, numbers, nested arrays and typed arrays alike', () => {
    const t = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: 'float64' },
    );
    expect(
      allClose(t, [
        [1, 2],
        [3, 4],
      ]).pass,
    ).toBe(true);
    expect(allClose(t.reshape([4]), new Float64Array([1, 2, 3, 4])).pass).toBe(true);
    expect(allClose(value(0.5), 0.5).pass).toBe(true);
    expect(allClose([0.5, 0.5], 0.5).pass).toBe(true);
    expect(
      allClose(t.T, [
        [1, 3],
        [2, 4],
      ]).pass,
    ).toBe(true);
  });

  it('names the worst element, the counts and both values when it fails', () => {
    const result = allClose(
      tensor(
        [
          [1, 2],
          [3, 4.5],
        ],
        { dtype: 'float64' },
      ),
      [
        [1, 2.001],
        [3, 4],
      ],
      { rtol: 0, atol: 0.01 },
    );
    expect(result.pass).toBe(false);
    expect(result.mismatches).toBe(1);
    expect(result.message).toContain('1 of 4 element(s) differ');
    expect(result.message).toContain('worst at index [1,1]: actual 4.5, expected 4');
    expect(result.message).toContain('actual:   [[1, 2], [3, 4.5]]');
  });

  it('refuses different shapes instead of broadcasting, except for a number expected everywhere', () => {
    const result = allClose(tensor([1, 1]), [[1, 1]]);
    expect(result.pass).toBe(false);
    expect(result.message).toBe('shapes differ: actual [2], expected [1,2]');
    expect(allClose(tensor([1, 1]), 1).pass).toBe(true);
  });

  it('treats NaN as unequal unless equalNaN, and equal infinities as equal', () => {
    expect(allClose([NaN], [NaN]).pass).toBe(false);
    expect(allClose([NaN], [NaN], { equalNaN: true }).pass).toBe(true);
    expect(allClose([Infinity, -Infinity], [Infinity, -Infinity]).pass).toBe(true);
    expect(allClose([Infinity], [-Infinity]).pass).toBe(false);
  });

  it('uses float32 tolerances when either side is float32', () => {
    // 1 + 2e-6 is within float32's default (atol 1e-5) but not float64's (1e-7 + 1e-7).
    expect(allClose(tensor([1 + 2e-6]), [1]).pass).toBe(true);
    expect(allClose(tensor([1 + 2e-6], { dtype: 'float64' }), [1]).pass).toBe(false);
  });

  it('reports unreadable input and bad tolerances in words', () => {
    expect(
      allClose(
        [[1, 2], [3]],
        [
          [1, 2],
          [3, 4],
        ],
      ).message,
    ).toContain('ragged');
    expect(allClose([1], [1], { rtol: -1 }).message).toBe('rtol must be a number ≥ 0, got -1');
  });
});

describe('the toBeAllClose matcher', () => {
  it('passes, fails with the report, and negates', () => {
    expect(tensor([0.1 + 0.2], { dtype: 'float64' })).toBeAllClose([0.3]);
    expect(() => expect(tensor([1, 2])).toBeAllClose([1, 3])).toThrow(/1 of 2 element\(s\) differ/);
    expect(tensor([1, 2])).not.toBeAllClose([1, 3]);
    expect(() => expect(tensor([1, 2])).not.toBeAllClose([1, 2])).toThrow(/not to be all close/);
  });
});
