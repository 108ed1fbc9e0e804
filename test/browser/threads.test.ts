/**
 * The WebAssembly kernels' worker pool in a browser (issue 20, item 1): in a
 * cross-origin-isolated page (COOP/COEP headers) the large product and the
 * convolution run on Web Workers sharing the module's memory, with every bit
 * equal to the single-thread results (each row, each sample, is computed by
 * one thread); without the headers the page runs on one thread, correctly.
 * Correctness is judged against the JavaScript kernels, computed in the same
 * page (a float32 loop summing in another order: 1e-3 is far above its
 * rounding and far below any wrong row).
 */
import { describe, expect, it } from 'vitest';
import { isolationHeaders, runInChromium } from './page';

interface ThreadsResult {
  backend: string;
  crossOriginIsolated: boolean;
  cores: number;
  threads: number;
  readyWorkers: number;
  teamSize: number;
  firstEqualsSingle: boolean;
  threadedEqualsSingle: boolean;
  maxDiffFromReference: number;
}

describe('the worker pool in headless Chromium', () => {
  it('a cross-origin-isolated page computes on more than one thread, bit for bit as on one', async () => {
    const { result, warnings } = await runInChromium<ThreadsResult>('threads', isolationHeaders);
    expect(warnings).toEqual([]);
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.backend).toBe('wasm');
    expect(result.cores).toBeGreaterThan(1);
    expect(result.threads).toBeGreaterThan(1);
    expect(result.readyWorkers).toBeGreaterThan(0);
    expect(result.teamSize).toBeGreaterThan(0);
    expect(result.firstEqualsSingle).toBe(true);
    expect(result.threadedEqualsSingle).toBe(true);
    expect(result.maxDiffFromReference).toBeLessThan(1e-3);
  }, 180_000);

  it('a page without the headers runs on one thread, correctly, and says once how to get threads', async () => {
    const { result, warnings } = await runInChromium<ThreadsResult>('threads', {});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^chainrule: shared memory is unavailable .*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.backend).toBe('wasm');
    expect(result.threads).toBe(1);
    expect(result.teamSize).toBe(0);
    expect(result.threadedEqualsSingle).toBe(true);
    expect(result.maxDiffFromReference).toBeLessThan(1e-3);
  }, 180_000);
});
