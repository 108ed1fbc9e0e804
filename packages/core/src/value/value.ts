import { ArgumentError, GraphError } from '../autograd/errors';
import { isGradEnabled } from '../autograd/grad-mode';
import { topologicalOrder } from '../autograd/toposort';
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

// A node whose graph was released by backward points here, so a second
// backward can tell a freed graph from a live one before it changes anything.
function released(): void {
  throw new GraphError('backward', 'internal: released node reached');
}

/**
 * A scalar node of the textbook graph: each neuron holds a number, each
 * connection a weight. Every op on Values records the inputs it read and a
 * closure that, during backward, adds its share of the gradient into them.
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
  /** The number this node holds. */
  data: number;
  /** dRoot/dThis after `backward()`; accumulates over calls until `zeroGrad()`. */
  grad = 0;
  /** Whether gradients flow into this node. */
  readonly requiresGrad: boolean;
  /** A name shown in graph drawings. */
  label: string | undefined;
  /** The op that produced this node (`''` for a leaf). */
  readonly op: string;
  /** @internal The inputs this node was computed from (empty for leaves). */
  readonly _prev: readonly Value[];
  /** @internal Adds this node's gradient into its inputs' gradients. */
  _backward: (() => void) | null = null;
  /** @internal Scratch field of the topological walk. */
  mark = 0;

  /** @internal Use {@link value} to make a leaf; ops make the rest. */
  constructor(data: number, op: string, prev: readonly Value[], requiresGrad: boolean, label?: string) {
    this.data = data;
    this.op = op;
    this._prev = prev;
    this.requiresGrad = requiresGrad;
    this.label = label;
  }

  /** True for nodes made by {@link value} (or `detach`), false for op results. */
  get isLeaf(): boolean {
    return this._prev.length === 0;
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
    return new Value(this.data, '', [], false, this.label);
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
    if (!this.requiresGrad) {
      throw new GraphError(
        'backward',
        'this Value does not require grad: it was computed from constants only, or under noGrad',
      );
    }
    const order = topologicalOrder<Value>(this, inputsOf);
    for (const node of order) {
      if (node._backward === released) {
        throw new GraphError(
          'backward',
          `the graph through ${describe(node)} was freed by an earlier backward(); ` +
            'pass { retainGraph: true } to the first backward() to run backward twice',
        );
      }
    }
    for (const node of order) if (node._prev.length > 0) node.grad = 0;
    this.grad += 1;
    for (let i = order.length - 1; i >= 0; i--) (order[i] as Value)._backward?.();
    if (options.retainGraph !== true) {
      for (const node of order) if (node._prev.length > 0) node._backward = released;
    }
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad}${this.label === undefined ? '' : `, label=${this.label}`})`;
  }
}

function inputsOf(node: Value): readonly Value[] {
  return node._prev;
}

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
    throw new ArgumentError('value', `expected a number that is not NaN, got ${String(data)}`);
  }
  const { label, requiresGrad = true } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw new ArgumentError('value', `label must be a string, got ${typeof label}`);
  }
  return new Value(data, '', [], requiresGrad, label);
}

/**
 * @internal The result of an op: records its inputs only when grad mode is on
 * and one of them requires grad, so constants and noGrad build no graph.
 */
export function result(data: number, op: string, inputs: readonly Value[]): Value {
  if (isGradEnabled()) {
    for (const input of inputs) {
      if (input.requiresGrad) return new Value(data, op, inputs, true);
    }
  }
  return new Value(data, op, [], false);
}
