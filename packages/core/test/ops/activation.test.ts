/**
 * softmax and logSoftmax: values by hand, any axis, and stability for inputs
 * like ±1000 where a naive exp overflows to Infinity or underflows to 0.
 */
import { describe, expect, it } from 'vitest';
import { IndexError, logSoftmax, softmax, tensor } from '../../src/index';
import { expectClose } from '../tensor/expect-close';

const f64 = (data: number[] | number[][]) => tensor(data, { dtype: 'float64' });

describe('softmax', () => {
  it('along the last axis by default: [0, ln 3] → [1/4, 3/4]', () => {
    expectClose(f64([0, Math.log(3)]).softmax(), [0.25, 0.75], { rtol: 1e-12 });
    expectClose(
      softmax(
        f64([
          [0, 0],
          [0, Math.log(3)],
        ]),
      ),
      [
        [0.5, 0.5],
        [0.25, 0.75],
      ],
      { rtol: 1e-12 },
    );
  });

  it('along another axis (columns sum to 1)', () => {
    expectClose(
      f64([
        [0, 0],
        [Math.log(3), 0],
      ]).softmax(0),
      [
        [0.25, 0.5],
        [0.75, 0.5],
      ],
      { rtol: 1e-12 },
    );
  });

  it('is stable for 1000 and -1000', () => {
    // e¹⁰⁰⁰ overflows a double; shifting by the max first gives the exact answer.
    expectClose(tensor([1000, 1000, -1000]).softmax(), [0.5, 0.5, 0]);
    expectClose(tensor([-1000, -1000]).softmax(), [0.5, 0.5]);
    // 1000 vs 1000 + ln 3 is the [0, ln 3] case again.
    expectClose(f64([1000, 1000 + Math.log(3)]).softmax(), [0.25, 0.75], { rtol: 1e-12 });
  });

  it('its gradient: for L = Σ w·softmax(x), dL/dx = s ⊙ (w - Σ w·s)', () => {
    // At x = [0, ln 3], s = [1/4, 3/4]; w = [1, 0]: Σ w·s = 1/4,
    // dL/dx = [1/4·(1 - 1/4), 3/4·(0 - 1/4)] = [3/16, -3/16].
    const x = f64([0, Math.log(3)]).requireGrad();
    x.softmax()
      .mul(f64([1, 0]))
      .sum()
      .backward();
    expectClose(x.grad, [3 / 16, -3 / 16], { rtol: 1e-12 });
  });

  it('a row of -Infinity gives NaN, as in PyTorch', () => {
    expect(Array.from(tensor([-Infinity, -Infinity]).softmax().data()).every(Number.isNaN)).toBe(true);
  });

  it('refuses a bad axis', () => {
    expect(() => tensor([1, 2]).softmax(1)).toThrow(IndexError);
    expect(() => tensor([1, 2]).softmax(1)).toThrow(/^softmax: axis 1 is out of range/);
  });
});

describe('logSoftmax', () => {
  it('is x - logsumexp(x): [0, ln 3] → [ln 1/4, ln 3/4]', () => {
    expectClose(f64([0, Math.log(3)]).logSoftmax(), [Math.log(0.25), Math.log(0.75)], { rtol: 1e-12 });
  });

  it('is exact where softmax underflows to 0', () => {
    // softmax([1000, 0]) = [1, e⁻¹⁰⁰⁰ → 0]; log of that would be -Infinity, the exact value is -1000.
    expectClose(tensor([1000, 0]).logSoftmax(), [0, -1000]);
    expectClose(
      f64([
        [-1000, 0],
        [0, 0],
      ]).logSoftmax(1),
      [
        [-1000, 0],
        [-Math.LN2, -Math.LN2],
      ],
      { rtol: 1e-12 },
    );
  });

  it('its gradient for L = Σ w·logSoftmax(x) is w - (Σ w)·softmax(x)', () => {
    // w = [1, 0], s = [1/4, 3/4]: [1 - 1/4, -3/4].
    const x = f64([0, Math.log(3)]).requireGrad();
    logSoftmax(x)
      .mul(f64([1, 0]))
      .sum()
      .backward();
    expectClose(x.grad, [0.75, -0.75], { rtol: 1e-12 });
  });

  it('refuses a bad axis', () => {
    expect(() => tensor([[1, 2]]).logSoftmax(-3)).toThrow(IndexError);
  });
});
