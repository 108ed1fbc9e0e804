/**
 * When the WebAssembly module's memory cannot grow to hold an operation's
 * arrays (past its maximum, or out of memory), the wasm kernels touch
 * nothing and report it, and the JavaScript kernels do the work. The limit is
 * lowered here so the fallback can be reached without gigabytes of data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { addInPlace, matmul, sigmoid, tensor } from '../../src/index';
import { adamUpdateF32 } from '../../src/internal/index';
import { setWasmMemoryLimit, wasmAddScaled, wasmGemm, wasmReady } from '../../src/kernels/wasm';
import { gemmDirect } from '../../src/kernels/matmul';

const values = (n: number, seed: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(seed + i));

afterEach(() => setWasmMemoryLimit(Infinity));

describe('when module memory cannot hold the operands', () => {
  it('the wasm kernels return false and write nothing', () => {
    expect(wasmReady()).toBe(true);
    setWasmMemoryLimit(0);
    const A = { data: values(40 * 30, 1), offset: 0, rowStride: 30, colStride: 1 };
    const B = { data: values(30 * 20, 2), offset: 0, rowStride: 20, colStride: 1 };
    const c = new Float32Array(40 * 20).fill(Number.NaN);
    expect(wasmGemm(A, B, c, 0, 40, 30, 20)).toBe(false);
    expect(c.every(Number.isNaN)).toBe(true);
    const y = values(2000, 3);
    const before = Float32Array.from(y);
    expect(wasmAddScaled(y, 0, values(2000, 4), 0, 2000, 0.5)).toBe(false);
    expect(y).toEqual(before);
  });

  it('matmul, addInPlace and sigmoid still give the right answers, from the JavaScript kernels', () => {
    const a = tensor(values(64 * 48, 5), { shape: [64, 48] });
    const b = tensor(values(48 * 40, 6), { shape: [48, 40] });
    const x = tensor(values(3000, 7));
    const sum = addInPlace(x.clone(), x, 2).toArray();
    const squashed = sigmoid(x).data();
    setWasmMemoryLimit(0);
    // The reference: the plain definition of the product, in float64.
    const reference = new Float64Array(64 * 40);
    gemmDirect(
      { data: a.buffer, offset: 0, rowStride: 48, colStride: 1 },
      { data: b.buffer, offset: 0, rowStride: 40, colStride: 1 },
      reference,
      0,
      64,
      48,
      40,
    );
    const fallback = matmul(a, b).data();
    expect(fallback.length).toBe(64 * 40);
    expect(fallback).toBeAllClose(reference, { rtol: 0, atol: 1e-4 });
    // The in-place update is bit for bit the same either way; sigmoid within float32 rounding.
    expect(addInPlace(x.clone(), x, 2).toArray()).toEqual(sum);
    expect(sigmoid(x).data()).toBeAllClose(squashed, { rtol: 0, atol: 1e-6 });
  });

  it('adamUpdateF32 returns false and leaves every array as it was', () => {
    setWasmMemoryLimit(0);
    const p = values(2048, 8);
    const m = new Float32Array(2048);
    const v = new Float32Array(2048);
    const before = Float32Array.from(p);
    const done = adamUpdateF32(
      { p, po: 0, g: values(2048, 9), go: 0, m, v, vmax: null, n: 2048 },
      { sign: 1, l2: 0, shrink: 1, beta1: 0.9, beta2: 0.999, stepSize: 1e-3, bc2Sqrt: 0.03, eps: 1e-8 },
    );
    expect(done).toBe(false);
    expect(p).toEqual(before);
    expect(m.every((x) => x === 0) && v.every((x) => x === 0)).toBe(true);
  });
});
