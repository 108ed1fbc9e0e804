/**
 * The cumulative, sorting and search ops against PyTorch 1.13: values,
 * indices (which of several equal elements PyTorch reports) and gradients,
 * from fixtures/sort-cumulative.json (made by fixtures/sort-cumulative.py,
 * which says how). Every case also runs on a strided view of its input for
 * rank ≥ 2. The hand-derived tests below pin what the fixture cannot: NaN in
 * unique (PyTorch 1.13 gets it wrong), first-appearance order, errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ArgumentError, IndexError, ShapeError, Tensor, tensor, type DType } from '../../src/index';
import { opTables } from '../../src/ops/tables';
import { scan } from '../../src/ops/cumulative';
import { assertGradcheck, assertGradgradcheck } from '../../src/testing/index';

interface Encoded {
  shape: number[];
  dtype: 'float32' | 'float64' | 'int32' | 'int64' | 'bool';
  data: (number | 'nan' | 'inf' | '-inf')[];
}

interface Case {
  name: string;
  op: string;
  input: number;
  second?: number;
  args: Record<string, number | boolean | string>;
  cotangent?: Encoded;
  expected: Record<string, Encoded>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/sort-cumulative.json', import.meta.url), 'utf8')) as {
  inputs: Encoded[];
  cases: Case[];
};

const decode = (v: Encoded['data'][number]): number =>
  v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v;

function build(e: Encoded, requiresGrad = false): Tensor {
  const dtype: DType = e.dtype === 'int64' ? 'int32' : e.dtype;
  const data = e.data.map(decode);
  const array =
    dtype === 'float64'
      ? Float64Array.from(data)
      : dtype === 'float32'
        ? Float32Array.from(data)
        : dtype === 'int32'
          ? Int32Array.from(data)
          : Uint8Array.from(data);
  return tensor(array, { shape: e.shape, dtype, requiresGrad });
}

/** The same values as x in a non-contiguous layout (rank ≥ 2): stored transposed, read back through a transpose. */
function stridedCopy(x: Tensor): Tensor {
  return core.noGrad(() => x.transpose(0, -1).contiguous().transpose(0, -1)).requireGrad(x.requiresGrad);
}

/** One unit in the last place of |v| in `dtype` (v ≠ 0 below the normal range counts as the smallest normal). */
function ulpOf(v: number, dtype: DType): number {
  const tiny = dtype === 'float32' ? 2 ** -126 : 2 ** -1022;
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  return 2 ** Math.floor(Math.log2(Math.max(Math.abs(v), tiny))) * eps;
}

/** |a - b| in ulps of `scale` (of the larger of a and b when scale is 0); 0 when equal, NaN with NaN included. */
function ulps(a: number, b: number, dtype: DType, scale = 0): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / ulpOf(scale === 0 ? Math.max(Math.abs(a), Math.abs(b)) : scale, dtype);
}

type Result = Tensor | { values?: Tensor; indices?: Tensor; inverse?: Tensor; counts?: Tensor };

function run(c: Case, x: Tensor, second: Tensor | undefined): Result {
  const a = c.args;
  const axis = a['axis'] as number;
  switch (c.op) {
    case 'cumsum':
    case 'cumprod':
    case 'logcumsumexp':
      return core[c.op](x, axis);
    case 'cummax':
    case 'cummin':
      return core[c.op](x, axis);
    case 'sort':
      return core.sort(x, axis, { descending: a['descending'] as boolean, stable: a['stable'] as boolean });
    case 'argsort':
      return core.argsort(x, axis, { descending: a['descending'] as boolean, stable: a['stable'] as boolean });
    case 'topk':
      return core.topk(x, a['k'] as number, axis, { largest: a['largest'] as boolean, sorted: a['sorted'] as boolean });
    case 'kthvalue':
      return core.kthvalue(x, a['k'] as number, axis, a['keepDims'] as boolean);
    case 'median':
      return axis === undefined ? core.median(x) : core.median(x, axis, a['keepDims'] as boolean);
    case 'mode':
      return core.mode(x, axis, a['keepDims'] as boolean);
    case 'unique':
      return core.unique(x, a as core.UniqueOptions);
    case 'searchsorted':
      return core.searchsorted(x, second as Tensor, a as core.SearchsortedOptions);
    case 'bucketize':
      return core.bucketize(x, second as Tensor, a as { right?: boolean });
    default:
      throw new Error(`no runner for ${c.op}`);
  }
}

/** Our dtype for a result PyTorch gave in `torchType` (int64 indices are int32 here; integer running sums are float32). */
function ourDType(c: Case, key: string): DType {
  const e = c.expected[key] as Encoded;
  // chainrule has no int64: PyTorch's int64 results (indices, and integer running sums and products) are int32 here.
  return e.dtype !== 'int64' ? e.dtype : 'int32';
}

/** How far values may be from PyTorch's, in ulps of their dtype: log1p/exp of V8 and of glibc may differ by one. */
const valueUlps: Record<string, number> = { logcumsumexp: 2 };

/**
 * How far gradients may be from PyTorch's, in ulps of the largest one. Selections scatter and must match
 * exactly. cumprod's formula here has no division (PyTorch's divides by x): other roundings. Both
 * logcumsumexp formulas work through exp(x - out), which carries the absolute error of out, about |x|·eps:
 * at x = 1000 PyTorch's is 2e-13 from the exact value (ours 5e-14, both checked in 60-digit arithmetic).
 */
function gradUlps(op: string, x: Tensor): number {
  if (op === 'cumsum') return 4;
  if (op === 'cumprod') return 64;
  if (op !== 'logcumsumexp') return 0;
  const finite = Array.from(x.data()).filter(Number.isFinite);
  return 64 * Math.max(1, ...finite.map(Math.abs));
}

/**
 * cumprod with ±Infinity in the input: PyTorch divides by x and returns NaN at every infinite element
 * (and where inf - inf arises in its sums); the recurrence here gives the limit where one exists
 * (d/dx₁ of x₀·x₁·x₂ at [1, ∞, 2] is 2, not NaN). Those gradients are checked by hand below instead.
 */
const gradDiffersOnPurpose = (c: Case) =>
  c.op === 'cumprod' && (fixture.inputs[c.input] as Encoded).data.some((v) => v === 'inf' || v === '-inf');

function compare(label: string, actual: Tensor, expected: Encoded, dtype: DType, tolerance: number, scaled = false) {
  expect(actual.shape, `${label}: shape`).toEqual(expected.shape);
  expect(actual.dtype, `${label}: dtype`).toBe(dtype);
  const got = Array.from(actual.data());
  const want = expected.data.map(decode);
  const scale = scaled ? Math.max(1, ...want.filter(Number.isFinite).map(Math.abs)) : 0;
  let worst = 0;
  got.forEach((g, i) => {
    const w = want[i] as number;
    if (tolerance === 0) {
      // Exact; returned values even keep -0 (sort and cummax return the input's own elements).
      if (!(Object.is(g, w) || (g === w && (scaled || (dtype !== 'float32' && dtype !== 'float64'))))) {
        expect.fail(`${label}: element ${i} is ${g}, PyTorch ${w}`);
      }
      return;
    }
    const d = ulps(g, w, dtype, scale);
    worst = Math.max(worst, d);
    if (!(d <= tolerance)) expect.fail(`${label}: element ${i} is ${g}, PyTorch ${w} (${d} ulps)`);
  });
  return worst;
}

/** The largest ulp distance seen per op, reported once at the end. */
const worstUlps: Record<string, number> = {};

function check(c: Case, strided: boolean): void {
  const input = fixture.inputs[c.input] as Encoded;
  const wantsGrad = c.expected['grad'] !== undefined && !strided && !gradDiffersOnPurpose(c);
  let x = build(input, wantsGrad);
  if (strided) x = stridedCopy(x);
  const second = c.second === undefined ? undefined : build(fixture.inputs[c.second] as Encoded);
  const out = run(c, x, second);
  const parts: Record<string, Tensor | undefined> = out instanceof Tensor ? { values: out } : { ...out };
  const label = `${c.op} ${c.name} ${JSON.stringify(c.args)}${strided ? ' (strided)' : ''}`;
  for (const key of Object.keys(c.expected)) {
    if (key === 'grad') continue;
    // unique(sorted: false) returns values in an unspecified order (PyTorch: a hash table's); checked below.
    if (c.op === 'unique' && c.args['sorted'] === false) continue;
    const actual = parts[key];
    if (actual === undefined) throw new Error(`${label}: no ${key}`);
    const dtype = ourDType(c, key);
    const worst = compare(`${label}: ${key}`, actual, c.expected[key] as Encoded, dtype, valueUlps[c.op] ?? 0);
    worstUlps[`${c.op} ${dtype}`] = Math.max(worstUlps[`${c.op} ${dtype}`] ?? 0, worst);
  }
  if (c.op === 'unique' && c.args['sorted'] === false) checkUnsorted(c, x, parts);
  if (wantsGrad) {
    const values = parts['values'] as Tensor;
    const cot = build(c.cotangent as Encoded);
    values.to('float64').mul(cot).sum().backward();
    const grad = x.grad ?? core.zerosLike(x);
    compare(`${label}: grad`, grad, c.expected['grad'] as Encoded, x.dtype, gradUlps(c.op, x), true);
  }
}

/** Same distinct values with the same counts as PyTorch, and inverse indices that rebuild the input. */
function checkUnsorted(c: Case, x: Tensor, parts: Record<string, Tensor | undefined>): void {
  const values = Array.from((parts['values'] as Tensor).data());
  const counts = Array.from((parts['counts'] as Tensor).data());
  const torchValues = (c.expected['values'] as Encoded).data.map(decode);
  const torchCounts = (c.expected['counts'] as Encoded).data.map(decode);
  const asMap = (v: number[], n: number[]) => new Map(v.map((value, i) => [value, n[i]]));
  expect(asMap(values, counts)).toEqual(asMap(torchValues, torchCounts));
  const inverse = Array.from((parts['inverse'] as Tensor).data());
  // -0 and 0 are one value: compare with ===, not Object.is.
  const data = Array.from(x.data());
  expect(inverse.every((g, i) => values[g] === data[i])).toBe(true);
}

describe('PyTorch 1.13 fixtures', () => {
  const byOp = new Map<string, Case[]>();
  for (const c of fixture.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

  it.each([...byOp.keys()])('%s: values, indices and gradients', (op) => {
    for (const c of byOp.get(op) as Case[]) {
      check(c, false);
      if ((fixture.inputs[c.input] as Encoded).shape.length >= 2) check(c, true);
    }
  });

  it('covers every op of the two tables and the search ops', () => {
    const ops = new Set(fixture.cases.map((c) => c.op));
    const rows = [...Object.keys(opTables.cumulative), ...Object.keys(opTables.sort)].filter((n) => n !== 'linearScan');
    for (const name of [...rows, 'argsort', 'unique', 'searchsorted', 'bucketize']) {
      expect(ops.has(name), name).toBe(true);
    }
  });

  it('reports the largest ulp distance of each op and dtype', () => {
    // Filled by the test above (vitest runs a file's tests in order).
    expect(Object.keys(worstUlps).length).toBeGreaterThan(10);
    console.log('ulps from PyTorch:', JSON.stringify(worstUlps));
  });
});

describe('derived by hand', () => {
  it('unique: each NaN is a value of its own, sorted last (PyTorch 1.13 returns these unsorted)', () => {
    // Sorted ascending with NaN last and equal values adjacent: 1 (positions 2, 4), 3 (0), NaN (1), NaN (3).
    const r = core.unique(tensor([3, Number.NaN, 1, Number.NaN, 1]), { returnInverse: true, returnCounts: true });
    expect(Array.from(r.values.data())).toEqual([1, 3, Number.NaN, Number.NaN]);
    expect(Array.from(r.inverse.data())).toEqual([1, 2, 0, 3, 0]);
    expect(Array.from(r.counts.data())).toEqual([2, 1, 1, 1]);
  });

  it('unique(sorted: false) keeps the order of first appearance', () => {
    const r = tensor([3, 1, 3, 2, 1]).unique({ sorted: false, returnInverse: true, returnCounts: true });
    expect(Array.from(r.values.data())).toEqual([3, 1, 2]);
    expect(Array.from(r.inverse.data())).toEqual([0, 1, 0, 2, 1]);
    expect(Array.from(r.counts.data())).toEqual([2, 2, 1]);
    expect(r.values.requiresGrad).toBe(false);
  });

  it('cumprod: the gradient is the limit at infinite inputs, where PyTorch divides ∞ by ∞', () => {
    // out = [x0, x0·x1, x0·x1·x2]; with g = 1: d/dx0 = 1 + x1 + x1·x2 = ∞, d/dx1 = x0 + x0·x2 = 3,
    // d/dx2 = x0·x1 = ∞. PyTorch: [inf, nan, inf].
    const x = tensor([1, Infinity, 2], { dtype: 'float64', requiresGrad: true });
    x.cumprod(0).sum().backward();
    expect(Array.from(x.grad!.data())).toEqual([Infinity, 3, Infinity]);
  });

  it('cumprod: no division, so a gradient does not overflow where its value is finite', () => {
    // d/dx0 = 1 + x1 + x1·x2 = 1e300 + 2, d/dx1 = x0 + x0·x2 = 1e300 + 1, d/dx2 = x0·x1 = 1e600 (overflows).
    // PyTorch's Σ_{j≥k} g_j·out_j / x_k overflows in the sum: [inf, inf, inf].
    const x = tensor([1e300, 1e300, 1e-300], { dtype: 'float64', requiresGrad: true });
    x.cumprod(0).sum().backward();
    expect(Array.from(x.grad!.data())).toEqual([1e300, 1e300, Infinity]);
  });

  it('cumprod: zeros give the exact gradient, at second order too', () => {
    // x = [2, 0, 3]: out = [2, 0, 0]. With g = [1, 1, 1]: d/dx0 = 1 + x1 + x1·x2 = 1, d/dx1 = x0 + x0·x2 = 8,
    // d/dx2 = x0·x1 = 0. d/dx1 of d/dx1 = 0; d/dx0 of d/dx1 = 1 + x2 = 4; d/dx2 of d/dx1 = x0 = 2.
    const x = tensor([2, 0, 3], { dtype: 'float64', requiresGrad: true });
    const [g] = core.gradients(x.cumprod(0).sum(), [x], { createGraph: true });
    expect(Array.from(g!.data())).toEqual([1, 8, 0]);
    const [h] = core.gradients(g!.slice(0, 1, 2).sum(), [x]);
    expect(Array.from(h!.data())).toEqual([4, 0, 2]);
  });

  it('logcumsumexp: no overflow at large inputs, and as accurate as the output allows', () => {
    // out = [1000, 1000 + ln 2]; with g = 1: d/dx0 = e⁰ + e^(1000 - 1000 - ln 2) = 1.5, d/dx1 = e^(-ln 2) = 0.5
    // (e^1000 itself overflows). out₁ is rounded to the ulp of 1000 (2⁻⁴³ ≈ 1.1e-13), and exp(x - out) keeps
    // that absolute error as a relative one: 4·1000·eps allows for it.
    const x = tensor([1000, 1000], { dtype: 'float64', requiresGrad: true });
    const out = x.logcumsumexp(0);
    expect(Array.from(out.data())).toEqual([1000, 1000 + Math.LN2]);
    out.sum().backward();
    expect(x.grad).toBeAllClose([1.5, 0.5], { rtol: 4 * 1000 * 2 ** -52, atol: 0 });
  });

  it('the linear scan behind those gradients is differentiable twice, in both directions', () => {
    const a = core.randn([3, 4], { dtype: 'float64' });
    const b = core.randn([3, 4], { dtype: 'float64' });
    for (const reverse of [false, true]) {
      for (const axis of [0, 1]) {
        const f = (p: Tensor, q: Tensor) => scan(p, q, axis, reverse);
        assertGradcheck(f, [a, b]);
        assertGradgradcheck(f, [a, b]);
      }
    }
  });

  it('values are a graph node named after the op; indices are int32 without a gradient', () => {
    const x = tensor([3, 1, 2], { requiresGrad: true });
    for (const [name, r] of [
      ['sort', x.sort()],
      ['topk', x.topk(2)],
      ['kthvalue', x.kthvalue(2)],
      ['median', x.median(0)],
      ['mode', x.mode()],
      ['cummax', x.cummax(0)],
      ['cummin', x.cummin(0)],
    ] as const) {
      expect(r.values.gradFn?.name, name).toBe(name);
      expect(r.indices.dtype).toBe('int32');
      expect(r.indices.requiresGrad).toBe(false);
    }
    expect(x.argsort().requiresGrad).toBe(false);
  });

  it('keeps integer and bool dtypes where it picks elements, and gives int32 running sums (PyTorch: int64)', () => {
    const i = tensor(new Int32Array([3, 1, 2]));
    expect(i.sort().values.dtype).toBe('int32');
    expect(i.cummax(0).values.dtype).toBe('int32');
    expect(i.cumsum(0).dtype).toBe('int32');
    const bools = tensor([true, false, true]).cumsum(0);
    expect([bools.dtype, Array.from(bools.data())]).toEqual(['int32', [1, 1, 2]]);
  });
});

describe('refusals', () => {
  const m = () => core.zeros([2, 5]);
  const refuses = (f: () => unknown, type: new (...args: never[]) => Error, message: string) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  };

  it('names the op, the value and what would be accepted', () => {
    refuses(
      () => core.topk(m(), 7, 1),
      ArgumentError,
      'topk: k 7 is out of range for axis 1 with size 5 (expected 0..5)',
    );
    refuses(
      () => m().kthvalue(0, 1),
      ArgumentError,
      'kthvalue: k 0 is out of range for axis 1 with size 5 (expected 1..5)',
    );
    refuses(() => m().topk(1.5), ArgumentError, 'topk: k must be an integer, got 1.5');
    refuses(
      () => m().cumsum(2),
      IndexError,
      'cumsum: axis 2 is out of range for a tensor of rank 2 (expected -2 to 1)',
    );
    refuses(
      () => core.zeros([0, 3]).median(0),
      ShapeError,
      'median: cannot take the median over axis 0 of size 0 in shape [0,3]',
    );
    refuses(() => core.zeros([3, 0]).mode(1), ShapeError, 'mode: cannot take the mode over axis 1 of size 0');
    refuses(
      () => m().sort(0, { descend: true } as never),
      ArgumentError,
      "sort: unknown option 'descend'; accepted: descending, stable",
    );
    refuses(
      () => m().topk(1, 0, { largest: 'yes' } as never),
      ArgumentError,
      "topk: option 'largest' must be true or false",
    );
    refuses(() => core.median(m(), undefined as never, true), ArgumentError, 'median: keepDims needs an axis');
  });

  it('unique: axes it cannot use', () => {
    refuses(() => tensor(3).unique({ axis: 0 }), IndexError, 'unique: a 0-d tensor has no axis 0');
    refuses(() => core.zeros([3, 0]).unique({ axis: 0 }), ShapeError, 'unique: cannot compare slices along axis 0');
  });

  it('searchsorted and bucketize: sequences they cannot search', () => {
    const v = tensor([1, 2]);
    refuses(
      () => core.searchsorted(v, v, { right: true, side: 'left' }),
      ArgumentError,
      "searchsorted: side 'left' contradicts right: true",
    );
    refuses(
      () => core.searchsorted(tensor(1), v),
      ShapeError,
      'searchsorted: the sorted sequence must have at least one axis',
    );
    refuses(
      () => core.searchsorted(m(), v),
      ShapeError,
      'searchsorted: a sorted sequence of shape [2,5] needs values of shape [2, m], got [2]',
    );
    refuses(() => core.bucketize(v, m()), ShapeError, 'bucketize: the boundaries must be 1-D, got shape [2,5]');
    refuses(
      () => core.searchsorted(v, v, { side: 'middle' } as never),
      ArgumentError,
      "searchsorted: option 'side' must be 'left' or 'right'",
    );
  });

  it('a refused call records nothing', () => {
    const x = tensor([3, 1, 2], { requiresGrad: true });
    expect(() => x.topk(4)).toThrow(ArgumentError);
    expect(x.grad).toBeNull();
    x.topk(3).values.sum().backward();
    expect(Array.from(x.grad!.data())).toEqual([1, 1, 1]);
  });
});
