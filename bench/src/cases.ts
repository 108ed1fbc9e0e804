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

export type BenchCase = MatmulCase | MlpStepCase | OpOverheadCase | ValueMlpCase | EpochCase;

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
  ];
}
