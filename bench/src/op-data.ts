/** The inputs of the op cases (cases.ts), the same numbers for every engine. */
import type { OpCase } from './cases';
import { uniformArray } from './data';

export interface OpInputs {
  /** The first operand, of the case's shape. */
  x: Float32Array;
  /** The second operand of the batched products (einsum, bmm), of the same shape. */
  y: Float32Array;
  /** scatterAdd's target positions, one per element of x, in [0, n). */
  index: Int32Array;
}

export function opInputs(c: OpCase): OpInputs {
  const n = c.shape.reduce((a, b) => a * b, 1);
  // gelu, erf and silu over [-4, 4], where all their branches run; prod of values near 1, so that the
  // product of a million neither overflows nor sinks into subnormals (slow on x86 in every engine).
  const x =
    c.op === 'prod'
      ? uniformArray(n, 31, 1e-3).map((v) => 1 + v)
      : uniformArray(n, 29, c.op === 'gelu' || c.op === 'erf' || c.op === 'silu' ? 4 : 1);
  const y = c.op === 'einsum' || c.op === 'bmm' ? uniformArray(n, 37) : new Float32Array(0);
  const index = new Int32Array(c.op === 'scatterAdd' ? n : 0);
  if (c.op === 'scatterAdd') {
    const u = uniformArray(n, 41);
    for (let i = 0; i < n; i++) index[i] = Math.min(n - 1, Math.floor((((u[i] as number) + 1) / 2) * n));
  }
  return { x, y, index };
}
