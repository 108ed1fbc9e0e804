import { describe, expect, it } from 'vitest';
import { toDot, toMermaid, value, type Value } from '../../src/index';

function smallNet() {
  const x = value(2, { label: 'x' });
  const w = value(-3, { label: 'w' });
  const b = value(1, { label: 'b' });
  const out = x.mul(w).add(b).tanh();
  out.label = 'out';
  out.backward();
  return { x, w, b, out };
}

describe('toDot', () => {
  it('draws every value with its label, data and grad, and every op between its inputs and result', () => {
    const { out } = smallNet();
    const dot = toDot(out);
    expect(dot.startsWith('digraph chainrule {')).toBe(true);
    // w.grad = dOut/dw = (1 - tanh²(-5)) · x
    const wGrad = (1 - Math.tanh(-5) ** 2) * 2;
    expect(dot).toContain(`{ w | data -3.0000 | grad ${wGrad.toExponential(3)} }`);
    expect(dot).toContain('{ x | data 2.0000 |');
    expect(dot).toContain('label="tanh"');
    expect(dot).toContain('label="*"');
    expect(dot).toContain('label="+"');
    // x → (*) → x·w → (+) → … → (tanh) → out: 4 values in, 3 ops, 2 + 2 + 1 input edges and 3 result edges
    expect(dot.match(/->/g)).toHaveLength(8);
  });

  it('escapes characters that DOT records treat specially', () => {
    const v = value(1, { label: 'a|b{c}' });
    expect(toDot(v)).toContain('a\\|b\\{c\\}');
  });

  it('truncates past maxNodes with a note instead of hanging on a huge graph', () => {
    let y: Value = value(0);
    for (let i = 0; i < 200_000; i++) y = y.add(1);
    const dot = toDot(y, { maxNodes: 50 });
    // 1 start + 200,000 sums (the constant 1 is kept inside each "+ 1" node)
    expect(dot).toContain(`${200_001 - 50} more nodes not drawn`);
    expect(dot.match(/shape=record/g)).toHaveLength(50);
  });
});

describe('toMermaid', () => {
  it('draws a flowchart with value boxes and op circles', () => {
    const { out } = smallNet();
    const mermaid = toMermaid(out);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('["out<br/>data ');
    expect(mermaid).toContain('(("tanh"))');
    expect(mermaid.match(/-->/g)).toHaveLength(8);
  });

  it('escapes quotes and angle brackets', () => {
    expect(toMermaid(value(1, { label: 'say "hi" <3' }))).toContain('say #quot;hi#quot; #lt;3');
  });
});
