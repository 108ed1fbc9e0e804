/**
 * toDot and toMermaid of a small Tensor graph: op names with output shapes,
 * leaf labels, dtypes, and the values and gradients of small tensors.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, tensor, toDot, toMermaid, type Tensor } from '../../src/index';

/** loss = Σ tanh(w·x + b), with w [1,2] and b [1] labelled leaves, after backward. */
function smallGraph(): { loss: Tensor; w: Tensor; b: Tensor } {
  const w = tensor([[0.5, -1]], { requiresGrad: true });
  w.label = 'w';
  const b = tensor([0.25], { requiresGrad: true });
  b.label = 'b';
  const x = tensor([[2], [1]]);
  const loss = w.matmul(x).add(b).tanh().sum();
  loss.label = 'loss';
  loss.backward();
  return { loss, w, b };
}

describe('toDot of a Tensor graph', () => {
  it('draws each op with its output shape, and the leaves with label, shape, dtype, data and grad', () => {
    const dot = toDot(smallGraph().loss);
    expect(dot.startsWith('digraph chainrule {')).toBe(true);
    for (const op of ['matmul\\n[1,1]', 'add\\n[1,1]', 'tanh\\n[1,1]', 'sum\\n[]']) expect(dot).toContain(op);
    // w·x + b = 0.5·2 - 1·1 + 0.25 = 0.25; tanh(0.25) = 0.2449, d tanh/dz = 1 - 0.2449² = 0.9400,
    // so grad w = 0.94·xᵀ = [1.88, 0.94] and grad b = 0.94 (shown to 4 decimals, trailing zeros dropped).
    expect(dot).toContain('{ w | [1,2] float32 | data [[0.5,-1]] | grad [[1.88,0.94]] }');
    expect(dot).toContain('{ b | [1] float32 | data [0.25] | grad [0.94] }');
    expect(dot).toContain(`{ loss | [] float32 | data ${Number(Math.tanh(0.25).toFixed(4))} }`);
  });

  it('connects inputs to ops and the last op to the output', () => {
    const dot = toDot(smallGraph().loss);
    const id = (text: string) => (dot.split('\n').find((line) => line.includes(text)) ?? '').trim().split(' ')[0];
    expect(dot).toContain(`${id('{ w |')} -> ${id('"matmul')};`);
    expect(dot).toContain(`${id('"matmul')} -> ${id('"add')};`);
    expect(dot).toContain(`${id('{ b |')} -> ${id('"add')};`);
    expect(dot).toContain(`${id('"sum')} -> out;`);
  });

  it('a leaf without a label is called leaf; a tensor that is not in a graph is drawn alone', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(toDot(x.mul(2).sum())).toContain('{ leaf | [2] float32 | data [1,2] }');
    const alone = toDot(tensor([1, 2]));
    expect(alone).toContain('{ output | [2] float32 | data [1,2] }');
    expect(alone).not.toContain('->');
  });

  it('leaves out the values of large tensors', () => {
    const big = tensor(new Float32Array(100), { requiresGrad: true });
    big.label = 'big';
    const dot = toDot(big.sum());
    expect(dot).toContain('{ big | [100] float32 }');
  });
});

describe('toMermaid of a Tensor graph', () => {
  it('has the same content as a flowchart', () => {
    const mermaid = toMermaid(smallGraph().loss);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('(("matmul<br/>[1,1]"))');
    expect(mermaid).toContain('(("tanh<br/>[1,1]"))');
    expect(mermaid).toContain('["w<br/>[1,2] float32<br/>data [[0.5,-1]]<br/>grad [[1.88,0.94]]"]');
    expect(mermaid).toContain('["b<br/>[1] float32<br/>data [0.25]<br/>grad [0.94]"]');
    expect(mermaid).toMatch(/n\d+ --> out/);
  });

  it('refuses something that is not a graph', () => {
    expect(() => toMermaid('loss' as unknown as Tensor)).toThrow(ArgumentError);
  });
});
