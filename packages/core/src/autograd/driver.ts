/**
 * The backward driver: the chain rule applied to a whole graph, once for
 * every kind of graph chainrule has. It knows nothing of tensors or scalars;
 * a `BackwardGraph` tells it how to read a node's inputs, run a node's rule
 * and add two gradients, so the same loop serves the scalar Value graph
 * (gradients are numbers) and the Tensor graph (gradients are Tensors).
 *
 * The algorithm, as the textbook has it:
 * 1. Count, for every node behind the output, how many of its consumers are
 *    in the graph, and check that backward can run through it. Nothing has
 *    changed if this throws.
 * 2. Give the output its seed gradient (1 for a scalar).
 * 3. Take a node whose consumers have all delivered their share, so its
 *    gradient is complete; run its rule to get one gradient per input; add
 *    each into that input's gradient. An input whose last consumer this was
 *    is now ready. Repeat until no node is ready (Kahn's order: a reverse
 *    topological order, found without recursion, so a chain of a million
 *    ops cannot overflow the stack).
 *
 * Everything else is the graph's business, done in its hooks: where a
 * gradient is kept, which gradients may be recycled, anomaly checks,
 * releasing what the nodes saved (Tensor: only once every rule has
 * succeeded) and writing leaves' `.grad`.
 */
import { newWalkMark } from './toposort';

/** The two scratch slots the driver owns on every node during a pass. */
export interface WalkNode {
  /** Which walk last reached the node (see toposort.ts). */
  mark: number;
  /** During backward: how many of its consumers have yet to deliver. */
  pending: number;
}

/** What the driver needs to know about one kind of graph, whose gradients have type G. */
export interface BackwardGraph<N extends WalkNode, G> {
  /** How many inputs `node` has (0 for a leaf). */
  inputCount(node: N): number;
  /** Input `i` of `node`, or null when no gradient flows to it. */
  input(node: N, i: number): N | null;
  /** Whether `node` has a rule to run (false for leaves: they only receive). */
  hasRule(node: N): boolean;
  /** Throws when backward cannot run through `node`; called before any rule runs. */
  check(node: N): void;
  /**
   * Runs `node`'s rule on its complete gradient `g`, writing the gradient of
   * every input i into `out[i]` (null for none). Every slot is written, so
   * the driver can reuse `out` without clearing it, which keeps an array of
   * numbers unboxed for the scalar graph.
   */
  rule(node: N, g: G, out: (G | null)[]): void;
  /**
   * What the driver delivers for a gradient a rule returned for input `i`:
   * `g` itself, or `g` made to fit (cast to the input's dtype). Throws when it
   * cannot fit (a wrong shape).
   */
  accept(node: N, i: number, g: G): G;
  /** The gradient `node` has received so far in this pass, if any. */
  gradient(node: N): G | undefined;
  /** Sets `node`'s gradient in this pass; `first` is true for its first share. */
  setGradient(node: N, g: G, first: boolean): void;
  /** a + b, for a node that receives several shares. */
  add(a: G, b: G): G;
  /** Called once `node`'s rule has run (and its gradients were delivered). */
  ran(node: N): void;
  /** Undoes what the pass wrote so far, when a rule threw. */
  abort(): void;
}

/** Runs backward from `root` with gradient `seed`, to every node behind it. */
export function runBackward<N extends WalkNode, G>(graph: BackwardGraph<N, G>, root: N, seed: G): void {
  countConsumers(graph, root);
  const reached = newWalkMark();
  root.mark = reached;
  graph.setGradient(root, seed, true);
  if (!graph.hasRule(root)) return;
  const ready: N[] = [root];
  const out: (G | null)[] = [];
  try {
    while (ready.length > 0) {
      const node = ready.pop() as N;
      const count = graph.inputCount(node);
      const g = graph.gradient(node);
      // A node that no consumer sent a gradient to (every share was null) has nothing to pass on.
      const ruled = g !== undefined;
      if (ruled) graph.rule(node, g, out);
      for (let i = 0; i < count; i++) {
        const input = graph.input(node, i);
        if (input === null) continue;
        const share = ruled ? (out[i] ?? null) : null;
        // Add the share into the input's gradient: its first share sets it.
        if (share !== null) {
          const g = graph.accept(node, i, share);
          if (input.mark !== reached) {
            input.mark = reached;
            graph.setGradient(input, g, true);
          } else {
            graph.setGradient(input, graph.add(graph.gradient(input) as G, g), false);
          }
        }
        if (graph.hasRule(input) && --input.pending === 0) ready.push(input);
      }
      graph.ran(node);
    }
  } catch (error) {
    graph.abort();
    throw error;
  }
}

/**
 * `runBackward` for graphs whose gradients are numbers (the scalar Value
 * graph): the same algorithm, written a second time on purpose.
 *
 * NOTE: V8 specialises a function for the types its call sites have seen.
 * One loop serving both number and Tensor gradients was 4× slower for a
 * Value MLP in a process that had also run Tensor backward passes: its call
 * sites turned polymorphic, and every number share was boxed on the heap.
 * A loop of its own (and a count of its own, below) stays specialised for
 * numbers. The twins must stay the same algorithm: the Value-against-Tensor
 * tests (test/textbook, fuzz/value-programs) run every program through both.
 */
export function runScalarBackward<N extends WalkNode>(graph: BackwardGraph<N, number>, root: N, seed: number): void {
  countScalarConsumers(graph, root);
  const reached = newWalkMark();
  root.mark = reached;
  graph.setGradient(root, seed, true);
  if (!graph.hasRule(root)) return;
  const ready: N[] = [root];
  // Every rule writes a number for every input, so this stays an unboxed array of doubles.
  const out: number[] = [0, 0];
  try {
    while (ready.length > 0) {
      const node = ready.pop() as N;
      graph.rule(node, graph.gradient(node) as number, out);
      const count = graph.inputCount(node);
      for (let i = 0; i < count; i++) {
        const input = graph.input(node, i);
        if (input === null) continue;
        const g = graph.accept(node, i, out[i] as number);
        if (input.mark !== reached) {
          input.mark = reached;
          graph.setGradient(input, g, true);
        } else {
          graph.setGradient(input, (graph.gradient(input) as number) + g, false);
        }
        if (graph.hasRule(input) && --input.pending === 0) ready.push(input);
      }
      graph.ran(node);
    }
  } catch (error) {
    graph.abort();
    throw error;
  }
}

/**
 * Step 1: sets `pending` on every node with a rule behind `root` to its
 * number of consumers in the graph, checking each. Marks and counts are the
 * driver's scratch, so nothing a user can see changes if a check throws.
 */
function countConsumers<N extends WalkNode, G>(graph: BackwardGraph<N, G>, root: N): void {
  const mark = newWalkMark();
  root.mark = mark;
  if (!graph.hasRule(root)) return;
  const stack: N[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as N;
    graph.check(node);
    const count = graph.inputCount(node);
    for (let i = 0; i < count; i++) {
      const input = graph.input(node, i);
      if (input === null || !graph.hasRule(input)) continue;
      if (input.mark === mark) {
        input.pending++;
      } else {
        input.mark = mark;
        input.pending = 1;
        stack.push(input);
      }
    }
  }
}

/** `countConsumers` for the scalar graph: its twin, for the reason given at runScalarBackward. */
function countScalarConsumers<N extends WalkNode>(graph: BackwardGraph<N, number>, root: N): void {
  const mark = newWalkMark();
  root.mark = mark;
  if (!graph.hasRule(root)) return;
  const stack: N[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as N;
    graph.check(node);
    const count = graph.inputCount(node);
    for (let i = 0; i < count; i++) {
      const input = graph.input(node, i);
      if (input === null || !graph.hasRule(input)) continue;
      if (input.mark === mark) {
        input.pending++;
      } else {
        input.mark = mark;
        input.pending = 1;
        stack.push(input);
      }
    }
  }
}
