/**
 * The order in which Tensor backward, the functional transforms and the
 * drawings visit a graph. (Value backward, where nodes are many and cheap,
 * uses a counting walk of its own: value/backward.ts.)
 *
 * A depth-first post-order walk with an explicit stack (never recursion: a
 * chain of a million ops must not overflow the call stack) lists every node
 * after all of its inputs; backward walks that list from the end, so a node's
 * gradient is complete before it is passed on. Nodes are marked with the number
 * of the walk instead of being put in a Set, and inputs are read through an
 * accessor instead of an array, which keeps the walk linear.
 */

/** What the walk needs of a node: a mark field it may overwrite. */
export interface Markable {
  /** Scratch field owned by {@link topologicalOrder}. */
  mark: number;
}

/** How the walk reads a node's inputs: how many, and the i-th (null: skip it). */
export interface Inputs<N> {
  count(node: N): number;
  input(node: N, i: number): N | null;
}

/** Reads inputs held in an array. */
export function arrayInputs<N>(inputsOf: (node: N) => readonly (N | null)[]): Inputs<N> {
  return { count: (n) => inputsOf(n).length, input: (n, i) => inputsOf(n)[i] ?? null };
}

let walk = 0;

/** A fresh mark for a walk (shared by every walker, so marks never collide). */
export function newWalkMark(): number {
  return ++walk;
}

/** Every node reachable from `root`, each listed after all of its inputs (so `root` is last). */
export function topologicalOrder<N extends Markable>(root: N, inputs: Inputs<N>): N[] {
  const id = newWalkMark();
  const order: N[] = [];
  const nodes: N[] = [root];
  const next: number[] = [0];
  root.mark = id;
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top] as N;
    const count = inputs.count(node);
    let i = next[top] as number;
    let descended = false;
    while (i < count) {
      const input = inputs.input(node, i++);
      if (input !== null && input.mark !== id) {
        input.mark = id;
        next[top] = i;
        nodes.push(input);
        next.push(0);
        descended = true;
        break;
      }
    }
    if (!descended) {
      nodes.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}
