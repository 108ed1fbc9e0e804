/**
 * Evaluating a function of Values for gradcheck. Values hold float64
 * numbers already, so nothing is upcast; each evaluation gets fresh leaves.
 */
import { ArgumentError, Value, noGrad, value } from '../index';
import { formatNumber } from './numbers';
import type { CheckedInput, Evaluation } from './report';

function call(
  op: string,
  f: (...args: never[]) => unknown,
  inputs: readonly unknown[],
  positions: readonly number[],
  data: readonly number[],
) {
  const args = inputs.slice();
  const leaves = positions.map((p, k) => {
    const leaf = value(data[k] as number);
    args[p] = leaf;
    return leaf;
  });
  const out = (f as (...a: unknown[]) => unknown)(...args);
  if (!(out instanceof Value)) {
    throw new ArgumentError(
      op,
      `f must return a Value when its inputs are Values, got ${out === null ? 'null' : typeof out === 'object' ? out.constructor.name : typeof out}`,
    );
  }
  return { out, leaves };
}

/** The engine's derivatives and central differences of f for the Values at `positions`. */
export function evaluateValues(
  op: string,
  f: (...args: never[]) => unknown,
  inputs: readonly unknown[],
  positions: readonly number[],
  eps: number,
): Evaluation {
  const base = positions.map((p) => (inputs[p] as Value).data);
  const { out, leaves } = call(op, f, inputs, positions, base);
  if (out.requiresGrad) out.backward();
  const analytic = leaves.map((leaf) => Float64Array.of(leaf.grad));
  const measure = (k: number, delta: number): [number, number] => {
    const data = base.slice();
    data[k] = (base[k] as number) + delta;
    const step = (data[k] as number) - (base[k] as number);
    return [noGrad(() => call(op, f, inputs, positions, data).out.data), step];
  };
  const numeric = positions.map((_, k) => {
    const [plus, up] = measure(k, eps);
    const [minus, down] = measure(k, -eps);
    return Float64Array.of((plus - minus) / (up - down));
  });
  const described: CheckedInput[] = positions.map((p, k) => ({
    position: p,
    shape: [],
    dtype: 'Value',
    upcast: false,
    text: formatNumber(base[k] as number),
  }));
  return {
    order: 1,
    inputs: described,
    output: { shape: [], dtype: 'Value', cotangent: '1' },
    analytic,
    numeric,
    notes: [],
    oneSided(k) {
      const centre = noGrad(() => call(op, f, inputs, positions, base).out.data);
      const [plus, up] = measure(k, eps);
      const [minus, down] = measure(k, -eps);
      return [(plus - centre) / up, (centre - minus) / -down];
    },
  };
}
