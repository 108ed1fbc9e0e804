// The convolutions' float32 kernels: a convolution and its two gradients as
// products of gemm (gemm.ts), one task per sample (per bin of samples for the
// weight gradient), so that a pool of threads (src/kernels/wasm-threads.ts)
// can share a batch. Not TypeScript: AssemblyScript.
//
// A convolution is W·cols per sample and group, where cols (im2col) holds in
// column l the input elements the window at output position l sees, row
// p = (channel, kd, kh, kw). Here cols never exists as a whole: the forward
// writes each sample's columns straight into gemm's B panels (8 output
// positions wide), reading the image row by row; the input gradient computes
// Wᵀ·g into a scratch block and adds it back into the image (col2im); the
// weight gradient writes cols row by row, then packs both operands and adds
// g·colsᵀ to its bin's accumulator.
//
// Every task reads a descriptor of i32 words at `d` (written by the caller,
// src/kernels/wasm-conv.ts, which keeps the same word numbers):
//   0 op (0 forward, 1 input gradient, 2 weight gradient; 3 is not a
//     convolution but a float64 product's rows, gemm64.ts, which rides on
//     the same task pool)
//   1 Cg (input channels per group)   2 Og (output channels per group)   3 G (groups)
//   4-6 input size D, H, W    7-9 output size    10-12 kernel    13-15 stride
//   16-18 dilation    19-21 padding before (1-D and 2-D run as 3-D with leading 1s)
//   22 image (forward and weight gradient: x; input gradient: where dx goes)
//   23 gradient-side tensor (forward: where y goes; gradients: g)
//   24 packed weight panels, one block per group (forward: W, input gradient: Wᵀ)
//   25 row bias (forward; 0 for none)
//   26 scratch of thread slot 0 (slot s starts s·(word 27) bytes later)   27 scratch bytes per slot
//   28 the weight gradient's accumulators   29 how many (bins)   30 N (samples)
// Tensors are contiguous float32: x [N, G·Cg, D, H, W], y and g [N, G·Og, oD, oH, oW].
// A task never allocates (the stub runtime never frees).

import { gemmInto } from './gemm';
import { packf32 } from './pack';
import { gemmf64Task } from './gemm64';

@inline
function word(d: usize, i: i32): i32 {
  return load<i32>(d + (<usize>i << 2));
}

@inline
function at(base: usize, floats: i32): usize {
  return base + (<usize>floats << 2);
}

/** Runs task `task` (a sample, or a bin of samples for the weight gradient) of the job at `d`, with the scratch of thread slot `slot`. */
export function convTask(d: usize, task: i32, slot: i32): void {
  const op = word(d, 0);
  if (op == 0) forwardTask(d, task, slot);
  else if (op == 1) inputGradTask(d, task, slot);
  else if (op == 3) gemmf64Task(d, task);
  else weightGradTask(d, task, slot);
}

// Zeroes `bytes` bytes (a multiple of 4) from `p`. NOTE: not memory.fill,
// which V8 runs as a call into the runtime, slow on shared memory.
function zero(p: usize, bytes: usize): void {
  const end = p + bytes;
  const z = i32x4.splat(0);
  let q = p;
  for (; q + 16 <= end; q += 16) v128.store(q, z);
  for (; q < end; q += 4) store<i32>(q, 0);
}

@inline
function kernelSize(d: usize): i32 {
  return word(d, 10) * word(d, 11) * word(d, 12);
}

@inline
function outSize(d: usize): i32 {
  return word(d, 7) * word(d, 8) * word(d, 9);
}

@inline
function inSize(d: usize): i32 {
  return word(d, 4) * word(d, 5) * word(d, 6);
}

@inline
function scratch(d: usize, slot: i32): usize {
  return <usize>word(d, 26) + <usize>slot * <usize>word(d, 27);
}

/** The first output position along the last dimension whose tap at `shift` lands in [0, size). */
@inline
function firstValid(shift: i32, stride: i32, outW: i32): i32 {
  return min(shift >= 0 ? 0 : (stride - 1 - shift) / stride, outW);
}

/** One past the last output position whose tap at `shift` lands in [0, size). */
@inline
function endValid(shift: i32, stride: i32, size: i32, outW: i32, lo: i32): i32 {
  return max(min(size - shift <= 0 ? 0 : (size - 1 - shift) / stride + 1, outW), lo);
}

// Where the columns go: gemm's B panels (forward), or plain rows of L floats
// (weight gradient). `panels` selects. Every entry is written, zeros where
// the window reaches into the padding (and in the lanes of the last panel
// past L), so the caller need not clear the buffer first: that pass cost
// as much as writing the columns.
function im2col(d: usize, x: usize, dst: usize, panels: bool): void {
  const cg = word(d, 1);
  const inD = word(d, 4), inH = word(d, 5), inW = word(d, 6);
  const oD = word(d, 7), oH = word(d, 8), oW = word(d, 9);
  const kD = word(d, 10), kH = word(d, 11), kW = word(d, 12);
  const sD = word(d, 13), sH = word(d, 14), sW = word(d, 15);
  const dD = word(d, 16), dH = word(d, 17), dW = word(d, 18);
  const pD = word(d, 19), pH = word(d, 20), pW = word(d, 21);
  const kt = cg * kD * kH * kW;
  const L = oD * oH * oW;
  const plane = inD * inH * inW;
  let p = 0;
  for (let c = 0; c < cg; c++) {
    const image = at(x, c * plane);
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++, p++) {
          const shift = kw * dW - pW;
          const lo = firstValid(shift, sW, oW);
          const hi = endValid(shift, sW, inW, oW, lo);
          let l = 0;
          for (let od = 0; od < oD; od++) {
            const id = od * sD - pD + kd * dD;
            if (id < 0 || id >= inD) {
              zeros(panels, l, l + oH * oW, dst, kt, L, p);
              l += oH * oW;
              continue;
            }
            for (let oh = 0; oh < oH; oh++, l += oW) {
              const ih = oh * sH - pH + kh * dH;
              if (ih < 0 || ih >= inH || lo == hi) {
                zeros(panels, l, l + oW, dst, kt, L, p);
                continue;
              }
              zeros(panels, l, l + lo, dst, kt, L, p);
              const src = at(image, (id * inH + ih) * inW + lo * sW + shift);
              if (panels) toPanels(src, sW, l + lo, l + hi, dst, kt, p);
              else toRow(src, sW, hi - lo, at(dst, p * L + l + lo));
              zeros(panels, l + hi, l + oW, dst, kt, L, p);
            }
          }
          if (panels) zeros(true, L, (L + 7) & ~7, dst, kt, L, p);
        }
      }
    }
  }
}

// Zeros at positions [a, b) of row p, in either layout.
@inline
function zeros(panels: bool, a: i32, b: i32, dst: usize, kt: i32, L: i32, p: i32): void {
  if (a >= b) return;
  if (!panels) {
    clear(at(dst, p * L + a), b - a);
    return;
  }
  let l = a;
  while (l < b) {
    const lane = l & 7;
    const run = min(8 - lane, b - l);
    clear(at(dst, ((l >> 3) * kt + p) * 8 + lane), run);
    l += run;
  }
}

@inline
function clear(out: usize, count: i32): void {
  let i = 0;
  const z = i32x4.splat(0);
  for (; i + 4 <= count; i += 4) v128.store(out + (<usize>i << 2), z);
  for (; i < count; i++) store<i32>(out + (<usize>i << 2), 0);
}

// Output positions [a, b) of row p, read from src with stride sW, into B
// panels: position l is lane l & 7 of panel l >> 3 (panels of kt rows), so a
// run of positions is a few contiguous segments of at most 8 floats.
@inline
function toPanels(src: usize, sW: i32, a: i32, b: i32, dst: usize, kt: i32, p: i32): void {
  let l = a;
  let s = src;
  const step = <usize>sW << 2;
  while (l < b) {
    const lane = l & 7;
    const run = min(8 - lane, b - l);
    const out = at(dst, ((l >> 3) * kt + p) * 8 + lane);
    if (sW == 1) {
      // Unaligned 4-float moves cover nearly every segment (rows of 28 or 10 positions start mid-panel).
      let i = 0;
      for (; i + 4 <= run; i += 4) v128.store(out + (<usize>i << 2), v128.load(s + (<usize>i << 2)));
      for (; i < run; i++) store<f32>(out + (<usize>i << 2), load<f32>(s + (<usize>i << 2)));
    } else {
      for (let i = 0; i < run; i++) store<f32>(out + (<usize>i << 2), load<f32>(s + <usize>i * step));
    }
    l += run;
    s += <usize>run * step;
  }
}

@inline
function toRow(src: usize, sW: i32, count: i32, out: usize): void {
  let i = 0;
  if (sW == 1) {
    for (; i + 4 <= count; i += 4) v128.store(out + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  }
  const step = <usize>sW << 2;
  for (; i < count; i++) store<f32>(out + (<usize>i << 2), load<f32>(src + <usize>i * step));
}

// The transpose of im2col into rows: adds row p of cols (L floats each) back
// where each entry was read from, into `x` (cg planes).
function col2im(d: usize, cols: usize, x: usize): void {
  const cg = word(d, 1);
  const inD = word(d, 4), inH = word(d, 5), inW = word(d, 6);
  const oD = word(d, 7), oH = word(d, 8), oW = word(d, 9);
  const kD = word(d, 10), kH = word(d, 11), kW = word(d, 12);
  const sD = word(d, 13), sH = word(d, 14), sW = word(d, 15);
  const dD = word(d, 16), dH = word(d, 17), dW = word(d, 18);
  const pD = word(d, 19), pH = word(d, 20), pW = word(d, 21);
  const L = oD * oH * oW;
  const plane = inD * inH * inW;
  let p = 0;
  for (let c = 0; c < cg; c++) {
    const image = at(x, c * plane);
    for (let kd = 0; kd < kD; kd++) {
      for (let kh = 0; kh < kH; kh++) {
        for (let kw = 0; kw < kW; kw++, p++) {
          const shift = kw * dW - pW;
          const lo = firstValid(shift, sW, oW);
          const hi = endValid(shift, sW, inW, oW, lo);
          if (lo == hi) continue;
          let l = 0;
          for (let od = 0; od < oD; od++) {
            const id = od * sD - pD + kd * dD;
            if (id < 0 || id >= inD) {
              l += oH * oW;
              continue;
            }
            for (let oh = 0; oh < oH; oh++, l += oW) {
              const ih = oh * sH - pH + kh * dH;
              if (ih < 0 || ih >= inH) continue;
              addRow(at(cols, p * L + l + lo), at(image, (id * inH + ih) * inW + lo * sW + shift), sW, hi - lo);
            }
          }
        }
      }
    }
  }
}

@inline
function addRow(src: usize, dst: usize, sW: i32, count: i32): void {
  let i = 0;
  if (sW == 1) {
    for (; i + 4 <= count; i += 4) {
      const o = dst + (<usize>i << 2);
      v128.store(o, f32x4.add(v128.load(o), v128.load(src + (<usize>i << 2))));
    }
  }
  const step = <usize>sW << 2;
  for (; i < count; i++) {
    const o = dst + <usize>i * step;
    store<f32>(o, load<f32>(o) + load<f32>(src + (<usize>i << 2)));
  }
}

// y[n, group g] = W_g · cols(x[n, group g]) (+ bias), for every group.
// Scratch: the B panels, ⌈L/8⌉·8·Cg·K floats.
function forwardTask(d: usize, n: i32, slot: i32): void {
  const cg = word(d, 1), og = word(d, 2), groups = word(d, 3);
  const kt = cg * kernelSize(d);
  const L = outSize(d);
  const plane = inSize(d);
  const bp = scratch(d, slot);
  const aBytes = (<usize>((og + 3) >> 2) * 4 * <usize>kt) << 2;
  const bias = <usize>word(d, 25);
  for (let g = 0; g < groups; g++) {
    im2col(d, at(<usize>word(d, 22), (n * groups + g) * cg * plane), bp, true);
    const y = at(<usize>word(d, 23), (n * groups + g) * og * L);
    gemmInto(<usize>word(d, 24) + <usize>g * aBytes, bp, y, og, kt, L, L, 0, bias == 0 ? 0 : at(bias, g * og), false, 0, 0);
  }
}

// dx[n, group g] = col2im(W_gᵀ · g[n, group g]), for every group; dx[n] is
// zeroed first, so running a task twice gives the same result.
// Scratch: g's B panels (⌈L/8⌉·8·Og floats), then Wᵀ·g (Cg·K·L floats).
function inputGradTask(d: usize, n: i32, slot: i32): void {
  const cg = word(d, 1), og = word(d, 2), groups = word(d, 3);
  const kt = cg * kernelSize(d);
  const L = outSize(d);
  const plane = inSize(d);
  const bp = scratch(d, slot);
  const cols = at(bp, ((L + 7) >> 3) * 8 * og);
  const aBytes = (<usize>((kt + 3) >> 2) * 4 * <usize>og) << 2;
  const dx = at(<usize>word(d, 22), n * groups * cg * plane);
  zero(dx, (<usize>groups * <usize>cg * <usize>plane) << 2);
  for (let g = 0; g < groups; g++) {
    // g[n, group g] is [Og × L]: gemm's B, whose columns (rows of Bᵀ) are positions l, adjacent in memory.
    packf32(at(<usize>word(d, 23), (n * groups + g) * og * L), 1, L, L, og, 8, bp);
    gemmInto(<usize>word(d, 24) + <usize>g * aBytes, bp, cols, kt, og, L, L, 0, 0, false, 0, 0);
    col2im(d, cols, at(dx, g * cg * plane));
  }
}

// The weight gradient in bins: bin b sums samples b, b + B, b + 2B, ... in
// that order into its own accumulator (zeroed first, so a task run twice
// gives the same result), and the caller adds the bins up in order. Which
// thread runs a bin changes nothing, so the result does not depend on the
// number of threads or their timing.
// Per group g: acc_b[group g] += g[n, group g] · cols(x[n, group g])ᵀ.
// Scratch: cols (Cg·K·L floats), g's A panels (⌈Og/4⌉·4·L) and colsᵀ's B
// panels (⌈Cg·K/8⌉·8·L), the first rounded up to whole 4-float vectors.
function weightGradTask(d: usize, bin: i32, slot: i32): void {
  const cg = word(d, 1), og = word(d, 2), groups = word(d, 3);
  const kt = cg * kernelSize(d);
  const L = outSize(d);
  const plane = inSize(d);
  const accFloats = groups * og * kt;
  const acc = at(<usize>word(d, 28), bin * ((accFloats + 3) & ~3));
  const bins = word(d, 29);
  const samples = word(d, 30);
  const cols = scratch(d, slot);
  const ap = at(cols, (kt * L + 3) & ~3);
  const bp = at(ap, ((og + 3) >> 2) * 4 * L);
  zero(acc, <usize>accFloats << 2);
  for (let n = bin; n < samples; n += bins) {
    for (let g = 0; g < groups; g++) {
      im2col(d, at(<usize>word(d, 22), (n * groups + g) * cg * plane), cols, false);
      packf32(at(<usize>word(d, 23), (n * groups + g) * og * L), L, 1, og, L, 4, ap);
      packf32(cols, L, 1, kt, L, 8, bp);
      gemmInto(ap, bp, at(acc, g * og * kt), og, L, kt, kt, 0, 0, true, 0, 0);
    }
  }
}
