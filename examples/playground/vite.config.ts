import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { digitArrays } from '../mnist/src/digit-arrays';
import { encodeDigits } from './src/train/mnist-format';

// The workers of core's kernels and the trainer share memory only in a
// cross-origin isolated page, so the dev server and the preview send the
// same headers the test server does.
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const digitsFile = fileURLToPath(new URL('./src/train/generated/mnist-digits.bin', import.meta.url));

/**
 * Writes the `mnist` package's digits as the compact file the digits worker
 * fetches (src/train/mnist-format.ts), before anything is transformed, so
 * the worker's `new URL('./generated/mnist-digits.bin', import.meta.url)`
 * finds it, in the order examples/mnist's loadDigits reads them.
 */
function mnistDigits(): Plugin {
  return {
    name: 'chainrule-mnist-digits',
    buildStart() {
      const { pixels, labels } = digitArrays();
      mkdirSync(dirname(digitsFile), { recursive: true });
      writeFileSync(digitsFile, encodeDigits(pixels, labels));
    },
  };
}

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of a static host.
  base: './',
  // The packages' TypeScript sources, as the tests use them: no package build first.
  resolve: { conditions: ['@chainrule/source', 'module', 'browser', 'development|production'] },
  server: { headers },
  preview: { headers },
  plugins: [mnistDigits()],
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
