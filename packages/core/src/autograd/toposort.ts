/**
 * The order in which backward visits a graph, shared by Value and Tensor.
 *
 * A depth-first post-order walk with an explicit stack (never recursion: a
 * chain of a million ops must not overflow the call stack) lists every node
 * after all of its inputs; backward walks that list from the end, so a node's
 * gradient is complete before it is passed on. Nodes are marked with the number
 * of the walk instead of being put in a Set, which keeps the walk linear and
 * allocation-free for the scalar graph, where nodes are many and cheap.
 */

/** What the walk needs of a node: a mark field it may overwrite. */
export interface Markable {
  /** Scratch field owned by {@link topologicalOrder}. */
  mark: number;
}

let walk = 0;

/**
 * Every node reachable from `root` through `inputsOf`, each listed after all of
 * its inputs (so `root` is last). `inputsOf` may return `null` entries, which
 * are skipped (an input that needs no gradient).
 */
export function topologicalOrder<N extends Markable>(
  root: N,
  inputsOf: (node: N) => readonly (N | null)[],
): N[] {
  const id = ++walk;
  const order: N[] = [];
  const nodes: N[] = [root];
  const next: number[] = [0];
  root.mark = id;
  while (nodes.length > 0) {
    const top = nodes.length - 1;
    const node = nodes[top] as N;
    const inputs = inputsOf(node);
    let i = next[top] as number;
    while (i < inputs.length) {
      const input = inputs[i++];
      if (input != null && input.mark !== id) {
        input.mark = id;
        next[top] = i;
        nodes.push(input);
        next.push(0);
        break;
      }
    }
    if (i >= inputs.length && nodes[nodes.length - 1] === node) {
      nodes.pop();
      next.pop();
      order.push(node);
    }
  }
  return order;
}
