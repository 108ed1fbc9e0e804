/**
 * The README's code examples are the marked regions of the files in
 * test/readme/, which the tests there run: each region must appear in the
 * README word for word, so the README never shows code that was not run.
 */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const readmePath = join(here, '..', '..', '..', 'README.md');

async function regions(): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const dir = join(here, 'readme');
  for (const file of (await readdir(dir)).sort()) {
    const text = await readFile(join(dir, file), 'utf8');
    for (const m of text.matchAll(/^\/\/ README: begin ([\w-]+)\n([\s\S]*?)^\/\/ README: end$/gm)) {
      found.set(m[1] as string, m[2] as string);
    }
  }
  return found;
}

describe('README examples', () => {
  it('shows every tested region verbatim, inside a ts code block', async () => {
    const readme = await readFile(readmePath, 'utf8');
    const found = await regions();
    expect([...found.keys()].sort()).toEqual([
      'application-graph',
      'custom-layer',
      'custom-layer-use',
      'gradient-property',
    ]);
    for (const [name, code] of found) {
      expect(readme, `README.md does not show region '${name}' as written`).toContain('```ts\n' + code + '```');
    }
  });
});
