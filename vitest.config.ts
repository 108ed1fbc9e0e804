import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Sibling packages resolve to their TypeScript sources through the
// '@chainrule/source' export condition, so tests never need a build first.
const conditions = ['@chainrule/source', 'import', 'module', 'node', 'default'];
const resolve = { conditions };
const ssr = { resolve: { conditions, externalConditions: conditions } };

// FC_SEED (see the setup file) must reach every project's properties.
const setupFiles = [fileURLToPath(new URL('./vitest.setup.ts', import.meta.url))];

function project(name: string, root: string) {
  return {
    resolve,
    ssr,
    test: {
      name,
      root,
      setupFiles,
      include: ['test/**/*.test.ts', '**/*.test.ts'],
      exclude: ['**/node_modules/**', '**/dist/**'],
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      project('core', './packages/core'),
      project('nn', './packages/nn'),
      project('optim', './packages/optim'),
      project('onnx', './packages/onnx'),
      project('cross-package', './test'),
      project('examples', './examples/mnist'),
      project('example-transformer', './examples/transformer'),
      // Issue 20: the kernel tests again on Node with relaxed SIMD enabled, so
      // CI runs both builds of the WebAssembly kernels (wasm-features.ts).
      {
        resolve,
        ssr,
        test: {
          ...project('core-relaxed-simd', './packages/core').test,
          include: ['test/kernels/**/*.test.ts'],
          // The pool's mechanics do not depend on the build, and two pools
          // of workers racing on a loaded machine made its timing tests flaky.
          exclude: ['**/node_modules/**', '**/dist/**', 'test/kernels/thread-pool.test.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd'],
        },
      },
      // The playground (issue 21): its model in Node and the built site in headless Chromium.
      {
        resolve,
        ssr,
        test: {
          name: 'playground',
          root: './examples/playground',
          setupFiles,
          include: ['test/**/*.test.ts'],
          exclude: ['**/node_modules/**', '**/dist/**'],
          // The site is built once (by content hash) before any file opens a browser.
          globalSetup: ['./test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
