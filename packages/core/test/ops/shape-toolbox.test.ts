/**
 * The shape toolbox against PyTorch 1.13: every case of
 * fixtures/shape-toolbox.json (written by shape-toolbox.py, which says how)
 * is run here with the same inputs and arguments. The outputs must equal
 * PyTorch's exactly (these ops only move elements), the gradients of
 * Σ_k ⟨out_k, w_k⟩ must match PyTorch's x.grad, and a call PyTorch refuses
 * must throw a ChainruleError naming the op. Below them, what the fixture
 * cannot show: which results are views of their input, and the checks'
 * messages.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import {
  ArgumentError,
  ChainruleError,
  DTypeError,
  IndexError,
  ShapeError,
  arange,
  tensor,
  zeros,
  type Tensor,
} from '../../src/index';
import raw from './fixtures/shape-toolbox.json';

interface Values {
  shape: number[];
  data: (number | string)[];
}

/** The arguments of every op, as chainrule spells them (each case uses a few). */
interface Args {
  axes?: number | number[];
  shifts?: number | number[];
  diagonal?: number;
  offset?: number;
  axis1?: number;
  axis2?: number;
  reps?: number[];
  repeats?: number | number[] | { int32: number | number[] | number[][] };
  axis?: number;
  sizeOrSections?: number | number[];
  chunks?: number;
  source?: number | number[];
  destination?: number | number[];
  axis0?: number;
  sizes?: number[];
  shape?: number[];
  indexing?: 'ij' | 'xy';
}

interface Case {
  name: string;
  op: string;
  inputs: Values[];
  args: Args;
  view?: 'T' | 'step';
  error?: string;
  outputs?: Values[];
  weights?: Values[];
  grads?: Values[];
}

const fixture = raw as unknown as { torch: string; cases: Case[] };

const numbers = (v: Values) => v.data.map(Number);
const float64 = (v: Values, requiresGrad = false) =>
  tensor(Float64Array.from(numbers(v)), { shape: v.shape, dtype: 'float64', requiresGrad });

/** Options objects with only the keys the case gives (the ops refuse unknown keys, and undefined is a default). */
function pick<K extends keyof Args>(a: Args, ...keys: K[]): Pick<Args, K> {
  const out: Partial<Args> = {};
  for (const k of keys) if (a[k] !== undefined) out[k] = a[k] as never;
  return out as Pick<Args, K>;
}

function repeatsOf(r: Args['repeats']): number | number[] | Tensor {
  if (typeof r === 'object' && !Array.isArray(r)) return tensor(r.int32 as number[], { dtype: 'int32' });
  return r as number | number[];
}

type Call = (xs: Tensor[], a: Args) => Tensor | Tensor[];
const x0 = (xs: Tensor[]) => xs[0] as Tensor;

/** Each op of the fixture, called as a user would: functions for some, methods for others. */
const calls: Record<string, Call> = {
  flip: (xs, a) => x0(xs).flip(a.axes as number[]),
  roll: (xs, a) => core.roll(x0(xs), a.shifts as number[], a.axes),
  tril: (xs, a) => x0(xs).tril(a.diagonal),
  triu: (xs, a) => core.triu(x0(xs), a.diagonal),
  diagonal: (xs, a) => x0(xs).diagonal(pick(a, 'offset', 'axis1', 'axis2')),
  diag: (xs, a) => core.diag(x0(xs), a.diagonal),
  diagEmbed: (xs, a) => core.diagEmbed(x0(xs), pick(a, 'offset', 'axis1', 'axis2')),
  trace: (xs) => x0(xs).trace(),
  repeat: (xs, a) => x0(xs).repeat(a.reps as number[]),
  tile: (xs, a) => core.tile(x0(xs), a.reps as number[]),
  repeatInterleave: (xs, a) => x0(xs).repeatInterleave(repeatsOf(a.repeats), a.axis),
  split: (xs, a) => core.split(x0(xs), a.sizeOrSections as number, a.axis),
  chunk: (xs, a) => x0(xs).chunk(a.chunks as number, a.axis),
  unbind: (xs, a) => core.unbind(x0(xs), a.axis),
  movedim: (xs, a) => x0(xs).movedim(a.source as number[], a.destination as number[]),
  swapaxes: (xs, a) => core.swapaxes(x0(xs), a.axis0 as number, a.axis1 as number),
  unflatten: (xs, a) => x0(xs).unflatten(a.axis as number, a.sizes as number[]),
  broadcastTo: (xs, a) => core.broadcastTo(x0(xs), a.shape as number[]),
  broadcastTensors: (xs) => core.broadcastTensors(...xs),
  meshgrid: (xs, a) => core.meshgrid(...xs, { indexing: a.indexing as 'ij' | 'xy' }),
  atleast1d: (xs) => core.atleast1d(x0(xs)),
  atleast2d: (xs) => core.atleast2d(x0(xs)),
  atleast3d: (xs) => core.atleast3d(x0(xs)),
  hstack: (xs) => core.hstack(xs),
  vstack: (xs) => core.vstack(xs),
  dstack: (xs) => core.dstack(xs),
};

function viewOf(t: Tensor, view: Case['view']): Tensor {
  if (view === 'T') return t.transpose(-2, -1);
  if (view === 'step') return t.slice(0, 0, undefined, 2);
  return t;
}

const asList = (r: Tensor | Tensor[]) => (Array.isArray(r) ? r : [r]);

describe(`the shape toolbox against PyTorch ${fixture.torch}`, () => {
  it('the fixture covers every op of the toolbox, and the test calls each', () => {
    expect(new Set(fixture.cases.map((c) => c.op))).toEqual(new Set(Object.keys(calls)));
  });

  it.each(fixture.cases.map((c) => [c.op, c.name, c] as const))('%s: %s', (op, _name, c) => {
    const leaves = c.inputs.map((v) => float64(v, true));
    const inputs = leaves.map((t) => viewOf(t, c.view));
    const call = () => (calls[op] as Call)(inputs, c.args);
    if (c.error !== undefined) {
      expect(call, `PyTorch: ${c.error}`).toThrow(ChainruleError);
      expect(call).toThrow(new RegExp(`^${op}: `));
      return;
    }
    const outputs = asList(call());
    const expected = c.outputs as Values[];
    expect(outputs.map((t) => t.shape)).toEqual(expected.map((v) => v.shape));
    outputs.forEach((t, k) => {
      // Shape ops move elements without arithmetic: PyTorch's values exactly.
      expect(Array.from(t.data()), `output ${k}`).toEqual(numbers(expected[k] as Values));
      expect(t.dtype).toBe('float64');
    });
    const weights = (c.weights as Values[]).map((w) => float64(w));
    const loss = outputs
      .map((t, k) => t.mul(weights[k] as Tensor).sum())
      .reduce((s, l) => s.add(l), tensor(0, { dtype: 'float64' }));
    if (loss.requiresGrad) loss.backward();
    leaves.forEach((leaf, i) => {
      const grad = c.grads?.[i] as Values;
      // A leaf no output reads (all of them empty) gets no gradient; PyTorch's is then all zeros.
      if (leaf.grad === null)
        expect(
          numbers(grad).every((v) => v === 0),
          `input ${i} has no gradient`,
        ).toBe(true);
      else expect(leaf.grad, `gradient of input ${i}`).toBeAllClose(float64(grad), { rtol: 1e-14, atol: 1e-15 });
    });
  });
});

describe('views where the data need not move', () => {
  // [[0, 1, 2], [3, 4, 5]]
  const m = () => arange(0, 6, 1, { dtype: 'float64' }).reshape([2, 3]);

  it('diagonal, swapaxes, movedim, unflatten and broadcastTo share the input storage', () => {
    const x = m();
    const views = [
      x.diagonal(),
      core.diag(x, 1),
      x.swapaxes(0, 1),
      x.movedim(0, 1),
      x.unflatten(1, [3, 1]),
      // Splitting an axis of a transposed tensor is still a view (reshape would copy here).
      x.T.unflatten(0, [1, 3]),
      x.broadcastTo([4, 2, 3]),
      core.broadcastTensors(x, zeros([3]))[0] as Tensor,
    ];
    for (const v of views) expect(v.storage).toBe(x.storage);
    // x.T.unflatten(0, [1, 3]) is [[[0, 3], [1, 4], [2, 5]]].
    expect(x.T.unflatten(0, [1, 3]).toArray()).toEqual([
      [
        [0, 3],
        [1, 4],
        [2, 5],
      ],
    ]);
  });

  it('split, chunk and unbind give views, also along the last axis of a matrix', () => {
    const x = m();
    for (const parts of [x.split(2, 1), x.chunk(2, 0), x.unbind(1), x.unbind(0)]) {
      for (const p of parts) expect(p.storage).toBe(x.storage);
    }
    expect(x.unbind(1).map((p) => p.toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('atleast2d/3d of a strided vector and meshgrid outputs are views; atleast of enough axes is the tensor itself', () => {
    const v = arange(6).slice(0, 0, undefined, 2);
    expect(core.atleast2d(v).storage).toBe(v.storage);
    expect(core.atleast3d(v).storage).toBe(v.storage);
    expect(core.atleast3d(v).toArray()).toEqual([[[0], [2], [4]]]);
    const x = m();
    expect(core.atleast2d(x)).toBe(x);
    for (const g of core.meshgrid(v, v)) expect(g.storage).toBe(v.storage);
  });

  it('flip, roll, tril, triu, repeat, tile, repeatInterleave and diagEmbed copy', () => {
    const x = m();
    const copies = [
      x.flip(0),
      x.roll(1, 1),
      // A roll that moves nothing still returns a new tensor, as PyTorch's does.
      x.roll(3, 1),
      x.tril(),
      x.triu(),
      x.repeat([1, 1]),
      x.tile([1]),
      x.repeatInterleave(1, 0),
      x.diagEmbed(),
    ];
    for (const c of copies) expect(c.storage).not.toBe(x.storage);
    expect(x.roll(3, 1).toArray()).toEqual(x.toArray());
  });

  it('keep int32 and bool dtypes, recording nothing', () => {
    const i = tensor(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] });
    expect(i.flip(0).dtype).toBe('int32');
    expect(i.tril().toArray()).toEqual([
      [1, 0],
      [3, 4],
    ]);
    expect(i.repeat([1, 2]).dtype).toBe('int32');
    expect(i.gt(2).triu().toArray()).toEqual([
      [0, 0],
      [0, 1],
    ]);
    expect(i.gt(2).triu().dtype).toBe('bool');
  });

  it('float32 inputs give float32 results and gradients', () => {
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    // d/dx Σ tril(x)·[[1, 2], [3, 4]]: the weights inside the lower triangle, 0 above it.
    x.tril()
      .mul(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      )
      .sum()
      .backward();
    expect(x.grad?.dtype).toBe('float32');
    expect(x.grad?.toArray()).toEqual([
      [1, 0],
      [3, 4],
    ]);
  });
});

describe('refusals name the op, the values and what is accepted', () => {
  const m = () => zeros([2, 3]);

  it('axes out of range are IndexErrors with the valid range', () => {
    expect(() => m().flip(3)).toThrow(IndexError);
    expect(() => m().flip(3)).toThrow('flip: axis 3 is out of range for a tensor of rank 2 (expected -2 to 1)');
    expect(() => m().diagonal({ axis1: 0, axis2: 2 })).toThrow(
      'diagonal: axis 2 is out of range for a tensor of rank 2',
    );
    expect(() => m().swapaxes(0, -3)).toThrow(/^swapaxes: axis -3 is out of range/);
    expect(() => m().unbind(2)).toThrow(/^unbind: axis 2 is out of range/);
    expect(() => core.roll(zeros([]), 1, 0)).toThrow(IndexError);
  });

  it('repeated axes and mismatched argument lists are ArgumentErrors', () => {
    expect(() => m().flip([0, -2])).toThrow(
      'flip: axis 0 appears more than once in axes [0,-2]; each axis may appear once',
    );
    expect(() => zeros([2, 3, 4]).movedim([0, 0], [1, 2])).toThrow(/^movedim: axis 0 appears more than once in source/);
    expect(() => zeros([2, 3, 4]).movedim([0, 1], 2)).toThrow(ArgumentError);
    expect(() => m().roll([1, 2], 0)).toThrow(
      'roll: shifts [1,2] and axes 0 must give one shift per axis (at least one)',
    );
    expect(() => m().roll([1, 2])).toThrow(/^roll: without axes the flattened tensor is rolled by one shift/);
    expect(() => m().diagonal({ axis1: 1, axis2: -1 })).toThrow(
      'diagonal: axis1 1 and axis2 -1 are the same axis 1; the diagonal runs across two different axes',
    );
    expect(() => m().tril(0.5)).toThrow('tril: diagonal must be an integer, got 0.5');
    expect(() => m().diagonal({ offest: 1 } as never)).toThrow(
      "diagonal: unknown option 'offest'; accepted: offset, axis1, axis2",
    );
    expect(() => core.meshgrid(arange(2), { indexing: 'yx' as 'xy' })).toThrow(
      `meshgrid: option 'indexing' must be 'ij' or 'xy', got "yx"`,
    );
  });

  it('shapes that do not fit are ShapeErrors saying what would', () => {
    expect(() => zeros([3]).tril()).toThrow(ShapeError);
    expect(() => zeros([3]).tril()).toThrow('tril: expected a matrix or a batch of matrices (rank ≥ 2), got shape [3]');
    expect(() => zeros([3]).trace()).toThrow('trace: expected a matrix, got shape [3]');
    expect(() => m().repeat([2])).toThrow(
      'repeat: 1 repeats for shape [2,3]: give one per axis at least (tile pads them with 1s)',
    );
    expect(() => zeros([3]).split([1, 1])).toThrow(
      'split: sizes [1,1] add up to 2, not to the size 3 of axis 0 of shape [3]',
    );
    expect(() => zeros([2, 4]).unflatten(1, [3, 2])).toThrow(
      'unflatten: sizes [3,2] multiply to 6, not to the size of axis 1 of size 4 in shape [2,4]',
    );
    expect(() => m().repeatInterleave([1, 2], 1)).toThrow(
      'repeatInterleave: 2 repeats for an axis of size 3: give one per element, or one for all',
    );
    expect(() => core.broadcastTo(zeros([3, 2]), [3, 4])).toThrow(
      'broadcastTo: cannot broadcast [3,2] to [3,4]: dimension 1 is 2, and only a size-1 dimension can become 4',
    );
    expect(() => core.vstack([zeros([3]), zeros([2])])).toThrow(
      'vstack: tensor 1 becomes [1,2], which does not fit [1,3] of tensor 0 along axis 0 (all other dimensions must match)',
    );
    expect(() => core.meshgrid(zeros([2, 2]))).toThrow(
      'meshgrid: tensor 0 has shape [2,2]; expected 0-d or 1-D tensors',
    );
  });

  it('dtypes: repeats must be int32, meshgrid inputs share one dtype', () => {
    expect(() => m().repeatInterleave(tensor([1, 2, 1]), 1)).toThrow(DTypeError);
    expect(() => m().repeatInterleave(tensor([1, 2, 1]), 1)).toThrow(
      "repeatInterleave: repeats must be an int32 tensor (convert with .to('int32')), got float32",
    );
    expect(() => core.meshgrid(zeros([2]), zeros([2], { dtype: 'float64' }))).toThrow(DTypeError);
  });

  it('more parts than a call makes are refused before any is made (an expanded axis of 2²¹)', () => {
    const wide = tensor(1).expand([2 ** 21]);
    expect(() => wide.unbind()).toThrow(ShapeError);
    expect(() => wide.split(1)).toThrow(/^split: 2097152 parts are more than the 1048576 one call makes/);
    expect(() => zeros([0]).chunk(2 ** 21)).toThrow(/^chunk: /);
  });

  it('a refused call records nothing and leaves the input as it was', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    expect(() => x.unflatten(0, [2, 2])).toThrow(ShapeError);
    expect(x.gradFn).toBeNull();
    expect(x.toArray()).toEqual([1, 2, 3]);
  });
});
