/**
 * BatchNorm1d/2d, GroupNorm, InstanceNorm1d/2d and their functional forms
 * against PyTorch 1.13 in float64 (fixtures/normalization.py writes
 * normalization.json): the same state dict loaded, the same inputs, then
 * each forward's output, the gradients of sum(out · v) for the input and
 * every parameter, and the buffers after it, in training and evaluation
 * mode; and the state-dict keys.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '@chainrule/core';
import {
  BatchNorm1d,
  BatchNorm2d,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
  type AnyModule,
  type Module,
  batchNorm,
  groupNorm,
  instanceNorm,
  loadSafetensors,
} from '../src/index';
import { expectClose } from './helpers';

interface Flat {
  shape: number[];
  values: number[];
}
interface Step {
  input: Flat;
  output: Flat;
  cotangent: Flat;
  grads: Record<string, Flat | null>;
  buffers: Record<string, Flat>;
}
interface LayerCase {
  name: string;
  layer: string;
  args: number[];
  options: Record<string, unknown>;
  keys: string[];
  state: Record<string, Flat>;
  train: Step[];
  eval?: Step;
}
interface FunctionalCase {
  name: string;
  call: {
    fn: string;
    training?: boolean;
    momentum?: number;
    eps?: number;
    useInputStats?: boolean;
    numGroups?: number;
  };
  input: Flat;
  weight: Flat | null;
  bias: Flat | null;
  runningMean: Flat | null;
  runningVar: Flat | null;
  output: Flat;
  cotangent: Flat;
  grads: Record<'input' | 'weight' | 'bias', Flat | null>;
  runningAfter: { mean: Flat | null; var: Flat | null };
}
interface Fixture {
  batchNorm: LayerCase[];
  groupNorm: LayerCase[];
  instanceNorm: LayerCase[];
  functional: FunctionalCase[];
  safetensorsBatchNorm: { keys: string[]; numBatchesTracked: number; input: Flat; output: Flat };
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/normalization.json', import.meta.url), 'utf8')) as Fixture;
const tight = { rtol: 1e-10, atol: 1e-12 };

const float64 = (f: Flat, requiresGrad = false): Tensor =>
  tensor(f.values, { shape: f.shape, dtype: 'float64', requiresGrad });

type NormLayer = Module & { weight: Tensor | null; bias: Tensor | null };

function build(c: LayerCase): NormLayer {
  const options = { ...c.options, dtype: 'float64' as const };
  const [a, b] = c.args as [number, number];
  switch (c.layer) {
    case 'BatchNorm1d':
      return new BatchNorm1d(a, options);
    case 'BatchNorm2d':
      return new BatchNorm2d(a, options);
    case 'InstanceNorm1d':
      return new InstanceNorm1d(a, options as { momentum?: number });
    case 'InstanceNorm2d':
      return new InstanceNorm2d(a, options as { momentum?: number });
    case 'GroupNorm':
      return new GroupNorm(a, b, options);
    default:
      throw new Error(`no layer ${c.layer}`);
  }
}

/** One forward of the fixture's step: output, gradients and buffers afterwards, all against PyTorch. */
function checkStep(layer: NormLayer, step: Step): void {
  layer.zeroGrad();
  const x = float64(step.input, true);
  const out = layer.forward(x);
  expectClose(out, float64(step.output), tight);
  out.mul(float64(step.cotangent)).sum().backward();
  expectClose(x.grad as Tensor, float64(step.grads.input as Flat), tight);
  for (const name of ['weight', 'bias'] as const) {
    const expected = step.grads[name];
    if (expected === undefined) expect(layer[name]).toBeNull();
    else expectClose(layer[name]?.grad as Tensor, float64(expected as Flat), tight);
  }
  const buffers = Object.fromEntries((layer as AnyModule).namedBuffers());
  expect(Object.keys(buffers)).toEqual(Object.keys(step.buffers));
  for (const [name, expected] of Object.entries(step.buffers)) {
    const b = buffers[name] as Tensor;
    if (name === 'num_batches_tracked') {
      expect(b.dtype).toBe('int32');
      expect(b.item()).toBe(expected.values[0]);
    } else expectClose(b, float64(expected), tight);
  }
}

function runCase(c: LayerCase): void {
  const layer = build(c);
  expect(Object.keys(layer.stateDict())).toEqual(c.keys);
  // PyTorch's state dict, with num_batches_tracked as a float64 count (how a widened I64 arrives).
  layer.loadStateDict(Object.fromEntries(Object.entries(c.state).map(([k, v]) => [k, float64(v)])));
  for (const step of c.train) checkStep(layer.train(), step);
  if (c.eval !== undefined) checkStep(layer.eval(), c.eval);
}

describe.each([
  ['BatchNorm', fixture.batchNorm],
  ['GroupNorm', fixture.groupNorm],
  ['InstanceNorm', fixture.instanceNorm],
])('%s against PyTorch', (_family, cases) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    runCase(c);
  });
});

describe('functional forms against PyTorch', () => {
  it.each(fixture.functional.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const x = float64(c.input, true);
    const weight = c.weight === null ? null : float64(c.weight, true);
    const bias = c.bias === null ? null : float64(c.bias, true);
    const runningMean = c.runningMean === null ? null : float64(c.runningMean);
    const runningVar = c.runningVar === null ? null : float64(c.runningVar);
    const eps = c.call.eps === undefined ? {} : { eps: c.call.eps };
    const momentum = c.call.momentum === undefined ? {} : { momentum: c.call.momentum };
    let out: Tensor;
    if (c.call.fn === 'batchNorm') {
      out = batchNorm(x, runningMean, runningVar, {
        weight,
        bias,
        training: c.call.training === true,
        ...momentum,
        ...eps,
      });
    } else if (c.call.fn === 'instanceNorm') {
      out = instanceNorm(x, {
        runningMean,
        runningVar,
        weight,
        bias,
        useInputStats: c.call.useInputStats !== false,
        ...momentum,
        ...eps,
      });
    } else {
      out = groupNorm(x, c.call.numGroups as number, { weight, bias, ...eps });
    }
    expectClose(out, float64(c.output), tight);
    out.mul(float64(c.cotangent)).sum().backward();
    expectClose(x.grad as Tensor, float64(c.grads.input as Flat), tight);
    if (weight !== null) expectClose(weight.grad as Tensor, float64(c.grads.weight as Flat), tight);
    if (bias !== null) expectClose(bias.grad as Tensor, float64(c.grads.bias as Flat), tight);
    if (runningMean !== null) expectClose(runningMean, float64(c.runningAfter.mean as Flat), tight);
    if (runningVar !== null) expectClose(runningVar, float64(c.runningAfter.var as Flat), tight);
  });
});

describe('a BatchNorm2d state dict written by PyTorch', () => {
  it('loads from safetensors (num_batches_tracked stored as I64) and reproduces the evaluation output', () => {
    const expected = fixture.safetensorsBatchNorm;
    const bytes = new Uint8Array(readFileSync(new URL('./fixtures/batchnorm.safetensors', import.meta.url)));
    const dict = loadSafetensors(bytes);
    expect(Object.keys(dict)).toEqual(expected.keys);
    const bn = new BatchNorm2d(3, { dtype: 'float64' });
    bn.loadStateDict(dict);
    expect(bn.numBatchesTracked?.item()).toBe(expected.numBatchesTracked);
    expectClose(bn.eval().forward(float64(expected.input)), float64(expected.output), tight);
    expect(Object.keys(bn.stateDict())).toEqual(expected.keys);
  });
});
