import { ArgumentError, GraphError, safeString } from '../autograd/errors';
import { isGradEnabled } from '../autograd/grad-mode';
import { checkValueForward, checkValueGradient, isAnomalyEnabled, rememberStack } from '../autograd/anomaly';
import { newWalkMark, type Inputs } from '../autograd/toposort';
import * as ops from './ops';

/** A number, or a Value; ops on Values accept either. */
export type ValueLike = Value | number;

/** Options of {@link value}. */
export interface ValueOptions {
  /** A name shown by `toDot`/`toMermaid`, e.g. `'w1'`. */
  label?: string;
  /** Whether backward computes a gradient for this leaf (default true). */
  requiresGrad?: boolean;
}

/** Options of {@link Value.backward}. */
export interface ValueBackwardOptions {
  /** Keep the graph so backward can run through it again (default false). */
  retainGraph?: boolean;
}

/*
 * Why a Value keeps its numbers in a slab: a JavaScript object field holding a
 * non-integer number points at a separate heap box, so a node with its data,
 * grad and operand in fields is four objects. A forward pass of a small MLP
 * makes tens of thousands of nodes that all stay alive until backward, and
 * V8's young-generation collector copies every live object, so the bytes a
 * node occupies on the JavaScript heap decide most of the scalar engine's
 * speed. A node is therefore one object of five fields (inputs, op, slab,
 * offset); its numbers, its walk mark and its flags sit in a Float64Array
 * shared by SLAB_NODES nodes, outside the collected heap, and the rare label
 * sits in a WeakMap. A slab is freed by the garbage collector once no node in
 * it is alive, so nothing here is managed by hand; the price is that one
 * long-lived node keeps its whole slab (10 KiB) alive, which is why slabs are
 * small.
 */
const SLAB_NODES = 256;
/** Slots per node: data, grad, the op's number operand, the walk mark, the flags. */
const STRIDE = 5;
const DATA = 0;
const GRAD = 1;
const K = 2;
const MARK = 3;
const FLAGS = 4;
const REQUIRES_GRAD = 1;
const FREED = 2;
let slab = new Float64Array(SLAB_NODES * STRIDE);
let slabUsed = 0;
const labels = new WeakMap<Value, string>();

/**
 * A scalar node of the textbook graph: each neuron holds a number, each
 * connection a weight. Every op on Values records the inputs it read and the
 * op (ops.ts), whose backward adds its share of the gradient into them. The
 * node is one small object: no closure or extra array per op beyond its
 * inputs, because per-op cost is what matters for a graph of scalars.
 *
 * Value is first-order only (its gradients are plain numbers) and keeps a
 * gradient on every node, interior ones included, so the drawing of a small
 * network shows how the gradient flowed. Use Tensor for real work and for
 * higher-order derivatives.
 *
 * @example
 * const x = value(2, { label: 'x' });
 * const y = x.mul(x).add(x);   // y = x² + x
 * y.backward();
 * x.grad;                      // 5 = 2x + 1
 */
export class Value {
  /** @internal The first input (null for leaves). */
  readonly _a: Value | null;
  /** @internal The second input of a binary op. */
  readonly _b: Value | null;
  /** @internal The op that computed this node (null for leaves and untracked results). */
  readonly _op: ValueOp | null;
  /** @internal The slab holding this node's numbers. */
  readonly _s: Float64Array;
  /** @internal This node's first slot in `_s`. */
  readonly _i: number;

  /** @internal Use {@link value} to make a leaf; ops make the rest. */
  constructor(data: number, op: ValueOp | null, a: Value | null, b: Value | null, k: number, requiresGrad: boolean) {
    if (slabUsed === SLAB_NODES) {
      slab = new Float64Array(SLAB_NODES * STRIDE);
      slabUsed = 0;
    }
    const i = slabUsed++ * STRIDE;
    slab[i + DATA] = data;
    slab[i + K] = k;
    if (requiresGrad) slab[i + FLAGS] = REQUIRES_GRAD;
    this._a = a;
    this._b = b;
    this._op = op;
    this._s = slab;
    this._i = i;
  }

  /** The number this node holds. */
  get data(): number {
    return this._s[this._i + DATA] as number;
  }
  set data(x: number) {
    this._s[this._i + DATA] = x;
  }

  /** dRoot/dThis after `backward()`; accumulates over calls until `zeroGrad()`. */
  get grad(): number {
    return this._s[this._i + GRAD] as number;
  }
  set grad(g: number) {
    this._s[this._i + GRAD] = g;
  }

  /** Whether gradients flow into this node. */
  get requiresGrad(): boolean {
    return ((this._s[this._i + FLAGS] as number) & REQUIRES_GRAD) !== 0;
  }

  /** A name shown in graph drawings. */
  get label(): string | undefined {
    return labels.get(this);
  }
  set label(name: string | undefined) {
    if (name === undefined) labels.delete(this);
    else labels.set(this, name);
  }

  /** @internal The op's number operand (pow's exponent, the constant of x + 3, ...). */
  get _k(): number {
    return this._s[this._i + K] as number;
  }

  /** @internal Scratch of the topological walk. */
  get mark(): number {
    return this._s[this._i + MARK] as number;
  }
  set mark(m: number) {
    this._s[this._i + MARK] = m;
  }

  /** @internal Set when backward released this node's part of the graph. */
  get _freed(): boolean {
    return ((this._s[this._i + FLAGS] as number) & FREED) !== 0;
  }
  set _freed(freed: boolean) {
    const flags = this._s[this._i + FLAGS] as number;
    this._s[this._i + FLAGS] = freed ? flags | FREED : flags & ~FREED;
  }

  /** The Values this node was computed from (empty for leaves). */
  get inputs(): Value[] {
    return this._a === null ? [] : this._b === null ? [this._a] : [this._a, this._b];
  }

  /** The op that produced this node, as drawings show it (`''` for a leaf). */
  get op(): string {
    return this._op === null ? '' : this._op.describe(this);
  }

  /** True for nodes made by {@link value} (or `detach`), false for op results. */
  get isLeaf(): boolean {
    return this._a === null;
  }

  add(other: ValueLike): Value {
    return ops.add(this, other);
  }
  sub(other: ValueLike): Value {
    return ops.sub(this, other);
  }
  mul(other: ValueLike): Value {
    return ops.mul(this, other);
  }
  div(other: ValueLike): Value {
    return ops.div(this, other);
  }
  /** `this ** exponent` for a number exponent. */
  pow(exponent: number): Value {
    return ops.pow(this, exponent);
  }
  neg(): Value {
    return ops.neg(this);
  }
  exp(): Value {
    return ops.exp(this);
  }
  log(): Value {
    return ops.log(this);
  }
  tanh(): Value {
    return ops.tanh(this);
  }
  sigmoid(): Value {
    return ops.sigmoid(this);
  }
  relu(): Value {
    return ops.relu(this);
  }

  /** A new leaf with the same data that is cut from this graph (no gradient flows through it). */
  detach(): Value {
    const copy = new Value(this.data, null, null, null, 0, false);
    copy.label = this.label;
    return copy;
  }

  /** Sets this node's gradient to 0. Reset leaves before each training step. */
  zeroGrad(): void {
    this.grad = 0;
  }

  /**
   * Computes dThis/dNode for every node of the graph that ends here. Leaves
   * add into their `grad` (so call `zeroGrad` between steps); interior nodes
   * hold the gradient of this pass. The graph is released afterwards unless
   * `retainGraph` is set; a second backward through it throws a GraphError.
   */
  backward(options: ValueBackwardOptions = {}): void {
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError('backward', `options must be an object like { retainGraph: true }, got ${safeString(options)}`);
    }
    if (!this.requiresGrad) {
      throw new GraphError(
        'backward',
        'this Value does not require grad: it was computed from constants only, or under noGrad',
      );
    }
    // Throws, before anything changes, if part of the graph was released.
    const order = opNodes(this);
    for (const node of order) node.grad = 0;
    this.grad += 1;
    const release = options.retainGraph !== true;
    const anomaly = isAnomalyEnabled();
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i] as Value;
      const op = node._op as ValueOp;
      if (anomaly) backwardChecked(node, op);
      else op.backward(node);
      if (release) node._freed = true;
    }
  }

  /** How Node's `console.log` shows a Value: its numbers, not the slab they sit in. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad}${this.label === undefined ? '' : `, label=${this.label}`})`;
  }
}

/** Runs one node's backward in anomaly mode, checking what it added to its inputs' gradients. */
function backwardChecked(node: Value, op: ValueOp): void {
  const a = node._a as Value;
  const b = node._b;
  const beforeA = a.grad;
  const beforeB = b === null ? 0 : b.grad;
  op.backward(node);
  checkValueGradient(op.name, node, 0, beforeA, a.grad, a.data);
  if (b !== null && b !== a) checkValueGradient(op.name, node, 1, beforeB, b.grad, b.data);
}

/**
 * The op nodes behind `root` (root included if it is one), each after all of
 * its inputs. This is toposort.ts's walk specialised to the scalar graph:
 * inputs read from the two fields, leaves marked but not listed (backward has
 * nothing to run for them), and no callbacks, because for Values the walk is
 * a fifth of backward's time.
 */
function opNodes(root: Value): Value[] {
  const mark = newWalkMark();
  const order: Value[] = [];
  const nodes: Value[] = [root];
  // Per stacked node: 0 = inputs not visited, 1 = first input done, 2 = both done.
  const stage: number[] = [0];
  root.mark = mark;
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top] as Value;
    const s = stage[top] as number;
    if (s === 0) {
      stage[top] = 1;
      const a = node._a;
      if (a !== null && a.mark !== mark) {
        a.mark = mark;
        nodes.push(a);
        stage.push(0);
        continue;
      }
    }
    if (s <= 1) {
      stage[top] = 2;
      const b = node._b;
      if (b !== null && b.mark !== mark) {
        b.mark = mark;
        nodes.push(b);
        stage.push(0);
        continue;
      }
    }
    nodes.pop();
    stage.pop();
    if (node._op !== null) {
      if (node._freed) {
        throw new GraphError(
          'backward',
          `the graph through ${describe(node)} was freed by an earlier backward(); ` +
            'pass { retainGraph: true } to the first backward() to run backward twice',
        );
      }
      order.push(node);
    }
  }
  return order;
}

/** How the generic topological walk reads a Value's inputs (drawings use it). */
export const valueInputs: Inputs<Value> = {
  count: (v) => (v._a === null ? 0 : v._b === null ? 1 : 2),
  input: (v, i) => (i === 0 ? v._a : v._b),
};

function describe(node: Value): string {
  return node.label === undefined ? `the '${node.op}' node` : `'${node.label}' (${node.op})`;
}

/**
 * Makes a leaf Value.
 *
 * @example
 * const w = value(0.5, { label: 'w' });
 */
export function value(data: number, options: ValueOptions = {}): Value {
  if (typeof data !== 'number' || Number.isNaN(data)) {
    throw new ArgumentError('value', `expected a number that is not NaN, got ${safeString(data)}`);
  }
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError('value', `options must be an object like { label: 'w' }, got ${safeString(options)}`);
  }
  const { label, requiresGrad = true } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw new ArgumentError('value', `label must be a string, got ${typeof label}`);
  }
  const leaf = new Value(data, null, null, null, 0, requiresGrad);
  if (label !== undefined) leaf.label = label;
  return leaf;
}

/**
 * @internal The result of an op: records its inputs only when grad mode is on
 * and one of them requires grad, so constants and noGrad build no graph.
 */
export function result(data: number, op: ValueOp, a: Value, b: Value | null, k: number): Value {
  if (isAnomalyEnabled()) checkValueForward(op.name, data, b === null ? [a.data] : [a.data, b.data]);
  if (isGradEnabled() && (a.requiresGrad || (b !== null && b.requiresGrad))) {
    const out = new Value(data, op, a, b, k, true);
    if (isAnomalyEnabled()) rememberStack(out);
    return out;
  }
  return new Value(data, null, null, null, 0, false);
}

/**
 * @internal One Value op's backward: adds d(out)/d(input) · out.grad into
 * each input's grad (adding, not assigning, is what makes `x.mul(x)` give 2x).
 */
export interface ValueOp {
  /** The op's name in errors, e.g. 'div'. */
  readonly name: string;
  /** The op's name in drawings, e.g. '/ 2'. */
  describe(out: Value): string;
  backward(out: Value): void;
}
