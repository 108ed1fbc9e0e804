/**
 * The two builds of the WebAssembly kernels (issue 20): which one this
 * runtime loads, and what each computes for a float32 product, bit for bit.
 * Run twice in CI: plainly, and with `--experimental-wasm-relaxed-simd` (the
 * 'core-relaxed-simd' vitest project), where Node accepts relaxed SIMD.
 *
 * The references are written here in JavaScript. The inputs are 1 + j/4096
 * (13 significant bits), so a·b has at most 26 significant bits, more than
 * float32's 24 (the plain build's rounding of it shows), and every running
 * sum stays below 2^10 with no bits below 2^-24: s + a·b needs at most 34
 * bits and is exact in float64. So `Math.fround(s + a * b)` is exactly a
 * fused multiply-add rounded once to float32, and `Math.fround(s +
 * Math.fround(a * b))` the plain build's two roundings.
 */
import { describe, expect, it } from 'vitest';
import * as binaries from '../../src/kernels/wasm-binary';
import { kernelBuild, type KernelExports } from '../../src/kernels/wasm';
import {
  chosenKernelBuild,
  type KernelBuild,
  kernelBytes,
  relaxedSimdSupported,
} from '../../src/kernels/wasm-features';

/** The exports this test calls, typed as the library calls them. */
type GemmModule = Pick<KernelExports, 'memory' | 'heapStart' | 'packf32' | 'gemm'>;

const [m, k, n] = [6, 200, 11];

/** Values (1 + j/4096) for pseudo-random j < 4096: 12-bit mantissas. */
function inputs(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = 1 + (s >>> 20) / 4096;
  }
  return out;
}

const a = inputs(m * k, 1);
const b = inputs(k * n, 2);

/** The product by the build's own rounding rule, summing p = 0 … k-1 from 0 as the kernel does (k < its 256-step block). */
function reference(fused: boolean): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const ab = (a[i * k + p] as number) * (b[p * n + j] as number);
        s = Math.fround(s + (fused ? ab : Math.fround(ab)));
      }
      c[i * n + j] = s;
    }
  }
  return c;
}

/** The module of one build, multiplying a·b: packs both operands and runs gemm. */
function product(build: KernelBuild): Float32Array {
  const e = new WebAssembly.Instance(new WebAssembly.Module(kernelBytes(binaries, false, build)), {})
    .exports as unknown as GemmModule;
  const heap = e.heapStart() / 4;
  const aPanels = Math.ceil(m / 4) * 4 * k;
  const bPanels = Math.ceil(n / 8) * 8 * k;
  const need = heap + aPanels + bPanels + m * n + m * k + k * n;
  e.memory.grow(Math.ceil((need * 4) / 65536));
  const mem = new Float32Array(e.memory.buffer);
  const [ap, bp, cp] = [heap, heap + aPanels, heap + aPanels + bPanels];
  const stageA = cp + m * n;
  const stageB = stageA + m * k;
  mem.set(a, stageA);
  mem.set(b, stageB);
  e.packf32(stageA * 4, k, 1, m, k, 4, ap * 4);
  // B's columns are the rows of Bᵀ: row stride 1, column stride n.
  e.packf32(stageB * 4, 1, n, n, k, 8, bp * 4);
  e.gemm(ap * 4, bp * 4, cp * 4, m, k, n, n, 0, 0, 0);
  return mem.slice(cp, cp + m * n);
}

describe('the builds of the WebAssembly kernels', () => {
  it('loads the relaxed-SIMD build exactly where the runtime validates relaxed SIMD', () => {
    const expected: KernelBuild = relaxedSimdSupported() ? 'relaxed-simd' : 'simd';
    expect(chosenKernelBuild()).toBe(expected);
    expect(kernelBuild()).toBe(expected);
    // Node 20 accepts relaxed SIMD only behind its flag.
    expect(relaxedSimdSupported()).toBe(process.execArgv.includes('--experimental-wasm-relaxed-simd'));
  });

  it('the plain build rounds each product and each sum: bit for bit the two-rounding reference', () => {
    expect(product('simd')).toEqual(reference(false));
  });

  it('the relaxed build rounds each multiply-add once, where the runtime has it', () => {
    const plain = reference(false);
    const fused = reference(true);
    // The inputs are chosen so that the two rules disagree somewhere.
    expect(fused).not.toEqual(plain);
    if (!relaxedSimdSupported()) {
      // Without relaxed SIMD the relaxed build is never used: asking for it gives the plain module.
      expect(chosenKernelBuild()).toBe('simd');
      return;
    }
    // relaxed_madd may be fused or not by the spec; on x64 with FMA, V8 fuses it.
    expect(product('relaxed-simd')).toEqual(fused);
  });
});
