/**
 * How each chainrule op is written as ONNX operators (opset 17). A mapping
 * reads one trace record and adds nodes; it returns the name of the value
 * holding the op's output, or null when this form of the op has no ONNX
 * counterpart (the exporter then tries the parts the op was built from).
 */
import type { FusedActivation, Tensor } from '@chainrule/core';
import type { TraceRecord } from '@chainrule/core/internal';
import type { GraphBuilder } from './graph';

/** What a mapping is given: the graph, and the names of the record's inputs (each already defined). */
export interface MapContext {
  readonly graph: GraphBuilder;
  /** The ONNX value names of the record's inputs, in order. */
  readonly inputs: readonly string[];
  readonly record: TraceRecord;
  /** Whether the exported graph has a dynamic batch axis (reshapes then copy dimension 0). */
  readonly dynamicBatch: boolean;
}

/** Writes one traced op as ONNX nodes through `ctx` and returns its output's name, or null when the op has no mapping for these arguments. */
export type OpMapping = (ctx: MapContext) => string | null;

type FloatDT = 'float32' | 'float64';

const floatOf = (t: Tensor): FloatDT => (t.dtype === 'float64' ? 'float64' : 'float32');

/** The record's inputs, each cast to the output's dtype where it differs (chainrule promotes, ONNX does not). */
function castInputs(ctx: MapContext): string[] {
  const { record, graph } = ctx;
  const to = record.output.dtype;
  return ctx.inputs.map((name, i) => {
    const from = (record.inputs[i] as Tensor).dtype;
    return from === to ? name : graph.node('Cast', [name], { to: dataTypeNumber(to) });
  });
}

function dataTypeNumber(dtype: string): number {
  const numbers: Record<string, number> = { float32: 1, uint8: 2, int8: 3, int16: 5, int32: 6, bool: 9, float64: 11 };
  return numbers[dtype] ?? 0;
}

/** One ONNX operator applied to the (cast) inputs. */
const same =
  (opType: string): OpMapping =>
  (ctx) =>
    ctx.graph.node(opType, castInputs(ctx));

/** An elementwise function of x written with a few ONNX nodes. */
const composed =
  (build: (g: GraphBuilder, x: string, dtype: FloatDT, params: readonly number[]) => string): OpMapping =>
  (ctx) =>
    build(ctx.graph, castInputs(ctx)[0] as string, floatOf(ctx.record.output), ctx.record.params as readonly number[]);

// gelu: 0.5·x·(1 + erf(x/√2)), or the tanh form 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (ONNX's Gelu is opset 20).
function geluNodes(g: GraphBuilder, x: string, dt: FloatDT, tanhForm: boolean): string {
  const half = g.node('Mul', [x, g.scalar(0.5, dt)]);
  let inner: string;
  if (tanhForm) {
    const cube = g.node('Mul', [g.node('Mul', [x, x]), x]);
    const poly = g.node('Add', [x, g.node('Mul', [cube, g.scalar(0.044715, dt)])]);
    inner = g.node('Tanh', [g.node('Mul', [poly, g.scalar(Math.sqrt(2 / Math.PI), dt)])]);
  } else {
    inner = g.node('Erf', [g.node('Mul', [x, g.scalar(Math.SQRT1_2, dt)])]);
  }
  return g.node('Mul', [half, g.node('Add', [inner, g.scalar(1, dt)])]);
}

const isFloatDType = (dtype: string): boolean => dtype === 'float32' || dtype === 'float64';

/** floor, ceil, round: integers are already whole (ONNX has no integer Floor); round's first param is its decimals. */
function rounding(opType: 'Floor' | 'Ceil' | 'Round'): OpMapping {
  return (ctx) => {
    const [x] = castInputs(ctx) as [string];
    if (!isFloatDType(ctx.record.output.dtype)) return ctx.graph.node('Identity', [x]);
    const decimals = (ctx.record.params as readonly number[] | undefined)?.[0] ?? 0;
    if (opType !== 'Round' || decimals === 0) return ctx.graph.node(opType, [x]);
    const dt = floatOf(ctx.record.output);
    const scale = ctx.graph.scalar(10 ** decimals, dt, 'scale');
    return ctx.graph.node('Div', [ctx.graph.node('Round', [ctx.graph.node('Mul', [x, scale])]), scale]);
  };
}

/** Softmax and LogSoftmax; a 0-d input (ONNX wants rank ≥ 1) goes through a 1-element vector. */
function softmaxLike(opType: 'Softmax' | 'LogSoftmax'): OpMapping {
  return (ctx) => {
    const [x] = castInputs(ctx) as [string];
    const g = ctx.graph;
    if ((ctx.record.inputs[0] as Tensor).ndim > 0) {
      return g.node(opType, [x], { axis: (ctx.record.params as { axis: number }).axis });
    }
    const vector = g.node('Reshape', [x, g.int64s([1], 'shape')]);
    return g.node('Reshape', [g.node(opType, [vector], { axis: 0 }), g.int64s([], 'shape')]);
  };
}

/** Dtypes from narrowest to widest. */
const rank = ['bool', 'uint8', 'int8', 'int16', 'int32', 'float32', 'float64'];

/** The inputs cast to one dtype ONNX Runtime compares in: the widest float, else int32 (bool only for Equal). */
function comparable(ctx: MapContext, boolOk: boolean): string[] {
  const dtypes = ctx.record.inputs.map((t) => t.dtype);
  const widest = dtypes.reduce((a, b) => (rank.indexOf(b) > rank.indexOf(a) ? b : a));
  const to = widest === 'float32' || widest === 'float64' || (boolOk && widest === 'bool') ? widest : 'int32';
  return ctx.inputs.map((name, i) =>
    dtypes[i] === to ? name : ctx.graph.node('Cast', [name], { to: dataTypeNumber(to) }),
  );
}

const comparison =
  (opType: string, negate = false, boolOk = false): OpMapping =>
  (ctx) => {
    const out = ctx.graph.node(opType, comparable(ctx, boolOk));
    return negate ? ctx.graph.node('Not', [out]) : out;
  };

/** Inputs as bool masks (nonzero is true, NaN included, as chainrule). */
function masks(ctx: MapContext): string[] {
  return ctx.inputs.map((name, i) => {
    const t = ctx.record.inputs[i] as Tensor;
    if (t.dtype === 'bool') return name;
    const zero = ctx.graph.node('Cast', [ctx.graph.scalar(0, 'float64', 'zero')], { to: dataTypeNumber(t.dtype) });
    return ctx.graph.node('Not', [ctx.graph.node('Equal', [name, zero])]);
  });
}

/** A value test on a float input; integers and bools are never NaN or infinite (`onIntegers`: the test's answer for them). */
const valueTest =
  (build: (g: GraphBuilder, x: string) => string, onIntegers: boolean): OpMapping =>
  (ctx) => {
    const t = ctx.record.inputs[0] as Tensor;
    const g = ctx.graph;
    const x = ctx.inputs[0] as string;
    if (t.dtype === 'float32' || t.dtype === 'float64') return build(g, x);
    // ConstantOfShape fills with float 0 by default: false everywhere once cast to bool.
    const none = g.node('Cast', [g.node('ConstantOfShape', [g.node('Shape', [x])])], { to: 9 });
    return onIntegers ? g.node('Not', [none]) : none;
  };

/** trunc for floats: sign(x)·floor(|x|). */
function truncated(g: GraphBuilder, x: string): string {
  return g.node('Mul', [g.node('Sign', [x]), g.node('Floor', [g.node('Abs', [x])])]);
}

/** tril (upper 0) and triu (upper 1) over the last two axes, with the diagonal offset k. */
function triangle(upper: 0 | 1): OpMapping {
  return (ctx) => {
    const k = ctx.record.params as number;
    return ctx.graph.node('Trilu', [ctx.inputs[0] as string, ctx.graph.int64s([k], 'k')], { upper });
  };
}

const unaryParams = (ctx: MapContext): readonly number[] => ctx.record.params as readonly number[];

/** clamp-like ops: Clip with bounds as inputs of the output's dtype (±Infinity when absent). */
function clip(g: GraphBuilder, x: string, dtype: FloatDT, lo: number, hi: number): string {
  return g.node('Clip', [x, g.scalar(lo, dtype), g.scalar(hi, dtype)]);
}

interface ReduceParams {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

interface SliceParams {
  readonly axis: number;
  readonly start: number;
  readonly count: number;
  readonly step: number;
}

interface PadParams {
  readonly before: readonly number[];
  readonly after: readonly number[];
  readonly value: number;
}

interface Geometry {
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
}

interface PoolParams {
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly batched: boolean;
  readonly countIncludePad?: boolean;
  readonly divisorOverride?: number;
}

/**
 * The padding after each spatial dimension that makes ONNX's floor-mode
 * count of windows equal chainrule's (which may come from ceil mode or
 * 'same' padding): the last window must end inside input plus padding.
 */
function padAfter(
  inSize: readonly number[],
  outSize: readonly number[],
  kernel: readonly number[],
  stride: readonly number[],
  dilation: readonly number[],
  before: readonly number[],
): number[] {
  return inSize.map((n, i) => {
    const k = (kernel[i] as number) - 1;
    const reach = ((outSize[i] as number) - 1) * (stride[i] as number) + (dilation[i] as number) * k + 1;
    return Math.max(0, reach - n - (before[i] as number));
  });
}

function reduce(opType: string, axesAsInput: boolean): OpMapping {
  return (ctx) => {
    const p = ctx.record.params as ReduceParams;
    const [x] = castInputs(ctx) as [string];
    const keepdims = p.keepDims ? 1 : 0;
    // NOTE: ONNX reduces every axis when `axes` is empty; chainrule's empty list means the same only when the input is 0-d.
    if (p.axes.length === 0) return ctx.graph.node('Identity', [x]);
    if (axesAsInput) return ctx.graph.node(opType, [x, ctx.graph.int64s(p.axes, 'axes')], { keepdims });
    return ctx.graph.node(opType, [x], { axes: p.axes, keepdims });
  };
}

/** The shape to reshape to, with dimension 0 copied from the input (ONNX's 0) when the batch is dynamic. */
function reshapeTarget(ctx: MapContext, target: readonly number[]): number[] {
  const input = ctx.record.inputs[0] as Tensor;
  const out = [...target];
  if (ctx.dynamicBatch && out.length > 0 && input.ndim > 0 && out[0] === input.shape[0]) out[0] = 0;
  return out;
}

function poolNode(ctx: MapContext, opType: string, extra: Record<string, number>): string | null {
  const p = ctx.record.params as PoolParams;
  if (!p.batched || p.divisorOverride) return null;
  const after = padAfter(p.inSize, p.outSize, p.kernel, p.stride, p.dilation, p.padding);
  return ctx.graph.node(opType, [ctx.inputs[0] as string], {
    kernel_shape: p.kernel,
    strides: p.stride,
    pads: [...p.padding, ...after],
    ...(opType === 'MaxPool' ? { dilations: p.dilation } : {}),
    ...extra,
  });
}

/** Every op the exporter can write, by chainrule op name. */
export const onnxMappings: Readonly<Record<string, OpMapping>> = {
  // Identities: views and copies are values in ONNX.
  detach: same('Identity'),
  contiguous: same('Identity'),
  clone: same('Identity'),

  // Unary.
  neg: same('Neg'),
  exp: same('Exp'),
  log: same('Log'),
  sqrt: same('Sqrt'),
  abs: same('Abs'),
  sign: same('Sign'),
  sin: same('Sin'),
  cos: same('Cos'),
  tan: same('Tan'),
  asin: same('Asin'),
  acos: same('Acos'),
  atan: same('Atan'),
  sinh: same('Sinh'),
  cosh: same('Cosh'),
  asinh: same('Asinh'),
  acosh: same('Acosh'),
  atanh: same('Atanh'),
  tanh: same('Tanh'),
  sigmoid: same('Sigmoid'),
  relu: same('Relu'),
  erf: same('Erf'),
  floor: rounding('Floor'),
  ceil: rounding('Ceil'),
  // NOTE: chainrule and ONNX both round halves to even (torch.round); round(x, decimals) is x·10^d rounded over 10^d.
  round: rounding('Round'),
  reciprocal: same('Reciprocal'),
  softsign: same('Softsign'),
  square: composed((g, x) => g.node('Mul', [x, x])),
  rsqrt: composed((g, x) => g.node('Reciprocal', [g.node('Sqrt', [x])])),
  // NOTE: written as log(1 + x) and exp(x) − 1, as torch.onnx writes them: less accurate for |x| ≪ 1.
  log1p: composed((g, x, dt) => g.node('Log', [g.node('Add', [x, g.scalar(1, dt)])])),
  expm1: composed((g, x, dt) => g.node('Sub', [g.node('Exp', [x]), g.scalar(1, dt)])),
  log2: composed((g, x, dt) => g.node('Div', [g.node('Log', [x]), g.scalar(Math.LN2, dt)])),
  log10: composed((g, x, dt) => g.node('Div', [g.node('Log', [x]), g.scalar(Math.LN10, dt)])),
  exp2: composed((g, x, dt) => g.node('Pow', [g.scalar(2, dt), x])),
  erfc: composed((g, x, dt) => g.node('Sub', [g.scalar(1, dt), g.node('Erf', [x])])),
  silu: composed((g, x) => g.node('Mul', [x, g.node('Sigmoid', [x])])),
  mish: composed((g, x) => g.node('Mul', [x, g.node('Tanh', [g.node('Softplus', [x])])])),
  logSigmoid: composed((g, x) => g.node('Neg', [g.node('Softplus', [g.node('Neg', [x])])])),
  // NOTE: chainrule's softplus has no beta or threshold (torch's defaults, 1 and 20, change nothing above float precision).
  softplus: same('Softplus'),
  leakyRelu: (ctx) => ctx.graph.node('LeakyRelu', castInputs(ctx), { alpha: { float: unaryParams(ctx)[0] ?? 0.01 } }),
  elu: (ctx) => ctx.graph.node('Elu', castInputs(ctx), { alpha: { float: unaryParams(ctx)[0] ?? 1 } }),
  celu: (ctx) => ctx.graph.node('Celu', castInputs(ctx), { alpha: { float: unaryParams(ctx)[0] ?? 1 } }),
  selu: same('Selu'),
  hardswish: same('HardSwish'),
  // relu6(x + 3) / 6, as torch: ONNX's HardSigmoid defaults to alpha 0.2.
  hardsigmoid: (ctx) =>
    ctx.graph.node('HardSigmoid', castInputs(ctx), { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }),
  clamp: (ctx) => {
    const params = ctx.record.params;
    if (Array.isArray(params)) {
      const [lo, hi] = params as number[];
      const [x] = castInputs(ctx) as [string];
      return clip(ctx.graph, x, floatOf(ctx.record.output), lo ?? -Infinity, hi ?? Infinity);
    }
    // Tensor bounds: max(x, min) then min(·, max), which gives max where min > max, as chainrule and PyTorch.
    const [x, a, b] = castInputs(ctx) as [string, string, string | undefined];
    const bounds = (params as { bounds?: string } | undefined)?.bounds ?? (b === undefined ? undefined : 'both');
    if (bounds === 'both') return ctx.graph.node('Min', [ctx.graph.node('Max', [x, a]), b as string]);
    if (bounds === 'min') return ctx.graph.node('Max', [x, a]);
    if (bounds === 'max') return ctx.graph.node('Min', [x, a]);
    return null; // a float clamp with one tensor bound: the record does not say which
  },
  hardtanh: composed((g, x, dt, [lo, hi]) => clip(g, x, dt, lo ?? -1, hi ?? 1)),
  relu6: composed((g, x, dt) => clip(g, x, dt, 0, 6)),
  // gelu: 0.5·x·(1 + erf(x/√2)), or the tanh form 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) (ONNX's Gelu is opset 20).
  gelu: composed((g, x, dt, [tanhForm]) => geluNodes(g, x, dt, tanhForm === 1)),

  // Binary (broadcasting as in NumPy, like chainrule).
  add: same('Add'),
  sub: same('Sub'),
  mul: same('Mul'),
  div: same('Div'),
  // NOTE: an integer power is exact in chainrule (0 for a negative exponent of |base| > 1), not in ONNX Runtime.
  pow: (ctx) => (isFloatDType(ctx.record.output.dtype) ? ctx.graph.node('Pow', castInputs(ctx)) : null),
  maximum: same('Max'),
  minimum: same('Min'),
  matmul: same('MatMul'),
  where: (ctx) => {
    const [c, a, b] = ctx.inputs as [string, string, string];
    const [, ta, tb] = ctx.record.inputs as [Tensor, Tensor, Tensor];
    const to = dataTypeNumber(ctx.record.output.dtype);
    const cond = (ctx.record.inputs[0] as Tensor).dtype === 'bool' ? c : ctx.graph.node('Cast', [c], { to: 9 });
    const ca = ta.dtype === ctx.record.output.dtype ? a : ctx.graph.node('Cast', [a], { to });
    const cb = tb.dtype === ctx.record.output.dtype ? b : ctx.graph.node('Cast', [b], { to });
    return ctx.graph.node('Where', [cond, ca, cb]);
  },
  // linear(x, W, b) = x·Wᵀ + b, then the activation it fuses, if any.
  linear: (ctx) => {
    const [x, w, b] = castInputs(ctx) as [string, string, string | undefined];
    const g = ctx.graph;
    const product = g.node('MatMul', [x, g.node('Transpose', [w], { perm: [1, 0] })]);
    const z = b === undefined ? product : g.node('Add', [product, b]);
    const activation = ctx.record.params as FusedActivation | null | undefined;
    switch (activation) {
      case 'relu':
        return g.node('Relu', [z]);
      case 'sigmoid':
        return g.node('Sigmoid', [z]);
      case 'tanh':
        return g.node('Tanh', [z]);
      case 'gelu':
      case 'geluTanh':
        return geluNodes(g, z, floatOf(ctx.record.output), activation === 'geluTanh');
      default:
        return z;
    }
  },
  to: (ctx) => ctx.graph.node('Cast', [ctx.inputs[0] as string], { to: dataTypeNumber(ctx.record.output.dtype) }),

  // Backward rules that core fuses into one op (issue 23: the gradient graphs of exported training steps).
  // reluGrad(g, x) = g where x > 0, else 0 (relu'(0) = 0, as PyTorch).
  reluGrad: (ctx) => {
    const [g, x] = castInputs(ctx) as [string, string];
    const dt = floatOf(ctx.record.output);
    const zero = ctx.graph.scalar(0, dt, 'zero');
    return ctx.graph.node('Where', [ctx.graph.node('Greater', [x, zero]), g, zero]);
  },
  // sigmoidGrad(g, s) = g·s·(1 − s), from the saved output s.
  sigmoidGrad: (ctx) => {
    const [g, s] = castInputs(ctx) as [string, string];
    const one = ctx.graph.scalar(1, floatOf(ctx.record.output), 'one');
    return ctx.graph.node('Mul', [g, ctx.graph.node('Mul', [s, ctx.graph.node('Sub', [one, s])])]);
  },
  // tanhGrad(g, t) = g·(1 − t²), from the saved output t.
  tanhGrad: (ctx) => {
    const [g, t] = castInputs(ctx) as [string, string];
    const one = ctx.graph.scalar(1, floatOf(ctx.record.output), 'one');
    return ctx.graph.node('Mul', [g, ctx.graph.node('Sub', [one, ctx.graph.node('Mul', [t, t])])]);
  },
  // The convolution primitives: conv (what conv1d/2d/3d run, and what convInput's backward runs), and the
  // gradients of its input and weight.
  conv: (ctx) =>
    convolution({ ...ctx, record: { ...ctx.record, params: { ...(ctx.record.params as object), batched: true } } }),
  convInput,
  convWeight,

  // More unary ops and shapes (issue 23).
  // trunc(x) = sign(x)·floor(|x|) (ONNX has no Trunc); integers are whole already.
  trunc: (ctx) => {
    const [x] = castInputs(ctx) as [string];
    return isFloatDType(ctx.record.output.dtype) ? truncated(ctx.graph, x) : ctx.graph.node('Identity', [x]);
  },
  frac: (ctx) => {
    const [x] = castInputs(ctx) as [string];
    // An integer's fractional part is 0.
    const whole = isFloatDType(ctx.record.output.dtype) ? truncated(ctx.graph, x) : x;
    return ctx.graph.node('Sub', [x, whole]);
  },
  tanhshrink: composed((g, x) => g.node('Sub', [x, g.node('Tanh', [x])])),
  // Shrink: x − bias above λ, x + bias below −λ, 0 between (softshrink's bias is λ, hardshrink's 0).
  softshrink: (ctx) => {
    const lambd = unaryParams(ctx)[0] ?? 0.5;
    return ctx.graph.node('Shrink', castInputs(ctx), { lambd: { float: lambd }, bias: { float: lambd } });
  },
  hardshrink: (ctx) =>
    ctx.graph.node('Shrink', castInputs(ctx), { lambd: { float: unaryParams(ctx)[0] ?? 0.5 }, bias: { float: 0 } }),
  // threshold(x, th, value) = x where x > th, else value (NaN stays NaN: NaN > th is false, so the mask is taken from x ≤ th).
  threshold: (ctx) => {
    const [x] = castInputs(ctx) as [string];
    const [th, value] = unaryParams(ctx) as [number, number];
    const dt = floatOf(ctx.record.output);
    const g = ctx.graph;
    return g.node('Where', [
      g.node('LessOrEqual', [x, g.scalar(th, dt, 'threshold')]),
      g.scalar(value, dt, 'value'),
      x,
    ]);
  },
  cumsum: (ctx) => {
    const p = ctx.record.params as { axis: number; reverse?: boolean };
    const [x] = castInputs(ctx) as [string];
    // A 0-d tensor's running sum is itself (ONNX's CumSum wants an axis).
    if ((ctx.record.inputs[0] as Tensor).ndim === 0) return ctx.graph.node('Identity', [x]);
    return ctx.graph.node('CumSum', [x, ctx.graph.int64s([p.axis], 'axis')], { reverse: p.reverse === true ? 1 : 0 });
  },
  flip: (ctx) => {
    const axes = ctx.record.params as readonly number[];
    const g = ctx.graph;
    if (axes.length === 0) return g.node('Identity', [ctx.inputs[0] as string]);
    return g.node('Slice', [
      ctx.inputs[0] as string,
      g.int64s(
        axes.map(() => -1),
        'starts',
      ),
      g.int64s(
        axes.map(() => Number.MIN_SAFE_INTEGER),
        'ends',
      ),
      g.int64s(axes, 'axes'),
      g.int64s(
        axes.map(() => -1),
        'steps',
      ),
    ]);
  },
  unflatten: (ctx) => {
    const target = reshapeTarget(ctx, ctx.record.output.shape);
    return ctx.graph.node('Reshape', [ctx.inputs[0] as string, ctx.graph.int64s(target, 'shape')]);
  },
  tril: triangle(0),
  triu: triangle(1),
  // slice's backward: the gradient padded with zeros back to the input's shape (a step of 1; others are not mapped).
  padSlice: (ctx) => {
    const p = ctx.record.params as SliceParams & { shape: readonly number[] };
    if (p.step !== 1) return null;
    const rank = p.shape.length;
    const before = new Array<number>(rank).fill(0);
    const after = new Array<number>(rank).fill(0);
    before[p.axis] = p.start;
    after[p.axis] = (p.shape[p.axis] as number) - p.start - p.count;
    return ctx.graph.node('Pad', [ctx.inputs[0] as string, ctx.graph.int64s([...before, ...after], 'pads')]);
  },

  // Comparisons and masks (bool results).
  eq: comparison('Equal', false, true),
  ne: comparison('Equal', true, true),
  gt: comparison('Greater'),
  ge: comparison('GreaterOrEqual'),
  lt: comparison('Less'),
  le: comparison('LessOrEqual'),
  logicalAnd: (ctx) => ctx.graph.node('And', masks(ctx)),
  logicalOr: (ctx) => ctx.graph.node('Or', masks(ctx)),
  logicalNot: (ctx) => ctx.graph.node('Not', masks(ctx)),
  isnan: valueTest((g, x) => g.node('IsNaN', [x]), false),
  isinf: valueTest((g, x) => g.node('IsInf', [x]), false),
  isposinf: valueTest((g, x) => g.node('IsInf', [x], { detect_negative: 0 }), false),
  isneginf: valueTest((g, x) => g.node('IsInf', [x], { detect_positive: 0 }), false),
  isfinite: valueTest((g, x) => g.node('Not', [g.node('Or', [g.node('IsNaN', [x]), g.node('IsInf', [x])])]), true),

  // Reductions.
  sum: reduce('ReduceSum', true),
  amax: reduce('ReduceMax', false),
  amin: reduce('ReduceMin', false),
  max: reduce('ReduceMax', false),
  min: reduce('ReduceMin', false),
  prod: reduce('ReduceProd', false),
  // all(x, axis, keepDims): whether every element is nonzero (NaN counts), as the minimum of the 0/1 masks
  // (ONNX has no bool reduction; ReduceMin has int32 kernels in ONNX Runtime). No axis reduces every axis.
  all: (ctx) => {
    const p = ctx.record.params as { axis?: number | readonly number[]; keepDims?: boolean };
    const g = ctx.graph;
    const [mask] = masks(ctx) as [string];
    const axes = p.axis === undefined ? undefined : typeof p.axis === 'number' ? [p.axis] : [...p.axis];
    // An empty list of axes reduces nothing (chainrule); ONNX would reduce every axis.
    if (axes !== undefined && axes.length === 0) return g.node('Identity', [mask]);
    const counts = g.node('Cast', [mask], { to: dataTypeNumber('int32') });
    const least = g.node('ReduceMin', [counts], { axes, keepdims: p.keepDims === true ? 1 : 0 });
    return g.node('Cast', [least], { to: dataTypeNumber('bool') });
  },
  softmax: softmaxLike('Softmax'),
  logSoftmax: softmaxLike('LogSoftmax'),

  // Shapes.
  reshape: (ctx) => {
    const target = reshapeTarget(ctx, ctx.record.params as readonly number[]);
    return ctx.graph.node('Reshape', [ctx.inputs[0] as string, ctx.graph.int64s(target, 'shape')]);
  },
  permute: (ctx) => ctx.graph.node('Transpose', [ctx.inputs[0] as string], { perm: ctx.record.params as number[] }),
  // NOTE: Expand broadcasts both ways, so a 1 where the input has its own size keeps that size (a dynamic batch survives).
  expand: (ctx) => {
    const input = ctx.record.inputs[0] as Tensor;
    const target = ctx.record.params as readonly number[];
    const offset = target.length - input.ndim;
    const shape = target.map((n, i) => (i >= offset && input.shape[i - offset] === n ? 1 : n));
    return ctx.graph.node('Expand', [ctx.inputs[0] as string, ctx.graph.int64s(shape, 'shape')]);
  },
  slice: (ctx) => {
    const p = ctx.record.params as SliceParams;
    const g = ctx.graph;
    // The last index read is start + (count − 1)·step; the exclusive end one step further (never below -1 for counting down).
    const end = p.count === 0 ? p.start : p.start + p.count * p.step;
    const ends = p.step < 0 && end < 0 ? Number.MIN_SAFE_INTEGER : end;
    return g.node('Slice', [
      ctx.inputs[0] as string,
      g.int64s([p.start], 'starts'),
      g.int64s([ends], 'ends'),
      g.int64s([p.axis], 'axes'),
      g.int64s([p.step], 'steps'),
    ]);
  },
  concat: (ctx) => ctx.graph.node('Concat', castInputs(ctx), { axis: (ctx.record.params as { axis: number }).axis }),
  pad: (ctx) => {
    const p = ctx.record.params as PadParams;
    const dt = floatOf(ctx.record.output);
    const g = ctx.graph;
    return g.node('Pad', [
      ctx.inputs[0] as string,
      g.int64s([...p.before, ...p.after], 'pads'),
      g.scalar(p.value, dt, 'pad_value'),
    ]);
  },

  // Convolutions and pools, traced whole by core.
  conv1d: convolution,
  conv2d: convolution,
  conv3d: convolution,
  maxPool1d: (ctx) => poolNode(ctx, 'MaxPool', {}),
  maxPool2d: (ctx) => poolNode(ctx, 'MaxPool', {}),
  maxPool3d: (ctx) => poolNode(ctx, 'MaxPool', {}),
  avgPool1d: avgPool,
  avgPool2d: avgPool,
  avgPool3d: avgPool,
};

function avgPool(ctx: MapContext): string | null {
  const p = ctx.record.params as PoolParams;
  // The record of the op row itself (window tables, no kernel) is not this form.
  if (p.kernel === undefined) return null;
  const after = padAfter(p.inSize, p.outSize, p.kernel, p.stride, p.dilation, p.padding);
  // NOTE: with ceilMode a last window may reach past the padding; PyTorch then divides by its elements inside
  // input and padding, ONNX would count the extra end padding written here too, so that form is not exported.
  if (p.countIncludePad && after.some((a, i) => a > (p.padding[i] as number))) return null;
  if (ctx.record.output.dtype === 'float64') {
    // NOTE: ONNX Runtime's CPU AveragePool is float32 only; float64 is the windows' sum over the divisor.
    if (!p.batched || p.divisorOverride) return null;
    const g = ctx.graph;
    const q: Geometry = { ...p, padBefore: p.padding };
    const total = g.node('ReduceSum', [windows(g, ctx.inputs[0] as string, q, after), g.int64s([2], 'axes')], {
      keepdims: 0,
    });
    if (p.countIncludePad || p.padding.every((n) => n === 0)) {
      return g.node('Div', [
        total,
        g.scalar(
          p.kernel.reduce((a, b) => a * b, 1),
          'float64',
        ),
      ]);
    }
    // Without the padding in the divisor, each window's count is the same pool of ones.
    const ones = g.node('Expand', [g.scalar(1, 'float64'), g.int64s([1, 1, ...p.inSize], 'shape')]);
    const counts = g.node('ReduceSum', [windows(g, ones, q, after), g.int64s([2], 'axes')], { keepdims: 0 });
    return g.node('Div', [total, counts]);
  }
  return poolNode(ctx, 'AveragePool', { count_include_pad: p.countIncludePad ? 1 : 0 });
}

/**
 * The windows of a convolution as a tensor [N, C·K, L] built from strided
 * slices of the padded input, one per kernel tap, in unfold's row order
 * (channel, then taps): for engines without a float64 Conv (ONNX Runtime's CPU).
 */
function windows(g: GraphBuilder, x: string, q: Geometry, after: readonly number[]): string {
  const dims = q.inSize.length;
  const zeros = new Array<number>(2).fill(0);
  const padded = g.node('Pad', [x, g.int64s([...zeros, ...q.padBefore, ...zeros, ...after], 'pads')]);
  const axes = q.inSize.map((_, i) => i + 2);
  const taps: string[] = [];
  const tap = new Array<number>(dims).fill(0);
  const total = q.kernel.reduce((a, b) => a * b, 1);
  for (let t = 0; t < total; t++) {
    // Row-major tap index → per-dimension offsets.
    let rest = t;
    for (let i = dims - 1; i >= 0; i--) {
      tap[i] = rest % (q.kernel[i] as number);
      rest = Math.floor(rest / (q.kernel[i] as number));
    }
    const starts = tap.map((k, i) => k * (q.dilation[i] as number));
    const ends = starts.map((s, i) => s + ((q.outSize[i] as number) - 1) * (q.stride[i] as number) + 1);
    const slice = g.node('Slice', [
      padded,
      g.int64s(starts, 'starts'),
      g.int64s(ends, 'ends'),
      g.int64s(axes, 'axes'),
      g.int64s(q.stride, 'steps'),
    ]);
    taps.push(g.node('Unsqueeze', [slice, g.int64s([2], 'axes')]));
  }
  return g.node('Concat', taps, { axis: 2 }); // [N, C, K, ...out]
}

function convolution(ctx: MapContext): string | null {
  const p = ctx.record.params as { groups: number; geometry: Geometry; batched: boolean };
  if (!p.batched) return null;
  const { geometry: q } = p;
  const after = padAfter(q.inSize, q.outSize, q.kernel, q.stride, q.dilation, q.padBefore);
  if (ctx.record.output.dtype === 'float64') {
    // NOTE: ONNX Runtime's CPU Conv is float32 only; float64 is written as windows times the weight matrix.
    if (p.groups !== 1) return null;
    const g = ctx.graph;
    const [x, w, b] = castInputs(ctx) as [string, string, string | undefined];
    const weight = ctx.record.inputs[1] as Tensor;
    const matrix = g.node('Reshape', [w, g.int64s([weight.shape[0] as number, -1], 'shape')]);
    const cols = g.node('Reshape', [
      windows(g, x, q, after),
      g.int64s([0, -1, q.outSize.reduce((a, b) => a * b, 1)], 'shape'),
    ]);
    const product = g.node('MatMul', [matrix, cols]);
    const image = g.node('Reshape', [product, g.int64s([0, weight.shape[0] as number, ...q.outSize], 'shape')]);
    if (b === undefined) return image;
    return g.node('Add', [image, g.node('Reshape', [b, g.int64s([-1, ...q.outSize.map(() => 1)], 'shape')])]);
  }
  return ctx.graph.node('Conv', castInputs(ctx), {
    kernel_shape: q.kernel,
    strides: q.stride,
    dilations: q.dilation,
    pads: [...q.padBefore, ...after],
    group: p.groups,
  });
}

interface ConvParams {
  readonly groups: number;
  readonly geometry: Geometry;
}

/**
 * The gradient of a convolution's input, convInput(g, w): the transposed
 * convolution of g with the same weight. ConvTranspose's output size is
 * s·(out − 1) + d·(k − 1) + 1 − pads; zeros are padded on for the input
 * positions no window reached (floor mode), whose gradient is 0.
 */
function convInput(ctx: MapContext): string | null {
  const p = ctx.record.params as ConvParams;
  const q = p.geometry;
  // NOTE: ONNX Runtime's CPU ConvTranspose is float32 only.
  if (ctx.record.output.dtype !== 'float32') return null;
  const after = padAfter(q.inSize, q.outSize, q.kernel, q.stride, q.dilation, q.padBefore);
  const missing = q.inSize.map((n, i) => {
    const reach =
      ((q.outSize[i] as number) - 1) * (q.stride[i] as number) +
      (q.dilation[i] as number) * ((q.kernel[i] as number) - 1) +
      1;
    return n - (reach - (q.padBefore[i] as number) - (after[i] as number));
  });
  const g = ctx.graph;
  const y = g.node('ConvTranspose', castInputs(ctx), {
    kernel_shape: q.kernel,
    strides: q.stride,
    dilations: q.dilation,
    pads: [...q.padBefore, ...after],
    group: p.groups,
  });
  // Zeros for the trailing positions no window reached (ONNX Runtime caps output_padding below the stride).
  if (missing.every((m) => m === 0)) return y;
  return g.node('Pad', [y, g.int64s([0, 0, ...missing.map(() => 0), 0, 0, ...missing], 'pads')]);
}

/**
 * The gradient of a convolution's weight, convWeight(x, g): for one group,
 * dW[o, c, k] = Σₙ Σⱼ g[n, o, j]·x[n, c, j·s + k·d], which is itself a
 * convolution of x (channels as the batch) with g (batch as input channels,
 * strides and dilations swapped), cropped to the kernel and transposed.
 */
function convWeight(ctx: MapContext): string | null {
  const p = ctx.record.params as ConvParams;
  const q = p.geometry;
  if (p.groups !== 1 || ctx.record.output.dtype !== 'float32') return null;
  const g = ctx.graph;
  const [x, grad] = castInputs(ctx) as [string, string];
  const dims = q.inSize.length;
  const swap = [1, 0, ...q.inSize.map((_, i) => i + 2)];
  const after = padAfter(q.inSize, q.outSize, q.kernel, q.stride, q.dilation, q.padBefore);
  const full = g.node('Conv', [g.node('Transpose', [x], { perm: swap }), g.node('Transpose', [grad], { perm: swap })], {
    strides: q.dilation,
    dilations: q.stride,
    pads: [...q.padBefore, ...after],
  });
  const axes = Array.from({ length: dims }, (_, i) => i + 2);
  const cropped = g.node('Slice', [
    full,
    g.int64s(
      axes.map(() => 0),
      'starts',
    ),
    g.int64s(q.kernel, 'ends'),
    g.int64s(axes, 'axes'),
  ]);
  return g.node('Transpose', [cropped], { perm: swap });
}
