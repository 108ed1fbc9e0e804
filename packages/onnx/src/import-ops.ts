/**
 * ONNX operators as chainrule ops, for importOnnx. Each entry checks a
 * node's attributes when the model is imported (so a bad attribute is
 * refused before any weight is read) and returns the function that runs the
 * node on tensors, built from core's differentiable ops. Semantics are the
 * ONNX operator specification's for opsets 13 to 21.
 */
import * as C from '@chainrule/core';
import type { DType, Tensor } from '@chainrule/core';
import { layerNorm } from '@chainrule/nn';
import { type AttributeInfo, type NodeInfo, type TensorInfo, tensorValues, typeName } from './decode';
import { OnnxImportError } from './import-error';

/** Runs one node: its inputs (undefined where an optional one is left out) to its outputs. */
export type NodeRun = (inputs: readonly (Tensor | undefined)[]) => Tensor[];

/** What an operator entry reads of a node at import time. */
export interface NodeView {
  readonly node: NodeInfo;
  readonly opset: number;
  /** The most elements a tensor whose shape comes from the graph's values may have. */
  readonly maxElements: number;
  /** An INT attribute, or `fallback` when absent. */
  int(name: string, fallback: number): number;
  /** A FLOAT attribute, or `fallback` when absent. */
  float(name: string, fallback: number): number;
  /** An INTS attribute, or `fallback` when absent. */
  ints(name: string, fallback: readonly number[] | null): readonly number[] | null;
  /** A STRING attribute, or `fallback` when absent. */
  string(name: string, fallback: string): string;
  /** A TENSOR attribute, or null when absent. */
  tensor(name: string): TensorInfo | null;
  /** Throws an OnnxImportError about this node. */
  fail(message: string): never;
}

interface OpEntry {
  /** Inputs the node must have (non-empty names), and at most how many it may have. */
  readonly inputs: readonly [number, number];
  readonly compile: (v: NodeView) => NodeRun;
}

const op = 'importOnnx';

/**
 * The default bound on a tensor whose shape the graph computes (padding, Expand, Tile, ConstantOfShape,
 * Range): 2^28 elements, 1 GiB of float32. A graph whose values ask for more is hostile or broken, and
 * would otherwise stall the process allocating and filling it.
 */
export const defaultMaxElements = 2 ** 28;

export function nodeView(node: NodeInfo, opset: number, maxElements: number = defaultMaxElements): NodeView {
  const fail = (message: string): never => {
    throw new OnnxImportError(op, `node '${node.name}' (${node.opType}): ${message}`);
  };
  const get = (name: string, type: number): AttributeInfo | undefined => {
    const a = node.attributes.get(name);
    if (a !== undefined && a.type !== type) fail(`the attribute '${name}' has type ${a.type}, expected ${type}`);
    return a;
  };
  return {
    node,
    opset,
    maxElements,
    fail,
    int: (name, fallback) => get(name, 2)?.i ?? fallback,
    float: (name, fallback) => get(name, 1)?.f ?? fallback,
    ints: (name, fallback) => get(name, 7)?.ints ?? fallback,
    string: (name, fallback) => get(name, 3)?.s ?? fallback,
    tensor: (name) => get(name, 4)?.t ?? null,
  };
}

/** The values of an integer (or any) tensor as numbers, for shapes, axes and pads given as inputs. */
export function numbersOf(t: Tensor): number[] {
  return C.reshape(t.detach(), [-1]).toArray() as number[];
}

/** A tensor from a checked TensorInfo (reads its bytes). */
export function tensorFrom(info: TensorInfo): Tensor {
  return C.tensor(tensorValues(info), { shape: info.dims, dtype: info.dtype });
}

const isInt = (t: Tensor): boolean => t.dtype !== 'float32' && t.dtype !== 'float64' && t.dtype !== 'bool';

function axisOf(v: NodeView, axis: number, rank: number): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    v.fail(`the axis ${axis} is out of range for an input of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

const req = (xs: readonly (Tensor | undefined)[], i: number): Tensor => xs[i] as Tensor;

/** An elementwise operator of one input. */
const unary = (f: (x: Tensor) => Tensor): OpEntry => ({ inputs: [1, 1], compile: () => (xs) => [f(req(xs, 0))] });

/** An elementwise operator of two inputs (broadcasting). */
const binary = (f: (a: Tensor, b: Tensor) => Tensor): OpEntry => ({
  inputs: [2, 2],
  compile: () => (xs) => [f(req(xs, 0), req(xs, 1))],
});

/** Max, Min, Sum, Mean: any number of inputs, broadcast together. */
const variadic = (f: (a: Tensor, b: Tensor) => Tensor, mean = false): OpEntry => ({
  inputs: [1, 2 ** 16],
  compile: () => (xs) => {
    const ts = xs.filter((x): x is Tensor => x !== undefined);
    let out = ts[0] as Tensor;
    for (const t of ts.slice(1)) out = f(out, t);
    return [mean ? C.div(out, ts.length) : out];
  },
});

/** ONNX's integer Div truncates; chainrule's div of integers gives floats. */
function divide(a: Tensor, b: Tensor): Tensor {
  if (isInt(a) && isInt(b)) return C.to(C.trunc(C.div(a, b)), a.dtype);
  return C.div(a, b);
}

/** Reduce operators: axes from the input (or, before it was one, the attribute), keepdims, noop_with_empty_axes. */
function reduce(f: (x: Tensor, axes: number[], keep: boolean) => Tensor): OpEntry {
  return {
    inputs: [1, 2],
    compile: (v) => {
      const keep = v.int('keepdims', 1) !== 0;
      const noop = v.int('noop_with_empty_axes', 0) !== 0;
      const attrAxes = v.ints('axes', null);
      return (xs) => {
        const x = req(xs, 0);
        const given = xs[1] !== undefined ? numbersOf(xs[1]) : attrAxes;
        if ((given === null || given.length === 0) && noop) return [x];
        const axes =
          given === null || given.length === 0 ? x.shape.map((_, i) => i) : given.map((a) => axisOf(v, a, x.ndim));
        if (x.ndim === 0) return [x];
        return [f(x, axes, keep)];
      };
    },
  };
}

const castTargets: Readonly<Record<number, DType>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  7: 'int32',
  9: 'bool',
  11: 'float64',
};

function castTo(v: NodeView, to: number): DType {
  const dtype = castTargets[to];
  if (dtype === undefined) v.fail(`casting to ${typeName(to)} is not supported (chainrule has no such dtype)`);
  return dtype as DType;
}

/** The broadcast of two shapes (NumPy's rule), as ONNX's Expand uses. */
function broadcastShapes(v: NodeView, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const p = a[a.length - n + i] ?? 1;
    const q = b[b.length - n + i] ?? 1;
    if (p !== q && p !== 1 && q !== 1) v.fail(`cannot broadcast [${a.join(', ')}] with [${b.join(', ')}]`);
    return p === 1 ? q : p;
  });
}

function checkSize(v: NodeView, shape: readonly number[]): void {
  let n = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) v.fail(`the shape [${shape.join(', ')}] has a negative or fractional dimension`);
    n *= d;
  }
  if (n > v.maxElements) {
    v.fail(`the shape [${shape.join(', ')}] has more than ${v.maxElements} elements (the maxElements option)`);
  }
}

/** Spatial geometry shared by Conv and the pools: per-dimension pads (begin, end) for this input. */
function spatialPads(
  v: NodeView,
  inSize: readonly number[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
  pads: readonly number[] | null,
  autoPad: string,
): [number[], number[]] {
  const d = inSize.length;
  if (autoPad === 'NOTSET') {
    const p = pads ?? new Array<number>(2 * d).fill(0);
    if (p.length !== 2 * d || p.some((x) => x < 0))
      v.fail(`pads must list ${2 * d} non-negative numbers, got [${p.join(', ')}]`);
    return [p.slice(0, d), p.slice(d)];
  }
  if (autoPad === 'VALID') return [new Array<number>(d).fill(0), new Array<number>(d).fill(0)];
  const begin: number[] = [];
  const end: number[] = [];
  inSize.forEach((n, i) => {
    const s = strides[i] as number;
    const reach = (Math.ceil(n / s) - 1) * s + ((kernel[i] as number) - 1) * (dilations[i] as number) + 1;
    const total = Math.max(0, reach - n);
    const small = Math.floor(total / 2);
    begin.push(autoPad === 'SAME_LOWER' ? total - small : small);
    end.push(autoPad === 'SAME_LOWER' ? small : total - small);
  });
  return [begin, end];
}

function checkPadded(v: NodeView, x: Tensor, begin: readonly number[], end: readonly number[]): void {
  checkSize(
    v,
    x.shape.map((d, i) => (i < 2 ? d : d + (begin[i - 2] as number) + (end[i - 2] as number))),
  );
}

/** core's pad list (pairs from the last dimension) padding only the spatial dimensions of [N, C, ...]. */
function corePads(begin: readonly number[], end: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = begin.length - 1; i >= 0; i--) out.push(begin[i] as number, end[i] as number);
  return out;
}

interface Window {
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
  pads: readonly number[] | null;
  autoPad: string;
}

function windowAttributes(v: NodeView, spatial: number | null, kernelFromWeight = false): Window {
  const kernel = v.ints('kernel_shape', null);
  if (kernel === null && !kernelFromWeight) v.fail('the attribute kernel_shape is required');
  const d = spatial ?? kernel?.length ?? 0;
  if (kernel !== null && kernel.some((k) => !Number.isInteger(k) || k < 1))
    v.fail(`kernel_shape must hold positive integers, got [${kernel.join(', ')}]`);
  const ones = new Array<number>(d).fill(1);
  const strides = v.ints('strides', null) ?? ones;
  const dilations = v.ints('dilations', null) ?? ones;
  for (const [name, list] of [
    ['strides', strides],
    ['dilations', dilations],
  ] as const) {
    if (list.some((s) => !Number.isInteger(s) || s < 1) || (kernel !== null && list.length !== kernel.length)) {
      v.fail(`${name} must hold one positive integer per spatial dimension, got [${list.join(', ')}]`);
    }
  }
  const autoPad = v.string('auto_pad', 'NOTSET');
  if (!['NOTSET', 'VALID', 'SAME_UPPER', 'SAME_LOWER'].includes(autoPad))
    v.fail(`auto_pad '${autoPad}' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER`);
  return { kernel: kernel ?? [], strides, dilations, pads: v.ints('pads', null), autoPad };
}

function checkSpatial(v: NodeView, x: Tensor, w: Window): number[] {
  const d = x.ndim - 2;
  if (d < 1 || d > 3)
    v.fail(`the input must be [N, C, ...] with 1 to 3 spatial dimensions, got shape [${x.shape.join(', ')}]`);
  if (w.kernel.length !== d)
    v.fail(`kernel_shape [${w.kernel.join(', ')}] does not fit an input of shape [${x.shape.join(', ')}]`);
  return x.shape.slice(2);
}

const convs = [C.conv1d, C.conv2d, C.conv3d] as const;
const maxPools = [C.maxPool1d, C.maxPool2d, C.maxPool3d] as const;
const avgPools = [C.avgPool1d, C.avgPool2d, C.avgPool3d] as const;

const conv: OpEntry = {
  inputs: [2, 3],
  compile: (v) => {
    const group = v.int('group', 1);
    if (!Number.isInteger(group) || group < 1) v.fail(`group must be a positive integer, got ${group}`);
    const attrs = windowAttributes(v, null, true);
    return (xs) => {
      const x = req(xs, 0);
      const weight = req(xs, 1);
      const w = { ...attrs, kernel: attrs.kernel.length > 0 ? attrs.kernel : weight.shape.slice(2) };
      const ones = w.kernel.map(() => 1);
      const full = {
        ...w,
        strides: attrs.strides.length > 0 ? attrs.strides : ones,
        dilations: attrs.dilations.length > 0 ? attrs.dilations : ones,
      };
      const inSize = checkSpatial(v, x, full);
      const [begin, end] = spatialPads(v, inSize, full.kernel, full.strides, full.dilations, full.pads, full.autoPad);
      checkPadded(v, x, begin, end);
      const symmetric = begin.every((b, i) => b === end[i]);
      const input = symmetric ? x : C.pad(x, corePads(begin, end));
      const f = convs[inSize.length - 1] as (typeof convs)[number];
      return [
        f(input, weight, xs[2] ?? null, {
          stride: full.strides,
          dilation: full.dilations,
          padding: symmetric ? begin : begin.map(() => 0),
          groups: group,
        }),
      ];
    };
  },
};

const convTransposes = [C.convTranspose1d, C.convTranspose2d, C.convTranspose3d] as const;

/**
 * ConvTranspose: the transposed convolution without padding (core's), then
 * each spatial dimension cropped by its pads (begin, end) and extended by
 * output_padding, so that asymmetric pads work; positions past what the
 * full transposed convolution reaches are zeros (plus the bias).
 */
const convTranspose: OpEntry = {
  inputs: [2, 3],
  compile: (v) => {
    const group = v.int('group', 1);
    if (!Number.isInteger(group) || group < 1) v.fail(`group must be a positive integer, got ${group}`);
    const attrs = windowAttributes(v, null, true);
    if (attrs.autoPad === 'SAME_UPPER' || attrs.autoPad === 'SAME_LOWER')
      v.fail(`auto_pad '${attrs.autoPad}' is not supported (NOTSET and VALID are)`);
    if (v.ints('output_shape', null) !== null)
      v.fail('the attribute output_shape is not supported (give pads and output_padding)');
    const outputPadding = v.ints('output_padding', null);
    return (xs) => {
      const x = req(xs, 0);
      const weight = req(xs, 1);
      const kernel = attrs.kernel.length > 0 ? attrs.kernel : weight.shape.slice(2);
      const ones = kernel.map(() => 1);
      const full = {
        ...attrs,
        kernel,
        strides: attrs.strides.length > 0 ? attrs.strides : ones,
        dilations: attrs.dilations.length > 0 ? attrs.dilations : ones,
      };
      const inSize = checkSpatial(v, x, full);
      const extra = outputPadding ?? ones.map(() => 0);
      if (extra.length !== kernel.length || extra.some((p) => !Number.isInteger(p) || p < 0))
        v.fail(`output_padding must hold one non-negative integer per spatial dimension, got [${extra.join(', ')}]`);
      const [begin, end] = spatialPads(v, inSize, kernel, full.strides, full.dilations, full.pads, full.autoPad);
      // The size of the transposed convolution without padding, and the size ONNX asks for.
      const reach = inSize.map(
        (n, i) =>
          (n - 1) * (full.strides[i] as number) + ((kernel[i] as number) - 1) * (full.dilations[i] as number) + 1,
      );
      const outSize = reach.map((r, i) => r + (extra[i] as number) - (begin[i] as number) - (end[i] as number));
      if (outSize.some((n) => n < 1))
        v.fail(`the output would have the spatial size [${outSize.join(', ')}]; each size must be at least 1`);
      const channels = (weight.shape[1] ?? 0) * group;
      checkSize(v, [x.shape[0] as number, channels, ...reach]);
      checkSize(v, [x.shape[0] as number, channels, ...outSize]);
      const f = convTransposes[inSize.length - 1] as (typeof convTransposes)[number];
      let y = f(x, weight, null, { stride: full.strides, dilation: full.dilations, groups: group });
      const grow = outSize.map((n, i) => Math.max(0, (begin[i] as number) + n - (reach[i] as number)));
      outSize.forEach((n, i) => {
        const start = begin[i] as number;
        if (start !== 0 || start + n < (reach[i] as number))
          y = C.slice(y, i + 2, start, Math.min(start + n, reach[i] as number));
      });
      if (grow.some((g) => g > 0))
        y = C.pad(
          y,
          corePads(
            grow.map(() => 0),
            grow,
          ),
        );
      const bias = xs[2];
      return [bias === undefined ? y : C.add(y, C.reshape(bias, [-1, ...inSize.map(() => 1)]))];
    };
  },
};

/** Shrink: x − bias above lambd, x + bias below −lambd, 0 between; core's softshrink and hardshrink where it is one. */
const shrink: OpEntry = {
  inputs: [1, 1],
  compile: (v) => {
    const lambd = v.float('lambd', 0.5);
    const bias = v.float('bias', 0);
    if (!(lambd >= 0)) v.fail(`lambd must be a non-negative number, got ${lambd}`);
    if (bias === lambd) return (xs) => [C.softshrink(req(xs, 0), lambd)];
    if (bias === 0) return (xs) => [C.hardshrink(req(xs, 0), lambd)];
    return (xs) => {
      const x = req(xs, 0);
      const zero = C.zerosLike(x);
      return [C.where(C.gt(x, lambd), C.sub(x, bias), C.where(C.lt(x, -lambd), C.add(x, bias), zero))];
    };
  },
};

/** IsInf: detect_positive and detect_negative pick which infinities count. */
const isInf: OpEntry = {
  inputs: [1, 1],
  compile: (v) => {
    const positive = v.int('detect_positive', 1) !== 0;
    const negative = v.int('detect_negative', 1) !== 0;
    return (xs) => {
      const x = req(xs, 0);
      if (positive && negative) return [C.isinf(x)];
      if (positive) return [C.isposinf(x)];
      if (negative) return [C.isneginf(x)];
      return [C.zerosLike(x, { dtype: 'bool' })];
    };
  },
};

/** CumSum: the axis as a scalar input; exclusive leaves each element out of its own sum, reverse sums from the end. */
const cumSum: OpEntry = {
  inputs: [2, 2],
  compile: (v) => {
    const exclusive = v.int('exclusive', 0) !== 0;
    const reverse = v.int('reverse', 0) !== 0;
    return (xs) => {
      const x = req(xs, 0);
      const given = numbersOf(req(xs, 1));
      if (given.length !== 1) v.fail(`the axis must be one number, got ${given.length}`);
      const axis = axisOf(v, given[0] as number, x.ndim);
      const sums = reverse ? C.flip(C.cumsum(C.flip(x, axis), axis), axis) : C.cumsum(x, axis);
      return [exclusive ? C.sub(sums, x) : sums];
    };
  },
};

/** Trilu: the lower (upper = 0) or upper triangle of the last two axes, with the diagonal offset k (an optional scalar input). */
const trilu: OpEntry = {
  inputs: [1, 2],
  compile: (v) => {
    const upper = v.int('upper', 1) !== 0;
    return (xs) => {
      const x = req(xs, 0);
      if (x.ndim < 2) v.fail(`the input must have rank 2 or more, got shape [${x.shape.join(', ')}]`);
      const given = xs[1] === undefined ? [0] : numbersOf(xs[1]);
      if (given.length !== 1) v.fail(`k must be one number, got ${given.length}`);
      const k = given[0] as number;
      return [upper ? C.triu(x, k) : C.tril(x, k)];
    };
  },
};

const maxPool: OpEntry = {
  inputs: [1, 1],
  compile: (v) => {
    if ((v.node.outputs[1] ?? '') !== '') v.fail('the Indices output is not supported');
    const w = windowAttributes(v, null);
    const ceilMode = v.int('ceil_mode', 0) !== 0;
    return (xs) => {
      const x = req(xs, 0);
      const inSize = checkSpatial(v, x, w);
      const [begin, end] = spatialPads(v, inSize, w.kernel, w.strides, w.dilations, w.pads, w.autoPad);
      checkPadded(v, x, begin, end);
      const symmetric = begin.every((b, i) => b === end[i] && 2 * b <= (w.kernel[i] as number));
      const input = symmetric ? x : C.pad(x, corePads(begin, end), { value: Number.NEGATIVE_INFINITY });
      const f = maxPools[inSize.length - 1] as (typeof maxPools)[number];
      return [
        f(input, w.kernel, {
          stride: w.strides,
          dilation: w.dilations,
          padding: symmetric ? begin : begin.map(() => 0),
          ceilMode,
        }),
      ];
    };
  },
};

const averagePool: OpEntry = {
  inputs: [1, 1],
  compile: (v) => {
    const w = windowAttributes(v, null);
    if (w.dilations.some((d) => d !== 1)) v.fail(`dilations [${w.dilations.join(', ')}] are not supported (only 1)`);
    const ceilMode = v.int('ceil_mode', 0) !== 0;
    const includePad = v.int('count_include_pad', 0) !== 0;
    return (xs) => {
      const x = req(xs, 0);
      const inSize = checkSpatial(v, x, w);
      const [begin, end] = spatialPads(v, inSize, w.kernel, w.strides, w.dilations, w.pads, w.autoPad);
      checkPadded(v, x, begin, end);
      const f = avgPools[inSize.length - 1] as (typeof avgPools)[number];
      const symmetric = begin.every((b, i) => b === end[i] && 2 * b <= (w.kernel[i] as number));
      if (symmetric)
        return [f(x, w.kernel, { stride: w.strides, padding: begin, ceilMode, countIncludePad: includePad })];
      const pads = corePads(begin, end);
      const options = { stride: w.strides, ceilMode, countIncludePad: true };
      const sums = f(C.pad(x, pads), w.kernel, options);
      if (includePad) return [sums];
      // Without the padding in the divisor: each window's mean over padded zeros, rescaled by the share of real elements.
      const share = f(C.pad(C.onesLike(x.detach()), pads), w.kernel, options);
      return [C.div(sums, share)];
    };
  },
};

const globalPool = (f: (x: Tensor, axes: number[]) => Tensor): OpEntry => ({
  inputs: [1, 1],
  compile: () => (xs) => {
    const x = req(xs, 0);
    return [f(x, x.shape.map((_, i) => i).slice(2))];
  },
});

function softmaxLike(f: (x: Tensor, axis: number) => Tensor): OpEntry {
  return {
    inputs: [1, 1],
    compile: (v) => {
      const axis = v.int('axis', -1);
      return (xs) => {
        const x = req(xs, 0);
        return [f(x, axisOf(v, axis, x.ndim))];
      };
    },
  };
}

/** ONNX Slice on one axis: start and end clamped as the specification says, any nonzero step. */
function sliceAxis(x: Tensor, axis: number, start: number, end: number, step: number): Tensor {
  const n = x.shape[axis] as number;
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), n);
    e = Math.min(Math.max(e, 0), n);
    return C.slice(x, axis, s, Math.max(s, e), step);
  }
  s = Math.min(Math.max(s, 0), n - 1);
  e = Math.min(Math.max(e, -1), n - 1);
  const count = s > e ? Math.ceil((s - e) / -step) : 0;
  if (count === 0) return C.slice(x, axis, 0, 0);
  const last = s + (count - 1) * step;
  return C.flip(C.slice(x, axis, last, s + 1, -step), axis);
}

const padModes: Readonly<Record<string, C.PadMode>> = {
  constant: 'constant',
  reflect: 'reflect',
  edge: 'replicate',
  wrap: 'circular',
};

// ONNX's defaults, the float32 values of the SELU constants.
const seluAlpha = 1.6732631921768188;
const seluGamma = 1.0507010221481323;

/** Every ONNX operator (default domain) importOnnx maps, by op_type. */
export const importOps: Readonly<Record<string, OpEntry>> = {
  Identity: unary((x) => x),
  Neg: unary(C.neg),
  Exp: unary(C.exp),
  Log: unary(C.log),
  Sqrt: unary(C.sqrt),
  Abs: unary(C.abs),
  Sign: unary(C.sign),
  Sin: unary(C.sin),
  Cos: unary(C.cos),
  Tan: unary(C.tan),
  Asin: unary(C.asin),
  Acos: unary(C.acos),
  Atan: unary(C.atan),
  Sinh: unary(C.sinh),
  Cosh: unary(C.cosh),
  Asinh: unary(C.asinh),
  Acosh: unary(C.acosh),
  Atanh: unary(C.atanh),
  Tanh: unary(C.tanh),
  Sigmoid: unary(C.sigmoid),
  Relu: unary(C.relu),
  Erf: unary(C.erf),
  Floor: unary(C.floor),
  Ceil: unary(C.ceil),
  // NOTE: ONNX's Round, like chainrule's (and torch.round), rounds halves to even.
  Round: unary(C.round),
  Reciprocal: unary(C.reciprocal),
  Softsign: unary(C.softsign),
  Softplus: unary(C.softplus),
  Mish: unary(C.mish),
  HardSwish: unary(C.hardswish),
  Not: unary(C.logicalNot),
  IsNaN: unary(C.isnan),
  IsInf: isInf,
  Shrink: shrink,
  LeakyRelu: {
    inputs: [1, 1],
    compile: (v) => {
      const a = v.float('alpha', 0.01);
      return (xs) => [C.leakyRelu(req(xs, 0), a)];
    },
  },
  Elu: {
    inputs: [1, 1],
    compile: (v) => {
      const a = v.float('alpha', 1);
      return (xs) => [C.elu(req(xs, 0), a)];
    },
  },
  Celu: {
    inputs: [1, 1],
    compile: (v) => {
      const a = v.float('alpha', 1);
      return (xs) => [C.celu(req(xs, 0), a)];
    },
  },
  Selu: {
    inputs: [1, 1],
    compile: (v) => {
      const alpha = v.float('alpha', seluAlpha);
      const gamma = v.float('gamma', seluGamma);
      // gamma·(x > 0 ? x : alpha·(eˣ − 1)); chainrule's selu when the constants are the standard ones.
      if (Math.fround(alpha) === Math.fround(seluAlpha) && Math.fround(gamma) === Math.fround(seluGamma))
        return (xs) => [C.selu(req(xs, 0))];
      return (xs) => [C.mul(C.elu(req(xs, 0), alpha), gamma)];
    },
  },
  HardSigmoid: {
    inputs: [1, 1],
    compile: (v) => {
      const alpha = v.float('alpha', 0.2);
      const beta = v.float('beta', 0.5);
      return (xs) => [C.clamp(C.add(C.mul(req(xs, 0), alpha), beta), 0, 1)];
    },
  },
  Gelu: {
    inputs: [1, 1],
    compile: (v) => {
      const approximate = v.string('approximate', 'none');
      if (approximate !== 'none' && approximate !== 'tanh')
        v.fail(`approximate must be 'none' or 'tanh', got '${approximate}'`);
      const form = approximate === 'tanh' ? 'tanh' : 'none';
      return (xs) => [C.gelu(req(xs, 0), { approximate: form })];
    },
  },
  PRelu: binary((x, slope) => C.where(C.lt(x, 0), C.mul(x, slope), x)),
  Clip: {
    inputs: [1, 3],
    compile: () => (xs) => {
      const lo = xs[1] === undefined ? null : (numbersOf(xs[1])[0] ?? null);
      const hi = xs[2] === undefined ? null : (numbersOf(xs[2])[0] ?? null);
      return [C.clamp(req(xs, 0), lo, hi)];
    },
  },
  Dropout: {
    inputs: [1, 3],
    compile: (v) => {
      // NOTE: imported graphs run in inference mode, where Dropout passes its input through (training_mode is refused).
      return (xs) => {
        if (xs[2] !== undefined && numbersOf(xs[2])[0] !== 0) v.fail('training_mode = true is not supported');
        const x = req(xs, 0);
        return [x, C.onesLike(x, { dtype: 'bool' })];
      };
    },
  },

  Add: binary(C.add),
  Sub: binary(C.sub),
  Mul: binary(C.mul),
  Div: binary(divide),
  Pow: binary(C.pow),
  Mod: {
    inputs: [2, 2],
    compile: (v) => {
      const fmod = v.int('fmod', 0) !== 0;
      return (xs) => [fmod ? C.fmod(req(xs, 0), req(xs, 1)) : C.remainder(req(xs, 0), req(xs, 1))];
    },
  },
  Max: variadic(C.maximum),
  Min: variadic(C.minimum),
  Sum: variadic(C.add),
  Mean: variadic(C.add, true),
  Equal: binary(C.eq),
  Less: binary(C.lt),
  LessOrEqual: binary(C.le),
  Greater: binary(C.gt),
  GreaterOrEqual: binary(C.ge),
  And: binary(C.logicalAnd),
  Or: binary(C.logicalOr),
  Xor: binary(C.ne),
  Where: {
    inputs: [3, 3],
    compile: () => (xs) => {
      const c = req(xs, 0);
      return [C.where(c.dtype === 'bool' ? c : C.to(c, 'bool'), req(xs, 1), req(xs, 2))];
    },
  },
  MatMul: binary(C.matmul),
  Gemm: {
    inputs: [2, 3],
    compile: (v) => {
      const alpha = v.float('alpha', 1);
      const beta = v.float('beta', 1);
      const transA = v.int('transA', 0) !== 0;
      const transB = v.int('transB', 0) !== 0;
      return (xs) => {
        const a = req(xs, 0);
        const b = req(xs, 1);
        if (a.ndim !== 2 || b.ndim !== 2)
          v.fail(`A and B must be matrices, got shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
        let y = C.matmul(transA ? C.permute(a, [1, 0]) : a, transB ? C.permute(b, [1, 0]) : b);
        if (alpha !== 1) y = C.mul(y, alpha);
        const c = xs[2];
        if (c !== undefined) y = C.add(y, beta === 1 ? c : C.mul(c, beta));
        return [y];
      };
    },
  },
  Einsum: {
    inputs: [1, 2 ** 16],
    compile: (v) => {
      const equation = v.string('equation', '');
      if (equation === '') v.fail('the attribute equation is required');
      return (xs) => [C.einsum(equation, ...xs.filter((x): x is Tensor => x !== undefined))];
    },
  },

  ReduceSum: reduce((x, axes, keep) => C.sum(x, axes, keep)),
  ReduceMean: reduce((x, axes, keep) => C.mean(x, axes, keep)),
  ReduceMax: reduce((x, axes, keep) => C.amax(x, axes, keep)),
  ReduceMin: reduce((x, axes, keep) => C.amin(x, axes, keep)),
  ReduceProd: reduce((x, axes, keep) => C.prod(x, axes, keep)),
  ReduceL1: reduce((x, axes, keep) => C.sum(C.abs(x), axes, keep)),
  ReduceL2: reduce((x, axes, keep) => C.sqrt(C.sum(C.mul(x, x), axes, keep))),
  ReduceSumSquare: reduce((x, axes, keep) => C.sum(C.mul(x, x), axes, keep)),
  ReduceLogSum: reduce((x, axes, keep) => C.log(C.sum(x, axes, keep))),
  ReduceLogSumExp: reduce((x, axes, keep) => C.logsumexp(x, axes, keep)),
  ArgMax: argExtreme(C.argmax),
  ArgMin: argExtreme(C.argmin),
  Softmax: softmaxLike(C.softmax),
  LogSoftmax: softmaxLike(C.logSoftmax),

  Cast: {
    inputs: [1, 1],
    compile: (v) => {
      const dtype = castTo(v, v.int('to', 0));
      return (xs) => [C.to(req(xs, 0), dtype)];
    },
  },
  CastLike: binary((x, like) => C.to(x, like.dtype)),
  Constant: {
    inputs: [0, 0],
    compile: (v) => {
      const attrs = [...v.node.attributes.keys()];
      if (attrs.length !== 1)
        v.fail(`expected exactly one value attribute, got ${attrs.length === 0 ? 'none' : attrs.join(', ')}`);
      const t = v.tensor('value');
      const f = v.node.attributes.get('value_float')?.f;
      const fs = v.node.attributes.get('value_floats')?.floats;
      const i = v.node.attributes.get('value_int')?.i;
      const is = v.node.attributes.get('value_ints')?.ints;
      if (t === null && f === undefined && fs === undefined && i === undefined && is === undefined) {
        v.fail(`the attribute '${attrs[0]}' is not supported (value, value_float(s) and value_int(s) are)`);
      }
      // Read on first use, after the whole model has been checked.
      let cached: Tensor | null = null;
      return () => {
        cached ??=
          t !== null
            ? tensorFrom(t)
            : f !== undefined
              ? C.tensor(f)
              : fs !== undefined
                ? C.tensor(Float32Array.from(fs))
                : i !== undefined
                  ? C.tensor(i, { dtype: 'int32' })
                  : C.tensor(Int32Array.from(is ?? []));
        return [cached];
      };
    },
  },
  ConstantOfShape: {
    inputs: [1, 1],
    compile: (v) => {
      const t = v.tensor('value');
      if (t !== null && t.size !== 1) v.fail(`value must hold one element, got ${t.size}`);
      return (xs) => {
        const shape = numbersOf(req(xs, 0));
        checkSize(v, shape);
        const fill = t === null ? C.tensor(0) : tensorFrom(t);
        return [C.full(shape, numbersOf(fill)[0] as number, { dtype: fill.dtype })];
      };
    },
  },
  Shape: {
    inputs: [1, 1],
    compile: (v) => {
      const start = v.int('start', 0);
      const end = v.int('end', Number.MAX_SAFE_INTEGER);
      return (xs) => {
        const shape = req(xs, 0).shape;
        const n = shape.length;
        const clip = (i: number) => Math.min(Math.max(i < 0 ? i + n : i, 0), n);
        return [C.tensor(Int32Array.from(shape.slice(clip(start), clip(end))))];
      };
    },
  },
  Size: unary((x) => C.tensor(x.size, { dtype: 'int32' })),
  Reshape: {
    inputs: [2, 2],
    compile: (v) => {
      const allowZero = v.int('allowzero', 0) !== 0;
      return (xs) => {
        const x = req(xs, 0);
        const shape = numbersOf(req(xs, 1)).map((d, i) => (d === 0 && !allowZero ? (x.shape[i] as number) : d));
        if (shape.some((d) => d < -1) || shape.filter((d) => d === -1).length > 1)
          v.fail(`bad target shape [${shape.join(', ')}]`);
        return [C.reshape(x, shape)];
      };
    },
  },
  Flatten: {
    inputs: [1, 1],
    compile: (v) => {
      const axis = v.int('axis', 1);
      return (xs) => {
        const x = req(xs, 0);
        const a = axis < 0 ? axis + x.ndim : axis;
        if (a < 0 || a > x.ndim) v.fail(`the axis ${axis} is out of range for an input of rank ${x.ndim}`);
        const outer = x.shape.slice(0, a).reduce((p, q) => p * q, 1);
        return [C.reshape(x, [outer, x.size === 0 ? x.shape.slice(a).reduce((p, q) => p * q, 1) : x.size / outer])];
      };
    },
  },
  Transpose: {
    inputs: [1, 1],
    compile: (v) => {
      const perm = v.ints('perm', null);
      return (xs) => {
        const x = req(xs, 0);
        const p = perm ?? x.shape.map((_, i) => x.ndim - 1 - i);
        if (p.length !== x.ndim || new Set(p).size !== p.length || p.some((a) => a < 0 || a >= x.ndim)) {
          v.fail(`perm [${p.join(', ')}] is not a permutation of the ${x.ndim} axes`);
        }
        return [C.permute(x, p)];
      };
    },
  },
  Squeeze: {
    inputs: [1, 2],
    compile: (v) => {
      const attrAxes = v.ints('axes', null);
      return (xs) => {
        const x = req(xs, 0);
        const given = xs[1] !== undefined ? numbersOf(xs[1]) : attrAxes;
        if (given === null) return [C.squeeze(x)];
        const axes = given.map((a) => axisOf(v, a, x.ndim));
        for (const a of axes) if (x.shape[a] !== 1) v.fail(`cannot squeeze the axis ${a} of size ${x.shape[a]}`);
        return [axes.length === 0 ? x : C.squeeze(x, axes)];
      };
    },
  },
  Unsqueeze: {
    inputs: [1, 2],
    compile: (v) => {
      const attrAxes = v.ints('axes', null);
      return (xs) => {
        let x = req(xs, 0);
        const given = xs[1] !== undefined ? numbersOf(xs[1]) : attrAxes;
        if (given === null) return v.fail('the axes are required');
        const rank = x.ndim + given.length;
        const axes = given.map((a) => axisOf(v, a, rank)).sort((a, b) => a - b);
        if (new Set(axes).size !== axes.length) v.fail(`the axes [${given.join(', ')}] repeat an axis`);
        for (const a of axes) x = C.unsqueeze(x, a);
        return [x];
      };
    },
  },
  Concat: {
    inputs: [1, 2 ** 16],
    compile: (v) => {
      const axis = v.int('axis', Number.NaN);
      if (Number.isNaN(axis)) v.fail('the attribute axis is required');
      return (xs) => {
        const ts = xs.filter((x): x is Tensor => x !== undefined);
        const rank = (ts[0] as Tensor).ndim;
        return [C.concat(ts, axisOf(v, axis, rank))];
      };
    },
  },
  Slice: {
    inputs: [3, 5],
    compile: (v) => (xs) => {
      let x = req(xs, 0);
      const starts = numbersOf(req(xs, 1));
      const ends = numbersOf(req(xs, 2));
      const axes = xs[3] !== undefined ? numbersOf(xs[3]) : starts.map((_, i) => i);
      const steps = xs[4] !== undefined ? numbersOf(xs[4]) : starts.map(() => 1);
      if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) {
        v.fail(
          `starts, ends, axes and steps must have one entry each per sliced axis, got ${starts.length}, ${ends.length}, ${axes.length}, ${steps.length}`,
        );
      }
      starts.forEach((s, i) => {
        const step = steps[i] as number;
        if (step === 0) v.fail('a step of 0 is not allowed');
        x = sliceAxis(x, axisOf(v, axes[i] as number, x.ndim), s, ends[i] as number, step);
      });
      return [x];
    },
  },
  CumSum: cumSum,
  Trilu: trilu,
  Gather: {
    inputs: [2, 2],
    compile: (v) => {
      const axis = v.int('axis', 0);
      return (xs) => {
        const data = req(xs, 0);
        const indices = req(xs, 1);
        const a = axisOf(v, axis, data.ndim);
        const n = data.shape[a] as number;
        const flat = numbersOf(indices).map((i) => {
          if (i < -n || i >= n) v.fail(`the index ${i} is out of range for an axis of size ${n}`);
          return i < 0 ? i + n : i;
        });
        const picked = C.indexSelect(data, a, C.tensor(Int32Array.from(flat)));
        return [C.reshape(picked, [...data.shape.slice(0, a), ...indices.shape, ...data.shape.slice(a + 1)])];
      };
    },
  },
  Expand: {
    inputs: [2, 2],
    compile: (v) => (xs) => {
      const x = req(xs, 0);
      const shape = broadcastShapes(v, x.shape, numbersOf(req(xs, 1)));
      checkSize(v, shape);
      return [C.expand(x, shape)];
    },
  },
  Tile: {
    inputs: [2, 2],
    compile: (v) => (xs) => {
      const x = req(xs, 0);
      const reps = numbersOf(req(xs, 1));
      if (reps.length !== x.ndim || reps.some((r) => r < 0))
        v.fail(`repeats [${reps.join(', ')}] must give one non-negative count per axis of the input's ${x.ndim}`);
      checkSize(
        v,
        x.shape.map((d, i) => d * (reps[i] as number)),
      );
      return [C.tile(x, reps)];
    },
  },
  Range: {
    inputs: [3, 3],
    compile: (v) => (xs) => {
      const [start, limit, delta] = [0, 1, 2].map((i) => numbersOf(req(xs, i))[0] as number) as [
        number,
        number,
        number,
      ];
      if (delta === 0) v.fail('delta must not be 0');
      const count = Math.max(Math.ceil((limit - start) / delta), 0);
      checkSize(v, [count]);
      const dtype = req(xs, 0).dtype;
      return [
        C.add(
          C.mul(
            C.arange(0, count, 1, {
              dtype: dtype === 'float64' ? 'float64' : dtype === 'float32' ? 'float32' : 'int32',
            }),
            delta,
          ),
          start,
        ),
      ];
    },
  },
  Split: {
    inputs: [1, 2],
    compile: (v) => {
      const axis = v.int('axis', 0);
      const attrSplit = v.ints('split', null);
      const parts = v.node.outputs.length;
      return (xs) => {
        const x = req(xs, 0);
        const a = axisOf(v, axis, x.ndim);
        const n = x.shape[a] as number;
        const sizes = xs[1] !== undefined ? numbersOf(xs[1]) : (attrSplit ?? splitSizes(n, parts));
        if (sizes.length !== parts || sizes.reduce((p, q) => p + q, 0) !== n) {
          v.fail(`the sizes [${sizes.join(', ')}] must be ${parts} numbers adding up to ${n}`);
        }
        return C.split(x, sizes, a);
      };
    },
  },
  Pad: {
    inputs: [2, 4],
    compile: (v) => {
      const mode = padModes[v.string('mode', 'constant')];
      if (mode === undefined) v.fail(`mode '${v.string('mode', '')}' is not one of constant, reflect, edge, wrap`);
      return (xs) => {
        const x = req(xs, 0);
        const list = numbersOf(req(xs, 1));
        const axes = xs[3] !== undefined ? numbersOf(xs[3]).map((a) => axisOf(v, a, x.ndim)) : x.shape.map((_, i) => i);
        if (list.length !== 2 * axes.length) v.fail(`pads must hold ${2 * axes.length} numbers, got ${list.length}`);
        const before = new Array<number>(x.ndim).fill(0);
        const after = new Array<number>(x.ndim).fill(0);
        axes.forEach((a, i) => {
          before[a] = list[i] as number;
          after[a] = list[i + axes.length] as number;
        });
        // core's list runs from the last axis; leading axes without padding are left out (reflect pads only the last three).
        let first = 0;
        while (first < x.ndim && before[first] === 0 && after[first] === 0) first++;
        const pads: number[] = [];
        for (let i = x.ndim - 1; i >= first; i--) pads.push(before[i] as number, after[i] as number);
        if (pads.length === 0) return [x];
        checkSize(
          v,
          x.shape.map((d, i) => d + (before[i] as number) + (after[i] as number)),
        );
        const value = xs[2] !== undefined ? (numbersOf(xs[2])[0] ?? 0) : 0;
        return [C.pad(x, pads, { mode: mode as C.PadMode, value })];
      };
    },
  },

  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalPool((x, axes) => C.mean(x, axes, true)),
  GlobalMaxPool: globalPool((x, axes) => C.amax(x, axes, true)),
  BatchNormalization: {
    inputs: [5, 5],
    compile: (v) => {
      if (v.int('training_mode', 0) !== 0)
        v.fail('training_mode = 1 is not supported (imported graphs run in inference mode)');
      if (v.node.outputs.slice(1).some((o) => o !== ''))
        v.fail('the running-statistics outputs (training mode) are not supported');
      const eps = v.float('epsilon', 1e-5);
      return (xs) => {
        const x = req(xs, 0);
        if (x.ndim < 2) v.fail(`the input must be [N, C, ...], got shape [${x.shape.join(', ')}]`);
        const shape = [-1, ...x.shape.slice(2).map(() => 1)];
        const [scale, bias, mean, variance] = [1, 2, 3, 4].map((i) => C.reshape(req(xs, i), shape)) as [
          Tensor,
          Tensor,
          Tensor,
          Tensor,
        ];
        // (x − mean) / √(var + ε) · scale + bias, in the order PyTorch's eval-mode batch norm computes it.
        const normalized = C.div(C.sub(x, mean), C.sqrt(C.add(variance, eps)));
        return [C.add(C.mul(normalized, scale), bias)];
      };
    },
  },
  LayerNormalization: {
    inputs: [2, 3],
    compile: (v) => {
      if (v.node.outputs.slice(1).some((o) => o !== '')) v.fail('the Mean and InvStdDev outputs are not supported');
      const axis = v.int('axis', -1);
      const eps = v.float('epsilon', 1e-5);
      return (xs) => {
        const x = req(xs, 0);
        const a = axisOf(v, axis, x.ndim);
        const shape = x.shape.slice(a);
        const scale = req(xs, 1);
        const bias = xs[2];
        const same = (t: Tensor | undefined) => t === undefined || t.shape.join() === shape.join();
        if (same(scale) && same(bias)) return [layerNorm(x, shape, { weight: scale, bias: bias ?? null, eps })];
        const y = C.mul(layerNorm(x, shape, { eps }), scale);
        return [bias === undefined ? y : C.add(y, bias)];
      };
    },
  },
};

function argExtreme(f: (x: Tensor, axis?: number, keep?: boolean) => Tensor): OpEntry {
  return {
    inputs: [1, 1],
    compile: (v) => {
      const axis = v.int('axis', 0);
      const keep = v.int('keepdims', 1) !== 0;
      if (v.int('select_last_index', 0) !== 0) v.fail('select_last_index = 1 is not supported');
      return (xs) => {
        const x = req(xs, 0);
        return [f(x, axisOf(v, axis, x.ndim), keep)];
      };
    },
  };
}

/** Split's sizes without a split input: equal parts, the last one smaller when they do not divide evenly. */
function splitSizes(n: number, parts: number): number[] {
  const size = Math.ceil(n / parts);
  return Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(size, n - i * size)));
}
