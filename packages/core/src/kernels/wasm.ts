/**
 * The WebAssembly SIMD kernels (asm/*.ts, embedded as base64 in
 * wasm-binary.ts). That module is imported dynamically on the first kernel
 * call that could use it, so a bundle that never calls one (a program of
 * `Value`s or small tensors) can leave it out (a bundler splits it into a
 * chunk of its own). Until the import resolves `wasmReady()` is false and
 * callers keep to the JavaScript kernels; `loadWasm()` (core's `ready()`)
 * waits for it. Once loaded the module is tiny, so it is compiled
 * synchronously; where that is refused (or WebAssembly SIMD is missing)
 * `wasmReady()` stays false. The JavaScript kernels are also the reference
 * the WASM kernels are tested against.
 *
 * Each call copies its operands into the module's memory and its results
 * back out. Matrix operands are then packed there (asm/pack.ts) into the
 * panel layout the product reads (asm/gemm.ts), which also absorbs any
 * strides: transposed views cost nothing extra.
 */
import type { NumArray } from './arrays';
import { type Binaries, chosenKernelBuild, type KernelBuild, kernelBytes } from './wasm-features';
import type { BiasView, MatrixView } from './matmul';
import { activationCode, type Epilogue } from './epilogue';
import { GemmPool, maxWorkers } from './wasm-threads';
import { hasSimd, speedLost, wasmEnvironment } from './wasm-environment';

/** The kernels module's exports (asm/index.ts), as the kernel wrappers and tests call them. */
export interface KernelExports {
  memory: WebAssembly.Memory;
  gemm(
    ap: number,
    bp: number,
    c: number,
    m: number,
    k: number,
    n: number,
    ldc: number,
    bias: number,
    act: number,
    pre: number,
  ): void;
  expf32(x: number, out: number, n: number): void;
  sigmoidf32(x: number, out: number, n: number): void;
  erff32(x: number, out: number, n: number): void;
  siluf32(x: number, out: number, n: number): void;
  geluTanhf32(x: number, out: number, n: number): void;
  geluf32(x: number, out: number, n: number): void;
  tanhf32(x: number, out: number, n: number): void;
  addScaledf32(y: number, x: number, a: number, n: number): void;
  packf32(src: number, rs: number, cs: number, rows: number, k: number, width: number, dst: number): void;
  adamf32(
    p: number,
    g: number,
    m: number,
    v: number,
    vmax: number,
    n: number,
    sign: number,
    l2: number,
    shrink: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    stepSize: number,
    bc2Sqrt: number,
    eps: number,
  ): void;
  heapStart(): number;
  convTask(job: number, task: number, slot: number): void;
  // The float64 product (asm/gemm64.ts, issue 20).
  gemmf64(ap: number, bp: number, c: number, m: number, k: number, n: number, ldc: number, bias: number): void;
  packf64(src: number, rs: number, cs: number, rows: number, k: number, dst: number): void;
}

/** The elementwise float32 functions the WebAssembly module provides. */
export type WasmElementwise = 'expf32' | 'sigmoidf32' | 'erff32' | 'siluf32' | 'geluTanhf32' | 'geluf32' | 'tanhf32';

interface Runtime {
  exports: KernelExports;
  memory: WebAssembly.Memory;
  /** Worker threads sharing `memory` (Node, or Web Workers in a cross-origin-isolated page), or null. */
  pool: GemmPool | null;
}

let runtime: Runtime | null | undefined;
let heap = 0;
let view = new Float32Array(0);

/**
 * Products with at least this many multiply-adds are split between threads.
 * Below it the other core mostly waits for data the main thread has just
 * packed into its own cache: in training steps two threads were slower than
 * one up to a batch-32 784×128 layer (3.2M) and even at 6.4M and 12.8M, and
 * 1.1-1.5× faster from about 25M.
 */
export const threadedFrom = 200 * 200 * 200;
let threadsAllowed = true;
/** The most threads a product may use, this one included (setNumThreads); all of the pool by default. */
let threadLimit = Number.POSITIVE_INFINITY;

/** Lets large products use the worker pool (true by default) or keeps them on this thread. */
export function allowThreads(allowed: boolean): void {
  threadsAllowed = allowed;
}

/** The most threads a pool may have, this one included. */
export const maxThreads = maxWorkers + 1;

/**
 * Caps the threads a product uses at `n` (this one included), starting more
 * workers when the pool has fewer than n - 1 (they start in the background).
 */
export function limitThreads(n: number): void {
  threadLimit = n;
  if (n > 1 && wasmReady()) (runtime as Runtime).pool?.grow(n - 1);
}

/**
 * Starts a lazily started pool's workers (the browser's) on the first large
 * kernel call; that call and any until a worker reports ready run on this
 * thread alone, since `run` takes only ready workers. Always true, to sit in
 * a condition.
 */
function warmed(pool: GemmPool): true {
  pool.warm();
  return true;
}

/** How many threads a large product may run on here. */
export function threadCount(): number {
  if (!wasmReady()) return 1;
  const pool = (runtime as Runtime).pool;
  return threadsAllowed && pool !== null ? Math.min(threadLimit, pool.planned + 1) : 1;
}

/** @internal The worker pool, or null (tests reach its hooks through this). */
export function workerPool(): GemmPool | null {
  return wasmReady() ? (runtime as Runtime).pool : null;
}

/** How many worker threads have started (they start in the background on first use). */
export function readyWorkers(): number {
  if (!wasmReady()) return 0;
  return (runtime as Runtime).pool?.readyCount ?? 0;
}

/** The build (relaxed SIMD or plain SIMD, wasm-features.ts) the loaded kernels came from. */
let loadedBuild: KernelBuild = 'simd';

/** @internal Which build of the kernels is loaded ('simd' when none is). */
export function kernelBuild(): KernelBuild {
  return wasmReady() ? loadedBuild : 'simd';
}

/** What the kernels found when they started (backendInfo reports it). */
export interface WasmStatus {
  /** The kernels compiled and run. */
  wasm: boolean;
  /** The runtime's WebAssembly has SIMD (the kernels need it). */
  simd: boolean;
  /** The kernels run on shared memory, so worker threads can help. */
  sharedMemory: boolean;
}

let status: WasmStatus = { wasm: false, simd: false, sharedMemory: false };

const slowerKernels = 'so chainrule runs its JavaScript kernels, 3-15x slower on float32 products and activations';

let binaries: Binaries | null = null;
let loading: Promise<void> | null = null;

/** Imports the kernels' module (once); resolves when it has arrived or failed to. */
function importBinaries(): Promise<void> {
  loading ??= import('./wasm-binary').then(
    (loaded) => {
      binaries = loaded;
    },
    (e: unknown) => {
      runtime = null;
      speedLost(`the WebAssembly kernels' module could not be loaded (${messageOf(e)}), ${slowerKernels}`);
    },
  );
  return loading;
}

/** Whether `unsupported` has looked (once is enough: it records null as runtime when they cannot). */
let supportChecked = false;

/**
 * Why the kernels cannot run here whatever is loaded (no WebAssembly, or no
 * SIMD), recorded and warned once; null when they may.
 */
function unsupported(): null | 'unsupported' {
  if (supportChecked) return null;
  supportChecked = true;
  const env = wasmEnvironment();
  const simd = hasSimd(env.WebAssembly);
  status = { wasm: false, simd, sharedMemory: false };
  if (env.WebAssembly === undefined) {
    speedLost(`WebAssembly is not available in this runtime, ${slowerKernels}`);
    return 'unsupported';
  }
  if (!simd) {
    speedLost(`this runtime's WebAssembly has no SIMD, ${slowerKernels}`);
    return 'unsupported';
  }
  return null;
}

function instantiate(binaries: Binaries): Runtime | null {
  loadedBuild = chosenKernelBuild();
  const env = wasmEnvironment();
  const W = env.WebAssembly as typeof WebAssembly;
  const simd = true;
  let sharedFailure: string | null = null;
  if (env.sharedMemory && env.workers) {
    try {
      const bytes = kernelBytes(binaries, true, loadedBuild);
      const memory = new W.Memory({ initial: 1, maximum: 16384, shared: true });
      const module = new W.Module(bytes);
      const exports = new W.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
      heap = exports.heapStart();
      const pool = GemmPool.start(bytes, module, memory);
      if (pool !== null && threadLimit > 1 && threadLimit !== Number.POSITIVE_INFINITY) pool.grow(threadLimit - 1);
      status = { wasm: true, simd, sharedMemory: true };
      return { exports, memory, pool };
    } catch (e) {
      // Fall through to the single-threaded build.
      sharedFailure = messageOf(e);
    }
  }
  try {
    const exports = new W.Instance(new W.Module(kernelBytes(binaries, false, loadedBuild)), {})
      .exports as unknown as KernelExports;
    heap = exports.heapStart();
    status = { wasm: true, simd, sharedMemory: false };
    if (sharedFailure !== null) {
      speedLost(
        `the shared-memory build of the kernels failed (${sharedFailure}), so large products run on one thread`,
      );
    }
    return { exports, memory: exports.memory, pool: null };
  } catch (e) {
    speedLost(
      `WebAssembly compilation was refused (${messageOf(e)}); in a browser, a Content-Security-Policy must ` +
        `allow 'wasm-unsafe-eval' in script-src, ${slowerKernels}`,
    );
    return null;
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** What the kernels found when they started (starting them if they have not). */
export function wasmStatus(): WasmStatus {
  wasmReady();
  return { ...status };
}

/**
 * Says (once) that a product of `macs` multiply-adds large enough for
 * threads runs on one thread because the runtime offers none, where it has
 * more than one core and the user has not asked for one thread.
 */
function noticeOneThread(macs: number): void {
  if (macs < threadedFrom || !threadsAllowed || threadLimit <= 1) return;
  if ((runtime as Runtime).pool !== null) return;
  const env = wasmEnvironment();
  if (env.cores <= 1) return;
  speedLost(
    env.sharedMemory
      ? `worker threads are unavailable here, so large products run on one of ${env.cores} cores`
      : `shared memory is unavailable (in a browser the page must be cross-origin isolated: serve it with ` +
          `Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so large ` +
          `products run on one of ${env.cores} cores`,
  );
}

/**
 * True when the WebAssembly kernels are loaded, compiled and can run here.
 * The first call starts loading them (false until they arrive).
 */
export function wasmReady(): boolean {
  if (runtime === undefined) {
    if (unsupported() !== null) runtime = null;
    else if (binaries !== null) runtime = instantiate(binaries);
    else void importBinaries();
  }
  return runtime !== null && runtime !== undefined;
}

/** True while the kernels' module is still being imported (the JavaScript kernels run meanwhile). */
export function wasmLoading(): boolean {
  return runtime === undefined && loading !== null && binaries === null;
}

/** Loads and starts the kernels; resolves to wasmReady() once they can run or are known not to. */
export async function loadWasm(): Promise<boolean> {
  if (runtime === undefined && unsupported() !== null) runtime = null;
  if (runtime === undefined) await importBinaries();
  return wasmReady();
}

/** Bytes of module memory the kernels may use; tests lower it to exercise the fallbacks. */
let memoryLimit = Infinity;

/** @internal Caps the module memory the kernels use (Infinity: only the module's own maximum). */
export function setWasmMemoryLimit(bytes: number): void {
  memoryLimit = bytes;
}

/**
 * A float32 view of the module memory holding at least `floats` floats past
 * the heap start, or null when it cannot grow that far (past the module's
 * maximum, 1 GiB for the shared build, or out of memory): every caller then
 * leaves the work, untouched, to the JavaScript kernels.
 */
function reserve(memory: WebAssembly.Memory, floats: number): Float32Array | null {
  const bytes = heap + floats * 4;
  if (bytes > memoryLimit) return null;
  const have = memory.buffer.byteLength;
  if (bytes > have) {
    try {
      memory.grow(Math.ceil((bytes - have) / 65536));
    } catch {
      return null;
    }
  }
  if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer);
  return view;
}

/** How many elements of M's storage, from its offset, a pack of rows×k reads (strides are never negative). */
function span(M: MatrixView, rows: number, k: number): number {
  return rows === 0 || k === 0 ? 0 : (rows - 1) * M.rowStride + (k - 1) * M.colStride + 1;
}

/**
 * Packs rows `[0, rows)` of M (k columns) into panels of `width` rows at
 * float index `at`: M's elements are copied into module memory at `stage`
 * (one block copy), then arranged by the module's SIMD packer (asm/pack.ts).
 */
function pack(
  e: KernelExports,
  mem: Float32Array,
  M: MatrixView,
  rows: number,
  k: number,
  width: number,
  at: number,
  stage: number,
): void {
  mem.set(M.data.subarray(M.offset, M.offset + span(M, rows, k)), stage);
  e.packf32(stage * 4, M.rowStride, M.colStride, rows, k, width, at * 4);
}

/**
 * C[m×n] (contiguous, at cOffset) = A · B (+ bias per row) in float32 with
 * the SIMD kernel, its tiles applying `epilogue`'s activation as they are
 * stored (and writing the values before it to `epilogue.pre`); false (C
 * untouched) when module memory cannot hold the operands. Call only when
 * wasmReady().
 */
export function wasmGemm(
  A: MatrixView,
  B: MatrixView,
  c: NumArray,
  cOffset: number,
  m: number,
  k: number,
  n: number,
  bias: BiasView | null = null,
  epilogue: Epilogue | null = null,
): boolean {
  const { exports: e, memory, pool } = runtime as Runtime;
  const preFloats = epilogue?.pre ? m * n : 0;
  const aFloats = Math.ceil(m / 4) * 4 * k;
  const bFloats = Math.ceil(n / 8) * 8 * k;
  const biasFloats = bias === null ? 0 : Math.ceil(n / 8) * 8;
  // B's columns are the rows of Bᵀ, packed 8 at a time.
  const Bt: MatrixView = { data: B.data, offset: B.offset, rowStride: B.colStride, colStride: B.rowStride };
  // A and B are staged apart: A may wait there for the threads to pack it.
  const aSpan = span(A, m, k);
  const staged = aSpan + span(Bt, n, k);
  const mem = reserve(memory, aFloats + bFloats + biasFloats + m * n + preFloats + staged + 4);
  if (mem === null) return false;
  const ap = heap / 4;
  const bp = ap + aFloats;
  const biasAt = bp + bFloats;
  const cp = biasAt + biasFloats;
  if (bias !== null) {
    for (let j = 0; j < biasFloats; j++)
      mem[biasAt + j] = j < n ? (bias.data[bias.offset + j * bias.stride] as number) : 0;
  }
  const bPtr = bias === null ? 0 : biasAt * 4;
  const preAt = cp + m * n;
  const prePtr = preFloats === 0 ? 0 : preAt * 4;
  const act = activationCode(epilogue);
  const stageA = preAt + preFloats;
  pack(e, mem, Bt, n, k, 8, bp, stageA + aSpan);
  noticeOneThread(m * k * n);
  // A is packed by whichever threads multiply it: split between threads, each packs its own rows.
  mem.set(A.data.subarray(A.offset, A.offset + aSpan), stageA);
  const unpacked = { pack: e.packf32, at: stageA * 4, rowStride: A.rowStride, colStride: A.colStride };
  const threaded =
    threadsAllowed &&
    threadLimit > 1 &&
    pool !== null &&
    m * k * n >= threadedFrom &&
    m >= 8 &&
    warmed(pool) &&
    pool.run(e.gemm, ap * 4, bp * 4, cp * 4, m, k, n, bPtr, act, prePtr, unpacked, threadLimit - 1);
  if (!threaded) {
    e.packf32(stageA * 4, A.rowStride, A.colStride, m, k, 4, ap * 4);
    e.gemm(ap * 4, bp * 4, cp * 4, m, k, n, n, bPtr, act, prePtr);
  }
  c.set(mem.subarray(cp, cp + m * n), cOffset);
  if (preFloats !== 0) epilogue?.pre?.set(mem.subarray(preAt, preAt + preFloats));
  return true;
}

/** n floats of `array` from `offset` that a kernel reads (`read`), writes (`write`) or both. */
interface Segment {
  array: Float32Array;
  offset: number;
  read: boolean;
  write: boolean;
}

/**
 * Runs `kernel` on equal-length segments placed back to back in module
 * memory: copies in those it reads, gives it their byte addresses (`at(i)`
 * for segment i), copies back those it writes. False, with nothing touched,
 * when module memory cannot hold them.
 */
function onSegments(n: number, segments: readonly Segment[], kernel: (at: (i: number) => number) => void): boolean {
  const mem = reserve((runtime as Runtime).memory, segments.length * n + 4);
  if (mem === null) return false;
  const base = heap / 4;
  segments.forEach((s, i) => {
    if (s.read) mem.set(s.array.subarray(s.offset, s.offset + n), base + i * n);
  });
  kernel((i) => (base + i * n) * 4);
  segments.forEach((s, i) => {
    if (s.write) s.array.set(mem.subarray(base + i * n, base + (i + 1) * n), s.offset);
  });
  return true;
}

/**
 * out[outOffset + i] = f(x[xOffset + i]) for i < n, float32, with the SIMD
 * kernel `f`. Call only when wasmReady().
 */
export function wasmElementwise(
  f: WasmElementwise,
  x: Float32Array,
  xOffset: number,
  out: Float32Array,
  outOffset: number,
  n: number,
): boolean {
  const e = (runtime as Runtime).exports;
  return onSegments(
    n,
    [
      { array: x, offset: xOffset, read: true, write: false },
      { array: out, offset: outOffset, read: false, write: true },
    ],
    (at) => e[f](at(0), at(1), n),
  );
}

/** y[yOffset + i] += a · x[xOffset + i] for i < n, bit for bit as the JavaScript loop. Call only when wasmReady(). */
export function wasmAddScaled(
  y: Float32Array,
  yOffset: number,
  x: Float32Array,
  xOffset: number,
  n: number,
  a: number,
): boolean {
  const e = (runtime as Runtime).exports;
  return onSegments(
    n,
    [
      { array: y, offset: yOffset, read: true, write: true },
      { array: x, offset: xOffset, read: true, write: false },
    ],
    (at) => e.addScaledf32(at(0), at(1), a, n),
  );
}

/** The arrays of one Adam update: the parameter, its gradient, and Adam's state buffers (from index 0). */
export interface AdamUpdateArrays {
  /** The parameter, updated in place from index `po`. */
  p: Float32Array;
  po: number;
  /** The gradient, read from index `go`. */
  g: Float32Array;
  go: number;
  /** First moment, updated in place. */
  m: Float32Array;
  /** Second moment, updated in place. */
  v: Float32Array;
  /** Running maximum of v (AMSGrad), updated in place; null without AMSGrad. */
  vmax: Float32Array | null;
  /** Elements to update. */
  n: number;
}

/** Adam's update in SIMD, bit for bit optim's JavaScript loop. Call only when wasmReady(). */
export function wasmAdam(
  a: AdamUpdateArrays,
  sign: number,
  l2: number,
  shrink: number,
  beta1: number,
  beta2: number,
  stepSize: number,
  bc2Sqrt: number,
  eps: number,
): boolean {
  const e = (runtime as Runtime).exports;
  const both = (array: Float32Array, offset = 0): Segment => ({ array, offset, read: true, write: true });
  const segments = [both(a.p, a.po), { array: a.g, offset: a.go, read: true, write: false }, both(a.m), both(a.v)];
  if (a.vmax !== null) segments.push(both(a.vmax));
  return onSegments(a.n, segments, (at) =>
    e.adamf32(
      at(0),
      at(1),
      at(2),
      at(3),
      a.vmax === null ? 0 : at(4),
      a.n,
      sign,
      l2,
      shrink,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      stepSize,
      bc2Sqrt,
      eps,
    ),
  );
}

// ---------------------------------------------------------------- for the convolution kernels (wasm-conv.ts)

/** @internal What the convolution kernels share with the product: the module, its memory, its pool. */
export interface ModuleParts {
  exports: KernelExports;
  pool: GemmPool | null;
  /** Byte address where callers' buffers start. */
  heap: number;
  /** A float32 view of module memory with at least `floats` floats past the heap start, or null (see reserve). */
  reserve(floats: number): Float32Array | null;
  /** How many workers may help with work of `macs` multiply-adds now (0: this thread alone). */
  helpers(macs: number): number;
}

function noticed(macs: number): true {
  noticeOneThread(macs);
  return true;
}

/** @internal The module's parts, or null when the WebAssembly kernels cannot run here. */
export function moduleParts(): ModuleParts | null {
  if (!wasmReady()) return null;
  const { exports, memory, pool } = runtime as Runtime;
  return {
    exports,
    pool,
    heap,
    reserve: (floats) => reserve(memory, floats),
    helpers: (macs) =>
      noticed(macs) && threadsAllowed && threadLimit > 1 && pool !== null && macs >= threadedFrom && warmed(pool)
        ? Math.min(threadLimit - 1, pool.size)
        : 0,
  };
}
