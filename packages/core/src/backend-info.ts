/** What the kernels found in this runtime, and the switch for the warning printed when speed is lost. */
import { ArgumentError, safeString } from './errors';
import { activeBackend, type BackendName } from './kernels/backend-choice';
import { kernelBuild, loadWasm, threadCount, wasmStatus, workerPool } from './kernels/wasm';
import { enableBackendWarnings, lostSpeedReasons } from './kernels/wasm-environment';

/** What {@link backendInfo} reports. */
export interface BackendInfo {
  /** The kernel set in use ({@link getBackend}). */
  backend: BackendName;
  /** The WebAssembly kernels compiled and run here. */
  wasm: boolean;
  /** The runtime's WebAssembly has SIMD (the WebAssembly kernels need it). */
  simd: boolean;
  /** The kernels use relaxed-SIMD fused multiply-adds (false where the runtime lacks them or this build has none). */
  relaxedSimd: boolean;
  /** The kernels run on memory shared with worker threads (Node; a cross-origin-isolated browser page). */
  sharedMemory: boolean;
  /** A worker pool exists, so large products and convolutions can use more than one thread. */
  threads: boolean;
  /** The threads a large product may use now ({@link getNumThreads}). */
  numThreads: number;
  /** Why speed is lost here, one sentence each (empty when nothing is): the same text as the warning. */
  reasons: string[];
}

/**
 * Reports which fast paths this runtime gives chainrule's kernels, and why
 * any is missing: WebAssembly refused by a page's Content-Security-Policy,
 * no SIMD, no shared memory (a page that is not cross-origin isolated), no
 * worker threads. Starts the kernels if they have not started yet. The
 * first time a slower path is taken chainrule also says so once with
 * `console.warn`; {@link setBackendWarnings} turns that off.
 *
 * @example
 * const info = backendInfo();
 * if (!info.wasm) console.log(info.reasons.join('\n'));
 */
export function backendInfo(): BackendInfo {
  const status = wasmStatus();
  return {
    backend: activeBackend(),
    wasm: status.wasm,
    simd: status.simd,
    relaxedSimd: status.wasm && kernelBuild() === 'relaxed-simd',
    sharedMemory: status.sharedMemory,
    threads: workerPool() !== null,
    numThreads: threadCount(),
    reasons: lostSpeedReasons(),
  };
}

/**
 * Turns on or off (it is on by default) the one `console.warn` chainrule
 * prints per process or page when it takes a slower path: JavaScript kernels
 * because WebAssembly or its SIMD is unavailable, or one thread because
 * shared memory or worker threads are. {@link backendInfo} still lists the
 * reasons when it is off.
 *
 * @example
 * setBackendWarnings(false); // this page is served without COOP/COEP on purpose
 */
export function setBackendWarnings(on: boolean): void {
  if (typeof on !== 'boolean') {
    throw new ArgumentError('setBackendWarnings', `expected true or false, got ${safeString(on)}`);
  }
  enableBackendWarnings(on);
}

/**
 * Loads and starts the WebAssembly kernels, resolving to {@link backendInfo}
 * once they run (or are known not to run here). The kernels live in a module
 * of their own that chainrule imports on the first call that could use them,
 * so that a bundle which never does (only `Value`s, only small tensors)
 * leaves them out; until it has arrived those calls run the JavaScript
 * kernels, which are correct but slower and may differ from the WebAssembly
 * ones in the last bits of a float32 sum. Await `ready()` once at startup
 * for full speed and the same bits from the first call on.
 *
 * @example
 * await ready();
 * const y = x.matmul(w); // on the WebAssembly kernels from the first call
 */
export async function ready(): Promise<BackendInfo> {
  await loadWasm();
  return backendInfo();
}
