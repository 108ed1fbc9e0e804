/**
 * softmax and logSoftmax along an axis of size 0 give an empty result of the
 * input's shape, as PyTorch's do (torch.softmax(torch.zeros(2, 0), 1) has
 * shape [2, 0]); before, the max subtracted for stability refused the empty axis.
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, softmax, zeros } from '../../src/index';

describe('softmax and logSoftmax over an empty axis', () => {
  for (const [name, f] of [
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
  ] as const) {
    it(`${name} of [2, 0] along axis 1 is empty of shape [2, 0], and its backward is empty too`, () => {
      const x = zeros([2, 0], { requiresGrad: true });
      const y = f(x, 1);
      expect(y.shape).toEqual([2, 0]);
      y.sum().backward();
      expect(x.grad?.shape).toEqual([2, 0]);
    });
  }
});
