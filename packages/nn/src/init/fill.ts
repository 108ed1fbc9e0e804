/**
 * What every initializer shares: the check of the tensor to fill, the checks
 * of its numbers, and the one way a tensor is written (under noGrad, in
 * place, from float64 values).
 */
import { ArgumentError, DTypeError, Tensor, noGrad, tensor, type Generator } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';

/** Options of the random initializers (the generator to draw from). */
export interface RandomInitOptions {
  /** The random stream to draw from (default: the global generator). */
  generator?: Generator;
}

/** Throws unless `t` is a float32 or float64 Tensor (the only dtypes an initializer fills). */
export function checkTarget(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `expected a Tensor to fill, got ${describeValue(t)}`);
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new DTypeError(op, `can only fill float32 or float64 tensors, got ${t.dtype}`);
  }
  return t;
}

export function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new ArgumentError(op, `${name} must be a finite number, got ${describeValue(v)}`);
  return v;
}

export function nonNegative(op: string, name: string, v: unknown): number {
  const x = finite(op, name, v);
  if (x < 0) throw new ArgumentError(op, `${name} must be ≥ 0, got ${x}`);
  return x;
}

/** Writes `values` (row-major, t.size of them) into `t` in place, outside the graph. */
export function writeValues(t: Tensor, values: Float64Array): Tensor {
  noGrad(() => t.copyFrom(tensor(values, { shape: t.shape })));
  return t;
}

/** Fills `t` with one `draw()` per element, in row-major order. */
export function fillWith(t: Tensor, draw: () => number): Tensor {
  const values = new Float64Array(t.size);
  for (let i = 0; i < values.length; i++) values[i] = draw();
  return writeValues(t, values);
}

/** `o` with the generator of `from`, when one was given. */
export function withGenerator<T extends object>(o: T, from: RandomInitOptions): T & RandomInitOptions {
  return from.generator === undefined ? o : { ...o, generator: from.generator };
}
