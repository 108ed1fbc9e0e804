/**
 * The transformer layers against PyTorch 1.13 (fixtures/transformer.json,
 * fixtures/transformer-stacks.json and transformer-encoder.safetensors,
 * written by fixtures/attention.py): state-dict keys, outputs and the
 * gradients of the inputs and of every parameter, post-LN and pre-LN, both
 * layouts, relu and gelu, in eval mode (dropout 0.1 off) and in training mode
 * with dropout 0. Also: copies, masks, gradients against finite differences
 * and errors.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ArgumentError, Generator, ShapeError, type Tensor, noGrad, randn, tensor, zeros } from '@chainrule/core';
import { assertGradcheck, assertGradgradcheck } from '@chainrule/core/testing';
import { arbTensor } from '@chainrule/core/testing/properties';
import {
  LayerNorm,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
  generateSquareSubsequentMask,
  loadSafetensors,
} from '../src/index';
import { expectClose, expectParameterGradientMatches } from './helpers';
import { type Nested, type NestedMask, stateOf, t64, torchFixture } from './torch-fixtures';

const tight = { rtol: 1e-10, atol: 1e-12 };

interface LayerOptions {
  normFirst: boolean;
  batchFirst: boolean;
  activation: 'relu' | 'gelu';
  dropout: number;
  dimFeedforward: number;
  layerNormEps: number;
}

interface Common {
  name: string;
  options: LayerOptions;
  keys: string[];
  state: Record<string, Nested>;
  w: Nested;
  out: Nested;
  grads: Record<string, Nested>;
}

interface EncoderLayerCase extends Common {
  training: boolean;
  src: Nested;
  srcMask: Nested | null;
  srcKeyPaddingMask: NestedMask | null;
}

interface DecoderLayerCase extends Common {
  training: boolean;
  tgt: Nested;
  memory: Nested;
  tgtMask: Nested;
  memoryMask: NestedMask;
  tgtKeyPaddingMask: NestedMask;
  memoryKeyPaddingMask: NestedMask;
}

interface StackCase extends Common {
  kind: 'encoder' | 'decoder';
  src?: Nested;
  mask?: Nested;
  srcKeyPaddingMask?: NestedMask;
  tgt?: Nested;
  memory?: Nested;
  tgtMask?: Nested;
  memoryKeyPaddingMask?: NestedMask;
  safetensors?: string;
}

const layers = torchFixture<{ encoderLayer: EncoderLayerCase[]; decoderLayer: DecoderLayerCase[] }>('transformer.json');
const stacks = torchFixture<{ stacks: StackCase[] }>('transformer-stacks.json').stacks;
const D = 4;
const NHEAD = 2;

const opt = (m: NestedMask | null | undefined) => (m === null || m === undefined ? null : t64(m));

function expectGrads(module: { namedParameters(): [string, Tensor][] }, grads: Record<string, Nested>): void {
  const names = module.namedParameters().map(([n]) => n);
  expect(names.length).toBeGreaterThan(0);
  for (const [name, p] of module.namedParameters()) expectClose(p.grad as Tensor, grads[name] as Nested, tight);
}

describe('TransformerEncoderLayer against PyTorch', () => {
  for (const c of layers.encoderLayer) {
    it(c.name, () => {
      const layer = new TransformerEncoderLayer(D, NHEAD, { ...c.options, dtype: 'float64' });
      expect(Object.keys(layer.stateDict())).toEqual(c.keys);
      layer.loadStateDict(stateOf(c.state));
      layer.train(c.training);
      const src = t64(c.src, { requiresGrad: true });
      const out = layer.forward(src, { srcMask: opt(c.srcMask), srcKeyPaddingMask: opt(c.srcKeyPaddingMask) });
      expectClose(out, c.out, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(src.grad as Tensor, c.grads.src as Nested, tight);
      expectGrads(layer, c.grads);
    });
  }
});

describe('TransformerDecoderLayer against PyTorch', () => {
  for (const c of layers.decoderLayer) {
    it(c.name, () => {
      const layer = new TransformerDecoderLayer(D, NHEAD, { ...c.options, dtype: 'float64' });
      expect(Object.keys(layer.stateDict())).toEqual(c.keys);
      layer.loadStateDict(stateOf(c.state));
      layer.train(c.training);
      const tgt = t64(c.tgt, { requiresGrad: true });
      const memory = t64(c.memory, { requiresGrad: true });
      const out = layer.forward(tgt, memory, {
        tgtMask: t64(c.tgtMask),
        memoryMask: t64(c.memoryMask),
        tgtKeyPaddingMask: t64(c.tgtKeyPaddingMask),
        memoryKeyPaddingMask: t64(c.memoryKeyPaddingMask),
      });
      expectClose(out, c.out, tight);
      out.mul(t64(c.w)).sum().backward();
      expectClose(tgt.grad as Tensor, c.grads.tgt as Nested, tight);
      expectClose(memory.grad as Tensor, c.grads.memory as Nested, tight);
      expectGrads(layer, c.grads);
    });
  }
});

function encoderStack(o: LayerOptions): TransformerEncoder {
  const layer = new TransformerEncoderLayer(D, NHEAD, { ...o, dtype: 'float64' });
  return new TransformerEncoder(layer, 2, { norm: new LayerNorm(D, { dtype: 'float64' }) });
}

describe('TransformerEncoder and TransformerDecoder (2 layers and a final norm) against PyTorch', () => {
  for (const c of stacks) {
    it(`${c.name}: a PyTorch state dict loads strictly and reproduces PyTorch's output and gradients`, () => {
      if (c.kind === 'encoder') {
        const stack = encoderStack(c.options).eval();
        expect(Object.keys(stack.stateDict())).toEqual(c.keys);
        stack.loadStateDict(stateOf(c.state));
        const src = t64(c.src as Nested, { requiresGrad: true });
        const out = stack.forward(src, { mask: opt(c.mask), srcKeyPaddingMask: opt(c.srcKeyPaddingMask) });
        expectClose(out, c.out, tight);
        out.mul(t64(c.w)).sum().backward();
        expectClose(src.grad as Tensor, c.grads.src as Nested, tight);
        expectGrads(stack, c.grads);
      } else {
        const layer = new TransformerDecoderLayer(D, NHEAD, { ...c.options, dtype: 'float64' });
        const stack = new TransformerDecoder(layer, 2, { norm: new LayerNorm(D, { dtype: 'float64' }) }).eval();
        expect(Object.keys(stack.stateDict())).toEqual(c.keys);
        stack.loadStateDict(stateOf(c.state));
        const tgt = t64(c.tgt as Nested, { requiresGrad: true });
        const memory = t64(c.memory as Nested, { requiresGrad: true });
        const out = stack.forward(tgt, memory, {
          tgtMask: opt(c.tgtMask),
          memoryKeyPaddingMask: opt(c.memoryKeyPaddingMask),
        });
        expectClose(out, c.out, tight);
        out.mul(t64(c.w)).sum().backward();
        expectClose(tgt.grad as Tensor, c.grads.tgt as Nested, tight);
        expectClose(memory.grad as Tensor, c.grads.memory as Nested, tight);
        expectGrads(stack, c.grads);
      }
    });
  }

  it('a safetensors file PyTorch’s state dict was written to loads strictly and reproduces the output', () => {
    const c = stacks.find((s) => s.safetensors !== undefined) as StackCase;
    const bytes = new Uint8Array(readFileSync(new URL(`./fixtures/${c.safetensors}`, import.meta.url)));
    const stack = encoderStack(c.options).eval();
    const dict = loadSafetensors(bytes);
    expect(Object.keys(dict).sort()).toEqual([...c.keys].sort());
    stack.loadStateDict(dict);
    const out = stack.forward(t64(c.src as Nested), { mask: opt(c.mask), srcKeyPaddingMask: opt(c.srcKeyPaddingMask) });
    expectClose(out, c.out, tight);
  });
});

describe('transformer stacks', () => {
  it('are made of independent copies of the layer, keeping its mode and frozen parameters', () => {
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, generator: new Generator(1) });
    layer.eval();
    layer.norm1.requiresGrad(false);
    const stack = new TransformerEncoder(layer, 3);
    const copies = [...stack.layers];
    expect(copies).toHaveLength(3);
    expect(copies.every((l) => l !== layer && !l.training && l.norm1.weight?.requiresGrad === false)).toBe(true);
    expect(copies[0]?.linear1.weight.requiresGrad).toBe(true);
    const before = Array.from(layer.linear1.weight.data());
    for (const copy of copies) expect(Array.from(copy.linear1.weight.data())).toEqual(before);
    noGrad(() => copies[0]?.linear1.weight.fill(7));
    expect(Array.from(layer.linear1.weight.data())).toEqual(before);
    expect(Array.from(copies[1]?.linear1.weight.data() ?? [])).toEqual(before);
    expect(new TransformerEncoder(layer, 0).forward(zeros([2, 1, 4])).shape).toEqual([2, 1, 4]);
    const decoder = new TransformerDecoder(new TransformerDecoderLayer(4, 2, { dimFeedforward: 6 }), 2);
    expect(decoder.layers.at(0)).not.toBe(decoder.layers.at(1));
  });

  it('generateSquareSubsequentMask is 0 on and below the diagonal and -Infinity above', () => {
    expect(generateSquareSubsequentMask(3).toArray()).toEqual([
      [0, -Infinity, -Infinity],
      [0, 0, -Infinity],
      [0, 0, 0],
    ]);
    expect(generateSquareSubsequentMask(2, { dtype: 'float64' }).dtype).toBe('float64');
    expect(generateSquareSubsequentMask(0).shape).toEqual([0, 0]);
  });

  it('isCausal is the square subsequent mask; an unbatched input is a batch of one', () => {
    const layer = new TransformerEncoderLayer(4, 2, {
      dimFeedforward: 6,
      dtype: 'float64',
      generator: new Generator(2),
    });
    layer.eval();
    const src = randn([5, 1, 4], { dtype: 'float64', generator: new Generator(3) });
    const causal = layer.forward(src, { isCausal: true });
    const masked = layer.forward(src, { srcMask: generateSquareSubsequentMask(5, { dtype: 'float64' }) });
    expectClose(causal, masked, { rtol: 0, atol: 0 });
    expectClose(layer.forward(src.squeeze(1), { isCausal: true }), causal.squeeze(1), { rtol: 1e-14, atol: 1e-15 });
    const decoder = new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dtype: 'float64', batchFirst: true });
    decoder.eval();
    const tgt = randn([1, 3, 4], { dtype: 'float64', generator: new Generator(4) });
    const memory = randn([1, 2, 4], { dtype: 'float64', generator: new Generator(5) });
    expectClose(decoder.forward(tgt.squeeze(0), memory.squeeze(0)), decoder.forward(tgt, memory).squeeze(0), {
      rtol: 1e-14,
      atol: 1e-15,
    });
  });

  it('have gradients that match finite differences (second order in the input)', () => {
    const g = new Generator(6);
    for (const normFirst of [false, true]) {
      const layer = new TransformerEncoderLayer(2, 1, {
        dimFeedforward: 3,
        dropout: 0,
        activation: 'gelu',
        normFirst,
        dtype: 'float64',
        generator: g,
      });
      const src = randn([3, 1, 2], { dtype: 'float64', generator: g });
      const padding = tensor([[false, false, true]], { dtype: 'bool' });
      const f = (x: Tensor) => layer.forward(x, { srcKeyPaddingMask: padding, isCausal: true }).square().sum();
      assertGradcheck(f, [src]);
      assertGradgradcheck(f, [src]);
      for (const [, p] of layer.namedParameters()) expectParameterGradientMatches(() => f(src), p);
    }
    const decoder = new TransformerDecoderLayer(2, 1, {
      dimFeedforward: 3,
      dropout: 0,
      dtype: 'float64',
      generator: g,
    });
    const f = (t: Tensor, m: Tensor) => decoder.forward(t, m, { tgtIsCausal: true }).square().sum();
    assertGradcheck(f, [
      randn([2, 1, 2], { dtype: 'float64', generator: g }),
      randn([3, 1, 2], { dtype: 'float64', generator: g }),
    ]);
  }, 120_000);

  it('have input gradients that match finite differences over random small configurations', () => {
    const arb = fc
      .record({
        nhead: fc.constantFrom(1, 2),
        ff: fc.integer({ min: 1, max: 3 }),
        S: fc.integer({ min: 1, max: 3 }),
        N: fc.integer({ min: 1, max: 2 }),
        normFirst: fc.boolean(),
        gelu: fc.boolean(),
        causal: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1000 }),
      })
      .chain((c) => fc.tuple(fc.constant(c), arbTensor({ shape: [c.S, c.N, 4] })));
    fc.assert(
      fc.property(arb, ([c, src]) => {
        const layer = new TransformerEncoderLayer(4, c.nhead, {
          dimFeedforward: c.ff,
          dropout: 0,
          normFirst: c.normFirst,
          activation: c.gelu ? 'gelu' : 'relu',
          dtype: 'float64',
          generator: new Generator(c.seed),
        });
        assertGradcheck((x: Tensor) => layer.forward(x, { isCausal: c.causal }).square().sum(), [src]);
      }),
      { numRuns: 8 },
    );
  }, 120_000);

  it('refuse bad settings, inputs and masks with typed errors in the caller’s names, before any dropout draw', () => {
    expect(() => new TransformerEncoderLayer(10, 3)).toThrow(
      /^TransformerEncoderLayer: dModel 10 is not divisible by nhead 3/,
    );
    expect(() => new TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' })).toThrow(
      /activation must be 'relu', 'gelu' or a function/,
    );
    expect(() => new TransformerDecoderLayer(4, 2, { dropout: -0.1 })).toThrow(/^TransformerDecoderLayer: dropout/);
    expect(() => new TransformerEncoder(new TransformerDecoderLayer(4, 2) as never, 2)).toThrow(
      /^TransformerEncoder: the layer must be a TransformerEncoderLayer/,
    );
    expect(() => new TransformerEncoder(new TransformerEncoderLayer(4, 2), 1.5)).toThrow(/numLayers must be/);
    const layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 6 });
    expect(() => layer.forward(zeros([3, 2, 5]))).toThrow(
      /^TransformerEncoderLayer: src has 5 features \(last axis of \[3,2,5\]\); this layer expects 4 \(dModel\)/,
    );
    expect(() => layer.forward(zeros([3, 2, 4]), { srcMask: zeros([2, 2]) })).toThrow(
      /^TransformerEncoderLayer: the 2-D srcMask has shape \[2,2\], expected \[target length, source length\] = \[3,3\]/,
    );
    const stack = new TransformerEncoder(layer, 2);
    expect(() => stack.forward(zeros([3, 2, 4]), { srcKeyPaddingMask: zeros([3, 2], { dtype: 'bool' }) })).toThrow(
      /^TransformerEncoder: srcKeyPaddingMask has shape \[3,2\], expected \[batch, source length\] = \[2,3\]/,
    );
    expect(() => stack.forward(zeros([3, 2, 4]), { mask: zeros([4, 4]) })).toThrow(/^TransformerEncoder: the 2-D mask/);
    expect(() => stack.forward(zeros([3, 2, 4]), { srcMask: zeros([3, 3]) } as object)).toThrow(ArgumentError);

    // A decoder in training mode with dropout: a bad memory mask is refused
    // before the self-attention block draws its dropout masks.
    const build = () => new TransformerDecoderLayer(4, 2, { dimFeedforward: 6, generator: new Generator(8) });
    const [a, b] = [build(), build()];
    expect(() => a.forward(zeros([3, 2, 4]), zeros([5, 2, 4]), { memoryMask: zeros([3, 4]) })).toThrow(
      /^TransformerDecoderLayer: the 2-D memoryMask has shape \[3,4\], expected \[target length, source length\] = \[3,5\]/,
    );
    expect(() => a.forward(zeros([3, 2, 4]), zeros([5, 2, 6]))).toThrow(ShapeError);
    expect(() => a.forward(zeros([3, 2, 4]), zeros([5, 2, 6]))).toThrow(
      /^TransformerDecoderLayer: memory has 6 features/,
    );
    const next = (l: TransformerDecoderLayer) => Array.from(l.dropout.forward(zeros([16]).add(1)).data());
    expect(next(a)).toEqual(next(b));
    const decoderStack = new TransformerDecoder(b, 1);
    expect(() =>
      decoderStack.forward(zeros([3, 2, 4]), zeros([5, 2, 4]), { tgtKeyPaddingMask: zeros([2, 4], { dtype: 'bool' }) }),
    ).toThrow(/^TransformerDecoder: tgtKeyPaddingMask has shape \[2,4\], expected \[batch, source length\] = \[2,3\]/);
  });

  it('draw dropout masks from their generator in training only', () => {
    const build = () =>
      new TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0.5, generator: new Generator(12) });
    const [a, b] = [build(), build()];
    const src = randn([3, 2, 4], { generator: new Generator(13) });
    const trained = Array.from(a.forward(src).data());
    expect(Array.from(b.forward(src).data())).toEqual(trained);
    const evaluated = Array.from(a.eval().forward(src).data());
    expect(evaluated).not.toEqual(trained);
    expect(Array.from(a.forward(src).data())).toEqual(evaluated);
  });

  it('refuse hostile arguments with typed errors, never a TypeError', () => {
    const nullProto = Object.create(null) as never;
    expect(() => new TransformerEncoderLayer(nullProto, 2)).toThrow(
      /^TransformerEncoderLayer: dModel must be a positive integer, got an object/,
    );
    expect(() => new TransformerEncoderLayer(4, 2, null as never)).toThrow(
      /^TransformerEncoderLayer: options must be an object/,
    );
    expect(() => new TransformerDecoderLayer(4, 2, { layerNormEps: 10n as never })).toThrow(
      /eps must be a finite number/,
    );
    expect(() => new TransformerEncoderLayer(4, 2).forward(zeros([3, 2, 4]), null as never)).toThrow(ArgumentError);
    expect(() => new TransformerEncoderLayer(4, 2).forward([1, 2] as never)).toThrow(
      /^TransformerEncoderLayer: src must be a Tensor/,
    );
    expect(() => new TransformerEncoder(new TransformerEncoderLayer(4, 2), 1, { norm: {} as never })).toThrow(
      /^TransformerEncoder: norm must be a Module/,
    );
    expect(() => generateSquareSubsequentMask(nullProto)).toThrow(/^generateSquareSubsequentMask: n must be/);
  });
});
