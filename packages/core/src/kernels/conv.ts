/**
 * A convolution and its two gradients as kernels over whole batches, each a
 * matrix product per sample and group of channels:
 *   forward        y[n, g] = W_g · cols(x[n, g]) (+ bias per output channel)
 *   input grad     dx[n, g] = col2im(W_gᵀ · g[n, g])            (a transposed convolution)
 *   weight grad    dW_g = Σ_n g[n, g] · cols(x[n, g])ᵀ
 * where cols is im2col (im2col.ts): row p = (channel, kernel tap), column l =
 * output position. Float32 runs on the WebAssembly module (wasm-conv.ts)
 * when the 'wasm' backend is active and module memory holds the job; the
 * loops here are the rest, and the reference the module is tested against.
 *
 * Every array is contiguous from index 0: x [N, G·Cg, ...inSize],
 * w [G·Og, Cg, ...kernel], y and g [N, G·Og, ...outSize].
 */
import type { FloatArr } from './arrays';
import { activeBackend } from './backend-choice';
import { col2im, im2col } from './im2col';
import { gemm, type MatrixView } from './matmul';
import { wasmConvForward, wasmConvInputGrad, wasmConvWeightGrad, type ConvLayout } from './wasm-conv';

export type { ConvLayout } from './wasm-conv';

const productOf = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** True when the WebAssembly kernels should take these arrays: float32, and the 'wasm' backend active. */
function onWasm(...arrays: (FloatArr | null)[]): boolean {
  return activeBackend() === 'wasm' && arrays.every((a) => a === null || a instanceof Float32Array);
}

/** A 1×1 window at every position of an unpadded input: the columns are the input itself. */
function isPointwise(s: ConvLayout): boolean {
  const g = s.geometry;
  return (
    g.kernel.every((k) => k === 1) &&
    g.stride.every((st) => st === 1) &&
    g.padBefore.every((p) => p === 0) &&
    g.inSize.every((n, i) => n === g.outSize[i])
  );
}

interface Dims {
  kt: number;
  L: number;
  plane: number;
}

function dimsOf(s: ConvLayout): Dims {
  return {
    kt: s.cg * productOf(s.geometry.kernel),
    L: productOf(s.geometry.outSize),
    plane: productOf(s.geometry.inSize),
  };
}

const scratchLike = (x: FloatArr, size: number): FloatArr =>
  x instanceof Float32Array ? new Float32Array(size) : new Float64Array(size);

/**
 * The columns of sample n, group g as a [kt × L] matrix: x itself for a
 * pointwise convolution, else im2col into `cols` (which it overwrites).
 */
function columns(x: FloatArr, cols: FloatArr, n: number, g: number, s: ConvLayout, d: Dims): MatrixView {
  const first = (n * s.groups + g) * s.cg * d.plane;
  if (isPointwise(s)) return { data: x, offset: first, rowStride: d.L, colStride: 1 };
  cols.fill(0);
  im2col(x, first, cols, s.cg, s.geometry);
  return { data: cols, offset: 0, rowStride: d.L, colStride: 1 };
}

/** y = conv(x, w) + bias (bias null for none; one value per output channel). */
export function convForward(x: FloatArr, w: FloatArr, bias: FloatArr | null, y: FloatArr, s: ConvLayout): void {
  if (
    onWasm(x, w, bias, y) &&
    wasmConvForward(x as Float32Array, w as Float32Array, bias as Float32Array | null, y as Float32Array, s)
  )
    return;
  const d = dimsOf(s);
  const cols = scratchLike(x, isPointwise(s) ? 0 : d.kt * d.L);
  for (let n = 0; n < s.n; n++) {
    for (let g = 0; g < s.groups; g++) {
      const A = { data: w, offset: g * s.og * d.kt, rowStride: d.kt, colStride: 1 };
      const first = (n * s.groups + g) * s.og * d.L;
      gemm(A, columns(x, cols, n, g, s, d), y, first, s.og, d.kt, d.L);
      if (bias === null) continue;
      for (let o = 0; o < s.og; o++) {
        const b = bias[g * s.og + o];
        const row = first + o * d.L;
        for (let l = 0; l < d.L; l++) y[row + l] += b;
      }
    }
  }
}

/** dx = the input gradient of conv(x, w) for the output gradient g (dx is overwritten). */
export function convInputGrad(g: FloatArr, w: FloatArr, dx: FloatArr, s: ConvLayout): void {
  if (onWasm(g, w, dx) && wasmConvInputGrad(g as Float32Array, w as Float32Array, dx as Float32Array, s)) return;
  const d = dimsOf(s);
  const pointwise = isPointwise(s);
  const cols = scratchLike(dx, pointwise ? 0 : d.kt * d.L);
  if (!pointwise) dx.fill(0);
  for (let n = 0; n < s.n; n++) {
    for (let grp = 0; grp < s.groups; grp++) {
      // W_gᵀ read in place: element (p, o) of W_gᵀ is W[g·Og + o, p].
      const A = { data: w, offset: grp * s.og * d.kt, rowStride: 1, colStride: d.kt };
      const B = { data: g, offset: (n * s.groups + grp) * s.og * d.L, rowStride: d.L, colStride: 1 };
      const first = (n * s.groups + grp) * s.cg * d.plane;
      if (pointwise) {
        gemm(A, B, dx, first, d.kt, s.og, d.L);
        continue;
      }
      gemm(A, B, cols, 0, d.kt, s.og, d.L);
      col2im(cols, 0, dx.subarray(first, first + s.cg * d.plane), s.cg, s.geometry);
    }
  }
}

/** dw = the weight gradient of conv(x, w) for the output gradient g (dw is overwritten). */
export function convWeightGrad(x: FloatArr, g: FloatArr, dw: FloatArr, s: ConvLayout): void {
  if (onWasm(x, g, dw) && wasmConvWeightGrad(x as Float32Array, g as Float32Array, dw as Float32Array, s)) {
    return;
  }
  const d = dimsOf(s);
  const cols = scratchLike(x, isPointwise(s) ? 0 : d.kt * d.L);
  const part = scratchLike(dw, s.og * d.kt);
  dw.fill(0);
  for (let n = 0; n < s.n; n++) {
    for (let grp = 0; grp < s.groups; grp++) {
      const A = { data: g, offset: (n * s.groups + grp) * s.og * d.L, rowStride: d.L, colStride: 1 };
      const c = columns(x, cols, n, grp, s, d);
      // colsᵀ read in place: element (l, p) of colsᵀ is cols[p, l].
      const B = { data: c.data, offset: c.offset, rowStride: 1, colStride: d.L };
      gemm(A, B, part, 0, s.og, d.L, d.kt);
      const first = grp * s.og * d.kt;
      for (let i = 0; i < part.length; i++) dw[first + i] += part[i];
    }
  }
}
