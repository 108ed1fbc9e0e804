/** Choosing between the JavaScript and WebAssembly kernel sets. */
import { ArgumentError, safeJson, safeString } from './errors';
import { activeBackend, forceBackend, type BackendName } from './kernels/backend-choice';
import { limitThreads, maxThreads, threadCount, wasmLoading } from './kernels/wasm';

export type { BackendName };

/**
 * Forces the kernel set: 'wasm' (WebAssembly SIMD, used for float32 matrix
 * products) or 'js' (plain JavaScript, the reference). By default chainrule
 * uses 'wasm' where the runtime supports WebAssembly SIMD; `setBackend(null)`
 * returns to that automatic choice.
 *
 * @example
 * setBackend('js'); // e.g. to compare results or timings with the reference kernels
 */
export function setBackend(name: BackendName | null): void {
  if (name !== null && name !== 'js' && name !== 'wasm') {
    throw new ArgumentError(
      'setBackend',
      `unknown backend ${safeJson(name)}; expected 'js', 'wasm' or null (automatic)`,
    );
  }
  if (!forceBackend(name)) {
    if (wasmLoading()) {
      throw new ArgumentError(
        'setBackend',
        "the 'wasm' kernels are still loading; call it after `await ready()`, or use null (automatic) or 'js'",
      );
    }
    throw new ArgumentError('setBackend', "the 'wasm' backend cannot run here (no WebAssembly SIMD support); use 'js'");
  }
}

/** The kernel set in use: 'wasm' or 'js'. */
export function getBackend(): BackendName {
  return activeBackend();
}

/**
 * Caps the threads a large float32 matrix product may use, this one
 * included. By default chainrule uses every core in Node (worker threads
 * sharing the WebAssembly kernels' memory) and in a cross-origin-isolated
 * browser page (Web Workers, started on the first large product and used
 * once they are ready); elsewhere one thread;
 * `setNumThreads(1)` keeps all work on the calling thread, and a number
 * above the core count starts more workers (at most 64 threads in all).
 * Each row of a product is computed by one thread, so results do not depend
 * on the number of threads.
 *
 * @example
 * setNumThreads(2); // leave the other cores to the rest of the application
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ArgumentError('setNumThreads', `expected a positive integer, got ${safeString(n)}`);
  }
  if (n > maxThreads) {
    throw new ArgumentError('setNumThreads', `at most ${maxThreads} threads, got ${n}`);
  }
  limitThreads(n);
}

/** The number of threads a large product may run on (1 where threads are unavailable or disabled). */
export function getNumThreads(): number {
  return threadCount();
}
