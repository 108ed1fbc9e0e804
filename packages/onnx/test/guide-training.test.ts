/**
 * The guide's section on exported training steps: its TypeScript block runs
 * as written (as a module beside this test, so the packages resolve as they
 * do for a user) and trains; its shell command names flags the demo has.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const guide = readFileSync(join(root, 'docs', 'outgrowing-one-machine.md'), 'utf8');
const section = guide.slice(guide.indexOf('## Training on other hardware with an exported step'));

function blocks(lang: string): string[] {
  return [...section.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] as string);
}

describe('the guide: training on other hardware with an exported step', () => {
  it('has its section', () => {
    expect(section.length).toBeGreaterThan(100);
  });

  it('runs its TypeScript block, which trains with ONNX Runtime', async () => {
    const [code] = blocks('ts');
    expect(code).toBeDefined();
    const file = join(fileURLToPath(new URL('.', import.meta.url)), `guide-block-${process.pid}.ts`);
    writeFileSync(file, code as string);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await import(file);
      const line = String(log.mock.calls.at(-1)?.[0]);
      // 256 / 32 = 8 steps an epoch, 3 epochs; the loss falls.
      const match = /^24 steps, loss (\d+\.\d+) → (\d+\.\d+)$/.exec(line);
      expect(match, line).not.toBeNull();
      expect(Number(match?.[2])).toBeLessThan(Number(match?.[1]));
    } finally {
      log.mockRestore();
      rmSync(file, { force: true });
    }
  }, 60_000);

  it("names only flags the demo's train command has", () => {
    const program = readFileSync(join(root, 'examples', 'mnist', 'src', 'program.ts'), 'utf8');
    const [shell] = blocks('sh');
    const used = [...(shell ?? '').matchAll(/--[a-z-]+/g)].map((m) => m[0]);
    expect(used).toContain('--export-onnx');
    for (const flag of used) expect(program.includes(`${flag} `) || program.includes(`${flag}'`), flag).toBe(true);
  });
});
