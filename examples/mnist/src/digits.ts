/**
 * The `mnist` package's 10,000 digits as tensors. A module of its own: it
 * pulls in the package's 20 MB of numbers, which the playground's page
 * replaces with a compact file (examples/playground/src/train/mnist-format.ts).
 */
import { tensor } from '@chainrule/core';
import { PIXELS, type Digits } from './data';
import { digitArrays } from './digit-arrays';

/** Every sample of the package, in digitArrays' order (digit 0's first). */
export function loadDigits(): Digits {
  const { pixels, labels } = digitArrays();
  return { images: tensor(pixels, { shape: [labels.length, PIXELS] }), labels: tensor(labels) };
}
