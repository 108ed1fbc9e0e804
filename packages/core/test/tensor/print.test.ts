/**
 * What `String(t)`, `console.log(t)` and `util.inspect(t)` show: PyTorch
 * 1.13's repr. The expected strings in fixtures/print.json are what PyTorch
 * printed for the same tensors (fixtures/print.py made them; it says which
 * suffixes chainrule renames), so these tests need no Python.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { arange, ones, tensor, value, zeros, type Tensor } from '../../src/index';
import printed from './fixtures/print.json';

/** The same tensors print.py builds with torch, under the same names. */
const cases: Record<string, () => Tensor> = {
  matrix: () =>
    tensor([
      [1, 2],
      [3, 4],
    ]),
  decimals: () => tensor([1.5, 2, -0.25]),
  scalar: () => tensor(3),
  scalarDecimal: () => tensor(-2.5),
  float64: () => tensor([0.1, 0.2], { dtype: 'float64' }),
  int32: () => tensor(new Int32Array([1, -20, 300])),
  bool: () => tensor([true, false, true]),
  requiresGrad: () => tensor([1, 2], { requiresGrad: true }),
  gradFn: () => tensor([1, 2], { requiresGrad: true }).mul(2),
  float64RequiresGrad: () => tensor([1, 2], { dtype: 'float64', requiresGrad: true }),
  suffixOnNewLine: () => tensor([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5], { requiresGrad: true }),
  empty: () => zeros([0, 3]),
  empty1d: () => zeros([0]),
  emptyInt32: () => zeros([2, 0], { dtype: 'int32' }),
  tiny: () => tensor([1e-6, 1]),
  huge: () => tensor([1e9, 1.5]),
  wideWholeNumbers: () => tensor([1, 5000]),
  zerosAndTens: () => tensor([0, 10, -0]),
  nonFinite: () => tensor([NaN, Infinity, -Infinity]),
  nonFiniteMixed: () => tensor([1.5, NaN, -Infinity]),
  negativeScientific: () => tensor([-1e-5, 2, -300]),
  tiesToEven: () => tensor([1.03125, 2]),
  scientificTie: () => tensor([1, 123445]),
  transposed: () => arange(6).reshape([2, 3]).T,
  rank3: () => arange(12).reshape([2, 2, 3]),
  rowsWrap: () => arange(40).reshape([2, 20]).div(3),
  lineWrap: () => arange(30).div(4),
  summary1d: () => arange(2000),
  summary2d: () => arange(1200).reshape([40, 30]).div(7),
  // Only the printed elements set the notation: the smallest printed magnitude is 2800, not 1.
  summary3d: () => arange(8000).reshape([20, 20, 20]).sub(4000),
  summaryInt32: () => arange(1001, undefined, 1, { dtype: 'int32' }),
  hugeBroadcastView: () => ones([1]).expand([2 ** 31 - 1]),
};

describe('toString prints what PyTorch 1.13 prints', () => {
  it('has a chainrule tensor for every case print.py printed, and no other', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(printed).sort());
  });

  for (const [name, { expected }] of Object.entries(printed)) {
    it(name, () => {
      const make = cases[name];
      if (make === undefined) throw new Error(`print.json has '${name}', which cases does not build`);
      expect(String(make())).toBe(expected);
    });
  }
});

describe('console.log and util.inspect', () => {
  it('show the printed values, not storage or graph fields', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    expect(inspect(x)).toBe('tensor([[1., 2.],\n        [3., 4.]], requiresGrad=true)');
    expect(inspect(x)).not.toContain('storage');
    expect(inspect(x)).not.toContain('_leafNode');
  });

  it('use the same text inside objects and arrays', () => {
    expect(inspect({ w: tensor([1.5]) })).toBe('{ w: tensor([1.5000]) }');
    expect(inspect([tensor(2)])).toBe('[ tensor(2.) ]');
  });

  it('print a Value as its data and grad, and its label when set', () => {
    expect(inspect(value(2))).toBe('Value(data=2, grad=0)');
    expect(String(value(0.5, { label: 'w' }))).toBe('Value(data=0.5, grad=0, label=w)');
  });
});

describe('printing reads only the elements it prints', () => {
  it('prints a 2³¹-element broadcast view without visiting its elements', () => {
    // Before: toString() scanned every element of the view (23 s); six reads take microseconds.
    const view = ones([1]).expand([2 ** 31 - 1]);
    const start = performance.now();
    expect(String(view)).toBe('tensor([1., 1., 1.,  ..., 1., 1., 1.])');
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('prints the 6⁷ edge elements of a rank-7 summary (more than a call can take as arguments)', () => {
    const text = String(ones([1]).expand([7, 7, 7, 7, 7, 7, 7]));
    expect(text.startsWith('tensor([[[[[[[1., 1., 1.,  ..., 1., 1., 1.],\n')).toBe(true);
    expect(text.endsWith('[1., 1., 1.,  ..., 1., 1., 1.]]]]]]])')).toBe(true);
  }, 20_000);

  it('sizes its columns from the printed elements only, as PyTorch does', () => {
    // 1e9 sits in the middle that the summary leaves out, so it does not force scientific notation.
    const t = zeros([2001]).add(1.5);
    t.buffer[1000] = 1e9;
    expect(String(t)).toBe('tensor([1.5000, 1.5000, 1.5000,  ..., 1.5000, 1.5000, 1.5000])');
  });
});
