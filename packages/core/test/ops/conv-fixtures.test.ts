/**
 * Convolution, pooling, unfold/fold and padding against PyTorch 1.13: for
 * every case of fixtures/conv.json (made by fixtures/conv.py), chainrule's
 * output, indices and input gradients equal what PyTorch computed on the same
 * inputs, and a case PyTorch refuses chainrule refuses with a ChainruleError
 * naming the op. The inputs are rebuilt here from the formulas conv.py uses.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ChainruleError, gradients, tensor, type Tensor } from '../../src/index';
import fixture from './fixtures/conv.json';

interface InputSpec {
  shape: number[];
  seed?: number;
  pattern?: string;
  data?: number[];
}

interface Case {
  name: string;
  op: string;
  dtype: 'float32' | 'float64';
  inputs: Record<string, InputSpec>;
  args: Record<string, unknown>;
  error?: string;
  out?: { shape: number[]; data: number[] };
  indices?: number[];
  grads?: Record<string, number[]>;
}

const cases = fixture.cases as unknown as Case[];

/** conv.py's `value`: multiples of 1/25 in [-2, 2]. */
const value = (i: number, seed: number) => (((i * 37 + seed * 11) % 101) - 50) / 25;
/** conv.py's `ties`: runs of three 0s and three 1s, so windows hold equal maxima. */
const ties = (i: number, seed: number) => Math.floor(((i * 7 + seed) % 6) / 3);
/** conv.py's `grad_value`: multiples of 1/32 in [-1.5, 1.5]. */
const gradValue = (i: number) => (((i * 53 + 7) % 97) - 48) / 32;

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function build(spec: InputSpec, c: Case, key: string): Tensor {
  if (key === 'indices') return tensor(new Int32Array(spec.data ?? []), { shape: spec.shape });
  const f = spec.pattern === 'ties' ? ties : value;
  const data = Array.from({ length: count(spec.shape) }, (_, i) => f(i, spec.seed ?? 0));
  return tensor(data, { shape: spec.shape, dtype: c.dtype, requiresGrad: true });
}

type Result = Tensor | { values: Tensor; indices: Tensor };
type Loose = (...args: unknown[]) => Result;

/** The chainrule call of each op of the fixture, from the same arguments conv.py passed PyTorch. */
function call(c: Case, t: Record<string, Tensor>): Result {
  const a = c.args;
  const f = (core as unknown as Record<string, Loose>)[c.op];
  if (f === undefined) throw new Error(`conv.json has op '${c.op}', which @chainrule/core does not export`);
  const o = a.options;
  if (c.op === 'unfold') return f(t.x, a.kernelSize, o);
  if (c.op === 'fold') return f(t.x, a.outputSize, a.kernelSize, o);
  if (c.op.startsWith('conv')) return f(t.x, t.weight, t.bias, o);
  if (c.op.startsWith('adaptive')) return f(t.x, a.outputSize);
  if (c.op.startsWith('maxUnpool')) return f(t.x, t.indices, a.kernelSize, o);
  if (c.op === 'pad') return f(t.x, a.pads, o);
  if (c.op === 'interpolate') return f(t.x, o);
  return f(t.x, a.kernelSize, o);
}

describe('convolution, pooling and unfold equal PyTorch 1.13 (fixtures/conv.json)', () => {
  it('the fixture has cases of every kind', () => {
    expect(cases.length).toBeGreaterThan(10);
    expect(cases.some((c) => c.error !== undefined)).toBe(true);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const t: Record<string, Tensor> = {};
    for (const [key, spec] of Object.entries(c.inputs)) t[key] = build(spec, c, key);
    if (c.error !== undefined) {
      let error: unknown;
      try {
        call(c, t);
      } catch (e) {
        error = e;
      }
      expect(error, `PyTorch refused: ${c.error}`).toBeInstanceOf(ChainruleError);
      expect((error as Error).message.startsWith(`${c.op}: `)).toBe(true);
      return;
    }
    const result = call(c, t);
    const out = result instanceof core.Tensor ? result : result.values;
    const expected = c.out as { shape: number[]; data: number[] };
    // float32: PyTorch sums in another order (and sometimes in double), so a few float32 roundings apart.
    const tol = c.dtype === 'float32' ? { rtol: 1e-5, atol: 1e-5 } : { rtol: 1e-12, atol: 1e-12 };
    expect(out.shape).toEqual(expected.shape);
    expect(out.dtype).toBe(c.dtype);
    expect(out.data()).toBeAllClose(expected.data, tol);
    if (c.indices !== undefined) {
      expect(result instanceof core.Tensor ? null : Array.from(result.indices.data())).toEqual(c.indices);
    }
    if (c.grads === undefined) return;
    const keys = Object.keys(c.grads);
    const g = tensor(
      Array.from({ length: count(expected.shape) }, (_, i) => gradValue(i)),
      { shape: expected.shape, dtype: c.dtype },
    );
    const got = gradients(
      out,
      keys.map((k) => t[k] as Tensor),
      { gradOutput: g },
    );
    keys.forEach((k, i) => {
      const grad = got[i] as Tensor;
      expect(grad.shape, `gradient of ${k}`).toEqual((t[k] as Tensor).shape);
      expect(grad.data(), `gradient of ${k}`).toBeAllClose((c.grads as Record<string, number[]>)[k] as number[], tol);
    });
  });
});
