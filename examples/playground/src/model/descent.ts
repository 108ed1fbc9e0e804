/**
 * The descent view's numbers: a data set the network could fit, the cost
 * over a grid of two chosen parameters (the others held), and the path
 * mini-batch SGD takes on those two. The engine computes every cost and
 * gradient; this file only chooses where to evaluate them.
 */
import { Generator, randperm } from '@chainrule/core';
import { batchCost, build, evalCost, type Example, type NetworkState } from './network';

/** A weight [layer, j, k] (layer 1-based) or a bias [layer, j]. */
export type ParamRef = readonly [number, number, number] | readonly [number, number];

export function getParam(state: NetworkState, p: ParamRef): number {
  return p.length === 3 ? state.weights[p[0] - 1]![p[1]]![p[2]]! : state.biases[p[0] - 1]![p[1]]!;
}

export function withParam(state: NetworkState, p: ParamRef, v: number): NetworkState {
  const out = structuredClone(state);
  if (p.length === 3) out.weights[p[0] - 1]![p[1]]![p[2]] = v;
  else out.biases[p[0] - 1]![p[1]] = v;
  return out;
}

/** How far the teacher's two parameters sit from the network's: where the surface's minimum is. */
export const TEACHER_OFFSET: readonly [number, number] = [2, -2];

/**
 * Sixteen examples labelled by a teacher: the network itself with the two
 * chosen parameters moved by TEACHER_OFFSET, so the cost surface has a known
 * minimum (cost 0) a little way from where descent starts.
 */
export function teacherExamples(state: NetworkState, a: ParamRef, b: ParamRef, count = 16, seed = 7): Example[] {
  const teacher = withParam(
    withParam(state, a, getParam(state, a) + TEACHER_OFFSET[0]),
    b,
    getParam(state, b) + TEACHER_OFFSET[1],
  );
  const g = new Generator(seed);
  const nOut = state.sizes[state.sizes.length - 1]!;
  return Array.from({ length: count }, () => {
    const input = Array.from({ length: state.sizes[0]! }, () => 2 * g.normal());
    const out = build(teacher, { input, target: new Array<number>(nOut).fill(0) });
    return { input, target: out.a[out.a.length - 1]!.map((v) => v.data) };
  });
}

export interface Surface {
  xs: number[];
  ys: number[];
  /** Row-major: cost[i * xs.length + j] is the cost at (xs[j], ys[i]). */
  cost: number[];
}

export function costSurface(
  state: NetworkState,
  a: ParamRef,
  b: ParamRef,
  examples: readonly Example[],
  domain: { x: [number, number]; y: [number, number] },
  n = 31,
): Surface {
  const xs = Array.from({ length: n }, (_, j) => domain.x[0] + ((domain.x[1] - domain.x[0]) * j) / (n - 1));
  const ys = Array.from({ length: n }, (_, i) => domain.y[0] + ((domain.y[1] - domain.y[0]) * i) / (n - 1));
  const cost: number[] = [];
  for (const y of ys) for (const x of xs) cost.push(evalCost(withParam(withParam(state, a, x), b, y), examples));
  return { xs, ys, cost };
}

export interface PathPoint {
  step: number;
  x: number;
  y: number;
  /** The cost on the whole data set at this point (what the surface shows). */
  cost: number;
  /** The cost of the mini-batch whose gradient made the next step. */
  batchCost?: number;
}

/**
 * Mini-batch SGD on the two chosen parameters: each epoch visits the
 * examples in a new random order (seeded, so the same controls draw the same
 * path), one step per batch, x ← x − η ∂C_batch/∂x. Stops early once the
 * cost is no longer finite.
 */
export function sgdPath(
  state: NetworkState,
  a: ParamRef,
  b: ParamRef,
  examples: readonly Example[],
  options: { lr: number; batchSize: number; steps: number; seed?: number },
): PathPoint[] {
  const g = new Generator(options.seed ?? 11);
  let s = state;
  const path: PathPoint[] = [{ step: 0, x: getParam(s, a), y: getParam(s, b), cost: evalCost(s, examples) }];
  let order: number[] = [];
  let at = 0;
  for (let step = 1; step <= options.steps; step++) {
    if (at >= order.length) {
      order = randperm(examples.length, { generator: g }).toArray() as number[];
      at = 0;
    }
    const batch = order.slice(at, at + options.batchSize).map((i) => examples[i]!);
    at += options.batchSize;
    const { params, cost } = batchCost(s, batch);
    cost.backward();
    const grad = (p: ParamRef) =>
      (p.length === 3 ? params.weights[p[0] - 1]![p[1]]![p[2]]! : params.biases[p[0] - 1]![p[1]]!).grad;
    const [ga, gb] = [grad(a), grad(b)];
    path[path.length - 1]!.batchCost = cost.data;
    s = withParam(withParam(s, a, getParam(s, a) - options.lr * ga), b, getParam(s, b) - options.lr * gb);
    const c = evalCost(s, examples);
    path.push({ step, x: getParam(s, a), y: getParam(s, b), cost: c });
    if (!Number.isFinite(c)) break;
  }
  return path;
}
