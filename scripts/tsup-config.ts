/**
 * The build of every published package (each package's tsup.config.ts calls
 * this with its entry points, those of its package.json "exports").
 *
 * ESM: every source file is an entry, so each module stays a file of its own
 * (esbuild's splitting then only rewrites the imports between them, and puts
 * modules that import each other in a cycle together). With "sideEffects":
 * false a user's bundler then drops every file the program does not reach.
 * One shared chunk of all modules defeated that: inside a file, the op
 * tables' top-level calls count as side effects, so a program of Values
 * carried every Tensor op (65 KB gzip from one chunk, 4 KB from files).
 *
 * CJS: the entries only, with shared chunks, so each entry (testing,
 * internal) sees the same classes as the main one (instanceof across them).
 */
import { defineConfig, type Options } from 'tsup';

export function libraryConfig(publicEntries: string[]): ReturnType<typeof defineConfig> {
  const common: Options = { sourcemap: true, tsconfig: 'tsconfig.build.json', splitting: true };
  return defineConfig([
    { ...common, entry: ['src/**/*.ts'], dts: { entry: publicEntries }, format: ['esm'] },
    { ...common, entry: publicEntries, dts: true, format: ['cjs'] },
  ]);
}
