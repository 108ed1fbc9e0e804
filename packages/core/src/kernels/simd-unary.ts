/**
 * Where an elementwise unary kernel runs: the WebAssembly SIMD twin for
 * large contiguous float32 data when the wasm backend is active, the
 * JavaScript row kernel otherwise.
 */
import type { NumArray } from './arrays';
import { activeBackend } from './backend-choice';
import { simdTwins, type UnaryRow } from './unary';
import { wasmElementwise } from './wasm';

/** Below this many elements the copies into and out of wasm memory cost more than they save. */
export const simdFrom = 256;

/**
 * Runs `row` over n contiguous elements with the SIMD twin when there is one
 * and it pays; returns false (having done nothing) otherwise.
 */
export function contiguousUnary(row: UnaryRow, x: NumArray, xOffset: number, out: NumArray, n: number): boolean {
  const twin = simdTwins.get(row);
  if (twin === undefined || n < simdFrom || !(x instanceof Float32Array) || !(out instanceof Float32Array))
    return false;
  if (activeBackend() !== 'wasm') return false;
  return wasmElementwise(twin, x, xOffset, out, 0, n);
}
