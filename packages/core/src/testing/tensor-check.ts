/**
 * Evaluating a function of Tensors for gradcheck: the engine's
 * vector-Jacobian product against central differences, both on float64
 * copies of the checked inputs, and the function whose gradient
 * gradgradcheck checks (the engine's first derivatives, recorded).
 */
import {
  ArgumentError,
  Generator,
  Tensor,
  enableGrad,
  gradients,
  noGrad,
  onesLike,
  randn,
  tensor,
  zeros,
} from '../index';
import { formatValues } from './numbers';
import { formatShape } from '../internal/index';
import type { CheckedInput, Evaluation } from './report';

/** The arguments of f with float64 leaf copies in the checked positions. */
export interface Prepared {
  args: unknown[];
  leaves: Tensor[];
  inputs: CheckedInput[];
}

/** Copies the checked tensors into float64 leaves that require grad. */
export function prepareTensors(inputs: readonly unknown[], positions: readonly number[]): Prepared {
  const args = inputs.slice();
  const leaves: Tensor[] = [];
  const described: CheckedInput[] = [];
  for (const p of positions) {
    const t = inputs[p] as Tensor;
    const leaf = tensor(Float64Array.from(t.data()), { shape: t._shape, dtype: 'float64', requiresGrad: true });
    args[p] = leaf;
    leaves.push(leaf);
    described.push({
      position: p,
      shape: t._shape,
      dtype: t.dtype,
      upcast: t.dtype === 'float32',
      text: shortText(leaf),
    });
  }
  return { args, leaves, inputs: described };
}

function shortText(t: Tensor): string {
  if (t.size > 60) return `(${t.size} elements)`;
  return t.ndim === 0 ? formatValues(t.data(), []) : formatValues(t.data(), t._shape);
}

/** Calls f and checks that it returned a floating Tensor. */
export function callTensorFunction(op: string, f: (...args: never[]) => unknown, args: readonly unknown[]): Tensor {
  const out = (f as (...a: unknown[]) => unknown)(...args);
  if (!(out instanceof Tensor)) {
    throw new ArgumentError(
      op,
      `f must return a Tensor when its inputs are Tensors, got ${out === null ? 'null' : typeof out === 'object' ? out.constructor.name : typeof out}`,
    );
  }
  if (out.dtype !== 'float32' && out.dtype !== 'float64') {
    throw new ArgumentError(
      op,
      `f returned a ${out.dtype} tensor, which has no gradient; return a float32 or float64 tensor`,
    );
  }
  return out;
}

/** The cotangent of f's output: 1 for a one-element output, else standard normal draws from `seed`. */
export function cotangentFor(out: Tensor, generator: Generator, seed: number): { v: Tensor; text: string } {
  if (out.size === 1) return { v: onesLike(out, { dtype: 'float64' }), text: '1' };
  return {
    v: randn(out._shape as number[], { dtype: 'float64', generator }),
    text: `a random normal cotangent (seed ${seed})`,
  };
}

function dot(v: Float64Array, out: Tensor): number {
  const values = out.data();
  let total = 0;
  for (let i = 0; i < values.length; i++) total += (v[i] as number) * (values[i] as number);
  return total;
}

/** The engine's derivatives and central differences of ⟨v, f⟩ for the prepared leaves. */
export function evaluateTensors(
  op: string,
  f: (...args: never[]) => unknown,
  prepared: Prepared,
  eps: number,
  seed: number,
  order: 1 | 2,
): Evaluation {
  const { args, leaves } = prepared;
  const out = enableGrad(() => callTensorFunction(op, f, args));
  const { v, text } = cotangentFor(out, new Generator(seed), seed);
  const grads = out.requiresGrad ? gradients(out, leaves, { gradOutput: v.to(out.dtype) }) : leaves.map(() => null);
  const analytic = grads.map((g, k) =>
    g === null ? new Float64Array((leaves[k] as Tensor).size) : Float64Array.from(g.data()),
  );
  const vData = v.data() as Float64Array;
  const measure = () =>
    dot(
      vData,
      noGrad(() => callTensorFunction(op, f, args)),
    );
  const shifted = (k: number, j: number, delta: number): [number, number] => {
    const buffer = (leaves[k] as Tensor).buffer;
    const x = buffer[j] as number;
    buffer[j] = x + delta;
    const step = (buffer[j] as number) - x;
    try {
      return [measure(), step];
    } finally {
      buffer[j] = x;
    }
  };
  const numeric = leaves.map((leaf, k) => {
    const values = new Float64Array(leaf.size);
    for (let j = 0; j < leaf.size; j++) {
      const [plus, up] = shifted(k, j, eps);
      const [minus, down] = shifted(k, j, -eps);
      values[j] = (plus - minus) / (up - down);
    }
    return values;
  });
  const notes: string[] = [];
  if (out.dtype === 'float32') {
    notes.push(
      "f returned a float32 tensor although its checked inputs were float64: part of f computes in float32 (a float32 constant or parameter, or .to('float32')), " +
        'so the finite differences carry float32 rounding noise; use float64 throughout f, or loosen atol/rtol',
    );
  }
  return {
    order,
    inputs: prepared.inputs,
    output: { shape: out._shape, dtype: out.dtype, cotangent: text },
    analytic,
    numeric,
    notes,
    oneSided(k, j) {
      const base = measure();
      const [plus, up] = shifted(k, j, eps);
      const [minus, down] = shifted(k, j, -eps);
      return [(plus - base) / up, (base - minus) / -down];
    },
  };
}

/**
 * For gradgradcheck: the scalar ⟨u, ∇ₓ⟨v, f⟩⟩, computed by the engine with
 * its backward recorded, so that its own gradient (checked by gradcheck) is
 * the engine's second derivative along u.
 */
export function firstDerivativeFunction(
  op: string,
  f: (...args: never[]) => unknown,
  prepared: Prepared,
  positions: readonly number[],
  seed: number,
): { g: (...args: unknown[]) => Tensor; output: Evaluation['output'] } {
  const generator = new Generator(seed);
  const probe = enableGrad(() => callTensorFunction(op, f, prepared.args));
  const { v, text } = cotangentFor(probe, generator, seed);
  const u = prepared.leaves.map((leaf) => randn(leaf._shape as number[], { dtype: 'float64', generator }));
  const g = (...args: unknown[]) =>
    enableGrad(() => {
      const leaves = positions.map((p) => args[p] as Tensor);
      const out = callTensorFunction(op, f, args);
      if (!out.requiresGrad) return zeros([], { dtype: 'float64' });
      const grads = gradients(out, leaves, { gradOutput: v.to(out.dtype), createGraph: true });
      let total = zeros([], { dtype: 'float64' });
      grads.forEach((gk, k) => {
        if (gk !== null) total = total.add(gk.mul(u[k] as Tensor).sum());
      });
      return total;
    });
  return {
    g,
    output: { shape: probe._shape, dtype: probe.dtype, cotangent: `v = ${text}; u: random normal (seed ${seed})` },
  };
}

/** Throws unless every element of a tensor input is finite (finite differences need that). */
export function checkFinite(op: string, t: Tensor, position: number): void {
  const values = t.data();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i] as number)) {
      throw new ArgumentError(
        op,
        `input ${position} (shape ${formatShape(t._shape)}) holds ${values[i]} at element ${i}; every checked element must be finite`,
      );
    }
  }
}
