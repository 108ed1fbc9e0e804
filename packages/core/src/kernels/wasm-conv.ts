/**
 * The convolutions' float32 kernels on the WebAssembly module (asm/conv.ts):
 * the forward y = W·cols(x) + b, the input gradient col2im(Wᵀ·g) and the
 * weight gradient Σ g·cols(x)ᵀ, each over a whole batch in one call. The
 * image and the gradient are copied into module memory once (not the
 * columns, which are K times larger: the module builds each sample's columns
 * in its own scratch, straight into the product's panel layout where it
 * can), the weight is packed once, and the samples are shared between this
 * thread and the worker pool, each thread with scratch of its own.
 *
 * Each function returns false, having written nothing, when module memory
 * cannot hold the job: the caller then computes it in JavaScript.
 */
import type { WindowGeometry } from './im2col';
import { moduleParts, type ModuleParts } from './wasm';

/** A convolution's sizes: N samples, and G groups of Cg input and Og output channels each. */
export interface ConvLayout {
  n: number;
  groups: number;
  cg: number;
  og: number;
  geometry: WindowGeometry;
}

const up4 = (floats: number) => Math.ceil(floats / 4) * 4;
const up8 = (floats: number) => Math.ceil(floats / 8) * 8;
const productOf = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** The descriptor's length in i32 words (asm/conv.ts numbers them). */
const descriptorWords = 32;

interface Sizes {
  /** Kernel taps per group: Cg·kD·kH·kW. */
  kt: number;
  /** Output positions per plane. */
  L: number;
  /** Input elements per plane. */
  plane: number;
  /** Multiply-adds of the job (the same for the forward and both gradients). */
  macs: number;
}

function sizesOf(s: ConvLayout): Sizes {
  const kt = s.cg * productOf(s.geometry.kernel);
  const L = productOf(s.geometry.outSize);
  return { kt, L, plane: productOf(s.geometry.inSize), macs: s.n * s.groups * s.og * L * kt };
}

/** The geometry as three dimensions, leading ones first (asm/conv.ts runs everything as 3-D). */
function dims3(xs: readonly number[], fill: number): number[] {
  return [...new Array<number>(3 - xs.length).fill(fill), ...xs];
}

/** Writes the descriptor at float index `at` (words 0-27 of asm/conv.ts). */
function describe(
  mem: Float32Array,
  at: number,
  op: number,
  s: ConvLayout,
  pointers: { image: number; other: number; weight: number; bias: number; scratch: number; slotFloats: number },
): void {
  const g = s.geometry;
  const words = new Int32Array(mem.buffer, at * 4, descriptorWords);
  words.set([
    op,
    s.cg,
    s.og,
    s.groups,
    ...dims3(g.inSize, 1),
    ...dims3(g.outSize, 1),
    ...dims3(g.kernel, 1),
    ...dims3(g.stride, 1),
    ...dims3(g.dilation, 1),
    ...dims3(g.padBefore, 0),
    pointers.image * 4,
    pointers.other * 4,
    pointers.weight * 4,
    pointers.bias * 4,
    pointers.scratch * 4,
    pointers.slotFloats * 4,
  ]);
}

/**
 * The workers that will share a job, and how many scratch slots it needs:
 * worker w computes in slot w + 1, this thread in slot 0.
 */
function teamFor(parts: ModuleParts, s: ConvLayout, macs: number): { team: number[]; slots: number } {
  const helpers = s.n >= 2 ? parts.helpers(macs) : 0;
  const team = helpers > 0 && parts.pool !== null ? parts.pool.ready(Math.min(helpers, s.n - 1)) : [];
  return { team, slots: team.length === 0 ? 1 : Math.max(...team) + 2 };
}

/** Runs every sample's task of the job at float index `at`, on the team or on this thread alone. */
function run(parts: ModuleParts, at: number, n: number, team: readonly number[], redo?: () => void): void {
  const { convTask } = parts.exports;
  const alone = () => {
    for (let t = 0; t < n; t++) convTask(at * 4, t, 0);
  };
  if (team.length === 0 || parts.pool === null) alone();
  else parts.pool.runTasks(convTask, at * 4, n, team, redo ?? alone);
}

/**
 * Copies the weight [G·Og, kt] into module memory at `stage` and packs each
 * group's block at `dst` as gemm's A: W_g itself (`transposed` false) or
 * W_gᵀ. Returns the floats one group's panels take.
 */
function packWeight(
  parts: ModuleParts,
  mem: Float32Array,
  w: Float32Array,
  s: ConvLayout,
  kt: number,
  stage: number,
  dst: number,
  transposed: boolean,
): number {
  mem.set(w.subarray(0, s.groups * s.og * kt), stage);
  const groupFloats = transposed ? up4(kt) * s.og : up4(s.og) * kt;
  for (let g = 0; g < s.groups; g++) {
    const src = (stage + g * s.og * kt) * 4;
    const out = (dst + g * groupFloats) * 4;
    // W_g is [Og × kt], rows contiguous; W_gᵀ reads it down its columns.
    if (transposed) parts.exports.packf32(src, 1, kt, kt, s.og, 4, out);
    else parts.exports.packf32(src, kt, 1, s.og, kt, 4, out);
  }
  return groupFloats;
}

/**
 * y [N, G·Og, ...outSize] = conv(x [N, G·Cg, ...inSize], w [G·Og, Cg, ...kernel]) + bias [G·Og]
 * (bias null for none), all contiguous float32 from index 0.
 */
export function wasmConvForward(
  x: Float32Array,
  w: Float32Array,
  bias: Float32Array | null,
  y: Float32Array,
  s: ConvLayout,
): boolean {
  const parts = moduleParts();
  if (parts === null) return false;
  const { kt, L, plane, macs } = sizesOf(s);
  const o = s.groups * s.og;
  const xFloats = s.n * s.groups * s.cg * plane;
  const yFloats = s.n * o * L;
  const { team, slots } = teamFor(parts, s, macs);
  const slotFloats = up8(L) * kt;
  const xAt = parts.heap / 4 + descriptorWords;
  const yAt = xAt + up4(xFloats);
  const wAt = yAt + up4(yFloats);
  const biasAt = wAt + s.groups * up4(s.og) * kt;
  const scratchAt = biasAt + up4(bias === null ? 0 : o);
  const mem = parts.reserve(scratchAt - parts.heap / 4 + Math.max(o * kt, slots * slotFloats));
  if (mem === null) return false;
  mem.set(x.subarray(0, xFloats), xAt);
  packWeight(parts, mem, w, s, kt, scratchAt, wAt, false);
  if (bias !== null) mem.set(bias.subarray(0, o), biasAt);
  const at = parts.heap / 4;
  describe(mem, at, 0, s, {
    image: xAt,
    other: yAt,
    weight: wAt,
    bias: bias === null ? 0 : biasAt,
    scratch: scratchAt,
    slotFloats,
  });
  run(parts, at, s.n, team);
  y.set(mem.subarray(yAt, yAt + yFloats));
  return true;
}

/** dx [N, G·Cg, ...inSize] = the input gradient of conv for g [N, G·Og, ...outSize] and w [G·Og, Cg, ...kernel]. */
export function wasmConvInputGrad(g: Float32Array, w: Float32Array, dx: Float32Array, s: ConvLayout): boolean {
  const parts = moduleParts();
  if (parts === null) return false;
  const { kt, L, plane, macs } = sizesOf(s);
  const o = s.groups * s.og;
  const dxFloats = s.n * s.groups * s.cg * plane;
  const gFloats = s.n * o * L;
  const { team, slots } = teamFor(parts, s, macs);
  const slotFloats = up8(L) * s.og + up4(kt * L);
  const dxAt = parts.heap / 4 + descriptorWords;
  const gAt = dxAt + up4(dxFloats);
  const wAt = gAt + up4(gFloats);
  const scratchAt = wAt + s.groups * up4(kt) * s.og;
  const mem = parts.reserve(scratchAt - parts.heap / 4 + Math.max(o * kt, slots * slotFloats));
  if (mem === null) return false;
  mem.set(g.subarray(0, gFloats), gAt);
  packWeight(parts, mem, w, s, kt, scratchAt, wAt, true);
  const at = parts.heap / 4;
  describe(mem, at, 1, s, { image: dxAt, other: gAt, weight: wAt, bias: 0, scratch: scratchAt, slotFloats });
  run(parts, at, s.n, team);
  dx.set(mem.subarray(dxAt, dxAt + dxFloats));
  return true;
}

/** dw [G·Og, Cg, ...kernel] = the weight gradient of conv for x [N, G·Cg, ...inSize] and g [N, G·Og, ...outSize]. */
export function wasmConvWeightGrad(x: Float32Array, g: Float32Array, dw: Float32Array, s: ConvLayout): boolean {
  const parts = moduleParts();
  if (parts === null) return false;
  const { kt, L, plane, macs } = sizesOf(s);
  const o = s.groups * s.og;
  const xFloats = s.n * s.groups * s.cg * plane;
  const gFloats = s.n * o * L;
  const { team, slots } = teamFor(parts, s, macs);
  const accFloats = o * kt;
  // The accumulator, the columns, g's panels and the columns' panels (asm/conv.ts, weightGradTask).
  const slotFloats = up4(accFloats) + up4(kt * L) + up4(s.og) * L + up8(kt) * L;
  const xAt = parts.heap / 4 + descriptorWords;
  const gAt = xAt + up4(xFloats);
  const scratchAt = gAt + up4(gFloats);
  const mem = parts.reserve(scratchAt - parts.heap / 4 + slots * slotFloats);
  if (mem === null) return false;
  mem.set(x.subarray(0, xFloats), xAt);
  mem.set(g.subarray(0, gFloats), gAt);
  for (let slot = 0; slot < slots; slot++) {
    const acc = scratchAt + slot * slotFloats;
    mem.fill(0, acc, acc + accFloats);
  }
  const at = parts.heap / 4;
  describe(mem, at, 2, s, { image: xAt, other: gAt, weight: 0, bias: 0, scratch: scratchAt, slotFloats });
  let summed = slots;
  run(parts, at, s.n, team, () => {
    // A worker stopped mid-job: start over in slot 0 alone, and read only it.
    mem.fill(0, scratchAt, scratchAt + accFloats);
    for (let t = 0; t < s.n; t++) parts.exports.convTask(at * 4, t, 0);
    summed = 1;
  });
  dw.set(mem.subarray(scratchAt, scratchAt + accFloats));
  for (let slot = 1; slot < summed; slot++) {
    const acc = scratchAt + slot * slotFloats;
    for (let i = 0; i < accFloats; i++) dw[i] += mem[acc + i] as number;
  }
  return true;
}
