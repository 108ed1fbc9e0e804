/**
 * The convolution kernels (kernels/conv.ts: the WebAssembly module for
 * float32, JavaScript loops otherwise) against references written from the
 * definitions element by element (test/fuzz/reference-conv.ts, and the
 * weight gradient below), on random geometries: 1-3 spatial dimensions,
 * strides, dilations, paddings, groups, batches of 0-3, and sizes that are
 * not multiples of the panels (4 rows, 8 columns). Also: threads share a
 * batch without changing any result by a bit, and when module memory cannot
 * hold a job the wasm kernels write nothing.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { setBackend, setNumThreads, getNumThreads } from '../../src/index';
import { convForward, convInputGrad, convWeightGrad, type ConvLayout } from '../../src/kernels/conv';
import { readyWorkers, setWasmMemoryLimit, threadedFrom, wasmReady, workerPool } from '../../src/kernels/wasm';
import { wasmConvForward, wasmConvInputGrad, wasmConvWeightGrad } from '../../src/kernels/wasm-conv';
import { convRef, convTransposeRef, type Win } from '../fuzz/reference-conv';
import type { Ref } from '../fuzz/reference';

const initialThreads = getNumThreads();
afterEach(() => {
  setBackend(null);
  setWasmMemoryLimit(Infinity);
  setNumThreads(initialThreads);
});

/** One convolution: layout, window options, and its arrays (float64 numbers, exactly representable in float32). */
interface Case {
  s: ConvLayout;
  win: Win;
  x: number[];
  w: number[];
  bias: number[] | null;
  g: number[];
}

const product = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** Values k/16 for small integers k: exact in float32, so float32 and float64 inputs are the same numbers. */
const values = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => (((seed * 7919 + i * 104729) % 33) - 16) / 16);

const arbDim = fc
  .record({
    size: fc.integer({ min: 1, max: 11 }),
    kernel: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    dilation: fc.integer({ min: 1, max: 2 }),
    padding: fc.integer({ min: 0, max: 2 }),
  })
  .filter((d) => d.size + 2 * d.padding - d.dilation * (d.kernel - 1) - 1 >= 0);

const arbCase: fc.Arbitrary<Case> = fc
  .record({
    dims: fc.integer({ min: 1, max: 3 }).chain((k) => fc.array(arbDim, { minLength: k, maxLength: k })),
    n: fc.integer({ min: 0, max: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    cg: fc.integer({ min: 1, max: 3 }),
    og: fc.integer({ min: 1, max: 6 }),
    withBias: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .map(({ dims, n, groups, cg, og, withBias, seed }) => {
    const outSize = dims.map(
      (d) => Math.floor((d.size + 2 * d.padding - d.dilation * (d.kernel - 1) - 1) / d.stride) + 1,
    );
    const geometry = {
      inSize: dims.map((d) => d.size),
      outSize,
      kernel: dims.map((d) => d.kernel),
      stride: dims.map((d) => d.stride),
      dilation: dims.map((d) => d.dilation),
      padBefore: dims.map((d) => d.padding),
    };
    const win = {
      kernel: geometry.kernel,
      stride: geometry.stride,
      dilation: geometry.dilation,
      padding: geometry.padBefore,
    };
    const s: ConvLayout = { n, groups, cg, og, geometry };
    const o = groups * og;
    return {
      s,
      win,
      x: values(n * groups * cg * product(geometry.inSize), seed),
      w: values(o * cg * product(geometry.kernel), seed + 1),
      bias: withBias ? values(o, seed + 2) : null,
      g: values(n * o * product(outSize), seed + 3),
    };
  });

const ref = (shape: number[], data: number[]): Ref => ({ shape, dtype: 'float64', data });

function shapes(c: Case) {
  const { n, groups, cg, og, geometry } = c.s;
  return {
    x: [n, groups * cg, ...geometry.inSize],
    w: [groups * og, cg, ...geometry.kernel],
    y: [n, groups * og, ...geometry.outSize],
  };
}

/** The forward from its definition (reference-conv.ts). */
function forwardRef(c: Case): number[] {
  const sh = shapes(c);
  const bias = c.bias === null ? null : ref([c.bias.length], c.bias);
  return convRef(ref(sh.x, c.x), ref(sh.w, c.w), bias, c.win, [...c.s.geometry.outSize], c.s.groups, 'float64').data;
}

/** The input gradient: the transposed convolution of g with w over the same windows (reference-conv.ts). */
function inputGradRef(c: Case): number[] {
  const sh = shapes(c);
  return convTransposeRef(ref(sh.y, c.g), ref(sh.w, c.w), null, c.win, [...c.s.geometry.inSize], c.s.groups, 'float64')
    .data;
}

/** The weight gradient from its definition: dw[o, c, k] = Σ_{n, p} g[n, o, p] · x[n, group(o)·Cg + c, p·stride − pad + k·dilation]. */
function weightGradRef(c: Case): number[] {
  const { n, groups, cg, og, geometry: geo } = c.s;
  const dims = geo.inSize.length;
  const o = groups * og;
  const taps = product(geo.kernel);
  const positions = product(geo.outSize);
  const plane = product(geo.inSize);
  const coords = (shape: readonly number[], i: number) => {
    const out = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      out[d] = i % (shape[d] as number);
      i = Math.floor(i / (shape[d] as number));
    }
    return out;
  };
  const dw = new Array<number>(o * cg * taps).fill(0);
  for (let oc = 0; oc < o; oc++) {
    const group = Math.floor(oc / og);
    for (let ci = 0; ci < cg; ci++) {
      for (let t = 0; t < taps; t++) {
        const k = coords(geo.kernel, t);
        let sum = 0;
        for (let b = 0; b < n; b++) {
          for (let pIdx = 0; pIdx < positions; pIdx++) {
            const p = coords(geo.outSize, pIdx);
            let at = 0;
            let inside = true;
            for (let d = 0; d < dims; d++) {
              const q =
                (p[d] as number) * (geo.stride[d] as number) -
                (geo.padBefore[d] as number) +
                (k[d] as number) * (geo.dilation[d] as number);
              if (q < 0 || q >= (geo.inSize[d] as number)) inside = false;
              at = at * (geo.inSize[d] as number) + q;
            }
            if (!inside) continue;
            const xv = c.x[(b * groups * cg + group * cg + ci) * plane + at] as number;
            sum += (c.g[(b * o + oc) * positions + pIdx] as number) * xv;
          }
        }
        dw[(oc * cg + ci) * taps + t] = sum;
      }
    }
  }
  return dw;
}

/** |got − want| within tol·(1 + |want|) everywhere. */
function close(got: ArrayLike<number>, want: readonly number[], tol: number): boolean {
  if (got.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as number;
    if (!(Math.abs((got[i] as number) - w) <= tol * (1 + Math.abs(w)))) return false;
  }
  return true;
}

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

function run(c: Case, type: Ctor) {
  const sh = shapes(c);
  const y = new type(product(sh.y));
  convForward(type.from(c.x), type.from(c.w), c.bias === null ? null : type.from(c.bias), y, c.s);
  const dx = new type(product(sh.x)).fill(Number.NaN);
  convInputGrad(type.from(c.g), type.from(c.w), dx, c.s);
  const dw = new type(product(sh.w)).fill(Number.NaN);
  convWeightGrad(type.from(c.x), type.from(c.g), dw, c.s);
  return { y, dx, dw };
}

describe('convolution kernels', () => {
  it('the WebAssembly kernels (float32) match the definitions', { timeout: 60_000 }, () => {
    expect(wasmReady()).toBe(true);
    setBackend('wasm');
    fc.assert(
      fc.property(arbCase, (c) => {
        const { y, dx, dw } = run(c, Float32Array);
        // Sums of at most a few hundred products of numbers ≤ 1 in float32.
        expect(close(y, forwardRef(c), 1e-5)).toBe(true);
        expect(close(dx, inputGradRef(c), 1e-5)).toBe(true);
        expect(close(dw, weightGradRef(c), 1e-5)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the JavaScript kernels (float64, and float32 with the js backend) match the definitions', {
    timeout: 60_000,
  }, () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const r64 = run(c, Float64Array);
        expect(close(r64.y, forwardRef(c), 1e-13)).toBe(true);
        expect(close(r64.dx, inputGradRef(c), 1e-13)).toBe(true);
        expect(close(r64.dw, weightGradRef(c), 1e-13)).toBe(true);
        setBackend('js');
        const r32 = run(c, Float32Array);
        setBackend(null);
        expect(close(r32.y, forwardRef(c), 1e-5)).toBe(true);
        expect(close(r32.dx, inputGradRef(c), 1e-5)).toBe(true);
        expect(close(r32.dw, weightGradRef(c), 1e-5)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('threads share a batch: every result bit for bit that of one thread', async () => {
    // Large enough to be threaded: 6 samples of 16→24 channels, 3×3 on 30×30 (≈ 19M multiply-adds).
    const geometry = {
      inSize: [30, 30],
      outSize: [30, 30],
      kernel: [3, 3],
      stride: [1, 1],
      dilation: [1, 1],
      padBefore: [1, 1],
    };
    const s: ConvLayout = { n: 6, groups: 2, cg: 8, og: 12, geometry };
    expect(s.n * s.groups * s.og * 900 * s.cg * 9).toBeGreaterThanOrEqual(threadedFrom);
    const win = { kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padding: [1, 1] };
    const c: Case = {
      s,
      win,
      x: values(6 * 16 * 900, 5),
      w: values(24 * 8 * 9, 6),
      bias: values(24, 7),
      g: values(6 * 24 * 900, 8),
    };
    setNumThreads(2);
    // Workers start in the background: give them a moment so the threaded path is the one exercised.
    for (let i = 0; i < 250 && readyWorkers() === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const pool = workerPool();
    if (pool !== null) pool.lastTeamSize = 0;
    const threaded = run(c, Float32Array);
    // The pool took part (where this platform has one and its worker started).
    if (pool !== null && readyWorkers() > 0) expect(pool.lastTeamSize).toBeGreaterThan(0);
    setNumThreads(1);
    const single = run(c, Float32Array);
    expect(threaded.y).toEqual(single.y);
    expect(threaded.dx).toEqual(single.dx);
    // The weight gradient's bins of samples depend on the sizes only, not on which thread ran them.
    expect(threaded.dw).toEqual(single.dw);
    // (Each kernel's values are checked against the definitions in the tests above.)
  }, 60_000);

  it('when module memory cannot hold the job, the wasm kernels write nothing and the JavaScript ones answer', () => {
    const c = fc.sample(
      arbCase.filter((k) => k.s.n > 0),
      { numRuns: 1, seed: 42 },
    )[0] as Case;
    const sh = shapes(c);
    setWasmMemoryLimit(0);
    const x = Float32Array.from(c.x);
    const w = Float32Array.from(c.w);
    const g = Float32Array.from(c.g);
    const y = new Float32Array(product(sh.y)).fill(Number.NaN);
    const dx = new Float32Array(product(sh.x)).fill(Number.NaN);
    const dw = new Float32Array(product(sh.w)).fill(Number.NaN);
    expect(wasmConvForward(x, w, null, y, c.s)).toBe(false);
    expect(wasmConvInputGrad(g, w, dx, c.s)).toBe(false);
    expect(wasmConvWeightGrad(x, g, dw, c.s)).toBe(false);
    expect([...y, ...dx, ...dw].every(Number.isNaN)).toBe(true);
    const r = run({ ...c, bias: null }, Float32Array);
    expect(close(r.y, forwardRef({ ...c, bias: null }), 1e-5)).toBe(true);
    expect(close(r.dx, inputGradRef(c), 1e-5)).toBe(true);
    expect(close(r.dw, weightGradRef(c), 1e-5)).toBe(true);
  });
});
