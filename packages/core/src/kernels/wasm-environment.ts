/**
 * What the runtime offers the WebAssembly kernels (WebAssembly itself, SIMD,
 * shared memory, worker threads), what the kernels found when they started,
 * and the one warning chainrule prints when a slower path is taken because
 * of it. The environment is read from the global scope; tests inject one
 * that lacks a feature (`setWasmEnvironment`) before the kernels start.
 */
import { coreCount, threadsAvailable } from './wasm-threads';

/** The parts of the runtime the kernels depend on. */
export interface WasmEnvironment {
  /** The WebAssembly namespace, or undefined where the runtime has none. */
  WebAssembly: typeof WebAssembly | undefined;
  /** Whether memory can be shared between threads (SharedArrayBuffer and Atomics; in a browser, a cross-origin-isolated page). */
  sharedMemory: boolean;
  /** Whether worker threads can be started on that memory (worker_threads, or Web Workers in an isolated page). */
  workers: boolean;
  /** Cores the runtime reports (Node's os, a browser's navigator.hardwareConcurrency). */
  cores: number;
}

function hostEnvironment(): WasmEnvironment {
  const g = globalThis as { WebAssembly?: typeof WebAssembly; crossOriginIsolated?: boolean };
  const shared =
    typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && g.crossOriginIsolated !== false;
  return { WebAssembly: g.WebAssembly, sharedMemory: shared, workers: threadsAvailable(), cores: coreCount() };
}

let injected: Partial<WasmEnvironment> | null = null;

/** The environment in force: the host's, with whatever a test injected. */
export function wasmEnvironment(): WasmEnvironment {
  return { ...hostEnvironment(), ...injected };
}

/** @internal Test hook: the kernels see `env` (null: the host) when they next start; call before any kernel runs. */
export function injectWasmEnvironment(env: Partial<WasmEnvironment> | null): void {
  injected = env;
}

// A module of one function returning i8x16.splat(0): valid exactly where WebAssembly has SIMD.
const simdProbe = new Uint8Array([
  0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7b, 3, 2, 1, 0, 0x0a, 8, 1, 6, 0, 0x41, 0, 0xfd, 0x0f, 0x0b,
]);

/** Whether `wasm` validates SIMD instructions (validation compiles nothing, so a CSP does not refuse it). */
export function hasSimd(wasm: typeof WebAssembly | undefined): boolean {
  try {
    return wasm?.validate(simdProbe) === true;
  } catch {
    return false;
  }
}

/** Why speed is lost here, one sentence each; filled as the kernels start and run. */
const reasons: string[] = [];
let warningsOn = true;
let warned = false;

/** Turns the speed warning on or off (on by default). */
export function enableBackendWarnings(on: boolean): void {
  warningsOn = on;
}

/** The reasons recorded so far (a copy). */
export function lostSpeedReasons(): string[] {
  return [...reasons];
}

const silence = 'setBackendWarnings(false) silences this warning';

/**
 * Records why a slower path is taken and, the first time in this process or
 * page, says so with console.warn: one warning, however many reasons follow.
 */
export function speedLost(reason: string): void {
  if (reasons.includes(reason)) return;
  reasons.push(reason);
  if (!warningsOn || warned) return;
  warned = true;
  const console_ = (globalThis as { console?: { warn?: (...args: unknown[]) => void } }).console;
  console_?.warn?.(`chainrule: ${reason} (backendInfo() lists every reason; ${silence})`);
}
