/**
 * Every operator importOnnx maps, as a one-node model (opset 20) run by
 * ONNX Runtime (onnxruntime-node, an independent implementation) and by the
 * imported chainrule function on the same inputs: the outputs must agree
 * (1e-5 relative; exactly for integer and bool outputs). Cases are keyed by
 * operator, so a newly mapped operator fails the coverage test until it has
 * one. Forms with their own branches in the importer (negative Slice steps,
 * asymmetric pads, auto_pad, axes as inputs) have cases of their own.
 */
import { type Tensor, manualSeed, rand, randn } from '@chainrule/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { importOnnx, importOnnxOperators } from '../src/index';
import { modelProto } from '../src/schema';

type Attr = number | { f: number } | { s: string } | { ints: number[] } | { tensor: Init };
interface Init {
  type: 'float' | 'int64' | 'bool' | 'int32';
  dims: number[];
  values: number[];
}
interface Case {
  op: string;
  /** Float inputs fed at run time (made fresh per case), by name. */
  feeds?: Record<string, () => Tensor>;
  /** Constant inputs, by name. */
  inits?: Record<string, Init>;
  /** The node's input names in order ('' for an optional input left out). */
  inputs: string[];
  attrs?: Record<string, Attr>;
  outputs?: string[];
}

const codes = { float: 1, int64: 7, bool: 9, int32: 6 } as const;
const x34 = () => randn([3, 4]);
const pos = () => rand([3, 4]).mul(2).add(0.1);
const unit = () => rand([3, 4]).mul(1.8).sub(0.9);
const i64 = (values: number[], dims = [values.length]): Init => ({ type: 'int64', dims, values });
const f32 = (values: number[], dims = [values.length]): Init => ({ type: 'float', dims, values });
const bool = (values: number[], dims = [values.length]): Init => ({ type: 'bool', dims, values });
const unary = (op: string, make: () => Tensor = x34): Case => ({ op, feeds: { x: make }, inputs: ['x'] });
const binary = (op: string): Case => ({ op, feeds: { a: x34, b: () => randn([4]) }, inputs: ['a', 'b'] });
const image = () => randn([2, 3, 7, 6]);

function rawOf(init: Init): Uint8Array {
  const v = init.values;
  const array =
    init.type === 'float'
      ? Float32Array.from(v)
      : init.type === 'int64'
        ? BigInt64Array.from(v, (n) => BigInt(n))
        : init.type === 'int32'
          ? Int32Array.from(v)
          : Uint8Array.from(v);
  return new Uint8Array(array.buffer);
}
const tensorProto = (name: string, init: Init) => ({
  name,
  dims: init.dims,
  data_type: codes[init.type],
  raw_data: rawOf(init),
});

function attribute(name: string, a: Attr) {
  if (typeof a === 'number') return { name, type: 2, i: a };
  if ('f' in a) return { name, type: 1, f: a.f };
  if ('s' in a) return { name, type: 3, s: new TextEncoder().encode(a.s) };
  if ('ints' in a) return { name, type: 7, ints: a.ints };
  return { name, type: 4, t: tensorProto('', a.tensor) };
}

function build(c: Case, feeds: Record<string, Tensor>): Uint8Array {
  const outputs = c.outputs ?? ['y'];
  const type = modelProto();
  return type
    .encode(
      type.fromObject({
        ir_version: 9,
        opset_import: [{ domain: '', version: 20 }],
        graph: {
          name: c.op,
          node: [
            {
              op_type: c.op,
              input: c.inputs,
              output: outputs,
              name: 'node',
              attribute: Object.entries(c.attrs ?? {}).map(([k, v]) => attribute(k, v)),
            },
          ],
          initializer: Object.entries(c.inits ?? {}).map(([k, v]) => tensorProto(k, v)),
          input: Object.entries(feeds).map(([name, t]) => ({
            name,
            type: { tensor_type: { elem_type: 1, shape: { dim: t.shape.map((d) => ({ dim_value: d })) } } },
          })),
          // Output types are left for ONNX Runtime to infer.
          output: outputs.map((name) => ({ name })),
        },
      }),
    )
    .finish();
}

const cases: Record<string, Case[]> = {
  Identity: [unary('Identity')],
  Neg: [unary('Neg')],
  Exp: [unary('Exp')],
  Log: [unary('Log', pos)],
  Sqrt: [unary('Sqrt', pos)],
  Abs: [unary('Abs')],
  Sign: [unary('Sign')],
  Sin: [unary('Sin')],
  Cos: [unary('Cos')],
  Tan: [unary('Tan', unit)],
  Asin: [unary('Asin', unit)],
  Acos: [unary('Acos', unit)],
  Atan: [unary('Atan')],
  Sinh: [unary('Sinh')],
  Cosh: [unary('Cosh')],
  Asinh: [unary('Asinh')],
  Acosh: [unary('Acosh', () => pos().add(1))],
  Atanh: [unary('Atanh', unit)],
  Tanh: [unary('Tanh')],
  Sigmoid: [unary('Sigmoid')],
  Relu: [unary('Relu')],
  Erf: [unary('Erf')],
  Floor: [unary('Floor', () => randn([3, 4]).mul(3))],
  Ceil: [unary('Ceil', () => randn([3, 4]).mul(3))],
  Round: [{ op: 'Round', inits: { x: f32([0.5, 1.5, -2.5, 2.4, -0.6]) }, inputs: ['x'] }],
  Reciprocal: [unary('Reciprocal', pos)],
  Softsign: [unary('Softsign')],
  Softplus: [unary('Softplus')],
  Mish: [unary('Mish')],
  HardSwish: [unary('HardSwish', () => randn([3, 4]).mul(4))],
  Not: [{ op: 'Not', inits: { x: bool([1, 0, 0]) }, inputs: ['x'] }],
  IsNaN: [{ op: 'IsNaN', inits: { x: f32([Number.NaN, 1, Number.POSITIVE_INFINITY, -0.5]) }, inputs: ['x'] }],
  IsInf: [
    {
      op: 'IsInf',
      inits: { x: f32([Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) },
      inputs: ['x'],
    },
    {
      op: 'IsInf',
      inits: { x: f32([Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) },
      inputs: ['x'],
      attrs: { detect_positive: 0 },
    },
    {
      op: 'IsInf',
      inits: { x: f32([Number.NaN, 1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) },
      inputs: ['x'],
      attrs: { detect_negative: 0 },
    },
  ],
  Shrink: [
    // softshrink (bias = lambd), hardshrink (bias 0, the default) and the general form.
    { ...unary('Shrink', () => randn([3, 4]).mul(2)), attrs: { lambd: { f: 0.7 }, bias: { f: 0.7 } } },
    { ...unary('Shrink', () => randn([3, 4]).mul(2)), attrs: { lambd: { f: 0.6 } } },
    { ...unary('Shrink', () => randn([3, 4]).mul(2)), attrs: { lambd: { f: 0.4 }, bias: { f: 1.5 } } },
  ],
  LeakyRelu: [{ ...unary('LeakyRelu'), attrs: { alpha: { f: 0.2 } } }],
  Elu: [{ ...unary('Elu'), attrs: { alpha: { f: 0.5 } } }],
  Celu: [{ ...unary('Celu'), attrs: { alpha: { f: 2 } } }],
  Selu: [unary('Selu'), { ...unary('Selu'), attrs: { alpha: { f: 2 }, gamma: { f: 3 } } }],
  HardSigmoid: [
    { ...unary('HardSigmoid', () => randn([3, 4]).mul(3)), attrs: { alpha: { f: 0.3 }, beta: { f: 0.4 } } },
  ],
  Gelu: [unary('Gelu'), { ...unary('Gelu'), attrs: { approximate: { s: 'tanh' } } }],
  PRelu: [{ op: 'PRelu', feeds: { x: x34 }, inits: { s: f32([0.1, 0.2, 0.3, 0.4]) }, inputs: ['x', 's'] }],
  Clip: [
    { op: 'Clip', feeds: { x: x34 }, inits: { lo: f32([-0.5], []), hi: f32([0.7], []) }, inputs: ['x', 'lo', 'hi'] },
    { op: 'Clip', feeds: { x: x34 }, inits: { hi: f32([0.2], []) }, inputs: ['x', '', 'hi'] },
  ],
  Dropout: [unary('Dropout')],
  Add: [binary('Add')],
  Sub: [binary('Sub')],
  Mul: [binary('Mul')],
  Div: [
    binary('Div'),
    // Integer division truncates: 7/2 = 3, -7/2 = -3.
    { op: 'Div', inits: { a: i64([7, -7, 9]), b: i64([2, 2, -4]) }, inputs: ['a', 'b'] },
  ],
  Pow: [{ op: 'Pow', feeds: { a: pos, b: () => randn([4]) }, inputs: ['a', 'b'] }],
  Mod: [
    { ...binary('Mod'), attrs: { fmod: 1 } },
    { op: 'Mod', inits: { a: i64([7, -7, 9]), b: i64([3, 3, -4]) }, inputs: ['a', 'b'] },
  ],
  Max: [{ op: 'Max', feeds: { a: x34, b: () => randn([4]), c: () => randn([3, 1]) }, inputs: ['a', 'b', 'c'] }],
  Min: [{ op: 'Min', feeds: { a: x34, b: () => randn([4]), c: () => randn([3, 1]) }, inputs: ['a', 'b', 'c'] }],
  Sum: [{ op: 'Sum', feeds: { a: x34, b: () => randn([4]), c: () => randn([3, 1]) }, inputs: ['a', 'b', 'c'] }],
  Mean: [{ op: 'Mean', feeds: { a: x34, b: () => randn([4]), c: () => randn([3, 1]) }, inputs: ['a', 'b', 'c'] }],
  Equal: [{ op: 'Equal', inits: { a: i64([1, 2, 3]), b: i64([1, 0, 3]) }, inputs: ['a', 'b'] }],
  Less: [binary('Less')],
  LessOrEqual: [binary('LessOrEqual')],
  Greater: [binary('Greater')],
  GreaterOrEqual: [binary('GreaterOrEqual')],
  And: [{ op: 'And', inits: { a: bool([1, 1, 0, 0]), b: bool([1, 0, 1, 0]) }, inputs: ['a', 'b'] }],
  Or: [{ op: 'Or', inits: { a: bool([1, 1, 0, 0]), b: bool([1, 0, 1, 0]) }, inputs: ['a', 'b'] }],
  Xor: [{ op: 'Xor', inits: { a: bool([1, 1, 0, 0]), b: bool([1, 0, 1, 0]) }, inputs: ['a', 'b'] }],
  Where: [
    { op: 'Where', feeds: { a: x34, b: () => randn([4]) }, inits: { c: bool([1, 0, 0, 1]) }, inputs: ['c', 'a', 'b'] },
  ],
  MatMul: [{ op: 'MatMul', feeds: { a: () => randn([2, 3, 4]), b: () => randn([4, 5]) }, inputs: ['a', 'b'] }],
  Gemm: [
    {
      op: 'Gemm',
      feeds: { a: () => randn([4, 3]), b: () => randn([5, 4]), c: () => randn([5]) },
      inputs: ['a', 'b', 'c'],
      attrs: { transA: 1, transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } },
    },
  ],
  Einsum: [
    {
      op: 'Einsum',
      feeds: { a: () => randn([2, 3]), b: () => randn([3, 4]) },
      inputs: ['a', 'b'],
      attrs: { equation: { s: 'ij,jk->ik' } },
    },
  ],
  ReduceSum: [
    { op: 'ReduceSum', feeds: { x: x34 }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'], attrs: { keepdims: 0 } },
    { op: 'ReduceSum', feeds: { x: x34 }, inputs: ['x'] },
  ],
  ReduceMean: [{ op: 'ReduceMean', feeds: { x: x34 }, inits: { axes: i64([-1]) }, inputs: ['x', 'axes'] }],
  ReduceMax: [
    { op: 'ReduceMax', feeds: { x: x34 }, inits: { axes: i64([0]) }, inputs: ['x', 'axes'], attrs: { keepdims: 0 } },
  ],
  ReduceMin: [{ op: 'ReduceMin', feeds: { x: x34 }, inputs: ['x'] }],
  ReduceProd: [{ op: 'ReduceProd', feeds: { x: x34 }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'] }],
  ReduceL1: [{ op: 'ReduceL1', feeds: { x: x34 }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'] }],
  ReduceL2: [{ op: 'ReduceL2', feeds: { x: x34 }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'] }],
  ReduceSumSquare: [{ op: 'ReduceSumSquare', feeds: { x: x34 }, inits: { axes: i64([0]) }, inputs: ['x', 'axes'] }],
  ReduceLogSum: [{ op: 'ReduceLogSum', feeds: { x: pos }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'] }],
  ReduceLogSumExp: [{ op: 'ReduceLogSumExp', feeds: { x: x34 }, inits: { axes: i64([1]) }, inputs: ['x', 'axes'] }],
  ArgMax: [{ ...unary('ArgMax'), attrs: { axis: 1, keepdims: 0 } }],
  ArgMin: [{ ...unary('ArgMin'), attrs: { axis: 0 } }],
  Softmax: [{ ...unary('Softmax'), attrs: { axis: 0 } }],
  LogSoftmax: [unary('LogSoftmax')],
  Cast: [{ ...unary('Cast', () => randn([3, 4]).mul(3)), attrs: { to: 7 } }],
  CastLike: [{ op: 'CastLike', inits: { a: i64([1, -2, 3]) }, feeds: { b: x34 }, inputs: ['a', 'b'] }],
  Constant: [
    { op: 'Constant', inputs: [], attrs: { value: { tensor: f32([1, 2, 3, 4], [2, 2]) } } },
    { op: 'Constant', inputs: [], attrs: { value_ints: { ints: [3, -1] } } },
  ],
  ConstantOfShape: [
    { op: 'ConstantOfShape', inits: { s: i64([2, 3]) }, inputs: ['s'], attrs: { value: { tensor: f32([2.5]) } } },
  ],
  Shape: [{ ...unary('Shape', () => randn([2, 3, 4])), attrs: { start: 1 } }],
  Size: [unary('Size')],
  Reshape: [{ op: 'Reshape', feeds: { x: () => randn([2, 3, 4]) }, inits: { s: i64([0, -1]) }, inputs: ['x', 's'] }],
  Flatten: [{ ...unary('Flatten', () => randn([2, 3, 4])), attrs: { axis: 2 } }],
  Transpose: [
    { ...unary('Transpose', () => randn([2, 3, 4])), attrs: { perm: { ints: [1, 2, 0] } } },
    unary('Transpose'),
  ],
  Squeeze: [{ op: 'Squeeze', feeds: { x: () => randn([3, 1, 4, 1]) }, inits: { a: i64([-1]) }, inputs: ['x', 'a'] }],
  Unsqueeze: [{ op: 'Unsqueeze', feeds: { x: x34 }, inits: { a: i64([0, -1]) }, inputs: ['x', 'a'] }],
  Concat: [{ op: 'Concat', feeds: { a: x34, b: () => randn([3, 2]) }, inputs: ['a', 'b'], attrs: { axis: -1 } }],
  Slice: [
    {
      op: 'Slice',
      feeds: { x: () => randn([5, 7]) },
      inits: { s: i64([1, -1]), e: i64([2 ** 40, -100]), a: i64([0, 1]), st: i64([2, -2]) },
      inputs: ['x', 's', 'e', 'a', 'st'],
    },
    { op: 'Slice', feeds: { x: () => randn([5, 7]) }, inits: { s: i64([-3]), e: i64([6]) }, inputs: ['x', 's', 'e'] },
  ],
  CumSum: [
    { op: 'CumSum', feeds: { x: x34 }, inits: { a: i64([1], []) }, inputs: ['x', 'a'] },
    {
      op: 'CumSum',
      feeds: { x: x34 },
      inits: { a: i64([-2], []) },
      inputs: ['x', 'a'],
      attrs: { reverse: 1, exclusive: 1 },
    },
  ],
  Trilu: [
    { op: 'Trilu', feeds: { x: () => randn([2, 3, 4]) }, inits: { k: i64([-1], []) }, inputs: ['x', 'k'] },
    { op: 'Trilu', feeds: { x: x34 }, inits: { k: i64([1], []) }, inputs: ['x', 'k'], attrs: { upper: 0 } },
    { ...unary('Trilu'), attrs: { upper: 0 } },
  ],
  Gather: [
    {
      op: 'Gather',
      feeds: { x: () => randn([5, 4]) },
      inits: { i: i64([0, -1, 2, 2], [2, 2]) },
      inputs: ['x', 'i'],
      attrs: { axis: 0 },
    },
    {
      op: 'Gather',
      feeds: { x: () => randn([5, 4]) },
      inits: { i: i64([-2], []) },
      inputs: ['x', 'i'],
      attrs: { axis: 1 },
    },
  ],
  Expand: [{ op: 'Expand', feeds: { x: () => randn([3, 1]) }, inits: { s: i64([2, 1, 4]) }, inputs: ['x', 's'] }],
  Tile: [{ op: 'Tile', feeds: { x: x34 }, inits: { r: i64([2, 3]) }, inputs: ['x', 'r'] }],
  Range: [{ op: 'Range', inits: { a: f32([1], []), b: f32([-2], []), d: f32([-0.75], []) }, inputs: ['a', 'b', 'd'] }],
  Split: [
    {
      op: 'Split',
      feeds: { x: () => randn([3, 5]) },
      inits: { s: i64([2, 3]) },
      inputs: ['x', 's'],
      attrs: { axis: 1 },
      outputs: ['y', 'z'],
    },
    {
      op: 'Split',
      feeds: { x: () => randn([7, 2]) },
      inputs: ['x'],
      attrs: { num_outputs: 3 },
      outputs: ['y', 'z', 'w'],
    },
  ],
  Pad: [
    { op: 'Pad', feeds: { x: x34 }, inits: { p: i64([1, 2, 0, 1]), v: f32([0.5], []) }, inputs: ['x', 'p', 'v'] },
    {
      op: 'Pad',
      feeds: { x: () => randn([2, 3, 4]) },
      inits: { p: i64([0, 1, 2, 0, 2, 1]) },
      inputs: ['x', 'p'],
      attrs: { mode: { s: 'reflect' } },
    },
    {
      op: 'Pad',
      feeds: { x: () => randn([2, 3, 4]) },
      inits: { p: i64([2, 1, 1, 0]), a: i64([1, 2]) },
      inputs: ['x', 'p', '', 'a'],
      attrs: { mode: { s: 'edge' } },
    },
  ],
  Conv: [
    {
      op: 'Conv',
      feeds: { x: image, w: () => randn([4, 3, 3, 2]), b: () => randn([4]) },
      inputs: ['x', 'w', 'b'],
      attrs: { pads: { ints: [1, 0, 1, 1] } },
    },
    {
      op: 'Conv',
      feeds: { x: image, w: () => randn([6, 1, 3, 3]) },
      inputs: ['x', 'w'],
      attrs: { auto_pad: { s: 'SAME_UPPER' }, strides: { ints: [2, 2] }, group: 3 },
    },
    // An even kernel: SAME_LOWER puts the odd pad before (2 before, 1 after).
    {
      op: 'Conv',
      feeds: { x: () => randn([2, 3, 9]), w: () => randn([2, 3, 4]) },
      inputs: ['x', 'w'],
      attrs: { auto_pad: { s: 'SAME_LOWER' } },
    },
  ],
  ConvTranspose: [
    // Asymmetric pads, a stride, output_padding and groups; then dilations, a bias and pads that leave a zero border.
    {
      op: 'ConvTranspose',
      feeds: { x: () => randn([2, 4, 3, 4]), w: () => randn([4, 3, 3, 2]) },
      inputs: ['x', 'w'],
      attrs: { strides: { ints: [2, 3] }, pads: { ints: [1, 0, 0, 1] }, output_padding: { ints: [1, 1] }, group: 2 },
    },
    {
      op: 'ConvTranspose',
      feeds: { x: () => randn([2, 3, 5]), w: () => randn([3, 2, 3]), b: () => randn([2]) },
      inputs: ['x', 'w', 'b'],
      attrs: {
        dilations: { ints: [2] },
        strides: { ints: [3] },
        output_padding: { ints: [2] },
        kernel_shape: { ints: [3] },
      },
    },
  ],
  MaxPool: [
    {
      ...unary('MaxPool', image),
      attrs: { kernel_shape: { ints: [3, 2] }, pads: { ints: [1, 0, 0, 1] }, strides: { ints: [2, 2] } },
    },
    {
      ...unary('MaxPool', image),
      attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] }, ceil_mode: 1 },
    },
  ],
  AveragePool: [
    {
      ...unary('AveragePool', image),
      attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] } },
    },
    { ...unary('AveragePool', image), attrs: { kernel_shape: { ints: [3, 2] }, pads: { ints: [1, 0, 0, 1] } } },
    {
      ...unary('AveragePool', image),
      attrs: { kernel_shape: { ints: [3, 2] }, pads: { ints: [1, 0, 0, 1] }, count_include_pad: 1 },
    },
  ],
  GlobalAveragePool: [unary('GlobalAveragePool', image)],
  GlobalMaxPool: [unary('GlobalMaxPool', image)],
  BatchNormalization: [
    {
      op: 'BatchNormalization',
      feeds: { x: image, s: () => randn([3]), b: () => randn([3]), m: () => randn([3]), v: () => rand([3]).add(0.5) },
      inputs: ['x', 's', 'b', 'm', 'v'],
      attrs: { epsilon: { f: 1e-3 } },
    },
  ],
  LayerNormalization: [
    {
      op: 'LayerNormalization',
      feeds: { x: () => randn([2, 3, 4]), s: () => randn([3, 4]), b: () => randn([3, 4]) },
      inputs: ['x', 's', 'b'],
      attrs: { axis: -2 },
    },
    { op: 'LayerNormalization', feeds: { x: () => randn([2, 3, 4]), s: () => randn([4]) }, inputs: ['x', 's'] },
  ],
};

/** The outputs as flat numbers and shapes (int64 and bool too). */
async function runtime(
  bytes: Uint8Array,
  feeds: Record<string, Tensor>,
): Promise<{ dims: number[]; data: number[] }[]> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const input: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      input[name] = new ort.Tensor('float32', Float32Array.from(t.flatten().toArray() as number[]), [...t.shape]);
    }
    const out = await session.run(input);
    return session.outputNames.map((name) => {
      const v = out[name] as ort.Tensor;
      return { dims: v.dims.map(Number), data: Array.from(v.data as ArrayLike<number | bigint>, Number) };
    });
  } finally {
    await session.release();
  }
}

describe('each imported operator agrees with ONNX Runtime', () => {
  it('has a case for every operator importOnnx maps, and none for another', () => {
    expect(Object.keys(cases).sort()).toEqual([...importOnnxOperators]);
  });

  const rows = Object.entries(cases).flatMap(([op, list]) => list.map((c, i) => [`${op} #${i}`, c] as const));
  it.each(rows)('%s', async (_, c) => {
    manualSeed(5);
    const feeds = Object.fromEntries(Object.entries(c.feeds ?? {}).map(([k, make]) => [k, make()]));
    const bytes = build(c, feeds);
    const expected = await runtime(bytes, feeds);
    const { fn, inputNames } = importOnnx(bytes);
    const actual = fn(...inputNames.map((n) => feeds[n] as Tensor));
    expect(actual.length).toBe(expected.length);
    actual.forEach((t, k) => {
      const want = expected[k] as { dims: number[]; data: number[] };
      expect(t.shape, `output ${k}'s shape`).toEqual(want.dims);
      const got = (t.flatten().toArray() as (number | boolean)[]).map(Number);
      got.forEach((v, j) => {
        const w = want.data[j] as number;
        expect(Math.abs(v - w) / Math.max(1, Math.abs(w)), `output ${k}[${j}]: ${v} vs ${w}`).toBeLessThanOrEqual(1e-5);
      });
    });
  });
});
