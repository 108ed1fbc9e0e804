import { defineConfig } from 'vite';

// The workers of core's kernels and the trainer share memory only in a
// cross-origin isolated page, so the dev server and the preview send the
// same headers the test server does.
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative asset URLs: dist/ works from any folder of a static host.
  base: './',
  // The packages' TypeScript sources, as the tests use them: no package build first.
  resolve: { conditions: ['@chainrule/source', 'module', 'browser', 'development|production'] },
  server: { headers },
  preview: { headers },
  worker: { format: 'es' },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
