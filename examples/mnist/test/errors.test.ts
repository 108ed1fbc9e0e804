/**
 * Bad input on the command line: one line on stderr that names the problem,
 * a non-zero exit status, no stack trace, and no files written.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-mnist-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const cases: [string, string[], RegExp][] = [
  ['a negative learning rate', ['--lr', '-1'], /^error: option '--lr <rate>' argument '-1' is invalid\. It must be greater than 0\.$/],
  ['a learning rate of 0', ['--lr', '0'], /--lr <rate>.*It must be greater than 0/],
  ['a learning rate that is not a number', ['--lr', 'fast'], /--lr <rate>' argument 'fast' is invalid\. Expected a number/],
  ['trailing junk after a number', ['--lr', '0.1x'], /--lr <rate>' argument '0\.1x' is invalid/],
  ['batch size 0', ['--batch-size', '0'], /--batch-size <n>' argument '0' is invalid\. It must be at least 1\.$/],
  ['a fractional epoch count', ['--epochs', '2.5'], /--epochs <n>' argument '2\.5' is invalid\. Expected a whole number\.$/],
  ['an unknown optimizer', ['--optimizer', 'lbfgs'], /--optimizer <name>' argument 'lbfgs' is invalid\. Allowed choices are sgd, momentum, nesterov, adam, adamw\.$/],
  ['an unknown loss', ['--loss', 'hinge'], /--loss <name>' argument 'hinge' is invalid\. Allowed choices are mse, cross-entropy\.$/],
  ['an unknown activation', ['--activation', 'gelu'], /--activation <name>' argument 'gelu' is invalid/],
  ['hidden sizes that are not numbers', ['--hidden', '128,big'], /--hidden <sizes>' argument '128,big' is invalid/],
  ['a momentum of 1', ['--optimizer', 'momentum', '--momentum', '1'], /--momentum <m>' argument '1' is invalid\. It must be at least 0 and below 1\.$/],
  ['a negative seed', ['--seed', '-3'], /--seed <n>' argument '-3' is invalid/],
  ['more digits than there are', ['--train-size', '9000', '--test-size', '2000'], /^error: --train-size 9000 and --test-size 2000 add up to more than the 10000 digits there are$/],
  ['an unknown flag', ['--epoch', '3'], /^error: unknown option '--epoch' \(Did you mean --epochs\?\)$/],
  ['a missing value', ['--lr'], /^error: option '--lr <rate>' argument missing$/],
];

describe('bad flags', () => {
  it.concurrent.each(cases)('%s: one line, exit status 1', async (_, args, message) => {
    const out = join(dir, args.join('_').replace(/[^\w.-]/g, ''));
    const result = await runCli(['train', '--out', out, ...args]);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it('evaluate with a missing weights file says where it looked and what to do', async () => {
    const result = await runCli(['evaluate', join(dir, 'nothing-here.safetensors')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: no weights at .*nothing-here\.safetensors; train first/);
  }, 120_000);

  it('evaluate with a file that is not safetensors gives one line, no stack', async () => {
    const result = await runCli(['evaluate', join(import.meta.dirname, 'errors.test.ts')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: /);
  }, 120_000);
});
