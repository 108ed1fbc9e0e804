/**
 * The gradcheckModule report shown in docs/gradient-checking.md is this
 * test's output, and the test fails when the page and the output part. The
 * layer's bug is planted: with y = tanh(x Wᵀ + b) and u = g ⊙ (1 − y²), the
 * weight's gradient is uᵀx, and this backward returns gᵀx.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { Generator, customOp, randn, type Tensor } from '@chainrule/core';
import { gradcheckModule } from '@chainrule/core/testing';
import { Linear, Module, Sequential, parameter } from '../src/index';

const denseTanh = customOp({
  name: 'denseTanh',
  forward(ctx, x, w, b) {
    const y = (x as Tensor)
      .matmul((w as Tensor).T)
      .add(b as Tensor)
      .tanh();
    ctx.save(x as Tensor, w as Tensor, y);
    return y;
  },
  backward({ saved: [x, w, y] }, g) {
    const u = g.mul((y as Tensor).square().neg().add(1));
    return [u.matmul(w as Tensor), g.T.matmul(x as Tensor), u.sum(0)]; // the bug: g, not u, in dW
  },
});

class DenseTanh extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  constructor(inFeatures: number, outFeatures: number, generator: Generator) {
    super();
    this.weight = parameter(randn([outFeatures, inFeatures], { generator }).mul(0.5));
    this.bias = parameter(randn([outFeatures], { generator }).mul(0.5));
  }
  forward(x: Tensor): Tensor {
    return denseTanh(x, this.weight, this.bias);
  }
}

it('docs/gradient-checking.md shows the report gradcheckModule gives', () => {
  const generator = new Generator(0);
  const net = new Sequential(new Linear(4, 3, { generator }), new DenseTanh(3, 2, generator));
  const report = gradcheckModule(net, randn([5, 4], { generator }));
  expect(report.perParameter.filter((p) => p.mismatches > 0).map((p) => p.name)).toEqual(['1.weight']);
  const page = readFileSync(new URL('../../../docs/gradient-checking.md', import.meta.url), 'utf8');
  // SHOW_REPORT=1 prints the report, to paste into the page after a deliberate change.
  if (process.env.SHOW_REPORT) console.log(String(report));
  expect(page).toContain('```text\n' + String(report) + '\n```');
});
