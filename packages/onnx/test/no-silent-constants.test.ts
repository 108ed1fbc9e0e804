/**
 * No op's result may silently become a constant of the exported graph. Every
 * public function of core (the fuzzers' API table, which covers every row of
 * the op tables, the comparisons, the value tests and the bitwise ops) is
 * called on sampled arguments and exported with those tensors as inputs A;
 * the graph then runs in ONNX Runtime on other inputs B of the same shapes
 * and dtypes (A's values in reverse order). Either the export refuses with
 * a typed OnnxExportError, or ONNX Runtime's result on B equals chainrule's
 * on B. An op that escaped the trace would be stored as its result on A.
 */
import { type Tensor as CoreTensor, cumprod, GraphError, gradients, noGrad, Tensor, tensor } from '@chainrule/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { functions, type ApiEntry } from '../../core/test/fuzz/api-table';
import type { Thunk } from '../../core/test/fuzz/arbitraries';
import { bitwiseNames, comparisonNames, opTables, valueTestNames } from '../../core/src/ops/tables';
import { exportOnnx, OnnxExportError } from '../src/index';
import { runOnnxAny } from './runtime-dtypes';

const samples = 6;
// ONNX Runtime's CPU build lacks float64 kernels for many operators (Erf, Tan, Elu, ...): float64 graphs are checked
// in op-mappings.test.ts and the training tests, where the exporter writes float64-capable forms.
const exportable = new Set(['float32', 'int32', 'bool']);

/** A's values in reverse order (the same domain: indices stay in range, logs stay positive). */
function other(t: CoreTensor): CoreTensor {
  const values = t.flatten().toArray() as (number | boolean)[];
  const flipped = values.reverse().map(Number);
  if (values.length === 1 && (t.dtype === 'float32' || t.dtype === 'float64'))
    flipped[0] = (flipped[0] as number) * 1.5;
  return tensor(Float64Array.from(flipped), { dtype: t.dtype, shape: [...t.shape] });
}

/** Where two results differ (null when equal): NaN equals NaN, floats within 1e-4 relative. */
function difference(actual: CoreTensor, expected: CoreTensor): string | null {
  if (actual.shape.join() !== expected.shape.join()) return `shape [${actual.shape}] for [${expected.shape}]`;
  const a = actual.flatten().toArray() as (number | boolean)[];
  const b = expected.flatten().toArray() as (number | boolean)[];
  for (let i = 0; i < a.length; i++) {
    const p = Number(a[i]);
    const q = Number(b[i]);
    if (Number.isNaN(p) && Number.isNaN(q)) continue;
    if (p === q) continue;
    if (Math.abs(p - q) <= 1e-4 * Math.max(1, Math.abs(q))) continue;
    return `element ${i}: ${p} for ${q}`;
  }
  return null;
}

/** The tensors among the arguments (top level and inside arrays), and the call rebuilt from replacements. */
function tensorSlots(args: unknown[]): { tensors: CoreTensor[]; rebuild: (ts: readonly CoreTensor[]) => unknown[] } {
  const tensors: CoreTensor[] = [];
  const seen = new Set<CoreTensor>();
  const walk = (v: unknown): unknown => {
    if (v instanceof Tensor) {
      if (!seen.has(v)) {
        seen.add(v);
        tensors.push(v);
      }
      return v;
    }
    if (Array.isArray(v)) v.forEach(walk);
    return v;
  };
  args.forEach(walk);
  const rebuild = (ts: readonly CoreTensor[]) => {
    const swap = (v: unknown): unknown => {
      if (v instanceof Tensor) return ts[tensors.indexOf(v)];
      if (Array.isArray(v)) return v.map(swap);
      return v;
    };
    return args.map(swap);
  };
  return { tensors, rebuild };
}

interface Outcome {
  /** Samples exported and compared in ONNX Runtime, and samples refused with a typed error. */
  compared: number;
  refused: number;
}

async function check(entry: ApiEntry): Promise<Outcome> {
  const outcome: Outcome = { compared: 0, refused: 0 };
  const draws = fc.sample(fc.tuple(...entry.slots), { numRuns: 40, seed: 23 }) as Thunk[][];
  for (const thunks of draws) {
    if (outcome.compared + outcome.refused >= samples) break;
    const code = `${entry.names[0]}(${thunks.map((t) => t.code).join(', ')})`;
    const args = thunks.map((t) => t.make());
    if (entry.huge?.(args) === true) continue;
    const { tensors, rebuild } = tensorSlots(args);
    if (tensors.length === 0 || !tensors.every((t) => exportable.has(t.dtype) && t.size > 0)) continue;
    const finite = tensors.every((t) => (t.flatten().toArray() as number[]).every((v) => Number.isFinite(Number(v))));
    if (!finite) continue;
    const f = (...ts: CoreTensor[]) => entry.call(rebuild(ts)) as CoreTensor;
    let result: unknown;
    try {
      result = noGrad(() => f(...tensors.map((t) => t.detach())));
    } catch {
      continue; // arguments the op refuses
    }
    if (!(result instanceof Tensor) || !exportable.has(result.dtype)) continue;
    const bs = tensors.map(other);
    let expected: CoreTensor;
    try {
      expected = f(...bs);
    } catch {
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = exportOnnx(f, tensors, { inputNames: tensors.map((_, i) => `x${i}`), outputNames: ['y'] });
    } catch (e) {
      if (e instanceof OnnxExportError || (e instanceof GraphError && /cannot be traced for export/.test(e.message))) {
        outcome.refused++;
        continue;
      }
      throw new Error(`${code}: export threw ${String(e)}`);
    }
    let y: CoreTensor;
    try {
      const out = await runOnnxAny(bytes, Object.fromEntries(bs.map((t, i) => [`x${i}`, t])));
      y = out.y as CoreTensor;
    } catch (e) {
      throw new Error(`${code}: ONNX Runtime refused the exported graph: ${String(e)}`);
    }
    const diff = difference(y, expected);
    expect(diff, `${code} exported, then run on other inputs`).toBeNull();
    outcome.compared++;
  }
  return outcome;
}

/** Rows that only a backward pass applies: each reached by the gradient of a public op, with createGraph. */
const backwardOnly: Record<string, (x: CoreTensor) => CoreTensor> = {
  // slice's backward pads the gradient back to the input's shape.
  padSlice: (x) =>
    x
      .slice(1, 1, 3)
      .mul(x.slice(1, 1, 3))
      .sum(),
  // cumprod's gradient is a linear recurrence.
  linearScan: (x) => cumprod(x, 1).sum(),
  // Basic indexing's backward writes the gradient where the view looked.
  indexBackward: (x) => x.index([1]).square().sum(),
};

describe('no op result of a backward pass becomes a constant', () => {
  it.each(Object.keys(backwardOnly))('%s', async (name) => {
    const loss = backwardOnly[name] as (x: CoreTensor) => CoreTensor;
    const gradient = (x: CoreTensor) => gradients(loss(x), [x], { createGraph: true })[0] as CoreTensor;
    const a = tensor(
      [
        [0.5, -1, 2, 0.25],
        [1.5, 0.75, -0.5, 2],
      ],
      { requiresGrad: true },
    );
    const b = tensor(
      [
        [1, 2, -0.5, 0.5],
        [-1, 0.25, 1.25, 3],
      ],
      { requiresGrad: true },
    );
    let bytes: Uint8Array;
    try {
      bytes = exportOnnx(gradient, [a], { inputNames: ['x'], outputNames: ['y'] });
    } catch (e) {
      // Refused with a typed error (naming this op, or a forward op before it): no constant was written.
      expect(e).toBeInstanceOf(OnnxExportError);
      return;
    }
    const { y } = await runOnnxAny(bytes, { x: b.detach() });
    expect(difference(y as CoreTensor, gradient(b).detach())).toBeNull();
  });
});

describe('no op result becomes a constant of the exported graph', () => {
  it('the API table holds every op-table row, comparison, value test and bitwise op', () => {
    const names = new Set([...functions.flatMap((e) => e.names), ...Object.keys(backwardOnly)]);
    const rows = [
      ...Object.values(opTables).flatMap((t) => Object.keys(t)),
      ...comparisonNames,
      ...valueTestNames,
      ...bitwiseNames,
    ];
    expect(rows.filter((n) => !names.has(n))).toEqual([]);
  });

  it.each(functions.map((e, i) => [`${e.names[0]} #${i}`, e] as const))('%s', async (_title, entry) => {
    await check(entry);
  });
});
