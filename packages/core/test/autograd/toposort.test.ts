import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrayInputs, topologicalOrder } from '../../src/autograd/toposort';

interface TestNode {
  mark: number;
  name: number;
  inputs: TestNode[];
}

/** A random DAG: node i may only read nodes with smaller indices. */
const arbDag = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(fc.constant(n), fc.array(fc.array(fc.nat(), { maxLength: 4 }), { minLength: n, maxLength: n })),
  )
  .map(([n, picks]) => {
    const nodes: TestNode[] = [];
    for (let i = 0; i < n; i++) {
      const inputs = i === 0 ? [] : (picks[i] ?? []).map((p) => nodes[p % i] as TestNode);
      nodes.push({ mark: 0, name: i, inputs });
    }
    return nodes;
  });

function reachable(root: TestNode): Set<TestNode> {
  const seen = new Set<TestNode>([root]);
  const todo = [root];
  while (todo.length > 0) {
    for (const input of (todo.pop() as TestNode).inputs) {
      if (!seen.has(input)) {
        seen.add(input);
        todo.push(input);
      }
    }
  }
  return seen;
}

describe('topologicalOrder', () => {
  it('lists every reachable node once, each after all of its inputs, the root last', () => {
    fc.assert(
      fc.property(arbDag, (nodes) => {
        const root = nodes[nodes.length - 1] as TestNode;
        const order = topologicalOrder(
          root,
          arrayInputs((n: TestNode) => n.inputs),
        );
        const position = new Map(order.map((n, i) => [n, i]));
        expect(new Set(order)).toEqual(reachable(root));
        expect(order).toHaveLength(position.size);
        expect(order[order.length - 1]).toBe(root);
        for (const node of order) {
          for (const input of node.inputs) expect(position.get(input)).toBeLessThan(position.get(node) as number);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('skips null inputs', () => {
    const leaf: TestNode = { mark: 0, name: 0, inputs: [] };
    const root = { mark: 0, name: 1, inputs: [null, leaf] };
    const order = topologicalOrder<{ mark: number }>(
      root,
      arrayInputs((n) => (n as typeof root).inputs ?? []),
    );
    expect(order).toEqual([leaf, root]);
  });

  it('walks a chain of a million nodes without recursion', () => {
    let node: TestNode = { mark: 0, name: 0, inputs: [] };
    for (let i = 1; i <= 1_000_000; i++) node = { mark: 0, name: i, inputs: [node] };
    const order = topologicalOrder(
      node,
      arrayInputs((n: TestNode) => n.inputs),
    );
    expect(order).toHaveLength(1_000_001);
    expect(order[0]?.name).toBe(0);
  });
});
