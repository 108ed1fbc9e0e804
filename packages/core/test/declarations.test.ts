/**
 * The published declaration files hide what is tagged `@internal`
 * (tsconfig.build.json sets `stripInternal`), so an editor's autocomplete on
 * a Tensor offers `matmul`, not `_leafNode`. This reads the build output
 * and builds nothing: CI runs `pnpm build` before the tests; locally, run
 * `pnpm -C packages/core build` first.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

/** Every .d.ts under dist (tsup puts the classes in hashed chunk files beside index.d.ts). */
function declarationFiles(): string[] {
  if (!existsSync(join(dist, 'index.d.ts'))) {
    throw new Error(
      `${dist}/index.d.ts is missing: build the package first (pnpm -C packages/core build), as CI does before the tests`,
    );
  }
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => join(dist, file));
}

/** The body of `declare class <name> { ... }` in the declaration files. */
function classBody(name: string): string {
  for (const file of declarationFiles()) {
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf(`declare class ${name} {`);
    if (start === -1) continue;
    // Class bodies in .d.ts files end at the first line that is a lone '}'.
    const end = text.indexOf('\n}', start);
    return text.slice(start, end);
  }
  throw new Error(`no 'declare class ${name}' in ${dist}`);
}

/** Members whose name starts with '_' (`_leafNode: Node | null;`, `get _freed(): boolean;`). */
function underscoreMembers(body: string): string[] {
  return [...body.matchAll(/^\s+(?:readonly |static |get |set )*(_\w+)/gm)].map((m) => m[1] as string);
}

describe('published declarations', () => {
  it('leave out the internals of Tensor', () => {
    const tensor = classBody('Tensor');
    expect(tensor).toContain('matmul(other: Tensor): Tensor;');
    expect(underscoreMembers(tensor)).toEqual([]);
    expect(tensor).not.toContain('fromData');
  });

  it('leave out the internals of Value', () => {
    const value = classBody('Value');
    expect(value).toContain('backward(');
    expect(underscoreMembers(value)).toEqual([]);
  });

  it('carry no @internal comment anywhere', () => {
    for (const file of declarationFiles()) expect(readFileSync(file, 'utf8'), file).not.toContain('@internal');
  });
});
