/**
 * The pooling and resampling layers against PyTorch 1.13
 * (fixtures/conv_layers.py): outputs, max-pool indices and input gradients
 * in float64 to 1e-10; and a small CNN whose state dict PyTorch wrote as a
 * safetensors file, loaded into the same architecture built from chainrule's
 * layers, reproducing PyTorch's output.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { noGrad } from '@chainrule/core';
import { AdaptiveAvgPool2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, loadSafetensors } from '../src/index';
import { expectClose } from './helpers';
import { checkCase, float64, readFixture, type Flat, type LayerCase } from './window-layer-fixtures';

const fixture = readFixture<{
  torch: string;
  cases: LayerCase[];
  cnn: { keys: string[]; input: Flat; output: Flat };
}>('pool_layers.json');

describe('pooling and resampling layers against PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => checkCase(c));
  }
});

describe('a CNN saved by PyTorch', () => {
  it('loads from its safetensors file and gives PyTorch output', () => {
    const model = new Sequential(
      new Conv2d(1, 4, 3, { padding: 1, dtype: 'float64' }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(4, 6, 3, { padding: 'same', paddingMode: 'reflect', dtype: 'float64' }),
      new ReLU(),
      new AdaptiveAvgPool2d(2),
      new Flatten(),
      new Linear(24, 5, { dtype: 'float64' }),
    );
    expect(Object.keys(model.stateDict())).toEqual(fixture.cnn.keys);
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/conv_cnn.safetensors', import.meta.url)));
    expect(model.loadStateDict(loadSafetensors(bytes))).toEqual({ missingKeys: [], unexpectedKeys: [] });
    const out = noGrad(() => model.forward(float64(fixture.cnn.input)));
    expectClose(out, float64(fixture.cnn.output), { rtol: 1e-10, atol: 1e-12 });
  });
});
