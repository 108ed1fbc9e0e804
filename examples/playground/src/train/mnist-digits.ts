/**
 * The digits in the page: the compact file the build makes from the `mnist`
 * package (mnist-format.ts, vite.config.ts), fetched and decoded in the
 * digits worker, as the same tensors loadDigits gives in Node.
 */
import { tensor } from '@chainrule/core';
import type { Digits } from '../../../mnist/src/data';
import { decodeDigits } from './mnist-format';

/** Fetches and decodes the digits (once per worker). */
export async function fetchDigits(): Promise<Digits> {
  const response = await fetch(new URL('./generated/mnist-digits.bin', import.meta.url));
  if (!response.ok) throw new Error(`the mnist digits could not be fetched (HTTP ${response.status})`);
  const { pixels, labels } = decodeDigits(new Uint8Array(await response.arrayBuffer()));
  return { images: tensor(pixels, { shape: [labels.length, 784] }), labels: tensor(labels) };
}
