/**
 * The convolution layers against PyTorch 1.13 (fixtures/conv_layers.py):
 * for each configuration of stride, padding ('same', 'valid', numbers),
 * padding mode, dilation, groups, bias and batched or unbatched input, the
 * state-dict keys, the output, and the gradients for the input, the weight
 * and the bias, in float64 to 1e-10.
 */
import { describe, expect, it } from 'vitest';
import { checkCase, readFixture, type LayerCase } from './window-layer-fixtures';

const fixture = readFixture<{ torch: string; cases: LayerCase[] }>('conv_layers.json');

describe('convolution layers against PyTorch', () => {
  it('has cases for every layer', () => {
    expect(new Set(fixture.cases.map((c) => c.layer))).toEqual(
      new Set(['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']),
    );
  });

  for (const c of fixture.cases) {
    it(c.name, () => checkCase(c));
  }
});
