/** Choosing between the JavaScript and WebAssembly kernel sets. */
import { ArgumentError } from './autograd/errors';
import { activeBackend, forceBackend, type BackendName } from './kernels/backend';

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
    throw new ArgumentError('setBackend', `unknown backend ${JSON.stringify(name)}; expected 'js', 'wasm' or null (automatic)`);
  }
  if (!forceBackend(name)) {
    throw new ArgumentError('setBackend', "the 'wasm' backend cannot run here (no WebAssembly SIMD support); use 'js'");
  }
}

/** The kernel set in use: 'wasm' or 'js'. */
export function getBackend(): BackendName {
  return activeBackend();
}
