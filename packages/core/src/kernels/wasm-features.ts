/**
 * Which build of the WebAssembly kernels this runtime gets (issue 20): the
 * relaxed-SIMD build, whose float32 product fuses each multiply-add into one
 * `f32x4.relaxed_madd` (an FMA instruction where the CPU has one), wherever
 * the runtime validates relaxed SIMD (Chromium by default, Node 20 only with
 * `--experimental-wasm-relaxed-simd`); the plain SIMD build elsewhere.
 *
 * The two builds differ in the last bits of float32 products: FMA rounds
 * a·b + c once, the plain build rounds a·b and then the sum. Each build is
 * deterministic on its own (every element is summed in a fixed order,
 * whatever the thread count). The float64 product never fuses, in either
 * build: it stays bit for bit the JavaScript kernel's, which gradient
 * checking relies on.
 */
// Type only: the kernels' module is imported lazily by wasm.ts, which hands it in.
import type * as KernelBinaries from './wasm-binary';

/** The kernels' module (wasm-binary.ts) once it has been imported. */
export type Binaries = typeof KernelBinaries;

/** The build of the kernels a runtime uses. */
export type KernelBuild = 'relaxed-simd' | 'simd';

// The smallest module using f32x4.relaxed_madd: () -> v128 returning
// relaxed_madd of three zero constants (opcode 0xfd 0x105).
const relaxedProbe = (() => {
  const zero = (): number[] => [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
  const body = [0x00, ...zero(), ...zero(), ...zero(), 0xfd, 0x85, 0x02, 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b],
    ...[0x03, 0x02, 0x01, 0x00],
    ...[0x0a, body.length + 2, 0x01, body.length, ...body],
  ]);
})();

let relaxed: boolean | undefined;
let forced: KernelBuild | null = null;

/** True when this runtime accepts relaxed-SIMD WebAssembly. */
export function relaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    try {
      relaxed = typeof WebAssembly === 'object' && WebAssembly.validate(relaxedProbe);
    } catch {
      relaxed = false;
    }
  }
  return relaxed;
}

/** @internal Chooses the build for modules compiled from now on (null: by feature detection); tests compare the two with it. */
export function forceKernelBuild(build: KernelBuild | null): void {
  forced = build;
}

/** The build the kernels compiled from now on use. */
export function chosenKernelBuild(): KernelBuild {
  if (forced !== null) return forced === 'relaxed-simd' && relaxedSimdSupported() ? 'relaxed-simd' : 'simd';
  return relaxedSimdSupported() ? 'relaxed-simd' : 'simd';
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
}

/** Rebuilds a module from its plain build and an edit list ([copy, skip, inserted base64], made by scripts/build-wasm.mjs). */
export function applyPatch(
  base: Uint8Array,
  edits: readonly (readonly [number, number, string])[],
): Uint8Array<ArrayBuffer> {
  const inserts = edits.map((e) => decode(e[2]));
  let length = 0;
  edits.forEach((e, i) => {
    length += e[0] + (inserts[i] as Uint8Array).length;
  });
  const out = new Uint8Array(length);
  let from = 0;
  let to = 0;
  edits.forEach(([copy, skip], i) => {
    out.set(base.subarray(from, from + copy), to);
    to += copy;
    const inserted = inserts[i] as Uint8Array;
    out.set(inserted, to);
    to += inserted.length;
    from += copy + skip;
  });
  return out;
}

/** The bytes of the kernels' module: the shared-memory build (for worker threads) or the one owning its memory, in `build`. */
export function kernelBytes(
  binaries: Binaries,
  shared: boolean,
  build: KernelBuild = chosenKernelBuild(),
): Uint8Array<ArrayBuffer> {
  const base = decode(shared ? binaries.wasmKernelsShared : binaries.wasmKernels);
  if (build === 'simd') return base;
  return applyPatch(base, shared ? binaries.wasmKernelsRelaxedSharedPatch : binaries.wasmKernelsRelaxedPatch);
}
