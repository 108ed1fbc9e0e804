/**
 * How the backward driver (autograd/driver.ts) reads a graph of Values.
 * Gradients are plain numbers kept in each node's slab slot: an interior
 * node's gradient is set by the first share it receives in a pass (so it
 * holds this pass's dRoot/dNode), a leaf's is added to (so it accumulates over
 * passes until `zeroGrad`, as in PyTorch and micrograd).
 *
 * In anomaly mode a pass can stop half-way (a rule produced NaN): the grads it
 * wrote are then put back, so a refused backward changes nothing.
 */
import { AnomalyError, formatStack, isAnomalyEnabled, stackNote, valueCreationStack } from '../autograd/anomaly';
import { runScalarBackward, type BackwardGraph } from '../autograd/driver';
import { GraphError } from '../errors';
import type { Value, ValueOp } from './value';

/** In anomaly mode: each node whose grad this pass wrote, and the grad it had before. */
let undo: [Value, number][] | null = null;
/** Whether this pass releases the graph (no retainGraph). */
let releasing = false;

const valueGraph: BackwardGraph<Value, number> = {
  inputCount: (node) => (node._a === null ? 0 : node._b === null ? 1 : 2),
  input: (node, i) => (i === 0 ? node._a : node._b),
  hasRule: (node) => node._op !== null,
  check(node) {
    if (node._freed) throw freedError(node);
  },
  // The rule reads the node's gradient from the node: see ValueOp.backward.
  rule(node, _g, grads) {
    (node._op as ValueOp).backward(node, grads);
  },
  accept(node, i, g) {
    if (undo !== null && g - g !== 0 && node.grad - node.grad === 0) throw anomaly(node, i, g);
    return g;
  },
  gradient: (node) => node.grad,
  setGradient(node, g, first) {
    if (first) {
      undo?.push([node, node.grad]);
      // A leaf accumulates over passes; an interior node holds this pass's gradient.
      node.grad = node._op === null ? node.grad + g : g;
    } else {
      node.grad = g;
    }
  },
  add: (a, b) => a + b,
  // NOTE: released at once, not after the pass: keeping a list of 100,000
  // nodes to release later doubled the scalar engine's backward (an old
  // array of young objects is costly for V8's collector). A pass can only
  // stop half-way in anomaly mode, and abort() then takes the flags back.
  ran(node) {
    if (releasing) node._freed = true;
  },
  abort() {
    if (undo === null) return;
    for (let k = undo.length - 1; k >= 0; k--) {
      const [node, grad] = undo[k] as [Value, number];
      node.grad = grad;
      // A node this pass reached had passed check(), so it was not released before.
      if (node._op !== null) node._freed = false;
    }
  },
};

/**
 * @internal Backward from `root` with seed 1: every op node behind it gets
 * dRoot/dNode, every leaf adds it into its grad. Throws, before anything
 * changes, if part of the graph was released.
 */
export function backwardFrom(root: Value, release: boolean): void {
  undo = isAnomalyEnabled() ? [] : null;
  releasing = release;
  try {
    runScalarBackward(valueGraph, root, 1);
  } finally {
    undo = null;
  }
}

function anomaly(node: Value, i: number, g: number): AnomalyError {
  const input = (i === 0 ? node._a : node._b) as Value;
  return new AnomalyError(
    (node._op as ValueOp).name,
    `backward produced ${g} in the gradient of input ${i} (which holds ${input.data}) from a finite incoming gradient` +
      stackNote(formatStack(valueCreationStack(node)), 'created'),
  );
}

function freedError(node: Value): GraphError {
  const where = node.label === undefined ? `the '${node.op}' node` : `'${node.label}' (${node.op})`;
  return new GraphError(
    'backward',
    `the graph through ${where} was freed by an earlier backward(); ` +
      'pass { retainGraph: true } to the first backward() to run backward twice',
  );
}
