/**
 * A Value's numbers live in a slab shared with its neighbours (value.ts says
 * why). These tests pin down that sharing never shows: each node keeps its own
 * numbers across slab boundaries, the label and flags behave like fields, and
 * printing shows numbers rather than storage.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { value, type Value } from '../../src/index';

describe('Value storage', () => {
  it('keeps each node its own data and grad across many slabs', () => {
    // 2,000 leaves span several slabs; writing every one and reading them all
    // back afterwards catches any two nodes that share a slot.
    const leaves: Value[] = [];
    for (let i = 0; i < 2000; i++) leaves.push(value(i + 0.5));
    leaves.forEach((v, i) => {
      v.grad = -i;
    });
    leaves.forEach((v, i) => {
      expect(v.data).toBe(i + 0.5);
      expect(v.grad).toBe(-i);
    });
  });

  it('gives every interior node of a long chain its own gradient', () => {
    // y = x·1.001·1.001·… (1,000 times): dy/d(node k) = 1.001^(number of muls after k).
    const x = value(1);
    const nodes: Value[] = [x];
    for (let i = 0; i < 1000; i++) nodes.push((nodes[i] as Value).mul(1.001));
    (nodes[1000] as Value).backward();
    const expected = nodes.map((_, k) => 1.001 ** (1000 - k));
    expect(nodes.map((node) => node.grad)).toBeAllClose(expected, { rtol: 0, atol: 5e-11 }); // toBeCloseTo(…, 10)
  });

  it('lets data be assigned, as an SGD step does', () => {
    const w = value(0.5);
    const loss = w.mul(w);
    loss.backward();
    w.data -= 0.1 * w.grad; // 0.5 - 0.1 · 2 · 0.5
    expect(w.data).toBeCloseTo(0.4, 15);
    expect(loss.data).toBe(0.25);
  });

  it('keeps labels per node: set, replaced, cleared, and copied by detach', () => {
    const a = value(1, { label: 'a' });
    const b = value(2);
    expect(a.label).toBe('a');
    expect(b.label).toBeUndefined();
    b.label = 'b';
    a.label = 'renamed';
    expect([a.label, b.label]).toEqual(['renamed', 'b']);
    expect(a.detach().label).toBe('renamed');
    a.label = undefined;
    expect(a.label).toBeUndefined();
    expect(b.label).toBe('b');
  });

  it('reports requiresGrad as given, and true for recorded results', () => {
    const frozen = value(1, { requiresGrad: false });
    const free = value(1);
    expect(frozen.requiresGrad).toBe(false);
    expect(free.requiresGrad).toBe(true);
    expect(frozen.add(free).requiresGrad).toBe(true);
    expect(frozen.add(1).requiresGrad).toBe(false);
    expect(free.detach().requiresGrad).toBe(false);
  });

  it('prints as its numbers in console.log, not as the slab behind them', () => {
    const w = value(0.25, { label: 'w' });
    expect(inspect(w)).toBe('Value(data=0.25, grad=0, label=w)');
    expect(inspect([w])).toContain('Value(data=0.25');
  });

  it('serializes to JSON as its numbers and label', () => {
    const w = value(0.25, { label: 'w' });
    const y = w.mul(4);
    y.backward();
    expect(JSON.parse(JSON.stringify([w, y]))).toEqual([
      { data: 0.25, grad: 4, label: 'w' },
      { data: 1, grad: 1 },
    ]);
  });
});
