/**
 * Per-element optimizer updates on raw arrays, for optimizer libraries
 * (@chainrule/optim uses them). An optimizer's update is one loop over every
 * parameter element, and in plain JavaScript that loop was a large share of a
 * small network's training step; these run it in WebAssembly SIMD where the
 * wasm kernels are in use, bit for bit as the JavaScript loop would.
 */
import { ArgumentError, safeString } from './errors';
import { activeBackend } from './kernels/backend-choice';
import { wasmAdam, type AdamUpdateArrays } from './kernels/wasm';

export type { AdamUpdateArrays };

/** Below this many elements the copies into and out of wasm memory cost more than they save. */
const fusedFrom = 1024;

/** The constants of one Adam step for one parameter group. */
export interface AdamUpdateConstants {
  /** -1 to ascend (maximize), else 1. */
  sign: number;
  /** L2 penalty added to the gradient (Adam's weight decay; 0 for AdamW). */
  l2: number;
  /** Factor applied to p first (AdamW: 1 - lr·weightDecay; 1 for Adam). */
  shrink: number;
  beta1: number;
  beta2: number;
  /** lr / (1 - β1^t). */
  stepSize: number;
  /** √(1 - β2^t). */
  bc2Sqrt: number;
  eps: number;
}

/**
 * One Adam step over float32 arrays, in float64 arithmetic with each stored
 * value rounded once to float32:
 *
 *   d = sign·g + l2·p;  p = shrink·p;  m = β1·m + (1-β1)·d;  v = β2·v + (1-β2)·d·d;
 *   s = v (or vmax = max(vmax, v), s = vmax);  p = p - stepSize·m / (√s / bc2Sqrt + eps)
 *
 * Returns true when it updated the arrays, false (having changed nothing)
 * when the WebAssembly kernels are not in use, n is small, or the module's
 * memory cannot hold the arrays: the caller then runs the same update in its
 * own loop.
 *
 * @example
 * if (!adamUpdateF32({ p, po: 0, g, go: 0, m, v, vmax: null, n: p.length }, constants)) runLoop();
 */
export function adamUpdateF32(a: AdamUpdateArrays, c: AdamUpdateConstants): boolean {
  checkArrays(a);
  checkConstants(c);
  if (a.n < fusedFrom || activeBackend() !== 'wasm') return false;
  return wasmAdam(a, c.sign, c.l2, c.shrink, c.beta1, c.beta2, c.stepSize, c.bc2Sqrt, c.eps);
}

function checkArrays(a: AdamUpdateArrays): void {
  const op = 'adamUpdateF32';
  if (a === null || typeof a !== 'object')
    throw new ArgumentError(op, `expected an object of arrays { p, po, g, go, m, v, vmax, n }, got ${safeString(a)}`);
  const { p, po, g, go, m, v, vmax, n } = a;
  if (!Number.isInteger(n) || n < 0)
    throw new ArgumentError(op, `n must be a non-negative integer, got ${safeString(n)}`);
  const fits = (name: string, x: unknown, from: unknown) => {
    if (!(x instanceof Float32Array))
      throw new ArgumentError(op, `${name} must be a Float32Array, got ${safeString(x)}`);
    if (!Number.isInteger(from) || (from as number) < 0 || (from as number) + n > x.length) {
      throw new ArgumentError(
        op,
        `${name} holds ${x.length} elements; it must hold n = ${n} from index ${safeString(from)}`,
      );
    }
  };
  fits('p', p, po);
  fits('g', g, go);
  fits('m', m, 0);
  fits('v', v, 0);
  if (vmax !== null) fits('vmax', vmax, 0);
}

function checkConstants(c: AdamUpdateConstants): void {
  const op = 'adamUpdateF32';
  if (c === null || typeof c !== 'object')
    throw new ArgumentError(
      op,
      `expected constants { sign, l2, shrink, beta1, beta2, stepSize, bc2Sqrt, eps }, got ${safeString(c)}`,
    );
  for (const key of ['sign', 'l2', 'shrink', 'beta1', 'beta2', 'stepSize', 'bc2Sqrt', 'eps'] as const) {
    if (typeof c[key] !== 'number')
      throw new ArgumentError(op, `constants.${key} must be a number, got ${safeString(c[key])}`);
  }
}
