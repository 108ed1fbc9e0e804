/**
 * The PyTorch fixtures of the convolution, pooling and resampling layers
 * (fixtures/conv_layers.py writes them): each case names a layer and its
 * constructor arguments; `checkCase` builds the chainrule layer, loads
 * PyTorch's state dict into it and compares everything PyTorch computed.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Tensor, noGrad, tensor, type PoolWithIndices } from '@chainrule/core';
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool2d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool2d,
  AvgPool3d,
  Conv1d,
  Conv2d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTranspose3d,
  MaxPool1d,
  MaxPool2d,
  MaxPool3d,
  Upsample,
  type AnyModule,
} from '../src/index';
import { expectClose } from './helpers';

export interface Flat {
  shape: number[];
  data: number[];
}

export interface LayerCase {
  name: string;
  layer: string;
  args: unknown[];
  options: Record<string, unknown>;
  keys: string[];
  state: Record<string, Flat>;
  input: Flat;
  forwardArgument: number[] | null;
  output: Flat;
  indices?: Flat;
  grads: Record<string, Flat>;
}

export function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export const float64 = (f: Flat, requiresGrad = false): Tensor =>
  tensor(f.data, { shape: f.shape, dtype: 'float64', requiresGrad });

/** The fixture's cotangent: w[i] = ((7 i) mod 13 − 6) / 4, exact in binary (see conv_layers.py). */
export function cotangent(shape: readonly number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: n }, (_, i) => (((7 * i) % 13) - 6) / 4),
    { shape, dtype: 'float64' },
  );
}

type Make = (args: never[], options: never) => AnyModule;
const withParameters: Record<string, Make> = {
  Conv1d: (a, o) => new Conv1d(...(a as [never, never, never]), o),
  Conv2d: (a, o) => new Conv2d(...(a as [never, never, never]), o),
  Conv3d: (a, o) => new Conv3d(...(a as [never, never, never]), o),
  ConvTranspose1d: (a, o) => new ConvTranspose1d(...(a as [never, never, never]), o),
  ConvTranspose2d: (a, o) => new ConvTranspose2d(...(a as [never, never, never]), o),
  ConvTranspose3d: (a, o) => new ConvTranspose3d(...(a as [never, never, never]), o),
};
const withoutParameters: Record<string, Make> = {
  MaxPool1d: (a, o) => new MaxPool1d(...(a as [never]), o),
  MaxPool2d: (a, o) => new MaxPool2d(...(a as [never]), o),
  MaxPool3d: (a, o) => new MaxPool3d(...(a as [never]), o),
  AvgPool1d: (a, o) => new AvgPool1d(...(a as [never]), o),
  AvgPool2d: (a, o) => new AvgPool2d(...(a as [never]), o),
  AvgPool3d: (a, o) => new AvgPool3d(...(a as [never]), o),
  AdaptiveAvgPool1d: (a) => new AdaptiveAvgPool1d(...(a as [never])),
  AdaptiveAvgPool2d: (a) => new AdaptiveAvgPool2d(...(a as [never])),
  AdaptiveAvgPool3d: (a) => new AdaptiveAvgPool3d(...(a as [never])),
  AdaptiveMaxPool1d: (a, o) => new AdaptiveMaxPool1d(...(a as [never]), o),
  AdaptiveMaxPool2d: (a, o) => new AdaptiveMaxPool2d(...(a as [never]), o),
  Upsample: (_a, o) => new Upsample(o),
};

/** The chainrule layer of a case, float64 parameters. */
export function buildLayer(c: LayerCase): AnyModule {
  const conv = withParameters[c.layer];
  if (conv !== undefined) return conv(c.args as never[], { ...c.options, dtype: 'float64' } as never);
  const other = withoutParameters[c.layer];
  if (other === undefined) throw new Error(`no constructor for ${c.layer}`);
  return other(c.args as never[], c.options as never);
}

/** Runs a layer on x (and the case's extra forward argument), splitting a max pool's { values, indices }. */
export function run(layer: AnyModule, x: Tensor, extra: number[] | null): { values: Tensor; indices: Tensor | null } {
  const forward = layer.forward.bind(layer) as (x: Tensor, extra?: number[]) => Tensor | PoolWithIndices;
  const out = extra === null ? forward(x) : forward(x, extra);
  return out instanceof Tensor ? { values: out, indices: null } : { values: out.values, indices: out.indices };
}

const tight = { rtol: 1e-10, atol: 1e-12 };

/** Builds the case's layer, loads PyTorch's state, and compares keys, output, indices and every gradient. */
export function checkCase(c: LayerCase): void {
  const layer = buildLayer(c);
  expect(Object.keys(layer.stateDict())).toEqual(c.keys);
  layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, float64(v)])));
  const x = float64(c.input, true);
  const { values, indices } = run(layer, x, c.forwardArgument);
  expectClose(values, float64(c.output), tight);
  if (c.indices === undefined) expect(indices).toBeNull();
  else {
    expect(indices?.dtype).toBe('int32');
    expect(indices?.shape).toEqual(c.indices.shape);
    expect(Array.from(indices?.data() ?? [])).toEqual(c.indices.data);
  }
  values.mul(cotangent(values.shape)).sum().backward();
  expectClose(x.grad ?? [], float64(c.grads.input as Flat), tight);
  const parameters = Object.fromEntries(layer.namedParameters());
  expect(Object.keys(parameters).sort()).toEqual(
    Object.keys(c.grads)
      .filter((k) => k !== 'input')
      .sort(),
  );
  for (const [name, p] of Object.entries(parameters)) expectClose(p.grad ?? [], float64(c.grads[name] as Flat), tight);
  // None of these layers depends on the mode: evaluation gives the same numbers.
  layer.eval();
  const again = noGrad(() => run(layer, x, c.forwardArgument).values);
  expectClose(again, values.detach(), { rtol: 0, atol: 0 });
}
