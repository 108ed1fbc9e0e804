/**
 * The slow-path warning in a real browser (issue 20, item 2): a page whose
 * Content-Security-Policy is `script-src 'self'` (no 'wasm-unsafe-eval')
 * cannot compile WebAssembly; it must still compute right (the product's
 * values are derived by hand in programs/csp.ts) and warn exactly once,
 * naming the policy and the switch that silences it.
 */
import { describe, expect, it } from 'vitest';
import { runInChromium } from './page';

interface CspResult {
  wrong: number;
  sigmoidOk: boolean;
  info: { backend: string; wasm: boolean; simd: boolean; reasons: string[] };
}

describe('a page whose CSP refuses WebAssembly', () => {
  it('computes right on the JavaScript kernels and warns once', async () => {
    const { result, warnings } = await runInChromium<CspResult>('csp', {
      'content-security-policy': "script-src 'self'",
    });
    expect(result.wrong).toBe(0);
    expect(result.sigmoidOk).toBe(true);
    expect(result.info).toMatchObject({ backend: 'js', wasm: false, simd: true });
    expect(result.info.reasons).toHaveLength(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^chainrule: WebAssembly compilation was refused .*'wasm-unsafe-eval'.*setBackendWarnings\(false\)/,
    );
  }, 180_000);

  it('the same page allowed wasm-unsafe-eval runs the WebAssembly kernels and says nothing about them', async () => {
    const { result, warnings } = await runInChromium<CspResult>('csp', {
      'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'",
    });
    expect(result.wrong).toBe(0);
    expect(result.info).toMatchObject({ backend: 'wasm', wasm: true, simd: true });
    // Not cross-origin isolated: the only thing lost is threads, said once.
    expect(warnings.filter((w) => /WebAssembly/.test(w))).toEqual([]);
    expect(warnings.length).toBeLessThanOrEqual(1);
  }, 180_000);
});
