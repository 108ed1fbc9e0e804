/**
 * Whole models exported and run in ONNX Runtime: the outputs must equal
 * chainrule's (1e-5 in float32, 1e-10 in float64), at the example's batch
 * size and at another one through a dynamic batch axis.
 */
import {
  type FloatDType,
  conv2d,
  linear,
  logSoftmax,
  manualSeed,
  maxPool2d,
  avgPool2d,
  randn,
  type Tensor,
} from '@chainrule/core';
import { Linear, ReLU, Sequential, Tanh } from '@chainrule/nn';
import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index';
import { maxAbsDiff, runOnnx } from './runtime';

// The transformer encoder's block (at the end of this file) imports and helpers.
import { LayerNorm, TransformerEncoder, TransformerEncoderLayer } from '@chainrule/nn';
import { tensor } from '@chainrule/core';
import { runOnnxAny } from './runtime-dtypes';
import { OnnxExportError } from '../src/index';

const tolerance = { float32: 1e-5, float64: 1e-10 } as const;
const dtypes: FloatDType[] = ['float32', 'float64'];
const dynamic = { dynamicAxes: { x: { 0: 'batch' }, y: { 0: 'batch' } }, inputNames: ['x'], outputNames: ['y'] };

describe('an MLP (nn layers)', () => {
  it.each(dtypes)('%s: exported at batch 2, run at batches 2 and 5', async (dtype) => {
    manualSeed(1);
    const model = new Sequential(
      new Linear(4, 16, { dtype }),
      new ReLU(),
      new Linear(16, 8, { dtype }),
      new Tanh(),
      new Linear(8, 3, { dtype }),
    );
    const bytes = exportOnnx(model, [randn([2, 4], { dtype })], dynamic);
    for (const batch of [2, 5]) {
      const x = randn([batch, 4], { dtype });
      const { y } = await runOnnx(bytes, { x });
      const expected = model.forward(x);
      expect((y as Tensor).dtype).toBe(dtype);
      expect(maxAbsDiff(y as Tensor, expected)).toBeLessThanOrEqual(tolerance[dtype]);
    }
  });

  it('keeps the state-dict names as initializer names', async () => {
    manualSeed(2);
    const model = new Sequential(new Linear(3, 2), new ReLU(), new Linear(2, 1));
    const bytes = exportOnnx(model, [randn([1, 3])]);
    const text = new TextDecoder('latin1').decode(bytes);
    for (const [name] of model.namedParameters()) expect(text).toContain(name);
  });
});

/** A small CNN from core ops (nn has no Conv2d yet): two convolutions, max and average pooling, a linear head. */
function cnn(dtype: FloatDType) {
  const w1 = randn([4, 1, 3, 3], { dtype, requiresGrad: true });
  const b1 = randn([4], { dtype, requiresGrad: true });
  const w2 = randn([6, 4, 3, 3], { dtype, requiresGrad: true });
  const b2 = randn([6], { dtype, requiresGrad: true });
  const w3 = randn([3, 6 * 2 * 2], { dtype, requiresGrad: true });
  const b3 = randn([3], { dtype, requiresGrad: true });
  return (x: Tensor): Tensor => {
    let h = conv2d(x, w1, b1, { padding: 1 }).relu(); // [N, 4, 12, 12]
    h = maxPool2d(h, 2); // [N, 4, 6, 6]
    h = conv2d(h, w2, b2, { stride: 2, padding: 1 }).sigmoid(); // [N, 6, 3, 3]
    h = avgPool2d(h, 2, { stride: 1 }); // [N, 6, 2, 2]
    return logSoftmax(linear(h.reshape([h.shape[0] as number, -1]), w3, b3), 1);
  };
}

describe('a CNN (core conv2d, maxPool2d, avgPool2d)', () => {
  it.each(dtypes)('%s: exported at batch 2, run at batches 2 and 5', async (dtype) => {
    manualSeed(3);
    const f = cnn(dtype);
    const bytes = exportOnnx(f, [randn([2, 1, 12, 12], { dtype })], dynamic);
    for (const batch of [2, 5]) {
      const x = randn([batch, 1, 12, 12], { dtype });
      const { y } = await runOnnx(bytes, { x });
      expect(maxAbsDiff(y as Tensor, f(x))).toBeLessThanOrEqual(tolerance[dtype]);
    }
  });
});

/**
 * A transformer encoder (nn's TransformerEncoder of two TransformerEncoderLayers and a final LayerNorm) in eval
 * mode: without a mask, with a key-padding mask given as a bool graph input (its batch axis dynamic too), and with
 * the causal mask the layer builds inside (isCausal). Exported at batch 2, run at batches 2 and 3. The run-time
 * masks differ from the example's and include a sample whose every key is padding: chainrule gives its rows zero
 * attention (not NaN), so the graph must carry the masked softmax whatever the example's mask was.
 */
describe('a transformer encoder (nn TransformerEncoder, eval mode)', () => {
  type Mode = 'no mask' | 'key padding mask' | 'causal';
  const modes: Mode[] = ['no mask', 'key padding mask', 'causal'];
  const cases = dtypes.flatMap((dtype) =>
    modes.flatMap((mode) => [false, true].map((post) => ({ dtype, mode, post }))),
  );
  const S = 5;
  const masks: Record<number, boolean[][]> = {
    2: [
      [false, false, false, true, true],
      [false, false, false, false, false],
    ],
    3: [
      [false, true, false, true, true],
      [true, true, true, true, true],
      [false, false, false, false, true],
    ],
  };

  it.each(cases)('$dtype, $mode, normFirst $post: exported at batch 2, run at batches 2 and 3', async (c) => {
    const { dtype, mode } = c;
    manualSeed(4);
    // batchFirst: [batch, S, dModel], so the dynamic batch is axis 0 as the exporter requires.
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dtype, batchFirst: true, normFirst: c.post });
    const encoder = new TransformerEncoder(layer, 2, { norm: new LayerNorm(8, { dtype }) });
    encoder.eval();
    const f = (x: Tensor, mask?: Tensor): Tensor =>
      encoder.forward(x, mode === 'causal' ? { isCausal: true } : { srcKeyPaddingMask: mask ?? null });
    const withMask = mode === 'key padding mask';
    const batchAxis = { 0: 'batch' };
    const options = {
      inputNames: withMask ? ['x', 'mask'] : ['x'],
      outputNames: ['y'],
      dynamicAxes: withMask ? { x: batchAxis, mask: batchAxis, y: batchAxis } : { x: batchAxis, y: batchAxis },
    };
    const example = [randn([2, S, 8], { dtype }), ...(withMask ? [tensor(masks[2] as boolean[][])] : [])];
    const bytes = exportOnnx(f, example, options);
    const diffs: number[] = [];
    for (const batch of [2, 3]) {
      const x = randn([batch, S, 8], { dtype });
      const mask = tensor(masks[batch] as boolean[][]);
      const { y } = await runOnnxAny(bytes, withMask ? { x, mask } : { x });
      const expected = f(x, withMask ? mask : undefined);
      expect(Number(expected.isnan().any().item())).toBe(0);
      expect((y as Tensor).dtype).toBe(dtype);
      diffs.push(maxAbsDiff(y as Tensor, expected));
    }
    console.log(
      `transformer encoder, ${dtype}, ${mode}, normFirst ${c.post}: max |ONNX Runtime − chainrule| ${Math.max(...diffs)}`,
    );
    for (const d of diffs) expect(d).toBeLessThanOrEqual(tolerance[dtype]);
  });

  // NOTE: PyTorch's default layout [S, batch, dModel] has its batch on axis 1, and only axis 0 can be dynamic: exported
  // and run at one batch size. The exact gelu is written with Erf, which ONNX Runtime's CPU build has for float32 only
  // (see the next test), so float64 runs with relu.
  it.each(dtypes)('%s, [S, batch, dModel] layout (batchFirst false), causal: a fixed batch', async (dtype) => {
    manualSeed(6);
    const activation = dtype === 'float32' ? 'gelu' : 'relu';
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dtype, activation });
    const encoder = new TransformerEncoder(layer, 2);
    encoder.eval();
    const f = (x: Tensor): Tensor => encoder.forward(x, { isCausal: true });
    const bytes = exportOnnx(f, [randn([S, 3, 8], { dtype })], { inputNames: ['x'], outputNames: ['y'] });
    const x = randn([S, 3, 8], { dtype });
    const { y } = await runOnnxAny(bytes, { x });
    const d = maxAbsDiff(y as Tensor, f(x));
    console.log(`transformer encoder, ${dtype}, seq-first, causal, ${activation}: max |ONNX Runtime − chainrule| ${d}`);
    expect(d).toBeLessThanOrEqual(tolerance[dtype]);
  });

  it("float64 with the exact gelu exports, but ONNX Runtime's CPU build has no float64 Erf kernel", async () => {
    manualSeed(6);
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dtype: 'float64', activation: 'gelu' });
    layer.eval();
    const x = randn([3, S, 8], { dtype: 'float64' });
    const bytes = exportOnnx((t: Tensor) => layer.forward(t), [x], { inputNames: ['x'], outputNames: ['y'] });
    // When a release adds the kernel, this fails: then float64 gelu joins the cases above.
    await expect(runOnnxAny(bytes, { x })).rejects.toThrow(/Erf/);
  });

  it('refuses a branch on a value computed from the inputs (item()) with OnnxExportError', () => {
    manualSeed(4);
    const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
    layer.eval();
    // Which branch runs depends on the input's values: a graph of the example's branch would be wrong for others.
    const f = (x: Tensor): Tensor => {
      const y = layer.forward(x);
      return y.mean().item() > 0 ? y.relu() : y.neg();
    };
    const x = randn([2, S, 8]);
    expect(() => exportOnnx(f, [x])).toThrow(OnnxExportError);
    expect(() => exportOnnx(f, [x])).toThrow(/read as a number \(item\(\)\) at .*models\.test\.ts/s);
    // A number read from a parameter alone is a constant of the graph, not a branch on the inputs.
    const scale = (t: Tensor): Tensor => t.mul(layer.norm1.weight?.mean().item() ?? 1);
    expect(() => exportOnnx(scale, [x])).not.toThrow();
  });
});
