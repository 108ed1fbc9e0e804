/**
 * The textbook network as a graph of scalar Values: every neuron's z and
 * activation a, every weight and bias, and the cost C = Σ_j (a⁽ᴸ⁾_j − y_j)².
 * The views only draw what this graph holds; every number they show (an
 * activation, a gradient, a local derivative) is read from a Value.
 */
import { Generator, noGrad, type Value, value } from '@chainrule/core';

/** The plain numbers a network is made of; a view rebuilds the Value graph from them. */
export interface NetworkState {
  /** Neurons per layer, input first: [2, 2, 1] is the textbook's 2-2-1 network. */
  sizes: number[];
  /** weights[l][j][k]: from neuron k of layer l to neuron j of layer l+1 (the textbook's w⁽ˡ⁺¹⁾_jk). */
  weights: number[][][];
  /** biases[l][j]: neuron j of layer l+1. */
  biases: number[][];
  /** The input activations a⁽⁰⁾. */
  input: number[];
  /** What the output layer should say, y. */
  target: number[];
}

/** One forward pass recorded as Values. */
export interface Built {
  weights: Value[][][];
  biases: Value[][];
  /** z[l][j]: the weighted sum of neuron j of layer l+1 (z[0] is layer 1). */
  z: Value[][];
  /** a[l][j]: the activation of neuron j of layer l (a[0] is the input). */
  a: Value[][];
  cost: Value;
}

const MAX_LAYER = 6;
const MAX_LAYERS = 5;

/**
 * Reads "2-3-1" into layer sizes. Returns an error message (naming what was
 * given and what is accepted) rather than sizes when the text is not one.
 */
export function parseSizes(text: string): number[] | string {
  const parts = text.trim().split(/\s*[-,x ]\s*/);
  const sizes = parts.map(Number);
  if (
    sizes.length < 2 ||
    sizes.length > MAX_LAYERS ||
    sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_LAYER)
  )
    return `layer sizes: expected 2 to ${MAX_LAYERS} whole numbers from 1 to ${MAX_LAYER} joined by '-', such as 2-2-1; got '${text}'`;
  return sizes;
}

/**
 * The textbook's 2-2-1 network with the numbers of examples/value-net, or a
 * network of other sizes with small normal weights (seeded: the same sizes
 * always give the same network) and zero biases, as the tutorial initialises.
 */
export function initialState(sizes: number[] = [2, 2, 1], seed = 1): NetworkState {
  if (sizes.length === 3 && sizes[0] === 2 && sizes[1] === 2 && sizes[2] === 1)
    return {
      sizes: [2, 2, 1],
      weights: [
        [
          [0.1, -0.2],
          [0.4, 0.3],
        ],
        [[0.7, -0.6]],
      ],
      biases: [[0, 0], [0]],
      input: [0.5, -1],
      target: [1],
    };
  const g = new Generator(seed);
  const weights: number[][][] = [];
  const biases: number[][] = [];
  for (let l = 1; l < sizes.length; l++) {
    const nIn = sizes[l - 1]!;
    weights.push(Array.from({ length: sizes[l]! }, () => Array.from({ length: nIn }, () => 0.5 * g.normal())));
    biases.push(new Array<number>(sizes[l]!).fill(0));
  }
  const input = Array.from({ length: sizes[0]! }, () => g.normal());
  const target = Array.from({ length: sizes[sizes.length - 1]! }, () => g.random());
  return { sizes: [...sizes], weights, biases, input, target };
}

/** z = w_1·a_1 + … + w_n·a_n + b: one neuron's weighted sum, the same builder wherever a z is needed. */
export function neuronZ(w: readonly Value[], aPrev: readonly Value[], b: Value): Value {
  let z: Value | null = null;
  for (let k = 0; k < w.length; k++) {
    const term = w[k]!.mul(aPrev[k]!);
    z = z === null ? term : z.add(term);
  }
  return (z as Value).add(b);
}

/** a = σ(z). */
export function activate(z: Value): Value {
  return z.sigmoid();
}

/** C = Σ_j (a_j − y_j)²: the tutorial's sum of squared differences for one example. */
export function costOf(output: readonly Value[], target: readonly number[]): Value {
  let c: Value | null = null;
  for (let j = 0; j < output.length; j++) {
    const term = output[j]!.sub(target[j]!).pow(2);
    c = c === null ? term : c.add(term);
  }
  return c as Value;
}

/** Symbols in the tutorial's notation (layer in a superscript, neurons in a subscript). */
const SUP = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const SUB = '₀₁₂₃₄₅₆₇₈₉';
export const sup = (n: number): string => `⁽${[...String(n)].map((d) => SUP[Number(d)]).join('')}⁾`;
export const sub = (n: number): string => [...String(n)].map((d) => SUB[Number(d)]).join('');
export const weightName = (l: number, j: number, k: number): string => `w${sup(l)}${sub(j + 1)}${sub(k + 1)}`;
export const biasName = (l: number, j: number): string => `b${sup(l)}${sub(j + 1)}`;

/** One training example. */
export interface Example {
  input: number[];
  target: number[];
}

/** The weights and biases as leaf Values. */
export interface Params {
  weights: Value[][][];
  biases: Value[][];
}

export function makeParams(state: NetworkState): Params {
  return {
    weights: state.weights.map((layer, l) =>
      layer.map((row, j) => row.map((w, k) => value(w, { label: weightName(l + 1, j, k) }))),
    ),
    biases: state.biases.map((layer, l) => layer.map((b, j) => value(b, { label: biasName(l + 1, j) }))),
  };
}

/**
 * Records the forward pass of one example (the state's input, or `example`)
 * as Values. Weights and biases are the leaves that need gradients; inputs do not.
 */
export function build(state: NetworkState, example?: Example, params: Params = makeParams(state)): Built {
  const input = example?.input ?? state.input;
  const target = example?.target ?? state.target;
  const { weights, biases } = params;
  const a: Value[][] = [input.map((x, k) => value(x, { label: `a${sup(0)}${sub(k + 1)}`, requiresGrad: false }))];
  const z: Value[][] = [];
  for (let l = 0; l < weights.length; l++) {
    const zs = weights[l]!.map((row, j) => neuronZ(row, a[l]!, biases[l]![j]!));
    zs.forEach((v, j) => (v.label = `z${sup(l + 1)}${sub(j + 1)}`));
    const as = zs.map(activate);
    as.forEach((v, j) => (v.label = `a${sup(l + 1)}${sub(j + 1)}`));
    z.push(zs);
    a.push(as);
  }
  const cost = costOf(a[a.length - 1]!, target);
  cost.label = 'C';
  return { weights, biases, z, a, cost };
}

/** Forward and backward: the graph with every gradient filled in. */
export function forwardBackward(state: NetworkState): Built {
  const built = build(state);
  built.cost.backward();
  return built;
}

/** One step of gradient descent, w ← w − η ∂C/∂w, on the gradients backward() put on `built`'s leaves. */
export function sgdStep(state: NetworkState, built: Params, lr: number): NetworkState {
  return {
    ...state,
    weights: built.weights.map((layer) => layer.map((row) => row.map((w) => w.data - lr * w.grad))),
    biases: built.biases.map((layer) => layer.map((b) => b.data - lr * b.grad)),
  };
}

/**
 * The local derivatives of one layer, each taken by the engine: the layer's
 * builders run again on fresh leaves holding the same numbers, and
 * backward() on each output gives that output's partial derivatives.
 */
export interface LayerLocals {
  /** dzdw[j][k] = ∂z_j/∂w_jk. */
  dzdw: number[][];
  /** dzda[j][k] = ∂z_j/∂a⁽ˡ⁻¹⁾_k. */
  dzda: number[][];
  /** dadz[j] = ∂a_j/∂z_j. */
  dadz: number[];
}

function leaf(x: number): Value {
  return value(x);
}

export function layerLocals(built: Built, l: number): LayerLocals {
  const rows = built.weights[l]!;
  const aPrev = built.a[l]!;
  const dzdw: number[][] = [];
  const dzda: number[][] = [];
  const dadz: number[] = [];
  rows.forEach((row, j) => {
    const w = row.map((v) => leaf(v.data));
    const ap = aPrev.map((v) => leaf(v.data));
    neuronZ(w, ap, leaf(built.biases[l]![j]!.data)).backward();
    dzdw.push(w.map((v) => v.grad));
    dzda.push(ap.map((v) => v.grad));
    const z = leaf(built.z[l]![j]!.data);
    activate(z).backward();
    dadz.push(z.grad);
  });
  return { dzdw, dzda, dadz };
}

/** ∂C/∂a⁽ᴸ⁾_j for every output neuron, by the engine on fresh leaves. */
export function costLocals(built: Built, target: readonly number[]): number[] {
  const out = built.a[built.a.length - 1]!.map((v) => leaf(v.data));
  costOf(out, target).backward();
  return out.map((v) => v.grad);
}

/** One factor of a chain-rule product: its symbol and its value. */
export interface Factor {
  symbol: string;
  value: number;
}

/** One path from a weight to the cost: the neurons it passes (layer, index) and its factors, cost first. */
export interface ChainPath {
  neurons: [number, number][];
  factors: Factor[];
  product: number;
}

const d = (top: string, bottom: string): string => `∂${top}/∂${bottom}`;

/**
 * ∂C/∂w⁽ˡ⁾_jk as the sum over every path from the weight to the cost of the
 * product of local derivatives along it (one path when every later layer has
 * one neuron; the textbook's single product is that case). `l` is 1-based.
 */
export function chainPaths(state: NetworkState, built: Built, l: number, j: number, k: number): ChainPath[] {
  const L = state.sizes.length - 1;
  const locals = Array.from({ length: L }, (_, i) => layerLocals(built, i));
  const dCda = costLocals(built, state.target);
  const paths: ChainPath[] = [];
  const aName = (layer: number, i: number) => `a${sup(layer)}${sub(i + 1)}`;
  const zName = (layer: number, i: number) => `z${sup(layer)}${sub(i + 1)}`;
  // Walk forward from neuron j of layer l, choosing one neuron in each later layer.
  const walk = (layer: number, i: number, neurons: [number, number][], factors: Factor[]) => {
    if (layer === L) {
      const all = [{ symbol: d('C', aName(L, i)), value: dCda[i]! }, ...factors];
      paths.push({ neurons, factors: all, product: all.reduce((p, f) => p * f.value, 1) });
      return;
    }
    const next = locals[layer]!; // layer `layer + 1` in 1-based numbering
    for (let n = 0; n < state.sizes[layer + 1]!; n++) {
      walk(
        layer + 1,
        n,
        [...neurons, [layer + 1, n]],
        [
          { symbol: d(aName(layer + 1, n), zName(layer + 1, n)), value: next.dadz[n]! },
          { symbol: d(zName(layer + 1, n), aName(layer, i)), value: next.dzda[n]![i]! },
          ...factors,
        ],
      );
    }
  };
  const own = locals[l - 1]!;
  walk(
    l,
    j,
    [
      [l - 1, k],
      [l, j],
    ],
    [
      { symbol: d(aName(l, j), zName(l, j)), value: own.dadz[j]! },
      { symbol: d(zName(l, j), weightName(l, j, k)), value: own.dzdw[j]![k]! },
    ],
  );
  return paths;
}

/** The mean cost over a set of examples, as one Value graph (so backward gives the batch gradient). */
export function batchCost(state: NetworkState, examples: readonly Example[]): { params: Params; cost: Value } {
  const params = makeParams(state);
  const built = examples.map((e) => build(state, e, params));
  let total: Value = built[0]!.cost;
  for (let i = 1; i < built.length; i++) total = total.add(built[i]!.cost);
  return { params, cost: total.div(examples.length) };
}

/** The mean cost without recording a graph (for drawing a cost surface). */
export function evalCost(state: NetworkState, examples: readonly Example[]): number {
  return noGrad(() => batchCost(state, examples).cost.data);
}
