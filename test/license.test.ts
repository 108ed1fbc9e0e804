import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// npm and pnpm pack a package's own LICENSE whatever its "files" says, but never
// the workspace root's: each published package carries a copy of the root file.
const root = join(import.meta.dirname, '..');
const license = readFileSync(join(root, 'LICENSE'), 'utf8');
const packages = readdirSync(join(root, 'packages'));

describe('every published package ships the root LICENSE', () => {
  it.each(packages)('packages/%s', (name) => {
    const dir = join(root, 'packages', name);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { license?: string };
    expect(manifest.license).toBe('MIT');
    const copy = readFileSync(join(dir, 'LICENSE'), 'utf8');
    expect(copy, `copy the root LICENSE to packages/${name}/LICENSE`).toBe(license);
  });
});
