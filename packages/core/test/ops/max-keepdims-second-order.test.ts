/**
 * Found by the program properties (issue 24): the second derivative of
 * max/min over an axis without keepDims, where putFlat's backward gave its
 * gradient the index's shape ([1]) instead of the incoming gradient's ([]),
 * and the driver refused it. Checked against finite differences of the
 * first derivative (gradgradcheck).
 */
import { describe, expect, it } from 'vitest';
import { tensor, type Tensor } from '../../src/index';
import { gradgradcheck } from '../../src/testing/index';

describe('second derivatives through max/min without keepDims', () => {
  const cases: [string, (x: Tensor) => Tensor, Tensor][] = [
    // The shrunk program: max over the only axis of a [1] tensor, then softplus (so the second derivative is not 0).
    ['softplus(max(x, 0)) of shape [1]', (x) => x.max(0, false).softplus(), tensor([0.3], { dtype: 'float64' })],
    [
      'softplus(min(x, 1)) of shape [2, 3]',
      (x) => x.min(1, false).softplus(),
      tensor(
        [
          [0.3, -1.2, 0.8],
          [2.1, 0.4, -0.7],
        ],
        { dtype: 'float64' },
      ),
    ],
  ];

  it.each(cases)('%s', (_label, f, x) => {
    expect(gradgradcheck(f, [x]).ok).toBe(true);
  });
});
