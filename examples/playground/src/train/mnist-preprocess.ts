/**
 * A drawn digit made to look like an MNIST digit, as the MNIST authors
 * prepared theirs: the ink's bounding box scaled (keeping its aspect ratio)
 * to fit a 20 × 20 box, grey levels from the area each output pixel covers,
 * then the box placed in a 28 × 28 frame so that the ink's centre of mass
 * sits at the frame's centre. No DOM: the page passes the canvas's ink.
 */
import { ArgumentError } from '@chainrule/core';

/** Side of the MNIST frame. */
export const FRAME = 28;
/** Side of the box the ink is scaled into. */
export const BOX = 20;

/** Ink below this (of 1) does not count towards the bounding box: antialiasing fringes would widen it. */
const INK_THRESHOLD = 0.1;

/**
 * Turns a `width` × `height` ink image (row-major, 0 = paper, 1 = ink) into
 * the network's 784 inputs in [0, 1], row-major. Returns null when there is
 * no ink.
 *
 * @example
 * const pixels = toMnist(alphaOfCanvas, 280, 280); // 784 values, or null for an empty canvas
 */
export function toMnist(ink: ArrayLike<number>, width: number, height: number): Float32Array | null {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || ink.length !== width * height)
    throw new ArgumentError(
      'toMnist',
      `expected width × height ink values with positive integer sides, got ${ink.length} values for ${width} × ${height}`,
    );
  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > INK_THRESHOLD) {
        if (y < top) top = y;
        if (y > bottom) bottom = y;
        if (x < left) left = x;
        if (x > right) right = x;
      }
    }
  }
  if (bottom < 0) return null;
  const boxW = right - left + 1;
  const boxH = bottom - top + 1;
  const scale = BOX / Math.max(boxW, boxH);
  const outW = Math.max(1, Math.round(boxW * scale));
  const outH = Math.max(1, Math.round(boxH * scale));
  // Output pixel (ox, oy) covers the source rectangle [left + ox/sx, left + (ox+1)/sx) × (the same in y);
  // its grey level is the mean ink over that rectangle, partial source pixels weighted by their overlap.
  const sx = outW / boxW;
  const sy = outH / boxH;
  const small = new Float32Array(outW * outH);
  for (let oy = 0; oy < outH; oy++) {
    const y0 = top + oy / sy;
    const y1 = top + (oy + 1) / sy;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = left + ox / sx;
      const x1 = left + (ox + 1) / sx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * Math.min(Math.max(ink[y * width + x] as number, 0), 1);
        }
      }
      small[oy * outW + ox] = sum / ((x1 - x0) * (y1 - y0));
    }
  }
  // Centre of mass of the scaled box, in pixel-centre coordinates of the box.
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const v = small[y * outW + x] as number;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // The frame's centre is 14 in the same coordinates; shifts are whole pixels, as MNIST's were.
  const dx = Math.round(FRAME / 2 - mx / mass);
  const dy = Math.round(FRAME / 2 - my / mass);
  const out = new Float32Array(FRAME * FRAME);
  for (let y = 0; y < outH; y++) {
    const fy = y + dy;
    if (fy < 0 || fy >= FRAME) continue;
    for (let x = 0; x < outW; x++) {
      const fx = x + dx;
      if (fx >= 0 && fx < FRAME) out[fy * FRAME + fx] = small[y * outW + x] as number;
    }
  }
  return out;
}
