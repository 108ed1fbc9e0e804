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

/** Where a job's arrays are (float indices into module memory; 0 where unused), and the weight gradient's bins. */
interface JobPointers {
  image: number;
  other: number;
  weight: number;
  bias: number;
  scratch: number;
  slotFloats: number;
  accumulators?: number;
  bins?: number;
}

/** Writes the descriptor at float index `at` (words 0-30 of asm/conv.ts). */
function describe(mem: Float32Array, at: number, op: number, s: ConvLayout, pointers: JobPointers): void {
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
    (pointers.accumulators ?? 0) * 4,
    pointers.bins ?? 0,
    s.n,
  ]);
}

/**
 * The workers that will share a job of `tasks` tasks, and how many scratch
 * slots it needs: worker w computes in slot w + 1, this thread in slot 0.
 */
function teamFor(parts: ModuleParts, tasks: number, macs: number): { team: number[]; slots: number } {
  const helpers = tasks >= 2 ? parts.helpers(macs) : 0;
  const team = helpers > 0 && parts.pool !== null ? parts.pool.ready(Math.min(helpers, tasks - 1)) : [];
  return { team, slots: team.length === 0 ? 1 : Math.max(...team) + 2 };
}

/**
 * Runs tasks 0 … tasks-1 of the job at float index `at`, on the team or on
 * this thread alone. Every task overwrites what it writes, so a job
 * interrupted by a dying worker is simply run again here.
 */
function run(parts: ModuleParts, at: number, tasks: number, team: readonly number[]): void {
  const { convTask } = parts.exports;
  const alone = () => {
    for (let t = 0; t < tasks; t++) convTask(at * 4, t, 0);
  };
  if (team.length === 0 || parts.pool === null) alone();
  else parts.pool.runTasks(convTask, at * 4, tasks, team, alone);
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
  const { team, slots } = teamFor(parts, s.n, macs);
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
  const { team, slots } = teamFor(parts, s.n, macs);
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

/**
 * At most this many bins for a weight gradient, and at most this many floats
 * of accumulators in all: the bins depend only on the sizes, never on the
 * threads, so the sum's order (and every bit of the result) does too.
 */
const maxBins = 16;
const maxAccumulatorFloats = 2 ** 24;

/** dw [G·Og, Cg, ...kernel] = the weight gradient of conv for x [N, G·Cg, ...inSize] and g [N, G·Og, ...outSize]. */
export function wasmConvWeightGrad(x: Float32Array, g: Float32Array, dw: Float32Array, s: ConvLayout): boolean {
  const parts = moduleParts();
  if (parts === null) return false;
  const { kt, L, plane, macs } = sizesOf(s);
  const o = s.groups * s.og;
  const xFloats = s.n * s.groups * s.cg * plane;
  const gFloats = s.n * o * L;
  const accFloats = o * kt;
  const bins = Math.max(1, Math.min(s.n, maxBins, Math.floor(maxAccumulatorFloats / up4(accFloats))));
  const { team, slots } = teamFor(parts, bins, macs);
  // The columns, g's panels and the columns' panels (asm/conv.ts, weightGradTask).
  const slotFloats = up4(kt * L) + up4(s.og) * L + up8(kt) * L;
  const xAt = parts.heap / 4 + descriptorWords;
  const gAt = xAt + up4(xFloats);
  const accAt = gAt + up4(gFloats);
  const scratchAt = accAt + bins * up4(accFloats);
  const mem = parts.reserve(scratchAt - parts.heap / 4 + slots * slotFloats);
  if (mem === null) return false;
  mem.set(x.subarray(0, xFloats), xAt);
  mem.set(g.subarray(0, gFloats), gAt);
  const at = parts.heap / 4;
  describe(mem, at, 2, s, {
    image: xAt,
    other: gAt,
    weight: 0,
    bias: 0,
    scratch: scratchAt,
    slotFloats,
    accumulators: accAt,
    bins,
  });
  run(parts, at, bins, team);
  dw.set(mem.subarray(accAt, accAt + accFloats));
  for (let b = 1; b < bins; b++) {
    const acc = accAt + b * up4(accFloats);
    for (let i = 0; i < accFloats; i++) dw[i] += mem[acc + i] as number;
  }
  return true;
}
