/**
 * The convolution family for the op-sequence fuzzer: each op is called on a
 * pool tensor (given leading size-1 axes when the draw says so, to reach the
 * ranks these ops take) with random window arguments, valid or not, and
 * compared with the element-by-element references of reference-conv.ts. What
 * PyTorch refuses (wrong rank, empty channel or spatial dimensions, windows
 * that do not fit) must be refused.
 */
import * as core from '../../src/index';
import type { Tensor } from '../../src/index';
import { floatOf, invalid, sizeOf, type Ref, type RefResult } from './reference';
import { foldRef, unfoldRef, windowsAlong, type Win } from './reference-conv';
import type { Draw, SeqOp } from './sequence-ops';

const show = (x: unknown): string => JSON.stringify(x);

/** The pool tensor with `lift` leading size-1 axes, as a Ref and as the call's code. */
function lifted(x: Tensor, r: Ref, name: string, lift: number) {
  const shape = [...new Array<number>(lift).fill(1), ...r.shape];
  return {
    ref: { ...r, shape },
    tensor: () => (lift === 0 ? x : x.reshape(shape)),
    code: lift === 0 ? name : `${name}.reshape(${show(shape)})`,
  };
}

/** Kernel, stride, dilation and padding for `dims` dimensions, small. */
function drawWin(d: Draw, dims: number, maxPadding = 1): Win {
  const list = (lo: number, hi: number) => Array.from({ length: dims }, () => d.int(lo, hi));
  return { kernel: list(1, 3), stride: list(1, 2), dilation: list(1, 2), padding: list(0, maxPadding) };
}

const options = (w: Win) => ({ stride: w.stride, dilation: w.dilation, padding: w.padding });
const withBatch = (r: Ref): Ref => ({ ...r, shape: [1, ...r.shape] });
const withoutBatch = (r: Ref): Ref => ({ ...r, shape: r.shape.slice(1) });

const unfold: SeqOp = {
  names: ['unfold'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const input = lifted(x as Tensor, r as Ref, n as string, d.int(0, 2));
    const w = drawWin(d, 2);
    const ref = input.ref;
    const rank = ref.shape.length;
    let expected: RefResult;
    if (rank !== 3 && rank !== 4) expected = invalid(`unfold of rank ${rank}`);
    else if (ref.shape.slice(rank - 3).some((s) => s === 0)) expected = invalid('empty channel or spatial dimension');
    else {
      const batched = rank === 4 ? ref : withBatch(ref);
      const size = batched.shape.slice(2);
      if (size.some((s, i) => windowsAlong(s, w, i) < 1)) expected = invalid('no window fits');
      else {
        const out = unfoldRef(batched, w, floatOf(ref.dtype));
        expected = rank === 4 ? out : withoutBatch(out);
      }
    }
    return {
      code: `core.unfold(${input.code}, ${show(w.kernel)}, ${show(options(w))})`,
      call: () => core.unfold(input.tensor(), w.kernel, options(w)),
      expected,
      compare: 'exact',
    };
  },
};

/**
 * fold's arguments: half the time a kernel of one row (or column) that
 * divides the rows and an output size whose windows are exactly the input's
 * columns (so the call is valid), else anything.
 */
function drawFold(d: Draw, shape: readonly number[]): { size: number[]; w: Win } {
  const rank = shape.length;
  const rows = rank >= 2 ? (shape[rank - 2] as number) : 1;
  const l = rank >= 1 ? (shape[rank - 1] as number) : 1;
  if (d.oneIn(2)) {
    const w = drawWin(d, 2);
    return { size: [d.int(1, 4), d.int(1, 4)], w };
  }
  const divisors = Array.from({ length: Math.max(rows, 1) }, (_, i) => i + 1).filter((k) => rows % k === 0);
  const k = d.pick(divisors.length > 0 ? divisors : [1]);
  const dilation = d.int(1, 2);
  // l windows of a dilated kernel k along a padded length: length + 2·pad − dilation·(k − 1) = l.
  const wanted = d.int(0, 1);
  const pad = l + dilation * (k - 1) - 2 * wanted >= 1 ? wanted : 0;
  const length = l + dilation * (k - 1) - 2 * pad;
  const vertical = d.oneIn(2);
  const one = { kernel: 1, stride: 1, dilation: 1, padding: 0 };
  const axis = { kernel: k, stride: 1, dilation, padding: pad };
  const [a, b] = vertical ? [axis, one] : [one, axis];
  return {
    size: vertical ? [Math.max(length, 1), 1] : [1, Math.max(length, 1)],
    w: {
      kernel: [a.kernel, b.kernel],
      stride: [a.stride, b.stride],
      dilation: [a.dilation, b.dilation],
      padding: [a.padding, b.padding],
    },
  };
}

const fold: SeqOp = {
  names: ['fold'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const input = lifted(x as Tensor, r as Ref, n as string, d.int(0, 1));
    const ref = input.ref;
    const rank = ref.shape.length;
    const { size, w } = drawFold(d, ref.shape);
    let expected: RefResult;
    const k = sizeOf(w.kernel);
    if (rank !== 2 && rank !== 3) expected = invalid(`fold of rank ${rank}`);
    else if (ref.shape.slice(rank - 2).some((s) => s === 0)) expected = invalid('empty rows or columns');
    else if ((ref.shape[rank - 2] as number) % k !== 0) expected = invalid('rows not a multiple of the kernel');
    else {
      const blocks = size.map((s, i) => windowsAlong(s, w, i));
      if (blocks.some((b) => b < 1)) expected = invalid('no window fits');
      else if (sizeOf(blocks) !== ref.shape[rank - 1]) expected = invalid('columns do not match the windows');
      else {
        const out = foldRef(rank === 3 ? ref : withBatch(ref), size, w, floatOf(ref.dtype));
        expected = rank === 3 ? out : withoutBatch(out);
      }
    }
    return {
      code: `core.fold(${input.code}, ${show(size)}, ${show(w.kernel)}, ${show(options(w))})`,
      call: () => core.fold(input.tensor(), size, w.kernel, options(w)),
      expected,
      compare: 'close',
    };
  },
};

/** The convolution family's ops for the sequence fuzzer, by name. */
export const convSequenceOps: Record<string, SeqOp> = { unfold, fold };
