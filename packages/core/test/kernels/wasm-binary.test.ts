import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

// The byte-for-byte check needs the compiler, which the main install leaves
// out: CI runs it as `pnpm check:wasm`. Here, the recorded source hash.
it('the committed WebAssembly binary was built from the asm/*.ts sources there now', () => {
  const script = fileURLToPath(new URL('../../scripts/build-wasm.mjs', import.meta.url));
  const output = execFileSync(process.execPath, [script, '--check-hash'], { encoding: 'utf8' });
  expect(output).toContain('up to date');
}, 60_000);
