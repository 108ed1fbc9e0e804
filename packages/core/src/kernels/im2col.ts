/**
 * im2col and its adjoint col2im over one, two or three spatial dimensions.
 * A convolution is a matrix product once every receptive field is laid out as
 * a column: `cols[plane, k, l]` holds the input element that kernel position
 * k sees when the window sits at output position l (0 where it falls into
 * the padding). col2im adds each column entry back where it came from, so the
 * two are each other's transpose: the gradient of one is the other.
 *
 * Shorter layouts are run as three-dimensional ones with leading size-1
 * dimensions, so one loop nest serves conv1d, conv2d and conv3d.
 */
import type { FloatArr } from './arrays';

/**
 * Where the windows sit, one entry per spatial dimension: the input's size,
 * how many windows (output positions) there are, the kernel's size, the step
 * between windows, the step between kernel taps, and the padding before the
 * first element. Output position o and kernel tap k read input element
 * `o·stride - padBefore + k·dilation`, or 0 outside [0, inSize).
 */
export interface WindowGeometry {
  readonly inSize: readonly number[];
  readonly outSize: readonly number[];
  readonly kernel: readonly number[];
  readonly stride: readonly number[];
  readonly dilation: readonly number[];
  readonly padBefore: readonly number[];
}

/** The geometry with size-1 dimensions put in front until there are three. */
interface Geometry3 {
  inD: number;
  inH: number;
  inW: number;
  oD: number;
  oH: number;
  oW: number;
  kD: number;
  kH: number;
  kW: number;
  sD: number;
  sH: number;
  sW: number;
  dD: number;
  dH: number;
  dW: number;
  pD: number;
  pH: number;
  pW: number;
}

function to3(g: WindowGeometry): Geometry3 {
  const lead = 3 - g.inSize.length;
  const at = (xs: readonly number[], i: number, fill: number) => (i < lead ? fill : xs[i - lead]);
  return {
    inD: at(g.inSize, 0, 1),
    inH: at(g.inSize, 1, 1),
    inW: at(g.inSize, 2, 1),
    oD: at(g.outSize, 0, 1),
    oH: at(g.outSize, 1, 1),
    oW: at(g.outSize, 2, 1),
    kD: at(g.kernel, 0, 1),
    kH: at(g.kernel, 1, 1),
    kW: at(g.kernel, 2, 1),
    sD: at(g.stride, 0, 1),
    sH: at(g.stride, 1, 1),
    sW: at(g.stride, 2, 1),
    dD: at(g.dilation, 0, 1),
    dH: at(g.dilation, 1, 1),
    dW: at(g.dilation, 2, 1),
    pD: at(g.padBefore, 0, 0),
    pH: at(g.padBefore, 1, 0),
    pW: at(g.padBefore, 2, 0),
  };
}

/**
 * The output positions [lo, hi) along the last dimension whose tap at
 * `shift` (= k·dilation - padBefore) lands inside the input: solving
 * 0 ≤ o·stride + shift < inSize once per row keeps the inner loop free of
 * bounds tests.
 */
function validRange(shift: number, stride: number, inSize: number, outSize: number): [number, number] {
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = inSize - shift <= 0 ? 0 : Math.floor((inSize - 1 - shift) / stride) + 1;
  return [Math.min(lo, outSize), Math.max(Math.min(hi, outSize), Math.min(lo, outSize))];
}

/**
 * Writes the columns of `planes` contiguous input planes (N·C of them, each
 * inD·inH·inW elements from `xOffset`) into `cols` (planes × K × L,
 * contiguous, zero-filled by the caller).
 */
export function im2col(x: FloatArr, xOffset: number, cols: FloatArr, planes: number, geometry: WindowGeometry): void {
  const g = to3(geometry);
  const inPlane = g.inD * g.inH * g.inW;
  const L = g.oD * g.oH * g.oW;
  const K = g.kD * g.kH * g.kW;
  for (let p = 0; p < planes; p++) {
    const xBase = xOffset + p * inPlane;
    let row = p * K * L;
    for (let kd = 0; kd < g.kD; kd++) {
      for (let kh = 0; kh < g.kH; kh++) {
        for (let kw = 0; kw < g.kW; kw++, row += L) {
          const shiftW = kw * g.dW - g.pW;
          const [lo, hi] = validRange(shiftW, g.sW, g.inW, g.oW);
          let o = row;
          for (let od = 0; od < g.oD; od++) {
            const id = od * g.sD - g.pD + kd * g.dD;
            for (let oh = 0; oh < g.oH; oh++, o += g.oW) {
              const ih = oh * g.sH - g.pH + kh * g.dH;
              // Rows in the padding stay 0, as the caller zero-filled cols.
              if (id < 0 || id >= g.inD || ih < 0 || ih >= g.inH) continue;
              const src = xBase + (id * g.inH + ih) * g.inW + shiftW;
              for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[src + ow * g.sW];
            }
          }
        }
      }
    }
  }
}

/**
 * The transpose of {@link im2col}: adds every entry of `cols` (planes × K × L
 * from `colsOffset`) into the input position it was read from, in `x`
 * (planes contiguous planes, zero-filled by the caller). Entries that came
 * from the padding are dropped.
 */
export function col2im(
  cols: FloatArr,
  colsOffset: number,
  x: FloatArr,
  planes: number,
  geometry: WindowGeometry,
): void {
  const g = to3(geometry);
  const inPlane = g.inD * g.inH * g.inW;
  const L = g.oD * g.oH * g.oW;
  const K = g.kD * g.kH * g.kW;
  for (let p = 0; p < planes; p++) {
    const xBase = p * inPlane;
    let row = colsOffset + p * K * L;
    for (let kd = 0; kd < g.kD; kd++) {
      for (let kh = 0; kh < g.kH; kh++) {
        for (let kw = 0; kw < g.kW; kw++, row += L) {
          const shiftW = kw * g.dW - g.pW;
          const [lo, hi] = validRange(shiftW, g.sW, g.inW, g.oW);
          let o = row;
          for (let od = 0; od < g.oD; od++) {
            const id = od * g.sD - g.pD + kd * g.dD;
            for (let oh = 0; oh < g.oH; oh++, o += g.oW) {
              const ih = oh * g.sH - g.pH + kh * g.dH;
              if (id < 0 || id >= g.inD || ih < 0 || ih >= g.inH) continue;
              const dst = xBase + (id * g.inH + ih) * g.inW + shiftW;
              for (let ow = lo; ow < hi; ow++) x[dst + ow * g.sW] += cols[o + ow];
            }
          }
        }
      }
    }
  }
}
