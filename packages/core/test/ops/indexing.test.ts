/**
 * index, indexPut, the scatter family, the masked ops, take, takeAlongDim,
 * select and narrow against PyTorch 1.13: fixtures/indexing.json holds
 * PyTorch's values and gradients (for a random cotangent) for each case, made
 * by fixtures/indexing.py, which says where NumPy stands in for PyTorch
 * (negative slice steps) and which gradients PyTorch computes differently on
 * purpose; those are derived by hand below. Then: views share storage, the
 * errors name the op, the index and the valid range, and a refused call
 * changes nothing.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  DTypeError,
  Ellipsis,
  IndexError,
  ShapeError,
  arange,
  getBackend,
  gradients,
  indexPut,
  noGrad,
  ones,
  scatterReduce,
  setBackend,
  tensor,
  zeros,
  type IndexItem,
  type Tensor,
} from '../../src/index';
import fixture from './fixtures/indexing.json';

interface Encoded {
  shape: number[];
  dtype: 'float64' | 'int32' | 'bool';
  data: (number | string | boolean)[];
}

interface Case {
  name: string;
  op: string;
  inputs: Record<string, Encoded>;
  args: Record<string, unknown>;
  out: Encoded;
  cotangent?: Encoded;
  grads: Record<string, Encoded> | null;
}

const cases = (fixture as unknown as { cases: Case[] }).cases;

/** JSON has no NaN or infinities; the script writes them as strings. */
const number = (v: number | string | boolean): number => (typeof v === 'string' ? Number(v) : Number(v));

function decode(e: Encoded, requiresGrad = false): Tensor {
  const values = e.data.map(number);
  const data =
    e.dtype === 'float64'
      ? Float64Array.from(values)
      : e.dtype === 'int32'
        ? Int32Array.from(values)
        : Uint8Array.from(values);
  return tensor(data, { shape: e.shape, dtype: e.dtype, requiresGrad: requiresGrad && e.dtype === 'float64' });
}

type Nested = number | boolean | Nested[];

function nestedShape(v: Nested): number[] {
  const shape: number[] = [];
  for (let level = v; Array.isArray(level); level = level[0] as Nested) {
    shape.push(level.length);
    if (level.length === 0) break;
  }
  return shape;
}

/** An index entry of the fixture: {int: ...} and {bool: ...} as tensors, or (with `arrays`) as plain arrays. */
function entry(e: unknown, arrays: boolean): IndexItem {
  if (e !== null && typeof e === 'object' && ('int' in e || 'bool' in e)) {
    const bool = 'bool' in e;
    const v = (bool ? (e as { bool: Nested }).bool : (e as { int: Nested }).int) as Nested;
    if (arrays && Array.isArray(v)) return v as IndexItem;
    const flat = [v].flat(Infinity as 1) as number[];
    const shape = nestedShape(v);
    return tensor(bool ? Uint8Array.from(flat.map(Number)) : Int32Array.from(flat), {
      shape,
      dtype: bool ? 'bool' : 'int32',
    });
  }
  return e as IndexItem;
}

const items = (list: unknown, arrays = false): IndexItem[] => (list as unknown[]).map((e) => entry(e, arrays));

type Inputs = Record<string, Tensor>;
type Call = (inputs: Inputs, args: Record<string, unknown>, arrays: boolean) => Tensor;

const int = (a: unknown) => decode(a as Encoded);
const num = (a: unknown) => a as number;

/** Each op of the fixture, called as chainrule spells it. */
const calls: Record<string, Call> = {
  index: ({ x }, a, arrays) => (x as Tensor).index(items(a['indices'], arrays)),
  indexPut: ({ x, values }, a, arrays) =>
    (x as Tensor).indexPut(items(a['indices'], arrays), values ?? num(a['value']), {
      accumulate: a['accumulate'] as boolean,
    }),
  scatter: ({ x, src }, a) => (x as Tensor).scatter(num(a['axis']), int(a['index']), src ?? num(a['value'])),
  scatterAdd: ({ x, src }, a) => (x as Tensor).scatterAdd(num(a['axis']), int(a['index']), src as Tensor),
  scatterReduce: ({ x, src }, a) =>
    (x as Tensor).scatterReduce(num(a['axis']), int(a['index']), src as Tensor, a['reduce'] as 'sum', {
      includeSelf: a['includeSelf'] as boolean,
    }),
  indexAdd: ({ x, source }, a) =>
    (x as Tensor).indexAdd(num(a['axis']), int(a['index']), source as Tensor, { alpha: num(a['alpha']) }),
  indexCopy: ({ x, source }, a) => (x as Tensor).indexCopy(num(a['axis']), int(a['index']), source as Tensor),
  indexFill: ({ x, value }, a) => (x as Tensor).indexFill(num(a['axis']), int(a['index']), value ?? num(a['value'])),
  maskedFill: ({ x, value }, a) => (x as Tensor).maskedFill(int(a['mask']), value ?? num(a['value'])),
  maskedSelect: ({ x }, a) => (x as Tensor).maskedSelect(int(a['mask'])),
  maskedScatter: ({ x, source }, a) => (x as Tensor).maskedScatter(int(a['mask']), source as Tensor),
  nonzero: ({ x }) => (x as Tensor).nonzero(),
  argwhere: ({ x }) => (x as Tensor).argwhere(),
  take: ({ x }, a) => (x as Tensor).take(int(a['index'])),
  takeAlongDim: ({ x }, a) => (x as Tensor).takeAlongDim(int(a['index']), (a['axis'] as number | null) ?? undefined),
  select: ({ x }, a) => (x as Tensor).select(num(a['axis']), num(a['i'])),
  narrow: ({ x }, a) => (x as Tensor).narrow(num(a['axis']), num(a['start']), num(a['length'])),
};

function run(c: Case, arrays = false): { out: Tensor; inputs: Inputs } {
  const inputs = Object.fromEntries(Object.entries(c.inputs).map(([k, e]) => [k, decode(e, c.grads !== null)]));
  return { out: (calls[c.op] as Call)(inputs, c.args, arrays), inputs };
}

const table = cases.map((c) => [c.op, c.name, c] as const);

describe('values and gradients equal PyTorch 1.13 (fixtures/indexing.json)', () => {
  it.each(table)('%s: %s', (_op, _name, c) => {
    const { out, inputs } = run(c);
    expect(out.shape).toEqual(c.out.shape);
    expect(out.dtype).toBe(c.out.dtype);
    // Indexing moves values; reductions (mean, prod) round once in float64.
    expect(out).toBeAllClose(decode(c.out), { rtol: 1e-14, atol: 1e-14 });
    if (c.grads === null) return;
    const names = Object.keys(c.grads);
    const leaves = names.map((k) => inputs[k] as Tensor);
    const got = gradients(out, leaves, { gradOutput: decode(c.cotangent as Encoded) });
    names.forEach((k, i) => {
      const expected = decode((c.grads as Record<string, Encoded>)[k] as Encoded);
      expect(got[i] ?? zeros(expected.shape as number[], { dtype: 'float64' }), `gradient of ${k}`).toBeAllClose(
        expected,
        { rtol: 1e-13, atol: 1e-14 },
      );
    });
  });

  const withArrays = cases.filter((c) => c.op === 'index' || c.op === 'indexPut');
  it.each(withArrays.map((c) => [c.name, c] as const))('the same with plain arrays for tensors: %s', (_name, c) => {
    expect(run(c, true).out).toBeAllClose(decode(c.out), { rtol: 0, atol: 0 });
  });

  it('the fixture covers every op called here', () => {
    expect(new Set(cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
  });
});

describe('basic indexing is a view', () => {
  const x = () => arange(24, undefined, undefined, { dtype: 'float64' }).reshape([2, 3, 4]);

  it('shares storage for integers, slices, null and the ellipsis, with the strides and offset of the view', () => {
    const t = x();
    // x[1, ::2, None, ...] starts at element 12 of the [2,3,4] layout (strides 12, 4, 1).
    const v = t.index([1, { step: 2 }, null, Ellipsis]);
    expect(v.storage).toBe(t.storage);
    expect(v.shape).toEqual([2, 1, 4]);
    expect(v.strides).toEqual([8, 0, 1]);
    expect(v.offset).toBe(12);
    expect(t.select(2, -1).storage).toBe(t.storage);
    expect(t.narrow(1, 1, 2).storage).toBe(t.storage);
    // A write through the original shows in the view.
    noGrad(() => t.fill(7));
    expect(v.toArray()).toEqual([[[7, 7, 7, 7]], [[7, 7, 7, 7]]]);
  });

  it('a negative step is a view read backwards (NumPy); PyTorch refuses it', () => {
    const t = x();
    const r = t.index([{}, { step: -1 }, { start: 3, stop: 0, step: -2 }]);
    expect(r.storage).toBe(t.storage);
    expect(r.strides).toEqual([12, -4, -2]);
    // Row 2 of block 0 is [8..11]; columns 3 and 1 → 11, 9.
    expect(r.select(0, 0).toArray()).toEqual([
      [11, 9],
      [7, 5],
      [3, 1],
    ]);
  });

  it('advanced indexing copies', () => {
    const t = x();
    expect(t.index([[0]]).storage).not.toBe(t.storage);
  });

  it('matmul reads a view with negative strides on every backend', () => {
    const before = getBackend();
    try {
      for (const backend of ['js', 'wasm'] as const) {
        setBackend(backend);
        // Large enough (16·12·10 multiply-adds) for the packed and SIMD kernels, not the direct loop.
        const a = arange(192).reshape([16, 12]).div(100);
        const b = arange(120).reshape([12, 10]).div(100);
        const reversed = a.index([{ step: -1 }, { step: -1 }]).matmul(b.index([{ step: -1 }]));
        const exact = a
          .to('float64')
          .index([{ step: -1 }, { step: -1 }])
          .contiguous()
          .matmul(
            b
              .to('float64')
              .index([{ step: -1 }])
              .contiguous(),
          );
        // float32 products of sums of 12 terms: a few float32 roundings apart from the float64 ones.
        expect(reversed).toBeAllClose(exact, { rtol: 1e-6, atol: 0 });
      }
    } finally {
      setBackend(before === 'js' ? 'js' : null);
    }
  });
});

describe('gradients PyTorch computes differently, derived by hand', () => {
  it('indexPut without accumulate: of repeated positions only the last write gets a gradient', () => {
    // out = x with out[1] = v[3] (v[0], v[1] are overwritten), out[3] = v[2]; L = Σ c·out.
    // dL/dv = [0, 0, c[3], c[1]]; dL/dx = c with positions 1 and 3 zeroed.
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const v = tensor([10, 20, 30, 40], { dtype: 'float64', requiresGrad: true });
    const c = tensor([1, 2, 3, 4], { dtype: 'float64' });
    const out = x.indexPut([[1, 1, 3, 1]], v);
    expect(out.toArray()).toEqual([1, 40, 3, 30]);
    const [gx, gv] = gradients(out, [x, v], { gradOutput: c });
    expect(gx).toBeAllClose([1, 0, 3, 0]);
    expect(gv).toBeAllClose([0, 0, 4, 2]);
  });

  it('scatterReduce amax without x: ties split g among the src elements alone', () => {
    // x = [5, 2, -1] is left out; position 0 takes max(5, 5) (a tie of two), 1 takes 1, 2 takes max(-3, -3).
    // Each tied element gets g/2, the lone one g; x gets 0 where written. PyTorch 1.13 counts x = 5 in the
    // tie at position 0 too and gives each src 5 a third.
    const x = tensor([5, 2, -1], { dtype: 'float64', requiresGrad: true });
    const src = tensor([5, 5, 1, -3, -3], { dtype: 'float64', requiresGrad: true });
    const out = scatterReduce(x, 0, tensor(new Int32Array([0, 0, 1, 2, 2])), src, 'amax', { includeSelf: false });
    expect(out.toArray()).toEqual([5, 1, -3]);
    const [gx, gs] = gradients(out.sum(), [x, src]);
    expect(gx).toBeAllClose([0, 0, 0]);
    expect(gs).toBeAllClose([0.5, 0.5, 1, 0.5, 0.5]);
  });

  it('scatterReduce prod: second derivatives where one element is 0', () => {
    // out = x·v0·v1·v2 with x = 1, v = [0, 2, 3]: d out/dv = [v1·v2, v0·v2, v0·v1] = [6, 0, 0], and the
    // derivative of d out/dv1 = v0·v2 is [v2, 0, v0] = [3, 0, 0] (nonzero although v0 = 0 makes out 0).
    const x = tensor([1], { dtype: 'float64' });
    const v = tensor([0, 2, 3], { dtype: 'float64', requiresGrad: true });
    const out = scatterReduce(x, 0, tensor(new Int32Array([0, 0, 0])), v, 'prod');
    const [dv] = gradients(out.sum(), [v], { createGraph: true });
    expect(dv).toBeAllClose([6, 0, 0]);
    const [d2] = gradients((dv as Tensor).index([1]), [v]);
    expect(d2).toBeAllClose([3, 0, 0]);
  });

  it('scatter, indexCopy: the last of repeated writes wins and alone gets the gradient', () => {
    const x = zeros([3], { dtype: 'float64', requiresGrad: true });
    const src = tensor([1, 2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const out = x.scatter(0, tensor(new Int32Array([0, 0, 2, 0])), src);
    expect(out.toArray()).toEqual([4, 0, 3]);
    const [gs] = gradients(out.sum(), [src]);
    expect(gs).toBeAllClose([0, 0, 1, 1]);
    const copied = x.indexCopy(0, [2, 2], src.index([{ stop: 2 }]));
    expect(copied.toArray()).toEqual([0, 0, 2]);
  });
});

describe('dtypes', () => {
  it("a 0-d fill value converts to the tensor's dtype, as in PyTorch (2.7 fills an int32 tensor with 2)", () => {
    const filled = zeros([2, 3], { dtype: 'int32' }).indexFill(1, [0], tensor(2.7));
    expect(filled.dtype).toBe('int32');
    expect(filled.toArray()).toEqual([
      [2, 0, 0],
      [2, 0, 0],
    ]);
    const masked = zeros([2]).maskedFill(tensor([true, false]), tensor(0.1, { dtype: 'float64' }));
    expect(masked.dtype).toBe('float32');
    expect(masked.toArray()).toEqual([Math.fround(0.1), 0]);
  });

  it('a number written into a bool tensor is its truth, not its low byte', () => {
    const b = zeros([3], { dtype: 'bool' });
    expect(b.indexPut([[0]], 2.5).toArray()).toEqual([1, 0, 0]);
    expect(b.maskedFill(tensor([false, true, false]), 256).toArray()).toEqual([0, 1, 0]);
  });
});

describe('errors name the op, the index and the valid range', () => {
  const x = () => arange(24).reshape([2, 3, 4]);
  const ints = (v: number[], shape?: number[]) => tensor(new Int32Array(v), shape === undefined ? {} : { shape });

  it('index', () => {
    expect(() => arange(20).reshape([4, 5]).index([{}, 7])).toThrow(
      new IndexError('index', 'index 7 is out of bounds for axis 1 with size 5 (expected -5 to 4)'),
    );
    expect(() => x().index([[0, -3]])).toThrow(
      'index: index -3 is out of bounds for axis 0 with size 2 (expected -2 to 1)',
    );
    expect(() => x().index([0, 0, 0, 0])).toThrow(IndexError);
    expect(() => x().index([0, 0, 0, 0])).toThrow(/^index: too many indices for a tensor of rank 3/);
    expect(() => x().index([Ellipsis, 0, Ellipsis])).toThrow(/^index: an index list can hold only one ellipsis/);
    expect(() =>
      x().index([
        [0, 1],
        [0, 1, 2],
      ]),
    ).toThrow(ShapeError);
    expect(() =>
      x().index([
        [0, 1],
        [0, 1, 2],
      ]),
    ).toThrow(/shapes \[2\], \[3\]/);
    expect(() => x().index([[true, false, true]])).toThrow(/^index: the mask at position 0 has shape \[3\]/);
    expect(() => x().index([1.5])).toThrow(ArgumentError);
    expect(() => x().index([{ step: 0 }])).toThrow('index: the slice at position 0 has step 0');
    expect(() => x().index([{ begin: 1 } as never])).toThrow(/has a field 'begin'/);
    expect(() => x().index([tensor([0])])).toThrow(DTypeError);
    expect(() => x().index([[0, [1]] as never])).toThrow(ArgumentError);
    expect(() => x().index(0 as never)).toThrow(/^index: indices must be an array/);
    expect(() => zeros([0]).index([0])).toThrow('index 0 is out of bounds for axis 0 with size 0 (it has no elements)');
  });

  it('the scatter family', () => {
    expect(() => zeros([2, 5]).scatter(1, ints([7], [1, 1]), 1)).toThrow(
      'scatter: index 7 is out of bounds for axis 1 with size 5 (expected 0 to 4)',
    );
    expect(() => zeros([3]).scatterAdd(0, ints([-1]), zeros([1]))).toThrow(IndexError);
    expect(() => zeros([2, 3]).scatter(1, ints([0, 1, 2, 0], [1, 4]), zeros([2, 3]))).toThrow(ShapeError);
    expect(() => zeros([2, 3]).scatter(1, ints([0, 1], [2]), 0)).toThrow(/^scatter: index of shape \[2\] does not fit/);
    expect(() => zeros([2]).scatter(0, ints([0]), zeros([1], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => zeros([2]).scatterReduce(0, ints([0]), zeros([1]), 'max' as never)).toThrow(
      /^scatterReduce: reduce must be one of 'sum', 'prod', 'mean', 'amax', 'amin', got "max"/,
    );
    expect(() => zeros([2]).scatterReduce(0, ints([0]), zeros([1]), 'sum', { include_self: false } as never)).toThrow(
      ArgumentError,
    );
    expect(() => zeros([3, 2]).indexAdd(0, [3], zeros([1, 2]))).toThrow(
      'indexAdd: index 3 is out of bounds for axis 0 with size 3 (expected 0 to 2)',
    );
    expect(() => zeros([3, 2]).indexAdd(0, [0], zeros([2, 2]))).toThrow(
      /^indexAdd: source has shape \[2,2\], expected \[1,2\]/,
    );
    expect(() => zeros([3, 2]).indexCopy(0, [-1], zeros([1, 2]))).toThrow(IndexError);
    expect(() => zeros([3, 2]).indexFill(1, [-3], 1)).toThrow(
      'indexFill: index -3 is out of bounds for axis 1 with size 2 (expected -2 to 1)',
    );
    expect(() => zeros([3]).indexFill(0, [0], zeros([1]))).toThrow(
      /^indexFill: the value must be a number or a 0-d tensor/,
    );
    expect(() => zeros([2], { dtype: 'bool' }).scatterAdd(0, ints([0]), zeros([1], { dtype: 'bool' }))).toThrow(
      DTypeError,
    );
  });

  it('take, takeAlongDim, select, narrow, the masked ops', () => {
    expect(() => zeros([2, 3]).take([6])).toThrow(
      'take: index 6 is out of bounds for a tensor of 6 elements (shape [2,3]; expected -6 to 5)',
    );
    expect(() => zeros([2, 3]).takeAlongDim(ints([-1], [1, 1]), 1)).toThrow(
      'takeAlongDim: index -1 is out of bounds for axis 1 with size 3 (expected 0 to 2)',
    );
    expect(() => zeros([2, 3]).takeAlongDim(ints([0, 0, 0], [3, 1]), 1)).toThrow(ShapeError);
    expect(() => zeros([2, 3]).select(1, 3)).toThrow(
      'select: index 3 is out of bounds for axis 1 with size 3 (expected -3 to 2)',
    );
    expect(() => zeros([2, 3]).narrow(1, 2, 2)).toThrow(
      'narrow: length 2 from start 2 does not fit axis 1 with size 3 (expected 0 to 1)',
    );
    expect(() => zeros([]).select(0, 0)).toThrow(ShapeError);
    expect(() => zeros([3]).maskedFill(tensor([1, 0, 1]), 0)).toThrow(DTypeError);
    expect(() => zeros([3]).maskedFill(tensor([true, false]), 0)).toThrow(ShapeError);
    expect(() => zeros([3]).maskedScatter(tensor([true, true, false]), zeros([1]))).toThrow(
      'maskedScatter: the mask has 2 true elements (broadcast shape [3]) but source of shape [1] has only 1',
    );
  });
});

describe('a refused write changes nothing', () => {
  it('indexPut checks every index and the values before it writes', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const before = x.toArray();
    expect(() => indexPut(x, [[0, 3]], tensor([9, 9]))).toThrow(IndexError);
    expect(() => indexPut(x, [[0, 1]], tensor([9, 9, 9]))).toThrow(
      'indexPut: values of shape [3] do not broadcast to the shape [2] of the indexed elements',
    );
    expect(() => indexPut(x, [[0, 1]], tensor([9, 9], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(x.toArray()).toEqual(before);
    expect(x.grad).toBeNull();
    // The functional write never changes x, accepted or not.
    const out = indexPut(x, [[0, 1]], 9);
    expect(out.toArray()).toEqual([9, 9, 3]);
    expect(x.toArray()).toEqual(before);
  });
});

describe("the README's indexing lines", () => {
  it('give what their comments say', () => {
    const x = arange(24).reshape([2, 3, 4]);
    // x[0] is 0..11 as [3, 4]; rows 1: → [[4..7], [8..11]].
    expect(x.index([0, { start: 1 }]).toArray()).toEqual([
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    expect(
      x
        .index([Ellipsis, { step: -1 }])
        .select(0, 0)
        .select(0, 0)
        .toArray(),
    ).toEqual([3, 2, 1, 0]);
    expect(x.index([{}, [2, 0, 2]]).shape).toEqual([2, 3, 4]);
    expect(x.index([x.gt(20)]).toArray()).toEqual([21, 22, 23]);
    expect(x.indexPut([{}, 0], -1).select(0, 0).toArray()).toEqual([
      [-1, -1, -1, -1],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    // Label 2 twice, label 0 once.
    expect(
      zeros([3])
        .scatterAdd(0, tensor(new Int32Array([2, 0, 2])), ones([3]))
        .toArray(),
    ).toEqual([1, 0, 2]);
  });
});
