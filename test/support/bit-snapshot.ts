/**
 * Bit-exact copies of tensors, for tests that show a refused call changed
 * nothing: values compared as their bytes, so -0 differs from 0 and one NaN
 * payload from another, which `toEqual` on numbers or `String(v)` would not
 * notice. Shared by nn's and optim's atomicity tests.
 */
import { Tensor } from '@chainrule/core';

/** A tensor's dtype, shape and the bytes of its elements in row-major order, as one string. */
export function tensorBits(t: Tensor): string {
  const data = t.data();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return `${t.dtype}[${t.shape.join(',')}]:${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** {@link tensorBits} of a value that may be a tensor; anything else as JSON (null, numbers, absent). */
export function bitsOf(x: unknown): string {
  return x instanceof Tensor ? tensorBits(x) : (JSON.stringify(x) ?? 'undefined');
}
