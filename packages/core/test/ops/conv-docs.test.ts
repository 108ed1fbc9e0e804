/**
 * The example of docs/convolution.md runs here, and the page shows it
 * verbatim (the block between the markers), so the page's code is code CI runs.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { conv2d, linear, maxPool2d, randn, zeros, gradients } from '@chainrule/core';

describe('docs/convolution.md', () => {
  it('runs its small convolutional network and gets gradients of the weights’ shapes', () => {
    // docs:start
    const images = randn([64, 1, 28, 28]); // a batch of MNIST-sized images
    const w1 = randn([6, 1, 5, 5]).mul(0.2).requireGrad(); // 6 filters of 5×5
    const b1 = zeros([6]).requireGrad();
    const w2 = randn([10, 864]).mul(0.02).requireGrad(); // 6·12·12 features in, 10 out

    const features = maxPool2d(conv2d(images, w1, b1).relu(), 2); // [64, 6, 12, 12]
    const logits = linear(features.flatten(1), w2); // [64, 10]
    const loss = logits.logSoftmax(1).mean().neg(); // a stand-in for a real loss
    const [gw1, gb1, gw2] = gradients(loss, [w1, b1, w2]); // shapes of w1, b1, w2
    // docs:end
    expect(features.shape).toEqual([64, 6, 12, 12]);
    expect(logits.shape).toEqual([64, 10]);
    expect([gw1?.shape, gb1?.shape, gw2?.shape]).toEqual([w1.shape, b1.shape, w2.shape]);
  });

  it('shows that code verbatim', () => {
    const test = readFileSync(new URL(import.meta.url), 'utf8');
    const start = test.indexOf('// docs:start\n') + '// docs:start\n'.length;
    const body = test
      .slice(start, test.indexOf('    // docs:end'))
      .split('\n')
      .map((line) => line.slice(4))
      .join('\n')
      .trimEnd();
    const imports = "import { conv2d, linear, maxPool2d, randn, zeros, gradients } from '@chainrule/core';";
    const page = readFileSync(new URL('../../../../docs/convolution.md', import.meta.url), 'utf8');
    expect(page).toContain(`\`\`\`ts\n${imports}\n\n${body}\n\`\`\``);
  });
});
