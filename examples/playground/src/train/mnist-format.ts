/**
 * The mnist digits as one compact binary file, for the page's worker: the
 * `mnist` package holds them as 20 MB of JavaScript numbers, but only 256
 * distinct pixel values occur, so each pixel is a byte indexing a table of
 * them, and the file is 7.9 MB (1.6 MB gzip) where the module was 20 MB.
 * The build writes it (vite.config.ts); decoding gives back exactly the
 * package's values, in loadDigits' order (examples/mnist/src/data.ts).
 *
 * Layout, little-endian: the count n (uint32), the 256 pixel values
 * (float64), n·784 pixel indices (uint8), n labels (uint8).
 */

/** The digits as loadDigits orders them: pixels row by row (784 per image) and one label per image. */
export interface DigitArrays {
  pixels: Float32Array;
  labels: Int32Array;
}

const PIXELS = 784;
const TABLE = 256;

/** Encodes digits whose pixels take at most 256 distinct values. */
export function encodeDigits(pixels: ArrayLike<number>, labels: ArrayLike<number>): Uint8Array {
  const n = labels.length;
  const values = [...new Set(Array.from(pixels))].sort((a, b) => a - b);
  if (values.length > TABLE)
    throw new Error(`encodeDigits: ${values.length} distinct pixel values, at most ${TABLE} fit`);
  const index = new Map(values.map((v, i) => [v, i]));
  const bytes = new Uint8Array(4 + TABLE * 8 + n * PIXELS + n);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, n, true);
  values.forEach((v, i) => view.setFloat64(4 + i * 8, v, true));
  const at = 4 + TABLE * 8;
  for (let i = 0; i < n * PIXELS; i++) bytes[at + i] = index.get(pixels[i] as number) as number;
  for (let i = 0; i < n; i++) bytes[at + n * PIXELS + i] = labels[i] as number;
  return bytes;
}

/** Decodes {@link encodeDigits}' file. */
export function decodeDigits(bytes: Uint8Array): DigitArrays {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getUint32(0, true);
  const at = 4 + TABLE * 8;
  if (bytes.byteLength !== at + n * PIXELS + n) {
    throw new Error(`decodeDigits: ${bytes.byteLength} bytes, expected ${at + n * PIXELS + n} for ${n} digits`);
  }
  const table = new Float32Array(TABLE);
  for (let i = 0; i < TABLE; i++) table[i] = view.getFloat64(4 + i * 8, true);
  const pixels = new Float32Array(n * PIXELS);
  for (let i = 0; i < n * PIXELS; i++) pixels[i] = table[bytes[at + i] as number] as number;
  return { pixels, labels: Int32Array.from(bytes.subarray(at + n * PIXELS, at + n * PIXELS + n)) };
}
