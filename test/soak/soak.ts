/**
 * `pnpm soak`: trains the MNIST example's network (784-64-10, sigmoid, MSE
 * against one-hot targets, SGD lr 3, batches of 32) for many steps and
 * samples memory after a full GC every few steps. Every step builds a new
 * graph; backward must release it, or memory grows with the step count. The
 * run fails (exit 1) if, after the baseline step, memory ever exceeds the
 * baseline sample by more than 10%.
 *
 *   node --expose-gc --conditions=@chainrule/source --import tsx test/soak/soak.ts \
 *     [--steps 10000] [--every 1000] [--baseline 2000] [--data mnist|synthetic] [--json] [--leak]
 *
 * `--graph value` trains the scalar Value MLP of the benchmark instead
 * (2-16-16-1 sigmoid over 100 points, ~66,000 nodes a step): its numbers live
 * in slabs that only the garbage collector frees, so it gets the same check.
 *
 * Memory is heapUsed + arrayBuffers: the JS heap (graph nodes, closures)
 * plus the typed arrays that hold tensor data (saved activations), since a
 * leaked graph shows in both. `--leak` keeps every step's graph alive
 * (retainGraph and a reference to the loss): the check must then fail.
 */
import { createRequire } from 'node:module';
import { Generator, oneHot, tensor, value, type Tensor, type Value } from '@chainrule/core';
import { DataLoader, mlp, mseLoss } from '@chainrule/nn';
import { SGD } from '@chainrule/optim';
import { parseSoakArgs, type SoakOptions } from './args';

const PIXELS = 784;
const CLASSES = 10;

interface Sample {
  step: number;
  heapUsed: number;
  arrayBuffers: number;
  loss: number;
}

/**
 * The 10,000 digits of the `mnist` npm package, the data the MNIST example
 * trains on, resolved from examples/mnist where that example installs it.
 * The package's own arrays are dropped from the module cache after copying,
 * so they are not part of the measured baseline. Null when not installed.
 */
function loadMnist(): { images: Tensor; labels: Tensor } | null {
  const require = createRequire(new URL('../../examples/mnist/package.json', import.meta.url));
  let digits: { id: number; length: number; raw: number[] }[];
  try {
    digits = require('mnist') as typeof digits;
  } catch {
    return null;
  }
  const n = digits.reduce((total, d) => total + d.length, 0);
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  for (const digit of digits) {
    pixels.set(digit.raw.slice(0, digit.length * PIXELS), row * PIXELS);
    labels.fill(digit.id, row, row + digit.length);
    row += digit.length;
  }
  for (const key of Object.keys(require.cache)) if (key.includes(`${'/'}mnist${'/'}`)) delete require.cache[key];
  return { images: tensor(pixels, { shape: [n, PIXELS] }), labels: tensor(labels) };
}

/** MNIST-shaped stand-in: 10,000 rows of 784 values in [0, 1] with labels 0-9, seeded. */
function syntheticDigits(): { images: Tensor; labels: Tensor } {
  const g = new Generator(7);
  const n = 10_000;
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    labels[r] = r % CLASSES;
    // A class-dependent band of bright pixels plus noise, so the loss can go down.
    for (let c = 0; c < PIXELS; c++)
      pixels[r * PIXELS + c] = (Math.floor(c / 78.4) === r % CLASSES ? 0.7 : 0) + 0.3 * g.random();
  }
  return { images: tensor(pixels, { shape: [n, PIXELS] }), labels: tensor(labels) };
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function sample(step: number, loss: number): Sample {
  const gc = (globalThis as { gc?: () => void }).gc;
  // NOTE: V8 frees the memory of dead ArrayBuffers on a background thread
  // after the GC that found them; read at once, arrayBuffers can still count
  // tens of MB of freed batches. Two GCs and a 50 ms pause let that finish.
  gc?.();
  gc?.();
  Atomics.wait(pause, 0, 0, 50);
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return { step, heapUsed, arrayBuffers, loss };
}

const total = (s: Sample): number => s.heapUsed + s.arrayBuffers;
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(2);

/** Takes a sample after `step` (see {@link sample}), keeps it and logs it. */
function record(samples: Sample[], step: number, loss: number, log: (line: string) => void): void {
  const s = sample(step, loss);
  samples.push(s);
  log(
    `step ${String(step).padStart(6)}  heap ${mb(s.heapUsed).padStart(8)} MB  arrayBuffers ${mb(s.arrayBuffers).padStart(8)} MB  total ${mb(total(s)).padStart(8)} MB  loss ${s.loss.toFixed(5)}`,
  );
}

/** Trains for `options.steps` steps and returns the memory samples. */
function soak(options: SoakOptions, log: (line: string) => void): { samples: Sample[]; data: string } {
  const mnist = options.data === 'synthetic' ? null : loadMnist();
  if (mnist === null && options.data === 'mnist')
    throw new Error('the mnist package is not installed in examples/mnist; run pnpm install, or pass --data synthetic');
  const { images, labels } = mnist ?? syntheticDigits();
  const data =
    mnist === null ? 'synthetic MNIST-shaped data (10,000 × 784)' : `the mnist package's ${images.shape[0]} digits`;
  const generator = new Generator(1);
  const model = mlp([PIXELS, 64, CLASSES], { generator }); // sigmoid everywhere, as the example with the MSE cost
  const optimizer = new SGD(model.parameters(), { lr: 3 });
  const loader = new DataLoader({ inputs: images, targets: labels }, { batchSize: 32, shuffle: true, generator });
  const kept: Tensor[] = [];
  const samples: Sample[] = [sample(0, NaN)];
  log(`training 784-64-10 sigmoid, MSE, SGD lr 3, batch 32 on ${data}, ${options.steps} steps`);
  let step = 0;
  while (step < options.steps) {
    for (const batch of loader) {
      optimizer.zeroGrad();
      const loss = mseLoss(model.forward(batch.inputs), oneHot(batch.targets, CLASSES));
      loss.backward(undefined, options.leak ? { retainGraph: true } : {});
      if (options.leak) kept.push(loss);
      optimizer.step();
      step++;
      if (step % options.every === 0) {
        record(samples, step, loss.item(), log);
      }
      if (step >= options.steps) break;
    }
  }
  return { samples, data };
}

/** Trains the scalar Value MLP (2-16-16-1, sigmoid, squared error over 100 points, SGD lr 0.05) and samples memory. */
function soakValues(options: SoakOptions, log: (line: string) => void): { samples: Sample[]; data: string } {
  const g = new Generator(3);
  const sizes = [2, 16, 16, 1];
  const layers = sizes.slice(1).map((out, l) =>
    Array.from({ length: out }, () => ({
      w: Array.from({ length: sizes[l] as number }, () => value(2 * g.random() - 1)),
      b: value(0),
    })),
  );
  const params = layers.flatMap((layer) => layer.flatMap((n) => [...n.w, n.b]));
  const xs = Array.from({ length: 100 }, () => [2 * g.random() - 1, 2 * g.random() - 1]);
  const ys = xs.map(([a, b]) => ((a as number) * (b as number) > 0 ? 1 : 0));
  const kept: Value[] = [];
  const samples: Sample[] = [sample(0, NaN)];
  const data = '100 random points in [-1, 1]², labelled by the sign of x·y';
  log(`training a 2-16-16-1 sigmoid Value MLP, squared error, SGD lr 0.05 on ${data}, ${options.steps} steps`);
  for (let step = 1; step <= options.steps; step++) {
    let loss: Value = value(0);
    xs.forEach((x, i) => {
      let a: (Value | number)[] = x;
      for (const layer of layers)
        a = layer.map((n) => n.w.reduce<Value>((z, w, k) => z.add(w.mul(a[k] as Value | number)), n.b).sigmoid());
      loss = loss.add((a[0] as Value).sub(ys[i] as number).pow(2));
    });
    for (const p of params) p.zeroGrad();
    loss.backward(options.leak ? { retainGraph: true } : {});
    if (options.leak) kept.push(loss);
    for (const p of params) p.data -= 0.05 * p.grad;
    if (step % options.every === 0) {
      record(samples, step, loss.data, log);
    }
  }
  return { samples, data };
}

/** The growth rule: every sample after the baseline step stays within 10% of the baseline sample. */
function verdict(
  samples: readonly Sample[],
  baselineStep: number,
): { ok: boolean; baseline: number; peak: number; growth: number } {
  const base = samples.find((s) => s.step === baselineStep);
  if (base === undefined)
    throw new Error(`no sample at the baseline step ${baselineStep}; it must be a multiple of --every`);
  const after = samples.filter((s) => s.step > baselineStep);
  const peak = Math.max(total(base), ...after.map(total));
  const growth = peak / total(base) - 1;
  return { ok: growth <= 0.1, baseline: total(base), peak, growth };
}

function main(): void {
  const options = parseSoakArgs(process.argv.slice(2));
  if ((globalThis as { gc?: () => void }).gc === undefined) {
    console.error('soak: run node with --expose-gc (pnpm soak does)');
    process.exit(2);
  }
  const log = options.json ? () => undefined : (line: string) => console.log(line);
  const { samples, data } = options.graph === 'value' ? soakValues(options, log) : soak(options, log);
  const v = verdict(samples, options.baseline);
  if (options.json) {
    console.log(JSON.stringify({ ...v, data, samples }));
  } else {
    console.log(
      `baseline (step ${options.baseline}) ${mb(v.baseline)} MB, peak after it ${mb(v.peak)} MB: ${(v.growth * 100).toFixed(2)}% growth (limit 10%)`,
    );
    console.log(
      v.ok ? 'soak: ok' : 'soak: FAILED: memory grows with the step count (graphs are not freed after backward?)',
    );
  }
  process.exit(v.ok ? 0 : 1);
}

main();
