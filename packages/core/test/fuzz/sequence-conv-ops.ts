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
import { floatOf, invalid, make, promote, sizeOf, type Ref, type RefResult } from './reference';
import {
  adaptiveTaps,
  maxOverRef,
  maxPoolTaps,
  meanOverRef,
  poolSize,
  unpoolRef,
  padRef,
  convRef,
  convTransposeRef,
  foldRef,
  unfoldRef,
  windowsAlong,
  type Win,
} from './reference-conv';
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

/** How many size-1 axes to put in front: mostly enough to reach one of `ranks`, sometimes any number. */
function drawLift(d: Draw, rank: number, ranks: readonly number[]): number {
  if (d.oneIn(5)) return d.int(0, 2);
  return Math.max(0, d.pick(ranks) - rank);
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
    const input = lifted(x as Tensor, r as Ref, n as string, drawLift(d, (r as Ref).shape.length, [3, 4]));
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
    const input = lifted(x as Tensor, r as Ref, n as string, drawLift(d, (r as Ref).shape.length, [2, 3]));
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

/** A small float tensor made by the plan (weights, biases), as a Ref and a tensor. */
function made(shape: number[], dtype: 'float32' | 'float64', salt: number) {
  const ref = make(shape, dtype, (i) => (((i * 7 + salt) % 5) - 2) / 4);
  return { ref, tensor: () => core.tensor(ref.data, { shape, dtype }), code: `tensor(…, { shape: ${show(shape)} })` };
}

/** Groups: mostly a divisor of the channels (1 included), sometimes 2 or 3 whatever they are. */
function drawGroups(d: Draw, channels: number): number {
  if (d.oneIn(4)) return d.pick([2, 3]);
  return d.pick([1, 2, 3].filter((g) => channels % g === 0));
}

/** A weight argument: made to fit the input most of the time, else the second pool tensor. */
function drawWeight(d: Draw, x: Ref, y: { ref: Ref; tensor: () => Tensor; code: string }, dims: number) {
  const rank = x.shape.length;
  const c = rank >= dims + 1 ? (x.shape[rank - dims - 1] as number) : 1;
  const groups = drawGroups(d, c);
  if (d.oneIn(5)) return { weight: y, groups };
  const perGroup = c % groups === 0 && c > 0 ? c / groups : d.int(1, 2);
  const shape = [groups * d.int(1, 2), perGroup, ...Array.from({ length: dims }, () => d.int(1, 3))];
  return { weight: made(shape, d.pick(['float32', 'float64'] as const), d.int(0, 4)), groups };
}

type Padding = number[] | 'same' | 'valid';

/** What PyTorch computes for conv<dims>d, or why it refuses. */
function convExpected(
  x: Ref,
  w: Ref,
  bias: Ref | null,
  win: Win,
  padding: Padding,
  groups: number,
  dims: number,
): RefResult {
  const rank = x.shape.length;
  if (rank !== dims + 1 && rank !== dims + 2) return invalid(`input of rank ${rank}`);
  if (w.shape.length !== dims + 2) return invalid(`weight of rank ${w.shape.length}`);
  if (w.dtype !== 'float32' && w.dtype !== 'float64') return invalid(`a ${w.dtype} weight`);
  const batched = rank === dims + 2 ? x : withBatch(x);
  if (batched.shape.slice(1).some((s) => s === 0)) return invalid('empty channel or spatial dimension');
  const [o, cg, ...kernel] = w.shape as [number, number, ...number[]];
  if (kernel.some((k) => k === 0)) return invalid('empty kernel');
  if (o === 0 || o % groups !== 0) return invalid(`${o} output channels for ${groups} groups`);
  if (cg * groups !== batched.shape[1]) return invalid('channel mismatch');
  const size = batched.shape.slice(2);
  const reach = kernel.map((k, i) => (win.dilation[i] as number) * (k - 1) + 1);
  if (padding === 'same' && win.stride.some((s) => s !== 1)) return invalid("'same' with a stride");
  const total =
    padding === 'same' ? reach.map((r) => r - 1) : padding === 'valid' ? reach.map(() => 0) : padding.map((p) => 2 * p);
  if (size.some((s, i) => s + (total[i] as number) < (reach[i] as number)))
    return invalid('kernel larger than the padded input');
  const before = padding === 'same' ? total.map((t) => Math.floor(t / 2)) : padding === 'valid' ? total : padding;
  const full: Win = { ...win, kernel, padding: before };
  const outSize = padding === 'same' ? size : size.map((s, i) => windowsAlong(s, full, i));
  const out = convRef(batched, w, bias, full, outSize, groups, promote(floatOf(x.dtype), w.dtype));
  return rank === dims + 2 ? out : withoutBatch(out);
}

function conv(name: 'conv1d' | 'conv2d', dims: number): SeqOp {
  return {
    names: [name],
    arity: 2,
    plan: ([x, y], [rx, ry], d, [nx, ny]) => {
      const input = lifted(
        x as Tensor,
        rx as Ref,
        nx as string,
        drawLift(d, (rx as Ref).shape.length, [dims + 1, dims + 2]),
      );
      const other = { ref: ry as Ref, tensor: () => y as Tensor, code: ny as string };
      const { weight, groups } = drawWeight(d, input.ref, other, dims);
      const outChannels = weight.ref.shape[0] ?? 1;
      const bias = d.oneIn(2) ? null : made([outChannels], weight.ref.dtype === 'float64' ? 'float64' : 'float32', 3);
      const win = drawWin(d, dims, 2);
      const form = d.pick(['numbers', 'numbers', 'same', 'valid'] as const);
      const padding: Padding = form === 'numbers' ? win.padding : form;
      const stride = padding === 'same' && !d.oneIn(4) ? win.stride.map(() => 1) : win.stride;
      const options = { stride, dilation: win.dilation, padding, groups };
      const expected = convExpected(
        input.ref,
        weight.ref,
        bias?.ref ?? null,
        { ...win, stride },
        padding,
        groups,
        dims,
      );
      return {
        code: `core.${name}(${input.code}, ${weight.code}, ${bias === null ? 'null' : bias.code}, ${show(options)})`,
        call: () => core[name](input.tensor(), weight.tensor(), bias === null ? null : bias.tensor(), options),
        expected,
        compare: 'close',
      };
    },
  };
}

/** What PyTorch computes for convTranspose<dims>d, or why it refuses. */
function convTransposeExpected(
  x: Ref,
  w: Ref,
  bias: Ref | null,
  win: Win,
  extra: number[],
  groups: number,
  dims: number,
): RefResult {
  const rank = x.shape.length;
  if (rank !== dims + 1 && rank !== dims + 2) return invalid(`input of rank ${rank}`);
  if (w.shape.length !== dims + 2) return invalid(`weight of rank ${w.shape.length}`);
  if (w.dtype !== 'float32' && w.dtype !== 'float64') return invalid(`a ${w.dtype} weight`);
  const batched = rank === dims + 2 ? x : withBatch(x);
  if (batched.shape.slice(1).some((s) => s === 0)) return invalid('empty channel or spatial dimension');
  const [c, og, ...kernel] = w.shape as [number, number, ...number[]];
  if (og === 0 || kernel.some((k) => k === 0)) return invalid('empty weight');
  if (c % groups !== 0) return invalid(`${c} input channels for ${groups} groups`);
  if (c !== batched.shape[1]) return invalid('channel mismatch');
  if (extra.some((e, i) => e >= (win.stride[i] as number) && e >= (win.dilation[i] as number)))
    return invalid('output padding too large');
  const full: Win = { ...win, kernel };
  const outSize = batched.shape
    .slice(2)
    .map(
      (s, i) =>
        (s - 1) * (win.stride[i] as number) -
        2 * (win.padding[i] as number) +
        (win.dilation[i] as number) * ((kernel[i] as number) - 1) +
        (extra[i] as number) +
        1,
    );
  if (outSize.some((s) => s < 1)) return invalid('output too small');
  const out = convTransposeRef(batched, w, bias, full, outSize, groups, promote(floatOf(x.dtype), w.dtype));
  return rank === dims + 2 ? out : withoutBatch(out);
}

function convTranspose(name: 'convTranspose1d' | 'convTranspose2d', dims: number): SeqOp {
  return {
    names: [name],
    arity: 2,
    plan: ([x, y], [rx, ry], d, [nx, ny]) => {
      const input = lifted(
        x as Tensor,
        rx as Ref,
        nx as string,
        drawLift(d, (rx as Ref).shape.length, [dims + 1, dims + 2]),
      );
      const rank = input.ref.shape.length;
      const c = rank >= dims + 1 ? (input.ref.shape[rank - dims - 1] as number) : 1;
      const groups = drawGroups(d, c);
      const weight = d.oneIn(5)
        ? { ref: ry as Ref, tensor: () => y as Tensor, code: ny as string }
        : made(
            [c, d.int(1, 2), ...Array.from({ length: dims }, () => d.int(1, 3))],
            d.pick(['float32', 'float64'] as const),
            d.int(0, 4),
          );
      const outChannels = (weight.ref.shape[1] ?? 1) * groups;
      const bias = d.oneIn(2) ? null : made([outChannels], weight.ref.dtype === 'float64' ? 'float64' : 'float32', 2);
      const win = drawWin(d, dims, 1);
      const extra = Array.from({ length: dims }, () => (d.oneIn(3) ? d.int(0, 2) : 0));
      const options = {
        stride: win.stride,
        padding: win.padding,
        dilation: win.dilation,
        outputPadding: extra,
        groups,
      };
      return {
        code: `core.${name}(${input.code}, ${weight.code}, ${bias === null ? 'null' : bias.code}, ${show(options)})`,
        call: () => core[name](input.tensor(), weight.tensor(), bias === null ? null : bias.tensor(), options),
        expected: convTransposeExpected(input.ref, weight.ref, bias?.ref ?? null, win, extra, groups, dims),
        compare: 'close',
      };
    },
  };
}

/** A pool's input: lifted toward rank dims + 1 or dims + 2; refused when of another rank or empty. */
function poolInput(d: Draw, x: Tensor, r: Ref, name: string, dims: number) {
  const input = lifted(x, r, name, drawLift(d, r.shape.length, [dims + 1, dims + 2]));
  const rank = input.ref.shape.length;
  let refusal: string | null = null;
  if (rank !== dims + 1 && rank !== dims + 2) refusal = `input of rank ${rank}`;
  else if (input.ref.shape.slice(rank - dims - 1).some((v) => v === 0)) refusal = 'empty channel or spatial dimension';
  const batched = rank === dims + 2 ? input.ref : withBatch(input.ref);
  return { input, refusal, batched, unbatch: (out: Ref) => (rank === dims + 2 ? out : withoutBatch(out)) };
}

/** Kernel, stride (or the default), padding (sometimes above half the kernel) and ceilMode of a pool. */
function drawPool(d: Draw, dims: number, dilation: boolean) {
  const list = (lo: number, hi: number) => Array.from({ length: dims }, () => d.int(lo, hi));
  const kernel = list(1, 3);
  return {
    kernel,
    stride: d.oneIn(3) ? undefined : list(1, 3),
    padding: list(0, 1),
    dilation: dilation ? list(1, 2) : kernel.map(() => 1),
    ceilMode: d.oneIn(2),
  };
}

type PoolDraw = ReturnType<typeof drawPool>;

/** How many taps window `o` has along dimension `i`. */
const tapCount = (taps: number[][][], i: number, o: number) => ((taps[i] as number[][])[o] as number[]).length;

/** The output size and taps of a pool, or why PyTorch (or chainrule, for windows of padding only) refuses it. */
function poolWindowsRef(size: readonly number[], p: PoolDraw): { out: number[]; taps: number[][][] } | string {
  const stride = p.stride ?? p.kernel;
  if (p.padding.some((v, i) => v > Math.floor((p.kernel[i] as number) / 2))) return 'padding above half the kernel';
  const args = (i: number) =>
    [p.kernel[i] as number, stride[i] as number, p.padding[i] as number, p.dilation[i] as number] as const;
  const out = size.map((n, i) => poolSize(n, ...args(i), p.ceilMode));
  if (out.some((v) => v < 1)) return 'empty output';
  const taps = size.map((n, i) => maxPoolTaps(n, ...args(i), out[i] as number));
  if (taps.some((t) => t.some((w) => w.length === 0))) return 'a window of padding only';
  return { out, taps };
}

function maxPool(name: 'maxPool1d' | 'maxPool2d', dims: number): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const { input, refusal, batched, unbatch } = poolInput(d, x as Tensor, r as Ref, n as string, dims);
      const p = drawPool(d, dims, true);
      const options = {
        ...(p.stride === undefined ? {} : { stride: p.stride }),
        padding: p.padding,
        dilation: p.dilation,
        ceilMode: p.ceilMode,
      };
      let expected: RefResult = invalid(refusal ?? '');
      if (refusal === null) {
        const w = poolWindowsRef(batched.shape.slice(2), p);
        expected =
          typeof w === 'string' ? invalid(w) : unbatch(maxOverRef(batched, w.taps, floatOf(batched.dtype)).values);
      }
      return {
        code: `core.${name}(${input.code}, ${show(p.kernel)}, ${show(options)})`,
        call: () => core[name](input.tensor(), p.kernel, options),
        expected,
        compare: 'exact',
      };
    },
  };
}

function avgPool(name: 'avgPool1d' | 'avgPool2d' | 'avgPool3d', dims: number): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const { input, refusal, batched, unbatch } = poolInput(d, x as Tensor, r as Ref, n as string, dims);
      const p = drawPool(d, dims, false);
      const countIncludePad = !d.oneIn(3);
      const divisorOverride = d.pick([undefined, undefined, 3, -2, 0]);
      const options = {
        ...(p.stride === undefined ? {} : { stride: p.stride }),
        padding: p.padding,
        ceilMode: p.ceilMode,
        countIncludePad,
        ...(divisorOverride === undefined ? {} : { divisorOverride }),
      };
      let expected: RefResult = invalid(refusal ?? '');
      if (refusal === null && divisorOverride === 0) expected = invalid('divisorOverride 0');
      else if (refusal === null) {
        const size = batched.shape.slice(2);
        const w = poolWindowsRef(size, p);
        const stride = p.stride ?? p.kernel;
        // PyTorch's divisor: the window clipped to the padded input, or its taps inside the input.
        const span = (o: number, i: number) => {
          const start = o * (stride[i] as number) - (p.padding[i] as number);
          return Math.min(start + (p.kernel[i] as number), (size[i] as number) + (p.padding[i] as number)) - start;
        };
        expected =
          typeof w === 'string'
            ? invalid(w)
            : unbatch(
                meanOverRef(
                  batched,
                  w.taps,
                  (o) =>
                    divisorOverride ??
                    o.reduce((q, v, i) => q * (countIncludePad ? span(v, i) : tapCount(w.taps, i, v)), 1),
                  floatOf(batched.dtype),
                ),
              );
      }
      return {
        code: `core.${name}(${input.code}, ${show(p.kernel)}, ${show(options)})`,
        call: () => core[name](input.tensor(), p.kernel, options),
        expected,
        compare: 'close',
      };
    },
  };
}

type AdaptiveName =
  | 'adaptiveAvgPool1d'
  | 'adaptiveAvgPool2d'
  | 'adaptiveAvgPool3d'
  | 'adaptiveMaxPool1d'
  | 'adaptiveMaxPool2d';

function adaptive(name: AdaptiveName, dims: number): SeqOp {
  const max = name.startsWith('adaptiveMax');
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const { input, refusal, batched, unbatch } = poolInput(d, x as Tensor, r as Ref, n as string, dims);
      const sizes = Array.from({ length: dims }, () => (d.oneIn(5) ? null : d.int(0, 4)));
      const first = sizes[0] ?? null;
      const outputSize: number | (number | null)[] = d.oneIn(4) && first !== null ? first : sizes;
      let expected: RefResult = invalid(refusal ?? '');
      if (refusal === null) {
        const size = batched.shape.slice(2);
        const out = size.map((v, i) => (Array.isArray(outputSize) ? (outputSize[i] ?? v) : outputSize));
        const taps = size.map((v, i) => adaptiveTaps(v, out[i] as number));
        const dtype = floatOf(batched.dtype);
        expected = unbatch(
          max
            ? maxOverRef(batched, taps, dtype).values
            : meanOverRef(batched, taps, (o) => o.reduce((q, v, i) => q * tapCount(taps, i, v), 1), dtype),
        );
      }
      return {
        code: `core.${name}(${input.code}, ${show(outputSize)})`,
        call: () => core[name](input.tensor(), outputSize),
        expected,
        compare: max ? 'exact' : 'close',
      };
    },
  };
}

function maxUnpool(name: 'maxUnpool1d' | 'maxUnpool2d', dims: number): SeqOp {
  return {
    names: [name],
    arity: 1,
    plan: ([x], [r], d, [n]) => {
      const { input, refusal, batched, unbatch } = poolInput(d, x as Tensor, r as Ref, n as string, dims);
      const kernel = Array.from({ length: dims }, () => d.int(1, 3));
      const size = batched.shape.slice(2);
      const out = size.map((v, i) => (v - 1) * (kernel[i] as number) + (kernel[i] as number));
      const plane = sizeOf(out);
      // Indices in the output plane, now and then one past it (refused).
      let seed = d.int(0, 996);
      const bad = d.oneIn(4);
      const indices = input.ref.data.map((_, i) => {
        seed = (seed * 31 + 7) % 997;
        return bad && i === 0 ? plane : seed % Math.max(plane, 1);
      });
      const shape = input.ref.shape;
      const idx = () => core.tensor(Int32Array.from(indices), { shape });
      let expected: RefResult = invalid(refusal ?? '');
      if (refusal === null) {
        expected =
          bad && indices.length > 0
            ? invalid('index outside the output')
            : unbatch(unpoolRef(batched, indices, out, floatOf(batched.dtype)));
      }
      return {
        code: `core.${name}(${input.code}, tensor(Int32Array.from(${show(indices)}), { shape: ${show(shape)} }), ${show(kernel)})`,
        call: () => core[name](input.tensor(), idx(), kernel),
        expected,
        compare: 'exact',
      };
    },
  };
}

/** What PyTorch's pad does with these arguments, or why it refuses them. */
function padExpected(r: Ref, pads: number[], mode: string, value: number | undefined): RefResult {
  const rank = r.shape.length;
  const dims = pads.length / 2;
  if (dims > rank) return invalid('more pads than dimensions');
  if (mode !== 'constant' && value !== undefined && value !== 0) return invalid('a value for a border mode');
  const before = r.shape.map(() => 0);
  const after = r.shape.map(() => 0);
  for (let k = 0; k < dims; k++) {
    before[rank - 1 - k] = pads[2 * k] as number;
    after[rank - 1 - k] = pads[2 * k + 1] as number;
  }
  const out = r.shape.map((n, i) => n + (before[i] as number) + (after[i] as number));
  if (mode === 'constant')
    return out.some((n) => n < 0) ? invalid('crops past the input') : padRef(r, before, after, mode, value ?? 0);
  const ranks = mode === 'circular' ? [dims + 2] : [dims + 1, dims + 2];
  if (dims < 1 || dims > 3 || !ranks.includes(rank)) return invalid(`${mode} of ${dims} dimensions on rank ${rank}`);
  for (let i = 0; i < rank; i++) {
    const n = r.shape[i] as number;
    if ((i > 0 || rank === dims + 1) && n === 0) return invalid('an empty dimension');
    if (i < rank - dims) continue;
    const p = before[i] as number;
    const q = after[i] as number;
    const kept = n - Math.max(-p, 0) - Math.max(-q, 0);
    const limit = mode === 'reflect' ? n - 1 : mode === 'circular' ? Math.min(n, kept) : Number.POSITIVE_INFINITY;
    if (p > limit || q > limit || kept < 0) return invalid(`pads (${p}, ${q}) for size ${n}`);
  }
  return padRef(r, before, after, mode, 0);
}

const pad: SeqOp = {
  names: ['pad'],
  arity: 1,
  plan: ([x], [r], d, [n]) => {
    const mode = d.pick(['constant', 'constant', 'reflect', 'replicate', 'circular'] as const);
    const pads = Array.from({ length: 2 * d.int(0, 3) }, () => d.int(-2, 3));
    const value = mode === 'constant' ? d.pick([undefined, 0, 2.5, -1]) : d.oneIn(6) ? 1 : undefined;
    const options = { mode, ...(value === undefined ? {} : { value }) };
    return {
      code: `core.pad(${n}, ${show(pads)}, ${show(options)})`,
      call: () => core.pad(x as Tensor, pads, options),
      expected: padExpected(r as Ref, pads, mode, value),
      compare: 'exact',
    };
  },
};

/** The convolution family's ops for the sequence fuzzer, by name. */
export const convSequenceOps: Record<string, SeqOp> = {
  unfold,
  fold,
  conv1d: conv('conv1d', 1),
  conv2d: conv('conv2d', 2),
  convTranspose1d: convTranspose('convTranspose1d', 1),
  convTranspose2d: convTranspose('convTranspose2d', 2),
  maxPool1d: maxPool('maxPool1d', 1),
  maxPool2d: maxPool('maxPool2d', 2),
  avgPool1d: avgPool('avgPool1d', 1),
  avgPool2d: avgPool('avgPool2d', 2),
  avgPool3d: avgPool('avgPool3d', 3),
  adaptiveAvgPool1d: adaptive('adaptiveAvgPool1d', 1),
  adaptiveAvgPool2d: adaptive('adaptiveAvgPool2d', 2),
  adaptiveAvgPool3d: adaptive('adaptiveAvgPool3d', 3),
  adaptiveMaxPool1d: adaptive('adaptiveMaxPool1d', 1),
  adaptiveMaxPool2d: adaptive('adaptiveMaxPool2d', 2),
  maxUnpool1d: maxUnpool('maxUnpool1d', 1),
  maxUnpool2d: maxUnpool('maxUnpool2d', 2),
  pad,
};
