/** The benchmark cases, each measured for every engine that implements it. */

export interface MatmulCase {
  kind: 'matmul';
  n: number;
}

export interface MlpStepCase {
  kind: 'mlp-step';
  batch: number;
  sizes: readonly [number, number, number];
}

export interface OpOverheadCase {
  kind: 'op-overhead';
  ops: number;
}

export interface ValueMlpCase {
  kind: 'value-mlp';
  points: number;
  sizes: readonly number[];
}

export interface EpochCase {
  kind: 'mnist-epoch';
  samples: number;
  batch: number;
  sizes: readonly [number, number, number];
}

/**
 * A 2-D convolution with a 3×3-style square kernel and 'same'-size padding,
 * timed forward only or forward and backward (gradients of the input, the
 * weight and the bias from a fixed upstream gradient).
 */
export interface ConvCase {
  kind: 'conv2d';
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
  kernel: number;
  padding: number;
  pass: 'forward' | 'forward+backward';
}

/** The matrix product a convolution's forward amounts to: [m×k]·[k×n], m output pixels, k = C·kH·kW, n = O. */
export interface ConvGemmCase {
  kind: 'conv-gemm';
  m: number;
  k: number;
  n: number;
  /** The convolution it stands for, for the case's name. */
  of: string;
}

/**
 * One LeNet-5 training step on MNIST-sized input (1×28×28, the first
 * convolution padded by 2): conv 6@5×5, ReLU, max-pool 2, conv 16@5×5, ReLU,
 * max-pool 2, dense 120, ReLU, 84, ReLU, 10, softmax cross-entropy, plain SGD.
 */
export interface LenetStepCase {
  kind: 'lenet-step';
  batch: number;
}

/** Multiply-adds times two of a convolution's forward pass. */
export function convFlops(c: ConvCase): number {
  const out = c.size + 2 * c.padding - c.kernel + 1;
  return 2 * c.batch * c.outChannels * out * out * c.inChannels * c.kernel * c.kernel;
}

/**
 * One op on float32 data of `shape` (issues 17 and 18): elementwise functions and reductions over
 * every element, sorting, a running sum along the last axis, a batched product written as einsum
 * and as matmul, and a scatter-add of one entry per element into a zero vector of the same length.
 */
export interface OpCase {
  kind: 'op';
  op: BenchOp;
  shape: readonly number[];
}

export type BenchOp =
  | 'gelu'
  | 'erf'
  | 'silu'
  | 'prod'
  | 'norm'
  | 'sort'
  | 'topk'
  | 'cumsum'
  | 'einsum'
  | 'bmm'
  | 'scatterAdd';

/** topk's k in the op cases. */
export const topkK = 10;

export type BenchCase =
  | MatmulCase
  | MlpStepCase
  | OpOverheadCase
  | ValueMlpCase
  | EpochCase
  | ConvCase
  | ConvGemmCase
  | LenetStepCase
  | OpCase;

/** How an op case is named in the table: its op and sizes, `1M` for 2^20 elements. */
function opCaseName(c: OpCase): string {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const size = n === 2 ** 20 && c.shape.length === 1 ? '1M' : `[${c.shape.join(', ')}]`;
  switch (c.op) {
    case 'topk':
      return `topk k=${topkK} f32 ${size}`;
    case 'cumsum':
      return `cumsum f32 ${size} along the last axis`;
    case 'einsum':
      return `einsum bij,bjk->bik f32 ${c.shape[0]}×${c.shape[1]}²`;
    case 'bmm':
      return `matmul (batched) f32 ${c.shape[0]}×${c.shape[1]}²`;
    case 'scatterAdd':
      return `scatterAdd f32 ${size} entries`;
    default:
      return `${c.op} f32 ${size}`;
  }
}

/** A case's name in the table. */
export function caseName(c: BenchCase): string {
  switch (c.kind) {
    case 'matmul':
      return `matmul f32 ${c.n}×${c.n}`;
    case 'mlp-step':
      return `MLP ${c.sizes.join('-')} step, batch ${c.batch}`;
    case 'op-overhead':
      return `${c.ops} chained adds + backward`;
    case 'value-mlp':
      return `Value MLP ${c.sizes.join('-')}, ${c.points} points`;
    case 'mnist-epoch':
      return `MNIST-size epoch ${c.sizes.join('-')}, ${c.samples} samples`;
    case 'conv2d':
      return `conv2d ${c.inChannels}→${c.outChannels} ${c.kernel}×${c.kernel} ${c.size}×${c.size}, batch ${c.batch}, ${c.pass}`;
    case 'conv-gemm':
      return `matmul f32 ${c.m}×${c.k}·${c.k}×${c.n} (${c.of} as one GEMM)`;
    case 'lenet-step':
      return `LeNet-5 step, batch ${c.batch}`;
    case 'op':
      return opCaseName(c);
  }
}

/** The figure reported for a case from its median time: what a reader compares. */
export function metric(c: BenchCase, ms: number): { value: number; unit: string } {
  switch (c.kind) {
    case 'matmul':
      return { value: (2 * c.n ** 3) / (ms * 1e6), unit: 'GFLOP/s' };
    case 'op-overhead':
      return { value: (ms * 1000) / c.ops, unit: 'µs/op' };
    case 'mnist-epoch':
      return { value: c.samples / (ms / 1000), unit: 'samples/s' };
    case 'conv2d':
      return c.pass === 'forward' ? { value: convFlops(c) / (ms * 1e6), unit: 'GFLOP/s' } : { value: ms, unit: 'ms' };
    case 'conv-gemm':
      return { value: (2 * c.m * c.k * c.n) / (ms * 1e6), unit: 'GFLOP/s' };
    default:
      return { value: ms, unit: 'ms' };
  }
}

export function cases(smoke: boolean): BenchCase[] {
  if (smoke) {
    return [
      { kind: 'matmul', n: 32 },
      { kind: 'mlp-step', batch: 4, sizes: [16, 8, 4] },
      { kind: 'op-overhead', ops: 50 },
      { kind: 'value-mlp', points: 5, sizes: [2, 4, 4, 1] },
      { kind: 'mnist-epoch', samples: 64, batch: 32, sizes: [16, 8, 4] },
      ...convCases(true),
      ...opCases(1024, 64, 4, 16),
    ];
  }
  return [
    { kind: 'matmul', n: 64 },
    { kind: 'matmul', n: 256 },
    { kind: 'matmul', n: 512 },
    { kind: 'matmul', n: 1024 },
    { kind: 'mlp-step', batch: 32, sizes: [784, 128, 10] },
    { kind: 'mlp-step', batch: 256, sizes: [784, 128, 10] },
    { kind: 'op-overhead', ops: 2000 },
    { kind: 'value-mlp', points: 100, sizes: [2, 16, 16, 1] },
    { kind: 'mnist-epoch', samples: 8000, batch: 32, sizes: [784, 64, 10] },
    ...convCases(false),
    ...opCases(2 ** 20, 1024, 16, 256),
  ];
}

/** The op cases of issues 17 and 18: n elements, a square of side `rows` for cumsum, `batch` products of side `side`. */
function opCases(n: number, rows: number, batch: number, side: number): OpCase[] {
  const flat = [n] as const;
  return [
    ...(['gelu', 'erf', 'silu', 'prod', 'norm', 'sort', 'topk'] as const).map(
      (op): OpCase => ({ kind: 'op', op, shape: flat }),
    ),
    { kind: 'op', op: 'cumsum', shape: [rows, rows] },
    { kind: 'op', op: 'einsum', shape: [batch, side, side] },
    { kind: 'op', op: 'bmm', shape: [batch, side, side] },
    { kind: 'op', op: 'scatterAdd', shape: flat },
  ];
}

// ---------------------------------------------------------------- convolution (issue 16)

function convCases(smoke: boolean): BenchCase[] {
  const shapes = smoke
    ? [{ batch: 2, inChannels: 1, outChannels: 4, size: 8 }]
    : [
        { batch: 32, inChannels: 1, outChannels: 32, size: 28 },
        { batch: 16, inChannels: 64, outChannels: 64, size: 32 },
      ];
  const out: BenchCase[] = [];
  for (const s of shapes) {
    for (const pass of ['forward+backward', 'forward'] as const)
      out.push({ kind: 'conv2d', ...s, kernel: 3, padding: 1, pass });
  }
  const big = shapes[shapes.length - 1] as (typeof shapes)[number];
  out.push({
    kind: 'conv-gemm',
    m: big.batch * big.size * big.size,
    k: big.inChannels * 9,
    n: big.outChannels,
    of: `conv2d ${big.inChannels}→${big.outChannels}`,
  });
  out.push({ kind: 'lenet-step', batch: smoke ? 4 : 64 });
  return out;
}
