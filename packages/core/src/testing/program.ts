/**
 * Random programs as plain data: a list of nodes (inputs, then ops reading
 * earlier nodes), built deterministically from lists of small integers so
 * that a property-test library shrinks a program by shrinking the integers
 * (fewer steps, op 0 instead of op 17, the latest node instead of an older
 * one). Nothing here imports fast-check; `arbProgram` in program-arbitrary.ts
 * wraps {@link buildProgram}.
 */
import * as cr from './core-namespace';
import { ArgumentError, Tensor, Value, noGrad, type FloatDType } from '../index';

/** A shape, as a plain list of sizes. */
export type ProgramShape = readonly number[];

/**
 * A non-tensor argument of an op call, printable as TypeScript: numbers,
 * booleans, strings, null, undefined, lists and options objects of them, or
 * an integer/bool tensor (index lists, masks) given by its elements.
 */
export type ProgramParam =
  | number
  | boolean
  | string
  | null
  | undefined
  | readonly ProgramParam[]
  | IndexTensorParam
  | { readonly [key: string]: ProgramParam };

/** An int32 or bool tensor argument (an index list, a mask), kept as its elements so it prints. */
export interface IndexTensorParam {
  /** The elements, row-major (bools as 0/1). */
  readonly $tensor: readonly number[];
  /** Its shape. */
  readonly shape: ProgramShape;
  /** int32 for indices, bool for masks. */
  readonly dtype: 'int32' | 'bool';
}

/** Integer choices an op draws its arguments from (cycled; 0 is always the simplest choice). */
export class ProgramDraw {
  #i = 0;
  readonly #seeds: readonly number[];

  /** @param seeds - non-negative integers, read in turn and cycled. */
  constructor(seeds: readonly number[]) {
    this.#seeds = seeds;
  }

  /** An integer in [lo, hi] (lo when the seeds say 0). */
  int(lo: number, hi: number): number {
    if (hi <= lo) return lo;
    const s = this.#seeds.length === 0 ? 0 : (this.#seeds[this.#i++ % this.#seeds.length] as number);
    return lo + (s % (hi - lo + 1));
  }

  /** One of `xs` (the first when the seeds say 0). */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)] as T;
  }

  /** A valid axis of a tensor of `rank` ≥ 1, negative about half the time. */
  axis(rank: number): number {
    const a = this.int(0, 2 * rank - 1);
    return a < rank ? a : a - 2 * rank;
  }

  /** A boolean (false first). */
  bool(): boolean {
    return this.int(0, 1) === 1;
  }
}

/** What an op's planner decides for one call: its arguments, and shapes its later tensor inputs must have. */
export interface OpPlan {
  /** The non-tensor arguments, after the tensor inputs. */
  readonly params: readonly ProgramParam[];
  /** A shape per tensor input that must have it: a picked node of another shape is replaced by a fresh input. */
  readonly inputShapes?: readonly (ProgramShape | undefined)[];
}

/**
 * One op a program may call, with what the generator must know about it.
 * The shape of its result is not declared: the builder calls the op once on
 * small tensors, so an op's own shape rules are the only ones.
 */
export interface ProgramOp {
  /** The name printed in the source and in reports (a core function's name for the built-in ops). */
  readonly name: string;
  /** How many tensor inputs it takes. */
  readonly arity: number;
  /** Per input, an interval its values must stay in: the program maps the input into it (see `guardSource`). */
  readonly domain?: readonly (readonly [number, number] | undefined)[];
  /** Whether inputs after the first broadcast against it (they are summed, keeping dims, where they would not). */
  readonly broadcast?: boolean;
  /** Fewest and most dimensions its first input may have (a reshape adapts it). */
  readonly rank?: readonly [number, number];
  /** Whether the op itself is printed with `.values` after the call (ops returning values and indices). */
  readonly values?: boolean;
  /** Draws the op's arguments for inputs of these shapes; null when it cannot apply to them. */
  plan?(shapes: readonly ProgramShape[], draw: ProgramDraw): OpPlan | null;
  /**
   * How far the float64 inputs are from a kink, jump or tie of the op (0 on
   * one). Programs whose inputs come within the margin are left out of the
   * finite-difference properties, whose differences would straddle it.
   */
  kinkDistance?(inputs: readonly Tensor[], params: readonly unknown[], output: Tensor): number;
  /** Calls the op (default: the core function of this name with the inputs, then the arguments). */
  call?(inputs: readonly Tensor[], params: readonly unknown[]): Tensor;
  /** Prints the call (default: `cr.<name>(inputs..., params...)`). */
  source?(inputs: readonly string[], params: readonly string[]): string;
  /** The same op on Values, for scalar programs (ops without it are left out of those). */
  value?(inputs: readonly Value[], params: readonly unknown[]): Value;
  /** An import line the printed source needs for this op (user ops). */
  readonly imports?: string;
  /** How many float32 roundings one output element may carry, per input element (default 1; reductions: their length). */
  readonly roundings?: (shapes: readonly ProgramShape[]) => number;
  /** Whether second derivatives are left unchecked (ops with a zero or undefined second derivative rule). */
  readonly firstOrderOnly?: boolean;
}

/** One node of a program. */
export interface ProgramNode {
  /** 'input' for a leaf, 'guard' for a domain map, 'fit' for a broadcast or rank adapter, else the op's name. */
  readonly kind: 'input' | 'guard' | 'fit' | 'op';
  /** The op (for 'op' nodes), or undefined. */
  readonly op?: ProgramOp;
  /** The node indices read, in argument order. */
  readonly inputs: readonly number[];
  /** The op's arguments (an op node), the interval (a guard) or the adapter's description (a fit). */
  readonly params: readonly ProgramParam[];
  /** The shape of its result. */
  readonly shape: ProgramShape;
}

/** One step of a program as raw integers: which op, which earlier nodes, and the op's argument choices. */
export interface ProgramStep {
  /** Index into the op list (taken modulo its length). */
  readonly op: number;
  /** Per input: 0 is the latest node, 1 the one before it, ... (modulo the nodes so far). */
  readonly picks: readonly number[];
  /** The integers the op draws its arguments from. */
  readonly draws: readonly number[];
}

/** A program's raw integers. */
export interface ProgramRecipe {
  /** The shapes of the first inputs. */
  readonly inputShapes: readonly ProgramShape[];
  /** The steps, in order; a step whose op cannot apply is dropped. */
  readonly steps: readonly ProgramStep[];
}

/** How {@link buildProgram} keeps values in domains. */
export interface BuildOptions {
  /** Map each op's input into its domain (default true). */
  domains?: boolean;
  /** Most nodes after the inputs (default 12). */
  maxNodes?: number;
}

const isIndexTensor = (p: ProgramParam): p is IndexTensorParam =>
  typeof p === 'object' && p !== null && !Array.isArray(p) && '$tensor' in p;

/** A parameter as the value the op receives (index tensors become Tensors). */
export function paramValue(p: ProgramParam): unknown {
  if (isIndexTensor(p)) {
    const data = p.dtype === 'bool' ? p.$tensor.map((v) => v !== 0) : p.$tensor.slice();
    return cr.tensor(data, { dtype: p.dtype, shape: p.shape.slice() });
  }
  if (Array.isArray(p)) return (p as readonly ProgramParam[]).map(paramValue);
  if (typeof p === 'object' && p !== null) {
    return Object.fromEntries(Object.entries(p as Record<string, ProgramParam>).map(([k, v]) => [k, paramValue(v)]));
  }
  return p;
}

/** A parameter as TypeScript source. */
export function paramSource(p: ProgramParam): string {
  if (p === undefined) return 'undefined';
  if (typeof p === 'number') return Number.isFinite(p) ? String(p) : p > 0 ? 'Infinity' : '-Infinity';
  if (typeof p === 'string') return JSON.stringify(p);
  if (typeof p === 'boolean' || p === null) return String(p);
  if (isIndexTensor(p)) {
    const data = p.dtype === 'bool' ? p.$tensor.map((v) => v !== 0) : p.$tensor;
    return `cr.tensor(${JSON.stringify(data)}, { dtype: '${p.dtype}', shape: ${JSON.stringify(p.shape)} })`;
  }
  if (Array.isArray(p)) return `[${(p as readonly ProgramParam[]).map(paramSource).join(', ')}]`;
  const entries = Object.entries(p as Record<string, ProgramParam>).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => `${k}: ${paramSource(v)}`).join(', ')} }`;
}

type Callable = (...args: unknown[]) => unknown;

function coreFunction(name: string): Callable {
  const f = (cr as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function')
    throw new ArgumentError('arbProgram', `op '${name}' is not a function of @chainrule/core; give it a call`);
  return f as Callable;
}

/** Calls an op node's op. */
export function callOp(op: ProgramOp, inputs: readonly Tensor[], params: readonly ProgramParam[]): Tensor {
  const args = params.map(paramValue);
  if (op.call !== undefined) return op.call(inputs, args);
  const out = coreFunction(op.name)(...inputs, ...args);
  const t = op.values === true ? (out as { values: Tensor }).values : out;
  if (!(t instanceof Tensor)) throw new ArgumentError('arbProgram', `op '${op.name}' returned no Tensor`);
  return t;
}

function opSource(op: ProgramOp, inputs: readonly string[], params: readonly ProgramParam[]): string {
  const ps = params.map(paramSource);
  if (op.source !== undefined) return op.source(inputs, ps);
  // Trailing undefined arguments are defaults: leave them out of the printed call.
  while (ps.length > 0 && ps[ps.length - 1] === 'undefined') ps.pop();
  return `cr.${op.name}(${[...inputs, ...ps].join(', ')})${op.values === true ? '.values' : ''}`;
}

/** The domain map a guard applies: lo + (hi − lo)·sigmoid(x), into the open interval (lo, hi). */
function guardTensor(x: Tensor, lo: number, hi: number): Tensor {
  return x
    .sigmoid()
    .mul(hi - lo)
    .add(lo);
}

function guardValue(x: Value, lo: number, hi: number): Value {
  return x
    .sigmoid()
    .mul(hi - lo)
    .add(lo);
}

/** The sum over `axes` (keepDims) a fit node applies, or a reshape to `shape`. */
interface Fit {
  readonly sumAxes?: readonly number[];
  readonly reshape?: ProgramShape;
}

function fitOf(node: ProgramNode): Fit {
  return node.params[0] as Fit;
}

function broadcastable(a: ProgramShape, b: ProgramShape): boolean {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i] as number;
    const y = b[b.length - i] as number;
    if (x !== y && x !== 1 && y !== 1) return false;
  }
  return true;
}

/** The axes of b to sum (keepDims) so that it broadcasts against a. */
function axesToFit(a: ProgramShape, b: ProgramShape): number[] {
  const axes: number[] = [];
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i] as number;
    const y = b[b.length - i] as number;
    if (x !== y && x !== 1 && y !== 1) axes.push(b.length - i);
  }
  return axes.reverse();
}

/** A shape of `rank` holding the same elements: ones in front, or leading sizes merged. */
function reshapedToRank(shape: ProgramShape, rank: number): number[] {
  if (shape.length < rank) return [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const merged = shape.slice(0, shape.length - rank + 1).reduce((p, s) => p * s, 1);
  return [merged, ...shape.slice(shape.length - rank + 1)];
}

const numel = (shape: ProgramShape): number => shape.reduce((p, s) => p * s, 1);

/**
 * A program: nodes over inputs, the last node its output. Plain data, so a
 * property test shrinks it, prints it ({@link Program.toSource}) and runs it
 * on Tensors ({@link Program.run}) or, when every node is a scalar, on
 * Values ({@link Program.runValues}).
 */
export class Program {
  /** The nodes: inputs, guards, adapters and ops, each reading only earlier nodes. */
  readonly nodes: readonly ProgramNode[];

  /** @param nodes - the nodes, the last one the output. */
  constructor(nodes: readonly ProgramNode[]) {
    this.nodes = nodes;
  }

  /** The indices of the input nodes, in argument order. */
  get inputIndices(): number[] {
    return this.nodes.flatMap((n, i) => (n.kind === 'input' ? [i] : []));
  }

  /** The inputs' shapes, in argument order. */
  get inputShapes(): ProgramShape[] {
    return this.nodes.filter((n) => n.kind === 'input').map((n) => n.shape);
  }

  /** The output's shape. */
  get outputShape(): ProgramShape {
    return (this.nodes[this.nodes.length - 1] as ProgramNode).shape;
  }

  /** How many op nodes it has (inputs, guards and adapters not counted). */
  get opCount(): number {
    return this.nodes.filter((n) => n.kind === 'op').length;
  }

  /** The names of the ops it calls, in order. */
  get opNames(): string[] {
    return this.nodes.flatMap((n) => (n.kind === 'op' && n.op !== undefined ? [n.op.name] : []));
  }

  /** Whether every node is a scalar and every op has a Value version, so {@link Program.runValues} can run it. */
  get isScalar(): boolean {
    return this.nodes.every(
      (n) => n.shape.length === 0 && (n.kind === 'input' || n.kind === 'guard' || n.op?.value !== undefined),
    );
  }

  /**
   * Runs the program on Tensors and returns every node's value (the last is
   * the output).
   */
  evaluate(inputs: readonly Tensor[]): Tensor[] {
    const indices = this.inputIndices;
    if (!Array.isArray(inputs) || inputs.length !== indices.length) {
      throw new ArgumentError(
        'Program.run',
        `the program takes ${indices.length} input(s) of shapes ${JSON.stringify(this.inputShapes)}, got ${Array.isArray(inputs) ? inputs.length : String(inputs)}`,
      );
    }
    const values: Tensor[] = [];
    let next = 0;
    for (const node of this.nodes) {
      const xs = node.inputs.map((i) => values[i] as Tensor);
      if (node.kind === 'input') values.push(inputs[next++] as Tensor);
      else if (node.kind === 'guard') {
        values.push(guardTensor(xs[0] as Tensor, node.params[0] as number, node.params[1] as number));
      } else if (node.kind === 'fit') {
        const fit = fitOf(node);
        const x = xs[0] as Tensor;
        values.push(
          fit.reshape !== undefined ? x.reshape(fit.reshape.slice()) : x.sum(fit.sumAxes?.slice() ?? [], true),
        );
      } else values.push(callOp(node.op as ProgramOp, xs, node.params));
    }
    return values;
  }

  /** Runs the program on Tensors (float32 or float64, one per input, of the input shapes). */
  run(inputs: readonly Tensor[]): Tensor {
    return this.evaluate(inputs).pop() as Tensor;
  }

  /** Runs a scalar program ({@link Program.isScalar}) on Values. */
  runValues(inputs: readonly Value[]): Value {
    if (!this.isScalar)
      throw new ArgumentError('Program.runValues', 'the program has non-scalar nodes or ops without a Value version');
    const indices = this.inputIndices;
    if (!Array.isArray(inputs) || inputs.length !== indices.length)
      throw new ArgumentError('Program.runValues', `the program takes ${indices.length} Value(s)`);
    const values: Value[] = [];
    let next = 0;
    for (const node of this.nodes) {
      const xs = node.inputs.map((i) => values[i] as Value);
      if (node.kind === 'input') values.push(inputs[next++] as Value);
      else if (node.kind === 'guard')
        values.push(guardValue(xs[0] as Value, node.params[0] as number, node.params[1] as number));
      else values.push((node.op as ProgramOp).value?.(xs, node.params.map(paramValue)) as Value);
    }
    return values.pop() as Value;
  }

  /**
   * The smallest distance of any op's inputs from its kinks, ties or jumps,
   * on these (float64) inputs; Infinity when no op has any.
   */
  kinkDistance(inputs: readonly Tensor[]): number {
    return noGrad(() => {
      const values = this.evaluate(inputs);
      let d = Number.POSITIVE_INFINITY;
      this.nodes.forEach((node, i) => {
        const k = node.op?.kinkDistance;
        if (node.kind !== 'op' || k === undefined) return;
        const xs = node.inputs.map((j) => values[j] as Tensor);
        d = Math.min(d, k(xs, node.params.map(paramValue), values[i] as Tensor));
      });
      return d;
    });
  }

  /**
   * The program as runnable TypeScript: imports, then `export function
   * program(x0, x1, ...)` with one `const` per node.
   *
   * @example
   * // import * as cr from '@chainrule/core';
   * // import type { Tensor } from '@chainrule/core';
   * //
   * // export function program(x0: Tensor): Tensor {
   * //   const t1 = cr.exp(x0);
   * //   const t2 = cr.mul(t1, t1);
   * //   return t2;
   * // }
   */
  toSource(): string {
    const names = this.nodes.map((n, i) => (n.kind === 'input' ? `x${i}` : `t${i}`));
    const lines: string[] = [];
    this.nodes.forEach((node, i) => {
      if (node.kind === 'input') return;
      const xs = node.inputs.map((j) => names[j] as string);
      let expr: string;
      if (node.kind === 'guard') {
        const [lo, hi] = node.params as [number, number];
        expr = `${xs[0]}.sigmoid().mul(${paramSource(hi - lo)}).add(${paramSource(lo)}) /* into (${lo}, ${hi}) */`;
      } else if (node.kind === 'fit') {
        const fit = fitOf(node);
        expr =
          fit.reshape !== undefined
            ? `${xs[0]}.reshape(${JSON.stringify(fit.reshape)})`
            : `${xs[0]}.sum(${JSON.stringify(fit.sumAxes ?? [])}, true)`;
      } else expr = opSource(node.op as ProgramOp, xs, node.params);
      lines.push(`  const ${names[i]} = ${expr};`);
    });
    const args = this.inputIndices.map((i) => `${names[i]}: Tensor`).join(', ');
    const imports = [...new Set(this.nodes.flatMap((n) => (n.op?.imports !== undefined ? [n.op.imports] : [])))];
    return [
      "import * as cr from '@chainrule/core';",
      "import type { Tensor } from '@chainrule/core';",
      ...imports,
      '',
      `export function program(${args}): Tensor {`,
      ...lines,
      `  return ${names[names.length - 1]};`,
      '}',
      '',
    ].join('\n');
  }

  /** The source (what a failing property prints). */
  toString(): string {
    return this.toSource();
  }
}

/** Small deterministic inputs for a shape: values in [-2, 2] from a seed (mulberry32). */
export function programInputs(program: Program, seed: number, dtype: FloatDType = 'float64'): Tensor[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return program.inputShapes.map((shape) =>
    cr.tensor(
      Array.from({ length: numel(shape) }, () => Math.round((next() * 4 - 2) * 1024) / 1024),
      { dtype, shape: shape.slice() },
    ),
  );
}

/**
 * Builds a program from its raw integers: each step calls its op on the
 * nodes it picks, after mapping them into the op's domain, summing them to
 * broadcast, or reshaping them to the op's rank; a step whose op still
 * cannot apply is dropped. The output is the last node.
 */
export function buildProgram(ops: readonly ProgramOp[], recipe: ProgramRecipe, options: BuildOptions = {}): Program {
  if (ops.length === 0) throw new ArgumentError('buildProgram', 'the op list is empty; pass at least one ProgramOp');
  const domains = options.domains !== false;
  const maxNodes = options.maxNodes ?? 12;
  const nodes: ProgramNode[] = recipe.inputShapes.map((shape) => ({ kind: 'input', inputs: [], params: [], shape }));
  if (nodes.length === 0) nodes.push({ kind: 'input', inputs: [], params: [], shape: [] });
  const probe = (shape: ProgramShape): Tensor => cr.full(shape.slice(), 0.5, { dtype: 'float64' });
  let built = 0;
  for (const step of recipe.steps) {
    if (built >= maxNodes) break;
    const op = ops[step.op % ops.length] as ProgramOp;
    const scratch: ProgramNode[] = [];
    const total = () => nodes.length + scratch.length;
    const shapeOf = (i: number) =>
      (i < nodes.length ? (nodes[i] as ProgramNode) : (scratch[i - nodes.length] as ProgramNode)).shape;
    const add = (node: ProgramNode): number => {
      scratch.push(node);
      return total() - 1;
    };
    const picked: number[] = [];
    for (let a = 0; a < op.arity; a++) {
      const back = (step.picks[a] ?? 0) % nodes.length;
      picked.push(nodes.length - 1 - back);
    }
    // Rank adapter for the first input.
    if (op.rank !== undefined && picked.length > 0) {
      const s = shapeOf(picked[0] as number);
      const [lo, hi] = op.rank;
      if (s.length < lo || s.length > hi) {
        const target = reshapedToRank(s, s.length < lo ? lo : hi);
        picked[0] = add({ kind: 'fit', inputs: [picked[0] as number], params: [{ reshape: target }], shape: target });
      }
    }
    if (op.broadcast === true) {
      const first = shapeOf(picked[0] as number);
      for (let a = 1; a < picked.length; a++) {
        const s = shapeOf(picked[a] as number);
        if (!broadcastable(first, s)) {
          const axes = axesToFit(first, s);
          const shape = s.map((d, i) => (axes.includes(i) ? 1 : d));
          picked[a] = add({ kind: 'fit', inputs: [picked[a] as number], params: [{ sumAxes: axes }], shape });
        }
      }
    }
    const plan = op.plan === undefined ? { params: [] } : op.plan(picked.map(shapeOf), new ProgramDraw(step.draws));
    if (plan === null) continue;
    const freshInputs: ProgramNode[] = [];
    plan.inputShapes?.forEach((want, a) => {
      if (want === undefined) return;
      const have = shapeOf(picked[a] as number);
      if (have.length === want.length && have.every((d, i) => d === want[i])) return;
      // A fresh input: numbered after the existing nodes, moved before the step's nodes below.
      freshInputs.push({ kind: 'input', inputs: [], params: [], shape: want.slice() });
      picked[a] = -freshInputs.length;
    });
    // Renumber: fresh inputs go first (so inputs stay leaves before their users).
    const offset = freshInputs.length;
    const renumber = (i: number): number => (i < 0 ? nodes.length + (-i - 1) : i < nodes.length ? i : i + offset);
    const moved = scratch.map((n) => ({ ...n, inputs: n.inputs.map(renumber) }));
    let inputsOfOp = picked.map(renumber);
    const all = [...nodes, ...freshInputs, ...moved];
    if (domains && op.domain !== undefined) {
      inputsOfOp = inputsOfOp.map((i, a) => {
        const d = op.domain?.[a];
        if (d === undefined) return i;
        all.push({ kind: 'guard', inputs: [i], params: [d[0], d[1]], shape: (all[i] as ProgramNode).shape });
        return all.length - 1;
      });
    }
    let shape: ProgramShape;
    try {
      const out = noGrad(() =>
        callOp(
          op,
          inputsOfOp.map((i) => probe((all[i] as ProgramNode).shape)),
          plan.params,
        ),
      );
      if (out.dtype !== 'float64') continue;
      shape = out.shape.slice();
    } catch {
      continue;
    }
    all.push({ kind: 'op', op, inputs: inputsOfOp, params: plan.params, shape });
    nodes.length = 0;
    nodes.push(...all);
    built++;
  }
  return new Program(nodes);
}
