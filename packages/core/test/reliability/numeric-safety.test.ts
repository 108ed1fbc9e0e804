/**
 * Numeric safety of the ops whose naive formulas overflow: sigmoid,
 * softplus, logsumexp, softmax and logSoftmax at ±1e4 (and at the tails in
 * between), in float32 and float64. Values and gradients must be finite
 * wherever the mathematical ones are, and match float64 references written
 * out below in closed form (each checked once against the values PyTorch
 * 1.13 prints in float64, quoted beside it). Then the IEEE cases chainrule
 * passes through as PyTorch does: log(0), x/0, 0/0, pow(0, negative), with
 * their gradients.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { div, log, pow, tensor, type FloatDType, type Tensor } from '../../src/index';

// ---- float64 references, by their closed forms ----------------------------

/** σ(x) without overflow: e^{-|x|} is at most 1. */
const sigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
/** σ'(x) = e^{-|x|} / (1 + e^{-|x|})², which has no 1 - σ cancellation. */
const sigmoidGrad = (x: number) => Math.exp(-Math.abs(x)) / (1 + Math.exp(-Math.abs(x))) ** 2;
/** log(1 + eˣ) = max(x, 0) + log1p(e^{-|x|}). */
const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logsumexp = (row: readonly number[]) => {
  const m = Math.max(...row);
  return m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
};
/** e^{x-m} / Σ e^{x-m}: not e^{x - logsumexp x}, which rounds logsumexp to the precision of 1e4 first. */
const softmax = (row: readonly number[]) => {
  const m = Math.max(...row);
  const total = row.reduce((s, v) => s + Math.exp(v - m), 0);
  return row.map((v) => Math.exp(v - m) / total);
};
const logSoftmax = (row: readonly number[]) => {
  const m = Math.max(...row);
  const lse = Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - m - lse);
};
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
/** d/dx Σ wᵢ softmax(x)ᵢ = s ⊙ (w - Σ wⱼ sⱼ). */
const softmaxGrad = (row: readonly number[], w: readonly number[]) => {
  const s = softmax(row);
  const ws = sum(s.map((v, i) => v * (w[i] as number)));
  return s.map((v, i) => v * ((w[i] as number) - ws));
};
/** d/dx Σ wᵢ logSoftmax(x)ᵢ = w - softmax(x) Σ w. */
const logSoftmaxGrad = (row: readonly number[], w: readonly number[]) =>
  softmax(row).map((v, i) => (w[i] as number) - v * sum(w));

const xs = [-1e4, -20, -1, 0, 1, 20, 1e4];
const rows = [
  [1e4, 1e4 - 1, 1e4 - 2],
  [-1e4, -1e4 + 1, -1e4 + 2],
  [1e4, -1e4, 0],
];
const weights = [
  [1, -2, 0.5],
  [0.25, 1, -1],
  [2, 1, -3],
];

describe('the references agree with PyTorch 1.13 (float64)', () => {
  it('at the tails and at ±1e4', () => {
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-15 * Math.abs(b));
    // torch.sigmoid / its gradient / softplus at -20 and 20
    close(sigmoid(-20), 2.0611536181902037e-9);
    close(sigmoid(20), 0.9999999979388463);
    close(sigmoidGrad(-20), 2.0611536139418496e-9);
    close(softplus(-20), 2.061153620314381e-9);
    close(softplus(20), 20.000000002061153);
    // torch.logsumexp / log_softmax / softmax of the rows above
    close(logsumexp(rows[0] as number[]), 10000.407605964445);
    close(logsumexp(rows[1] as number[]), -9997.592394035555);
    close((logSoftmax(rows[0] as number[]) as number[])[2] as number, -2.4076059644443806);
    close((softmax(rows[1] as number[]) as number[])[2] as number, 0.6652409557748218);
    close((logSoftmaxGrad(rows[0] as number[], weights[0] as number[]) as number[])[0] as number, 1.332620477887411);
    close((softmaxGrad(rows[1] as number[], weights[1] as number[]) as number[])[2] as number, -0.40047183466063246);
  });
});

/**
 * Each element within rtol of its reference, or within atol of the largest
 * reference value: sigmoid's gradient is σ(1 - σ) from the output, as in
 * PyTorch, whose error is a rounding of 1 (absolute), not of σ' (relative).
 */
function expectMatches(t: Tensor, expected: readonly number[], dtype: FloatDType, what: string): void {
  const largest = Math.max(...expected.map(Math.abs));
  const [rtol, atol] = dtype === 'float64' ? [1e-13, 1e-15 * largest] : [1e-6, 1e-7 * largest];
  // The references are finite, so a non-finite element is a mismatch too.
  expect(t.data(), what).toBeAllClose(expected, { rtol, atol });
}

describe.each(['float32', 'float64'] as const)('stable at ±1e4 in %s', (dtype) => {
  const vector = () => tensor(xs, { dtype, requiresGrad: true });
  const matrix = () => tensor(rows, { dtype, requiresGrad: true });
  const w = () => tensor(weights, { dtype });

  it('sigmoid: values and gradients', () => {
    const x = vector();
    const y = x.sigmoid();
    y.sum().backward();
    expectMatches(y, xs.map(sigmoid), dtype, 'sigmoid');
    expectMatches(x.grad as Tensor, xs.map(sigmoidGrad), dtype, 'sigmoid grad');
  });

  it('softplus: values (1e4 itself at 1e4) and gradients σ(x)', () => {
    const x = vector();
    const y = x.softplus();
    y.sum().backward();
    expectMatches(y, xs.map(softplus), dtype, 'softplus');
    expectMatches(x.grad as Tensor, xs.map(sigmoid), dtype, 'softplus grad');
  });

  it('logsumexp over rows at ±1e4: values, and gradients softmax(x) weighted by the output weights', () => {
    const x = matrix();
    const y = x.logsumexp(-1);
    const v = [1, -2, 0.5];
    y.mul(tensor(v, { dtype })).sum().backward();
    expectMatches(y, rows.map(logsumexp), dtype, 'logsumexp');
    expectMatches(
      x.grad as Tensor,
      rows.flatMap((r, i) => softmax(r).map((s) => s * (v[i] as number))),
      dtype,
      'logsumexp grad',
    );
  });

  it('softmax: values and gradients of Σ w·softmax', () => {
    const x = matrix();
    const y = x.softmax(-1);
    y.mul(w()).sum().backward();
    expectMatches(y, rows.flatMap(softmax), dtype, 'softmax');
    expectMatches(
      x.grad as Tensor,
      rows.flatMap((r, i) => softmaxGrad(r, weights[i] as number[])),
      dtype,
      'softmax grad',
    );
  });

  it('logSoftmax: values (to the precision of the result, not of 1e4) and gradients of Σ w·logSoftmax', () => {
    const x = matrix();
    const y = x.logSoftmax(-1);
    y.mul(w()).sum().backward();
    expectMatches(y, rows.flatMap(logSoftmax), dtype, 'logSoftmax');
    expectMatches(
      x.grad as Tensor,
      rows.flatMap((r, i) => logSoftmaxGrad(r, weights[i] as number[])),
      dtype,
      'logSoftmax grad',
    );
  });

  it('the primitive twin overflows where the fused op does not (why the stable forms exist)', () => {
    // log(1 + eˣ) at 1e4: e^1e4 is Infinity in both dtypes.
    expect(tensor([1e4], { dtype }).exp().add(1).log().item()).toBe(Infinity);
    expect(tensor([1e4], { dtype }).softplus().item()).toBe(1e4);
  });
});

describe('IEEE results passed through as in PyTorch (values and gradients printed by PyTorch 1.13, both dtypes)', () => {
  const same = (t: Tensor | null, expected: number[]) => expect(Array.from((t as Tensor).data())).toEqual(expected);

  it.each(['float32', 'float64'] as const)(
    'log(0) = -Infinity with gradient +Infinity; log(-1) = NaN (%s)',
    (dtype) => {
      const x = tensor([0, 1, -1], { dtype, requiresGrad: true });
      const y = log(x);
      y.sum().backward();
      same(y, [-Infinity, 0, NaN]);
      same(x.grad, [Infinity, 1, -1]);
    },
  );

  it.each(['float32', 'float64'] as const)(
    'x/0 = ±Infinity by the signs, 0/0 = NaN, with their gradients (%s)',
    (dtype) => {
      const a = tensor([1, -1, 0, 2], { dtype, requiresGrad: true });
      const b = tensor([0, 0, 0, -0], { dtype, requiresGrad: true });
      const y = div(a, b);
      y.sum().backward();
      same(y, [Infinity, -Infinity, NaN, -Infinity]);
      // d/da = 1/b, d/db = -a/b²
      same(a.grad, [Infinity, Infinity, Infinity, -Infinity]);
      same(b.grad, [-Infinity, Infinity, NaN, -Infinity]);
    },
  );

  it.each(['float32', 'float64'] as const)(
    'pow(0, negative) = Infinity (pow(-0, -1) = -Infinity), pow(0, 0) = 1, with their gradients (%s)',
    (dtype) => {
      const a = tensor([0, 0, 0, 0], { dtype, requiresGrad: true });
      const b = tensor([-1, -2, -0.5, 0], { dtype, requiresGrad: true });
      const y = pow(a, b);
      y.sum().backward();
      same(y, [Infinity, Infinity, Infinity, 1]);
      // d/da = b·a^(b-1) (0 where b = 0), d/db = aᵇ·ln a (0 where a = 0 and b ≥ 0)
      same(a.grad, [-Infinity, -Infinity, -Infinity, 0]);
      same(b.grad, [-Infinity, -Infinity, -Infinity, 0]);
      same(pow(tensor([-0], { dtype }), -1), [-Infinity]);
    },
  );
});
