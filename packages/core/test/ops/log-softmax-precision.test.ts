/**
 * logSoftmax of float32 logits around 1e4. Computed as x - logsumexp(x), the
 * sum m + log Σ exp(x - m) is rounded to float32 near 1e4 (a spacing of
 * 0.00098) before it is subtracted, so -log 2 came out as -0.693359375.
 * Reference: PyTorch 1.13, torch.log_softmax(torch.tensor([1e4, 1e4, -1e4]), 0)
 * = [-0.6931471824645996, -0.6931471824645996, -20000.693359375], and the
 * gradient of its first element is [0.5, -0.5, 0].
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, tensor } from '../../src/index';

describe('logSoftmax precision at large float32 logits', () => {
  it('keeps the log-probabilities of [1e4, 1e4, -1e4] to float32 precision, as PyTorch does', () => {
    const x = tensor([1e4, 1e4, -1e4], { requiresGrad: true });
    const y = logSoftmax(x, 0);
    expect(Array.from(y.data())).toEqual([-0.6931471824645996, -0.6931471824645996, -20000.693359375]);
    y.slice(0, 0, 1).sum().backward();
    expect(Array.from(x.grad?.data() ?? [])).toEqual([0.5, -0.5, 0]);
  });
});
