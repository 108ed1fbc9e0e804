/**
 * The PyTorch reference values (fixtures/*.json, written by
 * fixtures/make_fixtures.py with PyTorch 1.13 in float64), typed, and the two
 * fixed problems rebuilt with chainrule so that the tests compute the same
 * gradients with chainrule's own autograd.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tensor, type Tensor } from '@chainrule/core';

export interface FlatTensor {
  shape: number[];
  data: number[];
}

export interface TrajectoryCase {
  name: string;
  optimizer: 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
  problem: 'regression' | 'quadratic';
  options: Record<string, unknown>;
  groups: { params: string[]; options: Record<string, unknown> }[] | null;
  scheduler: { name: string; options: Record<string, unknown> } | null;
  /** The parameters (flattened, by name) after each step. */
  steps: Record<string, number[]>[];
}

export interface OptimizerFixtures {
  problems: Record<string, { data: Record<string, FlatTensor>; init: Record<string, FlatTensor> }>;
  cases: TrajectoryCase[];
}

export interface ScheduleCase {
  name: string;
  chain: { name: string; options: Record<string, unknown> }[];
  /** Learning rates assigned by hand just before the given epoch's step. */
  byHand: Record<string, number[]>;
  /** The groups' lrs after construction, then after each epoch. */
  lrs: number[][];
}

export interface PlateauCase {
  name: string;
  options: Record<string, unknown>;
  metrics: number[];
  lrs: number[][];
}

export interface SchedulerFixtures {
  initialLrs: number[];
  epochs: number;
  schedules: ScheduleCase[];
  plateaus: PlateauCase[];
}

export interface ClipCase {
  kind: 'norm' | 'value';
  args: { maxNorm?: number; normType?: number | 'inf'; clipValue?: number };
  totalNorm: number | null;
  input: (FlatTensor | null)[];
  grads: (FlatTensor | null)[];
}

function load<T>(name: string): T {
  const path = fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export const optimizerFixtures = load<OptimizerFixtures>('optimizers.json');
export const schedulerFixtures = load<SchedulerFixtures>('schedulers.json');
export const clipFixtures = load<{ cases: ClipCase[] }>('clip.json');

export function toTensor(t: FlatTensor, requiresGrad = false): Tensor {
  return tensor(t.data, { dtype: 'float64', shape: t.shape, requiresGrad });
}

/** A problem's parameters, fresh from their initial values, by name (in the fixture's order). */
export function initialParams(problem: string): Map<string, Tensor> {
  const p = optimizerFixtures.problems[problem];
  if (p === undefined) throw new Error(`no problem ${problem} in the fixtures`);
  return new Map(Object.entries(p.init).map(([name, t]) => [name, toTensor(t, true)]));
}

/**
 * The problem's loss, as make_fixtures.py writes it in torch:
 *   regression: mean((X W + b - Y)²)            (u is never used)
 *   quadratic:  sum(a · (x - c)²) + 0.05 · sum((x²)²)
 */
export function lossOf(problem: string, params: Map<string, Tensor>): Tensor {
  const p = optimizerFixtures.problems[problem];
  if (p === undefined) throw new Error(`no problem ${problem} in the fixtures`);
  const d = (name: string) => toTensor(p.data[name] as FlatTensor);
  const w = (name: string) => params.get(name) as Tensor;
  if (problem === 'regression') return d('X').matmul(w('W')).add(w('b')).sub(d('Y')).square().mean();
  const x = w('x');
  return x.sub(d('c')).square().mul(d('a')).sum().add(x.square().square().sum().mul(0.05));
}

/** The largest |a - e| / max(|e|, 1e-300) over two arrays of equal length, or Infinity if lengths differ. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (a === e) continue;
    worst = Math.max(worst, Math.abs(a - e) / Math.max(Math.abs(e), 1e-300));
  }
  return worst;
}

/** Every element of a tensor, row-major, as plain numbers. */
export function valuesOf(t: Tensor): number[] {
  return Array.from(t.data());
}
