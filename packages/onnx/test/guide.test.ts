/**
 * docs/outgrowing-one-machine.md, run as written: every ```ts and ```python
 * block whose first line names a file is saved under that name in one
 * scratch folder inside this package (so the blocks' imports resolve to the
 * workspace's packages) and run in order — TypeScript with tsx, Python with
 * /usr/bin/python3 (with torch). What each block prints is checked against
 * what the guide says it prints. The browser block needs a browser and is
 * not run; the onnxruntime Python block runs where Python has onnxruntime
 * and is only compiled elsewhere (the project's machines lack it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const guide = readFileSync(new URL('../../../docs/outgrowing-one-machine.md', import.meta.url), 'utf8');
// The guide's last section (a training step exported to ONNX) has its own test.
const mine = guide.split('## Training on other hardware with an exported step')[0] as string;

interface Block {
  language: string;
  file: string;
  code: string;
}
const blocks: Block[] = [...mine.matchAll(/```(ts|python|js)\n([\s\S]*?)```/g)].map((m) => {
  const code = m[2] as string;
  const file = /^(?:\/\/|#) ([\w.-]+\.(?:ts|py))\n/.exec(code)?.[1] ?? '';
  return { language: m[1] as string, file, code };
});

const hasPython = (module: string): boolean =>
  spawnSync('/usr/bin/python3', ['-c', `import ${module}`], { encoding: 'utf8' }).status === 0;
const torch = hasPython('torch');
const onnxruntime = hasPython('onnxruntime');

// Inside the package, so '@chainrule/*' and 'onnxruntime-node' resolve from its node_modules.
const dir = mkdtempSync(join(packageDir, '.guide-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(block: Block): string {
  writeFileSync(join(dir, block.file), block.code);
  const result =
    block.language === 'ts'
      ? spawnSync(process.execPath, ['--conditions=@chainrule/source', '--import', 'tsx', block.file], {
          cwd: dir,
          encoding: 'utf8',
        })
      : spawnSync('/usr/bin/python3', [block.file], { cwd: dir, encoding: 'utf8' });
  expect(result.stderr.replace(/.*ExperimentalWarning.*\n|.*--trace-warnings.*\n/g, ''), block.file).not.toMatch(
    /Error/,
  );
  expect(result.status, `${block.file}: ${result.stderr}`).toBe(0);
  return result.stdout;
}

// Each block starts a Node or Python process (seconds each, more on a loaded machine).
describe('docs/outgrowing-one-machine.md', { timeout: 180_000 }, () => {
  it('names a file for every TypeScript and Python block, and has the blocks this test expects', () => {
    const named = blocks.filter((b) => b.language !== 'js');
    expect(named.every((b) => b.file !== '')).toBe(true);
    expect(named.map((b) => b.file)).toEqual([
      'export.ts',
      'serve.ts',
      'serve.py',
      'finetune.ts',
      'safetensors_io.py',
      'train.py',
      'back.ts',
    ]);
  });

  const byName = (file: string) => blocks.find((b) => b.file === file) as Block;

  it('export.ts writes model.onnx and model.safetensors', () => {
    run(byName('export.ts'));
    expect(readFileSync(join(dir, 'model.onnx')).length).toBeGreaterThan(100);
    expect(readFileSync(join(dir, 'model.safetensors')).length).toBeGreaterThan(100);
  });

  it('serve.ts runs the model in onnxruntime-node at a batch size other than the example', () => {
    expect(run(byName('serve.ts'))).toContain('[ 5, 3 ]');
  });

  // Where Python lacks onnxruntime (the project's machines), the block is only compiled: its syntax is checked, not its run.
  it(`serve.py ${onnxruntime ? 'runs the model in onnxruntime for Python' : 'compiles (onnxruntime is not installed)'}`, () => {
    if (onnxruntime) {
      expect(run(byName('serve.py'))).toContain('(8, 3)');
      return;
    }
    const block = byName('serve.py');
    writeFileSync(join(dir, block.file), block.code);
    const result = spawnSync('/usr/bin/python3', ['-m', 'py_compile', block.file], { cwd: dir, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
  });

  it('finetune.ts imports model.onnx under the state-dict names and lowers the loss', () => {
    const out = run(byName('finetune.ts'));
    expect(out).toContain("[ '0.weight', '0.bias', '2.weight', '2.bias' ]");
    const losses = [...out.matchAll(/^\d+ ([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(losses.length).toBe(5);
    expect(losses.at(-1)).toBeLessThan((losses[0] as number) * 0.7);
  });

  it('train.py loads the weights into PyTorch, trains, and back.ts loads the result', () => {
    // torch comes with the machine's Debian python3-torch; without it this test cannot say anything, so it fails.
    expect(torch, '/usr/bin/python3 with torch').toBe(true);
    run(byName('safetensors_io.py'));
    const trained = run(byName('train.py'));
    const torchLoss = Number(/loss after training in PyTorch: ([\d.]+)/.exec(trained)?.[1]);
    expect(torchLoss).toBeLessThan(0.3);
    const back = run(byName('back.ts'));
    const loss = Number(/loss of the weights trained in PyTorch: ([\d.]+)/.exec(back)?.[1]);
    // Fresh data from the same rule: weights that learned it in PyTorch do about as well in chainrule.
    expect(loss).toBeLessThan(0.5);
  });

  it("packages/onnx/README.md's import block runs on the model export.ts wrote", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const code = /## Importing ONNX models[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(code).toContain("importOnnx(readFileSync('model.onnx'))");
    run({ language: 'ts', file: 'readme-import.ts', code: `${code}console.log(Object.keys(parameters).length);\n` });
  });
});
