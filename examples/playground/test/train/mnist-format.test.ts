/**
 * The page's compact copy of the digits (mnist-format.ts) against the
 * `mnist` package itself, read by the MNIST example's loadDigits: the same
 * pixel values to the bit and the same labels, in the same order.
 */
import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../mnist/src/digits';
import { decodeDigits, encodeDigits } from '../../src/train/mnist-format';

describe('the digits file', () => {
  it('decodes to exactly what loadDigits reads from the mnist package', () => {
    const digits = loadDigits();
    const pixels = digits.images.data() as Float32Array;
    const labels = digits.labels.data() as Int32Array;
    const file = encodeDigits(pixels, labels);
    // 256 pixel values in a table, one byte per pixel and per label.
    expect(file.byteLength).toBe(4 + 256 * 8 + labels.length * 785);
    const decoded = decodeDigits(file);
    expect(decoded.labels).toEqual(labels);
    let differing = 0;
    for (let i = 0; i < pixels.length; i++) if (!Object.is(decoded.pixels[i], pixels[i])) differing++;
    expect(differing).toBe(0);
  });

  it('refuses a truncated file and more than 256 distinct values', () => {
    const file = encodeDigits([0, 0.5, 1, ...new Array<number>(781).fill(0)], [3]);
    expect(decodeDigits(file).labels).toEqual(Int32Array.of(3));
    expect(() => decodeDigits(file.subarray(0, file.length - 1))).toThrow(/2836 bytes, expected 2837 for 1 digits/);
    expect(() =>
      encodeDigits(
        Array.from({ length: 784 }, (_, i) => i),
        [0],
      ),
    ).toThrow(/784 distinct pixel values/);
  });
});
