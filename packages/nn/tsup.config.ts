import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/node.ts'],
  format: ['esm', 'cjs'],
  // Shared chunks in both formats: each entry point (testing, internal) must
  // see the same Tensor class as the main entry, or instanceof fails across them.
  splitting: true,
  dts: true,
  clean: true,
  sourcemap: true,
  tsconfig: 'tsconfig.build.json',
});
