import { ArgumentError, tensor } from '@chainrule/core';
import { saveSafetensors } from '@chainrule/nn';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXELS } from '../../../mnist/src/data';
import { loadDigits } from '../../../mnist/src/digits';
import { classify, readDemoModel, type DemoModel } from '../../src/train/digits-model';
import { demoData } from '../../src/train/mnist-scaler';
import { toMnist } from '../../src/train/mnist-preprocess';
import { plainForward, plainLayers } from './reference-mlp';

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);
const bytes = new Uint8Array(readFileSync(fixture('demo-mlp.safetensors')));
const metrics = JSON.parse(readFileSync(fixture('demo-mlp.metrics.json'), 'utf8')) as { finalTestAccuracy: number };

let demo: DemoModel;
let data: ReturnType<typeof demoData>;
let raw: Float32Array;
let rawLabels: Int32Array;

beforeAll(() => {
  demo = readDemoModel(bytes);
  data = demoData(demo.config, loadDigits());
  const digits = loadDigits();
  raw = digits.images.data() as Float32Array;
  rawLabels = digits.labels.data() as Int32Array;
});

const argmax = (p: ArrayLike<number>) =>
  Array.from(p).reduce((best, v, i, a) => (v > (a[best] as number) ? i : best), 0);

describe('readDemoModel and classify', () => {
  it('rebuild the network from the metadata the demo wrote', () => {
    expect(demo.config.hidden).toEqual([64]);
    expect(demo.description).toBe('784-64-10 relu, cross-entropy, 5 epochs, seed 0');
  });

  it('score the test digits as the demo measured when it saved the file', () => {
    const labels = data.test.labels.data() as Int32Array;
    const predicted = demo.model.forward(data.test.inputs).argmax(1).data() as Int32Array;
    const right = labels.filter((l, i) => l === predicted[i]).length;
    expect(right / labels.length).toBeCloseTo(metrics.finalTestAccuracy, 10);
  }, 60_000);

  it('give the softmax of an independent forward pass on min-max scaled pixels', () => {
    // The scaler (nn's MinMaxScaler, tested there) is affine per pixel: read its map back from
    // the images of 0 and 1, and apply it here by hand.
    const lo = data.scaler.transform(tensor(new Float32Array(PIXELS), { shape: [1, PIXELS] })).data();
    const hi = data.scaler.transform(tensor(new Float32Array(PIXELS).fill(1), { shape: [1, PIXELS] })).data();
    const layers = plainLayers(demo.model.stateDict());
    for (const row of [...data.testRows].slice(0, 10)) {
      const pixels = raw.slice(row * PIXELS, (row + 1) * PIXELS);
      const scaled = pixels.map((v, i) => (lo[i] as number) + v * ((hi[i] as number) - (lo[i] as number)));
      const z = plainForward(layers, scaled, 'relu', 'linear');
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const total = e.reduce((a, b) => a + b, 0);
      const p = classify(demo, data.scaler, pixels);
      e.forEach((v, k) => expect(p[k]).toBeCloseTo(v / total, 5));
    }
  });

  it('classify test digits drawn ten times larger, after the MNIST preprocessing, about as well as the originals', () => {
    // Each pixel of a test digit becomes a 10 × 10 square of a 280 × 280 canvas; toMnist must
    // bring it back to the 28 × 28 frame. 100 digits: the network gets ~94% of the originals.
    let right = 0;
    let agree = 0;
    const rows = [...data.testRows].slice(0, 100);
    for (const row of rows) {
      const pixels = raw.slice(row * PIXELS, (row + 1) * PIXELS);
      const big = new Float32Array(280 * 280);
      for (let y = 0; y < 280; y++)
        for (let x = 0; x < 280; x++) big[y * 280 + x] = pixels[Math.floor(y / 10) * 28 + Math.floor(x / 10)] as number;
      const redrawn = toMnist(big, 280, 280) as Float32Array;
      const guess = argmax(classify(demo, data.scaler, redrawn));
      if (guess === argmax(classify(demo, data.scaler, pixels))) agree++;
      if (guess === rawLabels[row]) right++;
    }
    expect(agree / rows.length).toBeGreaterThanOrEqual(0.9);
    expect(right / rows.length).toBeGreaterThanOrEqual(0.85);
  }, 60_000);

  it('refuse files that are not a demo model, naming what was expected', () => {
    const notSafetensors = () => readDemoModel(new Uint8Array([1, 2, 3]));
    expect(notSafetensors).toThrow(ArgumentError);
    expect(notSafetensors).toThrow(/^readDemoModel: the file is not a safetensors file/);
    const noMetadata = saveSafetensors({ w: tensor([1, 2]) });
    expect(() => readDemoModel(noMetadata)).toThrow(/holds no 'chainrule.mnist.config' metadata.*pnpm demo/);
    const wrongShapes = saveSafetensors(
      { '0.weight': tensor(new Float32Array(6), { shape: [2, 3] }) },
      { metadata: { 'chainrule.mnist.config': JSON.stringify(demo.config) } },
    );
    expect(() => readDemoModel(wrongShapes)).toThrow(/do not fit the network its settings describe \(784-64-10 relu\)/);
  });
});
