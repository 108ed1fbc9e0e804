/**
 * Which kernel set runs: 'wasm' (WebAssembly SIMD, float32 matmul) where it
 * is available, else 'js'. Chosen automatically; `setBackend` forces one.
 */
import { wasmReady } from './wasm';

/** The kernel backends `setBackend` chooses between: plain JavaScript or WebAssembly SIMD. */
export type BackendName = 'js' | 'wasm';

let forced: BackendName | null = null;

/** The backend kernels use now. */
export function activeBackend(): BackendName {
  if (forced !== null) return forced;
  return wasmReady() ? 'wasm' : 'js';
}

/** Forces a backend (null: automatic). Returns false when 'wasm' is asked for but cannot run here. */
export function forceBackend(name: BackendName | null): boolean {
  if (name === 'wasm' && !wasmReady()) return false;
  forced = name;
  return true;
}
