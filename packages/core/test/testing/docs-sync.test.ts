import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('docs/gradient-checking.md', () => {
  it("shows the code of docs-example.test.ts verbatim, so the page's example is the one CI runs", () => {
    const test = read('./docs-example.test.ts');
    const code = test.slice(test.indexOf('import fc')).trimEnd();
    expect(code.length).toBeGreaterThan(500);
    expect(read('../../../../docs/gradient-checking.md')).toContain('```ts\n' + code + '\n```');
  });
});
