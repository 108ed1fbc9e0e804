/**
 * Deep graphs: backward walks the graph with an explicit stack, so chains far
 * deeper than the JavaScript call stack (about 10,000 frames) work, and
 * nodes shared by two consumers are visited once, so a chain of diamonds
 * costs linear time instead of 2^depth. Drawings of such graphs stop at
 * `maxNodes` (default 500) and say how much they left out.
 * (The million-op Value chain's backward is in test/value/value-backward.)
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { tensor, toDot, toMermaid, value, type Tensor, type Value } from '../../src/index';

const tensorDepth = 100_000;
const valueDepth = 1_000_000;

/** x → ·1.5 → ·(1/1.5) → ... : the values stay near x and d(out)/dx is a product of 1.5s and their inverses. */
function tensorChain(depth: number): { x: Tensor; out: Tensor } {
  const x = tensor([1, -2, 0.5, 4], { dtype: 'float64', requiresGrad: true });
  let y = x;
  for (let i = 0; i < depth; i++) y = i % 2 === 0 ? y.mul(1.5) : y.div(1.5);
  return { x, out: y };
}

function valueChain(depth: number): { x: Value; out: Value } {
  const x = value(1);
  let y = x;
  for (let i = 0; i < depth; i++) y = y.add(1e-6);
  return { x, out: y };
}

/** The count the truncation note gives, or 0 without a note. */
function leftOut(drawing: string): number {
  const match = /… (\d+) more nodes not drawn/.exec(drawing);
  return match === null ? 0 : Number(match[1]);
}

describe(`a ${tensorDepth.toLocaleString('en')}-op Tensor chain`, () => {
  const { x, out } = tensorChain(tensorDepth);

  it('draws the 500 nodes nearest the output, with a note for the rest (toDot and toMermaid)', () => {
    // 100,000 op nodes and the leaf's node.
    const dot = toDot(out);
    expect(dot.match(/^ {2}n\d+ \[/gm)).toHaveLength(500);
    expect(leftOut(dot)).toBe(tensorDepth + 1 - 500);
    const mermaid = toMermaid(out, { maxNodes: 20 });
    expect(mermaid.match(/^ {2}n\d+\(\("/gm)).toHaveLength(20);
    expect(leftOut(mermaid)).toBe(tensorDepth + 1 - 20);
  });

  it('backward completes without a stack overflow and gives the product of the chain rule', () => {
    out.sum().backward();
    // 50,000 factors of 1.5 and 50,000 of 1/1.5: the gradient is 1 up to float64 rounding of the products.
    expect(x.grad as Tensor).toBeAllClose(1, { rtol: 0, atol: 5e-10 }); // toBeCloseTo(1, 9) for each element
    // The forward pass multiplies and divides by 1.5 alternately: x comes back up to rounding.
    expect(out.data()).toBeAllClose([1, -2, 0.5, 4], { rtol: 0, atol: 5e-10 });
  });
});

describe(`a ${valueDepth.toLocaleString('en')}-op Value chain`, () => {
  it('draws 500 nodes and counts the other 999,501 in its note, in DOT and in Mermaid', () => {
    const { out } = valueChain(valueDepth);
    const dot = toDot(out);
    expect(dot.match(/shape=record/g)).toHaveLength(500);
    expect(leftOut(dot)).toBe(valueDepth + 1 - 500);
    const mermaid = toMermaid(out);
    expect(leftOut(mermaid)).toBe(valueDepth + 1 - 500);
    expect(mermaid.length).toBeLessThan(100_000);
  });
});

describe('shared nodes are visited once', () => {
  it('a chain of 100,000 Value diamonds (each node read twice) runs backward in linear time', () => {
    // y ← y·0.5 + y·0.5 keeps y = x, and dy/dx = 1 through 2^100000 paths if each were walked.
    const x = value(3);
    let y = x;
    for (let i = 0; i < 100_000; i++) y = y.mul(0.5).add(y.mul(0.5));
    y.backward();
    expect(y.data).toBe(3);
    expect(x.grad).toBe(1);
  });

  it('a chain of 20,000 Tensor diamonds too, and its drawing', () => {
    const x = tensor([3, -1], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.mul(0.5).add(y.mul(0.5));
    y.sum().backward();
    expect(Array.from((x.grad as Tensor).data())).toEqual([1, 1]);
    // Three op nodes per diamond (two muls and an add) plus the leaf.
    expect(leftOut(toDot(y))).toBe(3 * 20_000 + 1 - 500);
  });
});
