/**
 * The model and its training pieces: the state-dict names, one step lowering
 * the loss, greedy decoding writing well-formed answers, the attention maps
 * being causal distributions, and a seeded run repeating itself.
 */
import { Generator, tensor } from '@chainrule/core';
import { AdamW } from '@chainrule/optim';
import { describe, expect, it } from 'vitest';
import { AdditionTransformer, greedyAnswers } from '../src/model';
import { ALPHABET, ProblemSet, encode, layout } from '../src/problems';
import { batchLoss, buildModel, learningRate, train, type TrainConfig } from '../src/train';

// Training in-process on a shared, loaded 2-core machine: generous limits, never a speed check.
const SLOW = 60_000;

const small: TrainConfig = {
  digits: 2,
  steps: 30,
  stopAt: 1,
  batchSize: 32,
  lr: 3e-3,
  weightDecay: 0.01,
  warmup: 5,
  evalEvery: 15,
  testSize: 50,
  seed: 7,
  model: { dModel: 32, heads: 4, layers: 2, feedforward: 64 },
};

describe('AdditionTransformer', () => {
  it('names its state as PyTorch would name the same modules', () => {
    const model = buildModel(small, new Generator(0));
    const keys = Object.keys(model.stateDict());
    expect(keys.slice(0, 4)).toEqual([
      'token_embedding.weight',
      'position_embedding.weight',
      'encoder.layers.0.self_attn.in_proj_weight',
      'encoder.layers.0.self_attn.in_proj_bias',
    ]);
    expect(keys.slice(-4)).toEqual(['encoder.norm.weight', 'encoder.norm.bias', 'head.weight', 'head.bias']);
    // 12 tensors per block: attention (4), two linears (4), two LayerNorms (4).
    expect(keys).toHaveLength(2 + 2 * 12 + 2 + 2);
    expect(model.positionEmbedding.weight.shape).toEqual([8, 32]); // 9 characters, the last never read
  });

  it('scores every position: logits [batch, length, alphabet]', () => {
    const model = buildModel(small, new Generator(0));
    const tokens = tensor(Int32Array.from([...encode('37+85=22'), ...encode('05+03=80')]), { shape: [2, 8] });
    expect(model.forward(tokens).shape).toEqual([2, 8, ALPHABET.length]);
  });

  it('is causal: changing a later character leaves the earlier positions’ scores as they were', () => {
    const model = buildModel(small, new Generator(1));
    model.eval();
    const a = model.forward(tensor(Int32Array.from(encode('37+85=22')), { shape: [1, 8] })).toArray() as number[][][];
    const b = model.forward(tensor(Int32Array.from(encode('37+85=99')), { shape: [1, 8] })).toArray() as number[][][];
    expect(b[0]?.slice(0, 6)).toEqual(a[0]?.slice(0, 6));
    expect(b[0]?.[7]).not.toEqual(a[0]?.[7]);
  });

  it('one AdamW step lowers the loss on a fixed batch', () => {
    const g = new Generator(3);
    const set = new ProblemSet(2, 50, g);
    const model = buildModel(small, g);
    const batch = set.sample(64, g);
    const l = layout(2);
    const optimizer = new AdamW(model.parameters(), { lr: 1e-3 });
    const before = batchLoss(model, batch, l);
    optimizer.zeroGrad();
    before.backward();
    optimizer.step();
    const after = batchLoss(model, batch, l).item();
    // Untrained, the answer characters are near-uniform guesses over 12 tokens: ln 12 ≈ 2.48.
    expect(before.item()).toBeGreaterThan(2);
    expect(after).toBeLessThan(before.item() - 0.01);
  });

  it('returns attention maps [heads, length, length] per layer: causal rows that sum to 1', () => {
    const model = buildModel(small, new Generator(2));
    const maps = model.attentionMaps(tensor(Int32Array.from(encode('37+85=22')), { shape: [1, 8] }));
    expect(maps).toHaveLength(2);
    for (const m of maps) {
      expect(m.shape).toEqual([4, 8, 8]);
      for (const head of m.toArray() as number[][][]) {
        head.forEach((row, i) => {
          expect(row.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
          expect(row.slice(i + 1).every((w) => w === 0)).toBe(true);
        });
      }
    }
  });
});

describe('greedy decoding', () => {
  it('writes answerLength characters of the alphabet for every problem, and leaves the mode as it was', () => {
    const model = buildModel(small, new Generator(4));
    const problems = [
      { a: 1, b: 2 },
      { a: 99, b: 99 },
      { a: 50, b: 7 },
    ];
    const answers = greedyAnswers(model, problems, layout(2));
    expect(answers).toHaveLength(3);
    for (const a of answers) expect(a).toMatch(/^[0-9+=]{3}$/);
    expect(model.training).toBe(true);
    expect(greedyAnswers(model, [], layout(2))).toEqual([]);
  });

  it(
    'after a short training writes digits only (well-formed sums)',
    () => {
      const { model, problems } = train({ ...small, steps: 40, evalEvery: 40 });
      const answers = greedyAnswers(model, problems.test, problems.layout);
      for (const a of answers) expect(a).toMatch(/^[0-9]{3}$/);
    },
    SLOW,
  );
});

describe('train', () => {
  it(
    'repeats itself for the same seed, and differs for another',
    () => {
      const run = (seed: number) =>
        train({ ...small, steps: 6, evalEvery: 3, seed }).intervals.map((m) => [m.trainLoss, m.testAccuracy]);
      const a = run(7);
      expect(a).toHaveLength(2);
      expect(run(7)).toEqual(a);
      expect(run(8)).not.toEqual(a);
    },
    SLOW,
  );

  it('warms the learning rate up linearly, then decays it along a cosine to a tenth', () => {
    const c = { lr: 1, warmup: 10, steps: 110 };
    expect(learningRate(1, c)).toBeCloseTo(0.1, 12);
    expect(learningRate(10, c)).toBeCloseTo(1, 12);
    expect(learningRate(60, c)).toBeCloseTo(0.55, 12); // halfway: 0.1 + 0.45·(1 + cos(π/2))
    expect(learningRate(110, c)).toBeCloseTo(0.1, 12);
    expect(learningRate(500, c)).toBeCloseTo(0.1, 12);
  });

  it('builds a model whose positions cover the text the model reads', () => {
    const model: AdditionTransformer = buildModel({ ...small, digits: 3 }, new Generator(0));
    expect(model.config.contextLength).toBe(11);
  });
});

describe('README', () => {
  it('states the default model’s parameter count', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    // The CLI's defaults: width 64, 4 heads, 2 layers, feed-forward 4 × 64.
    const model = buildModel(
      { ...small, model: { dModel: 64, heads: 4, layers: 2, feedforward: 256 } },
      new Generator(0),
    );
    const count = model.parameters().reduce((n, p) => n + p.size, 0);
    expect(readme).toContain(`${count.toLocaleString('en-US')} parameters`);
  });
});
