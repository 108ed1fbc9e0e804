import { ArgumentError, GraphError, safeString } from '../errors';
import { checkOptionKeys, optionalBoolean } from '../internal/options';
import { isGradEnabled } from '../autograd/grad-mode';
import { checkValueForward, isAnomalyEnabled, rememberStack } from '../autograd/anomaly';
import type { Inputs } from '../autograd/toposort';
import { backwardFrom } from './backward';
import * as ops from './ops';
import { claimSlot, DATA, FLAGS, FREED, GRAD, K, MARK, PENDING, REQUIRES_GRAD, slab } from './slab';

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

// Few nodes have a label, so labels live here rather than in a field of every node.
const labels = new WeakMap<Value, string>();

/**
 * A scalar node of the textbook graph: each neuron holds a number, each
 * connection a weight. Every op on Values records the inputs it read and the
 * op (ops.ts), whose backward adds its share of the gradient into them. The
 * node is one small object with its numbers in a shared slab (slab.ts says
 * why): no closure or array per op, because per-op cost is what matters for a
 * graph of scalars.
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

  /** Use {@link value} to make a leaf; ops make the rest. This constructor is not meant to be called directly. */
  constructor(data: number, op: ValueOp | null, a: Value | null, b: Value | null, k: number, requiresGrad: boolean) {
    const i = claimSlot();
    const s = slab;
    s[i + DATA] = data;
    s[i + K] = k;
    if (requiresGrad) s[i + FLAGS] = REQUIRES_GRAD;
    this._a = a;
    this._b = b;
    this._op = op;
    this._s = s;
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
    // Drawings escape labels as text: a number here used to fail later, inside toDot.
    if (name !== undefined && typeof name !== 'string') {
      throw new ArgumentError(
        'label',
        `a label must be a string or undefined, got ${safeString(name)} (${typeof name})`,
      );
    }
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

  /** @internal The backward driver's count of consumers yet to deliver (driver.ts). */
  get pending(): number {
    return this._s[this._i + PENDING] as number;
  }
  set pending(k: number) {
    this._s[this._i + PENDING] = k;
  }

  /** @internal Set when backward released this node's part of the graph. */
  get _freed(): boolean {
    return ((this._s[this._i + FLAGS] as number) & FREED) !== 0;
  }
  /** @internal */
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
      throw new ArgumentError(
        'backward',
        `options must be an object like { retainGraph: true }, got ${safeString(options)}`,
      );
    }
    checkOptionKeys('backward', options, ['retainGraph']);
    optionalBoolean('backward', 'retainGraph', options.retainGraph);
    if (!this.requiresGrad) {
      throw new GraphError(
        'backward',
        'this Value does not require grad: it was computed from constants only, or under noGrad',
      );
    }
    backwardFrom(this, options.retainGraph !== true);
  }

  /** What `JSON.stringify` writes for a Value: its numbers (and label), not its inputs or the slab they sit in. */
  toJSON(): { data: number; grad: number; label?: string } {
    const label = this.label;
    return label === undefined ? { data: this.data, grad: this.grad } : { data: this.data, grad: this.grad, label };
  }

  /** How Node's `console.log` shows a Value: its numbers, not the slab they sit in. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad}${this.label === undefined ? '' : `, label=${this.label}`})`;
  }
}

/** How the generic topological walk reads a Value's inputs (drawings use it). */
export const valueInputs: Inputs<Value> = {
  count: (v) => (v._a === null ? 0 : v._b === null ? 1 : 2),
  input: (v, i) => (i === 0 ? v._a : v._b),
};

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
  checkOptionKeys('value', options, ['label', 'requiresGrad']);
  const { label, requiresGrad = true } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw new ArgumentError('value', `label must be a string, got ${safeString(label)} (${typeof label})`);
  }
  optionalBoolean('value', 'requiresGrad', requiresGrad);
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
 * One Value op: its names and its backward rule, which gives
 * d(out)/d(input) · out.grad per input; the driver adds each into the
 * input's grad (adding, not assigning, is what makes `x.mul(x)` give 2x).
 */
// NOTE: left public (not stripped from the declarations) although users never build one: Value's
// constructor mentions it, and a stripped type would leave the published
// declarations naming a type they do not declare (the consumer test's
// `tsc --strict` without skipLibCheck caught it).
export interface ValueOp {
  /** The op's name in errors, e.g. 'div'. */
  readonly name: string;
  /** The op's name in drawings, e.g. '/ 2'. */
  describe(out: Value): string;
  /**
   * The chain rule for one node: reads the gradient g of the node `out`
   * (`out.grad`, complete when the rule runs) and writes d(out)/d(input) · g
   * for input i into `grads[i]` (the driver adds it into the input's
   * gradient). The rule reads g itself and writes into a reused array, rather
   * than taking and returning numbers, so the scalar engine allocates nothing
   * per node (a number passed to a call V8 cannot inline is boxed).
   */
  backward(out: Value, grads: (number | null)[]): void;
}
