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

export type BenchCase = MatmulCase | MlpStepCase | OpOverheadCase | ValueMlpCase | EpochCase | OpCase;

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
