/** docs/backprop.md draws the graph of a 4-layer network; this keeps the drawing true to toMermaid. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { manualSeed, tensor, toMermaid } from '@chainrule/core';
import { mlp, mseLoss } from '@chainrule/nn';

it("the docs' graph is what toMermaid draws for mlp([2, 3, 3, 2]) with mseLoss", () => {
  manualSeed(0);
  const model = mlp([2, 3, 3, 2]);
  model.parameters().forEach((p, i) => (p.label = `${i % 2 === 0 ? 'W' : 'b'}${(i >> 1) + 1}`));
  const loss = mseLoss(model.forward(tensor([[0.5, -1]])), tensor([[1, 0]]));
  loss.label = 'C';
  loss.backward();
  const doc = readFileSync(fileURLToPath(new URL('../../docs/backprop.md', import.meta.url)), 'utf8');
  const drawn = doc.match(/```mermaid\n([\s\S]*?)```/)?.[1];
  expect(drawn).toBe(toMermaid(loss, { maxElements: 0 }));
});
