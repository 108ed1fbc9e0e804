/**
 * The CLI end to end, as a person runs it, on a tiny model for a few dozen
 * steps: the printout, the files, and the attention maps as well-formed SVG.
 * No full training here (that is the README's ten minutes).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './run-cli';

// A spawned process on a shared 2-core machine: a generous limit, never a speed check.
const SLOW = 120_000;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-transformer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('transformer, 40 steps of a tiny model', () => {
  let run: CliResult;
  let out: string;
  const tiny = ['--steps', '40', '--eval-every', '20', '--test-size', '100', '--d-model', '32', '--warmup', '5'];

  beforeAll(async () => {
    out = join(dir, 'tiny');
    run = await runCli([...tiny, '--seed', '1', '--samples', '3', '--out', out]);
  }, SLOW);

  it('exits 0 and prints a line per interval, the result and sampled answers', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^chainrule transformer: 2-digit addition, 2 layers × 4 heads, dModel 32/m);
    const intervals = run.stdout.match(
      /^step (20|40)\/40 {2}loss \d+\.\d{4} {2}held-out exact match \d+\.\d\d% {2}\d+\.\d s {2}\(\d\.\d{3} s\/step, \d\.\d{3} s CPU\)$/gm,
    );
    expect(intervals).toHaveLength(2);
    expect(run.stdout).toMatch(
      /^held-out exact match \d+\.\d\d% after 40 steps \(\d+\.\d s in all; did not reach 99\.00%\)$/m,
    );
    const samples = run.stdout.match(/^ {2}\d+\+\d+=(\d+|"[^"]*") {2}\(written \S{3}\) (✓|✗ \(\d+\))$/gm);
    expect(samples).toHaveLength(3);
    // Not a terminal here: no live counter (it would draw with carriage returns).
    expect(run.stdout).not.toContain('\r');
  });

  it('lowers the loss below that of guessing a digit (ln 10 ≈ 2.30) within 40 steps', async () => {
    const metrics = JSON.parse(await readFile(join(out, 'metrics.json'), 'utf8')) as {
      intervals: { step: number; trainLoss: number; testAccuracy: number }[];
      steps: number;
      config: { digits: number; model: { dModel: number } };
    };
    expect(metrics.steps).toBe(40);
    expect(metrics.config.model.dModel).toBe(32);
    expect(metrics.intervals.map((m) => m.step)).toEqual([20, 40]);
    const last = metrics.intervals[1]?.trainLoss ?? Number.NaN;
    expect(last).toBeLessThan(Math.log(10));
    expect(last).toBeLessThan(metrics.intervals[0]?.trainLoss ?? 0);
  });

  it('draws one attention map per layer and head as a well-formed SVG document', async () => {
    const text = await readFile(join(out, 'attention.svg'), 'utf8');
    const doc = new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'image/svg+xml');
    expect(doc.documentElement?.nodeName).toBe('svg');
    const labels = Array.from(doc.getElementsByTagName('text'), (t) => t.textContent ?? '');
    expect(labels.filter((t) => /^layer \d, head \d$/.test(t))).toHaveLength(8);
    // The document's title, then 2 layers × 4 heads × 8 × 8 cells, each with its weight as a tooltip.
    expect(doc.getElementsByTagName('title').length).toBe(1 + 2 * 4 * 64);
  });

  it('saves the weights under PyTorch-style names', async () => {
    const { readSafetensorsHeader } = await import('@chainrule/nn');
    const header = readSafetensorsHeader(await readFile(join(out, 'model.safetensors')));
    const names = header.tensors.map((t) => t.name);
    expect(names).toContain('encoder.layers.1.self_attn.in_proj_weight');
    expect(names).toContain('head.weight');
  });
});

describe('argument errors', () => {
  it(
    'refuses a width the heads cannot split and too many digits, in one line each',
    async () => {
      const [heads, digits] = await Promise.all([
        runCli(['--d-model', '30', '--heads', '4']),
        runCli(['--digits', '9']),
      ]);
      expect(heads.code).toBe(1);
      expect(heads.stderr.trim()).toBe('error: --d-model 30 is not divisible by --heads 4');
      expect(digits.code).toBe(1);
      expect(digits.stderr.trim()).toMatch(
        /^error: option '--digits <n>' argument '9' is invalid\. It must be from 1 to 5\.$/,
      );
    },
    SLOW,
  );
});
