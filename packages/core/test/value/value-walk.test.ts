/**
 * Value.backward runs each node once all of its consumers have run
 * (backward.ts). These tests check that order on graphs built to stress it:
 * random DAGs with shared and repeated inputs, one node read thousands of
 * times, and graphs built on top of a released one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphError, value, type Value } from '../../src/index';

type Step = { op: 'add' | 'mul' | 'sub' | 'sigmoid' | 'mulK'; a: number; b: number; k: number };

const step: fc.Arbitrary<Step> = fc.record({
  op: fc.constantFrom('add', 'mul', 'sub', 'sigmoid', 'mulK'),
  // Input picks, taken modulo the number of nodes made so far.
  a: fc.nat({ max: 1000 }),
  b: fc.nat({ max: 1000 }),
  k: fc.double({ min: -2, max: 2, noNaN: true }),
});

/**
 * The reference: reverse accumulation over the nodes in creation order, which
 * is a topological order because a node is made after its inputs. It shares
 * nothing with the engine but the derivative of each op, written here again.
 */
function referenceGrads(steps: readonly Step[], leaves: readonly number[]): number[] {
  const data = [...leaves];
  const inputs: [number, number][] = [];
  for (const s of steps) {
    const n = data.length;
    const a = s.a % n;
    const b = s.b % n;
    inputs.push([a, b]);
    const x = data[a] as number;
    const y = data[b] as number;
    data.push(
      s.op === 'add'
        ? x + y
        : s.op === 'mul'
          ? x * y
          : s.op === 'sub'
            ? x - y
            : s.op === 'sigmoid'
              ? 1 / (1 + Math.exp(-x))
              : x * s.k,
    );
  }
  const grad = data.map(() => 0);
  grad[data.length - 1] = 1;
  const addTo = (i: number, d: number) => {
    grad[i] = (grad[i] as number) + d;
  };
  for (let j = steps.length - 1; j >= 0; j--) {
    const s = steps[j] as Step;
    const [a, b] = inputs[j] as [number, number];
    const out = leaves.length + j;
    const g = grad[out] as number;
    const x = data[a] as number;
    const y = data[b] as number;
    if (s.op === 'add') {
      addTo(a, g);
      addTo(b, g);
    } else if (s.op === 'sub') {
      addTo(a, g);
      addTo(b, -g);
    } else if (s.op === 'mul') {
      addTo(a, y * g);
      addTo(b, x * g);
    } else if (s.op === 'sigmoid') {
      const o = data[out] as number;
      addTo(a, o * (1 - o) * g);
    } else {
      addTo(a, s.k * g);
    }
  }
  return grad;
}

function build(steps: readonly Step[], leaves: readonly number[]): Value[] {
  const nodes = leaves.map((x) => value(x));
  for (const s of steps) {
    const n = nodes.length;
    const x = nodes[s.a % n] as Value;
    const y = nodes[s.b % n] as Value;
    nodes.push(
      s.op === 'add'
        ? x.add(y)
        : s.op === 'mul'
          ? x.mul(y)
          : s.op === 'sub'
            ? x.sub(y)
            : s.op === 'sigmoid'
              ? x.sigmoid()
              : x.mul(s.k),
    );
  }
  return nodes;
}

const close = (actual: number, expected: number) =>
  Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));

describe('Value.backward on random DAGs', () => {
  it('gives every node, leaf or interior, the gradient of reverse accumulation in creation order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 4 }),
        fc.array(step, { minLength: 1, maxLength: 60 }),
        (leaves, steps) => {
          const nodes = build(steps, leaves);
          (nodes[nodes.length - 1] as Value).backward();
          const expected = referenceGrads(steps, leaves);
          return nodes.every((node, i) => close(node.grad, expected[i] as number));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Value.backward and shared nodes', () => {
  it('sums the gradient of a node read by 10,000 consumers', () => {
    // y = Σ_i c_i · h with h = x·x: dy/dh = Σ c_i, dy/dx = 2x Σ c_i.
    const x = value(1.5);
    const h = x.mul(x);
    let y = h.mul(0);
    let sum = 0;
    for (let i = 1; i <= 10_000; i++) {
      const c = (i % 7) - 3;
      y = y.add(h.mul(c));
      sum += c;
    }
    y.backward();
    expect(h.grad).toBe(sum);
    expect(x.grad).toBe(2 * 1.5 * sum);
  });

  it('refuses a graph built on a released one without touching any gradient', () => {
    const a = value(2);
    const h = a.mul(a);
    h.backward(); // releases h
    const top = h.mul(3);
    const out = top.add(1);
    top.grad = 7; // a stale gradient the refused backward must leave alone
    expect(() => out.backward()).toThrow(GraphError);
    expect(top.grad).toBe(7);
    expect(out.grad).toBe(0);
    expect(a.grad).toBe(4);
  });

  it('runs backward from an interior node of a larger graph, leaving the rest alone', () => {
    const a = value(3);
    const h = a.mul(a);
    const out = h.sigmoid();
    h.backward({ retainGraph: true });
    expect(a.grad).toBe(6);
    expect(out.grad).toBe(0);
  });
});
