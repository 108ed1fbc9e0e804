/**
 * An exported training step run 20 times by ONNX Runtime must train exactly
 * as 20 steps of chainrule's own loop on the same batches: the same losses
 * and the same final parameters and optimizer state (within 1e-4 relative),
 * for SGD (momentum, dampening, Nesterov, weight decay) and Adam/AdamW
 * (amsgrad), float32 and float64, on an MLP and a small CNN. The reference
 * is chainrule's optimizer (checked against PyTorch in packages/optim's
 * fixtures), run by backward() and step(): an implementation independent
 * of the graph's update, which is written with ops.
 */
import { type FloatDType, manualSeed, noGrad, randn, type Tensor } from '@chainrule/core';
import { Conv2d, crossEntropyLoss, Flatten, Linear, type Module, mseLoss, ReLU, Sequential, Tanh } from '@chainrule/nn';
import { Adam, AdamW, type Optimizer, SGD } from '@chainrule/optim';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import {
  exportTrainingStep,
  OnnxExportError,
  type StepLoss,
  type TrainingBatch,
  trainWithOnnxRuntime,
} from '../src/index';

const steps = 20;

interface Setup {
  model: (dtype: FloatDType) => Module;
  optimizer: (params: Tensor[]) => Optimizer;
  loss: StepLoss;
  batches: (dtype: FloatDType) => TrainingBatch[];
}

const mlp = (dtype: FloatDType) =>
  new Sequential(
    new Linear(6, 8, { dtype }),
    new ReLU(),
    new Linear(8, 8, { dtype }),
    new Tanh(),
    new Linear(8, 3, { dtype }),
  );

const regression = (dtype: FloatDType) =>
  Array.from({ length: steps }, () => ({ inputs: randn([5, 6], { dtype }), targets: randn([5, 3], { dtype }) }));

/** Class probabilities as targets (cross-entropy's soft-label form, which the graph takes as an input). */
const classification = (dtype: FloatDType) =>
  Array.from({ length: steps }, () => ({
    inputs: randn([5, 6], { dtype }),
    targets: randn([5, 3], { dtype }).mul(3).softmax(1),
  }));

const cnn = (dtype: FloatDType) =>
  new Sequential(
    new Conv2d(1, 2, 3, { stride: 2, padding: 1, dtype }),
    new ReLU(),
    new Flatten(),
    new Linear(2 * 4 * 4, 3, { dtype }),
  );

const images = (dtype: FloatDType) =>
  Array.from({ length: steps }, () => ({ inputs: randn([4, 1, 8, 8], { dtype }), targets: randn([4, 3], { dtype }) }));

const setups: Record<string, Setup> = {
  'SGD with momentum': {
    model: mlp,
    optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
    loss: mseLoss,
    batches: regression,
  },
  'SGD with momentum and dampening': {
    model: mlp,
    optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.8, dampening: 0.3 }),
    loss: mseLoss,
    batches: regression,
  },
  'SGD Nesterov with weight decay': {
    model: mlp,
    optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    loss: (y, t) => crossEntropyLoss(y, t),
    batches: classification,
  },
  'plain SGD, maximizing the negated loss': {
    model: mlp,
    optimizer: (p) => new SGD(p, { lr: 0.1, maximize: true }),
    loss: (y, t) => mseLoss(y, t).neg(),
    batches: regression,
  },
  Adam: {
    model: mlp,
    optimizer: (p) => new Adam(p, { lr: 0.01 }),
    loss: mseLoss,
    batches: regression,
  },
  'Adam with weight decay and amsgrad': {
    model: mlp,
    optimizer: (p) => new Adam(p, { lr: 0.01, weightDecay: 0.05, amsgrad: true }),
    loss: (y, t) => crossEntropyLoss(y, t),
    batches: classification,
  },
  AdamW: {
    model: mlp,
    optimizer: (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.1, betas: [0.8, 0.99] }),
    loss: mseLoss,
    batches: regression,
  },
};

/** max |a − b| over max |b|: the relative error of a whole tensor. */
function relative(a: Tensor, b: Tensor): number {
  const x = a.flatten().toArray() as number[];
  const y = b.flatten().toArray() as number[];
  const scale = Math.max(...y.map(Math.abs), 1e-12);
  return Math.max(...x.map((v, i) => Math.abs(v - (y[i] as number)))) / scale;
}

/** The same model twice (same seed), the batches, and chainrule's 20 steps on one copy. */
function reference(setup: Setup, dtype: FloatDType, seed: number) {
  manualSeed(seed);
  const mine = setup.model(dtype);
  manualSeed(seed);
  const theirs = setup.model(dtype);
  const batches = setup.batches(dtype);
  const optimizer = setup.optimizer(mine.parameters());
  const losses: number[] = [];
  for (const b of batches) {
    optimizer.zeroGrad();
    const loss = setup.loss((mine.forward as (x: Tensor) => Tensor)(b.inputs), b.targets);
    losses.push(loss.item() as number);
    loss.backward();
    optimizer.step();
  }
  return { mine, theirs, batches, optimizer, losses };
}

async function trainedInRuntime(setup: Setup, dtype: FloatDType, seed: number) {
  const ref = reference(setup, dtype, seed);
  const optimizer = setup.optimizer(ref.theirs.parameters());
  const bytes = exportTrainingStep(ref.theirs, setup.loss, optimizer, ref.batches[0] as TrainingBatch);
  const session = await ort.InferenceSession.create(bytes);
  try {
    const losses = await trainWithOnnxRuntime(session, ref.theirs, ref.batches, { Tensor: ort.Tensor, optimizer });
    return { ref, losses, optimizer };
  } finally {
    await session.release();
  }
}

describe('20 steps of an exported training step in ONNX Runtime equal 20 steps in chainrule', () => {
  const cases = Object.keys(setups).flatMap((name) => (['float32', 'float64'] as const).map((d) => [name, d] as const));
  it.each(cases)('%s, %s', async (name, dtype) => {
    const setup = setups[name] as Setup;
    const { ref, losses, optimizer } = await trainedInRuntime(setup, dtype, 11);
    expect(losses).toHaveLength(steps);
    losses.forEach((l, i) => {
      expect(Math.abs(l - (ref.losses[i] as number)) / Math.abs(ref.losses[i] as number), `loss ${i}`).toBeLessThan(
        1e-4,
      );
    });
    // The losses went somewhere: training changed them (a step that updated nothing would keep them at random).
    expect(losses[steps - 1]).not.toBe(losses[0]);
    const mine = [...ref.mine.namedParameters()];
    for (const [key, p] of ref.theirs.namedParameters()) {
      const expected = mine.find(([k]) => k === key)?.[1] as Tensor;
      expect(p.dtype).toBe(dtype);
      expect(relative(p, expected), key).toBeLessThan(1e-4);
      // The optimizer state was written back, under the optimizer's own slot names.
      const theirState = optimizer.state.get(p) as Record<string, unknown> | undefined;
      const myState = ref.optimizer.state.get(expected) as Record<string, unknown> | undefined;
      for (const [slot, v] of Object.entries(myState ?? {})) {
        if (typeof v === 'number') expect(theirState?.[slot], `${key}.${slot}`).toBe(v);
        else expect(relative(theirState?.[slot] as Tensor, v as Tensor), `${key}.${slot}`).toBeLessThan(1e-4);
      }
    }
  });

  it('a small CNN (convolution gradients as ConvTranspose and Conv), float32, SGD with momentum', async () => {
    const setup: Setup = {
      model: cnn,
      optimizer: (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }),
      loss: mseLoss,
      batches: images,
    };
    const { ref, losses } = await trainedInRuntime(setup, 'float32', 5);
    losses.forEach((l, i) => {
      expect(Math.abs(l - (ref.losses[i] as number)) / Math.abs(ref.losses[i] as number), `loss ${i}`).toBeLessThan(
        1e-4,
      );
    });
    const mine = new Map(ref.mine.namedParameters());
    for (const [key, p] of ref.theirs.namedParameters()) {
      expect(relative(p, mine.get(key) as Tensor), key).toBeLessThan(1e-4);
    }
  });

  it('training can go on in chainrule where the runtime stopped', async () => {
    const setup = setups.Adam as Setup;
    const { ref, optimizer } = await trainedInRuntime(setup, 'float64', 3);
    // One more step each side, on the same batch: the written-back state must carry Adam's step and moments.
    const b = ref.batches[0] as TrainingBatch;
    for (const [model, opt] of [
      [ref.mine, ref.optimizer],
      [ref.theirs, optimizer],
    ] as const) {
      opt.zeroGrad();
      setup.loss((model.forward as (x: Tensor) => Tensor)(b.inputs), b.targets).backward();
      opt.step();
    }
    const mine = new Map(ref.mine.namedParameters());
    for (const [key, p] of ref.theirs.namedParameters()) {
      expect(relative(p, mine.get(key) as Tensor), key).toBeLessThan(1e-8);
    }
  });
});

describe('exportTrainingStep refuses what it cannot write', () => {
  it('an optimizer it has no update for, naming it', () => {
    manualSeed(1);
    const model = mlp('float32');
    const optimizer = { paramGroups: [{ params: model.parameters(), lr: 0.1 }], state: new Map() };
    expect(() =>
      exportTrainingStep(model, mseLoss, optimizer as unknown as Optimizer, regression('float32')[0] as TrainingBatch),
    ).toThrow(OnnxExportError);
    expect(() =>
      exportTrainingStep(model, mseLoss, optimizer as unknown as Optimizer, regression('float32')[0] as TrainingBatch),
    ).toThrow(/^exportTrainingStep: the optimizer must be an SGD, Adam or AdamW/);
  });

  it('several param groups (one learning-rate input)', () => {
    const model = mlp('float32');
    const [a, b, ...rest] = model.parameters();
    const optimizer = new SGD([{ params: [a as Tensor, b as Tensor] }, { params: rest, lr: 0.5 }], { lr: 0.1 });
    expect(() => exportTrainingStep(model, mseLoss, optimizer, regression('float32')[0] as TrainingBatch)).toThrow(
      /exportTrainingStep: the optimizer must have one param group/,
    );
  });

  it('a batch that is not { inputs, targets }', () => {
    const model = mlp('float32');
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    expect(() => exportTrainingStep(model, mseLoss, optimizer, [randn([2, 6])] as unknown as TrainingBatch)).toThrow(
      /exportTrainingStep: the batch must be \{ inputs: Tensor, targets: Tensor \}/,
    );
  });

  it('class-index targets, whose gather is not mapped yet: a typed error naming the op, no constant', () => {
    const model = mlp('float32');
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const batch = { inputs: randn([4, 6]), targets: noGrad(() => randn([4]).abs().floor().clamp(0, 2).to('int32')) };
    expect(() => exportTrainingStep(model, crossEntropyLoss, optimizer, batch)).toThrow(OnnxExportError);
  });
});
