/**
 * The short soak for CI: 500 training steps of the MNIST network, memory
 * sampled after GC every 100, with the full run's rule (no sample after the
 * baseline step more than 10% above it). A second run keeps every graph
 * alive (--leak) and must fail the same rule: the check can catch a leak.
 * `pnpm soak` runs the full 10,000 steps (figures in docs/reliability.md).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./soak.ts', import.meta.url));

interface Report {
  ok: boolean;
  baseline: number;
  peak: number;
  growth: number;
  data: string;
  samples: { step: number; heapUsed: number; arrayBuffers: number; loss: number }[];
}

function soak(...args: string[]): { status: number | null; report: Report } {
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--conditions=@chainrule/source', '--import', 'tsx', script, '--json', ...args],
    { cwd: root, encoding: 'utf8' },
  );
  if (run.stdout.trim() === '') throw new Error(`the soak script printed nothing: ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

describe('soak (short)', () => {
  it('500 steps: memory after GC stays within 10% of the step-100 sample, and the loss goes down', {
    timeout: 60_000,
  }, () => {
    const { status, report } = soak('--steps', '500', '--every', '100', '--baseline', '100');
    expect(report.samples.map((s) => s.step)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(report.growth).toBeLessThanOrEqual(0.1);
    expect(status).toBe(0);
    const losses = report.samples.slice(1).map((s) => s.loss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
  });

  it('with every graph kept alive (--leak), the same rule fails', { timeout: 60_000 }, () => {
    const { status, report } = soak('--steps', '300', '--every', '100', '--baseline', '100', '--leak');
    expect(report.growth).toBeGreaterThan(0.1);
    expect(report.ok).toBe(false);
    expect(status).toBe(1);
  });

  // Each runs a child process of a few seconds (600 steps of ~66,000 nodes).
  it('the scalar Value MLP, 600 steps: memory after GC stays within 10% of the step-100 sample, and the loss goes down', {
    timeout: 60_000,
  }, () => {
    // Value nodes keep their numbers in Float64Array slabs freed only by the
    // garbage collector, so a slab kept alive by mistake would show here.
    const { status, report } = soak('--graph', 'value', '--steps', '600', '--every', '100', '--baseline', '100');
    expect(report.growth).toBeLessThanOrEqual(0.1);
    expect(status).toBe(0);
    const losses = report.samples.slice(1).map((s) => s.loss);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
  });

  it('the Value MLP with every graph kept alive (--leak) fails the same rule', { timeout: 60_000 }, () => {
    const { status, report } = soak('--graph', 'value', '--steps', '90', '--every', '30', '--baseline', '30', '--leak');
    expect(report.growth).toBeGreaterThan(0.1);
    expect(status).toBe(1);
  });
});
