/**
 * Backward through a graph of Values, in two passes over the op nodes and no
 * list of them. The first counts each node's consumers; the second runs a
 * node's rule once all of its consumers have run (so its grad is complete),
 * the order Kahn's algorithm gives. Against a post-order walk that lists the
 * nodes and then replays the list, this touches each node twice instead of
 * four times and allocates only a stack; it halved backward's time for a
 * 66,000-node MLP. Leaves are never stacked: they only receive gradient.
 */
import { isAnomalyEnabled, checkValueGradient } from '../autograd/anomaly';
import { GraphError } from '../autograd/errors';
import { newWalkMark } from '../autograd/toposort';
import { GRAD, MARK, PENDING } from './slab';
import type { Value, ValueOp } from './value';

/**
 * @internal Backward from the op node `root`: sets its grad to 1, every
 * other op node's to its dRoot/dNode, and adds into the leaves' grads.
 * Throws, before anything changes, if part of the graph was released.
 */
export function runBackward(root: Value, release: boolean): void {
  const stack = countConsumers(root);
  const anomaly = isAnomalyEnabled();
  // Interior grads are zeroed when first reached, not in a pass of their own.
  const reached = newWalkMark();
  root.grad = 1;
  stack.push(root);
  while (stack.length > 0) {
    const node = stack.pop() as Value;
    const a = node._a as Value;
    const b = node._b;
    if (a._op !== null) zeroOnFirstReach(a, reached);
    if (b !== null && b._op !== null) zeroOnFirstReach(b, reached);
    const op = node._op as ValueOp;
    if (anomaly) backwardChecked(node, op);
    else op.backward(node, a, b as Value);
    if (release) node._freed = true;
    if (a._op !== null && consumerDone(a)) stack.push(a);
    if (b !== null && b._op !== null && consumerDone(b)) stack.push(b);
  }
}

/**
 * For every op node behind `root`, the number of times op nodes of this graph
 * read it, kept in its PENDING slot. Throws on a released node; marks and
 * counts are scratch, so nothing a user sees has changed by then. Returns the
 * (empty) stack for the second pass to reuse.
 */
function countConsumers(root: Value): Value[] {
  const mark = newWalkMark();
  const stack: Value[] = [root];
  root._s[root._i + MARK] = mark;
  while (stack.length > 0) {
    const node = stack.pop() as Value;
    if (node._freed) throw freedError(node);
    const a = node._a as Value;
    if (a._op !== null) countConsumer(a, mark, stack);
    const b = node._b;
    if (b !== null && b._op !== null) countConsumer(b, mark, stack);
  }
  return stack;
}

function countConsumer(input: Value, mark: number, stack: Value[]): void {
  const s = input._s;
  const i = input._i;
  if (s[i + MARK] === mark) {
    s[i + PENDING] = (s[i + PENDING] as number) + 1;
  } else {
    s[i + MARK] = mark;
    s[i + PENDING] = 1;
    stack.push(input);
  }
}

function zeroOnFirstReach(input: Value, reached: number): void {
  const s = input._s;
  const i = input._i;
  if (s[i + MARK] !== reached) {
    s[i + MARK] = reached;
    s[i + GRAD] = 0;
  }
}

/** Counts one consumer of `input` as done; true when it was the last. */
function consumerDone(input: Value): boolean {
  const s = input._s;
  const i = input._i + PENDING;
  const left = (s[i] as number) - 1;
  s[i] = left;
  return left === 0;
}

/** Runs one node's backward in anomaly mode, checking what it added to its inputs' gradients. */
function backwardChecked(node: Value, op: ValueOp): void {
  const a = node._a as Value;
  const b = node._b;
  const beforeA = a.grad;
  const beforeB = b === null ? 0 : b.grad;
  op.backward(node, a, b as Value);
  checkValueGradient(op.name, node, 0, beforeA, a.grad, a.data);
  if (b !== null && b !== a) checkValueGradient(op.name, node, 1, beforeB, b.grad, b.data);
}

function freedError(node: Value): GraphError {
  const where = node.label === undefined ? `the '${node.op}' node` : `'${node.label}' (${node.op})`;
  return new GraphError(
    'backward',
    `the graph through ${where} was freed by an earlier backward(); ` +
      'pass { retainGraph: true } to the first backward() to run backward twice',
  );
}
