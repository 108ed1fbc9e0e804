/**
 * backendInfo() and the slow-path warning (issue 20, item 2), in Node with a
 * runtime made to lack a feature: the environment the kernels read is
 * injected before they start (each case loads core afresh), and every case
 * checks that the answers stay right on the slower path.
 *
 * The products' expected values are derived by hand: with A[i][p] = i + 1
 * and B[p][j] = j (p < k), C[i][j] = Σ_p (i + 1)·j = k·(i + 1)·j, every term
 * and partial sum an integer below 2^24, so exact in float32 in any order.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

type Core = typeof import('../../src/index');
type Env = typeof import('../../src/kernels/wasm-environment');

/** core and its environment hook, loaded afresh with `env` injected (null: the host's). */
async function freshCore(env: Parameters<Env['injectWasmEnvironment']>[0], waitForKernels = true): Promise<Core> {
  vi.resetModules();
  const hook = (await import('../../src/kernels/wasm-environment')) as Env;
  hook.injectWasmEnvironment(env);
  const core = (await import('../../src/index')) as Core;
  if (waitForKernels) await core.ready();
  return core;
}

function product(core: Core, m: number, k: number, n: number): void {
  const a = core.tensor(
    Float32Array.from({ length: m * k }, (_, i) => Math.floor(i / k) + 1),
    { shape: [m, k] },
  );
  const b = core.tensor(
    Float32Array.from({ length: k * n }, (_, i) => i % n),
    { shape: [k, n] },
  );
  const c = a.matmul(b).data() as Float32Array;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      if (c[i * n + j] !== k * (i + 1) * j)
        throw new Error(`C[${i}][${j}] = ${c[i * n + j]}, expected ${k * (i + 1) * j}`);
    }
  }
}

/** A WebAssembly namespace like the host's whose compilation is refused, as a page's CSP refuses it. */
function refusingWasm(): typeof WebAssembly {
  const refused = function Module() {
    throw new WebAssembly.CompileError('WebAssembly.Module(): Wasm code generation disallowed by embedder');
  };
  return { ...WebAssembly, validate: WebAssembly.validate, Module: refused } as unknown as typeof WebAssembly;
}

let warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
afterEach(() => {
  warn.mockRestore();
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});

describe('the kernels load lazily', () => {
  it('until they arrive the JavaScript kernels answer (rightly); ready() brings the WebAssembly ones', async () => {
    const core = await freshCore(null, false);
    expect(core.getBackend()).toBe('js');
    expect(() => core.setBackend('wasm')).toThrow(/^setBackend: the 'wasm' kernels are still loading/);
    product(core, 256, 256, 256);
    const info = await core.ready();
    expect(info).toMatchObject({ backend: 'wasm', wasm: true });
    expect(core.getBackend()).toBe('wasm');
    product(core, 256, 256, 256);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('backendInfo and the slow-path warning', () => {
  it('reports every fast path on this Node, with no reason and no warning', async () => {
    const core = await freshCore(null);
    product(core, 256, 256, 256);
    const info = core.backendInfo();
    expect(info).toMatchObject({ backend: 'wasm', wasm: true, simd: true, sharedMemory: true, threads: true });
    expect(info.reasons).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('without WebAssembly: the JavaScript kernels, right answers, and one warning naming the reason and the switch', async () => {
    const core = await freshCore({ WebAssembly: undefined });
    product(core, 64, 64, 64);
    product(core, 256, 256, 256);
    core.tensor(new Float32Array(4096).fill(0)).sigmoid();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /^chainrule: WebAssembly is not available in this runtime, so chainrule runs its JavaScript kernels.*setBackendWarnings\(false\)/,
    );
    const info = core.backendInfo();
    expect(info).toMatchObject({ backend: 'js', wasm: false, simd: false, sharedMemory: false, threads: false });
    expect(info.numThreads).toBe(1);
    expect(info.reasons).toHaveLength(1);
    expect(() => core.setBackend('wasm')).toThrow(core.ArgumentError);
  });

  it('with compilation refused (a CSP without wasm-unsafe-eval): says which policy to change', async () => {
    const core = await freshCore({ WebAssembly: refusingWasm() });
    product(core, 64, 64, 64);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/disallowed by embedder.*'wasm-unsafe-eval'/);
    expect(core.backendInfo()).toMatchObject({ backend: 'js', wasm: false, simd: true });
  });

  it('without SIMD: the JavaScript kernels, and the reason', async () => {
    const noSimd = { ...WebAssembly, validate: () => false } as unknown as typeof WebAssembly;
    const core = await freshCore({ WebAssembly: noSimd });
    product(core, 64, 64, 64);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/WebAssembly has no SIMD/);
    expect(core.backendInfo()).toMatchObject({ wasm: false, simd: false });
  });

  it('without shared memory: one thread on a large product, said once, and how to get threads', async () => {
    const core = await freshCore({ sharedMemory: false, cores: 4 });
    product(core, 64, 64, 64); // below the threading bound: nothing lost yet
    expect(warn).not.toHaveBeenCalled();
    product(core, 256, 256, 256);
    product(core, 256, 256, 256);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /shared memory is unavailable.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.*one of 4 cores/,
    );
    const info = core.backendInfo();
    expect(info).toMatchObject({ wasm: true, simd: true, sharedMemory: false, threads: false, numThreads: 1 });
  });

  it('asks for no warning when the user chose one thread, or on one core', async () => {
    let core = await freshCore({ sharedMemory: false, cores: 4 });
    core.setNumThreads(1);
    product(core, 256, 256, 256);
    core = await freshCore({ sharedMemory: false, cores: 1 });
    product(core, 256, 256, 256);
    expect(warn).not.toHaveBeenCalled();
  });

  it('setBackendWarnings(false) silences the warning; backendInfo still gives the reason', async () => {
    const core = await freshCore({ WebAssembly: undefined }, false);
    core.setBackendWarnings(false);
    await core.ready();
    product(core, 64, 64, 64);
    expect(warn).not.toHaveBeenCalled();
    expect(core.backendInfo().reasons[0]).toMatch(/WebAssembly is not available/);
    expect(() => core.setBackendWarnings('no' as unknown as boolean)).toThrow(
      /^setBackendWarnings: expected true or false, got/,
    );
  });
});
