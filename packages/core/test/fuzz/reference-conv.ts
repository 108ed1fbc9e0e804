/**
 * Slow, obvious references for the convolution family in the op-sequence
 * fuzzer, written from PyTorch's definitions element by element (no im2col,
 * nothing shared with chainrule's kernels). Inputs are batched
 * `[N, C, ...spatial]` Refs; the plans in sequence-conv-ops.ts decide what
 * PyTorch would refuse.
 */
import type { DType } from '../../src/index';
import { coords, flatIndex, make, sizeOf, type Ref } from './reference';

/** Per spatial dimension: kernel, stride, dilation and padding. */
export interface Win {
  kernel: number[];
  stride: number[];
  dilation: number[];
  padding: number[];
}

/** How many windows fit along dimension i of a spatial size. */
export function windowsAlong(size: number, w: Win, i: number): number {
  const k = w.kernel[i] as number;
  const d = w.dilation[i] as number;
  return Math.floor((size + 2 * (w.padding[i] as number) - d * (k - 1) - 1) / (w.stride[i] as number)) + 1;
}

/** The input position window `o` and tap `k` read along each dimension (may fall in the padding). */
function tap(w: Win, o: readonly number[], k: readonly number[]): number[] {
  return o.map(
    (v, i) => v * (w.stride[i] as number) - (w.padding[i] as number) + (k[i] as number) * (w.dilation[i] as number),
  );
}

const inside = (pos: readonly number[], size: readonly number[]) =>
  pos.every((p, i) => p >= 0 && p < (size[i] as number));

/** torch.nn.functional.unfold: out[n, c·K + k, l] = x[n, c, tap(l, k)], 0 in the padding. */
export function unfoldRef(x: Ref, w: Win, dtype: DType): Ref {
  const [n, c, ...size] = x.shape as [number, number, ...number[]];
  const out = size.map((s, i) => windowsAlong(s, w, i));
  const k = sizeOf(w.kernel);
  const l = sizeOf(out);
  const shape = [n, c * k, l];
  return make(shape, dtype, (idx) => {
    const [b, row, col] = coords(shape, idx) as [number, number, number];
    const pos = tap(w, coords(out, col), coords(w.kernel, row % k));
    return inside(pos, size) ? (x.data[flatIndex(x.shape, [b, Math.floor(row / k), ...pos])] as number) : 0;
  });
}

/** torch.nn.functional.fold: every column entry added at the position unfold read it from. */
export function foldRef(cols: Ref, size: number[], w: Win, dtype: DType): Ref {
  const [n, rows] = cols.shape as [number, number, number];
  const k = sizeOf(w.kernel);
  const c = rows / k;
  const out = size.map((s, i) => windowsAlong(s, w, i));
  const shape = [n, c, ...size];
  const sums = new Float64Array(sizeOf(shape));
  for (let idx = 0; idx < cols.data.length; idx++) {
    const [b, row, col] = coords(cols.shape, idx) as [number, number, number];
    const pos = tap(w, coords(out, col), coords(w.kernel, row % k));
    if (inside(pos, size)) {
      const at = flatIndex(shape, [b, Math.floor(row / k), ...pos]);
      sums[at] = (sums[at] as number) + (cols.data[idx] as number);
    }
  }
  return make(shape, dtype, (i) => sums[i] as number);
}

/**
 * torch.nn.functional.conv1d/2d/3d from the definition:
 * out[n, o, p] = bias[o] + Σ_{c, k} w[o, c, k] · x[n, group(o)·Cg + c, tap(p, k)],
 * with `w.padding` the padding before each dimension and `outSize` given
 * (so 'same' can pad more after than before).
 */
export function convRef(
  x: Ref,
  w: Ref,
  bias: Ref | null,
  win: Win,
  outSize: number[],
  groups: number,
  dtype: DType,
): Ref {
  const [n, , ...size] = x.shape as [number, number, ...number[]];
  const [o, cg, ...kernel] = w.shape as [number, number, ...number[]];
  const perGroup = o / groups;
  const taps = sizeOf(kernel);
  const shape = [n, o, ...outSize];
  return make(shape, dtype, (idx) => {
    const [b, oc, ...p] = coords(shape, idx) as [number, number, ...number[]];
    const group = Math.floor(oc / perGroup);
    let s = bias === null ? 0 : (bias.data[oc] as number);
    for (let ci = 0; ci < cg; ci++) {
      for (let t = 0; t < taps; t++) {
        const k = coords(kernel, t);
        const pos = tap(win, p, k);
        // Padding reads 0, and 0 · w is still a product: 0 · ∞ = NaN, as in PyTorch.
        const xv = inside(pos, size) ? (x.data[flatIndex(x.shape, [b, group * cg + ci, ...pos])] as number) : 0;
        s += (w.data[flatIndex(w.shape, [oc, ci, ...k])] as number) * xv;
      }
    }
    return s;
  });
}

/**
 * torch.nn.functional.conv_transpose1d/2d/3d from the definition: input
 * position p and tap k add w[c, o, k]·x[n, c, p] to output position
 * p·stride − padding + k·dilation (dropped outside the output), plus the bias.
 */
export function convTransposeRef(
  x: Ref,
  w: Ref,
  bias: Ref | null,
  win: Win,
  outSize: number[],
  groups: number,
  dtype: DType,
): Ref {
  const [n, c] = x.shape as [number, number];
  const [, og, ...kernel] = w.shape as [number, number, ...number[]];
  const o = og * groups;
  const cg = c / groups;
  const shape = [n, o, ...outSize];
  const sums = new Float64Array(sizeOf(shape));
  for (let i = 0; i < sums.length; i++)
    sums[i] = bias === null ? 0 : (bias.data[coords(shape, i)[1] as number] as number);
  const taps = sizeOf(kernel);
  for (let idx = 0; idx < x.data.length; idx++) {
    const [b, ci, ...p] = coords(x.shape, idx) as [number, number, ...number[]];
    const group = Math.floor(ci / cg);
    for (let oc = 0; oc < og; oc++) {
      for (let t = 0; t < taps; t++) {
        const k = coords(kernel, t);
        const q = tap(win, p, k);
        if (!inside(q, outSize)) continue;
        const at = flatIndex(shape, [b, group * og + oc, ...q]);
        sums[at] =
          (sums[at] as number) + (w.data[flatIndex(w.shape, [ci, oc, ...k])] as number) * (x.data[idx] as number);
      }
    }
  }
  return make(shape, dtype, (i) => sums[i] as number);
}

/** PyTorch's pooling_output_shape along one dimension. */
export function poolSize(n: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  let out = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0)) / s) + 1;
  if (ceilMode && (out - 1) * s >= n + p) out--;
  return out;
}

/** Every window's input positions (row-major), given its taps along each dimension. */
function windowPositions(axes: readonly number[][][], o: readonly number[]): number[][] {
  let list: number[][] = [[]];
  o.forEach((v, i) => {
    const taps = (axes[i] as number[][])[v] as number[];
    list = list.flatMap((prefix) => taps.map((t) => [...prefix, t]));
  });
  return list;
}

/**
 * The max over each window, by PyTorch's rule (a larger value or a NaN takes
 * over, so ties keep the first, the last NaN wins), with the position of the
 * winner in its plane. `taps[i][o]` lists the input positions window o reads
 * along dimension i (inside the input only).
 */
export function maxOverRef(x: Ref, taps: number[][][], dtype: DType): { values: Ref; indices: Ref } {
  const [n, c, ...size] = x.shape as [number, number, ...number[]];
  const out = taps.map((t) => t.length);
  const shape = [n, c, ...out];
  const winner = (i: number): [number, number] => {
    const [b, ch, ...o] = coords(shape, i) as [number, number, ...number[]];
    const positions = windowPositions(taps, o);
    let best = flatIndex(size, positions[0] as number[]);
    let max = Number.NEGATIVE_INFINITY;
    for (const pos of positions) {
      const v = x.data[flatIndex(x.shape, [b, ch, ...pos])] as number;
      if (v > max || Number.isNaN(v)) {
        max = v;
        best = flatIndex(size, pos);
      }
    }
    return [max, best];
  };
  return {
    values: make(shape, dtype, (i) => winner(i)[0]),
    indices: make(shape, 'int32', (i) => winner(i)[1]),
  };
}

/** Taps of a max pool along one dimension: o·s − p + j·d for j < k, inside the input. */
export function maxPoolTaps(n: number, k: number, s: number, p: number, d: number, out: number): number[][] {
  return Array.from({ length: out }, (_, o) =>
    Array.from({ length: k }, (_, j) => o * s - p + j * d).filter((t) => t >= 0 && t < n),
  );
}

/** Adaptive windows: [⌊o·n/out⌋, ⌈(o + 1)·n/out⌉). */
export function adaptiveTaps(n: number, out: number): number[][] {
  return Array.from({ length: out }, (_, o) => {
    const lo = Math.floor((o * n) / out);
    const hi = Math.ceil(((o + 1) * n) / out);
    return Array.from({ length: hi - lo }, (_, j) => lo + j);
  });
}

/**
 * The mean over each window: the sum of its taps divided by `divisor(o)`
 * (PyTorch's avg_pool divisor, or the window's size for the adaptive pools).
 */
export function meanOverRef(x: Ref, taps: number[][][], divisor: (o: number[]) => number, dtype: DType): Ref {
  const [n, c] = x.shape as [number, number];
  const shape = [n, c, ...taps.map((t) => t.length)];
  return make(shape, dtype, (i) => {
    const [b, ch, ...o] = coords(shape, i) as [number, number, ...number[]];
    let s = 0;
    for (const pos of windowPositions(taps, o)) s += x.data[flatIndex(x.shape, [b, ch, ...pos])] as number;
    return s / divisor(o);
  });
}

/** max_unpool: each value at its index in its plane of `outSize` zeros; a later value overwrites an earlier one. */
export function unpoolRef(x: Ref, indices: readonly number[], outSize: number[], dtype: DType): Ref {
  const [n, c, ...size] = x.shape as [number, number, ...number[]];
  const plane = sizeOf(outSize);
  const inPlane = sizeOf(size);
  const data = new Array<number>(n * c * plane).fill(0);
  indices.forEach((at, i) => {
    data[Math.floor(i / inPlane) * plane + at] = x.data[i] as number;
  });
  return make([n, c, ...outSize], dtype, (i) => data[i] as number);
}

/**
 * torch.nn.functional.pad: `before`/`after` per dimension (negative crops).
 * Output coordinate j along a dimension is input coordinate j − before;
 * 'constant' fills what falls outside with `value`, 'reflect' mirrors about
 * the edge element, 'replicate' takes the edge element, and 'circular' wraps
 * around the part the crops keep (as PyTorch's _pad_circular does).
 */
export function padRef(x: Ref, before: number[], after: number[], mode: string, value: number): Ref {
  const shape = x.shape.map((n, i) => n + (before[i] as number) + (after[i] as number));
  return make(shape, x.dtype, (idx) => {
    const c = coords(shape, idx);
    const src: number[] = [];
    for (let d = 0; d < c.length; d++) {
      const n = x.shape[d] as number;
      const i = (c[d] as number) - (before[d] as number);
      if (mode === 'constant') {
        if (i < 0 || i >= n) return value;
        src.push(i);
      } else if (mode === 'reflect') src.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
      else if (mode === 'replicate') src.push(Math.min(Math.max(i, 0), n - 1));
      else {
        const lo = Math.max(-(before[d] as number), 0);
        const kept = n - lo - Math.max(-(after[d] as number), 0);
        const k = (c[d] as number) - Math.max(before[d] as number, 0);
        src.push(lo + (((k % kept) + kept) % kept));
      }
    }
    return x.data[flatIndex(x.shape, src)] as number;
  });
}
